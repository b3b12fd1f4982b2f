//! A server that cannot be reached at all is waited for: `stage` without a preset
//! organization asks `GET /context` first, and while nothing answers it says on stderr
//! that it is waiting and tries again, then goes on once the server is up.

use crate::support;

use tokio::io::{AsyncBufReadExt, BufReader};

use support::cli::{CliHome, RUN_LIMIT, arg};
use support::{KEY, ServerOptions, StagingServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_waits_for_a_server_that_starts_late() {
    let home = CliHome::new();
    let file = home.file("a.txt", 5_000);
    // A port where nothing listens yet.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}/agents/v2");
    let mut child = home
        .command(
            &["stage", arg(&file)],
            &[("ASTEROID_API_KEY", KEY), ("ASTEROID_BASE_URL", &base)],
        )
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = Vec::new();
    // Until it says it is waiting (or ends without saying so).
    let waiting = tokio::time::timeout(RUN_LIMIT, async {
        while let Some(line) = stderr.next_line().await.unwrap() {
            said.push(line.clone());
            if line.starts_with("Waiting for the network") {
                return true;
            }
        }
        false
    })
    .await
    .expect("stage said something in time");
    assert!(waiting, "stage did not wait for the network: {said:#?}");
    assert!(
        said.last().unwrap().starts_with(&format!(
            "Waiting for the network (nothing answered at 127.0.0.1:{port})… trying again in 1 s."
        )),
        "{said:#?}"
    );

    let server = StagingServer::start_on_port(port, ServerOptions::default()).await;
    let rest = tokio::spawn(async move {
        while let Some(line) = stderr.next_line().await.unwrap() {
            said.push(line);
        }
        said
    });
    let out = tokio::time::timeout(RUN_LIMIT, child.wait_with_output())
        .await
        .expect("stage finished in time once the server was up")
        .unwrap();
    let said = rest.await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{said:#?}");
    assert_eq!(server.context_calls(), 1, "asked once it was up");
    let ledger = server.ledger();
    assert_eq!(ledger.len(), 1);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["tempFiles"][0]["id"], ledger[0].id.as_str());
}
