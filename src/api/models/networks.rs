//! `/networks`, `/network/{n}/syncmodules` and `/api/v1/camera/usage`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de::null_as_default;
use super::homescreen::{Network, SyncModule};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworksResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub networks: Vec<Network>,
    /// Keyed by the network id as a string.
    #[serde(deserialize_with = "null_as_default")]
    pub summary: BTreeMap<String, NetworkSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSummary {
    pub name: String,
    pub onboarded: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncModuleResponse {
    pub syncmodule: Option<SyncModule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsage {
    #[serde(deserialize_with = "null_as_default")]
    pub networks: Vec<CameraUsageNetwork>,
    pub range_days: Option<i64>,
    pub reference: Option<UsageReference>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsageNetwork {
    pub network_id: u64,
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub cameras: Vec<CameraUsageEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraUsageEntry {
    pub id: u64,
    pub name: String,
    pub clip_seconds: i64,
    pub lv_seconds: i64,
    pub usage: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UsageReference {
    pub usage: i64,
}
