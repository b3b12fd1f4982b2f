//! The Asteroid Agents API, as far as staging needs it: `POST /temp-files/{org}` and
//! `GET /context`. Files are streamed from disk (memory stays flat whatever their size),
//! every answer becomes a typed result, and every error says in plain words what happened
//! and what to do, keeping the server's own text.

mod answer;
mod body;
mod client;
mod error;

use serde::{Deserialize, Serialize};

pub use answer::{Renamed, StagedAnswer, match_answer, same_file_name};
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

/// The text every "tempFiles JSON" is, in the window and on the command line alike:
/// `{"tempFiles":[{"id":"…","name":"…"},…]}`, compact, files in the order given. Valid JSON
/// on its own and the start of an execute call's body; one function so that the window's
/// copy and `history --json` give byte-identical text for the same files.
pub fn temp_files_json(files: &[TempFile]) -> String {
    let mut out = String::from(r#"{"tempFiles":["#);
    for (i, file) in files.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"id":"#);
        out.push_str(&json_string(&file.id));
        out.push_str(r#","name":"#);
        out.push_str(&json_string(&file.name));
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// `text` as a JSON string, quotes included. Written by serde_json's own escaping (a
/// `Value`'s `Display` cannot fail for a string), so no error path exists to handle.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
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

    /// The hand-built text is what serde writes for the envelope, for names that need
    /// escaping too, and it reads back as the same files.
    #[test]
    fn temp_files_json_is_the_envelope() {
        let files = vec![
            TempFile {
                id: "00000000-0000-4000-8000-000000000001".into(),
                name: "a.txt".into(),
            },
            TempFile {
                id: "2".into(),
                name: "x\"q\\b\u{1b}[31m\n請求書 🧾.pdf\u{7f}".into(),
            },
        ];
        let text = temp_files_json(&files);
        let envelope = TempFiles {
            temp_files: files.clone(),
        };
        assert_eq!(
            text,
            serde_json::to_string(&envelope).expect("serialisable")
        );
        assert!(
            text.starts_with(r#"{"tempFiles":[{"id":"00000000-"#),
            "{text}"
        );
        let back: TempFiles = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back.temp_files, files);
        assert_eq!(temp_files_json(&[]), r#"{"tempFiles":[]}"#);
    }
}
