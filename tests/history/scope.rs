//! The history never mixes organizations or servers: an ID is only valid for the
//! organization, and on the server, it was staged for (issue 16.5).

use crate::support;

use support::cli::{CliHome, arg, env_refs, printed_ids, server_env, text};
use support::{ORG, StagingServer};

const ORG_B: &str = "22222222-2222-3333-4444-555555555555";

/// Stages `files` for `org` on `server`; returns the IDs printed.
async fn stage(home: &CliHome, server: &StagingServer, org: &str, files: &[&str]) -> Vec<String> {
    let env = server_env(server);
    let mut args = vec!["stage", "--org", org];
    args.extend_from_slice(files);
    let out = home.run(&args, &env_refs(&env)).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    printed_ids(&out.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_only_the_organization_and_server_it_resolves() {
    let server = StagingServer::start().await;
    let other_server = StagingServer::start().await;
    other_server.number_ids_from(1000);
    // The key belongs to both organizations on both servers (the test server refuses
    // others, as the API does).
    server.add_organization(ORG_B, "Beta");
    other_server.add_organization(ORG_B, "Beta");
    let home = CliHome::new();
    let a = home.seeded_file("a.pdf", 100, 1);
    let b = home.seeded_file("b.pdf", 200, 2);
    let c = home.seeded_file("c.pdf", 300, 3);
    let ids_a = stage(&home, &server, ORG, &[arg(&a)]).await;
    let ids_b = stage(&home, &server, ORG_B, &[arg(&b)]).await;
    let ids_elsewhere = stage(&home, &other_server, ORG_B, &[arg(&c)]).await;
    // Each ID is the one its server issued for those bytes.
    let mut issued = server.issued_ids();
    issued.sort();
    let mut expected = [ids_a.clone(), ids_b.clone()].concat();
    expected.sort();
    assert_eq!(issued, expected);
    assert_eq!(other_server.issued_ids(), ids_elsewhere);
    // And the history on disk knows where each belongs.
    let on_disk = home.history();
    let recorded = |id: &str| on_disk.iter().find(|e| e.id == id).unwrap();
    assert_eq!(recorded(&ids_b[0]).organization_id, ORG_B);
    assert_eq!(
        recorded(&ids_b[0]).server,
        asteroid_stager::endpoint::BaseUrl::parse(&server.base_url)
            .unwrap()
            .to_string()
    );
    assert_ne!(
        recorded(&ids_elsewhere[0]).server,
        recorded(&ids_b[0]).server
    );

    let env = server_env(&server);
    let mut env = env_refs(&env);
    // Under B (from the environment, as `stage` reads it): B's ID on this server, only.
    env.push(("ASTEROID_ORG_ID", ORG_B));
    let out = home.run(&["history", "--json"], &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(printed_ids(&out.stdout), ids_b);
    // --org wins over the environment, as for `stage`.
    let out = home.run(&["history", "--json", "--org", ORG], &env).await;
    assert_eq!(printed_ids(&out.stdout), ids_a);
    // --base-url picks the server.
    let other = other_server.base_url.clone();
    let out = home
        .run(&["history", "--json", "--base-url", &other], &env)
        .await;
    assert_eq!(printed_ids(&out.stdout), ids_elsewhere);
    // The list for a person says what it leaves out.
    let out = home.run(&["history"], &env).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&ids_b[0]) && !stdout.contains(&ids_a[0]),
        "{stdout}"
    );
    assert!(
        text(&out.stderr)
            .contains("2 files staged for other organizations or servers are not listed"),
        "{}",
        text(&out.stderr)
    );

    // --all-orgs: every one of them.
    let out = home.run(&["history", "--json", "--all-orgs"], &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut all = printed_ids(&out.stdout);
    all.sort();
    let mut want = [ids_a.clone(), ids_b.clone(), ids_elsewhere.clone()].concat();
    want.sort();
    assert_eq!(all, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_organization_known_history_lists_everything_under_its_organization() {
    let server = StagingServer::start().await;
    server.add_organization(ORG_B, "Beta");
    let home = CliHome::new();
    let a = home.seeded_file("a.pdf", 100, 1);
    let b = home.seeded_file("b.pdf", 200, 2);
    let ids_a = stage(&home, &server, ORG, &[arg(&a)]).await;
    let ids_b = stage(&home, &server, ORG_B, &[arg(&b)]).await;

    let env = server_env(&server);
    let env = env_refs(&env);
    let out = home.run(&["history"], &env).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("Organization {ORG} on ")),
        "{stdout}"
    );
    assert!(lines[1].starts_with(&ids_a[0]), "{stdout}");
    assert!(
        lines[2].starts_with(&format!("Organization {ORG_B} on ")),
        "{stdout}"
    );
    assert!(lines[3].starts_with(&ids_b[0]), "{stdout}");

    // One envelope is for one execute call: it is never a mix of two organizations.
    let out = home.run(&["history", "--json"], &env).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("--org {ORG}")), "{stderr}");
    assert!(stderr.contains(&format!("--org {ORG_B}")), "{stderr}");
}
