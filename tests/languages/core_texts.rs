//! The core's texts in every language: times and sizes from the catalogue, where the key is
//! kept said in plain words, and a server's refusal with its HTTP status in a details line
//! of its own. These tests change the process-wide language, one at a time.

use std::time::Duration;

use asteroid_stager::api::ApiError;
use asteroid_stager::format;
use asteroid_stager::key_store::{ApiKeyStore, KeychainStore};
use asteroid_stager::messages::{Language, set_language};

/// Runs `check` with each language set in turn, then English again.
fn in_every_language(check: impl Fn(Language)) {
    let _held = crate::one_language_at_a_time();
    for language in Language::ALL {
        set_language(language);
        check(language);
    }
    set_language(Language::English);
}

#[test]
fn times_and_sizes_are_worded_in_the_operators_language() {
    in_every_language(|language| {
        let expires = format::expires_in(Duration::from_secs(11 * 60 + 30));
        let size = format::human_bytes(1500);
        let expected = match language {
            Language::English => ("expires in 12 min", "1.5 KB"),
            Language::German => ("läuft in 12 Min. ab", "1,5 KB"),
            Language::French => ("expire dans 12 min", "1,5 Ko"),
            Language::Spanish => ("caduca en 12 min", "1,5 KB"),
            Language::Japanese => ("あと 12 分で期限切れ", "1.5 KB"),
        };
        assert_eq!((expires.as_str(), size.as_str()), expected, "{language:?}");
        // The plural follows the number (Japanese has one form).
        let one = format::human_bytes(1);
        let many = format::human_bytes(999);
        if language != Language::Japanese {
            assert_ne!(
                one.trim_start_matches('1'),
                many.trim_start_matches("999"),
                "{language:?}: 1 and 999 bytes need their own forms"
            );
        }
    });
}

#[test]
fn the_keychain_is_named_in_plain_words() {
    in_every_language(|language| {
        let place = KeychainStore::for_host("odyssey.asteroid.ai").describe();
        assert!(!place.contains("Secret Service"), "{language:?}: {place}");
        assert!(
            place.contains("odyssey.asteroid.ai"),
            "{language:?}: {place}"
        );
        if cfg!(target_os = "linux") {
            assert!(place.contains("GNOME Keyring"), "{language:?}: {place}");
        }
    });
}

#[test]
fn a_refusal_keeps_its_http_status_out_of_the_sentence() {
    in_every_language(|language| {
        let refusals = [
            ApiError::BadKey {
                status: 401,
                text: "Unauthorized".into(),
            },
            ApiError::TooLarge,
            ApiError::RateLimited { retry_after: None },
            ApiError::ServerFailed {
                status: 503,
                text: "down for maintenance".into(),
                retry_after: None,
            },
            ApiError::UnexpectedStatus {
                status: 418,
                text: "teapot".into(),
            },
        ];
        for error in refusals {
            let text = error.to_string();
            let (sentence, details) = text
                .split_once('\n')
                .unwrap_or_else(|| panic!("{language:?}: no details line in {text:?}"));
            assert!(error.has_details_line());
            assert!(!sentence.contains("HTTP"), "{language:?}: {sentence}");
            assert!(details.contains("HTTP "), "{language:?}: {details}");
            assert!(!text.contains(".."), "{language:?}: {text}");
        }
    });
}
