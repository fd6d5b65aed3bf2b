//! `/networks`, `/network/{n}/syncmodules` and `/api/v1/camera/usage`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::{Item, default_on_error, id, items, lenient};
use super::homescreen::{Network, SyncModule};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworksResponse {
    #[serde(deserialize_with = "items")]
    pub networks: Vec<Network>,
    /// Keyed by the network id as a string.
    #[serde(deserialize_with = "default_on_error")]
    pub summary: BTreeMap<String, NetworkSummary>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSummary {
    pub name: String,
    pub onboarded: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncModuleResponse {
    #[serde(deserialize_with = "default_on_error")]
    pub syncmodule: Option<SyncModule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsage {
    #[serde(deserialize_with = "items")]
    pub networks: Vec<CameraUsageNetwork>,
    #[serde(deserialize_with = "lenient")]
    pub range_days: Option<i64>,
    #[serde(deserialize_with = "default_on_error")]
    pub reference: Option<UsageReference>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsageNetwork {
    #[serde(deserialize_with = "id")]
    pub network_id: u64,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(deserialize_with = "items")]
    pub cameras: Vec<CameraUsageEntry>,
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsageEntry {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub name: String,
    pub clip_seconds: i64,
    pub lv_seconds: i64,
    pub usage: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UsageReference {
    #[serde(deserialize_with = "lenient")]
    pub usage: i64,
}

impl Item for CameraUsageEntry {}

/// Identified by its network.
impl Item for CameraUsageNetwork {
    const IDENTITY: Option<&'static str> = Some("network_id");
}
