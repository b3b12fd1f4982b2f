use super::*;

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

fn generation_of(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadKey { generation, .. }
            | Effect::CheckKey { generation, .. }
            | Effect::SaveKey { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("an effect with a generation")
}

fn context() -> UserContext {
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
    let effects = state.key_checked(g, Err(refused));
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
    let effects = state.key_checked(g, Ok(context()));
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
    state.key_checked(g, Ok(two.clone()));
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
    let effects = first.key_checked(g, Ok(context()));
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
