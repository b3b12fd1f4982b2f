//! The command line as an operator or a script uses it: the real binary against a real
//! local server, checking stdout, stderr, the exit status and the files it leaves.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::cli::{CliHome, arg, env_refs, server_env, text};
use support::{Fault, KEY, ORG, StagingServer, write_pattern_file};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_prints_the_temp_files_envelope_in_input_order() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.file("b report.pdf", 5000);
    let b = home.file("a data.csv", 70);
    let env = server_env(&server);
    let out = home
        .run_with_input(&["stage", arg(&a), arg(&b)], &env_refs(&env), None)
        .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));

    let stdout = text(&out.stdout);
    let printed: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let files = printed["tempFiles"].as_array().unwrap();
    let names: Vec<_> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["b report.pdf", "a data.csv"]);
    // Exactly the envelope, nothing else, on stdout.
    assert_eq!(stdout.trim(), serde_json::to_string(&printed).unwrap());
    assert_eq!(printed.as_object().unwrap().len(), 1);
    assert!(text(&out.stderr).contains("Staged b report.pdf"));

    // The organization came from the key, and the IDs are in the history on disk.
    assert_eq!(server.context_calls(), 1);
    let history = home.history();
    let ids: Vec<_> = history.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&files[0]["id"].as_str().unwrap()));
    assert!(ids.contains(&files[1]["id"].as_str().unwrap()));
    assert_eq!(history[0].organization_id, ORG);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_input_exits_2_and_uploads_nothing() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let good = home.file("good.pdf", 10);
    let folder = home.dir.path().join("a folder");
    std::fs::create_dir(&folder).unwrap();
    let env = server_env(&server);
    let env = env_refs(&env);

    let missing = home.dir.path().join("missing.pdf");
    let empty = home.dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["stage", arg(&good), arg(&missing)],
            env.clone(),
            "there is no such file",
        ),
        (
            vec!["stage", arg(&good), arg(&empty)],
            env.clone(),
            "is empty (0 bytes)",
        ),
        (
            vec!["stage", arg(&good), arg(&folder)],
            env.clone(),
            "No files from a folder: nothing in it can be staged",
        ),
        (
            vec!["stage", "--org", "not-an-org", arg(&good)],
            env.clone(),
            "is not an organization ID",
        ),
        (
            vec!["stage", arg(&good)],
            vec![("ASTEROID_BASE_URL", server.base_url.as_str())],
            "No API key",
        ),
        (
            vec!["stage", "--base-url", "http://example.com/v2", arg(&good)],
            env.clone(),
            "must start with https://",
        ),
    ];
    for (args, env, expected) in cases {
        let out = home.run_with_input(&args, &env, None).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_failure_exits_1_and_still_prints_and_records_the_staged() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.file("a.txt", 10);
    let b = home.file("b.txt", 10);
    // The shared request fails, then a.txt alone is refused; b.txt gets through.
    server.push_faults([
        Fault::Status(400, "Invalid file upload request."),
        Fault::Status(400, "Invalid file upload request."),
    ]);
    let mut env = server_env(&server);
    env.push(("ASTEROID_ORG_ID", ORG.to_owned()));
    let out = home
        .run_with_input(&["stage", arg(&a), arg(&b)], &env_refs(&env), None)
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<_> = printed["tempFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 1);
    assert!(stderr.contains("Invalid file upload request."), "{stderr}");
    assert!(stderr.contains("1 of 2 files staged"), "{stderr}");
    assert_eq!(home.history().len(), 1);
    assert_eq!(server.context_calls(), 0, "ASTEROID_ORG_ID was used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_organizations_must_be_chosen() {
    let server = StagingServer::start().await;
    server.set_organizations(&[
        (ORG, "Acme"),
        ("99999999-2222-3333-4444-555555555555", "Other"),
    ]);
    let home = CliHome::new();
    let a = home.file("a.txt", 10);
    let env = server_env(&server);
    let out = home
        .run_with_input(&["stage", arg(&a)], &env_refs(&env), None)
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("--org {ORG}   (Acme)")),
        "{stderr}"
    );
    assert!(
        stderr.contains("99999999-2222-3333-4444-555555555555"),
        "{stderr}"
    );

    let out = home
        .run_with_input(
            &["stage", "--org", &format!(" {{{ORG}}} "), arg(&a)],
            &env_refs(&env),
            None,
        )
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(server.received_parts().len(), 1);
}

/// Asserts that no file under `home` and neither stream holds the key.
fn assert_no_key(home: &Path, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let leaks: Vec<String> = text(bytes)
            .lines()
            .filter(|l| l.contains(KEY))
            .map(str::to_owned)
            .collect();
        assert!(leaks.is_empty(), "{stream} holds the key: {leaks:#?}");
    }
    for entry in walk(home) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !text(&bytes).contains(KEY),
            "{} holds the key",
            entry.display()
        );
    }
}

/// A real staging run (key from the environment, organization from the key, history
/// written) with every log on: the key is in no file the app wrote and in nothing it
/// printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_appears_in_output_or_files() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.file("a.txt", 10);
    let b = home.file("b.bin", 300_000);
    let mut env = server_env(&server);
    env.push(("RUST_LOG", "trace".to_owned()));
    let out = home
        .run_with_input(&["stage", arg(&a), arg(&b)], &env_refs(&env), None)
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // The logs were on (so the check below can fail), and staging went through.
    assert!(stderr.contains("TRACE"), "RUST_LOG=trace took effect");
    assert_eq!(server.context_calls(), 1);
    let recorded = home.history_ids();
    assert_eq!(
        recorded,
        server.issued_ids(),
        "the history holds what was stored"
    );
    assert!(
        walk(home.dir.path()).len() > 2,
        "the app wrote its files in this home"
    );
    assert_no_key(home.dir.path(), &out);

    // The key commands, logging too, on a machine without a keychain.
    for action in ["status", "delete"] {
        let out = home
            .run_with_input(&["key", action], &env_refs(&env), None)
            .await;
        assert_no_key(home.dir.path(), &out);
    }
}

/// A server that repeats the key in its refusal ("Invalid API key: …"): the app shows the
/// refusal without the key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_that_echoes_the_key_is_shown_without_it() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.file("a.txt", 10);
    server.push_faults([Fault::StatusEchoingKey(401)]);
    let mut env = server_env(&server);
    env.push(("RUST_LOG", "trace".to_owned()));
    let out = home
        .run_with_input(&["stage", "--org", ORG, arg(&a)], &env_refs(&env), None)
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("did not accept the API key. Check the key"),
        "{stderr}"
    );
    // The status is in a details line of its own, not in the sentence.
    assert!(stderr.contains("\nDetails: HTTP 401"), "{stderr}");
    assert_eq!(server.requests().len(), 1, "a 401 is not retried");
    assert_no_key(home.dir.path(), &out);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_and_help_are_there() {
    let home = CliHome::new();
    let out = home.run_with_input(&["--version"], &[], None).await;
    assert_eq!(
        text(&out.stdout).trim(),
        format!("asteroid-stager {}", env!("CARGO_PKG_VERSION"))
    );
    let out = home.run_with_input(&["stage", "--help"], &[], None).await;
    assert!(text(&out.stdout).contains("--org <UUID>"));
}

/// The private session bus that scripts/test.sh starts (with gnome-keyring on it), or
/// `None` when this run did not ask for the keychain test. A plain `cargo test` never
/// reaches a keychain: only `REQUIRE_KEYCHAIN_TEST=1` runs it, and then only on the bus
/// the script marked as its own, never a desktop's.
fn private_keychain_bus() -> Option<String> {
    if std::env::var("REQUIRE_KEYCHAIN_TEST").as_deref() != Ok("1") {
        return None;
    }
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .expect("REQUIRE_KEYCHAIN_TEST=1 but there is no D-Bus session");
    let private = std::env::var("ASTEROID_TEST_PRIVATE_BUS").expect(
        "REQUIRE_KEYCHAIN_TEST=1 outside scripts/test.sh: ASTEROID_TEST_PRIVATE_BUS, set inside its private D-Bus session, is missing",
    );
    assert_eq!(
        bus, private,
        "the session bus is not the private one scripts/test.sh started"
    );
    Some(bus)
}

/// The real Secret Service: `key set` stores the key in the keychain (not in a file), a
/// later `stage` uses it, and `key delete` removes it. Runs only inside the private D-Bus
/// session with gnome-keyring that scripts/test.sh starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_set_status_delete_through_the_real_keychain() {
    let Some(bus) = private_keychain_bus() else {
        eprintln!(
            "skipped: the keychain test runs under scripts/test.sh (REQUIRE_KEYCHAIN_TEST=1)"
        );
        return;
    };
    let server = StagingServer::start().await;
    let home = CliHome::new();
    // `localhost`, not 127.0.0.1: its own keychain account, apart from the other tests.
    let base = format!("http://localhost:{}/agents/v2", server.port);
    let env = [
        ("ASTEROID_BASE_URL", base.as_str()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.as_str()),
    ];

    let out = home
        .run_with_input(&["key", "set"], &env, Some(&format!("  {KEY}\n")))
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = home.run_with_input(&["key", "status"], &env, None).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let status = text(&out.stderr);
    assert!(
        status.contains("is stored in your desktop's keychain (GNOME Keyring or KWallet)"),
        "{status}"
    );
    assert!(!status.contains("Secret Service"), "{status}");

    let secret = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "asteroid-stager",
            "username",
            "localhost",
        ])
        .output()
        .unwrap();
    assert_eq!(
        text(&secret.stdout).trim(),
        KEY,
        "trimmed key in the keychain"
    );

    let a = home.file("a.txt", 10);
    let out = home
        .run_with_input(&["stage", "--org", ORG, arg(&a)], &env, None)
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for file in walk(home.dir.path()) {
        assert!(!text(&std::fs::read(&file).unwrap()).contains(KEY));
    }

    let out = home.run_with_input(&["key", "delete"], &env, None).await;
    assert_eq!(out.status.code(), Some(0));
    let out = home.run_with_input(&["key", "status"], &env, None).await;
    assert_eq!(out.status.code(), Some(1));
    let out = home
        .run_with_input(&["stage", "--org", ORG, arg(&a)], &env, None)
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("No API key is stored for localhost"));
}

/// No keychain reachable: every key command says so plainly, and staging still works
/// with the key from the environment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_the_message_is_plain_and_the_environment_key_works() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let nowhere = format!("unix:path={}", home.dir.path().join("no-bus").display());
    let env = [
        ("DBUS_SESSION_BUS_ADDRESS", nowhere.as_str()),
        ("ASTEROID_BASE_URL", server.base_url.as_str()),
    ];
    for action in ["status", "delete"] {
        let out = home.run_with_input(&["key", action], &env, None).await;
        assert_eq!(out.status.code(), Some(1), "key {action}");
        assert!(
            text(&out.stderr).contains("No keychain is available"),
            "{}",
            text(&out.stderr)
        );
        // The library's detail (the D-Bus address, its error chain) is for the log only.
        assert!(
            !text(&out.stderr).contains("no-bus") && !text(&out.stderr).contains("zbus"),
            "{}",
            text(&out.stderr)
        );
    }
    let out = home.run_with_input(&["key", "set"], &env, Some(KEY)).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(!text(&out.stderr).contains(KEY));

    let a = home.file("a.txt", 10);
    let out = home.run_with_input(&["stage", arg(&a)], &env, None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ASTEROID_API_KEY"),
        "{}",
        text(&out.stderr)
    );
    let mut with_key = env.to_vec();
    with_key.push(("ASTEROID_API_KEY", KEY));
    let out = home
        .run_with_input(&["stage", arg(&a)], &with_key, None)
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_tree_is_staged_in_order_without_its_hidden_files() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let tree = home.dir.path().join("Client scans");
    for inside in [
        "2024/b.pdf",
        "2024/a.pdf",
        "cover.txt",
        ".git/config",
        ".DS_Store",
        "2024/._a.pdf",
        "desktop.ini",
    ] {
        let path = tree.join(inside);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_pattern_file(&path, 100);
    }
    let mut env = server_env(&server);
    env.push(("ASTEROID_ORG_ID", ORG.to_owned()));
    let out = home
        .run_with_input(&["stage", arg(&tree)], &env_refs(&env), None)
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("3 files from Client scans; 1 hidden item and 3 system files skipped"),
        "{stderr}"
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<_> = printed["tempFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    // Depth first, each folder sorted by name.
    assert_eq!(names, ["a.pdf", "b.pdf", "cover.txt"]);
    let mut received = server.received_names();
    received.sort();
    assert_eq!(received, ["a.pdf", "b.pdf", "cover.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_what_was_staged_for_people_and_scripts() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.file("a.txt", 10);
    let b = home.file("b.txt", 20);
    let mut env = server_env(&server);
    env.push(("ASTEROID_ORG_ID", ORG.to_owned()));
    let staged = home
        .run_with_input(&["stage", arg(&a), arg(&b)], &env_refs(&env), None)
        .await;
    assert_eq!(staged.status.code(), Some(0), "{}", text(&staged.stderr));

    let out = home.run_with_input(&["history", "--json"], &[], None).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The same envelope `stage` printed: the IDs the server issued, reusable as they are.
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&staged.stdout).unwrap();
    assert_eq!(listed, printed);

    let out = home.run_with_input(&["history"], &[], None).await;
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(
        stdout.contains("expires in 60 min") && stdout.contains("b.txt"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("2 files."),
        "{}",
        text(&out.stderr)
    );

    // Nothing staged yet anywhere: an empty envelope, and a plain word on stderr.
    let empty = CliHome::new();
    let out = empty
        .run_with_input(&["history", "--json"], &[], None)
        .await;
    assert_eq!(text(&out.stdout).trim(), r#"{"tempFiles":[]}"#);
    let out = empty.run_with_input(&["history", "--all"], &[], None).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("No file has been staged"),
        "{}",
        text(&out.stderr)
    );
}
