//! `asteroid-stager`: the window, or with a subcommand the command line.

// On Windows a console program opens a black console window beside the app when started
// from Explorer; a windowed one does not, and attaches to its terminal for the CLI below.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

use asteroid_stager::cli::{self, Cli};
use asteroid_stager::session::Overrides;

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any thread exists.
    let overrides = unsafe { Overrides::take_from_env() };
    attach_to_parent_console();
    init_logging();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, overrides),
        None => match asteroid_stager::ui::run_window(cli.files, overrides) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "The window could not be opened: {e}\nThe command line still works: asteroid-stager stage FILE..."
                );
                ExitCode::from(cli::EXIT_FAILED)
            }
        },
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
