//! Account-level documents: tier, user, version, regions, options, notification flags, and the
//! generic `{message, code}` answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::{default_on_error, lenient};

/// `GET rest-prod/api/v1/users/tier_info`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierInfo {
    pub tier: String,
    pub account_id: u64,
}

/// Blink's generic answer: `{"message": "...", "code": N}`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppVersion {
    pub message: Option<String>,
    pub code: Option<i64>,
    pub update_available: bool,
    pub update_required: bool,
}

/// `GET /regions?locale=US`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Regions {
    pub mode: Option<String>,
    pub preferred: Option<String>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub regions: BTreeMap<String, Region>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationState {
    pub id: u64,
    pub verification_required: bool,
}

/// `GET https://blinkstatus.net/api/v1/{tier}`: Blink's service status page.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceStatus {
    pub check_interval: Option<i64>,
    pub message: Option<String>,
    pub message_code: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub message_params: Vec<serde_json::Value>,
    pub monitor_last_update: Option<String>,
    pub next_check_time: Option<String>,
    pub url: Option<String>,
}

/// Support contact hours.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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
