//! Redirects after an upload, checked against the server's ledger: only 307 and 308 ask
//! for the body again; after a 301, 302 or 303 the files may be stored and sending them
//! again would stage a second copy, so the operator is told instead.

use crate::support;

use support::cli::{CliHome, arg, env_refs, server_env, text};
use support::{Fault, ORG, StagingServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_that_drops_the_body_is_not_followed_by_a_second_upload() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("report.pdf", 20_000);
    let env = server_env(&server);
    for (run, status) in [301u16, 302, 303].into_iter().enumerate() {
        server.push_faults([Fault::StoreThenRedirect(status)]);
        let out = home
            .run(&["stage", "--org", ORG, arg(&file)], &env_refs(&env))
            .await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{status}: {stderr}");
        assert!(
            stderr.contains("It may have stored the files; nothing was sent again")
                && stderr.contains("a retry may stage a second copy"),
            "{status}: {stderr}"
        );
        assert!(
            !stderr.contains("HTTP 30"),
            "no status code in the sentence: {stderr}"
        );
        assert_eq!(
            server.ledger().len(),
            run + 1,
            "{status}: the file was stored exactly once per run"
        );
        assert_eq!(
            server.requests().len(),
            run + 1,
            "{status}: the body was sent once"
        );
        let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(printed["tempFiles"], serde_json::json!([]), "{status}");
    }
    assert!(
        home.history_ids().is_empty(),
        "no ID was recorded: none was answered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_307_after_an_upload_sends_the_body_again_and_stores_it_once() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("report.pdf", 20_000);
    server.push_faults([Fault::RedirectSameHost("/agents/v2/moved/{org}".into())]);
    let env = server_env(&server);
    let out = home
        .run(&["stage", "--org", ORG, arg(&file)], &env_refs(&env))
        .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(server.requests().len(), 2, "sent to the redirect's target");
    let ledger = server.ledger();
    assert_eq!(ledger.len(), 1, "stored once, at the target");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["tempFiles"][0]["id"], ledger[0].id.as_str());
    assert_eq!(home.history_ids(), vec![ledger[0].id.clone()]);
}
