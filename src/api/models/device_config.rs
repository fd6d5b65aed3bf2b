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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraConfig {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(deserialize_with = "lenient")]
    pub network_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub enabled: Option<bool>,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient")]
    pub device_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub battery_state: Option<String>,
    /// Hundredths of a volt.
    #[serde(deserialize_with = "lenient")]
    pub battery_voltage: Option<i64>,
    /// °F.
    #[serde(deserialize_with = "lenient")]
    pub temperature: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub wifi_strength: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub lfr_strength: Option<i64>,
    /// 0 off, 1 on, 2 auto.
    #[serde(deserialize_with = "lenient")]
    pub illuminator_enable: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub motion_sensitivity: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub video_length: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub video_quality: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub record_audio_enable: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    #[serde(deserialize_with = "lenient")]
    pub serial: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub thumbnail: Option<ThumbnailRef>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `GET /api/v1/accounts/{a}/networks/{n}/owls/{c}/config` (Minis).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwlConfig {
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(deserialize_with = "lenient")]
    pub enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    #[serde(deserialize_with = "lenient")]
    pub video_quality: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub clip_length: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub motion_sensitivity: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub night_vision_control: Option<String>,
    /// `on`, `off` or `auto` (a string here, unlike regular cameras).
    #[serde(deserialize_with = "lenient")]
    pub illuminator_enable: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub led_enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub record_audio_enable: Option<bool>,
    /// Wi-Fi bars.
    #[serde(deserialize_with = "lenient")]
    pub wifi: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `GET /api/v1/accounts/{a}/networks/{n}/doorbells/{c}/config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DoorbellConfig {
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    /// °F.
    #[serde(deserialize_with = "lenient")]
    pub temp: Option<i64>,
    /// dBm.
    #[serde(deserialize_with = "lenient")]
    pub wifi_rssi: Option<i64>,
    /// dBm.
    #[serde(deserialize_with = "lenient")]
    pub lfr_rssi: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub battery_state: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub battery_voltage: Option<i64>,
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveviewResponse {
    #[serde(deserialize_with = "lenient")]
    pub command_id: u64,
    /// `immis://host:port/<connection>__IMDS_<serial>?client_id=N` or an older `rtsps://` URL.
    #[serde(deserialize_with = "lenient")]
    pub server: String,
    #[serde(deserialize_with = "lenient")]
    pub network_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub join_available: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub join_state: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub duration: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub extended_duration: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub continue_interval: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub continue_warning: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub polling_interval: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub submit_logs: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub new_command: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub media_id: Option<u64>,
    pub options: Option<serde_json::Value>,
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraStatus {
    #[serde(deserialize_with = "lenient")]
    pub camera_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub wifi_strength: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub lfr_strength: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub battery_voltage: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub temperature: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub fw_version: Option<StringOrNumber>,
    #[serde(deserialize_with = "lenient")]
    pub serial: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub thumbnail: Option<ThumbnailRef>,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Item for CameraConfig {}
