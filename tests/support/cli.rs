//! The real binary as the tests run it: HOME and every XDG folder inside a temporary home,
//! nothing taken from the test's own environment (key, server, organization, log level),
//! and a D-Bus address where nothing listens, so no run can reach the keychain of the
//! desktop it runs on.

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use super::{KEY, NO_DBUS, StagingServer};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

/// `asteroid-stager` living in `home`, with no key, server or organization set, stdin
/// empty, killed if the test drops it.
pub fn command(home: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    isolate(&mut cmd, home);
    cmd
}

/// Gives `cmd` (the binary, or a program that starts it) the environment of [`command`].
pub fn isolate(cmd: &mut tokio::process::Command, home: &Path) {
    cmd.env_remove("ASTEROID_API_KEY")
        .env_remove("ASTEROID_BASE_URL")
        .env_remove("ASTEROID_ORG_ID")
        .env_remove("RUST_LOG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
        .stdin(Stdio::null())
        .kill_on_drop(true);
}

/// [`command`] with the test key and `server` as the API address.
pub fn command_for(home: &Path, server: &StagingServer) -> tokio::process::Command {
    let mut cmd = command(home);
    cmd.env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url);
    cmd
}

/// Runs `cmd` to its end (at most 60 s) and returns what it printed and its exit status.
pub async fn output(mut cmd: tokio::process::Command) -> Output {
    tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("the binary finished within 60 s")
        .expect("the binary started")
}

/// Its output as text, for messages and `contains`.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
