//! `asteroid-stager`: the window, or with a subcommand the command line.

// On Windows a console program opens a black console window beside the app when started
// from Explorer; a windowed one does not, and attaches to its terminal for the CLI below.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use asteroid_stager::cli::{self, Cli};
use asteroid_stager::messages::{self, Language};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::session::Overrides;
use asteroid_stager::single_window::{Launch, Rendezvous};
use asteroid_stager::t;

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any thread exists.
    let overrides = unsafe { Overrides::take_from_env() };
    limit_malloc_arenas();
    attach_to_parent_console();
    init_logging();
    // The system's language for what clap prints: `--help` (its texts are the catalogue's
    // `cli-help-` messages, worded as `Cli::parse` builds the command) and a wrong --wait.
    // The Settings' choice is read only after parsing, at each face's start
    // (`Startup::load`), before it says anything else: `--help` follows the system.
    messages::set_language(Language::from_system());
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, overrides),
        None => open_window_or_hand_over(cli.files, overrides),
    }
}

/// glibc gives threads that allocate at once arenas of their own (up to 8 per core), and
/// memory freed in one arena is not reused by another. Staging 10,000 small files peaked at
/// 69 MB with the default and 51 MB with two arenas, in the same time. A
/// `MALLOC_ARENA_MAX` set in the environment still wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: sets one of the allocator's tunables; first thing in main, before any
        // thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// One window per user and data folder: when one is open, the files go to it and this
/// process ends; otherwise this process opens the window and takes later launches' files.
fn open_window_or_hand_over(files: Vec<PathBuf>, overrides: Overrides) -> ExitCode {
    let paths = AppPaths::platform_or_temp();
    let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    let launch = Rendezvous::for_data_dir(&paths.data_dir, runtime_dir.as_deref())
        .and_then(|rendezvous| rendezvous.launch(&files));
    let claim = match launch {
        Ok(Launch::HandedOver) => return ExitCode::SUCCESS,
        Ok(Launch::OpenWindow(claim)) => Some(claim),
        Err(e) => {
            // Not worth refusing to open over: this window simply takes no hand-overs.
            tracing::warn!("{e}; this window opens on its own");
            None
        }
    };
    match asteroid_stager::ui::run_window(files, overrides, paths, claim) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}\n{}",
                t!("cli-window-failed", reason = e.to_string()),
                t!("cli-window-failed-use-cli")
            );
            ExitCode::from(cli::EXIT_FAILED)
        }
    }
}

/// Logs go to stderr. Without `RUST_LOG` only this app's own warnings are shown: the
/// libraries' lines (rustls' "Sending fatal alert…", hyper's) are jargon an operator cannot
/// act on, and every failure they describe already has its own plain sentence. Colour codes
/// only on a terminal (and never with `NO_COLOR`), so a captured stderr stays plain text.
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off,asteroid_stager=warn"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_env_filter(filter)
        .init();
}

/// A windowed Windows program has no console of its own: borrow the terminal it was started
/// from (if any) so `stage` and `--help` print there. Elsewhere there is nothing to do.
#[cfg(windows)]
fn attach_to_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // Fails harmlessly when started from Explorer (no parent console).
    // SAFETY: a plain Win32 call with a constant argument; it touches no Rust memory.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_to_parent_console() {}
