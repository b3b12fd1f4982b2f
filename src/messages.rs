//! The message catalogue: every text an operator reads, in their language.
//!
//! The texts live in Fluent files, one folder per language under `assets/locales/`
//! (`en`, `de`, `fr`, `es`, `ja`), compiled into the binary so that the `.deb`, the MSI and
//! a bare `cargo run` all carry every language. Fluent does the plurals (`one`/`other` in
//! the European languages, a single form in Japanese), so no text says "file(s)".
//!
//! The language is chosen once at start ([`Language::choose`]: the Settings' override, else
//! the system's locale, else English) and held process-wide, the way a desktop program's
//! locale is: both faces and the core's worded errors read it through [`t!`](crate::t).
//! Changing it in Settings takes effect at the next frame; texts already shown (a notice)
//! stay as they were worded.
//!
//! A missing text is a bug the catalogue test catches (`tests/languages/`); at run time it
//! falls back to English, then to the message's id, and is logged.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// One language's Fluent files, compiled in (every language has the same files; the
/// catalogue test fails when one is missing a message).
macro_rules! catalogue_files {
    ($language:literal) => {
        [
            include_str!(concat!("../assets/locales/", $language, "/common.ftl")),
            include_str!(concat!("../assets/locales/", $language, "/core.ftl")),
            include_str!(concat!("../assets/locales/", $language, "/cli.ftl")),
            include_str!(concat!("../assets/locales/", $language, "/cli-help.ftl")),
            include_str!(concat!(
                "../assets/locales/",
                $language,
                "/window-frame.ftl"
            )),
            include_str!(concat!("../assets/locales/", $language, "/window-list.ftl")),
            include_str!(concat!(
                "../assets/locales/",
                $language,
                "/window-state.ftl"
            )),
        ]
    };
}

/// Each language's messages, parsed the first time one of them is asked for: a command
/// in English never parses the other four (that was most of its start-up time).
static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 5] = [const { OnceLock::new() }; 5];

fn bundle(language: Language) -> &'static FluentBundle<FluentResource> {
    BUNDLES[usize::from(language.index())].get_or_init(|| {
        let files = match language {
            Language::English => catalogue_files!("en"),
            Language::German => catalogue_files!("de"),
            Language::French => catalogue_files!("fr"),
            Language::Spanish => catalogue_files!("es"),
            Language::Japanese => catalogue_files!("ja"),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![language.identifier()]);
        // Fluent wraps each argument in Unicode isolation marks for mixed-direction text;
        // egui draws them as boxes, and names are already shown as they are.
        bundle.set_use_isolating(false);
        for source in files {
            // A file that does not parse (caught by the catalogue test) keeps what did.
            let resource =
                FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
                    tracing::error!(?errors, "a {} catalogue file has errors", language.code());
                    resource
                });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(
                    ?errors,
                    "a {} catalogue file repeats a message",
                    language.code()
                );
            }
        }
        bundle
    })
}

/// A language the catalogue has every message in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// English, the fallback.
    English,
    /// German (the longest texts: layouts are checked with it).
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// Japanese.
    Japanese,
}

impl Language {
    /// Every language, in the order Settings lists them.
    pub const ALL: [Language; 5] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Japanese,
    ];

    /// The code the Settings file keeps and the catalogue's folder is named by.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Japanese => "ja",
        }
    }

    /// The language's own name for itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
            Language::French => "Français",
            Language::Spanish => "Español",
            Language::Japanese => "日本語",
        }
    }

    /// The language of a code or locale (`de`, `de-AT`, `de_DE.UTF-8`, `ja-JP`); `None`
    /// for one the catalogue does not have (and for `C` or `POSIX`).
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of the system's preferred languages the catalogue has: `LANGUAGE`,
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` on Linux, the user's language list on Windows
    /// and macOS. English when none is.
    pub fn from_system() -> Self {
        Self::first_known(sys_locale::get_locales())
    }

    /// The first known language among `locales`, in order; English when none is.
    pub fn first_known(locales: impl IntoIterator<Item = String>) -> Self {
        locales
            .into_iter()
            .find_map(|l| Self::from_code(&l))
            .unwrap_or(Language::English)
    }

    /// The language to speak: the Settings' choice when it names one, else the system's.
    pub fn choose(setting: Option<&str>) -> Self {
        setting
            .and_then(Self::from_code)
            .unwrap_or_else(Self::from_system)
    }

    fn identifier(self) -> LanguageIdentifier {
        self.code().parse().unwrap_or_default()
    }

    fn index(self) -> u8 {
        match self {
            Language::English => 0,
            Language::German => 1,
            Language::French => 2,
            Language::Spanish => 3,
            Language::Japanese => 4,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Makes `language` the one every text is worded in from now on.
pub fn set_language(language: Language) {
    CURRENT.store(language.index(), Ordering::Relaxed);
}

/// The language texts are worded in now.
pub fn language() -> Language {
    let i = CURRENT.load(Ordering::Relaxed);
    Language::ALL
        .into_iter()
        .find(|l| l.index() == i)
        .unwrap_or(Language::English)
}

/// The text `id` in the current language.
pub fn text(id: &str) -> String {
    text_in(language(), id, &[])
}

/// The text `id` in the current language, with its arguments.
pub fn text_with(id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    text_in(language(), id, args)
}

/// The text `id` in `language` (falling back to English), with its arguments.
pub fn text_in(language: Language, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    let args: Option<FluentArgs<'_>> = (!args.is_empty()).then(|| {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        fluent
    });
    for language in [language, Language::English] {
        let bundle = bundle(language);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args.as_ref(), &mut errors);
        if !errors.is_empty() {
            tracing::error!(?errors, "the text {id:?} in {} has errors", language.code());
        }
        return text.into_owned();
    }
    tracing::error!("the message catalogue has no text {id:?}");
    id.to_string()
}

/// Whether the catalogue has `id` in `language` itself (no fallback): for the catalogue test.
pub fn has_text(language: Language, id: &str) -> bool {
    bundle(language)
        .get_message(id)
        .is_some_and(|m| m.value().is_some())
}

/// A message worded once per item of thousands (a line per staged file): looked up and
/// resolved once, with markers in place of its arguments, then filled in by plain string
/// work. Only for messages that place their arguments and do not choose by them (a plural
/// or a select on an argument needs [`t!`](crate::t) each time); should a translation not
/// place each argument exactly once, every fill goes through [`t!`](crate::t) instead.
pub struct Template {
    language: Language,
    id: &'static str,
    names: &'static [&'static str],
    pieces: Option<Vec<Piece>>,
}

enum Piece {
    Text(String),
    Argument(usize),
}

/// Around an argument's number in a template's wording: noncharacters, which no message
/// holds.
const MARK_OPEN: char = '\u{FDD0}';
const MARK_CLOSE: char = '\u{FDD1}';

impl Template {
    /// The message `id` in the current language, taking the arguments `names`.
    pub fn new(id: &'static str, names: &'static [&'static str]) -> Self {
        Self::new_in(language(), id, names)
    }

    /// The message `id` in `language`, taking the arguments `names`.
    pub fn new_in(language: Language, id: &'static str, names: &'static [&'static str]) -> Self {
        let markers: Vec<String> = (0..names.len())
            .map(|i| format!("{MARK_OPEN}{i}{MARK_CLOSE}"))
            .collect();
        let args: Vec<(&'static str, FluentValue<'_>)> = names
            .iter()
            .zip(&markers)
            .map(|(name, marker)| (*name, FluentValue::from(marker.as_str())))
            .collect();
        let worded = text_in(language, id, &args);
        Self {
            language,
            id,
            names,
            pieces: Self::split(&worded, names.len()),
        }
    }

    fn split(worded: &str, count: usize) -> Option<Vec<Piece>> {
        let mut pieces = Vec::new();
        let mut seen = vec![false; count];
        let mut rest = worded;
        while let Some(open) = rest.find(MARK_OPEN) {
            let after = &rest[open + MARK_OPEN.len_utf8()..];
            let close = after.find(MARK_CLOSE)?;
            let index: usize = after[..close].parse().ok()?;
            if std::mem::replace(seen.get_mut(index)?, true) {
                return None;
            }
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            pieces.push(Piece::Argument(index));
            rest = &after[close + MARK_CLOSE.len_utf8()..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        seen.iter().all(|s| *s).then_some(pieces)
    }

    /// Appends the message with `values` (in the order of the names given to [`new`]) to
    /// `out`.
    ///
    /// [`new`]: Template::new
    pub fn fill_into(&self, out: &mut String, values: &[&str]) {
        match &self.pieces {
            Some(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Argument(i) => out.push_str(values.get(*i).copied().unwrap_or("")),
                    }
                }
            }
            None => {
                let args: Vec<(&'static str, FluentValue<'_>)> = self
                    .names
                    .iter()
                    .zip(values)
                    .map(|(name, value)| (*name, FluentValue::from(*value)))
                    .collect();
                out.push_str(&text_in(self.language, self.id, &args));
            }
        }
    }
}

/// The text of a message in the operator's language:
/// `t!("settings-language")`, `t!("count-files", count = n)`.
///
/// Arguments are anything Fluent takes: numbers (for plurals) and strings.
#[macro_export]
macro_rules! t {
    ($id:expr $(,)?) => {
        $crate::messages::text($id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::messages::text_with(
            $id,
            &[$((stringify!($name), $crate::messages::FluentValue::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Language::from_code("de_DE.UTF-8"), Some(Language::German));
        assert_eq!(Language::from_code("fr-CA"), Some(Language::French));
        assert_eq!(Language::from_code("es_MX@euro"), Some(Language::Spanish));
        assert_eq!(Language::from_code("ja-JP"), Some(Language::Japanese));
        assert_eq!(Language::from_code("EN"), Some(Language::English));
        assert_eq!(Language::from_code("C"), None);
        assert_eq!(Language::from_code("POSIX"), None);
        assert_eq!(Language::from_code("pt-BR"), None);
        assert_eq!(Language::from_code(""), None);
    }

    #[test]
    fn the_first_known_language_wins_and_english_is_the_fallback() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Language::first_known(list(&["pt-BR", "ja-JP", "de-DE"])),
            Language::Japanese
        );
        assert_eq!(Language::first_known(list(&["C"])), Language::English);
        assert_eq!(Language::first_known(list(&[])), Language::English);
        // The Settings' choice wins over the system's; an unknown choice is ignored.
        assert_eq!(Language::choose(Some("es")), Language::Spanish);
    }

    #[test]
    fn plurals_follow_each_language() {
        let one = [("count", FluentValue::from(1))];
        let many = [("count", FluentValue::from(3))];
        assert_eq!(text_in(Language::English, "count-files", &one), "1 file");
        assert_eq!(text_in(Language::English, "count-files", &many), "3 files");
        assert_eq!(text_in(Language::German, "count-files", &one), "1 Datei");
        assert_eq!(text_in(Language::German, "count-files", &many), "3 Dateien");
        assert_eq!(
            text_in(Language::Japanese, "count-files", &many),
            "3 個のファイル"
        );
    }

    #[test]
    fn a_text_with_arguments_is_found_in_its_language() {
        assert!(has_text(Language::German, "count-files"));
        assert!(has_text(Language::Japanese, "settings-language"));
        assert!(!has_text(Language::German, "no-such-message"));
    }

    #[test]
    fn a_template_fills_in_as_the_catalogue_words_it_in_every_language() {
        for language in Language::ALL {
            let template = Template::new_in(language, "cli-staged-one", &["name", "id"]);
            assert!(template.pieces.is_some(), "{language:?}");
            let mut line = String::new();
            template.fill_into(
                &mut line,
                &["scan { 1 }.pdf", "00000000-0000-4000-8000-000000000001"],
            );
            let args = [
                ("name", FluentValue::from("scan { 1 }.pdf")),
                (
                    "id",
                    FluentValue::from("00000000-0000-4000-8000-000000000001"),
                ),
            ];
            assert_eq!(
                line,
                text_in(language, "cli-staged-one", &args),
                "{language:?}"
            );
        }
    }

    #[test]
    fn a_template_whose_wording_misplaces_an_argument_is_worded_each_time() {
        let marker = |i: usize| format!("{MARK_OPEN}{i}{MARK_CLOSE}");
        assert!(Template::split(&format!("a {} b {}", marker(0), marker(1)), 2).is_some());
        // Twice, missing, or a number it does not take: not split.
        assert!(Template::split(&format!("{} {}", marker(0), marker(0)), 2).is_none());
        assert!(Template::split(&format!("only {}", marker(1)), 2).is_none());
        assert!(Template::split(&format!("{} {}", marker(0), marker(7)), 2).is_none());
        let broken = Template {
            language: Language::German,
            id: "cli-staged-one",
            names: &["name", "id"],
            pieces: None,
        };
        let mut line = String::new();
        broken.fill_into(&mut line, &["a.pdf", "x"]);
        let args = [
            ("name", FluentValue::from("a.pdf")),
            ("id", FluentValue::from("x")),
        ];
        assert_eq!(line, text_in(Language::German, "cli-staged-one", &args));
        assert!(line.contains("a.pdf") && line.contains('x'), "{line}");
    }

    #[test]
    fn a_missing_text_falls_back_to_its_id() {
        assert_eq!(
            text_in(Language::German, "no-such-message", &[]),
            "no-such-message"
        );
    }
}
