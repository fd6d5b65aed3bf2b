//! `GET /api/v1/accounts/{a}/media/changed`, and the id list that `media/delete` and
//! `media/mark_as_viewed` take.

use serde::{Deserialize, Serialize};

use super::de::{Item, default_on_error, id, items, lenient};
use super::time::BlinkTime;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaPage {
    /// Informational only: page until a page comes back empty.
    #[serde(deserialize_with = "lenient")]
    pub limit: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub purge_id: Option<u64>,
    #[serde(deserialize_with = "lenient")]
    pub refresh_count: Option<i64>,
    #[serde(deserialize_with = "items")]
    pub media: Vec<MediaItem>,
}

/// One motion event: a clip with its thumbnail.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaItem {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    /// Required: an event whose time cannot be read is dropped (with a warning).
    pub created_at: BlinkTime,
    #[serde(deserialize_with = "lenient")]
    pub updated_at: Option<BlinkTime>,
    #[serde(deserialize_with = "lenient")]
    pub deleted: bool,
    /// `camera`, `catalina`, `owl`, `lotus`, ...
    #[serde(deserialize_with = "lenient")]
    pub device: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub device_id: u64,
    #[serde(deserialize_with = "lenient")]
    pub device_name: String,
    #[serde(deserialize_with = "lenient")]
    pub network_id: u64,
    #[serde(deserialize_with = "lenient")]
    pub network_name: Option<String>,
    #[serde(rename = "type")]
    #[serde(deserialize_with = "lenient")]
    pub media_type: Option<String>,
    /// `pir`, `snapshot`, `liveview`, ...
    #[serde(deserialize_with = "lenient")]
    pub source: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub watched: bool,
    #[serde(deserialize_with = "lenient")]
    pub partial: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub thumbnail: Option<String>,
    /// Path of the MP4, relative to the REST base.
    #[serde(deserialize_with = "lenient")]
    pub media: Option<String>,
    pub metadata: Option<serde_json::Value>,
    #[serde(deserialize_with = "default_on_error")]
    pub additional_devices: Vec<serde_json::Value>,
    #[serde(deserialize_with = "lenient")]
    pub time_zone: Option<String>,
}

/// `{"media_list": [id, ...]}`: the body of `media/delete` and `media/mark_as_viewed`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaListRequest {
    pub media_list: Vec<u64>,
}

impl Item for MediaItem {
    const REQUIRED: &'static [&'static str] = &["created_at"];
}
