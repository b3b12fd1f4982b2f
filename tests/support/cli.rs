//! The real binary as the tests run it: HOME and every XDG folder inside a temporary home,
//! nothing taken from the test's own environment (key, server, organization, log level),
//! and a D-Bus address where nothing listens, so no run can reach the keychain of the
//! desktop it runs on.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use asteroid_stager::history::{HistoryEntry, HistoryStore};

use super::{KEY, NO_DBUS, ORG, StagingServer};

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

/// A home of its own for the binary, with the history it keeps there.
pub struct CliHome {
    pub dir: tempfile::TempDir,
}

impl Default for CliHome {
    fn default() -> Self {
        Self::new()
    }
}

impl CliHome {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A folder inside the home.
    pub fn folder(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// The history on disk, as the app recorded it.
    pub fn history(&self) -> Vec<HistoryEntry> {
        let path = self.dir.path().join("data/asteroid-stager/history.sqlite3");
        let (history, _) = HistoryStore::open(&path);
        history.entries().unwrap()
    }

    /// `stage` (or any command) for `base_url`, with the test key and organization.
    pub fn command(&self, base_url: &str, args: &[&str]) -> tokio::process::Command {
        let mut cmd = command(self.dir.path());
        cmd.args(args)
            .env("ASTEROID_API_KEY", KEY)
            .env("ASTEROID_BASE_URL", base_url)
            .env("ASTEROID_ORG_ID", ORG)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs a command to its end (at most 120 s).
    pub async fn run(&self, base_url: &str, args: &[&str]) -> Output {
        let child = self.command(base_url, args).spawn().unwrap();
        tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
            .await
            .expect("the binary finished within 120 s")
            .unwrap()
    }
}

/// The `{"tempFiles":[…]}` a `stage` printed: (id, name) in order.
pub fn printed_temp_files(stdout: &[u8]) -> Vec<(String, String)> {
    let value: serde_json::Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", String::from_utf8_lossy(stdout)));
    value["tempFiles"]
        .as_array()
        .expect("a tempFiles list")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_owned(),
                t["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
