//! Which server, key and organization a run uses, decided the same way by the window and
//! the command line: a flag first, then the environment (`ASTEROID_BASE_URL`,
//! `ASTEROID_API_KEY`, `ASTEROID_ORG_ID`), then the saved settings (the keychain for the
//! key), then the default or what the key itself says (`GET /context`).

use crate::api::{Organization, UserContext};
use crate::endpoint::{BaseUrl, BaseUrlError, OrganizationId, OrganizationIdError};
use crate::key_store::{ApiKey, ApiKeyError};
use crate::settings::Settings;

pub const ENV_API_KEY: &str = "ASTEROID_API_KEY";
pub const ENV_BASE_URL: &str = "ASTEROID_BASE_URL";
pub const ENV_ORG_ID: &str = "ASTEROID_ORG_ID";

/// Values from the environment, read once at start so tests can supply their own.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub api_key: Option<String>,
    pub base_url: Option<String>,
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

#[cfg(test)]
mod tests {
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
}
