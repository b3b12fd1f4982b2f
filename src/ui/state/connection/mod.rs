//! The window's side of the key-to-organization flow: which step it is at, the forms the
//! operator fills in, and the effects that move it on. The rules themselves are the core's
//! [`KeyFlow`]; this only says what the window shows and asks the app to do.

use std::sync::Arc;

use zeroize::Zeroizing;

mod network;

pub use network::{ConnectionWait, NetworkBackoff};

use super::{NoticeLevel, NoticeTopic};
use crate::api::{ClientOptions, Organization};
use crate::endpoint::{BaseUrl, OrganizationId};
use crate::key_store::{ApiKey, ApiKeyStore, KeyStoreError, MemoryKeyStore};
use crate::messages::Language;
use crate::session::{self, Connection, KeyFlow, KeyProblem, KeySource, Overrides, Step};
use crate::settings::Settings;
use crate::t;
use crate::ui::command::{ConnectionCommand, Effect};
use crate::upload_queue::{QueueCommand, Target};

/// Makes the key store for a server. In the app: the OS keychain, account = API host, so a
/// new server address means another store. In tests: one shared [`MemoryKeyStore`].
pub type KeyStoreFactory = Arc<dyn Fn(&BaseUrl) -> Arc<dyn ApiKeyStore> + Send + Sync>;

/// The steps from "no key" to "ready to stage", as the window shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the keychain.
    LoadingKey,
    /// Asking for a key.
    NeedKey,
    /// Asking the server who the key belongs to.
    CheckingKey,
    /// Putting an accepted key in the keychain.
    SavingKey,
    /// Several organizations (or none readable): the operator picks or types one.
    ChooseOrganization,
    /// Key and organization known: files are sent as soon as they are added.
    Ready,
    /// The server address from the environment or the settings is not valid.
    BadServer,
}

/// The key entry form. The typed key lives here (wiped when dropped) until the server
/// accepted it and the store took it.
#[derive(Default)]
pub struct KeyForm {
    /// What is typed.
    pub input: Zeroizing<String>,
    /// Show the characters.
    pub show: bool,
    /// Why the last key did not work.
    pub error: Option<String>,
    /// The keychain could not be used: offer the key for this session only.
    pub keychain_problem: Option<KeyStoreError>,
    /// A key the server accepted waits for "this session only": the form is not needed.
    pub accepted_waiting: bool,
    /// Replacing a working key: offer to go back to it.
    pub replacing: bool,
}

/// The organization picker.
#[derive(Debug, Default)]
pub struct OrganizationForm {
    /// The key's organizations.
    pub choices: Vec<Organization>,
    /// A typed ID.
    pub input: String,
    /// Why the typed ID is not one.
    pub error: Option<String>,
    /// Why the question is asked.
    pub message: Option<String>,
}

/// Key, organization and server.
pub struct ConnectionState {
    /// The step the window is at.
    pub phase: Phase,
    /// The organization in use when "Choose another organization" was clicked: Cancel
    /// goes back to it.
    pub organization_before_change: Option<String>,
    /// The server in use.
    pub base_url: BaseUrl,
    /// Why the configured server address is not usable.
    pub base_url_problem: Option<String>,
    /// The server address field.
    pub base_url_input: String,
    /// Why the typed server address is not one.
    pub base_url_error: Option<String>,
    /// The environment's values.
    pub overrides: Overrides,
    /// The operator's settings (this state owns them: the server and organization live here).
    pub settings: Settings,
    /// The key and organization in use, once ready (kept while another key is entered).
    pub connection: Option<Connection>,
    /// The key form.
    pub key_form: KeyForm,
    /// The organization picker.
    pub organization_form: OrganizationForm,
    /// Where the key is kept.
    pub key_store: Arc<dyn ApiKeyStore>,
    /// The server could not be reached while checking the key: waiting to try again.
    pub network_wait: Option<ConnectionWait>,
    /// Unreachable tries in a row (the pause grows with them).
    unreachable_tries: u32,
    network_backoff: NetworkBackoff,
    key_store_factory: KeyStoreFactory,
    client_options: ClientOptions,
    flow: KeyFlow,
    /// Bumped whenever the server or key changes: late answers about an old one are ignored.
    generation: u64,
}

impl ConnectionState {
    /// The state at start-up, from the settings and the environment.
    pub fn new(
        settings: Settings,
        overrides: Overrides,
        key_store_factory: KeyStoreFactory,
        client_options: ClientOptions,
    ) -> Self {
        let (base_url, base_url_problem) =
            match session::resolve_base_url(None, &overrides, &settings) {
                Ok(url) => (url, None),
                Err(e) if overrides.base_url.is_some() => (
                    BaseUrl::default(),
                    Some(t!(
                        "connection-base-url-from-env",
                        problem = e.to_string(),
                        variable = session::ENV_BASE_URL
                    )),
                ),
                Err(e) => (BaseUrl::default(), Some(e.to_string())),
            };
        let key_store = key_store_factory(&base_url);
        let flow = KeyFlow::new(base_url.clone(), None, &overrides, &settings);
        Self {
            phase: Phase::LoadingKey,
            organization_before_change: None,
            base_url_input: base_url.to_string(),
            base_url_error: base_url_problem.clone(),
            base_url,
            base_url_problem,
            overrides,
            settings,
            connection: None,
            key_form: KeyForm::default(),
            organization_form: OrganizationForm::default(),
            key_store,
            network_wait: None,
            unreachable_tries: 0,
            network_backoff: NetworkBackoff::default(),
            key_store_factory,
            client_options,
            flow,
            generation: 0,
        }
    }

    /// Waits for the network with these pauses (the queue's, so both wait alike).
    pub fn with_network_backoff(mut self, backoff: NetworkBackoff) -> Self {
        self.network_backoff = backoff;
        self
    }

    /// A new attempt (another key, server or step): late answers about the old one are
    /// ignored, and any wait for the network is over.
    fn new_attempt(&mut self) {
        self.generation += 1;
        self.stop_wait();
    }

    /// From the top: the environment's key, or the stored one, or ask.
    pub fn start(&mut self) -> Vec<Effect> {
        self.new_attempt();
        self.connection = None;
        let mut effects = vec![Effect::Queue(QueueCommand::SetTarget(Box::new(None)))];
        if self.base_url_problem.is_some() {
            self.phase = Phase::BadServer;
            effects.push(Effect::ShowSettings);
            return effects;
        }
        let step = self.flow.start();
        effects.extend(self.step(step));
        effects
    }

    /// Where the key in use came from, if there is one.
    pub fn key_source(&self) -> Option<KeySource> {
        self.connection.as_ref().map(|c| c.key_source)
    }

    /// The organization in use, with its name when known.
    pub fn organization(&self) -> Option<(OrganizationId, &str)> {
        self.connection
            .as_ref()
            .map(|c| (c.organization, c.organization_name.as_str()))
    }

    /// Folds a command in.
    pub fn handle(&mut self, command: ConnectionCommand) -> Vec<Effect> {
        match command {
            ConnectionCommand::EditKey(text) => {
                self.key_form.input = text;
                Vec::new()
            }
            ConnectionCommand::ToggleShowKey => {
                self.key_form.show = !self.key_form.show;
                Vec::new()
            }
            ConnectionCommand::SubmitKey => match ApiKey::new(&self.key_form.input) {
                Ok(key) => {
                    self.key_form.keychain_problem = None;
                    self.new_attempt();
                    let step = self.flow.key_entered(key);
                    self.step(step)
                }
                Err(e) => {
                    self.key_form.error = Some(e.to_string());
                    Vec::new()
                }
            },
            ConnectionCommand::UseKeyForSessionOnly => {
                self.key_store = Arc::new(MemoryKeyStore::default());
                self.key_form.keychain_problem = None;
                self.key_form.accepted_waiting = false;
                self.key_form.error = None;
                self.new_attempt();
                let step = self.flow.keep_for_session();
                self.step(step)
            }
            ConnectionCommand::RetryKeychain => {
                self.key_form.keychain_problem = None;
                self.key_form.accepted_waiting = false;
                self.new_attempt();
                let step = self.flow.retry();
                self.step(step)
            }
            ConnectionCommand::ReplaceKey => {
                self.key_form = KeyForm {
                    replacing: true,
                    ..KeyForm::default()
                };
                self.phase = Phase::NeedKey;
                Vec::new()
            }
            ConnectionCommand::CancelReplaceKey => {
                self.key_form = KeyForm::default();
                self.phase = if self.connection.is_some() {
                    Phase::Ready
                } else {
                    Phase::NeedKey
                };
                Vec::new()
            }
            ConnectionCommand::SignOut => {
                self.new_attempt();
                self.connection = None;
                self.key_form = KeyForm::default();
                self.phase = Phase::LoadingKey;
                vec![
                    Effect::Queue(QueueCommand::SetTarget(Box::new(None))),
                    Effect::DeleteKey {
                        store: self.key_store.clone(),
                        generation: self.generation,
                    },
                ]
            }
            ConnectionCommand::ChooseOrganization(organization) => {
                self.organization_before_change = None;
                self.organization_chosen(&organization.id)
            }
            ConnectionCommand::KeepOrganization => match self.organization_before_change.take() {
                Some(id) => self.organization_chosen(&id),
                None => Vec::new(),
            },
            ConnectionCommand::EditOrganization(text) => {
                self.organization_form.input = text;
                Vec::new()
            }
            ConnectionCommand::SubmitManualOrganization => {
                let input = self.organization_form.input.clone();
                self.organization_chosen(&input)
            }
            ConnectionCommand::ChangeOrganization => {
                if self.connection.is_none() {
                    return Vec::new();
                }
                // Forget the remembered one so the key's list is offered again.
                self.organization_before_change = self.settings.organization_id.clone();
                self.settings.organization_id = None;
                self.settings.organization_name = None;
                self.new_attempt();
                self.connection = None;
                let mut effects = vec![
                    Effect::Queue(QueueCommand::SetTarget(Box::new(None))),
                    Effect::SaveSettings(self.settings.clone()),
                ];
                let step = self.flow.change_organization();
                effects.extend(self.step(step));
                effects
            }
            ConnectionCommand::EditBaseUrl(text) => {
                self.base_url_input = text;
                Vec::new()
            }
            ConnectionCommand::SaveBaseUrl => {
                let input = self.base_url_input.clone();
                self.save_base_url(BaseUrl::parse(&input))
            }
            ConnectionCommand::ResetBaseUrl => self.save_base_url(Ok(BaseUrl::default())),
            ConnectionCommand::ToggleNotifications => {
                self.settings.notify_when_staged = !self.settings.notify_when_staged;
                vec![Effect::SaveSettings(self.settings.clone())]
            }
            ConnectionCommand::ChooseLanguage(language) => {
                self.settings.language = language.map(|l| l.code().to_string());
                vec![
                    Effect::UseLanguage(Language::choose(self.settings.language.as_deref())),
                    Effect::SaveSettings(self.settings.clone()),
                ]
            }
            ConnectionCommand::RetryConnectionNow => self.retry_now(),
            ConnectionCommand::StopWaitingForNetwork => self.stop_waiting(),
        }
    }

    /// An organization picked or typed: used when it is one, else the form says why.
    fn organization_chosen(&mut self, id: &str) -> Vec<Effect> {
        match OrganizationId::parse(id) {
            Ok(id) => {
                let step = self.flow.organization_chosen(id);
                self.step(step)
            }
            Err(e) => {
                self.organization_form.error = Some(e.to_string());
                Vec::new()
            }
        }
    }

    /// The store's answer.
    pub fn key_loaded(
        &mut self,
        generation: u64,
        result: Result<Option<ApiKey>, KeyStoreError>,
    ) -> Vec<Effect> {
        self.answered(generation, |flow| flow.key_loaded(result))
    }

    /// Whether the store took the key.
    pub fn key_saved(&mut self, generation: u64, result: Result<(), KeyStoreError>) -> Vec<Effect> {
        self.answered(generation, |flow| flow.key_saved(result))
    }

    /// An answer moves the flow on, unless it is about an older attempt (another key or
    /// server since): then it is ignored.
    fn answered(
        &mut self,
        generation: u64,
        advance: impl FnOnce(&mut KeyFlow) -> Step,
    ) -> Vec<Effect> {
        if generation != self.generation {
            return Vec::new();
        }
        let step = advance(&mut self.flow);
        self.step(step)
    }

    /// Whether the key was removed.
    pub fn key_deleted(
        &mut self,
        generation: u64,
        result: Result<bool, KeyStoreError>,
    ) -> Vec<Effect> {
        if generation != self.generation {
            return Vec::new();
        }
        self.phase = Phase::NeedKey;
        self.flow = KeyFlow::new(
            self.base_url.clone(),
            None,
            &Overrides::default(),
            &self.settings,
        );
        // All of it is about being signed out: it goes once a key is accepted.
        let mut effects = vec![match result {
            Ok(_) => Effect::NoticeAbout(
                NoticeTopic::SignedOut,
                NoticeLevel::Info,
                t!("connection-signed-out"),
            ),
            Err(e) => Effect::NoticeAbout(
                NoticeTopic::SignedOut,
                NoticeLevel::Warning,
                t!("connection-key-not-removed", reason = e.to_string()),
            ),
        }];
        if self.overrides.api_key.is_some() {
            effects.push(Effect::NoticeAbout(
                NoticeTopic::SignedOut,
                NoticeLevel::Info,
                t!(
                    "connection-env-key-still-set",
                    variable = session::ENV_API_KEY
                ),
            ));
        }
        effects
    }

    /// The settings file could not be written.
    pub fn settings_saved(
        &self,
        result: Result<(), String>,
        path: &std::path::Path,
    ) -> Vec<Effect> {
        match result {
            Ok(()) => vec![Effect::Resolved(NoticeTopic::SettingsNotSaved)],
            Err(reason) => vec![Effect::NoticeAbout(
                NoticeTopic::SettingsNotSaved,
                NoticeLevel::Warning,
                t!(
                    "connection-settings-not-saved",
                    path = path.display().to_string(),
                    reason = reason
                ),
            )],
        }
    }

    /// Turns the flow's next step into what the window shows and the effects that run it.
    fn step(&mut self, step: Step) -> Vec<Effect> {
        let generation = self.generation;
        match step {
            Step::LoadStoredKey => {
                self.phase = Phase::LoadingKey;
                vec![Effect::LoadKey {
                    store: self.key_store.clone(),
                    generation,
                }]
            }
            Step::CheckKey(key) => {
                self.phase = Phase::CheckingKey;
                self.key_form.error = None;
                vec![Effect::CheckKey {
                    base: self.base_url.clone(),
                    key,
                    options: self.client_options.clone(),
                    generation,
                }]
            }
            Step::SaveKey(key) => {
                self.phase = Phase::SavingKey;
                vec![Effect::SaveKey {
                    store: self.key_store.clone(),
                    key,
                    generation,
                }]
            }
            Step::AskForKey(problem) => {
                self.phase = Phase::NeedKey;
                match problem {
                    Some(KeyProblem::Keychain(e)) => {
                        self.key_form.keychain_problem = Some(e);
                        self.key_form.accepted_waiting = self.flow.has_unsaved_key();
                    }
                    Some(problem) => self.key_form.error = Some(problem.to_string()),
                    None => {}
                }
                Vec::new()
            }
            Step::AskForOrganization(question) => {
                self.phase = Phase::ChooseOrganization;
                self.organization_form = OrganizationForm {
                    choices: question.choices,
                    message: Some(question.message),
                    ..OrganizationForm::default()
                };
                Vec::new()
            }
            Step::Ready(connection) => self.ready(connection),
        }
    }

    /// The last step: with key and organization known, the queue starts sending.
    fn ready(&mut self, mut connection: Connection) -> Vec<Effect> {
        // A remembered organization keeps the name it was chosen with.
        if connection.organization_name.is_empty()
            && self.settings.organization_id.as_deref()
                == Some(connection.organization.to_string().as_str())
        {
            connection.organization_name =
                self.settings.organization_name.clone().unwrap_or_default();
        }
        let client = match connection.client(self.client_options.clone()) {
            Ok(client) => client,
            Err(e) => {
                self.phase = Phase::NeedKey;
                self.key_form.error = Some(e.to_string());
                return Vec::new();
            }
        };
        let mut effects = vec![
            Effect::Queue(QueueCommand::SetTarget(Box::new(Some(Target {
                client,
                organization: connection.organization,
            })))),
            // A key works again: what was said about signing out is over.
            Effect::Resolved(NoticeTopic::SignedOut),
        ];
        if connection.organization_is_new && self.overrides.organization.is_none() {
            self.settings.organization_id = Some(connection.organization.to_string());
            self.settings.organization_name =
                Some(connection.organization_name.clone()).filter(|n| !n.is_empty());
            effects.push(Effect::SaveSettings(self.settings.clone()));
        }
        self.key_form = KeyForm::default();
        self.organization_form = OrganizationForm::default();
        self.connection = Some(connection);
        self.phase = Phase::Ready;
        effects
    }

    fn save_base_url(
        &mut self,
        parsed: Result<BaseUrl, crate::endpoint::BaseUrlError>,
    ) -> Vec<Effect> {
        let url = match parsed {
            Ok(url) => url,
            Err(e) => {
                self.base_url_error = Some(e.to_string());
                return Vec::new();
            }
        };
        self.settings.base_url = (url != BaseUrl::default()).then(|| url.to_string());
        self.base_url_input = url.to_string();
        self.base_url_error = None;
        let changed = url != self.base_url || self.phase == Phase::BadServer;
        self.base_url_problem = None;
        self.base_url = url;
        let mut effects = vec![Effect::SaveSettings(self.settings.clone())];
        if changed {
            // Another server, another keychain entry: start again from it.
            self.key_store = (self.key_store_factory)(&self.base_url);
            self.key_form = KeyForm::default();
            self.flow = KeyFlow::new(self.base_url.clone(), None, &self.overrides, &self.settings);
            effects.extend(self.start());
        }
        effects
    }
}

#[cfg(test)]
pub(in crate::ui::state) mod tests;
