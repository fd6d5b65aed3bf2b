//! `GET /api/v1/networks/{n}/programs`: arm/disarm schedules.

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Program {
    pub id: u64,
    pub network_id: u64,
    /// `enabled` or `disabled`.
    pub status: String,
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub schedule: Vec<ScheduleEntry>,
    pub format: Option<String>,
}

impl Program {
    pub fn is_enabled(&self) -> bool {
        self.status.eq_ignore_ascii_case("enabled")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleEntry {
    /// Lower-case three-letter day names: `mon`, `tue`, ...
    #[serde(deserialize_with = "null_as_default")]
    pub dow: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub devices: Vec<serde_json::Value>,
    /// Only the time of day counts, e.g. `2016-06-02 14:45:00 +0000`.
    pub time: String,
    /// `arm` or `disarm`.
    pub action: String,
}
