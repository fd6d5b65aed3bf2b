//! `GET /api/v1/networks/{n}/programs`: arm/disarm schedules.

use serde::{Deserialize, Serialize};

use super::de::{Item, default_on_error, id, items, lenient};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Program {
    #[serde(deserialize_with = "id")]
    pub id: u64,
    #[serde(deserialize_with = "lenient")]
    pub network_id: u64,
    /// `enabled` or `disabled`.
    #[serde(deserialize_with = "lenient")]
    pub status: String,
    #[serde(deserialize_with = "lenient")]
    pub name: String,
    #[serde(deserialize_with = "items")]
    pub schedule: Vec<ScheduleEntry>,
    #[serde(deserialize_with = "lenient")]
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
    #[serde(deserialize_with = "default_on_error")]
    pub dow: Vec<String>,
    #[serde(deserialize_with = "default_on_error")]
    pub devices: Vec<serde_json::Value>,
    /// Only the time of day counts, e.g. `2016-06-02 14:45:00 +0000`.
    #[serde(deserialize_with = "lenient")]
    pub time: String,
    /// `arm` or `disarm`.
    #[serde(deserialize_with = "lenient")]
    pub action: String,
}

impl Item for Program {}

/// Schedule entries have no id: one is kept whenever it reads.
impl Item for ScheduleEntry {
    const IDENTITY: Option<&'static str> = None;
}
