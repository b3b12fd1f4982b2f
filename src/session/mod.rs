//! Which server, key and organization a run uses, and the one flow that finds them: used
//! the same way by the window and the command line.
//!
//! Each value is taken from a flag first, then the environment (`ASTEROID_BASE_URL`,
//! `ASTEROID_API_KEY`, `ASTEROID_ORG_ID`), then the saved settings (the keychain for the
//! key), then the default or what the key itself says (`GET /context`).
//!
//! [`KeyFlow`] is plain state: it says what it needs next ([`Step`]), the face does that
//! (a keychain call, a request, a question to the operator) and hands the result back.
//! The window does it on tokio and the command line in place, so both follow the same
//! rules: a stored or environment key with a known organization goes straight to work; a
//! typed key is checked with the server before it is stored; an organization is taken
//! from the key when it has only one.

mod network_wait;

use std::sync::Arc;
use std::time::Duration;

pub use network_wait::{DEFAULT_NETWORK_WAIT, NetworkWait};

use crate::api::{ApiClient, ApiError, ClientOptions, Organization, UserContext};
use crate::endpoint::{BaseUrl, BaseUrlError, OrganizationId, OrganizationIdError};
use crate::key_store::{ApiKey, ApiKeyError, ApiKeyStore, KEYCHAIN_DEADLINE, KeyStoreError};
use crate::settings::Settings;

/// The environment variable that supplies the API key (never stored).
pub const ENV_API_KEY: &str = "ASTEROID_API_KEY";
/// The environment variable that supplies the API address.
pub const ENV_BASE_URL: &str = "ASTEROID_BASE_URL";
/// The environment variable that supplies the organization ID.
pub const ENV_ORG_ID: &str = "ASTEROID_ORG_ID";

/// Values from the environment, read once at start so tests can supply their own.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `ASTEROID_API_KEY`.
    pub api_key: Option<String>,
    /// `ASTEROID_BASE_URL`.
    pub base_url: Option<String>,
    /// `ASTEROID_ORG_ID`.
    pub organization: Option<String>,
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("organization", &self.organization)
            .finish()
    }
}

impl Overrides {
    /// Reads the three variables; an empty one counts as unset.
    pub fn from_env() -> Self {
        // An empty variable is as good as unset: `ASTEROID_ORG_ID= cmd` is a common way
        // to switch one off.
        let read = |name| {
            std::env::var(name)
                .ok()
                .filter(|v: &String| !v.trim().is_empty())
        };
        Self {
            api_key: read(ENV_API_KEY),
            base_url: read(ENV_BASE_URL),
            organization: read(ENV_ORG_ID),
        }
    }

    /// Reads the variables once at start and removes the key from this process's
    /// environment, so that no process the app starts (the browser for a link, the file
    /// dialog's zenity) inherits it.
    ///
    /// # Safety
    ///
    /// Changes the process environment: call it before any other thread exists (first
    /// thing in `main`), when nothing else can be reading the environment.
    pub unsafe fn take_from_env() -> Self {
        let overrides = Self::from_env();
        // SAFETY: the caller guarantees no other thread exists yet.
        unsafe { std::env::remove_var(ENV_API_KEY) };
        overrides
    }

    /// The key from the environment, if one is set.
    pub fn api_key(&self) -> Option<Result<ApiKey, ApiKeyError>> {
        self.api_key.as_deref().map(ApiKey::new)
    }
}

/// Flag, environment, settings, default.
pub fn resolve_base_url(
    flag: Option<&str>,
    overrides: &Overrides,
    settings: &Settings,
) -> Result<BaseUrl, BaseUrlError> {
    match flag
        .or(overrides.base_url.as_deref())
        .or(settings.base_url.as_deref())
    {
        Some(s) => BaseUrl::parse(s),
        None => Ok(BaseUrl::default()),
    }
}

/// Flag, environment, settings; `Ok(None)` means "ask the key" (`GET /context`).
pub fn resolve_organization(
    flag: Option<&str>,
    overrides: &Overrides,
    settings: &Settings,
) -> Result<Option<OrganizationId>, OrganizationIdError> {
    flag.or(overrides.organization.as_deref())
        .or(settings.organization_id.as_deref())
        .map(OrganizationId::parse)
        .transpose()
}

/// What the key's account says about organizations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganizationChoice {
    /// Exactly one: use it.
    One(OrganizationId, String),
    /// Several: the operator must pick.
    Several(Vec<Organization>),
    /// None at all: the key cannot stage anything.
    NoneFound,
}

/// Which organization the key's account decides, if any.
pub fn choose_organization(context: &UserContext) -> OrganizationChoice {
    let valid: Vec<_> = context
        .organizations
        .iter()
        .filter(|o| OrganizationId::parse(&o.id).is_ok())
        .cloned()
        .collect();
    match valid.as_slice() {
        [] => OrganizationChoice::NoneFound,
        [only] => match OrganizationId::parse(&only.id) {
            Ok(id) => OrganizationChoice::One(id, only.name.clone()),
            Err(_) => OrganizationChoice::NoneFound,
        },
        _ => OrganizationChoice::Several(valid),
    }
}

/// Where the key in use came from; decides what may be done with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `ASTEROID_API_KEY`: never stored, cannot be signed out of here.
    Environment,
    /// Loaded from the key store.
    Stored,
    /// Typed or pasted, to be stored once the server accepts it.
    Typed,
}

/// A key and an organization that go together: everything a staging request needs.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The server.
    pub base: BaseUrl,
    /// The key, and where it came from.
    pub key: ApiKey,
    /// Where the key came from.
    pub key_source: KeySource,
    /// The organization files are staged for.
    pub organization: OrganizationId,
    /// Its name when the server said it; empty otherwise.
    pub organization_name: String,
    /// The account's email, when the key was checked with the server.
    pub email: Option<String>,
    /// The organization was decided just now (from the key or by the operator), not
    /// taken from a flag, the environment or the settings: worth remembering.
    pub organization_is_new: bool,
}

impl Connection {
    /// A client for this server and key.
    pub fn client(&self, options: ClientOptions) -> Result<ApiClient, ApiError> {
        ApiClient::new(self.base.clone(), &self.key, options)
    }
}

/// Why there is no usable key; `Display` says it in plain words for either face.
#[derive(Debug, Clone, thiserror::Error)]
pub enum KeyProblem {
    /// `ASTEROID_API_KEY` is set but cannot be a key.
    #[error("{}", crate::t!("session-environment-key-unusable", env = ENV_API_KEY, problem = .0.to_string()))]
    EnvironmentKeyUnusable(#[source] ApiKeyError),
    /// The key store could not be used.
    #[error("{0}")]
    Keychain(#[source] KeyStoreError),
    /// The server refused the key.
    #[error("{}", refused_message(*.from, .error))]
    Refused {
        /// Where the refused key came from.
        from: KeySource,
        /// What the server said.
        error: ApiError,
    },
    /// The server could not be asked about the key; it is kept for another try.
    #[error("{0}")]
    Unreachable(#[source] ApiError),
}

fn refused_message(source: KeySource, error: &ApiError) -> String {
    // The server's plain sentence goes inside this one; its details line stays last.
    let text = error.to_string();
    let (sentence, details) = match text.split_once('\n') {
        Some((sentence, details)) => (sentence, Some(details)),
        None => (text.as_str(), None),
    };
    let message = match source {
        KeySource::Environment => crate::t!(
            "session-environment-key-refused",
            env = ENV_API_KEY,
            error = sentence
        ),
        KeySource::Stored => crate::t!("session-stored-key-refused", error = sentence),
        KeySource::Typed => return text,
    };
    match details {
        Some(details) => format!("{message}\n{details}"),
        None => message,
    }
}

/// The operator must say which organization to stage for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationQuestion {
    /// The organizations the key belongs to (may be empty: then an ID must be typed).
    pub choices: Vec<Organization>,
    /// Why the question is asked, in plain words.
    pub message: String,
}

/// What the flow needs done next.
#[derive(Debug, Clone)]
pub enum Step {
    /// Read the stored key (a blocking keychain call) and give the result to
    /// [`KeyFlow::key_loaded`].
    LoadStoredKey,
    /// Ask the server who the key belongs to (`GET /context`) and give the result to
    /// [`KeyFlow::key_checked`].
    CheckKey(ApiKey),
    /// Put the accepted key in the store and give the result to [`KeyFlow::key_saved`].
    SaveKey(ApiKey),
    /// Ask the operator for a key ([`KeyFlow::key_entered`]); the problem says why, when
    /// there is one beyond "no key yet".
    AskForKey(Option<KeyProblem>),
    /// Ask which organization ([`KeyFlow::organization_chosen`]).
    AskForOrganization(OrganizationQuestion),
    /// Ready to stage.
    Ready(Connection),
}

/// From "no key" to "ready to stage", as plain state. See the module's documentation.
#[derive(Debug, Clone)]
pub struct KeyFlow {
    base: BaseUrl,
    environment_key: Option<Result<ApiKey, ApiKeyError>>,
    /// A flag's, the environment's or the settings' organization.
    preset: Result<Option<OrganizationId>, OrganizationIdError>,
    key: Option<(ApiKey, KeySource)>,
    context: Option<UserContext>,
    /// Accepted by the server, refused by the store: waiting for "this session only".
    unsaved: Option<ApiKey>,
}

impl KeyFlow {
    /// A flow for `base`, with the organization from `flag`, the environment or the
    /// settings (in that order) when one is set.
    pub fn new(
        base: BaseUrl,
        flag: Option<&str>,
        overrides: &Overrides,
        settings: &Settings,
    ) -> Self {
        Self {
            base,
            environment_key: overrides.api_key(),
            preset: resolve_organization(flag, overrides, settings),
            key: None,
            context: None,
            unsaved: None,
        }
    }

    /// The server this flow connects to.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The key in hand, if any (checked or not).
    pub fn key_source(&self) -> Option<KeySource> {
        self.key.as_ref().map(|(_, source)| *source)
    }

    /// Whether a key accepted by the server waits for the operator to keep it for this
    /// session only (the store refused it).
    pub fn has_unsaved_key(&self) -> bool {
        self.unsaved.is_some()
    }

    /// The first step: the environment's key, else the stored one.
    pub fn start(&mut self) -> Step {
        self.key = None;
        self.context = None;
        self.unsaved = None;
        match self.environment_key.clone() {
            Some(Ok(key)) => self.have_key(key, KeySource::Environment),
            Some(Err(e)) => Step::AskForKey(Some(KeyProblem::EnvironmentKeyUnusable(e))),
            None => Step::LoadStoredKey,
        }
    }

    /// What the store held.
    pub fn key_loaded(&mut self, result: Result<Option<ApiKey>, KeyStoreError>) -> Step {
        match result {
            Ok(Some(key)) => self.have_key(key, KeySource::Stored),
            Ok(None) => Step::AskForKey(None),
            Err(e) => Step::AskForKey(Some(KeyProblem::Keychain(e))),
        }
    }

    /// The operator typed or pasted a key: it is checked before it is stored.
    pub fn key_entered(&mut self, key: ApiKey) -> Step {
        self.unsaved = None;
        self.key = Some((key.clone(), KeySource::Typed));
        Step::CheckKey(key)
    }

    /// What the server said about the key.
    pub fn key_checked(&mut self, result: Result<UserContext, ApiError>) -> Step {
        let Some((key, source)) = self.key.clone() else {
            return Step::AskForKey(None);
        };
        match result {
            Ok(context) => {
                self.context = Some(context);
                if source == KeySource::Typed {
                    // Accepted: now into the store, and nowhere else.
                    Step::SaveKey(key)
                } else {
                    self.decide_organization()
                }
            }
            Err(error @ ApiError::BadKey { .. }) => {
                self.key = None;
                Step::AskForKey(Some(KeyProblem::Refused {
                    from: source,
                    error,
                }))
            }
            Err(error) => {
                // A stored or environment key that only failed to connect is still good:
                // kept, so "check again" does not need it typed.
                if source == KeySource::Typed {
                    self.key = None;
                }
                Step::AskForKey(Some(KeyProblem::Unreachable(error)))
            }
        }
    }

    /// Whether the store took the accepted key.
    pub fn key_saved(&mut self, result: Result<(), KeyStoreError>) -> Step {
        let Some((key, _)) = self.key.clone() else {
            return Step::AskForKey(None);
        };
        match result {
            Ok(()) => {
                self.key = Some((key, KeySource::Stored));
                self.decide_organization()
            }
            Err(e) => {
                self.unsaved = Some(key);
                self.key = None;
                Step::AskForKey(Some(KeyProblem::Keychain(e)))
            }
        }
    }

    /// No keychain: use the key the server accepted until the app closes. Without such a
    /// key, asks for one (which will then be kept the same way by the caller's store).
    pub fn keep_for_session(&mut self) -> Step {
        match self.unsaved.take() {
            Some(key) => {
                self.key = Some((key, KeySource::Stored));
                self.decide_organization()
            }
            None => Step::AskForKey(None),
        }
    }

    /// Tries again after a problem: the kept key is checked again, else from the top.
    pub fn retry(&mut self) -> Step {
        if let Some(key) = self.unsaved.clone() {
            self.key = Some((key.clone(), KeySource::Typed));
            self.unsaved = None;
            return Step::CheckKey(key);
        }
        match self.key.clone() {
            Some((key, _)) => Step::CheckKey(key),
            None => self.start(),
        }
    }

    /// The operator picked or typed an organization.
    pub fn organization_chosen(&mut self, organization: OrganizationId) -> Step {
        self.ready(organization, true)
    }

    /// Forget the preset organization and ask the key's account again.
    pub fn change_organization(&mut self) -> Step {
        self.preset = Ok(None);
        match self.key.clone() {
            Some((key, _)) => Step::CheckKey(key),
            None => self.start(),
        }
    }

    fn have_key(&mut self, key: ApiKey, source: KeySource) -> Step {
        self.key = Some((key.clone(), source));
        match self.preset {
            // Later runs go straight to work: the key was checked when it was saved (or
            // the environment vouches for it), and the organization is known.
            Ok(Some(organization)) => self.ready(organization, false),
            _ => Step::CheckKey(key),
        }
    }

    fn decide_organization(&mut self) -> Step {
        let bad_preset = match &self.preset {
            Ok(Some(organization)) => return self.ready(*organization, false),
            Ok(None) => None,
            Err(e) => Some(e.clone()),
        };
        let Some(context) = self.context.clone() else {
            return Step::AskForOrganization(OrganizationQuestion {
                choices: Vec::new(),
                message: crate::t!("session-enter-organization"),
            });
        };
        let prefix = bad_preset
            .map(|e| {
                crate::t!(
                    "session-saved-organization-unusable",
                    problem = e.to_string()
                )
            })
            .unwrap_or_default();
        match choose_organization(&context) {
            OrganizationChoice::One(id, _) if prefix.is_empty() => self.ready(id, true),
            OrganizationChoice::One(_, _) | OrganizationChoice::Several(_) => {
                let choices: Vec<Organization> = context
                    .organizations
                    .iter()
                    .filter(|o| OrganizationId::parse(&o.id).is_ok())
                    .cloned()
                    .collect();
                let message = if choices.len() > 1 {
                    crate::t!("session-choose-among-several")
                } else {
                    crate::t!("session-choose-organization")
                };
                Step::AskForOrganization(OrganizationQuestion {
                    choices,
                    message: format!("{prefix}{message}"),
                })
            }
            OrganizationChoice::NoneFound => Step::AskForOrganization(OrganizationQuestion {
                choices: Vec::new(),
                message: format!("{prefix}{}", crate::t!("session-no-organization-listed")),
            }),
        }
    }

    fn ready(&mut self, organization: OrganizationId, is_new: bool) -> Step {
        let Some((key, key_source)) = self.key.clone() else {
            return Step::AskForKey(None);
        };
        let name = self
            .context
            .iter()
            .flat_map(|c| &c.organizations)
            .find(|o| OrganizationId::parse(&o.id).ok() == Some(organization))
            .map(|o| o.name.clone())
            .unwrap_or_default();
        Step::Ready(Connection {
            base: self.base.clone(),
            key,
            key_source,
            organization,
            organization_name: name,
            email: self
                .context
                .as_ref()
                .map(|c| c.email.clone())
                .filter(|e| !e.is_empty()),
            organization_is_new: is_new,
        })
    }
}

/// Where the flow stopped when nobody can be asked (the command line).
#[derive(Debug, Clone)]
pub enum Unanswered {
    /// No usable key; the problem, if any beyond "none stored".
    Key(Option<KeyProblem>),
    /// The organization must be given.
    Organization(OrganizationQuestion),
}

/// Runs the flow to its end without asking anyone: the command line's way. Keychain calls
/// run on the blocking pool (each with its own deadline, see [`crate::key_store`]); nothing
/// is ever stored. While the server cannot be reached at all, `GET /context` is tried again
/// within `wait`, and `on_wait` is told each time (the error and the pause before the next
/// try) so the face can say it is waiting.
pub async fn connect_unattended(
    mut flow: KeyFlow,
    store: Arc<dyn ApiKeyStore>,
    options: ClientOptions,
    wait: NetworkWait,
    on_wait: &(dyn Fn(&ApiError, Duration) + Send + Sync),
) -> Result<Connection, Unanswered> {
    let mut step = flow.start();
    loop {
        step = match step {
            Step::LoadStoredKey => {
                let loaded = load_with_deadline(store.clone()).await;
                flow.key_loaded(loaded)
            }
            Step::CheckKey(key) => {
                let checked = match ApiClient::new(flow.base().clone(), &key, options.clone()) {
                    Ok(client) => context_waiting_for_network(&client, wait, on_wait).await,
                    Err(e) => Err(e),
                };
                flow.key_checked(checked)
            }
            // Only typed keys are saved, and nothing is typed here.
            Step::SaveKey(_) => flow.key_saved(Ok(())),
            Step::AskForKey(problem) => return Err(Unanswered::Key(problem)),
            Step::AskForOrganization(question) => return Err(Unanswered::Organization(question)),
            Step::Ready(connection) => return Ok(connection),
        }
    }
}

/// The stored key, read on a thread of its own rather than tokio's blocking pool: a
/// keychain call that never returns then holds no thread the runtime waits for when the
/// command ends. Bounded here too, for stores without a deadline of their own.
async fn load_with_deadline(store: Arc<dyn ApiKeyStore>) -> Result<Option<ApiKey>, KeyStoreError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("key load".into())
        .spawn(move || {
            let _ = tx.send(store.load());
        });
    if let Err(e) = spawned {
        return Err(KeyStoreError::Refused(e.to_string()));
    }
    let limit = KEYCHAIN_DEADLINE + Duration::from_secs(1);
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(_)) => Err(KeyStoreError::Refused(
            "the keychain call stopped unexpectedly".into(),
        )),
        Err(_) => Err(KeyStoreError::NoAnswer(KEYCHAIN_DEADLINE.as_secs())),
    }
}

/// `GET /context`, tried again while the server cannot be reached at all, within `wait`.
async fn context_waiting_for_network(
    client: &ApiClient,
    wait: NetworkWait,
    on_wait: &(dyn Fn(&ApiError, Duration) + Send + Sync),
) -> Result<UserContext, ApiError> {
    let started = tokio::time::Instant::now();
    let mut failed = 0;
    loop {
        match client.context().await {
            Err(error) if error.is_unreachable() => {
                failed += 1;
                let Some(pause) = wait.pause_after(failed, started.elapsed()) else {
                    return Err(error);
                };
                on_wait(&error, pause);
                tokio::time::sleep(pause).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests;
