//! The binary run as an operator or a script runs it: HOME and every XDG folder inside a
//! temporary home, no key or server from the test's own environment, and no reachable
//! keychain. Its stdout can be pointed anywhere (a full disk, a pipe nobody reads).

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use super::{KEY, NO_DBUS, StagingServer, write_seeded_file};

pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

/// A temporary home for the binary.
pub struct CliHome {
    pub dir: tempfile::TempDir,
}

/// Where the binary's stdout goes.
pub enum Stdout {
    /// Captured, for the test to read.
    Captured,
    /// `/dev/full`: every write fails with "no space left on device".
    DiskFull,
    /// A pipe whose reading end is closed as soon as the binary starts.
    ClosedPipe,
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

    /// A file of `size` bytes whose content depends on `seed`.
    pub fn file(&self, name: &str, size: usize, seed: u64) -> PathBuf {
        let path = self.dir.path().join("files").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_seeded_file(&path, size, seed);
        path
    }

    pub fn history_path(&self) -> PathBuf {
        self.dir.path().join("data/asteroid-stager/history.sqlite3")
    }

    /// The history on disk, as the app reads it.
    pub fn history(&self) -> Vec<asteroid_stager::history::HistoryEntry> {
        let (history, _) = asteroid_stager::history::HistoryStore::open(&self.history_path());
        history.entries().unwrap()
    }

    /// Runs the binary with `args` and `env`, stdout captured.
    pub async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.run_to(args, env, Stdout::Captured).await
    }

    /// Runs the binary with its stdout sent to `stdout`.
    pub async fn run_to(&self, args: &[&str], env: &[(&str, &str)], stdout: Stdout) -> Output {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(args)
            .env_remove("ASTEROID_API_KEY")
            .env_remove("ASTEROID_BASE_URL")
            .env_remove("ASTEROID_ORG_ID")
            .env_remove("RUST_LOG")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        match stdout {
            Stdout::Captured | Stdout::ClosedPipe => cmd.stdout(Stdio::piped()),
            Stdout::DiskFull => cmd.stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            ),
        };
        let mut child = cmd.spawn().unwrap();
        if let Stdout::ClosedPipe = stdout {
            drop(child.stdout.take());
        }
        tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("the binary finished within 60 s")
            .unwrap()
    }
}

/// The key and the server, as a script would set them.
pub fn server_env(server: &StagingServer) -> Vec<(&'static str, String)> {
    vec![
        ("ASTEROID_API_KEY", KEY.to_owned()),
        ("ASTEROID_BASE_URL", server.base_url.clone()),
    ]
}

pub fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The IDs of a `{"tempFiles":[…]}` envelope printed on stdout.
pub fn printed_ids(stdout: &[u8]) -> Vec<String> {
    let printed: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}): {}", text(stdout));
    });
    printed["tempFiles"]
        .as_array()
        .expect("a tempFiles array")
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}
