//! How servers read the `filename` of a part, and how some of them change it.
//!
//! - multer (the parser under axum's `Multipart`, common for Rust servers): finds the
//!   closing quote, skipping any quote preceded by a backslash; keeps backslashes as they
//!   came except in `\"`. A name whose header ends in `\\"` has no closing quote for it,
//!   so it reads no name at all.
//! - busboy 1.x (under Express/multer, common for Node servers): reads the quoted string
//!   properly (`\x` → `x`), then keeps only what follows the last `\` or `/` (unless the
//!   server asked to preserve paths), and `.` or `..` become empty.
//! - RFC 7578 / RFC 9110 quoted-string: a backslash escapes the next character.

use unicode_normalization::UnicodeNormalization;

/// Which parser's reading of a file name the server stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerFlavor {
    /// multer's `Field::file_name()`, as an axum server reads it (a missing name is
    /// stored as empty, the common `unwrap_or_default()`).
    #[default]
    Multer,
    /// busboy: quoted-string unescaped, then the name after the last `\` or `/`.
    Busboy,
    /// The careful RFC reading, with nothing stripped.
    Rfc7578,
}

/// What a server does to a name once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Normalize {
    #[default]
    AsRead,
    /// Unicode NFC.
    Nfc,
    /// `%XX` decoded (an invalid UTF-8 result stays as read).
    PercentDecoded,
}

impl Normalize {
    pub fn apply(self, name: &str) -> String {
        match self {
            Normalize::AsRead => name.to_owned(),
            Normalize::Nfc => nfc(name),
            Normalize::PercentDecoded => percent_decoded(name),
        }
    }
}

/// The `filename` parameter as a careful server reads it (RFC 7578 / RFC 9110
/// quoted-string: a backslash escapes the next character).
pub fn quoted_filename(disposition: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(disposition).ok()?;
    let start = text.find("; filename=\"")? + "; filename=\"".len();
    let mut out = String::new();
    let mut chars = text[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// busboy 1.x: the quoted-string read as the RFC says, then the name after the last `\`
/// or `/` (its `basename`), `.` and `..` made empty.
pub fn busboy_file_name(disposition: &[u8]) -> Option<String> {
    quoted_filename(disposition).map(|n| after_last_separator(&n))
}

pub fn after_last_separator(name: &str) -> String {
    let base = match name.rfind(['\\', '/']) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    if base == "." || base == ".." {
        String::new()
    } else {
        base.to_owned()
    }
}

pub fn nfc(name: &str) -> String {
    name.nfc().collect()
}

pub fn percent_decoded(name: &str) -> String {
    percent_encoding::percent_decode_str(name)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| name.to_owned())
}
