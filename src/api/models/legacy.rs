//! Answers of the retired password login (`/api/v4|v5/account/login`, PIN verify). blinktui
//! never calls those endpoints; these types exist so a server that still answers in the old
//! shape can be recognised and reported rather than misread.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegacyLoginResponse {
    pub account: Option<LegacyAccount>,
    pub auth: Option<LegacyAuth>,
    pub lockout_time_remaining: Option<i64>,
    pub force_password_reset: Option<bool>,
    pub allow_pin_resend_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegacyAccount {
    pub account_id: u64,
    pub client_id: Option<u64>,
    pub user_id: Option<u64>,
    pub tier: Option<String>,
    pub region: Option<String>,
    pub client_verification_required: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegacyAuth {
    pub token: Secret,
}

/// `{"valid": bool, "require_new_pin": bool, "code": N, "message": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PinVerifyResponse {
    pub valid: bool,
    pub require_new_pin: Option<bool>,
    pub code: Option<i64>,
    pub message: Option<String>,
}
