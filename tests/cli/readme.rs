//! The README names test files as the proof of what it promises (the Reliability table, the
//! Development section): every one of them must exist, so a moved or renamed test file
//! cannot leave a promise pointing at nothing.

use std::path::Path;

/// Every `tests/…` path the README names, as written (a trailing full stop left out).
fn test_paths_named_in(readme: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = readme;
    while let Some(at) = rest.find("tests/") {
        let path: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-'))
            .collect();
        rest = &rest[at + path.len()..];
        paths.push(path.trim_end_matches('.').to_owned());
    }
    paths
}

#[test]
fn every_test_file_the_readme_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let named = test_paths_named_in(&readme);
    assert!(
        named.iter().any(|p| p.ends_with(".rs")),
        "the README names test files: {named:?}"
    );
    let missing: Vec<&String> = named.iter().filter(|p| !root.join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "the README names test files that do not exist: {missing:?}"
    );
}

#[test]
fn a_moved_test_file_is_caught() {
    let named = test_paths_named_in(
        "| a row | `tests/guarantees.rs` `x`; `tests/<subject>/main.rs`, see `tests/retries/`.",
    );
    assert_eq!(named, ["tests/guarantees.rs", "tests/", "tests/retries/"]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        !root.join(&named[0]).exists(),
        "tests/guarantees.rs was moved"
    );
}
