//! `GET /api/v3/accounts/{a}/homescreen`: the account's whole state in one document.

use serde::{Deserialize, Serialize};

use super::de::{Item, StringOrNumber, default_on_error, id, items, lenient};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Homescreen {
    #[serde(deserialize_with = "default_on_error")]
    pub account: Option<HomescreenAccount>,
    #[serde(deserialize_with = "items")]
    pub networks: Vec<Network>,
    #[serde(deserialize_with = "items")]
    pub sync_modules: Vec<SyncModule>,
    /// Regular cameras (`white`, `xt`, `xt2`, `catalina`).
    #[serde(deserialize_with = "items")]
    pub cameras: Vec<Device>,
    /// Minis and other wired cameras that may live without a sync module.
    #[serde(deserialize_with = "items")]
    pub owls: Vec<Device>,
    #[serde(deserialize_with = "items")]
    pub doorbells: Vec<Device>,
    #[serde(deserialize_with = "default_on_error")]
    pub app_updates: Option<AppUpdates>,
    #[serde(deserialize_with = "default_on_error")]
    pub video_stats: Option<VideoStats>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HomescreenAccount {
    pub id: Option<u64>,
    pub email_verified: Option<bool>,
    pub email_verification_required: Option<bool>,
    pub amazon_account_linked: Option<bool>,
}

/// A network ("system", a site). The same shape, with more fields, comes from `/networks`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub name: String,
    pub armed: bool,
    pub time_zone: Option<String>,
    pub dst: Option<bool>,
    pub lv_save: Option<bool>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    // Fields only `/networks` sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arm_string: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub busy: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_module_error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lv_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_destination: Option<String>,
    // Snooze, as devices have it (`snooze_time_remaining` in seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snooze: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snooze_time_remaining: Option<i64>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncModule {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub module_type: Option<String>,
    pub subtype: Option<String>,
    pub network_id: u64,
    pub onboarded: Option<bool>,
    /// `online` or `offline`.
    pub status: Option<String>,
    pub serial: Option<String>,
    pub fw_version: Option<StringOrNumber>,
    pub last_hb: Option<String>,
    pub wifi_strength: Option<i64>,
    pub local_storage_enabled: Option<bool>,
    pub local_storage_compatible: Option<bool>,
    pub local_storage_status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl SyncModule {
    pub fn is_online(&self) -> bool {
        self.status.as_deref() == Some("online")
    }
}

/// A camera, Mini or doorbell as homescreen lists it. Which list it came from decides its kind;
/// `device_type` is Blink's own type string.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Device {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub name: String,
    #[serde(rename = "type")]
    pub device_type: String,
    pub network_id: u64,
    pub serial: Option<String>,
    pub fw_version: Option<StringOrNumber>,
    /// Motion detection on.
    pub enabled: bool,
    pub thumbnail: Option<ThumbnailRef>,
    /// `done` (regular cameras), `online`, or `offline`.
    pub status: Option<String>,
    /// `ok` or `low`.
    pub battery: Option<String>,
    pub battery_state: Option<String>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub signals: Option<Signals>,
    pub onboarded: Option<bool>,
    pub snooze: Option<bool>,
    pub snooze_time_remaining: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub issues: Vec<serde_json::Value>,
    pub usage_rate: Option<bool>,
    pub local_storage_enabled: Option<bool>,
    pub local_storage_compatible: Option<bool>,
    pub revision: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl Device {
    /// Blink reports `offline` for cameras it cannot reach; anything else counts as online.
    pub fn is_online(&self) -> bool {
        self.status.as_deref() != Some("offline")
    }

    /// `low` in either of the two fields Blink uses for it.
    pub fn battery_low(&self) -> bool {
        [&self.battery, &self.battery_state]
            .into_iter()
            .flatten()
            .any(|state| state.eq_ignore_ascii_case("low"))
    }
}

/// Signal bars and temperature. Homescreen and `/signals` send `temp` in °F.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signals {
    /// Link to the sync module, in bars.
    pub lfr: Option<i64>,
    /// Wi-Fi, in bars.
    pub wifi: Option<i64>,
    pub temp: Option<i64>,
    /// Battery, in bars (1-3).
    pub battery: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub battery_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// The homescreen `thumbnail` field: an epoch timestamp (newer cameras) or a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ThumbnailRef {
    Timestamp(i64),
    Path(String),
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppUpdates {
    pub message: Option<String>,
    pub code: Option<i64>,
    pub update_available: Option<bool>,
    pub update_required: Option<bool>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoStats {
    pub storage: Option<i64>,
    pub auto_delete_days: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub auto_delete_day_options: Vec<i64>,
}

impl Item for Network {}
impl Item for SyncModule {}
impl Item for Device {}
