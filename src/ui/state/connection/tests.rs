use std::time::{Duration, Instant};

use super::*;
use crate::api::{ApiError, UserContext};

const ORG: &str = "11111111-2222-3333-4444-555555555555";

fn state(store: MemoryKeyStore) -> ConnectionState {
    let store: Arc<dyn ApiKeyStore> = Arc::new(store);
    ConnectionState::new(
        Settings::default(),
        Overrides::default(),
        Arc::new(move |_| store.clone()),
        ClientOptions::default(),
    )
}

/// The attempt an effect belongs to (the first effect that says).
pub(in crate::ui::state) fn generation_of(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadKey { generation, .. }
            | Effect::CheckKey { generation, .. }
            | Effect::SaveKey { generation, .. }
            | Effect::DeleteKey { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("an effect with a generation")
}

/// What the server says of the tests' key: one organization, Acme.
pub(in crate::ui::state) fn context() -> UserContext {
    UserContext {
        user_id: "u".into(),
        email: "op@example.com".into(),
        organizations: vec![Organization {
            id: ORG.into(),
            name: "Acme".into(),
        }],
    }
}

#[test]
fn a_key_the_server_refuses_stays_unsaved_and_says_why() {
    let mut state = state(MemoryKeyStore::default());
    let effects = state.start();
    let g = generation_of(&effects);
    state.key_loaded(g, Ok(None));
    assert_eq!(state.phase, Phase::NeedKey);
    state.handle(ConnectionCommand::EditKey(Zeroizing::new(
        "sk-wrong".into(),
    )));
    let effects = state.handle(ConnectionCommand::SubmitKey);
    assert_eq!(state.phase, Phase::CheckingKey);
    let g = generation_of(&effects);
    let refused = ApiError::BadKey {
        status: 401,
        text: "Unauthorized".into(),
    };
    let effects = state.key_checked(g, Err(refused), Instant::now());
    assert!(effects.is_empty(), "nothing is saved");
    assert_eq!(state.phase, Phase::NeedKey);
    let error = state.key_form.error.clone().unwrap_or_default();
    assert!(error.contains("did not accept the API key"), "{error}");
}

#[test]
fn an_accepted_key_is_saved_then_its_organization_used_and_remembered() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    state.key_loaded(g, Ok(None));
    state.handle(ConnectionCommand::EditKey(Zeroizing::new(
        " sk-good \n".into(),
    )));
    let g = generation_of(&state.handle(ConnectionCommand::SubmitKey));
    let effects = state.key_checked(g, Ok(context()), Instant::now());
    assert!(
        matches!(effects.as_slice(), [Effect::SaveKey { key, .. }] if key.expose() == "sk-good")
    );
    let effects = state.key_saved(g, Ok(()));
    assert_eq!(state.phase, Phase::Ready);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Queue(crate::upload_queue::QueueCommand::SetTarget(t)) if t.is_some()))
    );
    assert!(effects.iter().any(
        |e| matches!(e, Effect::SaveSettings(s) if s.organization_id.as_deref() == Some(ORG))
    ));
    assert_eq!(
        state.organization().map(|(_, name)| name.to_owned()),
        Some("Acme".into())
    );
    assert!(state.key_form.input.is_empty(), "the typed key is wiped");
}

#[test]
fn late_answers_about_an_old_key_are_ignored() {
    let mut state = state(MemoryKeyStore::default());
    let old = generation_of(&state.start());
    state.handle(ConnectionCommand::SignOut);
    assert!(
        state
            .key_loaded(old, Ok(Some(ApiKey::new("k").unwrap())))
            .is_empty()
    );
    assert_eq!(state.phase, Phase::LoadingKey);
}

#[test]
fn an_organization_picked_from_several_is_used() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    let g = generation_of(&state.key_loaded(g, Ok(Some(ApiKey::new("k").unwrap()))));
    let mut two = context();
    two.organizations.push(Organization {
        id: "22222222-2222-3333-4444-555555555555".into(),
        name: "Beta".into(),
    });
    state.key_checked(g, Ok(two.clone()), Instant::now());
    assert_eq!(state.phase, Phase::ChooseOrganization);
    state.handle(ConnectionCommand::EditOrganization("acme".into()));
    state.handle(ConnectionCommand::SubmitManualOrganization);
    assert!(
        state
            .organization_form
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("is not an organization ID")
    );
    state.handle(ConnectionCommand::ChooseOrganization(
        two.organizations[1].clone(),
    ));
    assert_eq!(state.phase, Phase::Ready);
    assert_eq!(
        state.organization().map(|(_, n)| n.to_owned()),
        Some("Beta".into())
    );
}

#[test]
fn a_bad_server_address_opens_settings_and_a_good_one_starts_over() {
    let overrides = Overrides::default();
    let settings = Settings {
        base_url: Some("http://example.com/v2".into()),
        ..Settings::default()
    };
    let store: Arc<dyn ApiKeyStore> = Arc::new(MemoryKeyStore::default());
    let mut state = ConnectionState::new(
        settings,
        overrides,
        Arc::new(move |_| store.clone()),
        ClientOptions::default(),
    );
    let effects = state.start();
    assert_eq!(state.phase, Phase::BadServer);
    assert!(effects.iter().any(|e| matches!(e, Effect::ShowSettings)));
    state.handle(ConnectionCommand::EditBaseUrl(
        "https://staging.example/agents/v2".into(),
    ));
    let effects = state.handle(ConnectionCommand::SaveBaseUrl);
    assert_eq!(state.phase, Phase::LoadingKey);
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadKey { .. })));
    assert_eq!(state.base_url.host(), "staging.example");
}

#[test]
fn a_remembered_organization_keeps_its_name_on_the_next_start() {
    let mut first = state(MemoryKeyStore::default());
    let g = generation_of(&first.start());
    let g = generation_of(&first.key_loaded(g, Ok(Some(ApiKey::new("k").unwrap()))));
    let effects = first.key_checked(g, Ok(context()), Instant::now());
    let Some(Effect::SaveSettings(saved)) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveSettings(_)))
    else {
        panic!("the organization is remembered");
    };
    assert_eq!(saved.organization_name.as_deref(), Some("Acme"));
    // Next start: the stored key and the remembered organization, no server asked.
    let store: Arc<dyn ApiKeyStore> = Arc::new(MemoryKeyStore::with_key(ApiKey::new("k").unwrap()));
    let mut next = ConnectionState::new(
        saved,
        Overrides::default(),
        Arc::new(move |_| store.clone()),
        ClientOptions::default(),
    );
    let g = generation_of(&next.start());
    next.key_loaded(g, Ok(Some(ApiKey::new("k").unwrap())));
    assert_eq!(next.phase, Phase::Ready);
    assert_eq!(
        next.organization().map(|(_, n)| n.to_owned()),
        Some("Acme".into())
    );
}

/// What `GET /context` gives when nothing listens at the server's address: a real refused
/// connection on 127.0.0.1.
fn unreachable() -> ApiError {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .expect("a free port")
        .port();
    let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}/agents/v2")).expect("address");
    let client =
        crate::api::ApiClient::new(base, &ApiKey::new("k").unwrap(), ClientOptions::default())
            .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let error = runtime
        .block_on(client.context())
        .expect_err("nothing listens there");
    assert!(error.is_unreachable(), "{error:?}");
    error
}

fn timer(effects: &[Effect]) -> (Duration, u64, u32) {
    match effects {
        [
            Effect::RetryConnectionAfter {
                delay,
                generation,
                tries,
            },
        ] => (*delay, *generation, *tries),
        other => panic!("expected only a timer, got {} effects", other.len()),
    }
}

fn checks(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::CheckKey { key, .. } => Some(key.expose().to_owned()),
        _ => None,
    })
}

#[test]
fn a_stored_key_waits_for_the_network_and_is_never_called_bad() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    let g = generation_of(&state.key_loaded(g, Ok(Some(ApiKey::new("sk-stored").unwrap()))));
    let error = unreachable();
    let mut now = Instant::now();
    let mut pauses = Vec::new();
    let mut tries_seen = Vec::new();
    for _ in 0..6 {
        let effects = state.key_checked(g, Err(error.clone()), now);
        let (delay, generation, tries) = timer(&effects);
        pauses.push(delay.as_secs());
        tries_seen.push(tries);
        assert_eq!(state.phase, Phase::CheckingKey);
        let wait = state
            .network_wait
            .as_ref()
            .expect("waiting for the network");
        assert!(
            wait.reason.contains("nothing answered at 127.0.0.1"),
            "{}",
            wait.reason
        );
        assert_eq!(wait.retry_at, now + delay);
        assert_eq!(state.key_form.error, None, "the key is not called bad");
        now += delay;
        let again = state.retry_due(generation, tries);
        assert_eq!(checks(&again).as_deref(), Some("sk-stored"));
        assert!(state.network_wait.is_none());
    }
    // The queue's pauses: 2 s doubling to 20 s.
    assert_eq!(pauses, [2, 4, 8, 16, 20, 20]);
    assert_eq!(tries_seen, [1, 2, 3, 4, 5, 6]);
    // The server answers: the organization is found and files go.
    let effects = state.key_checked(g, Ok(context()), now);
    assert_eq!(state.phase, Phase::Ready);
    assert!(state.network_wait.is_none());
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Queue(crate::upload_queue::QueueCommand::SetTarget(t)) if t.is_some()
    )));
}

#[test]
fn a_typed_key_waits_then_is_saved_once_the_server_answers() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    state.key_loaded(g, Ok(None));
    state.handle(ConnectionCommand::EditKey(Zeroizing::new(
        "sk-typed".into(),
    )));
    let g = generation_of(&state.handle(ConnectionCommand::SubmitKey));
    let (_, _, tries) = timer(&state.key_checked(g, Err(unreachable()), Instant::now()));
    assert_eq!(tries, 1);
    assert_eq!(state.phase, Phase::CheckingKey);
    // Retry now: at once, with the same key; the pause that ran is forgotten.
    let effects = state.handle(ConnectionCommand::RetryConnectionNow);
    assert_eq!(checks(&effects).as_deref(), Some("sk-typed"));
    assert!(
        state.retry_due(g, tries).is_empty(),
        "the old timer is stale"
    );
    let effects = state.key_checked(g, Ok(context()), Instant::now());
    assert!(
        matches!(effects.as_slice(), [Effect::SaveKey { key, .. }] if key.expose() == "sk-typed")
    );
}

#[test]
fn a_stale_timer_or_answer_does_nothing() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    let g = generation_of(&state.key_loaded(g, Ok(Some(ApiKey::new("k").unwrap()))));
    let (_, _, tries) = timer(&state.key_checked(g, Err(unreachable()), Instant::now()));
    // Another server: the wait for the old one is over.
    state.handle(ConnectionCommand::EditBaseUrl(
        "https://other.example/v2".into(),
    ));
    state.handle(ConnectionCommand::SaveBaseUrl);
    assert!(state.network_wait.is_none());
    assert!(state.retry_due(g, tries).is_empty());
    assert!(
        state
            .key_checked(g, Err(unreachable()), Instant::now())
            .is_empty()
    );
    assert_eq!(state.phase, Phase::LoadingKey);
}

#[test]
fn stopping_the_wait_shows_the_key_form_and_keeps_a_stored_key() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    let g = generation_of(&state.key_loaded(g, Ok(Some(ApiKey::new("sk-stored").unwrap()))));
    let (_, _, tries) = timer(&state.key_checked(g, Err(unreachable()), Instant::now()));
    let effects = state.handle(ConnectionCommand::StopWaitingForNetwork);
    assert!(effects.is_empty(), "nothing deleted or saved");
    assert_eq!(state.phase, Phase::NeedKey);
    assert!(state.network_wait.is_none());
    assert!(
        state.retry_due(g, tries).is_empty(),
        "no try after stopping"
    );
    let error = state.key_form.error.clone().unwrap_or_default();
    assert!(!error.contains("no longer works"), "{error}");
    // The stored key is still the one checked on "try again".
    let effects = state.handle(ConnectionCommand::RetryKeychain);
    assert_eq!(checks(&effects).as_deref(), Some("sk-stored"));
}

#[test]
fn a_refused_key_after_waiting_is_refused_and_the_wait_ends() {
    let mut state = state(MemoryKeyStore::default());
    let g = generation_of(&state.start());
    state.key_loaded(g, Ok(None));
    state.handle(ConnectionCommand::EditKey(Zeroizing::new("sk-bad".into())));
    let g = generation_of(&state.handle(ConnectionCommand::SubmitKey));
    let (_, generation, tries) = timer(&state.key_checked(g, Err(unreachable()), Instant::now()));
    state.retry_due(generation, tries);
    let refused = ApiError::BadKey {
        status: 401,
        text: "Unauthorized".into(),
    };
    state.key_checked(g, Err(refused), Instant::now());
    assert_eq!(state.phase, Phase::NeedKey);
    assert!(state.network_wait.is_none());
    // A later failure starts again from the first pause.
    let g = generation_of(&state.handle(ConnectionCommand::SubmitKey));
    let (delay, _, tries) = timer(&state.key_checked(g, Err(unreachable()), Instant::now()));
    assert_eq!((delay, tries), (Duration::from_secs(2), 1));
}
