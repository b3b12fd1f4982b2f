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
use crate::t;

/// What `--json` prints, named in the texts that point at it.
const JSON_SHAPE: &str = "{\"tempFiles\":[…]}";

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
        Failure::failed(t!(
            "cli-history-unreadable",
            reason = format!("{e}"),
            path = history.path().display().to_string()
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
            t!("cli-history-none-yet")
        } else {
            t!("cli-history-none-valid", lifetime = format::lifetime())
        };
        let what = match &scope {
            Some(scope) if elsewhere > 0 => t!(
                "cli-history-none-here",
                organization = scope.organization_id.as_str(),
                host = server.host(),
                elsewhere = other_scopes(elsewhere)
            ),
            _ => what,
        };
        eprintln!(
            "{}",
            format::sentences(&what, &t!("cli-history-how-to-stage"))
        );
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
            let line = t!(
                "cli-history-heading",
                organization = display_name(&scope.organization_id),
                server = display_name(&scope.server)
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
            t!("cli-history-expired")
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
    let mut summary = t!(
        "cli-history-summary",
        count = entries.len(),
        json = JSON_SHAPE
    );
    if let Some(scope) = &scope {
        summary = t!(
            "cli-history-summary-for",
            count = entries.len(),
            organization = display_name(&scope.organization_id),
            host = host_of(&scope.server),
            json = JSON_SHAPE
        );
        if elsewhere > 0 {
            summary = format::sentences(&summary, &other_scopes(elsewhere));
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
    t!("cli-history-elsewhere", count = count)
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
            "{}\n{}",
            t!(
                "cli-history-several-scopes",
                count = scopes.len(),
                env = session::ENV_ORG_ID
            ),
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
    Err(Failure::failed(t!(
        "cli-history-not-written",
        reason = super::describe_write_error(error)
    )))
}
