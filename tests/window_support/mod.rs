//! For the window tests: a small staging server on 127.0.0.1 (multipart parsed the way a
//! real server does, faults on demand), dropped files, and a harness that drives the real
//! app headlessly until what the test waits for appears.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::api::ClientOptions;
use asteroid_stager::connection::Overrides;
use asteroid_stager::key_store::{ApiKeyStore, MemoryKeyStore};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::ui::{AppEnvironment, StagerApp};
use asteroid_stager::upload_queue::QueueOptions;

pub const ORG_ID: &str = "11111111-2222-3333-4444-555555555555";
pub const GOOD_KEY: &str = "sk-test-GOOD";

/// What the server does with the next staging request.
#[derive(Debug, Clone)]
pub enum Fault {
    Status(u16, &'static str),
    /// Waits this long before answering (for cancelling mid-upload).
    Hold(Duration),
}

#[derive(Default)]
struct ServerState {
    faults: VecDeque<Fault>,
    /// File names received in requests that were answered 200, in order.
    staged_names: Vec<String>,
    /// File names of every request, answered or not.
    received_names: Vec<String>,
    next_id: u64,
    /// Organizations `GET /context` lists beyond the default one.
    extra_organizations: Vec<(String, String)>,
}

#[derive(Clone)]
pub struct TestServer {
    pub base_url: String,
    state: Arc<Mutex<ServerState>>,
}

impl TestServer {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(ServerState::default()));
        let app = Router::new()
            .route("/agents/v2/context", get(context))
            .route("/agents/v2/temp-files/{org}", post(stage))
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{address}/agents/v2"),
            state,
        }
    }

    pub fn push_fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    pub fn add_organization(&self, id: &str, name: &str) {
        self.lock()
            .extra_organizations
            .push((id.to_owned(), name.to_owned()));
    }

    pub fn staged_names(&self) -> Vec<String> {
        self.lock().staged_names.clone()
    }

    pub fn received_names(&self) -> Vec<String> {
        self.lock().received_names.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ServerState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn key_is_good(headers: &HeaderMap) -> bool {
    headers
        .get("X-Asteroid-Agents-Api-Key")
        .is_some_and(|v| v.as_bytes() == GOOD_KEY.as_bytes())
}

async fn context(State(state): State<Arc<Mutex<ServerState>>>, headers: HeaderMap) -> Response {
    if !key_is_good(&headers) {
        return (StatusCode::UNAUTHORIZED, "Invalid API key.").into_response();
    }
    let mut organizations = vec![serde_json::json!({"id": ORG_ID, "name": "Acme Research"})];
    let extra = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extra_organizations
        .clone();
    for (id, name) in extra {
        organizations.push(serde_json::json!({"id": id, "name": name}));
    }
    axum::Json(serde_json::json!({
        "userId": "u-1",
        "email": "operator@example.com",
        "organizations": organizations
    }))
    .into_response()
}

async fn stage(
    State(state): State<Arc<Mutex<ServerState>>>,
    UrlPath(_org): UrlPath<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if !key_is_good(&headers) {
        return (StatusCode::UNAUTHORIZED, "Invalid API key.").into_response();
    }
    let mut names = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) => {
                let name = field.file_name().unwrap_or_default().to_owned();
                while let Ok(Some(_chunk)) = field.chunk().await {}
                names.push(name);
            }
            Ok(None) => break,
            Err(_) => {
                return (StatusCode::BAD_REQUEST, "Invalid file upload request.").into_response();
            }
        }
    }
    let fault = {
        let mut s = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.received_names.extend(names.iter().cloned());
        s.faults.pop_front()
    };
    match fault {
        Some(Fault::Status(code, text)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, text).into_response();
        }
        Some(Fault::Hold(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let mut s = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut files = Vec::new();
    for name in names {
        s.next_id += 1;
        files.push(serde_json::json!({
            "id": format!("00000000-0000-4000-8000-{:012}", s.next_id),
            "name": name,
        }));
        s.staged_names.push(name);
    }
    axum::Json(serde_json::json!({ "tempFiles": files })).into_response()
}

/// A file "dropped" on the window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// One test's world: a runtime, a server, a key store and folders.
pub struct World {
    pub runtime: tokio::runtime::Runtime,
    pub server: TestServer,
    pub store: Arc<MemoryKeyStore>,
    pub dir: tempfile::TempDir,
}

impl World {
    pub fn new(store: MemoryKeyStore) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(TestServer::start());
        Self {
            runtime,
            server,
            store: Arc::new(store),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn with_good_key() -> Self {
        let key = asteroid_stager::key_store::ApiKey::new(GOOD_KEY).expect("key");
        Self::new(MemoryKeyStore::with_key(key))
    }

    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.dir.path().join("files").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("files dir");
        std::fs::write(&path, content).expect("write file");
        path
    }

    pub fn environment(&self, initial_files: Vec<PathBuf>) -> AppEnvironment {
        let store: Arc<dyn ApiKeyStore> = self.store.clone();
        AppEnvironment {
            runtime: self.runtime.handle().clone(),
            key_store: Arc::new(move |_| store.clone()),
            paths: AppPaths::in_dir(self.dir.path().join("app")),
            overrides: Overrides {
                api_key: None,
                base_url: Some(self.server.base_url.clone()),
                organization: None,
            },
            initial_files,
            queue_options: QueueOptions {
                backoff: Duration::from_millis(10),
                max_backoff: Duration::from_millis(20),
                ..QueueOptions::default()
            },
            client_options: ClientOptions::default(),
        }
    }

    pub fn harness(&self, initial_files: Vec<PathBuf>) -> Harness<'static, StagerApp> {
        let env = self.environment(initial_files);
        Harness::builder()
            .with_size([1000.0, 760.0])
            .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env))
    }
}

/// Steps the app until `label` is on screen, or fails after `within`.
#[track_caller]
pub fn wait_for(harness: &mut Harness<'_, StagerApp>, label: &str) {
    wait_until(harness, &format!("a widget labelled {label:?}"), |h| {
        h.query_all_by_label(label).next().is_some()
    });
}

/// Steps the app until some label contains `text`.
#[track_caller]
pub fn wait_for_text(harness: &mut Harness<'_, StagerApp>, text: &str) {
    wait_until(harness, &format!("text containing {text:?}"), |h| {
        h.query_all_by_label_contains(text).next().is_some()
    });
}

#[track_caller]
pub fn wait_until(
    harness: &mut Harness<'_, StagerApp>,
    what: &str,
    mut done: impl FnMut(&Harness<'_, StagerApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        harness.step();
        if done(harness) {
            // The widgets a screen reader needs to name, named: checked on every screen we reach.
            harness.check_accessibility();
            return;
        }
        if Instant::now() >= deadline {
            let shown: Vec<String> = harness
                .root()
                .children_recursive()
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            panic!("timed out waiting for {what}; on screen: {shown:#?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Every text the app asked to put on the clipboard in the last frame.
pub fn copied_texts(harness: &Harness<'_, StagerApp>) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}
