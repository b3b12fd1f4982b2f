//! `asteroid-stager`: the window, or with a subcommand the command line.

use std::process::ExitCode;

use clap::Parser;

use asteroid_stager::cli::{self, Cli};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command),
        None => match asteroid_stager::ui::run_window(cli.files) {
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
