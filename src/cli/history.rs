//! `asteroid-stager history`: the staged files that have not expired (or all of them), for
//! a person or, with `--json`, as the `{"tempFiles":[…]}` envelope for scripts that reuse IDs.
//!
//! An ID is only valid for the organization and on the server it was staged for, so the list
//! is of one organization on one server: the one `stage` would use (`--org`,
//! `ASTEROID_ORG_ID`, the settings; `--base-url`, `ASTEROID_BASE_URL`, the settings, the
//! default). `--all-orgs`, or no organization known at all, lists every organization's,
//! each under its own heading; `--json` never mixes two of them in one envelope.

use std::io::Write;
use std::time::SystemTime;

use super::{EXIT_OK, Environment, Failure, HistoryArgs};
use crate::api::temp_files_json;
use crate::format::{self, display_name};
use crate::history::{HistoryEntry, Scope};
use crate::session;

/// Runs `history`; returns the exit status.
pub(super) fn run(env: &Environment, args: HistoryArgs) -> Result<u8, Failure> {
    let server = env.base_url(args.base_url.as_deref())?;
    let organization = if args.all_orgs {
        None
    } else {
        session::resolve_organization(args.org.as_deref(), &env.overrides, &env.settings)
            .map_err(|e| Failure::input(e.to_string()))?
    };
    let scope = organization.map(|org| Scope::new(&org, &server));
    let history = &env.history;
    let now = SystemTime::now();
    let unexpired_at = (!args.all).then_some(now);
    let unreadable = |e| {
        Failure::failed(format!(
            "The list of staged files could not be read ({e}). It is kept in {}.",
            history.path().display()
        ))
    };
    let every = || match unexpired_at {
        Some(now) => history.unexpired(now),
        None => history.entries(),
    };
    let listed = match &scope {
        Some(scope) => history.in_scope(scope, unexpired_at),
        None => every(),
    }
    .map_err(unreadable)?;
    let entries: Vec<&HistoryEntry> = listed.iter().collect();
    if args.json {
        return print_json(&entries, scope.is_some() || args.all_orgs);
    }
    // For a person: how many are left out, so none seems lost.
    let elsewhere = match scope {
        Some(_) => every().map_err(unreadable)?.len() - entries.len(),
        None => 0,
    };
    if entries.is_empty() {
        let what = if args.all {
            "No file has been staged from this computer yet (or the list was cleared).".to_owned()
        } else {
            format!(
                "No staged file is still valid: they expire after {}.",
                format::lifetime()
            )
        };
        let what = match &scope {
            Some(scope) if elsewhere > 0 => format!(
                "No staged file for organization {} on {} is listed. {}",
                scope.organization_id,
                server.host(),
                other_scopes(elsewhere)
            ),
            _ => what,
        };
        eprintln!("{what} Stage files with `asteroid-stager stage FILE...` or in the window.");
        return Ok(EXIT_OK);
    }
    let mut out = std::io::stdout().lock();
    // Each organization's files together, in the order first staged.
    let mut order: Vec<Scope> = Vec::new();
    for e in &entries {
        let s = e.scope();
        if !order.contains(&s) {
            order.push(s);
        }
    }
    // Under a heading each, when there is more than one to tell apart.
    let labelled = scope.is_none() && order.len() > 1;
    let mut heading: Option<Scope> = None;
    let mut listed = entries.clone();
    listed.sort_by_key(|e| order.iter().position(|s| s.contains(e)));
    for entry in &listed {
        if labelled && heading.as_ref().is_none_or(|h| !h.contains(entry)) {
            let scope = entry.scope();
            let line = format!(
                "Organization {} on {}:",
                display_name(&scope.organization_id),
                display_name(&scope.server)
            );
            if let Err(e) = writeln!(out, "{line}") {
                return listing_cut(&e);
            }
            heading = Some(scope);
        }
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
        let line = format!("{}  {state:<18}  {}", entry.id, display_name(shown));
        if let Err(e) = writeln!(out, "{line}") {
            return listing_cut(&e);
        }
    }
    if let Err(e) = out.flush() {
        return listing_cut(&e);
    }
    let mut summary = format!(
        "{}. `asteroid-stager history --json` prints them as {{\"tempFiles\":[…]}}.",
        format::count(entries.len(), "file", "files")
    );
    if let Some(scope) = &scope {
        summary = format!(
            "{} for organization {} on {}. {}",
            format::count(entries.len(), "file", "files"),
            display_name(&scope.organization_id),
            host_of(&scope.server),
            "`asteroid-stager history --json` prints them as {\"tempFiles\":[…]}."
        );
        if elsewhere > 0 {
            summary = format!("{summary} {}", other_scopes(elsewhere));
        }
    }
    eprintln!("{summary}");
    Ok(EXIT_OK)
}

/// The host of a server as the history keeps it ("odyssey.asteroid.ai").
fn host_of(server: &str) -> String {
    crate::endpoint::BaseUrl::parse(server)
        .map_or_else(|_| display_name(server).into_owned(), |b| b.host())
}

/// "3 more files were staged for other organizations or servers: …".
fn other_scopes(count: usize) -> String {
    format!(
        "{} staged for other organizations or servers {} not listed (`--all-orgs` lists them).",
        format::count(count, "file", "files"),
        if count == 1 { "is" } else { "are" }
    )
}

/// The envelope on stdout. It must arrive whole: a script that reads nothing must not
/// carry on as if there were no files, so a failed write exits 1 and says where the IDs are.
fn print_json(entries: &[&HistoryEntry], one_scope_asked: bool) -> Result<u8, Failure> {
    let mut scopes: Vec<Scope> = Vec::new();
    for e in entries {
        let s = e.scope();
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    if !one_scope_asked && scopes.len() > 1 {
        // One envelope goes to one execute call, for one organization: mixing them would
        // hand it IDs it cannot use.
        let list: Vec<String> = scopes
            .iter()
            .map(|s| {
                format!(
                    "  --org {} --base-url {}",
                    display_name(&s.organization_id),
                    display_name(&s.server)
                )
            })
            .collect();
        return Err(Failure::input(format!(
            "The staged files belong to {} organizations or servers, and one list of IDs can only be used in one. Say which with --org (or {}), or --all-orgs for every one:\n{}",
            scopes.len(),
            session::ENV_ORG_ID,
            list.join("\n")
        )));
    }
    let files: Vec<_> = entries.iter().map(|e| e.temp_file()).collect();
    // The same text as the window's "Copy tempFiles JSON", byte for byte.
    super::write_stdout(&temp_files_json(&files))?;
    Ok(EXIT_OK)
}

/// The list for a person was cut short. A reader that went away (`| head`) took what it
/// wanted; anything else (a full disk) is a failure to say.
fn listing_cut(error: &std::io::Error) -> Result<u8, Failure> {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        return Ok(EXIT_OK);
    }
    Err(Failure::failed(format!(
        "The list could not be written to the output ({}). The files are still in the history: run `asteroid-stager history` again with another output.",
        super::describe_write_error(error)
    )))
}
