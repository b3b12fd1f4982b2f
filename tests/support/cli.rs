//! The real binary as the tests run it: HOME and every XDG folder inside a temporary home,
//! nothing taken from the test's own environment (key, server, organization, log level),
//! and a D-Bus address where nothing listens, so no run can reach the keychain of the
//! desktop it runs on. Its stdout can be pointed anywhere (a full disk, a pipe nobody reads).

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use asteroid_stager::history::{HistoryEntry, HistoryStore};

use super::{KEY, NO_DBUS, ORG, StagingServer, write_pattern_file, write_seeded_file};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

/// The longest a run of [`CliHome::run`] may take before the test fails as hung.
pub const RUN_LIMIT: Duration = Duration::from_secs(90);

/// Where the binary's stdout goes.
pub enum Stdout {
    /// Captured, for the test to read.
    Captured,
    /// `/dev/full`: every write fails with "no space left on device".
    DiskFull,
    /// A pipe whose reading end is closed as soon as the binary starts.
    ClosedPipe,
}

/// `asteroid-stager` living in `home`, with no key, server or organization set, stdin
/// empty, killed if the test drops it.
pub fn command(home: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    isolate(&mut cmd, home);
    cmd
}

/// Gives `cmd` (the binary, or a program that starts it) the environment of [`command`]:
/// no key, server, organization, log level, proxy or language from the test's own
/// environment (the locale is `C.UTF-8`, so the binary speaks English).
pub fn isolate(cmd: &mut tokio::process::Command, home: &Path) {
    cmd.env_remove("ASTEROID_API_KEY")
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
        // English whatever the developer's locale: the tests read the English texts.
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
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

    /// A file of `size` bytes (a repeating pattern) in the home.
    pub fn file(&self, name: &str, size: usize) -> PathBuf {
        let path = self.dir.path().join(name);
        write_pattern_file(&path, size);
        path
    }

    /// A file of `size` bytes whose content depends on `seed`, in the home's `files` folder.
    pub fn seeded_file(&self, name: &str, size: usize, seed: u64) -> PathBuf {
        let path = self.dir.path().join("files").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_seeded_file(&path, size, seed);
        path
    }

    /// Where the app keeps its history in this home.
    pub fn history_path(&self) -> PathBuf {
        self.dir.path().join("data/asteroid-stager/history.sqlite3")
    }

    /// The history on disk, as the app recorded it.
    pub fn history(&self) -> Vec<HistoryEntry> {
        let (history, _) = HistoryStore::open(&self.history_path());
        history.entries().unwrap()
    }

    /// The IDs the history on disk holds.
    pub fn history_ids(&self) -> Vec<String> {
        self.history().into_iter().map(|entry| entry.id).collect()
    }

    /// The binary with `args` and `env` (on top of [`isolate`]'s), in this home; stdout
    /// and stderr piped.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
        let mut cmd = command(self.dir.path());
        cmd.args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs the binary with `args` and `env` to its end (failing the test if it runs
    /// longer than [`RUN_LIMIT`]), stdout captured.
    pub async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.run_to(args, env, Stdout::Captured).await
    }

    /// As [`CliHome::run`], with the binary's stdout sent to `stdout`.
    pub async fn run_to(&self, args: &[&str], env: &[(&str, &str)], stdout: Stdout) -> Output {
        let mut cmd = self.command(args, env);
        if let Stdout::DiskFull = stdout {
            cmd.stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            );
        }
        let mut child = cmd.spawn().unwrap();
        if let Stdout::ClosedPipe = stdout {
            drop(child.stdout.take());
        }
        tokio::time::timeout(RUN_LIMIT, child.wait_with_output())
            .await
            .expect("the binary finished in time")
            .unwrap()
    }

    /// As [`CliHome::run`], with `input` written to the binary's stdin (then closed); at
    /// most 60 s.
    pub async fn run_with_input(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        input: Option<&str>,
    ) -> Output {
        let mut cmd = self.command(args, env);
        cmd.stdin(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = input {
            use tokio::io::AsyncWriteExt;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(text.as_bytes()).await.unwrap();
        }
        drop(child.stdin.take());
        tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("the binary finished within 60 s")
            .unwrap()
    }

    /// `stage` (or any command) for `base_url`, with the test key and organization.
    pub fn command_on(&self, base_url: &str, args: &[&str]) -> tokio::process::Command {
        self.command(
            args,
            &[
                ("ASTEROID_API_KEY", KEY),
                ("ASTEROID_BASE_URL", base_url),
                ("ASTEROID_ORG_ID", ORG),
            ],
        )
    }

    /// Runs [`CliHome::command_on`] to its end (at most 120 s).
    pub async fn run_on(&self, base_url: &str, args: &[&str]) -> Output {
        let child = self.command_on(base_url, args).spawn().unwrap();
        tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
            .await
            .expect("the binary finished within 120 s")
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

/// `env` as [`CliHome::run`] takes it.
pub fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A path as an argument (the tests' paths are UTF-8).
pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The IDs of a `{"tempFiles":[…]}` envelope printed on stdout.
pub fn printed_ids(stdout: &[u8]) -> Vec<String> {
    printed_temp_files(stdout)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
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
