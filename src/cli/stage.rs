//! `asteroid-stager stage FILE…`: checks every input, finds the key and organization
//! (the same flow as the window), stages through the upload queue, and prints the
//! `{"tempFiles":[…]}` envelope in input order.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use super::{
    EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, Environment, Failure, StageArgs, nothing_uploaded,
};
use crate::api::{ClientOptions, TempFile, clean_server_text, temp_files_json};
use crate::endpoint::BaseUrl;
use crate::format::{self, display_name, human_bytes};
use crate::history::{AddedBy, GroupSource, StagedGroup};
use crate::key_store::{ApiKeyStore, KeychainStore};
use crate::session::{self, KeyFlow, KeyProblem, Unanswered};
use crate::t;
use crate::upload_queue::{
    AddMode, QueueEvent, QueueOptions, Target, UploadError, UploadId, UploadQueue, UploadStatus,
    UploadTable,
};

/// Runs `stage`; returns the exit status.
pub(super) fn run(env: &Environment, args: StageArgs) -> Result<u8, Failure> {
    let base = env.base_url(args.base_url.as_deref())?;
    // Everything the operator typed is checked before a single byte is sent.
    session::resolve_organization(args.org.as_deref(), &env.overrides, &env.settings)
        .map_err(|e| Failure::input(nothing_uploaded(e)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .map_err(|e| Failure::failed(t!("cli-could-not-start", reason = e.to_string())))?;
    let result = runtime.block_on(stage(env, args, base));
    // A call stuck on a blocking thread (a file that blocks on open, a library that never
    // returns) must not keep a finished command alive: dropping the runtime would wait
    // for it for ever.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    // The files this command kept to resume (it owned them while it ran, so no window took
    // them) are its own business: ended in order, it leaves none. A `stage` that crashed
    // leaves them, and the next window stages them.
    if let Err(e) = env.history.stop_pending() {
        tracing::warn!("the files kept to resume were not removed: {e}");
    }
    result
}

/// How long a finished command waits for its blocking threads before it exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Said when a second Ctrl-C quits at once.
fn stopped() -> String {
    t!("cli-stopped")
}

async fn stage(env: &Environment, args: StageArgs, base: BaseUrl) -> Result<u8, Failure> {
    let history = env.history.clone();
    let (tx, mut events) = mpsc::unbounded_channel();
    let queue = UploadQueue::start(
        &tokio::runtime::Handle::current(),
        QueueOptions {
            concurrency: env.settings.concurrency,
            network_wait: Some(args.wait),
            ..QueueOptions::default()
        },
        Some(history),
        Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    );
    let group = StagedGroup {
        id: uuid::Uuid::new_v4().to_string(),
        source: GroupSource::of_paths(AddedBy::CommandLine, &args.files),
        created_at: SystemTime::now(),
    };
    let args_wait = args.wait;
    let batch = queue.add_paths(args.files, Some(group), AddMode::All);

    // What the inputs hold; nothing is sent before the target is set below.
    let mut table = UploadTable::default();
    let mut named_problems: Vec<String> = Vec::new();
    let mut found_problems = Vec::new();
    loop {
        let Some(event) = events.recv().await else {
            return Err(Failure::failed(t!("cli-queue-stopped")));
        };
        table.apply(&event, Instant::now());
        match event {
            // Names in messages are shown with control characters escaped (they could
            // otherwise drive the terminal).
            QueueEvent::Refused {
                error, named: true, ..
            } => named_problems.push(display_name(&error.to_string()).into_owned()),
            QueueEvent::Refused { error, .. } => {
                found_problems.push(display_name(&error.to_string()).into_owned());
            }
            QueueEvent::Inspected { batch: b, summary } if b == batch => {
                for folder in &summary.folders {
                    // Found only again through links: given twice, not a mistake.
                    if folder.files == 0 && folder.found_twice == 0 {
                        // A folder named on the command line with nothing to stage in it is
                        // a mistake worth stopping for, like a missing file.
                        named_problems.push(t!(
                            "cli-folder-nothing-to-stage",
                            folder = display_name(&folder.describe())
                        ));
                    } else {
                        eprintln!("{}", display_name(&folder.describe()));
                    }
                }
                break;
            }
            _ => {}
        }
    }
    if !named_problems.is_empty() {
        return Err(Failure::input(nothing_uploaded(named_problems.join("\n"))));
    }
    for problem in &found_problems {
        eprintln!("{}", t!("cli-skipped", problem = problem.as_str()));
    }
    let files: Vec<UploadId> = table
        .rows()
        .iter()
        .filter(|r| r.status.is_active())
        .map(|r| r.id)
        .collect();
    if files.is_empty() {
        return Err(Failure::input(nothing_uploaded(t!("cli-nothing-to-stage"))));
    }

    let flow = KeyFlow::new(
        base.clone(),
        args.org.as_deref(),
        &env.overrides,
        &env.settings,
    );
    let store: Arc<dyn ApiKeyStore> = Arc::new(KeychainStore::for_host(&base.host()));
    // Ctrl-C is listened to from here on: none is missed between two waits.
    let mut interrupts = Interrupts::listen();
    // The bound `stage --wait` gives, when the command has it; the default otherwise.
    let wait = session::NetworkWait::new(session::DEFAULT_NETWORK_WAIT);
    let say_waiting = |error: &crate::api::ApiError, pause: Duration| {
        let reason = error
            .unreachable_reason()
            .unwrap_or_else(|| t!("cli-server-unreachable"));
        eprintln!(
            "{}",
            t!(
                "cli-waiting-for-network",
                reason = reason,
                seconds = pause.as_secs().max(1)
            )
        );
    };
    let connect =
        session::connect_unattended(flow, store, ClientOptions::default(), wait, &say_waiting);
    let connection = tokio::select! {
        connection = connect => connection.map_err(|stop| unanswered(stop, &base))?,
        () = interrupts.next() => {
            return Err(Failure::failed(t!("cli-interrupted-before-sending")));
        }
    };
    let client = connection
        .client(ClientOptions::default())
        .map_err(|e| Failure::input(e.to_string()))?;

    let total_bytes: u64 = table.totals().bytes;
    eprintln!(
        "{}",
        t!(
            "cli-staging",
            files = t!("count-files", count = files.len()),
            size = human_bytes(total_bytes),
            organization = connection.organization.to_string(),
            host = base.host()
        )
    );
    if total_bytes > crate::EXECUTION_UPLOAD_LIMIT {
        eprintln!(
            "{}",
            t!(
                "cli-over-limit",
                limit = format::execution_limit(),
                size = human_bytes(total_bytes)
            )
        );
    }
    queue.set_target(Some(Target {
        client,
        organization: connection.organization,
    }));
    follow(
        &queue,
        &mut events,
        &mut table,
        &files,
        &mut interrupts,
        args_wait,
    )
    .await;

    let mut staged: HashMap<UploadId, TempFile> = HashMap::new();
    for row in table.rows() {
        if let UploadStatus::Staged { entry } = &row.status {
            staged.insert(row.id, entry.temp_file());
        }
    }
    let count = staged.len();
    let staged_files: Vec<TempFile> = files.iter().filter_map(|id| staged.remove(id)).collect();
    if count < files.len() {
        eprintln!(
            "{}",
            t!("cli-some-staged", staged = count, count = files.len())
        );
    } else {
        eprintln!(
            "{}",
            t!(
                "cli-all-staged",
                count = count,
                lifetime = format::lifetime()
            )
        );
    }
    let json = temp_files_json(&staged_files);
    // A closed or full stdout is a failure: a script would read no IDs and carry on.
    super::write_stdout(&json)?;
    let all = count == files.len() && found_problems.is_empty();
    Ok(if all { EXIT_OK } else { EXIT_FAILED })
}

/// Prints what happens until every file is staged, failed or cancelled. The first Ctrl-C
/// cancels what is left (what was staged is still printed); a second one exits at once.
async fn follow(
    queue: &UploadQueue,
    events: &mut mpsc::UnboundedReceiver<QueueEvent>,
    table: &mut UploadTable,
    files: &[UploadId],
    interrupts: &mut Interrupts,
    wait: Duration,
) {
    let mut progress = ProgressLine::new(table.totals().bytes);
    let mut open = files.len();
    let mut interrupted = false;
    // Staged lines not yet written (see `write_lines`).
    let mut staged_lines = String::new();
    // Worded once: a line per staged file through the catalogue each time cost more
    // than the rest of its work at thousands of files.
    let staged_line = crate::messages::Template::new("cli-staged-one", &["name", "id"]);
    while open > 0 {
        let event = tokio::select! {
            e = events.recv() => e,
            () = interrupts.next() => {
                write_lines(&mut staged_lines);
                progress.clear();
                if interrupted {
                    eprintln!("{}", stopped());
                    std::process::exit(130);
                }
                interrupted = true;
                eprintln!("{}", t!("cli-interrupted"));
                queue.cancel_all();
                continue;
            }
        };
        let Some(event) = event else { break };
        if !matches!(event, QueueEvent::Staged { .. }) {
            write_lines(&mut staged_lines);
        }
        let table_was_online = table.network().is_none();
        let change = table.apply(&event, Instant::now());
        let shown = |id: &UploadId| {
            table
                .get(*id)
                .map(|r| display_name(&r.shown).into_owned())
                .unwrap_or_else(|| t!("cli-a-file"))
        };
        match &event {
            // Counted only when the line is drawn: counting walks every row.
            QueueEvent::Progress { .. } | QueueEvent::WaitingForServer { .. } => {
                progress.update(|| table.totals().sent);
            }
            QueueEvent::Retrying {
                id,
                attempt,
                delay,
                reason,
            } => {
                progress.clear();
                eprintln!(
                    "{}",
                    t!(
                        "cli-retrying",
                        name = shown(id),
                        seconds = delay.as_secs_f32().ceil() as u64,
                        attempt = *attempt,
                        reason = reason.to_string()
                    )
                );
            }
            QueueEvent::NetworkDown { retry_in, reason } if table_was_online => {
                progress.clear();
                eprintln!(
                    "{}\n{}",
                    t!("cli-network-down", reason = reason.to_string()),
                    t!(
                        "cli-network-down-retry",
                        seconds = retry_in.as_secs_f32().ceil() as u64,
                        wait = humantime::format_duration(wait).to_string()
                    )
                );
            }
            QueueEvent::NetworkBack => {
                progress.clear();
                eprintln!("{}", t!("cli-network-back"));
            }
            QueueEvent::Requeued { id, reason } => {
                progress.clear();
                eprintln!("{}: {reason}", shown(id));
            }
            QueueEvent::Staged {
                id, entry, note, ..
            } => {
                progress.clear();
                // Borrowed, not copied, for the thousands of lines of a big folder.
                let name = table
                    .get(*id)
                    .map_or_else(|| Cow::Owned(t!("cli-a-file")), |r| display_name(&r.shown));
                staged_line.fill_into(&mut staged_lines, &[&name, entry.id.as_str()]);
                staged_lines.push('\n');
                if let Some(note) = note {
                    staged_lines.push_str(&format!("  {note}\n"));
                }
            }
            QueueEvent::Failed { id, error } => {
                progress.clear();
                eprintln!(
                    "{}",
                    t!("cli-failed", name = shown(id), error = shown_error(error))
                );
            }
            QueueEvent::Cancelled { id } => {
                progress.clear();
                eprintln!("{}", t!("cli-cancelled", name = shown(id)));
            }
            QueueEvent::HistoryNotSaved { reason } => {
                progress.clear();
                eprintln!(
                    "{}",
                    t!("cli-history-not-saved", reason = reason.to_string())
                );
            }
            _ => {}
        }
        if change.finished.is_some() {
            open -= 1;
        }
        if events.is_empty() {
            write_lines(&mut staged_lines);
        }
    }
    write_lines(&mut staged_lines);
    progress.clear();
}

/// Writes the lines gathered so far to stderr in one go: a request's staged files come
/// back together, and a write per line (two, with `eprintln!`) costs more than the rest
/// of the line's work at thousands of files.
fn write_lines(lines: &mut String) {
    if !lines.is_empty() {
        let _ = std::io::stderr().write_all(lines.as_bytes());
        lines.clear();
    }
}

/// A failure's message for the terminal: control characters escaped (a name in it could
/// otherwise drive the terminal or fake a line), except the line break before a server
/// refusal's details line, which holds no name.
fn shown_error(error: &UploadError) -> String {
    let text = error.to_string();
    match error {
        UploadError::Api(e) if e.has_details_line() => text
            .split('\n')
            .map(display_name)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => display_name(&text).into_owned(),
    }
}

/// Ctrl-C presses, counted from when this is made: a press between two waits is kept, not
/// lost (a fresh `ctrl_c()` each time would miss it). The second press quits at once from
/// the listener itself, whatever the command is waiting on at that moment.
struct Interrupts(mpsc::UnboundedReceiver<()>);

impl Interrupts {
    fn listen() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let tx = SecondQuits { tx, seen: false };
        tokio::spawn(async move {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let Ok(mut presses) = signal(SignalKind::interrupt()) else {
                    return;
                };
                let mut tx = tx;
                while presses.recv().await.is_some() {
                    if tx.send(()).is_err() {
                        return;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let Ok(mut presses) = tokio::signal::windows::ctrl_c() else {
                    return;
                };
                let mut tx = tx;
                while presses.recv().await.is_some() {
                    if tx.send(()).is_err() {
                        return;
                    }
                }
            }
        });
        Self(rx)
    }

    /// The next press (never, if the signal cannot be listened to).
    /// (The second never arrives here: [`SecondQuits`] exits first.)
    async fn next(&mut self) {
        if self.0.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

/// Passes the first Ctrl-C on; exits the process on the second.
struct SecondQuits {
    tx: mpsc::UnboundedSender<()>,
    seen: bool,
}

impl SecondQuits {
    fn send(&mut self, press: ()) -> Result<(), mpsc::error::SendError<()>> {
        if self.seen {
            eprintln!("\n{}", stopped());
            std::process::exit(130);
        }
        self.seen = true;
        self.tx.send(press)
    }
}

/// Where the key flow stopped, as the command line says it.
fn unanswered(stop: Unanswered, base: &BaseUrl) -> Failure {
    let how = t!("cli-key-how", env = session::ENV_API_KEY);
    match stop {
        Unanswered::Key(None) => Failure::input(nothing_uploaded(t!(
            "cli-no-key-stored",
            host = base.host(),
            how = how
        ))),
        Unanswered::Key(Some(problem @ KeyProblem::EnvironmentKeyUnusable(_))) => {
            Failure::input(nothing_uploaded(problem))
        }
        Unanswered::Key(Some(KeyProblem::Keychain(e))) => Failure::input(nothing_uploaded(
            format!("{}\n{how}", t!("cli-no-key", problem = e.to_string())),
        )),
        Unanswered::Key(Some(problem)) => Failure::failed(nothing_uploaded(t!(
            "cli-organization-not-found",
            problem = problem.to_string()
        ))),
        Unanswered::Organization(question) if question.choices.len() > 1 => {
            let list: Vec<String> = question
                .choices
                .iter()
                .map(|o| format!("  --org {}   ({})", o.id, clean_server_text(&o.name)))
                .collect();
            Failure::input(nothing_uploaded(format!(
                "{}\n{}",
                t!(
                    "cli-several-organizations",
                    count = question.choices.len(),
                    env = session::ENV_ORG_ID
                ),
                list.join("\n")
            )))
        }
        Unanswered::Organization(question) => Failure {
            code: if question.choices.is_empty() {
                EXIT_FAILED
            } else {
                EXIT_BAD_INPUT
            },
            message: nothing_uploaded(format!(
                "{}\n{}",
                t!("cli-no-organization"),
                question.message
            )),
        },
    }
}

/// One overwritten line of overall progress, only when stderr is a terminal.
struct ProgressLine {
    enabled: bool,
    total: u64,
    shown: bool,
    last: Instant,
}

impl ProgressLine {
    fn new(total: u64) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            total,
            shown: false,
            last: Instant::now() - Duration::from_secs(1),
        }
    }

    fn update(&mut self, done: impl FnOnce() -> u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        let done = done();
        let pct = done
            .saturating_mul(100)
            .checked_div(self.total)
            .unwrap_or(100);
        eprint!(
            "\r{pct:>3}%  {}   ",
            t!(
                "cli-progress",
                done = human_bytes(done),
                total = human_bytes(self.total)
            )
        );
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r{:60}\r", "");
            self.shown = false;
        }
    }
}
