//! Programs the app starts never inherit the API key: the real binary's window, on its own
//! X server (Xvfb), opens the file dialog (Ctrl+O, sent with xdotool). With no desktop
//! portal reachable, rfd starts `zenity`, found on a PATH the test controls: a stand-in that
//! writes its environment into a pipe the test reads, then answers "cancelled".
//!
//! Needs `Xvfb` and `xdotool` (Debian: xvfb, xdotool; .ci/run installs them). Without them
//! the test says so and passes, unless `REQUIRE_DISPLAY_TEST=1` (set by scripts/test.sh),
//! where it fails: the test command never skips it.
#![cfg(target_os = "linux")]

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use support::cli::{BIN, isolate};
use support::{KEY, ORG, StagingServer};

/// Inherited from the app by whatever it starts: proves the record is the environment of
/// the app's own child.
const MARKER: (&str, &str) = ("ASTEROID_TEST_INHERITED", "from-the-app");

fn available(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts Xvfb on a free display; returns it and the display name (":N").
async fn start_x_server() -> (tokio::process::Child, String) {
    let mut xvfb = tokio::process::Command::new("Xvfb")
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
        .kill_on_drop(true)
        .spawn()
        .expect("Xvfb started");
    // Xvfb writes the display number once it accepts clients.
    let mut ready = BufReader::new(xvfb.stdout.take().expect("stdout")).lines();
    let number = tokio::time::timeout(Duration::from_secs(30), ready.next_line())
        .await
        .expect("Xvfb ready in time")
        .expect("Xvfb's output")
        .expect("a display number");
    (xvfb, format!(":{}", number.trim()))
}

/// A `zenity` that writes its environment, then `END`, into the FIFO `$ZENITY_RECORD`,
/// and exits as a cancelled dialog does.
fn write_zenity_stand_in(dir: &Path) {
    let script = dir.join("zenity");
    std::fs::write(
        &script,
        "#!/bin/sh\n{ env; echo END; } > \"$ZENITY_RECORD\"\nexit 1\n",
    )
    .expect("stand-in written");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("mode");
}

fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("a C path");
    // SAFETY: a valid NUL-terminated path; mkfifo touches no other memory.
    let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(made, 0, "mkfifo {}", path.display());
}

/// Runs xdotool on `display`: its output, or what it said went wrong.
async fn xdotool(display: &str, args: &[&str]) -> Result<String, String> {
    let run = tokio::process::Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .unwrap_or_else(|_| panic!("xdotool {args:?} answered in time"))
        .expect("xdotool ran");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!(
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_dialog_the_window_starts_does_not_inherit_the_key() {
    if !(available("Xvfb") && available("xdotool")) {
        assert_ne!(
            std::env::var("REQUIRE_DISPLAY_TEST").as_deref(),
            Ok("1"),
            "REQUIRE_DISPLAY_TEST=1 but Xvfb or xdotool is missing (apt-get install xvfb xdotool)"
        );
        eprintln!("skipped: needs Xvfb and xdotool");
        return;
    }
    let server = StagingServer::start().await;
    let (_xvfb, display) = start_x_server().await;
    let home = tempfile::tempdir().expect("temp dir");
    let shims = home.path().join("bin");
    std::fs::create_dir(&shims).expect("bin folder");
    write_zenity_stand_in(&shims);
    let record = home.path().join("zenity-environment");
    make_fifo(&record);
    // Open before the app starts, read and write, so reading waits for the stand-in
    // instead of meeting the end of a pipe nobody has opened yet.
    let reader = tokio::net::unix::pipe::OpenOptions::new()
        .read_write(true)
        .open_receiver(&record)
        .expect("the FIFO opens");
    let mut lines = BufReader::new(reader).lines();

    let path = format!(
        "{}:{}",
        shims.display(),
        std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_owned())
    );
    let mut app = tokio::process::Command::new(BIN);
    isolate(&mut app, home.path());
    app.env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("PATH", path)
        .env("ZENITY_RECORD", &record)
        .env(MARKER.0, MARKER.1)
        .env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .env("ASTEROID_ORG_ID", ORG)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _app = app.spawn().expect("the window started");

    let window = xdotool(
        &display,
        &[
            "search",
            "--sync",
            "--onlyvisible",
            "--limit",
            "1",
            "--name",
            "^Asteroid Stager$",
        ],
    )
    .await
    .expect("the window appeared");
    // Ctrl+O until the dialog's program starts (the first press may come before the
    // window can take the focus or handles keys).
    let mut environment = Vec::new();
    let mut refused = Vec::new();
    'pressing: for _ in 0..6 {
        let press = ["windowfocus", "--sync", &window, "key", "ctrl+o"];
        if let Err(e) = xdotool(&display, &press).await {
            refused.push(e);
        }
        loop {
            match tokio::time::timeout(Duration::from_secs(5), lines.next_line()).await {
                Err(_) => continue 'pressing,
                Ok(line) => match line.expect("the FIFO reads") {
                    Some(line) if line == "END" => break 'pressing,
                    Some(line) => environment.push(line),
                    None => panic!("the FIFO closed"),
                },
            }
        }
    }
    assert!(
        environment
            .iter()
            .any(|l| *l == format!("{}={}", MARKER.0, MARKER.1)),
        "the file dialog's program (zenity) did not start, or not from the app: \
         {environment:#?}; xdotool: {refused:#?}"
    );
    let leaked: Vec<&String> = environment
        .iter()
        .filter(|l| l.starts_with("ASTEROID_API_KEY=") || l.contains(KEY))
        .collect();
    assert!(
        leaked.is_empty(),
        "the file dialog inherited the key: {leaked:?}"
    );
}
