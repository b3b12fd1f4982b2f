//! A proxy that is not there: the server is unreachable, and the sentence says it is the
//! proxy. Alone in its own test binary, since it sets `HTTPS_PROXY` in this process for
//! the client it builds (reqwest reads the proxy from the environment).

use std::time::Duration;

use asteroid_stager::api::{ApiClient, ClientOptions};
use asteroid_stager::endpoint::BaseUrl;
use asteroid_stager::key_store::ApiKey;

const KEY: &str = "test-key-0123456789";
const OFFICE_BASE: &str = "https://stager.test/agents/v2";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_is_not_there_is_unreachable_and_said_so() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let proxy = reqwest_proxy_client(&format!("http://127.0.0.1:{port}"));
    let error = proxy.context().await.unwrap_err();
    assert!(error.is_unreachable(), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("The proxy server could not be reached"),
        "{error}"
    );
}

/// A client for [`OFFICE_BASE`] whose proxy is `proxy`, set the way operators set it.
fn reqwest_proxy_client(proxy: &str) -> ApiClient {
    let client_for = |base: &str| {
        ApiClient::new(
            BaseUrl::parse(base).unwrap(),
            &ApiKey::new(KEY).unwrap(),
            ClientOptions {
                connect_timeout: Duration::from_secs(10),
                ..ClientOptions::default()
            },
        )
        .unwrap()
    };
    // SAFETY: the only test of this binary, and nothing else runs while it sets it.
    unsafe { std::env::set_var("HTTPS_PROXY", proxy) };
    let client = client_for(OFFICE_BASE);
    // SAFETY: as above.
    unsafe { std::env::remove_var("HTTPS_PROXY") };
    client
}
