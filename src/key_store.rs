//! The API key and where it is kept: the operating system's keychain (the desktop's
//! keychain through Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), never a file or a log. The operator reads plain names ([`ApiKeyStore::describe`]).

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::t;

/// The keychain service name; the account is the API host, so that a key for a test
/// server never replaces the key for the real one.
pub const KEYCHAIN_SERVICE: &str = "asteroid-stager";

/// An API key. `Debug` never shows it; only [`ApiKey::expose`] does, and only the HTTP
/// client and the keychain call that. Its memory is wiped when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Zeroizing<String>);

/// Why a pasted text is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeyError {
    /// Nothing but spaces.
    #[error("{}", t!("key-store-key-empty"))]
    Empty,
    /// Spaces or line breaks inside: a copy accident.
    #[error("{}", t!("key-store-key-has-spaces"))]
    HasInnerWhitespace,
}

impl ApiKey {
    /// Accepts a pasted key, forgiving surrounding spaces and line breaks.
    pub fn new(input: &str) -> Result<Self, ApiKeyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ApiKeyError::Empty);
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ApiKeyError::HasInnerWhitespace);
        }
        Ok(Self(Zeroizing::new(trimmed.to_owned())))
    }

    /// The key itself, for the request header and the keychain only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Why the keychain could not be used, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    /// No keychain on this computer (no Secret Service, no session bus…). The field is the
    /// library's detail, for the log: the operator reads the sentence only.
    #[error("{}", t!("key-store-unavailable", env = crate::session::ENV_API_KEY))]
    Unavailable(String),
    /// The keychain is locked and nobody unlocked it.
    #[error("{}", t!("key-store-locked"))]
    Locked(String),
    /// The keychain service took the call and never answered (a locked keyring over SSH,
    /// a hung Secret Service): given up after this many seconds.
    #[error("{}", t!("key-store-no-answer", seconds = *.0, env = crate::session::ENV_API_KEY))]
    NoAnswer(u64),
    /// Any other refusal.
    #[error("{}", t!("key-store-refused"))]
    Refused(String),
}

/// Where the API key lives. The keychain in the app, memory in tests.
pub trait ApiKeyStore: Send + Sync {
    /// The stored key, `Ok(None)` when there is none.
    fn load(&self) -> Result<Option<ApiKey>, KeyStoreError>;
    /// Keeps `key`, replacing any earlier one.
    fn save(&self, key: &ApiKey) -> Result<(), KeyStoreError>;
    /// Returns whether a key was there to delete.
    fn delete(&self) -> Result<bool, KeyStoreError>;
    /// Which store this is, for the settings and About panels.
    fn describe(&self) -> String;
}

/// How long a keychain call may take before it is given up: unlocking prompts answer in
/// seconds, a service that never answers would otherwise hang the command for ever.
pub const KEYCHAIN_DEADLINE: Duration = Duration::from_secs(20);

/// The operating system's keychain, entry `asteroid-stager` / `<api host>`.
/// Every call is a blocking round trip (D-Bus on Linux): keep it off the UI thread. Each
/// runs on a thread of its own and is given up after [`KEYCHAIN_DEADLINE`]
/// ([`KeyStoreError::NoAnswer`]); a call that never returns leaves only that thread behind,
/// which does not keep the process alive.
pub struct KeychainStore {
    account: String,
}

impl KeychainStore {
    /// The entry for a server: one key per API host.
    pub fn for_host(host: &str) -> Self {
        Self {
            account: host.to_owned(),
        }
    }

    /// Runs `call` on the entry, on a thread of its own, waiting at most the deadline.
    fn with_deadline<T: Send + 'static>(
        &self,
        call: impl FnOnce(keyring::Entry) -> Result<T, KeyStoreError> + Send + 'static,
    ) -> Result<T, KeyStoreError> {
        let account = self.account.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                let _ = tx.send(entry(&account).and_then(call));
            })
            .map_err(|e| KeyStoreError::Refused(e.to_string()))?;
        match rx.recv_timeout(KEYCHAIN_DEADLINE) {
            Ok(result) => result,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                tracing::debug!("the keychain did not answer in time; its call was left behind");
                Err(KeyStoreError::NoAnswer(KEYCHAIN_DEADLINE.as_secs()))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(KeyStoreError::Refused(
                "the keychain call stopped unexpectedly".into(),
            )),
        }
    }
}

/// The keychain entry for `account` (a blocking call: on the keychain thread only).
fn entry(account: &str) -> Result<keyring::Entry, KeyStoreError> {
    keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(|e| match e {
        keyring::Error::NoDefaultStore => {
            let cause = match keyring::Entry::store_status() {
                Err(inner) => inner.to_string(),
                Ok(()) => "no store was set up".to_owned(),
            };
            tracing::debug!("no keychain: {cause}");
            KeyStoreError::Unavailable(cause)
        }
        other => map_error(other),
    })
}

/// The keychain's refusal in the operator's words; the library's detail goes to the log.
fn map_error(e: keyring::Error) -> KeyStoreError {
    tracing::debug!("keychain: {e}");
    match e {
        keyring::Error::NoStorageAccess(inner) => KeyStoreError::Locked(inner.to_string()),
        keyring::Error::PlatformFailure(inner) => KeyStoreError::Unavailable(inner.to_string()),
        keyring::Error::NoDefaultStore => KeyStoreError::Unavailable("no store was set up".into()),
        other => KeyStoreError::Refused(other.to_string()),
    }
}

impl ApiKeyStore for KeychainStore {
    fn load(&self) -> Result<Option<ApiKey>, KeyStoreError> {
        self.with_deadline(|entry| match entry.get_password() {
            // A key stored by hand with stray whitespace is still the key.
            Ok(secret) => Ok(ApiKey::new(&Zeroizing::new(secret)).ok()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        })
    }

    fn save(&self, key: &ApiKey) -> Result<(), KeyStoreError> {
        let key = key.clone();
        self.with_deadline(move |entry| entry.set_password(key.expose()).map_err(map_error))
    }

    fn delete(&self) -> Result<bool, KeyStoreError> {
        self.with_deadline(|entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        })
    }

    fn describe(&self) -> String {
        let system = if cfg!(target_os = "macos") {
            t!("key-store-macos")
        } else if cfg!(windows) {
            t!("key-store-windows")
        } else {
            t!("key-store-linux")
        };
        t!(
            "key-store-where",
            system = system,
            service = KEYCHAIN_SERVICE,
            account = self.account.as_str()
        )
    }
}

/// A store in memory: for tests, and for "use this key for this session only" when no
/// keychain is reachable. `failure` makes every call fail, to test those paths.
#[derive(Default)]
pub struct MemoryKeyStore {
    key: Mutex<Option<ApiKey>>,
    failure: Option<KeyStoreError>,
}

impl MemoryKeyStore {
    /// A store that holds `key`.
    pub fn with_key(key: ApiKey) -> Self {
        Self {
            key: Mutex::new(Some(key)),
            failure: None,
        }
    }

    /// A store whose every call fails with `failure`.
    pub fn failing(failure: KeyStoreError) -> Self {
        Self {
            key: Mutex::new(None),
            failure: Some(failure),
        }
    }

    fn check(&self) -> Result<std::sync::MutexGuard<'_, Option<ApiKey>>, KeyStoreError> {
        if let Some(f) = &self.failure {
            return Err(f.clone());
        }
        Ok(self
            .key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl ApiKeyStore for MemoryKeyStore {
    fn load(&self) -> Result<Option<ApiKey>, KeyStoreError> {
        Ok(self.check()?.clone())
    }

    fn save(&self, key: &ApiKey) -> Result<(), KeyStoreError> {
        *self.check()? = Some(key.clone());
        Ok(())
    }

    fn delete(&self) -> Result<bool, KeyStoreError> {
        Ok(self.check()?.take().is_some())
    }

    fn describe(&self) -> String {
        t!("key-store-session-only")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_keys_are_trimmed_and_never_shown() {
        let key = ApiKey::new("  sk-live-SECRET123\r\n").unwrap();
        assert_eq!(key.expose(), "sk-live-SECRET123");
        assert!(!format!("{key:?}").contains("SECRET"));
        assert_eq!(ApiKey::new(" \n"), Err(ApiKeyError::Empty));
        assert_eq!(ApiKey::new("ab cd"), Err(ApiKeyError::HasInnerWhitespace));
    }

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryKeyStore::default();
        assert_eq!(store.load(), Ok(None));
        store.save(&ApiKey::new("k1").unwrap()).unwrap();
        assert_eq!(store.load().unwrap().unwrap().expose(), "k1");
        assert_eq!(store.delete(), Ok(true));
        assert_eq!(store.delete(), Ok(false));
    }
}
