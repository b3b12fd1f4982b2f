//! The command line: a thin layer over the same core as the window. `stage` prints the
//! `{"tempFiles":[…]}` envelope on stdout (ready to pass to an agent execution) and
//! everything meant for a person on stderr, in the operator's language (the catalogue's
//! `cli-` messages; [`Startup::load`] chooses the language before anything is printed).

mod history;
mod key;
mod stage;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::endpoint::BaseUrl;
use crate::history::HistoryStore;
use crate::paths::AppPaths;
use crate::session::{self, Overrides};
use crate::settings::Settings;
use crate::startup::Startup;
use crate::t;

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
/// The command line's arguments.
pub struct Cli {
    /// What to do; none opens the window.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Files to add in the window, as a file manager's "Open with" passes them.
    pub files: Vec<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Stage files and print {"tempFiles":[…]} for an agent execution.
    Stage(StageArgs),
    /// List the staged files that have not expired (the IDs can be used again).
    History(HistoryArgs),
    /// Store, check or remove the API key in the system keychain.
    Key {
        /// What to do with the key.
        #[command(subcommand)]
        action: KeyAction,
    },
}

/// `stage`'s arguments.
#[derive(Debug, clap::Args)]
pub struct StageArgs {
    /// Organization ID (default: ASTEROID_ORG_ID, the settings, or the key's only organization).
    #[arg(long, value_name = "UUID")]
    pub org: Option<String>,
    /// API address (default: ASTEROID_BASE_URL, the settings, or https://odyssey.asteroid.ai/agents/v2).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// How long to wait for the network when the server cannot be reached (e.g. 30s, 10m,
    /// 1h); 0 fails at once after the usual retries.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_wait)]
    pub wait: std::time::Duration,
    /// The files (or folders) to stage.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `--wait`'s value: a duration such as `30s`, `10m` or `1h`, or `0`.
fn parse_wait(text: &str) -> Result<std::time::Duration, String> {
    if text.trim() == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    humantime::parse_duration(text.trim()).map_err(|_| t!("cli-wait-not-a-duration", text = text))
}

/// `history`'s arguments.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Print {"tempFiles":[…]} (for scripts) instead of a list.
    #[arg(long)]
    pub json: bool,
    /// Include the files that have expired.
    #[arg(long)]
    pub all: bool,
    /// List this organization's files (default: ASTEROID_ORG_ID or the settings, as for `stage`).
    #[arg(long, value_name = "UUID", conflicts_with = "all_orgs")]
    pub org: Option<String>,
    /// List the files staged on this API address (default: ASTEROID_BASE_URL, the settings, or https://odyssey.asteroid.ai/agents/v2).
    #[arg(long, value_name = "URL", conflicts_with = "all_orgs")]
    pub base_url: Option<String>,
    /// List every organization's files, on every server, each under its organization.
    #[arg(long)]
    pub all_orgs: bool,
}

/// `key`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Read the key from standard input (not shown on a terminal) and store it.
    Set(KeyArgs),
    /// Say whether a key is stored for the server.
    Status(KeyArgs),
    /// Remove the stored key for the server.
    Delete(KeyArgs),
}

/// `key`'s arguments.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The API address whose key this is (the keychain keeps one key per server).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// `text`, then "Nothing was uploaded." on a line of its own.
fn nothing_uploaded(text: impl std::fmt::Display) -> String {
    format!("{text}\n{}", t!("cli-nothing-uploaded"))
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

/// Writes `text` and a newline to stdout, all of it or a [`Failure`] (exit 1) that says
/// the IDs are safe in the history and how to print them again. A script reading stdout
/// must never get nothing and exit 0: it would carry on as if no file had been staged.
fn write_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::failed(t!("cli-ids-not-written", reason = describe_write_error(&e))))
}

/// Why stdout refused, in words.
fn describe_write_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::BrokenPipe => t!("cli-reader-stopped"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => t!("cli-disk-full"),
        _ => error.to_string(),
    }
}

/// Everything a command needs from the machine, gathered once.
struct Environment {
    overrides: Overrides,
    settings: Settings,
    /// The history, opened once at start (as the window opens it).
    history: HistoryStore,
}

impl Environment {
    /// The same start-up as the window's ([`Startup::load`]), its notices on stderr.
    fn load(overrides: Overrides) -> Self {
        let paths = AppPaths::platform_or_temp();
        let startup = Startup::load(&paths);
        for notice in &startup.notices {
            eprintln!("{}", t!("cli-note", text = notice.text.as_str()));
        }
        Self {
            overrides,
            settings: startup.settings,
            history: startup.history,
        }
    }

    fn base_url(&self, flag: Option<&str>) -> Result<BaseUrl, Failure> {
        session::resolve_base_url(flag, &self.overrides, &self.settings)
            .map_err(|e| Failure::input(e.to_string()))
    }
}

/// Runs a subcommand with the environment's values, and returns the exit status.
pub fn run(command: CliCommand, overrides: Overrides) -> ExitCode {
    let env = Environment::load(overrides);
    let result = match command {
        CliCommand::Stage(args) => stage::run(&env, args),
        CliCommand::History(args) => history::run(&env, args),
        CliCommand::Key { action } => key::run(&env, action),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
