//! Account-level documents: tier, user, version, regions, options, notification flags, and the
//! generic `{message, code}` answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// `GET rest-prod/api/v1/users/tier_info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierInfo {
    pub tier: String,
    pub account_id: u64,
}

/// Blink's generic answer: `{"message": "...", "code": N}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageResponse {
    pub message: Option<String>,
    pub code: Option<i64>,
}

impl MessageResponse {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self { message: Some(message.into()), code: Some(code) }
    }
}

/// `GET /user`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    pub id: u64,
    pub account_id: Option<u64>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub country_id: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    /// `f` or `c`.
    pub temp_units: Option<String>,
    pub owner: Option<bool>,
    pub phone_verified: Option<bool>,
    pub verified: Option<bool>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// `GET /api/v1/version`; the same shape is homescreen's `app_updates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppVersion {
    pub message: Option<String>,
    pub code: Option<i64>,
    pub update_available: bool,
    pub update_required: bool,
}

/// `GET /regions?locale=US`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Regions {
    pub mode: Option<String>,
    pub preferred: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub regions: BTreeMap<String, Region>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Region {
    pub display_order: i64,
    /// The tier, e.g. `u017`.
    pub dns: String,
    pub friendly_name: String,
    pub registration: bool,
}

/// `GET /api/v1/account/options`: a bag of feature flags whose set changes over time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountOptions(pub BTreeMap<String, serde_json::Value>);

impl AccountOptions {
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.0.get(name)?.as_bool()
    }
}

/// `GET/POST /api/v1/accounts/{a}/notifications/configuration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationConfig {
    #[serde(deserialize_with = "null_as_default")]
    pub notifications: BTreeMap<String, bool>,
}

/// Legacy `GET /api/v3/account/{a}/status`-style answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountStatus {
    pub account: Option<VerificationState>,
    pub client: Option<VerificationState>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationState {
    pub id: u64,
    pub verification_required: bool,
}

/// `GET https://blinkstatus.net/api/v1/{tier}`: Blink's service status page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceStatus {
    pub check_interval: Option<i64>,
    pub message: Option<String>,
    pub message_code: Option<i64>,
    #[serde(deserialize_with = "null_as_default")]
    pub message_params: Vec<serde_json::Value>,
    pub monitor_last_update: Option<String>,
    pub next_check_time: Option<String>,
    pub url: Option<String>,
}

/// Support contact hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportInfo {
    pub phone_number: Option<String>,
    pub start_day: Option<i64>,
    pub start_hour_utc: Option<i64>,
    pub stop_day: Option<i64>,
    pub stop_hour_utc: Option<i64>,
}

/// A device's firmware classification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceInfo {
    pub fw_target: Option<String>,
    pub region: Option<String>,
    pub subtype: Option<String>,
    #[serde(rename = "type")]
    pub device_type: Option<String>,
}

/// `GET /api/v1/accounts/{a}/clients/{c}/options`: base64 app UI preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientOptions {
    pub options: Option<String>,
}

/// Answer to a client options update: the app client record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientResponse {
    pub client: Option<ClientRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientRecord {
    pub id: u64,
    pub name: Option<String>,
    pub client_type: Option<String>,
    pub app_version: Option<String>,
    pub os_version: Option<String>,
    pub verified: Option<bool>,
    pub user_id: Option<u64>,
    pub account_id: Option<u64>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}
