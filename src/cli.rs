//! The command line: a thin layer over the same core as the window. `stage` prints the
//! `{"tempFiles":[…]}` envelope on stdout (ready to paste into an execute call) and
//! everything meant for a person on stderr.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use crate::api::{ApiClient, ClientOptions, TempFile, TempFiles};
use crate::connection::{self, OrganizationChoice, Overrides};
use crate::endpoint::{BaseUrl, OrganizationId};
use crate::history::HistoryStore;
use crate::key_store::{ApiKey, ApiKeyStore, KeychainStore};
use crate::local_file::LocalFile;
use crate::paths::AppPaths;
use crate::settings::Settings;
use crate::upload_queue::{QueueEvent, QueueOptions, Target, UploadId, UploadQueue};

/// Exit status when every file was staged (or the command did what it said).
pub const EXIT_OK: u8 = 0;
/// Some file failed, or the server could not be used; staged ones were still printed.
pub const EXIT_FAILED: u8 = 1;
/// The input was wrong (a file, an option, no key); nothing was uploaded.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "asteroid-stager",
    version,
    about = "Stage files on the Asteroid Agents API and copy their IDs.",
    long_about = "Stage files on the Asteroid Agents API and copy their IDs.\n\n\
        With no command, opens the window (with FILEs already added).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Files to add in the window, as a file manager's "Open with" passes them.
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Stage files and print {"tempFiles":[…]} for an execute call.
    Stage(StageArgs),
    /// Store, check or remove the API key in the system keychain.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
}

#[derive(Debug, clap::Args)]
pub struct StageArgs {
    /// Organization ID (default: ASTEROID_ORG_ID, the settings, or the key's only organization).
    #[arg(long, value_name = "UUID")]
    pub org: Option<String>,
    /// API address (default: ASTEROID_BASE_URL, the settings, or https://odyssey.asteroid.ai/agents/v2).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The files to stage.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Read the key from standard input (not shown on a terminal) and store it.
    Set(KeyArgs),
    /// Say whether a key is stored for the server.
    Status(KeyArgs),
    /// Remove the stored key for the server.
    Delete(KeyArgs),
}

#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The API address whose key this is (the keychain keeps one key per server).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// A failure with what the operator sees and the exit status it warrants.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_BAD_INPUT,
            message: message.into(),
        }
    }

    fn failed(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_FAILED,
            message: message.into(),
        }
    }
}

/// Everything a command needs from the machine, gathered once.
struct Environment {
    overrides: Overrides,
    paths: AppPaths,
    settings: Settings,
}

impl Environment {
    fn load() -> Self {
        let paths = AppPaths::platform_or_temp();
        let (settings, problem) = Settings::load(&paths.settings_file());
        if let Some(p) = problem {
            eprintln!("Note: the settings file could not be used. {p}");
        }
        Self {
            overrides: Overrides::from_env(),
            paths,
            settings,
        }
    }

    fn base_url(&self, flag: Option<&str>) -> Result<BaseUrl, Failure> {
        connection::resolve_base_url(flag, &self.overrides, &self.settings)
            .map_err(|e| Failure::input(e.to_string()))
    }
}

/// Runs a subcommand and returns the process exit status.
pub fn run(command: CliCommand) -> ExitCode {
    let env = Environment::load();
    let result = match command {
        CliCommand::Stage(args) => stage(&env, args),
        CliCommand::Key { action } => key(&env, action),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn key(env: &Environment, action: KeyAction) -> Result<u8, Failure> {
    let (KeyAction::Set(args) | KeyAction::Status(args) | KeyAction::Delete(args)) = &action;
    let base = env.base_url(args.base_url.as_deref())?;
    let store = KeychainStore::for_host(&base.host());
    match action {
        KeyAction::Set(_) => {
            let key = read_key_from_stdin()?;
            store
                .save(&key)
                .map_err(|e| Failure::failed(e.to_string()))?;
            eprintln!(
                "Saved the API key for {} in the keychain ({}).",
                base.host(),
                store.describe()
            );
            Ok(EXIT_OK)
        }
        KeyAction::Status(_) => {
            let from_env = env.overrides.api_key.is_some();
            match store.load() {
                Ok(Some(_)) => {
                    eprintln!(
                        "An API key for {} is stored in {}.",
                        base.host(),
                        store.describe()
                    );
                    if from_env {
                        eprintln!("ASTEROID_API_KEY is also set and is used instead.");
                    }
                    Ok(EXIT_OK)
                }
                Ok(None) if from_env => {
                    eprintln!(
                        "No API key is stored for {}; ASTEROID_API_KEY is set and is used.",
                        base.host()
                    );
                    Ok(EXIT_OK)
                }
                Ok(None) => {
                    eprintln!(
                        "No API key is stored for {}. Run `asteroid-stager key set` and paste it.",
                        base.host()
                    );
                    Ok(EXIT_FAILED)
                }
                Err(e) => Err(Failure::failed(e.to_string())),
            }
        }
        KeyAction::Delete(_) => match store.delete() {
            Ok(true) => {
                eprintln!("Removed the API key for {} from the keychain.", base.host());
                Ok(EXIT_OK)
            }
            Ok(false) => {
                eprintln!("There was no API key for {} to remove.", base.host());
                Ok(EXIT_OK)
            }
            Err(e) => Err(Failure::failed(e.to_string())),
        },
    }
}

fn read_key_from_stdin() -> Result<ApiKey, Failure> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(
            "Paste your API key (from platform.asteroid.ai → profile → API Keys; it is not shown): ",
        )
        .map_err(|e| Failure::input(format!("Could not read the key: {e}")))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| {
                Failure::input(format!("Could not read the key from standard input: {e}"))
            })?;
        s
    };
    ApiKey::new(&text).map_err(|e| Failure::input(e.to_string()))
}

fn stage(env: &Environment, args: StageArgs) -> Result<u8, Failure> {
    // Everything the operator typed is checked before a single byte is sent.
    let mut files = Vec::with_capacity(args.files.len());
    let mut problems = Vec::new();
    for path in &args.files {
        match LocalFile::inspect(path) {
            Ok(f) => files.push(f),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::input(format!(
            "{}\nNothing was uploaded.",
            problems.join("\n")
        )));
    }
    let base = env.base_url(args.base_url.as_deref())?;
    let org_hint =
        connection::resolve_organization(args.org.as_deref(), &env.overrides, &env.settings)
            .map_err(|e| Failure::input(format!("{e}\nNothing was uploaded.")))?;
    let key = find_key(env, &base)?;
    let client = ApiClient::new(base.clone(), &key, ClientOptions::default())
        .map_err(|e| Failure::input(e.to_string()))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .map_err(|e| Failure::failed(format!("Could not start: {e}")))?;
    let organization = match org_hint {
        Some(org) => org,
        None => runtime.block_on(organization_from_key(&client))?,
    };

    let (history, problem) = HistoryStore::open(&env.paths.history_file());
    if let Some(p) = problem {
        if p.is_problem() {
            eprintln!("Note: the history file could not be used. {p}");
        } else {
            eprintln!("Note: {p}");
        }
    }
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    eprintln!(
        "Staging {} file(s), {}, for organization {organization} on {}…",
        files.len(),
        human_bytes(total_bytes),
        base.host()
    );
    if total_bytes > crate::EXECUTION_UPLOAD_LIMIT {
        eprintln!(
            "Note: an execution takes at most 200 MB of files in all; these are {}.",
            human_bytes(total_bytes)
        );
    }
    let options = QueueOptions {
        concurrency: env.settings.concurrency,
        ..QueueOptions::default()
    };
    let staged = runtime.block_on(run_queue(
        files,
        Target {
            client,
            organization,
        },
        history,
        options,
    ));
    let all_staged = staged.iter().all(Option::is_some);
    let envelope = TempFiles {
        temp_files: staged.into_iter().flatten().collect(),
    };
    let json = serde_json::to_string(&envelope)
        .map_err(|e| Failure::failed(format!("Could not write the result: {e}")))?;
    let mut out = std::io::stdout().lock();
    // A closed stdout (a pipe that went away) is not worth a panic; the IDs are in the history.
    let _ = writeln!(out, "{json}");
    let _ = out.flush();
    Ok(if all_staged { EXIT_OK } else { EXIT_FAILED })
}

/// `ASTEROID_API_KEY` if set, else the keychain.
fn find_key(env: &Environment, base: &BaseUrl) -> Result<ApiKey, Failure> {
    if let Some(key) = env.overrides.api_key() {
        return key
            .map_err(|e| Failure::input(format!("ASTEROID_API_KEY is set but unusable: {e}")));
    }
    let store = KeychainStore::for_host(&base.host());
    let how = "Run `asteroid-stager key set` and paste your key (from platform.asteroid.ai → profile → API Keys), or set ASTEROID_API_KEY.";
    match store.load() {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err(Failure::input(format!(
            "No API key is stored for {}. {how}\nNothing was uploaded.",
            base.host()
        ))),
        Err(e) => Err(Failure::input(format!(
            "No API key: {e}\n{how}\nNothing was uploaded."
        ))),
    }
}

async fn organization_from_key(client: &ApiClient) -> Result<OrganizationId, Failure> {
    let context = client.context().await.map_err(|e| {
        Failure::failed(format!(
            "Could not find your organization from the key: {e}\nNothing was uploaded."
        ))
    })?;
    match connection::choose_organization(&context) {
        OrganizationChoice::One(id, _) => Ok(id),
        OrganizationChoice::Several(orgs) => {
            let list: Vec<String> = orgs
                .iter()
                .map(|o| {
                    format!(
                        "  --org {}   ({})",
                        o.id,
                        crate::api::clean_server_text(&o.name)
                    )
                })
                .collect();
            Err(Failure::input(format!(
                "The key belongs to {} organizations; say which one with --org (or ASTEROID_ORG_ID):\n{}\nNothing was uploaded.",
                orgs.len(),
                list.join("\n")
            )))
        }
        OrganizationChoice::NoneFound => Err(Failure::failed(
            "The key does not belong to any organization, so it cannot stage files. Check the key, or give --org.\nNothing was uploaded.",
        )),
    }
}

/// Runs the files through the queue and returns each one's staged file, in input order.
async fn run_queue(
    files: Vec<LocalFile>,
    target: Target,
    history: HistoryStore,
    options: QueueOptions,
) -> Vec<Option<TempFile>> {
    let handle = tokio::runtime::Handle::current();
    let (queue, mut events) = UploadQueue::start(&handle, options, Some(history), Arc::new(|| {}));
    let total = files.iter().map(|f| f.size).sum();
    let file_names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let ids = queue.add(files);
    let names: HashMap<UploadId, String> = ids.iter().copied().zip(file_names).collect();
    queue.set_target(Some(target));

    let mut progress = ProgressLine::new(total);
    let mut results: HashMap<UploadId, TempFile> = HashMap::new();
    let mut open = ids.len();
    let mut interrupted = false;
    while open > 0 {
        let event = tokio::select! {
            e = events.recv() => e,
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                progress.clear();
                eprintln!("Interrupted: cancelling the uploads in progress…");
                queue.cancel_all();
                continue;
            }
        };
        let Some(event) = event else { break };
        let name = |id: &UploadId| names.get(id).map(String::as_str).unwrap_or("a file");
        match &event {
            QueueEvent::Progress { id, sent, .. } => progress.update(*id, *sent),
            QueueEvent::Retrying {
                id,
                attempt,
                delay,
                reason,
            } => {
                progress.clear();
                eprintln!(
                    "Retrying {} in {} s (try {} failed): {reason}",
                    name(id),
                    delay.as_secs_f32().ceil(),
                    attempt
                );
            }
            QueueEvent::Staged { id, entry } => {
                progress.clear();
                eprintln!("Staged {} → {}", name(id), entry.id);
                results.insert(*id, entry.temp_file());
            }
            QueueEvent::Failed { id, error } => {
                progress.clear();
                eprintln!("Failed: {}: {error}", name(id));
            }
            QueueEvent::Cancelled { id } => {
                progress.clear();
                eprintln!("Cancelled: {}", name(id));
            }
            QueueEvent::HistoryNotSaved { reason } => {
                progress.clear();
                eprintln!(
                    "Warning: the history could not be saved ({reason}). The IDs below are still valid."
                );
            }
            QueueEvent::Sending { .. } | QueueEvent::WaitingForServer { .. } => {}
        }
        if event.is_final() {
            open -= 1;
        }
    }
    progress.clear();
    let staged = results.len();
    if staged < ids.len() {
        eprintln!("{staged} of {} file(s) staged.", ids.len());
    } else {
        eprintln!(
            "All {staged} file(s) staged. They expire in 60 minutes; pass the JSON below as \"tempFiles\" of an execute call."
        );
    }
    ids.iter().map(|id| results.remove(id)).collect()
}

/// One overwritten line of overall progress, only when stderr is a terminal.
struct ProgressLine {
    enabled: bool,
    total: u64,
    sent: HashMap<UploadId, u64>,
    shown: bool,
    last: Instant,
}

impl ProgressLine {
    fn new(total: u64) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            total,
            sent: HashMap::new(),
            shown: false,
            last: Instant::now() - Duration::from_secs(1),
        }
    }

    fn update(&mut self, id: UploadId, sent: u64) {
        self.sent.insert(id, sent);
        if !self.enabled || self.last.elapsed() < Duration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        let done: u64 = self.sent.values().sum();
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

/// Sizes as people read them: 1.5 MB, 320 KB (decimal units, as file managers show).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1500), "1.5 KB");
        assert_eq!(human_bytes(1_073_741_824), "1.1 GB");
    }

    #[test]
    fn command_line_parses_as_documented() {
        let cli =
            Cli::try_parse_from(["asteroid-stager", "stage", "--org", "x", "a.pdf", "b c.csv"])
                .unwrap();
        assert!(matches!(cli.command, Some(CliCommand::Stage(ref a)) if a.files.len() == 2));
        let cli = Cli::try_parse_from(["asteroid-stager", "a.pdf"]).unwrap();
        assert!(cli.command.is_none() && cli.files.len() == 1);
        assert!(Cli::try_parse_from(["asteroid-stager", "stage"]).is_err());
    }
}
