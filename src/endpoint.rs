//! Where requests go and for whom: the API's base URL and the organization ID, both parsed
//! from what an operator types or pastes, with a plain message when they are wrong.

use std::fmt;
use std::net::IpAddr;

use url::Url;
use uuid::Uuid;

/// A validated API base URL such as `https://odyssey.asteroid.ai/agents/v2`.
///
/// Plain `http://` is refused unless the host is this machine: the API key travels in a
/// header, and over plain HTTP anyone on the path could read it.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// Why a typed server address is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[expect(missing_docs, reason = "each variant's message is its documentation")]
pub enum BaseUrlError {
    #[error("{}", crate::t!("endpoint-empty", example = crate::DEFAULT_BASE_URL))]
    Empty,
    #[error("{}", crate::t!("endpoint-not-a-url", typed = .0.as_str(), example = crate::DEFAULT_BASE_URL))]
    NotAUrl(String),
    #[error("{}", crate::t!("endpoint-insecure", typed = .0.as_str()))]
    InsecureScheme(String),
    #[error("{}", crate::t!("endpoint-credentials"))]
    HasCredentials,
    #[error("{}", crate::t!("endpoint-query", example = crate::DEFAULT_BASE_URL))]
    HasQueryOrFragment,
}

impl BaseUrl {
    /// Parses what the operator typed or pasted.
    pub fn parse(input: &str) -> Result<Self, BaseUrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(BaseUrlError::Empty);
        }
        // Whitespace inside a pasted address is a copy accident, never part of a URL.
        if trimmed.chars().any(char::is_whitespace) {
            return Err(BaseUrlError::NotAUrl(shorten(trimmed)));
        }
        let url = Url::parse(trimmed).map_err(|_| BaseUrlError::NotAUrl(shorten(trimmed)))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BaseUrlError::InsecureScheme(shorten(trimmed))),
            _ => return Err(BaseUrlError::NotAUrl(shorten(trimmed))),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(BaseUrlError::NotAUrl(shorten(trimmed)));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlError::HasCredentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlError::HasQueryOrFragment);
        }
        let mut url = url;
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(Self(url))
    }

    /// The host name, used as the keychain account so that keys for different servers
    /// never mix.
    pub fn host(&self) -> String {
        self.0.host_str().unwrap_or_default().to_owned()
    }

    /// The URL of an endpoint below the base, e.g. `join(&["temp-files", org])`.
    pub fn join(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// The address as a URL.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// True when the server is this computer (where plain `http://` is allowed and no
    /// proxy is ever used).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }

    /// True when `other` is the same scheme, host and port: only there may the key follow.
    pub fn same_origin(&self, other: &Url) -> bool {
        self.0.origin() == other.origin()
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self(Url::parse(crate::DEFAULT_BASE_URL).expect("the default base URL is valid"))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.0)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Keeps messages readable when someone pastes a whole document into a field.
fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

/// An organization ID: a UUID. Stray spaces and braces around a pasted ID are forgiven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationId(Uuid);

/// What was typed instead of an organization ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("endpoint-not-an-organization-id", typed = .0.as_str()))]
pub struct OrganizationIdError(String);

impl OrganizationId {
    /// Parses what the operator typed or pasted.
    pub fn parse(input: &str) -> Result<Self, OrganizationIdError> {
        let trimmed = input.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(trimmed)
            .trim();
        // Only the hyphenated form: the simple and URN forms are accepted by `Uuid`, but an
        // operator pasting those has almost certainly pasted the wrong thing.
        if inner.len() != 36 {
            return Err(OrganizationIdError(shorten(trimmed)));
        }
        Uuid::try_parse(inner)
            .map(Self)
            .map_err(|_| OrganizationIdError(shorten(trimmed)))
    }
}

impl fmt::Display for OrganizationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_accepts_https_and_loopback_http() {
        let u = BaseUrl::parse(" https://odyssey.asteroid.ai/agents/v2/ ").unwrap();
        assert_eq!(u.to_string(), "https://odyssey.asteroid.ai/agents/v2");
        assert_eq!(u.host(), "odyssey.asteroid.ai");
        assert_eq!(
            u.join(&["temp-files", "abc"]).as_str(),
            "https://odyssey.asteroid.ai/agents/v2/temp-files/abc"
        );
        assert!(BaseUrl::parse("http://127.0.0.1:8080/v2").is_ok());
        assert!(BaseUrl::parse("http://localhost:1").is_ok());
        assert!(BaseUrl::parse("http://[::1]:1/x").is_ok());
    }

    #[test]
    fn base_url_refuses_what_would_leak_or_confuse() {
        assert_eq!(
            BaseUrl::parse("http://example.com/v2"),
            Err(BaseUrlError::InsecureScheme("http://example.com/v2".into()))
        );
        assert_eq!(
            BaseUrl::parse("https://me:pw@example.com"),
            Err(BaseUrlError::HasCredentials)
        );
        assert_eq!(
            BaseUrl::parse("https://example.com/v2#x"),
            Err(BaseUrlError::HasQueryOrFragment)
        );
        assert_eq!(
            BaseUrl::parse("https://example.com/v2?a=1"),
            Err(BaseUrlError::HasQueryOrFragment)
        );
        assert!(matches!(
            BaseUrl::parse("ftp://example.com"),
            Err(BaseUrlError::NotAUrl(_))
        ));
        assert!(matches!(
            BaseUrl::parse("https://exa mple.com"),
            Err(BaseUrlError::NotAUrl(_))
        ));
        assert_eq!(BaseUrl::parse("  "), Err(BaseUrlError::Empty));
    }

    #[test]
    fn organization_id_forgives_spaces_and_braces_only() {
        let want = "11111111-2222-3333-4444-555555555555";
        for input in [
            want,
            " 11111111-2222-3333-4444-555555555555\n",
            "{11111111-2222-3333-4444-555555555555}",
        ] {
            assert_eq!(OrganizationId::parse(input).unwrap().to_string(), want);
        }
        for bad in [
            "",
            "acme",
            "11111111222233334444555555555555",
            "11111111-2222-3333-4444-55555555555x",
        ] {
            assert!(
                OrganizationId::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
