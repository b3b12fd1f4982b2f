//! The window waits for the network while it checks the key and looks up the organization
//! (issue 17.1): a server that starts late is waited for, Retry now tries at once, the
//! stored key is kept, and a file dropped meanwhile is staged once the server answers.

use crate::support;
use crate::window_support;

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use asteroid_stager::key_store::ApiKeyStore;
use asteroid_stager::ui::StagerApp;
use support::ServerOptions;
use window_support::{
    GOOD_KEY, TestServer, World, drop_paths, wait_for, wait_for_text, wait_ready, wait_until,
};

/// The app aimed at `port` on 127.0.0.1, where nothing listens yet. The pauses between
/// tries are long, so that within a test only Retry now can try again.
fn harness_for_late_server(world: &World, port: u16) -> Harness<'static, StagerApp> {
    let mut env = world.environment(vec![]);
    env.overrides.base_url = Some(format!("http://127.0.0.1:{port}/agents/v2"));
    env.queue_options.network_backoff = Duration::from_secs(600);
    env.queue_options.network_max_backoff = Duration::from_secs(600);
    Harness::builder()
        .with_size([1000.0, 760.0])
        .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env))
}

/// When the window will next try to reach the server, while it waits.
fn next_try(harness: &Harness<'_, StagerApp>) -> Option<std::time::Instant> {
    harness
        .state()
        .state()
        .connection
        .network_wait
        .as_ref()
        .map(|w| w.retry_at)
}

#[test]
fn a_server_that_starts_late_is_waited_for_and_a_dropped_file_goes_once_it_answers() {
    let world = World::with_good_key();
    let port = TestServer::free_port();
    let file = world.file("report.txt", b"quarterly numbers");
    let mut harness = harness_for_late_server(&world, port);

    wait_for_text(
        &mut harness,
        &format!("Waiting for the network (nothing answered at 127.0.0.1:{port})… trying again in"),
    );
    assert!(
        harness
            .query_all_by_label_contains("no longer works")
            .next()
            .is_none(),
        "the stored key is not called bad"
    );
    // Dropped while waiting: it waits too.
    drop_paths(&mut harness, std::slice::from_ref(&file));
    wait_for_text(&mut harness, "1 file is waiting");

    // Retry now while the server is still down: a new try at once, then waiting again.
    let first = next_try(&harness).expect("waiting");
    harness.get_by_label("Retry now").click();
    wait_until(&mut harness, "another try that failed", |h| {
        next_try(h).is_some_and(|at| at > first)
    });
    wait_for_text(&mut harness, "Waiting for the network");

    // The server comes up; Retry now reaches it (the next timed try is minutes away).
    let server = world
        .runtime
        .block_on(TestServer::start_on_port(port, ServerOptions::default()));
    harness.get_by_label("Retry now").click();
    wait_ready(&mut harness);
    wait_for(&mut harness, "Copy the ID of report.txt");

    let ledger = server.ledger();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].name, "report.txt");
    assert_eq!(ledger[0].sha256, support::sha256_hex(b"quarterly numbers"));
    assert!(server.context_calls() >= 1);
    // The key stored earlier is still stored.
    assert_eq!(
        world
            .store
            .load()
            .expect("store")
            .map(|k| k.expose().to_owned()),
        Some(GOOD_KEY.to_owned())
    );
}

#[test]
fn a_typed_key_waits_for_the_network_and_is_saved_once_the_server_answers() {
    let world = World::new(asteroid_stager::key_store::MemoryKeyStore::default());
    let port = TestServer::free_port();
    let mut harness = harness_for_late_server(&world, port);
    wait_for(&mut harness, "Check and save key");
    harness.get_by_label("API key").focus();
    harness.get_by_label("API key").type_text(GOOD_KEY);
    harness.step();
    harness.get_by_label("Check and save key").click();
    wait_for_text(
        &mut harness,
        &format!("Waiting for the network (nothing answered at 127.0.0.1:{port})"),
    );
    assert!(
        world.store.load().expect("store").is_none(),
        "not saved unchecked"
    );

    let _server = world
        .runtime
        .block_on(TestServer::start_on_port(port, ServerOptions::default()));
    harness.get_by_label("Retry now").click();
    wait_ready(&mut harness);
    assert_eq!(
        world
            .store
            .load()
            .expect("store")
            .map(|k| k.expose().to_owned()),
        Some(GOOD_KEY.to_owned())
    );
}
