//! `GET /api/v1/networks/{n}/programs`: arm/disarm schedules.

use serde::{Deserialize, Serialize};

use super::de::{Item, default_on_error, id, items, lenient};

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Program {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub network_id: u64,
    /// `enabled` or `disabled`.
    pub status: String,
    pub name: String,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "items")]
    pub schedule: Vec<ScheduleEntry>,
    pub format: Option<String>,
}

impl Program {
    pub fn is_enabled(&self) -> bool {
        self.status.eq_ignore_ascii_case("enabled")
    }
}

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleEntry {
    /// Lower-case three-letter day names: `mon`, `tue`, ...
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub dow: Vec<String>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "default_on_error")]
    pub devices: Vec<serde_json::Value>,
    /// Only the time of day counts, e.g. `2016-06-02 14:45:00 +0000`.
    pub time: String,
    /// `arm` or `disarm`.
    pub action: String,
}

impl Item for Program {}

/// Schedule entries have no id: one is kept whenever it reads.
impl Item for ScheduleEntry {
    const IDENTITY: Option<&'static str> = None;
}
