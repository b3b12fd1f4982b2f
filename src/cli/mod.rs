//! The command line: a thin layer over the same core as the window. `stage` prints the
//! `{"tempFiles":[…]}` envelope on stdout (ready to pass to an agent execution) and
//! everything meant for a person on stderr, in the operator's language (the catalogue's
//! `cli-` messages; [`Startup::load`] chooses the language before anything is printed).
//! `--help` is worded from the `cli-help-` messages in the system's language (see [`Cli`]).

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

/// The command line's arguments. Their help (`about`, `help`) is the catalogue's
/// `cli-help-` messages, worded when clap builds the command (`Cli::parse` in main), so
/// `--help` speaks the language set then: the system's locale, which main sets before
/// parsing. The Settings' language is read only later, by [`Startup::load`], so `--help`
/// follows the system, not the Settings. clap's own words ("Usage:", "Options:", "Print
/// help") stay English: clap cannot translate them. The doc comments on the fields and
/// variants are for developers only (an explicit `help`/`about` replaces them); keep each to
/// one paragraph, or clap would show it untranslated as the long help (a unit test walks the
/// command and checks every text is a `cli-help-` message).
#[derive(Debug, Parser)]
#[command(
    name = "asteroid-stager",
    version,
    about = t!("cli-help-about"),
    long_about = format!("{}\n\n{}", t!("cli-help-about"), t!("cli-help-no-command")),
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; none opens the window.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Files for the window, as a file manager's "Open with" passes them.
    #[arg(help = t!("cli-help-files"))]
    pub files: Vec<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Stages files and prints the `{"tempFiles":[…]}` envelope.
    #[command(about = t!("cli-help-stage"))]
    Stage(StageArgs),
    /// Lists the history's files.
    #[command(about = t!("cli-help-history"))]
    History(HistoryArgs),
    /// Manages the API key in the keychain.
    #[command(about = t!("cli-help-key"))]
    Key {
        /// What to do with the key.
        #[command(subcommand)]
        action: KeyAction,
    },
}

/// `stage`'s arguments.
#[derive(Debug, clap::Args)]
pub struct StageArgs {
    /// `--org`: the organization to stage for.
    #[arg(long, value_name = "UUID", help = t!("cli-help-stage-org"))]
    pub org: Option<String>,
    /// `--base-url`: the server.
    #[arg(long, value_name = "URL", help = t!("cli-help-stage-base-url"))]
    pub base_url: Option<String>,
    /// `--wait`: how long to wait for an unreachable server before failing.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10m",
        value_parser = parse_wait,
        help = t!("cli-help-stage-wait")
    )]
    pub wait: std::time::Duration,
    /// The files or folders to stage.
    #[arg(required = true, value_name = "FILE", help = t!("cli-help-stage-files"))]
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
    /// `--json`: the envelope instead of a list.
    #[arg(long, help = t!("cli-help-history-json"))]
    pub json: bool,
    /// `--all`: expired files too.
    #[arg(long, help = t!("cli-help-history-all"))]
    pub all: bool,
    /// `--org`: one organization's files.
    #[arg(
        long,
        value_name = "UUID",
        conflicts_with = "all_orgs",
        help = t!("cli-help-history-org")
    )]
    pub org: Option<String>,
    /// `--base-url`: one server's files.
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "all_orgs",
        help = t!("cli-help-history-base-url")
    )]
    pub base_url: Option<String>,
    /// `--all-orgs`: every organization's files, grouped.
    #[arg(long, help = t!("cli-help-history-all-orgs"))]
    pub all_orgs: bool,
}

/// `key`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Stores the key read from stdin.
    #[command(about = t!("cli-help-key-set"))]
    Set(KeyArgs),
    /// Says whether a key is stored.
    #[command(about = t!("cli-help-key-status"))]
    Status(KeyArgs),
    /// Removes the stored key.
    #[command(about = t!("cli-help-key-delete"))]
    Delete(KeyArgs),
}

/// `key`'s arguments.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// `--base-url`: the server whose key it is.
    #[arg(long, value_name = "URL", help = t!("cli-help-key-base-url"))]
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
    use crate::messages::{Language, text_in};
    use clap::CommandFactory;

    /// Every `cli-help-` text in every language, read from the catalogue by the ids of the
    /// English file.
    fn help_texts() -> Vec<String> {
        let english = include_str!("../../assets/locales/en/cli-help.ftl");
        let ids: Vec<&str> = english
            .lines()
            .filter(|line| line.starts_with("cli-help-"))
            .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim()))
            .collect();
        assert!(ids.len() > 15, "only {} help texts", ids.len());
        ids.iter()
            .flat_map(|id| Language::ALL.map(|language| text_in(language, id, &[])))
            .collect()
    }

    /// Every text `--help` shows of `command` and its subcommands (but clap's own) comes
    /// from the catalogue: an argument or subcommand added with only a doc comment, or a
    /// doc comment of two paragraphs (clap's long help), would show English in any language.
    fn check_help(command: &clap::Command, texts: &[String], problems: &mut Vec<String>) {
        let name = command.get_name();
        let check =
            |what: String, text: Option<&clap::builder::StyledStr>, problems: &mut Vec<_>| {
                if !text.is_some_and(|text| texts.contains(&text.to_string())) {
                    problems.push(format!("{what}: {text:?} is not a cli-help- text"));
                }
            };
        check(format!("{name}'s about"), command.get_about(), problems);
        if command.get_long_about().is_some() {
            problems.push(format!("{name} has a long about"));
        }
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue; // clap's own
            }
            check(format!("{name} {id}"), arg.get_help(), problems);
            if arg.get_long_help().is_some() {
                problems.push(format!("{name} {id} has a long help"));
            }
        }
        for sub in command.get_subcommands() {
            if sub.get_name() != "help" {
                check_help(sub, texts, problems);
            }
        }
    }

    #[test]
    fn every_help_text_comes_from_the_catalogue() {
        let texts = help_texts();
        let mut command = Cli::command();
        command.build();
        // The top level alone has a long about: the about, then what no command does.
        let long_about = command.get_long_about().map(ToString::to_string);
        let command = command.long_about(None);
        let mut problems = Vec::new();
        check_help(&command, &texts, &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let about = command.get_about().expect("an about").to_string();
        let (first, second) = long_about
            .as_deref()
            .and_then(|l| l.split_once("\n\n"))
            .expect("two paragraphs");
        assert_eq!(first, about);
        assert!(texts.iter().any(|t| t == second), "{second}");
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
