//! The real binary as a window on its own virtual display (Xvfb), with the user folders in
//! a temporary home, no `XDG_RUNTIME_DIR` (as under root in CI) and the test server: for
//! tests that need a real process (killed, started again). As in `tests/single_window.rs`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{KEY, NO_DBUS, ORG};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");

/// A process killed (SIGKILL) when the test ends, however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Xvfb on a display number it picks itself (`-displayfd`), so tests never collide.
pub fn start_xvfb() -> (Killed, String) {
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1024x768x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb runs (package xvfb)");
    let mut line = String::new();
    let stdout = xvfb.stdout.take().expect("Xvfb's stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("Xvfb says its display");
    let display = format!(":{}", line.trim());
    assert!(display.len() > 1, "Xvfb gave no display number");
    (Killed(xvfb), display)
}

/// The window's command: the home's user folders, the display, the server at `base_url`.
pub fn window(home: &Path, display: &str, base_url: &str, args: &[&Path]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("RUST_LOG")
        .env("DISPLAY", display)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
        .env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", base_url)
        .env("ASTEROID_ORG_ID", ORG)
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdin(Stdio::null());
    cmd
}

/// Where the window of `home` keeps its history.
pub fn history_file(home: &Path) -> PathBuf {
    home.join("data/asteroid-stager/history.sqlite3")
}
