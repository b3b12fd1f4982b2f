//! `asteroid-stager key …`: the API key in the system keychain.

use std::io::{IsTerminal, Read};

use super::{EXIT_FAILED, EXIT_OK, Environment, Failure, KeyAction};
use crate::key_store::{ApiKey, ApiKeyStore, KeychainStore};
use crate::session::ENV_API_KEY;
use crate::t;

/// `key set`, `key status`, `key delete`.
pub(super) fn run(env: &Environment, action: KeyAction) -> Result<u8, Failure> {
    let (KeyAction::Set(args) | KeyAction::Status(args) | KeyAction::Delete(args)) = &action;
    let base = env.base_url(args.base_url.as_deref())?;
    let store = KeychainStore::for_host(&base.host());
    match action {
        KeyAction::Set(_) => {
            let key = read_key_from_stdin()?;
            store
                .save(&key)
                .map_err(|e| Failure::failed(e.to_string()))?;
            eprintln!(
                "{}",
                t!(
                    "cli-key-saved",
                    host = base.host(),
                    place = store.describe()
                )
            );
            Ok(EXIT_OK)
        }
        KeyAction::Status(_) => {
            let from_env = env.overrides.api_key.is_some();
            match store.load() {
                Ok(Some(_)) => {
                    eprintln!(
                        "{}",
                        t!(
                            "cli-key-stored",
                            host = base.host(),
                            place = store.describe()
                        )
                    );
                    if from_env {
                        eprintln!("{}", t!("cli-key-environment-too", env = ENV_API_KEY));
                    }
                    Ok(EXIT_OK)
                }
                Ok(None) if from_env => {
                    eprintln!(
                        "{}",
                        t!(
                            "cli-key-environment-only",
                            host = base.host(),
                            env = ENV_API_KEY
                        )
                    );
                    Ok(EXIT_OK)
                }
                Ok(None) => {
                    eprintln!("{}", t!("cli-key-none", host = base.host()));
                    Ok(EXIT_FAILED)
                }
                Err(e) => Err(Failure::failed(e.to_string())),
            }
        }
        KeyAction::Delete(_) => match store.delete() {
            Ok(true) => {
                eprintln!("{}", t!("cli-key-removed", host = base.host()));
                Ok(EXIT_OK)
            }
            Ok(false) => {
                eprintln!("{}", t!("cli-key-nothing-to-remove", host = base.host()));
                Ok(EXIT_OK)
            }
            Err(e) => Err(Failure::failed(e.to_string())),
        },
    }
}

fn read_key_from_stdin() -> Result<ApiKey, Failure> {
    // Wiped when dropped, like the key made from it.
    let text = zeroize::Zeroizing::new(if std::io::stdin().is_terminal() {
        rpassword::prompt_password(t!("cli-key-prompt"))
            .map_err(|e| Failure::input(t!("cli-key-unreadable", reason = e.to_string())))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| Failure::input(t!("cli-key-unreadable-stdin", reason = e.to_string())))?;
        s
    });
    ApiKey::new(&text).map_err(|e| Failure::input(e.to_string()))
}
