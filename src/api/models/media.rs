//! `GET /api/v1/accounts/{a}/media/changed`, and the id list that `media/delete` and
//! `media/mark_as_viewed` take.

use serde::{Deserialize, Serialize};

use super::de::{Item, default_on_error, id, items, lenient};
use super::time::BlinkTime;

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaPage {
    /// Informational only: page until a page comes back empty.
    pub limit: Option<i64>,
    pub purge_id: Option<u64>,
    pub refresh_count: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "items")]
    pub media: Vec<MediaItem>,
}

/// One motion event: a clip with its thumbnail.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaItem {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    /// Required: an event whose time cannot be read is dropped (with a warning).
    #[serde_with(skip_apply)]
    pub created_at: BlinkTime,
    pub updated_at: Option<BlinkTime>,
    pub deleted: bool,
    /// `camera`, `catalina`, `owl`, `lotus`, ...
    pub device: Option<String>,
    pub device_id: u64,
    pub device_name: String,
    pub network_id: u64,
    pub network_name: Option<String>,
    #[serde(rename = "type")]
    pub media_type: Option<String>,
    /// `pir`, `snapshot`, `liveview`, ...
    pub source: Option<String>,
    pub watched: bool,
    pub partial: Option<bool>,
    pub thumbnail: Option<String>,
    /// Path of the MP4, relative to the REST base.
    pub media: Option<String>,
    #[serde_with(skip_apply)]
    pub metadata: Option<serde_json::Value>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub additional_devices: Vec<serde_json::Value>,
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
