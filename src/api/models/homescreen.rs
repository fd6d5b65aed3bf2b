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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HomescreenAccount {
    #[serde(deserialize_with = "lenient")]
    pub id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub email_verified: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub email_verification_required: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub amazon_account_linked: Option<bool>,
}

/// A network ("system", a site). The same shape, with more fields, comes from `/networks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(deserialize_with = "lenient")]
    pub armed: bool,
    #[serde(deserialize_with = "lenient")]
    pub time_zone: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub dst: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub lv_save: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    // Fields only `/networks` sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub account_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub arm_string: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub busy: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub camera_error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub sync_module_error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub lv_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub video_destination: Option<String>,
    // Snooze, as devices have it (`snooze_time_remaining` in seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub snooze: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub snooze_time_remaining: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncModule {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient")]
    pub module_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub subtype: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub network_id: u64,
    #[serde(deserialize_with = "lenient")]
    pub onboarded: Option<bool>,
    /// `online` or `offline`.
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub serial: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    #[serde(deserialize_with = "lenient")]
    pub last_hb: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub wifi_strength: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub local_storage_enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub local_storage_compatible: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub local_storage_status: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}

impl SyncModule {
    pub fn is_online(&self) -> bool {
        self.status.as_deref() == Some("online")
    }
}

/// A camera, Mini or doorbell as homescreen lists it. Which list it came from decides its kind;
/// `device_type` is Blink's own type string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Device {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient")]
    pub device_type: String,
    #[serde(deserialize_with = "lenient")]
    pub network_id: u64,
    #[serde(deserialize_with = "lenient")]
    pub serial: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    /// Motion detection on.
    #[serde(deserialize_with = "lenient")]
    pub enabled: bool,
    #[serde(deserialize_with = "lenient")]
    pub thumbnail: Option<ThumbnailRef>,
    /// `done` (regular cameras), `online`, or `offline`.
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
    /// `ok` or `low`.
    #[serde(deserialize_with = "lenient")]
    pub battery: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub battery_state: Option<String>,
    #[serde(deserialize_with = "default_on_error")]
    pub signals: Option<Signals>,
    #[serde(deserialize_with = "lenient")]
    pub onboarded: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub snooze: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub snooze_time_remaining: Option<i64>,
    #[serde(deserialize_with = "default_on_error")]
    pub issues: Vec<serde_json::Value>,
    #[serde(deserialize_with = "lenient")]
    pub usage_rate: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub local_storage_enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub local_storage_compatible: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub revision: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signals {
    /// Link to the sync module, in bars.
    #[serde(deserialize_with = "lenient")]
    pub lfr: Option<i64>,
    /// Wi-Fi, in bars.
    #[serde(deserialize_with = "lenient")]
    pub wifi: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub temp: Option<i64>,
    /// Battery, in bars (1-3).
    #[serde(deserialize_with = "lenient")]
    pub battery: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub battery_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
}

/// The homescreen `thumbnail` field: an epoch timestamp (newer cameras) or a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ThumbnailRef {
    Timestamp(i64),
    Path(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppUpdates {
    #[serde(deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub code: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub update_available: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub update_required: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoStats {
    #[serde(deserialize_with = "lenient")]
    pub storage: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub auto_delete_days: Option<i64>,
    #[serde(deserialize_with = "default_on_error")]
    pub auto_delete_day_options: Vec<i64>,
}

impl Item for Network {}
impl Item for SyncModule {}
impl Item for Device {}
