//! Smaller truths of issue 16.9: names with control characters are shown escaped (and sent
//! as they are); a folder linked inside a tree stages each file once.

use crate::support;

use support::cli::{CliHome, arg, env_refs, printed_ids, server_env, text};
use support::{ORG, StagingServer, seeded_bytes, sha256_hex};

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_terminal_escapes_is_shown_escaped_and_sent_as_it_is() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let name = "\u{1b}[2J\u{1b}]0;pwned\u{7}red.pdf";
    let file = home.seeded_file(name, 100, 1);
    let env = server_env(&server);
    let mut env = env_refs(&env);
    env.push(("ASTEROID_ORG_ID", ORG));
    let out = home.run(&["stage", arg(&file)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let escaped = "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}red.pdf";
    assert!(stderr.contains(&format!("Staged {escaped} → ")), "{stderr}");
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "{stderr}"
    );
    // stdout is JSON: the name in it is JSON-escaped, never raw.
    assert!(!out.stdout.contains(&0x1b), "{}", text(&out.stdout));
    let ids = printed_ids(&out.stdout);
    // What the server got was never the escaped form shown (the client's own encoding of
    // control characters in a multipart header is the client's business), the history keeps
    // the name the server stored, and the ID is for those bytes.
    let ledger = server.ledger();
    assert_eq!(ledger.len(), 1);
    assert!(!ledger[0].name.contains("\\u{"), "{}", ledger[0].name);
    assert!(ledger[0].name.ends_with("red.pdf"), "{}", ledger[0].name);
    assert_eq!(home.history()[0].name, ledger[0].name);
    assert_eq!(ledger[0].id, ids[0]);
    assert_eq!(ledger[0].sha256, sha256_hex(&seeded_bytes(100, 1)));

    // The list for a person escapes it too.
    let out = home.run(&["history"], &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(escaped), "{stdout}");
    assert!(!out.stdout.contains(&0x1b), "{stdout}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_linked_inside_the_tree_stages_each_file_once() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let a = home.seeded_file("Work/scans/a.pdf", 100, 1);
    let b = home.seeded_file("Work/scans/b.pdf", 200, 2);
    let c = home.seeded_file("Work/c.pdf", 300, 3);
    let root = c.parent().unwrap().to_path_buf();
    std::os::unix::fs::symlink("scans", root.join("Inbox")).unwrap();
    let env = server_env(&server);
    let mut env = env_refs(&env);
    env.push(("ASTEROID_ORG_ID", ORG));
    let out = home.run(&["stage", arg(&root)], &env).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("3 files from Work; 2 files found twice through links skipped"),
        "{stderr}"
    );
    // The server stored each file's bytes once.
    let mut stored: Vec<(String, u64)> = server
        .ledger()
        .into_iter()
        .map(|e| (e.sha256, e.size))
        .collect();
    stored.sort();
    let mut want: Vec<(String, u64)> = [(100, 1), (200, 2), (300, 3)]
        .into_iter()
        .map(|(size, seed)| (sha256_hex(&seeded_bytes(size, seed)), size as u64))
        .collect();
    want.sort();
    assert_eq!(stored, want);
    assert_eq!(printed_ids(&out.stdout).len(), 3);
    assert_eq!(home.history().len(), 3);
    let _ = (a, b);
}
