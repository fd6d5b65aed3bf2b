//! Per-device configuration, signals and liveview.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::{Item, StringOrNumber, default_on_error, id, items, lenient};
use super::homescreen::{Signals, ThumbnailRef};
use crate::secret::Secret;

/// `GET /network/{n}/camera/{c}/config` (regular cameras).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraConfigResponse {
    #[serde(deserialize_with = "items")]
    pub camera: Vec<CameraConfig>,
    #[serde(deserialize_with = "default_on_error")]
    pub signals: Option<Signals>,
}

/// A regular camera's settings. Blink sends about a hundred fields; the ones blinktui reads are
/// typed, the rest are kept in `extra` so a detail view can still show them.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraConfig {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub name: String,
    pub network_id: Option<u64>,
    pub enabled: Option<bool>,
    #[serde(rename = "type")]
    pub device_type: Option<String>,
    pub battery_state: Option<String>,
    /// Hundredths of a volt.
    pub battery_voltage: Option<i64>,
    /// °F.
    pub temperature: Option<i64>,
    pub wifi_strength: Option<i64>,
    pub lfr_strength: Option<i64>,
    /// 0 off, 1 on, 2 auto.
    pub illuminator_enable: Option<i64>,
    pub motion_sensitivity: Option<i64>,
    pub video_length: Option<i64>,
    pub video_quality: Option<String>,
    pub record_audio_enable: Option<bool>,
    pub fw_version: Option<StringOrNumber>,
    pub serial: Option<String>,
    pub status: Option<String>,
    pub thumbnail: Option<ThumbnailRef>,
    #[serde_with(skip_apply)]
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `GET /api/v1/accounts/{a}/networks/{n}/owls/{c}/config` (Minis).
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwlConfig {
    pub name: String,
    pub enabled: Option<bool>,
    pub status: Option<String>,
    pub fw_version: Option<StringOrNumber>,
    pub video_quality: Option<String>,
    pub clip_length: Option<i64>,
    pub motion_sensitivity: Option<i64>,
    pub night_vision_control: Option<String>,
    /// `on`, `off` or `auto` (a string here, unlike regular cameras).
    pub illuminator_enable: Option<String>,
    pub led_enabled: Option<bool>,
    pub record_audio_enable: Option<bool>,
    /// Wi-Fi bars.
    pub wifi: Option<i64>,
    pub updated_at: Option<String>,
    #[serde_with(skip_apply)]
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `GET /api/v1/accounts/{a}/networks/{n}/doorbells/{c}/config`.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DoorbellConfig {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub status: Option<String>,
    pub fw_version: Option<StringOrNumber>,
    /// °F.
    pub temp: Option<i64>,
    /// dBm.
    pub wifi_rssi: Option<i64>,
    /// dBm.
    pub lfr_rssi: Option<i64>,
    pub battery_state: Option<String>,
    pub battery_voltage: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Body of a liveview request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveviewRequest {
    pub intent: String,
    pub motion_event_start_time: Option<String>,
}

impl Default for LiveviewRequest {
    fn default() -> Self {
        Self { intent: "liveview".into(), motion_event_start_time: None }
    }
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveviewResponse {
    pub command_id: u64,
    /// `immis://host:port/<connection>__IMDS_<serial>?client_id=N` or an older `rtsps://` URL.
    pub server: String,
    pub network_id: Option<u64>,
    pub join_available: Option<bool>,
    pub join_state: Option<String>,
    pub duration: Option<i64>,
    pub extended_duration: Option<i64>,
    pub continue_interval: Option<i64>,
    pub continue_warning: Option<i64>,
    pub polling_interval: Option<i64>,
    pub submit_logs: Option<bool>,
    pub new_command: Option<bool>,
    pub media_id: Option<u64>,
    #[serde_with(skip_apply)]
    pub options: Option<serde_json::Value>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub liveview_token: Option<Secret>,
}

/// `GET /api/v1/accounts/{a}/networks/{n}/cameras/{c}/motion_regions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MotionRegions {
    #[serde(deserialize_with = "default_on_error")]
    pub advanced_motion_regions: Vec<i64>,
    #[serde(deserialize_with = "lenient")]
    pub motion_regions: Option<i64>,
}

/// `POST /network/{n}/camera/{c}/status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraStatusResponse {
    #[serde(deserialize_with = "default_on_error")]
    pub camera_status: Option<CameraStatus>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraStatus {
    pub camera_id: Option<u64>,
    pub wifi_strength: Option<i64>,
    pub lfr_strength: Option<i64>,
    pub battery_voltage: Option<i64>,
    pub temperature: Option<i64>,
    pub fw_version: Option<StringOrNumber>,
    pub serial: Option<String>,
    pub thumbnail: Option<ThumbnailRef>,
    pub updated_at: Option<String>,
    #[serde_with(skip_apply)]
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Item for CameraConfig {}
