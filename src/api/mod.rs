//! The Asteroid Agents API, as far as staging needs it: `POST /temp-files/{org}` and
//! `GET /context`. Files are streamed from disk (memory stays flat whatever their size),
//! every answer becomes a typed result, and every error says in plain words what happened
//! and what to do, keeping the server's own text.

mod answer;
mod body;
mod client;
mod error;

use serde::{Deserialize, Serialize};

pub use answer::{
    Renamed, StagedAnswer, canonical_name, confusable_names, match_answer, same_file_name,
};
pub use body::{PROGRESS_INTERVAL, ProgressFn, encode_filename, guess_content_type};
pub use client::{ApiClient, ClientOptions};
pub use error::{ApiError, ReadError, TransportError};

/// A staged file as the API returns it and as the execute call takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TempFile {
    /// The staged file's ID.
    pub id: String,
    /// The name the server stored; the execute call must be given this one.
    pub name: String,
}

/// The `{"tempFiles":[…]}` envelope: the staging answer, and what the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TempFiles {
    /// The staged files, in the order they were sent.
    pub temp_files: Vec<TempFile>,
}

/// An organization the key may stage for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Organization {
    /// Its ID, as the server sent it (checked before use).
    pub id: String,
    /// Its name, cleaned for display.
    #[serde(default)]
    pub name: String,
}

/// Who the key belongs to (`GET /context`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserContext {
    /// The account's user ID.
    #[serde(default)]
    pub user_id: String,
    /// The account's email, cleaned for display.
    #[serde(default)]
    pub email: String,
    /// The organizations the key belongs to.
    #[serde(default)]
    pub organizations: Vec<Organization>,
}

/// Server text kept in messages: enough to recognise it, never a wall of text.
const MAX_SERVER_TEXT_CHARS: usize = 300;

/// Server text made safe to show: control characters replaced, length capped.
pub fn clean_server_text(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.trim().chars().enumerate() {
        if count == MAX_SERVER_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    if out.is_empty() {
        out.push_str("no text");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_made_safe() {
        assert_eq!(clean_server_text("bad\u{1b}[31m\nthing"), "bad [31m thing");
        assert_eq!(clean_server_text(&"x".repeat(10_000)).chars().count(), 301);
        assert_eq!(clean_server_text(""), "no text");
    }
}
