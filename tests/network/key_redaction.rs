//! The API key never appears in what the app prints, whatever a server answers: its
//! bytes reach the operator only through one redaction, which knows the key's plain and
//! escaped spellings (JSON `\u0074…`, a parser's quoted form). Checked with every log on.

use crate::support;

use support::cli::{CliHome, arg, env_refs, server_env, text};
use support::{Fault, KEY, ORG, StagingServer};

/// The key with every character written as a JSON `\uXXXX` escape.
fn escaped_key() -> String {
    KEY.chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect()
}

/// Neither stream holds the key, plain or escaped.
fn assert_no_key(what: &str, out: &std::process::Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let printed = text(bytes);
        assert!(
            !printed.contains(KEY) && !printed.contains(&escaped_key()),
            "{what}: {stream} holds the key:\n{printed}"
        );
    }
}

fn traced(server: &StagingServer) -> Vec<(&'static str, String)> {
    let mut env = server_env(server);
    env.push(("RUST_LOG", "trace".to_owned()));
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staging_answer_that_holds_the_key_is_shown_without_it() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("a.txt", 100);
    let env = traced(&server);
    let bodies = [
        // serde_json quotes the refused value: `invalid type: string "<key>"`.
        format!(r#"{{"tempFiles":"{KEY}"}}"#),
        format!(r#"{{"tempFiles":"{}"}}"#, escaped_key()),
    ];
    for body in bodies {
        server.push_faults([Fault::Body200(body.clone())]);
        let out = home
            .run(&["stage", "--org", ORG, arg(&file)], &env_refs(&env))
            .await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{body}: {stderr}");
        assert!(stderr.contains("TRACE"), "the logs were on");
        assert!(
            stderr.contains("[your API key]"),
            "the message still says what came back: {stderr}"
        );
        assert_no_key(&body, &out);
    }
    // A refusal whose raw text holds the key escaped.
    let refusal: &'static str =
        Box::leak(format!(r#"{{"error":"bad key {}"}}"#, escaped_key()).into_boxed_str());
    server.push_faults([Fault::Status(400, refusal)]);
    let out = home
        .run(&["stage", "--org", ORG, arg(&file)], &env_refs(&env))
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("bad key [your API key]"));
    assert_no_key("a 400 echoing the key escaped", &out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_answer_that_holds_the_key_is_shown_without_it() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.file("a.txt", 100);
    let env = traced(&server);
    for body in [
        format!(r#"{{"organizations":"{KEY}"}}"#),
        format!(r#"{{"organizations":"{}"}}"#, escaped_key()),
    ] {
        server.set_context_body(Some(body.clone()));
        let out = home.run(&["stage", arg(&file)], &env_refs(&env)).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{body}: {stderr}");
        assert!(stderr.contains("[your API key]"), "{body}: {stderr}");
        assert_no_key(&body, &out);
    }
    assert!(server.ledger().is_empty());
}
