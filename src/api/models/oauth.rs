//! Bodies of the OAuth host (`api.oauth.blink.com`).

use serde::{Deserialize, Serialize};

use super::de::{default_on_error, lenient};
use crate::secret::Secret;

/// `POST /oauth/token`, for both the code exchange and a refresh.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenResponse {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub access_token: Secret,
    /// Absent in some refresh answers: keep the old one then.
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub refresh_token: Option<Secret>,
    /// Seconds. blinkpy assumes 3600 when absent.
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
    pub token_type: Option<String>,
}

/// The 202 answer to `POST /oauth/v2/signin` when Blink wants a second factor.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TwoFactorChallenge {
    pub next_time_in_secs: Option<u64>,
    /// Masked, e.g. `+1******1234`.
    pub phone: Option<String>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub tsv_methods: Vec<String>,
    pub tsv_state: Option<String>,
    pub user_id: Option<u64>,
}

impl TwoFactorChallenge {
    /// A 202 is only a 2FA request when it carries these fields; any other 202 is a failure.
    pub fn is_challenge(&self) -> bool {
        self.tsv_state.is_some() || !self.tsv_methods.is_empty() || self.next_time_in_secs.is_some()
    }
}

/// The 201 answer to `POST /oauth/v2/2fa/verify`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TwoFactorVerified {
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
}

/// OAuth error bodies, e.g. `{"error":"bad_request","error_cause":"empty_cookies"}`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthError {
    pub error: Option<String>,
    pub error_cause: Option<String>,
    pub error_description: Option<String>,
}
