//! Numbers as people read them: sizes, speeds and times left. Shared by the window and
//! the command line, so both say the same thing the same way.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::Duration;

use crate::history::{AddedBy, GroupSource};
use crate::t;

/// A file name (or path) as it may be shown on a terminal or in the window: control
/// characters (an ESC that would start a terminal sequence, a newline that would fake a
/// second line, a bell…) and the invisible marks that reorder text (bidi overrides, which
/// can make `exe.pdf` read as `fdp.exe`) are written as escapes like `\u{1b}`, `\n`.
/// Everything else, any script or emoji, is shown as it is. Only for showing: the name
/// sent to the server and the one kept in the history are never changed.
pub fn display_name(name: &str) -> Cow<'_, str> {
    if !name.chars().any(needs_escape) {
        return Cow::Borrowed(name);
    }
    let mut shown = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// Control characters, and the format characters that change the order or the direction
/// of what follows them.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The label of a group of staged files, from what it was made from: "Scans folder",
/// "3 files dropped", "Chosen: report.pdf". `from_folder` says whether any of its files
/// came from inside a folder (their paths say so), which the stored source does not know.
/// Worded here, when drawn, so both faces say it alike, in the operator's language.
pub fn group_label(source: &GroupSource, from_folder: bool) -> String {
    let (how, items, name) = match source {
        GroupSource::Labelled(label) => return display_name(label).into_owned(),
        GroupSource::Added { how, items, name } => (*how, *items, name.as_deref()),
    };
    if let (1, Some(name)) = (items, name) {
        let name = display_name(name);
        let name = name.as_ref();
        if from_folder {
            return t!("format-group-folder", name = name);
        }
        let how = match how {
            AddedBy::Dropped => t!("format-group-dropped-one"),
            AddedBy::Picked => t!("format-group-chosen-one"),
            AddedBy::Pasted => t!("format-group-pasted-one"),
            AddedBy::CommandLine => t!("format-group-command-line-one"),
            AddedBy::OpenedWith => t!("format-group-opened-with-one"),
        };
        return t!("format-group-one", how = how, name = name);
    }
    let what = if from_folder {
        t!("format-count-files-and-folders", count = items as usize)
    } else {
        t!("count-files", count = items as usize)
    };
    let how = match how {
        AddedBy::Dropped => t!("format-group-dropped"),
        AddedBy::Picked => t!("format-group-chosen"),
        AddedBy::Pasted => t!("format-group-pasted"),
        AddedBy::CommandLine => t!("format-group-command-line"),
        AddedBy::OpenedWith => t!("format-group-opened-with"),
    };
    t!("format-group-many", what = what, how = how)
}

/// Two sentences one after the other: a space between them, none in Japanese.
pub fn sentences(first: &str, second: &str) -> String {
    t!("format-sentences", first = first, second = second)
}

/// Sizes as people read them: 1.5 MB, 320 KB (decimal units, as file managers show).
pub fn human_bytes(bytes: u64) -> String {
    // Bytes, then kilobytes to terabytes ([`unit_name`]).
    const LARGEST_UNIT: usize = 4;
    if bytes < 1000 {
        return t!("format-bytes", count = bytes);
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < LARGEST_UNIT {
        value /= 1000.0;
        unit += 1;
    }
    let value = format!("{value:.1}").replace('.', &t!("format-decimal-separator"));
    format!("{value} {}", unit_name(unit))
}

/// The name of the `index`th of [`human_bytes`]' units (kilobytes up), as the operator's
/// language writes it ("MB", "Mo").
fn unit_name(index: usize) -> String {
    match index {
        1 => t!("format-unit-kb"),
        2 => t!("format-unit-mb"),
        3 => t!("format-unit-gb"),
        _ => t!("format-unit-tb"),
    }
}

/// "60 minutes": how long a staged file lives, as said to the operator.
pub fn lifetime() -> String {
    let minutes = crate::STAGED_FILE_LIFETIME.as_secs() / 60;
    t!("format-minutes", count = minutes)
}

/// "200 MB": the most an execution may upload, as said to the operator.
pub fn execution_limit() -> String {
    let limit = crate::EXECUTION_UPLOAD_LIMIT;
    if limit.is_multiple_of(1_000_000) {
        format!("{} {}", limit / 1_000_000, unit_name(2))
    } else {
        human_bytes(limit)
    }
}

/// "10:42" today, "Nov 28, 10:42" another day: when something happened, in local time.
pub fn when(at: std::time::SystemTime, now: std::time::SystemTime) -> String {
    let at: chrono::DateTime<chrono::Local> = at.into();
    let now: chrono::DateTime<chrono::Local> = now.into();
    if at.date_naive() == now.date_naive() {
        at.format("%H:%M").to_string()
    } else {
        use chrono::Datelike;
        let month = match at.month() {
            1 => t!("format-month-jan"),
            2 => t!("format-month-feb"),
            3 => t!("format-month-mar"),
            4 => t!("format-month-apr"),
            5 => t!("format-month-may"),
            6 => t!("format-month-jun"),
            7 => t!("format-month-jul"),
            8 => t!("format-month-aug"),
            9 => t!("format-month-sep"),
            10 => t!("format-month-oct"),
            11 => t!("format-month-nov"),
            _ => t!("format-month-dec"),
        };
        t!(
            "format-date-time",
            month = month,
            day = at.day(),
            time = at.format("%H:%M").to_string()
        )
    }
}

/// "3 files", "1 file", in English only.
///
/// Deprecated: word counts with a Fluent plural in the catalogue instead
/// (`t!("count-files", count = n)`); kept until every caller has moved.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "2.4 MB/s"; empty before anything was measured.
pub fn speed(bytes_per_second: f64) -> String {
    if bytes_per_second <= 0.0 || !bytes_per_second.is_finite() {
        return String::new();
    }
    format!("{}/s", human_bytes(bytes_per_second as u64))
}

/// "about 3 min left", "12 s left": coarse on purpose, an estimate that flickers at the
/// second is noise.
pub fn time_left(left: Duration) -> String {
    let secs = left.as_secs();
    if secs < 60 {
        t!("format-seconds-left", count = secs)
    } else if secs < 3600 {
        t!("format-minutes-left", count = secs.div_ceil(60))
    } else {
        t!(
            "format-hours-minutes-left",
            hours = secs / 3600,
            minutes = (secs % 3600) / 60
        )
    }
}

/// The countdown of a staged file: "expires in 59 min", then seconds in the last minute.
pub fn expires_in(left: Duration) -> String {
    let secs = left.as_secs();
    if secs >= 60 {
        t!("format-expires-in-minutes", count = secs.div_ceil(60))
    } else {
        t!("format-expires-in-seconds", count = secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1500), "1.5 KB");
        assert_eq!(human_bytes(1_073_741_824), "1.1 GB");
        assert_eq!(lifetime(), "60 minutes");
        assert_eq!(execution_limit(), "200 MB");
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
    }

    #[test]
    fn names_show_control_characters_escaped_and_every_script_as_it_is() {
        assert_eq!(
            display_name("\u{1b}[31mred\u{1b}[0m.pdf"),
            "\\u{1b}[31mred\\u{1b}[0m.pdf"
        );
        assert_eq!(display_name("two\nlines\t.txt\r"), "two\\nlines\\t.txt\\r");
        assert_eq!(display_name("bell\u{7}\u{9b}.pdf"), "bell\\u{7}\\u{9b}.pdf");
        // A right-to-left override would show "invoice\u{202e}fdp.exe" as "invoiceexe.pdf".
        assert_eq!(
            display_name("invoice\u{202e}fdp.exe"),
            "invoice\\u{202e}fdp.exe"
        );
        for plain in [
            "請求書 2026年11月.pdf",
            "🧾 receipt.pdf",
            "تقرير شهري.docx",
            "a\\b.txt",
        ] {
            assert!(matches!(display_name(plain), Cow::Borrowed(s) if s == plain));
        }
    }

    #[test]
    fn group_labels_name_their_source() {
        let added = |how, items, name: Option<&str>| GroupSource::Added {
            how,
            items,
            name: name.map(str::to_owned),
        };
        let scans = added(AddedBy::Dropped, 1, Some("Scans"));
        assert_eq!(group_label(&scans, true), "Scans folder");
        assert_eq!(group_label(&scans, false), "Dropped: Scans");
        assert_eq!(
            group_label(&added(AddedBy::Dropped, 3, None), false),
            "3 files dropped"
        );
        assert_eq!(
            group_label(&added(AddedBy::Picked, 2, None), true),
            "2 files and folders chosen"
        );
        assert_eq!(
            group_label(&added(AddedBy::CommandLine, 1, Some("a.pdf")), false),
            "Command line: a.pdf"
        );
        assert_eq!(
            group_label(&added(AddedBy::OpenedWith, 4, None), false),
            "4 files opened with Asteroid Stager"
        );
        assert_eq!(
            group_label(
                &added(AddedBy::Pasted, 1, Some("x\u{1b}]0;pwned\u{7}")),
                false
            ),
            "Pasted: x\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(
            group_label(&GroupSource::Labelled("Dropped".into()), true),
            "Dropped"
        );
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(time_left(Duration::from_secs(5)), "5 s left");
        assert_eq!(time_left(Duration::from_secs(61)), "about 2 min left");
        assert_eq!(expires_in(Duration::from_secs(3599)), "expires in 60 min");
        assert_eq!(expires_in(Duration::from_secs(59)), "expires in 59 s");
        assert_eq!(speed(0.0), "");
        assert_eq!(speed(2_400_000.0), "2.4 MB/s");
    }
}
