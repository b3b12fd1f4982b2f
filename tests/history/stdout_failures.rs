//! `stage` and `history --json` exit 1 when their JSON could not be written (a full disk,
//! a reader that went away), and say on stderr where the IDs are (issue 16.6).

use crate::support;

use support::cli::{CliHome, Stdout, arg, env_refs, printed_ids, server_env, text};
use support::{ORG, StagingServer};

fn says_where_the_ids_are(stderr: &str) {
    assert!(
        stderr.contains("The IDs could not be written to the output"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "They are kept in the history: `asteroid-stager history --json` prints them."
        ),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_exits_1_when_its_json_cannot_be_written() {
    let server = StagingServer::start().await;
    for (stdout, why) in [
        (Stdout::DiskFull, "the disk is full"),
        (Stdout::ClosedPipe, "the program reading it had stopped"),
    ] {
        let home = CliHome::new();
        let file = home.seeded_file("report.pdf", 1000, 7);
        let env = server_env(&server);
        let out = home
            .run_to(
                &["stage", "--org", ORG, arg(&file)],
                &env_refs(&env),
                stdout,
            )
            .await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        says_where_the_ids_are(&stderr);
        assert!(stderr.contains(why), "{stderr}");
        // It was staged, and the history holds the ID the server issued for it.
        let recorded: Vec<String> = home.history().into_iter().map(|e| e.id).collect();
        let issued = server.ledger();
        let issued = issued.last().unwrap();
        assert_eq!(recorded, std::slice::from_ref(&issued.id));
        assert_eq!(issued.name, "report.pdf");

        // And `history --json` does print them, to a stdout that works.
        let mut env = env_refs(&env);
        env.push(("ASTEROID_ORG_ID", ORG));
        let listed = home.run(&["history", "--json"], &env).await;
        assert_eq!(printed_ids(&listed.stdout), recorded);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_json_exits_1_when_it_cannot_be_written() {
    let server = StagingServer::start().await;
    let home = CliHome::new();
    let file = home.seeded_file("report.pdf", 1000, 7);
    let env = server_env(&server);
    let mut env = env_refs(&env);
    env.push(("ASTEROID_ORG_ID", ORG));
    let out = home.run(&["stage", arg(&file)], &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for stdout in [Stdout::DiskFull, Stdout::ClosedPipe] {
        let out = home.run_to(&["history", "--json"], &env, stdout).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        says_where_the_ids_are(&stderr);
    }
    // The list for a person on a full disk fails too; cut short by `| head`, it does not.
    let out = home.run_to(&["history"], &env, Stdout::DiskFull).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = home.run_to(&["history"], &env, Stdout::ClosedPipe).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
