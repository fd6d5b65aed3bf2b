//! Base URLs of the two Blink hosts, validated once.

use std::net::IpAddr;

use url::Url;

use super::error::ApiError;

pub const DEFAULT_OAUTH_URL: &str = "https://api.oauth.blink.com";
pub const DEFAULT_REST_URL: &str = "https://rest-{tier}.immedia-semi.com";
/// Tier discovery always goes to the `prod` tier.
pub const DISCOVERY_TIER: &str = "prod";
const TIER_PLACEHOLDER: &str = "{tier}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    oauth: Url,
    /// May contain `{tier}`; without it every call goes to this one base.
    rest_template: String,
}

impl Endpoints {
    pub fn new(oauth_url: &str, rest_url: &str) -> Result<Self, ApiError> {
        let oauth = parse_base("oauth_url", oauth_url)?;
        // Validate the template with a tier that makes a valid host name.
        parse_base("rest_url", &rest_url.replace(TIER_PLACEHOLDER, DISCOVERY_TIER))?;
        Ok(Self { oauth, rest_template: rest_url.trim_end_matches('/').to_owned() })
    }

    pub fn oauth_base(&self) -> &Url {
        &self.oauth
    }

    /// `scheme://host[:port]` of the OAuth host, for the `Origin` header.
    pub fn oauth_origin(&self) -> String {
        self.oauth.origin().ascii_serialization()
    }

    pub fn oauth_url(&self, path: &str) -> String {
        format!("{}{path}", self.oauth.as_str().trim_end_matches('/'))
    }

    /// The REST base for a tier. Tiers come from the server, so a tier that would make an
    /// invalid or different-looking host is refused rather than substituted blindly.
    pub fn rest_base(&self, tier: &str) -> Result<Url, ApiError> {
        if self.rest_template.contains(TIER_PLACEHOLDER)
            && (tier.is_empty() || !tier.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(ApiError::BadUrl(format!(
                "Blink sent an unusable tier name {tier:?}; set rest_url without {{tier}} to override"
            )));
        }
        parse_base("rest_url", &self.rest_template.replace(TIER_PLACEHOLDER, tier))
    }

    pub fn rest_template(&self) -> &str {
        &self.rest_template
    }
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::new(DEFAULT_OAUTH_URL, DEFAULT_REST_URL).expect("default endpoints are valid")
    }
}

fn parse_base(name: &str, text: &str) -> Result<Url, ApiError> {
    let url = Url::parse(text)
        .map_err(|err| ApiError::BadUrl(format!("{name} {text:?} is not a valid URL: {err}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ApiError::BadUrl(format!(
                "{name} {text:?} uses plain http, which would send your credentials unencrypted; \
                 use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)"
            )));
        }
        other => {
            return Err(ApiError::BadUrl(format!("{name} {text:?} has unsupported scheme {other:?}")));
        }
    }
    if url.host().is_none() {
        return Err(ApiError::BadUrl(format!("{name} {text:?} has no host")));
    }
    Ok(url)
}

/// 127.0.0.0/8, ::1 or `localhost`: the only hosts plain http may be used with.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_substitute_the_tier() {
        let endpoints = Endpoints::default();
        assert_eq!(
            endpoints.rest_base("u014").expect("tier").as_str(),
            "https://rest-u014.immedia-semi.com/"
        );
        assert_eq!(endpoints.oauth_url("/oauth/token"), "https://api.oauth.blink.com/oauth/token");
        assert_eq!(endpoints.oauth_origin(), "https://api.oauth.blink.com");
    }

    #[test]
    fn a_base_without_placeholder_serves_every_tier() {
        let endpoints = Endpoints::new("http://127.0.0.1:9000", "http://127.0.0.1:9000/").expect("ok");
        assert_eq!(endpoints.rest_base("u014").expect("tier").as_str(), "http://127.0.0.1:9000/");
        assert_eq!(endpoints.rest_base("prod").expect("tier").as_str(), "http://127.0.0.1:9000/");
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        for ok in ["http://127.0.0.1:1", "http://[::1]:1", "http://localhost:8080", "https://example.com"] {
            assert!(Endpoints::new(ok, ok).is_ok(), "{ok}");
        }
        let err = Endpoints::new("http://blink.example.com", DEFAULT_REST_URL).expect_err("refused");
        assert!(err.to_string().contains("plain http"), "{err}");
        let err = Endpoints::new(DEFAULT_OAUTH_URL, "http://10.0.0.5/").expect_err("refused");
        assert!(err.to_string().contains("rest_url"), "{err}");
        assert!(Endpoints::new("ftp://x", DEFAULT_REST_URL).is_err());
        assert!(Endpoints::new("not a url", DEFAULT_REST_URL).is_err());
    }

    #[test]
    fn hostile_tier_names_are_refused() {
        let endpoints = Endpoints::default();
        for tier in ["", "evil.com/x", "u014@attacker", "a b"] {
            assert!(endpoints.rest_base(tier).is_err(), "{tier}");
        }
    }
}
