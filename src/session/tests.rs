use super::*;

#[test]
fn flag_beats_environment_beats_settings() {
    let settings = Settings {
        base_url: Some("https://settings.example/v2".into()),
        organization_id: Some("33333333-2222-3333-4444-555555555555".into()),
        ..Settings::default()
    };
    let env = Overrides {
        base_url: Some("https://env.example/v2".into()),
        organization: Some("22222222-2222-3333-4444-555555555555".into()),
        ..Overrides::default()
    };
    let none = Overrides::default();
    let url = |f, o: &Overrides, s: &Settings| resolve_base_url(f, o, s).unwrap().host();
    assert_eq!(
        url(Some("https://flag.example"), &env, &settings),
        "flag.example"
    );
    assert_eq!(url(None, &env, &settings), "env.example");
    assert_eq!(url(None, &none, &settings), "settings.example");
    assert_eq!(
        url(None, &none, &Settings::default()),
        "odyssey.asteroid.ai"
    );
    let org = resolve_organization(None, &env, &settings)
        .unwrap()
        .unwrap();
    assert_eq!(org.to_string(), "22222222-2222-3333-4444-555555555555");
    assert_eq!(
        resolve_organization(None, &none, &Settings::default()),
        Ok(None)
    );
    assert!(resolve_organization(Some("acme"), &none, &settings).is_err());
}

#[test]
fn the_key_decides_when_it_has_one_organization() {
    let org = |id: &str| Organization {
        id: id.into(),
        name: "Acme".into(),
    };
    let ctx = |orgs| UserContext {
        user_id: "u".into(),
        email: "e".into(),
        organizations: orgs,
    };
    assert!(matches!(
        choose_organization(&ctx(vec![org("11111111-2222-3333-4444-555555555555")])),
        OrganizationChoice::One(_, name) if name == "Acme"
    ));
    assert_eq!(
        choose_organization(&ctx(vec![])),
        OrganizationChoice::NoneFound
    );
    assert!(matches!(
        choose_organization(&ctx(vec![
            org("11111111-2222-3333-4444-555555555555"),
            org("21111111-2222-3333-4444-555555555555")
        ])),
        OrganizationChoice::Several(v) if v.len() == 2
    ));
}

fn context(orgs: &[(&str, &str)]) -> UserContext {
    UserContext {
        user_id: "u".into(),
        email: "op@example.com".into(),
        organizations: orgs
            .iter()
            .map(|(id, name)| Organization {
                id: (*id).into(),
                name: (*name).into(),
            })
            .collect(),
    }
}

const ORG_A: &str = "11111111-2222-3333-4444-555555555555";
const ORG_B: &str = "21111111-2222-3333-4444-555555555555";

fn refused() -> ApiError {
    ApiError::BadKey {
        status: 401,
        text: "Unauthorized".into(),
    }
}

#[test]
fn a_typed_key_is_checked_then_stored_then_its_only_organization_used() {
    let mut flow = KeyFlow::new(
        BaseUrl::default(),
        None,
        &Overrides::default(),
        &Settings::default(),
    );
    assert!(matches!(flow.start(), Step::LoadStoredKey));
    assert!(matches!(flow.key_loaded(Ok(None)), Step::AskForKey(None)));
    let key = ApiKey::new("k-1").unwrap();
    assert!(matches!(flow.key_entered(key), Step::CheckKey(_)));
    assert!(matches!(
        flow.key_checked(Ok(context(&[(ORG_A, "Acme")]))),
        Step::SaveKey(_)
    ));
    let Step::Ready(connection) = flow.key_saved(Ok(())) else {
        panic!("not ready");
    };
    assert_eq!(connection.organization.to_string(), ORG_A);
    assert_eq!(connection.organization_name, "Acme");
    assert_eq!(connection.key_source, KeySource::Stored);
    assert!(connection.organization_is_new);
    assert_eq!(connection.email.as_deref(), Some("op@example.com"));
}

#[test]
fn a_key_the_server_refuses_is_dropped_and_asked_again() {
    let mut flow = KeyFlow::new(
        BaseUrl::default(),
        None,
        &Overrides::default(),
        &Settings::default(),
    );
    flow.start();
    flow.key_loaded(Ok(Some(ApiKey::new("old").unwrap())));
    let step = flow.key_checked(Err(refused()));
    let Step::AskForKey(Some(problem)) = step else {
        panic!("expected a key problem");
    };
    assert!(
        problem
            .to_string()
            .starts_with("The saved key no longer works."),
        "{problem}"
    );
    assert_eq!(flow.key_source(), None);
    // Unreachable is different: the stored key is kept for another try.
    flow.key_loaded(Ok(Some(ApiKey::new("old").unwrap())));
    let offline = ApiError::NoAnswer(std::time::Duration::from_secs(1));
    assert!(matches!(
        flow.key_checked(Err(offline)),
        Step::AskForKey(Some(KeyProblem::Unreachable(_)))
    ));
    assert!(matches!(flow.retry(), Step::CheckKey(_)));
}

#[test]
fn several_organizations_are_asked_and_the_pick_is_used() {
    let mut flow = KeyFlow::new(
        BaseUrl::default(),
        None,
        &Overrides::default(),
        &Settings::default(),
    );
    flow.start();
    flow.key_loaded(Ok(Some(ApiKey::new("k").unwrap())));
    let Step::AskForOrganization(question) =
        flow.key_checked(Ok(context(&[(ORG_A, "Acme"), (ORG_B, "Beta")])))
    else {
        panic!("expected a question");
    };
    assert_eq!(question.choices.len(), 2);
    let picked = OrganizationId::parse(ORG_B).unwrap();
    let Step::Ready(connection) = flow.organization_chosen(picked) else {
        panic!("not ready");
    };
    assert_eq!(connection.organization_name, "Beta");
}

#[test]
fn a_known_organization_and_a_stored_key_skip_the_server() {
    let settings = Settings {
        organization_id: Some(ORG_A.into()),
        ..Settings::default()
    };
    let mut flow = KeyFlow::new(BaseUrl::default(), None, &Overrides::default(), &settings);
    flow.start();
    let Step::Ready(connection) = flow.key_loaded(Ok(Some(ApiKey::new("k").unwrap()))) else {
        panic!("not ready");
    };
    assert!(!connection.organization_is_new);
    // The environment's key wins over the store, and a bad one is said plainly.
    let env = Overrides {
        api_key: Some("a b".into()),
        ..Overrides::default()
    };
    let mut flow = KeyFlow::new(BaseUrl::default(), None, &env, &settings);
    let Step::AskForKey(Some(problem)) = flow.start() else {
        panic!("expected a problem");
    };
    assert!(problem.to_string().contains(ENV_API_KEY));
}

#[test]
fn a_keychain_that_refuses_the_key_offers_this_session_only() {
    let mut flow = KeyFlow::new(
        BaseUrl::default(),
        Some(ORG_A),
        &Overrides::default(),
        &Settings::default(),
    );
    flow.start();
    flow.key_loaded(Ok(None));
    flow.key_entered(ApiKey::new("k").unwrap());
    flow.key_checked(Ok(context(&[(ORG_A, "Acme")])));
    let locked = KeyStoreError::Locked("locked".into());
    assert!(matches!(
        flow.key_saved(Err(locked)),
        Step::AskForKey(Some(KeyProblem::Keychain(_)))
    ));
    assert!(flow.has_unsaved_key());
    assert!(matches!(flow.keep_for_session(), Step::Ready(_)));
}

#[test]
fn the_environment_s_key_wins_over_the_stored_one() {
    let env = Overrides {
        api_key: Some("from-env".into()),
        ..Overrides::default()
    };
    let mut flow = KeyFlow::new(BaseUrl::default(), None, &env, &Settings::default());
    // The store is never asked.
    let Step::CheckKey(key) = flow.start() else {
        panic!("the environment's key is checked, the store not read");
    };
    assert_eq!(key.expose(), "from-env");
    assert_eq!(flow.key_source(), Some(KeySource::Environment));
}
