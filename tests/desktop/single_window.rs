//! One window per user and data folder, with two real processes: the window on a virtual
//! display (Xvfb) staging against a real server on 127.0.0.1, then a second launch with a
//! file ("Open with"): it hands the file over and exits 0, and the open window stages it.

#![cfg(unix)]

use crate::support;
use crate::window_support;
use support::window_process::{self, Killed, start_xvfb};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use asteroid_stager::history::HistoryStore;
use support::StagingServer;

/// The environment both launches share: the same user folders (so the same data folder),
/// the test server, and no `XDG_RUNTIME_DIR` (as under root in CI).
fn launch(home: &Path, display: &str, server: &StagingServer, args: &[&Path]) -> Command {
    window_process::window(home, display, &server.base_url, args)
}

/// The exit status of `child`, or `None` when it was still running after `limit` (then it
/// is killed).
fn wait_at_most(mut child: Killed, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.0.try_wait().expect("wait") {
            return Some(status);
        }
        if std::time::Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn history_names(home: &Path) -> Vec<(String, String, Option<String>)> {
    let path = home.join("data/asteroid-stager/history.sqlite3");
    HistoryStore::open(&path)
        .0
        .entries()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.name, e.id, e.group.map(|g| g.id)))
        .collect()
}

#[test]
fn a_second_launch_hands_its_file_to_the_open_window_and_exits_0() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(StagingServer::start());
    let dir = tempfile::tempdir().expect("dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let first_file = dir.path().join("first.txt");
    std::fs::write(&first_file, b"staged by the window itself").expect("file");
    let second_file: PathBuf = dir.path().join("sent to.txt");
    std::fs::write(&second_file, b"handed over by a second launch").expect("file");

    let (_xvfb, display) = start_xvfb();
    let window = launch(&home, &display, &server, &[&first_file])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the window starts");
    let mut window = Killed(window);
    // The window is up (and listening) once it has staged its own file.
    runtime.block_on(server.wait_for(
        "the window to stage its file",
        Duration::from_secs(60),
        |_| server.stored_names().contains(&"first.txt".to_owned()),
    ));

    // The second launch, as "Open with" does it: from another folder, a relative path.
    let second = launch(&home, &display, &server, &[Path::new("sent to.txt")])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the second launch starts");
    // It ends by itself (a second window would stay open until closed): bounded, so a
    // regression fails instead of hanging.
    let status = wait_at_most(Killed(second), Duration::from_secs(30));
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "the second launch exits 0"
    );
    assert!(
        window.0.try_wait().expect("window state").is_none(),
        "the first window is still open"
    );

    // The open window stages the handed-over file: the server stored it once, and the
    // window's history on disk has it under the ID the server issued, in a group of its own.
    let sha = support::sha256_hex(b"handed over by a second launch");
    runtime.block_on(
        server.wait_for("the handed-over file", Duration::from_secs(60), |_| {
            server.ledger().iter().any(|e| e.sha256 == sha)
        }),
    );
    let issued: Vec<_> = server
        .ledger()
        .into_iter()
        .filter(|e| e.sha256 == sha)
        .collect();
    assert_eq!(issued.len(), 1, "{issued:#?}");
    let mut history = Vec::new();
    for _ in 0..600 {
        history = history_names(&home);
        if history.len() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let first = history.iter().find(|(name, ..)| name == "first.txt");
    let handed = history.iter().find(|(name, ..)| name == "sent to.txt");
    let (Some(first), Some(handed)) = (first, handed) else {
        panic!("both files in the window's history: {history:?}");
    };
    assert_eq!(handed.1, issued[0].id);
    assert_ne!(
        handed.2, first.2,
        "the handed-over file is a group of its own"
    );
    assert!(window.0.try_wait().expect("window state").is_none());
}

/// The window side of a hand-over, driven headlessly: the files arrive as a group of
/// their own, are staged, and the window asks to come to the front.
#[test]
fn a_handed_over_file_is_staged_as_a_new_group_and_the_window_comes_forward() {
    use asteroid_stager::single_window::{Launch, Rendezvous};
    use egui_kittest::kittest::Queryable;
    use window_support::{World, viewport_commands, wait_for, wait_ready, wait_until};

    let world = World::with_good_key();
    let runtime_dir = world.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime_dir).expect("runtime dir");
    let data_dir = world.dir.path().join("app/data");
    let rendezvous = Rendezvous::for_data_dir(&data_dir, Some(&runtime_dir)).expect("place");
    let Launch::OpenWindow(claim) = rendezvous.launch(&[]).expect("first launch") else {
        panic!("no window runs yet");
    };
    let mut env = world.environment(vec![world.file("opened.txt", b"opened first")]);
    env.other_launches = Some(claim);
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| asteroid_stager::ui::StagerApp::new(&cc.egui_ctx, env));
    wait_ready(&mut harness);
    wait_for(&mut harness, "Copy the ID of opened.txt");

    let sent = world.file("sent.txt", b"sent by a second launch");
    let second = Rendezvous::for_data_dir(&data_dir, Some(&runtime_dir)).expect("place");
    assert!(matches!(second.launch(&[sent]), Ok(Launch::HandedOver)));
    let mut raised = false;
    wait_until(&mut harness, "the handed-over file to be staged", |h| {
        raised |= viewport_commands(h).contains(&egui::ViewportCommand::Focus);
        h.query_by_label("Copy the ID of sent.txt").is_some()
    });
    assert!(raised, "the window asked to come to the front");
    // Two groups now: the file from the first launch and the one handed over.
    let groups = harness
        .query_all_by_label_contains("Copy tempFiles JSON of Opened with Asteroid Stager")
        .count();
    assert_eq!(groups, 2);
    assert_eq!(world.server.stored_names(), ["opened.txt", "sent.txt"]);
}
