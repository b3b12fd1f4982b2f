//! A file the operator cannot read is wrong input: `stage` exits 2 and uploads nothing,
//! not even the readable files given with it.
//!
//! Root reads every file whatever its mode, so a file with mode 000 is unreadable only to
//! another user. Run as root (as CI runs the suite), the binary is started as the
//! unprivileged user `nobody` through `setpriv` (util-linux), as scripts/test.sh does for
//! the library's permission tests; run as anyone else, it runs as that user. Either way the
//! file really cannot be read by the process under test: the check is never skipped.
#![cfg(unix)]

use crate::support;

use std::os::unix::fs::PermissionsExt;

use support::cli::{BIN, isolate, output, text};
use support::{KEY, ORG, StagingServer, write_pattern_file};

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and touches no memory.
    unsafe { libc::geteuid() == 0 }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_file_exits_2_and_uploads_nothing() {
    let server = StagingServer::start().await;
    let home = tempfile::tempdir().expect("temp dir");
    // `nobody` keeps its settings and history in this home too.
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777))
        .expect("open the home");
    let good = home.path().join("good.pdf");
    write_pattern_file(&good, 100);
    std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o644)).expect("mode");
    let locked = home.path().join("locked.pdf");
    write_pattern_file(&locked, 100);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("mode");

    let mut cmd = if running_as_root() {
        let mut cmd = tokio::process::Command::new("setpriv");
        cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", BIN]);
        cmd
    } else {
        tokio::process::Command::new(BIN)
    };
    isolate(&mut cmd, home.path());
    cmd.env("ASTEROID_API_KEY", KEY)
        .env("ASTEROID_BASE_URL", &server.base_url)
        .args(["stage", "--org", ORG])
        .arg(&good)
        .arg(&locked);
    let out = output(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("locked.pdf cannot be read: permission denied"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(server.requests().is_empty(), "nothing was sent");
}
