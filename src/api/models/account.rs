//! Account-level documents: tier, user, version, regions, options, notification flags, and the
//! generic `{message, code}` answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::{default_on_error, lenient};

/// `GET rest-prod/api/v1/users/tier_info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierInfo {
    #[serde(deserialize_with = "lenient")]
    pub tier: String,
    #[serde(deserialize_with = "lenient")]
    pub account_id: u64,
}

/// Blink's generic answer: `{"message": "...", "code": N}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageResponse {
    #[serde(deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient")]
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
    #[serde(deserialize_with = "lenient")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub account_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub country_id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub locale: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub time_zone: Option<String>,
    /// `f` or `c`.
    #[serde(deserialize_with = "lenient")]
    pub temp_units: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub owner: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub phone_verified: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub verified: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}

/// `GET /api/v1/version`; the same shape is homescreen's `app_updates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppVersion {
    #[serde(deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub code: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub update_available: bool,
    #[serde(deserialize_with = "lenient")]
    pub update_required: bool,
}

/// `GET /regions?locale=US`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Regions {
    #[serde(deserialize_with = "lenient")]
    pub mode: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub preferred: Option<String>,
    #[serde(deserialize_with = "default_on_error")]
    pub regions: BTreeMap<String, Region>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Region {
    #[serde(deserialize_with = "lenient")]
    pub display_order: i64,
    /// The tier, e.g. `u017`.
    #[serde(deserialize_with = "lenient")]
    pub dns: String,
    #[serde(deserialize_with = "lenient")]
    pub friendly_name: String,
    #[serde(deserialize_with = "lenient")]
    pub registration: bool,
}

/// `GET /api/v1/account/options`: a bag of feature flags whose set changes over time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountOptions(pub BTreeMap<String, serde_json::Value>);

impl Regions {
    /// The region whose `dns` is `tier` (`u017` is "United States - EAST").
    pub fn for_tier(&self, tier: &str) -> Option<&Region> {
        self.regions.values().find(|region| region.dns.eq_ignore_ascii_case(tier))
    }
}

impl AccountOptions {
    /// The flags that are true or false; the rest (lists, strings) are left out.
    pub fn flags(&self) -> BTreeMap<String, bool> {
        self.0.iter().filter_map(|(name, value)| Some((name.clone(), value.as_bool()?))).collect()
    }

    pub fn flag(&self, name: &str) -> Option<bool> {
        self.0.get(name)?.as_bool()
    }
}

/// `GET/POST /api/v1/accounts/{a}/notifications/configuration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationConfig {
    #[serde(deserialize_with = "default_on_error")]
    pub notifications: BTreeMap<String, bool>,
}

/// Legacy `GET /api/v3/account/{a}/status`-style answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountStatus {
    #[serde(deserialize_with = "default_on_error")]
    pub account: Option<VerificationState>,
    #[serde(deserialize_with = "default_on_error")]
    pub client: Option<VerificationState>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationState {
    #[serde(deserialize_with = "lenient")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub verification_required: bool,
}

/// `GET https://blinkstatus.net/api/v1/{tier}`: Blink's service status page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceStatus {
    #[serde(deserialize_with = "lenient")]
    pub check_interval: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub message_code: Option<i64>,
    #[serde(deserialize_with = "default_on_error")]
    pub message_params: Vec<serde_json::Value>,
    #[serde(deserialize_with = "lenient")]
    pub monitor_last_update: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub next_check_time: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub url: Option<String>,
}

/// Support contact hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportInfo {
    #[serde(deserialize_with = "lenient")]
    pub phone_number: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub start_day: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub start_hour_utc: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub stop_day: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub stop_hour_utc: Option<i64>,
}

/// A device's firmware classification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceInfo {
    #[serde(deserialize_with = "lenient")]
    pub fw_target: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub region: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub subtype: Option<String>,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient")]
    pub device_type: Option<String>,
}

/// `GET /api/v1/accounts/{a}/clients/{c}/options`: base64 app UI preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientOptions {
    #[serde(deserialize_with = "lenient")]
    pub options: Option<String>,
}

/// Answer to a client options update: the app client record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientResponse {
    #[serde(deserialize_with = "default_on_error")]
    pub client: Option<ClientRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientRecord {
    #[serde(deserialize_with = "lenient")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub client_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub app_version: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub os_version: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub verified: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub user_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub account_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}
