//! `asteroid-stager key …`: the API key in the system keychain.

use std::io::{IsTerminal, Read};

use super::{EXIT_FAILED, EXIT_OK, Environment, Failure, KeyAction};
use crate::key_store::{ApiKey, ApiKeyStore, KeychainStore};
use crate::session::ENV_API_KEY;

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
                "Saved the API key for {} in the keychain ({}).",
                base.host(),
                store.describe()
            );
            Ok(EXIT_OK)
        }
        KeyAction::Status(_) => {
            let from_env = env.overrides.api_key.is_some();
            match store.load() {
                Ok(Some(_)) => {
                    eprintln!(
                        "An API key for {} is stored in {}.",
                        base.host(),
                        store.describe()
                    );
                    if from_env {
                        eprintln!("{ENV_API_KEY} is also set and is used instead.");
                    }
                    Ok(EXIT_OK)
                }
                Ok(None) if from_env => {
                    eprintln!(
                        "No API key is stored for {}; {ENV_API_KEY} is set and is used.",
                        base.host()
                    );
                    Ok(EXIT_OK)
                }
                Ok(None) => {
                    eprintln!(
                        "No API key is stored for {}. Run `asteroid-stager key set` and paste it.",
                        base.host()
                    );
                    Ok(EXIT_FAILED)
                }
                Err(e) => Err(Failure::failed(e.to_string())),
            }
        }
        KeyAction::Delete(_) => match store.delete() {
            Ok(true) => {
                eprintln!("Removed the API key for {} from the keychain.", base.host());
                Ok(EXIT_OK)
            }
            Ok(false) => {
                eprintln!("There was no API key for {} to remove.", base.host());
                Ok(EXIT_OK)
            }
            Err(e) => Err(Failure::failed(e.to_string())),
        },
    }
}

fn read_key_from_stdin() -> Result<ApiKey, Failure> {
    // Wiped when dropped, like the key made from it.
    let text = zeroize::Zeroizing::new(if std::io::stdin().is_terminal() {
        rpassword::prompt_password(
            "Paste your API key (from platform.asteroid.ai → profile → API Keys; it is not shown): ",
        )
        .map_err(|e| Failure::input(format!("Could not read the key: {e}")))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| {
                Failure::input(format!("Could not read the key from standard input: {e}"))
            })?;
        s
    });
    ApiKey::new(&text).map_err(|e| Failure::input(e.to_string()))
}
