//! The real binary in a home of its own: HOME and every XDG folder inside a temporary
//! folder, the key and server in the environment, a D-Bus address where nothing listens.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use asteroid_stager::history::{HistoryEntry, HistoryStore};

use super::{KEY, NO_DBUS, ORG};

pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

pub struct CliHome {
    pub dir: tempfile::TempDir,
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
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(args)
            .env_remove("RUST_LOG")
            .env("ASTEROID_API_KEY", KEY)
            .env("ASTEROID_BASE_URL", base_url)
            .env("ASTEROID_ORG_ID", ORG)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
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
