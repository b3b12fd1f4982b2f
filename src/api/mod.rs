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
        out.push_str(&crate::t!("api-no-text"));
    }
    out
}

/// `text` with every appearance of `key` replaced, also where escapes spell characters of
/// it: JSON's `\/`, `\"`, `\\` and `\u0041` (a server's raw body), and Rust's debug form
/// `\u{41}` (serde_json quotes a refused value that way). A server may echo the key in
/// any of these, and a message built from its bytes must never show it.
pub(crate) fn redact_key(text: &str, key: &str) -> String {
    let key: Vec<char> = key.chars().collect();
    if key.is_empty() {
        return text.to_owned();
    }
    // What stands in a message where the key was: "[your API key]".
    let redacted = crate::t!("api-redacted-key");
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < text.len() {
        if let Some(end) = key_match_end(text, at, &key) {
            out.push_str(&text[copied..at]);
            out.push_str(&redacted);
            copied = end;
            at = end;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where a spelling of `key` that starts at `at` ends, if one does. Each character may be
/// written as itself or escaped; both readings are tried, so a key that holds a backslash
/// is still found.
fn key_match_end(text: &str, at: usize, key: &[char]) -> Option<usize> {
    let Some((&want, rest)) = key.split_first() else {
        return Some(at);
    };
    let tail = &text[at..];
    let first = tail.chars().next()?;
    if first == want
        && let Some(end) = key_match_end(text, at + first.len_utf8(), rest)
    {
        return Some(end);
    }
    if first == '\\'
        && let Some((escaped, len)) = escaped_char(tail)
        && escaped == want
    {
        return key_match_end(text, at + len, rest);
    }
    None
}

/// The character an escape at the start of `s` (which starts with a backslash) spells,
/// and the escape's length.
fn escaped_char(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    match bytes.get(1)? {
        b'/' => Some(('/', 2)),
        b'\\' => Some(('\\', 2)),
        b'"' => Some(('"', 2)),
        b'\'' => Some(('\'', 2)),
        b'u' if bytes.get(2) == Some(&b'{') => {
            let close = s[3..].find('}')? + 3;
            let code = u32::from_str_radix(&s[3..close], 16).ok()?;
            Some((char::from_u32(code)?, close + 1))
        }
        b'u' => {
            let code = u32::from_str_radix(s.get(2..6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&code) {
                // A surrogate pair: `\uD83D\uDE00`.
                let low = s.get(6..12)?;
                let low = u32::from_str_radix(low.strip_prefix("\\u")?, 16).ok()?;
                let joined = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                Some((char::from_u32(joined)?, 12))
            } else {
                Some((char::from_u32(code)?, 6))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_taken_out_in_every_spelling() {
        let key = "sk/live\\x\"1";
        let plain = format!("invalid key: {key}!");
        assert_eq!(redact_key(&plain, key), "invalid key: [your API key]!");
        // JSON escapes, as a raw body carries them.
        let json = r#"{"m":"sk\/live\\x\"1 and \u0073k\u002Flive\u005cx\u00221"}"#;
        assert_eq!(
            redact_key(json, key),
            r#"{"m":"[your API key] and [your API key]"}"#
        );
        // Rust's debug form, as serde_json quotes a refused string.
        let debug = format!("invalid type: string {key:?}, expected a sequence");
        assert_eq!(
            redact_key(&debug, key),
            "invalid type: string \"[your API key]\", expected a sequence"
        );
        assert_eq!(
            redact_key("a \\u{73}k/live\\\\x\\\"1", key),
            "a [your API key]"
        );
        // Text without it is untouched, and a part of it is no match.
        assert_eq!(
            redact_key("sk/live and \\u0073", key),
            "sk/live and \\u0073"
        );
        assert_eq!(redact_key("é sk/livé", "sk"), "é [your API key]/livé");
    }

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
