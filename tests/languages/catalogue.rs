//! The message catalogue is whole: every message in every language, each translation
//! taking the same arguments as the English one, every file well-formed Fluent, and every
//! message the code asks for present (and none left over that nothing asks for).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use asteroid_stager::messages::{Language, has_text};
use fluent_bundle::FluentResource;

/// A message's id and the arguments (`$name`) its text uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ftl_files(language: Language) -> Vec<PathBuf> {
    let dir = root().join("assets/locales").join(language.code());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a catalogue file").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    files
}

/// Reads one language's messages; a file Fluent cannot parse, or an id defined twice,
/// fails the test with the file's name.
fn messages(language: Language) -> Messages {
    let mut all = Messages::new();
    for file in ftl_files(language) {
        let source = std::fs::read_to_string(&file).expect("a readable catalogue file");
        if let Err((_, errors)) = FluentResource::try_new(source.clone()) {
            panic!("{} is not valid Fluent: {errors:?}", file.display());
        }
        let mut current: Option<String> = None;
        for line in source.lines() {
            let starts_entry = line
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '-');
            if starts_entry {
                let Some((id, _)) = line.split_once('=') else {
                    continue;
                };
                let id = id.trim().to_string();
                if id.starts_with('-') {
                    // A term: shared wording, not a message of its own.
                    current = None;
                    continue;
                }
                assert!(
                    !all.contains_key(&id),
                    "{}: {id} is defined twice in {}",
                    file.display(),
                    language.code()
                );
                all.insert(id.clone(), BTreeSet::new());
                current = Some(id);
            } else if line.starts_with('#') {
                continue;
            }
            if let Some(id) = &current {
                let args = all.get_mut(id).expect("the message just read");
                args.extend(arguments(line));
            }
        }
    }
    all
}

fn arguments(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split('$').skip(1).map(|rest| {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    })
}

#[test]
fn every_message_is_in_every_language_with_the_same_arguments() {
    let english = messages(Language::English);
    assert!(
        english.len() > 50,
        "only {} English messages",
        english.len()
    );
    let mut problems = Vec::new();
    for language in Language::ALL.into_iter().skip(1) {
        let translated = messages(language);
        for (id, args) in &english {
            match translated.get(id) {
                None => problems.push(format!("{}: {id} is missing", language.code())),
                Some(theirs) if theirs != args => problems.push(format!(
                    "{}: {id} takes {theirs:?}, English takes {args:?}",
                    language.code()
                )),
                Some(_) => {}
            }
            // And the running program finds it there, not through the English fallback.
            if translated.contains_key(id) && !has_text(language, id) {
                problems.push(format!("{}: {id} does not load", language.code()));
            }
        }
        for id in translated.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!(
                "{}: {id} is not an English message",
                language.code()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every `t!("id"…)` and `Template::new("id"…)` in the code, with where it is.
fn ids_in_code(dir: &Path, found: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            ids_in_code(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("a source file");
            let asks = source
                .match_indices("t!(")
                // `t!(`, not `assert!(` or `print!(`.
                .filter(|(at, _)| {
                    !source[..*at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
                .chain(source.match_indices("Template::new("));
            for (at, needle) in asks {
                let rest = source[at + needle.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let Some(end) = rest.find('"') else { continue };
                found
                    .entry(rest[..end].to_string())
                    .or_insert_with(|| path.display().to_string());
            }
        }
    }
}

#[test]
fn every_message_the_code_asks_for_exists_and_every_message_is_used() {
    let english = messages(Language::English);
    let mut used = BTreeMap::new();
    ids_in_code(&root().join("src"), &mut used);
    assert!(used.len() > 50, "only {} messages asked for", used.len());
    let missing: Vec<String> = used
        .iter()
        .filter(|(id, _)| !english.contains_key(*id))
        .map(|(id, file)| format!("{file} asks for {id}, which the catalogue lacks"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    let unused: Vec<&String> = english
        .keys()
        .filter(|id| !used.contains_key(*id))
        .collect();
    assert!(
        unused.is_empty(),
        "messages nothing asks for (remove them, or ask with a literal id): {unused:?}"
    );
}
