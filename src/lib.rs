//! Asteroid Stager: stage files on the Asteroid Agents API and hand back their IDs.
//!
//! The library is the whole product minus its faces. Its core knows nothing of egui: the
//! window (`ui`) and the command line (`cli`) are thin layers that find a key and an
//! organization with [`session::KeyFlow`], send files to the [`upload_queue::UploadQueue`]
//! and fold the [`upload_queue::QueueEvent`]s it sends back into an
//! [`upload_queue::UploadTable`].

#![warn(missing_docs)]

pub mod api;
pub mod atomic_file;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod endpoint;
pub mod folder_scan;
pub mod format;
pub mod history;
pub mod key_store;
pub mod local_file;
pub mod messages;
pub mod paths;
pub mod session;
pub mod settings;
pub mod single_window;
pub mod startup;
pub mod ui;
pub mod upload_queue;

/// Where the Asteroid Agents API lives unless the operator says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://odyssey.asteroid.ai/agents/v2";

/// How long the API keeps a staged file before deleting it.
pub const STAGED_FILE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// The most an execution may upload in all; shown to the operator, not enforced.
pub const EXECUTION_UPLOAD_LIMIT: u64 = 200 * 1000 * 1000;
