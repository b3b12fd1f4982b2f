//! The real binary run as an operator runs it: HOME and every XDG folder in a temporary
//! home, no key or server from the environment of the machine running the tests, and a
//! D-Bus address where nothing listens unless a test gives another.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use super::{KEY, NO_DBUS, StagingServer, write_pattern_file};

pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

/// The longest any run may take before the test fails as hung.
pub const RUN_LIMIT: Duration = Duration::from_secs(90);

pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A file of `size` bytes in this home.
    pub fn file(&self, name: &str, size: usize) -> PathBuf {
        let p = self.dir.path().join(name);
        write_pattern_file(&p, size);
        p
    }

    /// The IDs the history on disk holds.
    pub fn history_ids(&self) -> Vec<String> {
        let path = self.dir.path().join("data/asteroid-stager/history.sqlite3");
        let (history, _) = asteroid_stager::history::HistoryStore::open(&path);
        let entries = serde_json::to_value(history.entries().unwrap()).unwrap();
        entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The binary with `args`, set up to run in this home; stdin closed, stdout and
    /// stderr piped.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(args)
            .env_remove("ASTEROID_API_KEY")
            .env_remove("ASTEROID_BASE_URL")
            .env_remove("ASTEROID_ORG_ID")
            .env_remove("RUST_LOG")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    /// Runs the binary to its end (failing the test if it runs longer than [`RUN_LIMIT`]).
    pub async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let child = self.command(args, env).spawn().unwrap();
        tokio::time::timeout(RUN_LIMIT, child.wait_with_output())
            .await
            .expect("the binary finished in time")
            .unwrap()
    }
}

/// The test key and the server's address, as the environment gives them.
pub fn server_env(server: &StagingServer) -> Vec<(&'static str, String)> {
    vec![
        ("ASTEROID_API_KEY", KEY.to_owned()),
        ("ASTEROID_BASE_URL", server.base_url.clone()),
    ]
}

pub fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}
