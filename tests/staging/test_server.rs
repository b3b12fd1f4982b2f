//! The test server itself: it refuses what the real API refuses, so a client that named
//! its parts wrongly, left out the file name, sent no file or staged for another
//! organization would fail the suite instead of passing it. Raw requests, not the app's
//! client.

use crate::support;

use reqwest::multipart::{Form, Part};

use support::{KEY, ORG, StagingServer};

const OTHER_ORG: &str = "99999999-2222-3333-4444-555555555555";

/// Posts `form` to the staging endpoint for `org` with the test key; the status and text.
async fn post(server: &StagingServer, org: &str, form: Form) -> (u16, String) {
    let answer = reqwest::Client::new()
        .post(format!("{}/temp-files/{org}", server.base_url))
        .header("X-Asteroid-Agents-Api-Key", KEY)
        .multipart(form)
        .send()
        .await
        .expect("the server answered");
    let status = answer.status().as_u16();
    (status, answer.text().await.expect("its text"))
}

fn file(name: &str, bytes: &'static [u8]) -> Part {
    Part::bytes(bytes).file_name(name.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_formed_request_is_stored() {
    let server = StagingServer::start().await;
    let (status, text) = post(&server, ORG, Form::new().part("files", file("a.txt", b"a"))).await;
    assert_eq!(status, 200, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(answer["tempFiles"][0]["name"], "a.txt");
    assert_eq!(server.stored_names(), ["a.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_uploads_are_refused_and_nothing_is_stored() {
    let server = StagingServer::start().await;
    let invalid = (400, "Invalid file upload request.".to_owned());
    // A part named otherwise than `files`, even beside a good one.
    let wrong_name = Form::new()
        .part("files", file("good.txt", b"good"))
        .part("file", file("a.txt", b"a"));
    assert_eq!(post(&server, ORG, wrong_name).await, invalid);
    // A part without a file name.
    let no_filename = Form::new().part("files", Part::bytes(&b"a"[..]));
    assert_eq!(post(&server, ORG, no_filename).await, invalid);
    // No file at all: no part, or only a text field.
    assert_eq!(post(&server, ORG, Form::new()).await, invalid);
    let text_only = Form::new().text("note", "hello");
    assert_eq!(post(&server, ORG, text_only).await, invalid);
    assert!(server.ledger().is_empty(), "{:#?}", server.ledger());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_organization_is_refused_until_the_key_belongs_to_it() {
    let server = StagingServer::start().await;
    let form = || Form::new().part("files", file("a.txt", b"a"));
    assert_eq!(
        post(&server, OTHER_ORG, form()).await,
        (403, "User is not a member of the organization.".to_owned())
    );
    assert!(server.ledger().is_empty());
    server.add_organization(OTHER_ORG, "Other");
    assert_eq!(post(&server, OTHER_ORG, form()).await.0, 200);
    assert_eq!(server.stored_names(), ["a.txt"]);
}
