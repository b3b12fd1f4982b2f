//! The command line speaks the operator's language: the system's locale (`LANG`), unless
//! the Settings name another. Each expected text is read from the catalogue, so these
//! tests hold whatever the wording becomes.

use asteroid_stager::messages::{FluentValue, Language, text_in};

use crate::support::cli::{CliHome, arg, text};

/// What `stage` says of a missing file, in `language`, read from the catalogue.
fn missing_file_message(language: Language, shown: &str) -> String {
    format!(
        "{}\n{}\n",
        text_in(
            language,
            "local-file-not-found",
            &[("name", FluentValue::from(shown))]
        ),
        text_in(language, "cli-nothing-uploaded", &[])
    )
}

/// `stage` of a file that is not there, with `LANG` set to `lang`: exit 2, and stderr.
async fn stage_missing_file(home: &CliHome, lang: &str) -> (String, String) {
    let missing = home.path().join("nicht-da.pdf");
    let out = home.run(&["stage", arg(&missing)], &[("LANG", lang)]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        text(&out.stdout)
    );
    (stderr, missing.display().to_string())
}

#[tokio::test]
async fn with_a_german_locale_stage_speaks_german() {
    let home = CliHome::new();
    let (stderr, shown) = stage_missing_file(&home, "de_DE.UTF-8").await;
    assert_eq!(stderr, missing_file_message(Language::German, &shown));
    // Not the English text, should the catalogue ever fall back to it.
    assert_ne!(stderr, missing_file_message(Language::English, &shown));
}

#[tokio::test]
async fn with_a_japanese_locale_stage_speaks_japanese() {
    let home = CliHome::new();
    let (stderr, shown) = stage_missing_file(&home, "ja_JP.UTF-8").await;
    assert_eq!(stderr, missing_file_message(Language::Japanese, &shown));
    assert_ne!(stderr, missing_file_message(Language::English, &shown));
}

#[tokio::test]
async fn the_language_chosen_in_settings_wins_over_the_locale() {
    let home = CliHome::new();
    let settings = home.folder("config/asteroid-stager").join("settings.json");
    std::fs::write(&settings, r#"{"version": 1, "language": "fr"}"#).unwrap();
    let (stderr, shown) = stage_missing_file(&home, "de_DE.UTF-8").await;
    assert_eq!(stderr, missing_file_message(Language::French, &shown));
}

#[tokio::test]
async fn with_the_tests_locale_stage_speaks_english() {
    let home = CliHome::new();
    let (stderr, shown) = stage_missing_file(&home, "C.UTF-8").await;
    assert_eq!(stderr, missing_file_message(Language::English, &shown));
    assert!(stderr.contains(": there is no such file."), "{stderr}");
}

/// `args` (ending in `--help`) with `LANG` set to `lang`: exit 0, and what it printed.
async fn help(home: &CliHome, args: &[&str], lang: &str) -> String {
    let out = home.run(args, &[("LANG", lang)]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[tokio::test]
async fn stage_help_speaks_the_systems_language() {
    let home = CliHome::new();
    let german = text_in(Language::German, "cli-help-stage-org", &[]);
    let english = text_in(Language::English, "cli-help-stage-org", &[]);
    assert_ne!(german, english);
    let out = help(&home, &["stage", "--help"], "de_DE.UTF-8").await;
    assert!(
        out.contains(&format!("--org <UUID>       {german}\n")),
        "{out}"
    );
    assert!(!out.contains(&english), "{out}");
    let out = help(&home, &["stage", "--help"], "C.UTF-8").await;
    assert!(
        out.contains(&format!("--org <UUID>       {english}\n")),
        "{out}"
    );
}

/// Each command's `--help`, and the catalogue's texts it shows.
const HELP_PAGES: [(&[&str], &[&str]); 7] = [
    (
        &["--help"],
        &[
            "cli-help-about",
            "cli-help-no-command",
            "cli-help-files",
            "cli-help-stage",
            "cli-help-history",
            "cli-help-key",
        ],
    ),
    (
        &["stage", "--help"],
        &[
            "cli-help-stage",
            "cli-help-stage-org",
            "cli-help-stage-base-url",
            "cli-help-stage-wait",
            "cli-help-stage-files",
        ],
    ),
    (
        &["history", "--help"],
        &[
            "cli-help-history",
            "cli-help-history-json",
            "cli-help-history-all",
            "cli-help-history-org",
            "cli-help-history-base-url",
            "cli-help-history-all-orgs",
        ],
    ),
    (
        &["key", "--help"],
        &[
            "cli-help-key",
            "cli-help-key-set",
            "cli-help-key-status",
            "cli-help-key-delete",
        ],
    ),
    (
        &["key", "set", "--help"],
        &["cli-help-key-set", "cli-help-key-base-url"],
    ),
    (
        &["key", "status", "--help"],
        &["cli-help-key-status", "cli-help-key-base-url"],
    ),
    (
        &["key", "delete", "--help"],
        &["cli-help-key-delete", "cli-help-key-base-url"],
    ),
];

#[tokio::test]
async fn every_help_page_speaks_every_language() {
    let home = CliHome::new();
    let mut problems = Vec::new();
    for language in Language::ALL {
        let lang = format!("{}.UTF-8", language.code());
        for (args, ids) in HELP_PAGES {
            let out = help(&home, args, &lang).await;
            for id in ids {
                let expected = text_in(language, id, &[]);
                let english = text_in(Language::English, id, &[]);
                if !out.contains(&expected) {
                    problems.push(format!("{lang} {args:?}: no {id} ({expected:?})"));
                }
                if language != Language::English && out.contains(&english) {
                    problems.push(format!("{lang} {args:?}: {id} in English"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
