//! `asteroid-stager history`: the staged files that have not expired (or all of them), for
//! a person or, with `--json`, as the `{"tempFiles":[…]}` envelope for scripts that reuse IDs.

use std::io::Write;

use super::{EXIT_OK, Environment, Failure, HistoryArgs};
use crate::api::temp_files_json;
use crate::format;
use crate::history::HistoryStore;

/// Runs `history`; returns the exit status.
pub(super) fn run(env: &Environment, args: HistoryArgs) -> Result<u8, Failure> {
    let (history, notice) = HistoryStore::open(&env.paths.history_file());
    if let Some(notice) = notice {
        eprintln!("Note: {notice}");
    }
    let now = std::time::SystemTime::now();
    let entries = if args.all {
        history.entries()
    } else {
        history.unexpired(now)
    }
    .map_err(|e| {
        Failure::failed(format!(
            "The list of staged files could not be read ({e}). It is kept in {}.",
            history.path().display()
        ))
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let files: Vec<_> = entries.iter().map(|e| e.temp_file()).collect();
        let json = temp_files_json(&files);
        let _ = writeln!(out, "{json}");
        return Ok(EXIT_OK);
    }
    if entries.is_empty() {
        let what = if args.all {
            "No file has been staged from this computer yet (or the list was cleared).".to_owned()
        } else {
            format!(
                "No staged file is still valid: they expire after {}.",
                format::lifetime()
            )
        };
        eprintln!("{what} Stage files with `asteroid-stager stage FILE...` or in the window.");
        return Ok(EXIT_OK);
    }
    for entry in &entries {
        let shown = entry
            .source
            .as_ref()
            .map_or(entry.name.as_str(), |s| s.relative_path.as_str());
        let left = entry.time_left(now);
        let state = if left.is_zero() {
            "expired".to_owned()
        } else {
            format::expires_in(left)
        };
        let line = format!("{}  {state:<18}  {shown}", entry.id);
        if writeln!(out, "{line}").is_err() {
            // The reader went away (`| head`): nothing more to say.
            return Ok(EXIT_OK);
        }
    }
    let _ = out.flush();
    eprintln!(
        "{}. `asteroid-stager history --json` prints them as {{\"tempFiles\":[…]}}.",
        format::count(entries.len(), "file", "files")
    );
    Ok(EXIT_OK)
}
