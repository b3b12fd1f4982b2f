//! `asteroid-stager stage FILE…`: checks every input, finds the key and organization
//! (the same flow as the window), stages through the upload queue, and prints the
//! `{"tempFiles":[…]}` envelope in input order.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, Environment, Failure, StageArgs};
use crate::api::{ClientOptions, TempFile, clean_server_text, temp_files_json};
use crate::endpoint::BaseUrl;
use crate::format::{self, display_name, human_bytes};
use crate::history::{AddedBy, GroupSource, StagedGroup};
use crate::key_store::{ApiKeyStore, KeychainStore};
use crate::session::{self, KeyFlow, KeyProblem, Unanswered};
use crate::upload_queue::{
    AddMode, QueueEvent, QueueOptions, Target, UploadId, UploadQueue, UploadStatus, UploadTable,
};

/// Runs `stage`; returns the exit status.
pub(super) fn run(env: &Environment, args: StageArgs) -> Result<u8, Failure> {
    let base = env.base_url(args.base_url.as_deref())?;
    // Everything the operator typed is checked before a single byte is sent.
    session::resolve_organization(args.org.as_deref(), &env.overrides, &env.settings)
        .map_err(|e| Failure::input(format!("{e}\nNothing was uploaded.")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .map_err(|e| Failure::failed(format!("Could not start: {e}")))?;
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
const STOPPED: &str = "Stopped. What was staged is in the history (asteroid-stager history).";

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
            return Err(Failure::failed("The upload queue stopped unexpectedly."));
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
                        named_problems.push(format!(
                            "{}: nothing in it can be staged. Check that it is the folder you meant.",
                            display_name(&folder.describe())
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
        return Err(Failure::input(format!(
            "{}\nNothing was uploaded.",
            named_problems.join("\n")
        )));
    }
    for problem in &found_problems {
        eprintln!("Skipped: {problem}");
    }
    let files: Vec<UploadId> = table
        .rows()
        .iter()
        .filter(|r| r.status.is_active())
        .map(|r| r.id)
        .collect();
    if files.is_empty() {
        return Err(Failure::input(
            "There is no file to stage in what was given.\nNothing was uploaded.",
        ));
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
            .unwrap_or_else(|| "the server cannot be reached".into());
        eprintln!(
            "Waiting for the network ({reason})… trying again in {} s. Ctrl-C to stop.",
            pause.as_secs().max(1)
        );
    };
    let connect =
        session::connect_unattended(flow, store, ClientOptions::default(), wait, &say_waiting);
    let connection = tokio::select! {
        connection = connect => connection.map_err(|stop| unanswered(stop, &base))?,
        () = interrupts.next() => {
            return Err(Failure::failed("Interrupted before anything was sent. Nothing was uploaded."));
        }
    };
    let client = connection
        .client(ClientOptions::default())
        .map_err(|e| Failure::input(e.to_string()))?;

    let total_bytes: u64 = table.totals().bytes;
    eprintln!(
        "Staging {}, {}, for organization {} on {}…",
        format::count(files.len(), "file", "files"),
        human_bytes(total_bytes),
        connection.organization,
        base.host()
    );
    if total_bytes > crate::EXECUTION_UPLOAD_LIMIT {
        eprintln!(
            "Note: an execution takes at most {} of files in all; these are {}.",
            format::execution_limit(),
            human_bytes(total_bytes)
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
            "{count} of {} staged.",
            format::count(files.len(), "file", "files")
        );
    } else {
        eprintln!(
            "{} staged. They expire in {}; pass the JSON below as \"tempFiles\" when you start an agent execution.",
            if count == 1 {
                "The file is".to_owned()
            } else {
                format!("All {count} files are")
            },
            format::lifetime()
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
    while open > 0 {
        let event = tokio::select! {
            e = events.recv() => e,
            () = interrupts.next() => {
                progress.clear();
                if interrupted {
                    eprintln!("{STOPPED}");
                    std::process::exit(130);
                }
                interrupted = true;
                eprintln!("Interrupted: cancelling the uploads in progress… (press Ctrl-C again to quit at once)");
                queue.cancel_all();
                continue;
            }
        };
        let Some(event) = event else { break };
        let table_was_online = table.network().is_none();
        let change = table.apply(&event, Instant::now());
        let shown = |id: &UploadId| {
            table
                .get(*id)
                .map(|r| display_name(&r.shown).into_owned())
                .unwrap_or_else(|| "a file".to_owned())
        };
        match &event {
            QueueEvent::Progress { .. } => progress.update(table.totals().sent),
            QueueEvent::Retrying {
                id,
                attempt,
                delay,
                reason,
            } => {
                progress.clear();
                eprintln!(
                    "Retrying {} in {} s (try {attempt} failed): {reason}",
                    shown(id),
                    delay.as_secs_f32().ceil(),
                );
            }
            QueueEvent::NetworkDown { retry_in, reason } if table_was_online => {
                progress.clear();
                eprintln!(
                    "Waiting for the network: {reason}\nTrying again in {} s, for up to {} in all (--wait); Ctrl-C stops.",
                    retry_in.as_secs_f32().ceil(),
                    humantime::format_duration(wait)
                );
            }
            QueueEvent::NetworkBack => {
                progress.clear();
                eprintln!("The server can be reached again; staging goes on.");
            }
            QueueEvent::Requeued { id, reason } => {
                progress.clear();
                eprintln!("{}: {reason}", shown(id));
            }
            QueueEvent::Staged {
                id, entry, note, ..
            } => {
                progress.clear();
                eprintln!("Staged {} → {}", shown(id), entry.id);
                if let Some(note) = note {
                    eprintln!("  {note}");
                }
            }
            QueueEvent::Failed { id, error } => {
                progress.clear();
                eprintln!(
                    "Failed: {}: {}",
                    shown(id),
                    display_name(&error.to_string())
                );
            }
            QueueEvent::Cancelled { id } => {
                progress.clear();
                eprintln!("Cancelled: {}", shown(id));
            }
            QueueEvent::HistoryNotSaved { reason } => {
                progress.clear();
                eprintln!(
                    "Warning: the history could not be saved ({reason}). The IDs printed below are still valid."
                );
            }
            _ => {}
        }
        if change.finished.is_some() {
            open -= 1;
        }
    }
    progress.clear();
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
            eprintln!("\n{STOPPED}");
            std::process::exit(130);
        }
        self.seen = true;
        self.tx.send(press)
    }
}

/// Where the key flow stopped, as the command line says it.
fn unanswered(stop: Unanswered, base: &BaseUrl) -> Failure {
    let how = format!(
        "Run `asteroid-stager key set` and paste your key (from platform.asteroid.ai → profile → API Keys), or set {}.",
        session::ENV_API_KEY
    );
    match stop {
        Unanswered::Key(None) => Failure::input(format!(
            "No API key is stored for {}. {how}\nNothing was uploaded.",
            base.host()
        )),
        Unanswered::Key(Some(problem @ KeyProblem::EnvironmentKeyUnusable(_))) => {
            Failure::input(format!("{problem}\nNothing was uploaded."))
        }
        Unanswered::Key(Some(KeyProblem::Keychain(e))) => {
            Failure::input(format!("No API key: {e}\n{how}\nNothing was uploaded."))
        }
        Unanswered::Key(Some(problem)) => Failure::failed(format!(
            "Could not find your organization from the key: {problem}\nNothing was uploaded."
        )),
        Unanswered::Organization(question) if question.choices.len() > 1 => {
            let list: Vec<String> = question
                .choices
                .iter()
                .map(|o| format!("  --org {}   ({})", o.id, clean_server_text(&o.name)))
                .collect();
            Failure::input(format!(
                "The key belongs to {} organizations; say which one with --org (or {}):\n{}\nNothing was uploaded.",
                question.choices.len(),
                session::ENV_ORG_ID,
                list.join("\n")
            ))
        }
        Unanswered::Organization(question) => Failure {
            code: if question.choices.is_empty() {
                EXIT_FAILED
            } else {
                EXIT_BAD_INPUT
            },
            message: format!(
                "The key does not belong to any organization, so it cannot stage files. Check the key, or give --org.\n{}\nNothing was uploaded.",
                question.message
            ),
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

    fn update(&mut self, done: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        let pct = done
            .saturating_mul(100)
            .checked_div(self.total)
            .unwrap_or(100);
        eprint!(
            "\r{pct:>3}%  {} of {}   ",
            human_bytes(done),
            human_bytes(self.total)
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
