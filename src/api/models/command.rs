//! Blink's asynchronous commands: what a command-starting POST returns and what polling
//! `GET /network/{n}/command/{id}` answers.

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// `status_code` that means "no failure so far" while polling.
pub const STATUS_CODE_OK: i64 = 908;

/// The answer to a command-starting POST. Blink sends one of three shapes and this type reads
/// all of them: the full command object (regular cameras), the short form with sub-commands
/// (arm/disarm, Minis), or a `{message, code}` refusal such as "No Cameras Enabled for Motion".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandResponse {
    pub id: Option<u64>,
    pub network_id: Option<u64>,
    pub command: Option<String>,
    /// Short form's state (`new`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_condition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_stage: Option<String>,
    #[serde(deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<SubCommand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_module_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubCommand {
    pub id: u64,
    pub network_id: Option<u64>,
    pub command: Option<String>,
    pub state: Option<String>,
}

/// The full command object, as sent inside a status poll and by some command POSTs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandObject {
    pub id: u64,
    pub command: Option<String>,
    /// `rest`, `cs_sent`, `sm`, `dev`, `lv`, `vs`.
    pub state_stage: Option<String>,
    /// `new`, `running`, `done`.
    pub state_condition: Option<String>,
    pub network_id: Option<u64>,
    pub account_id: Option<u64>,
    pub sync_module_id: Option<u64>,
    pub camera_id: Option<u64>,
    pub target: Option<String>,
    pub target_id: Option<u64>,
    pub debug: Option<String>,
    pub by_whom: Option<String>,
    pub server: Option<String>,
    pub transaction: Option<String>,
    pub player_transaction: Option<String>,
    pub sequence: Option<i64>,
    pub attempts: Option<i64>,
    pub duration: Option<i64>,
    pub sm_ack: Option<i64>,
    pub lfr_ack: Option<i64>,
    pub stage_rest: Option<String>,
    pub stage_cs_db: Option<String>,
    pub stage_cs_sent: Option<String>,
    pub stage_sm: Option<String>,
    pub stage_dev: Option<String>,
    pub stage_is: Option<String>,
    pub stage_lv: Option<String>,
    pub stage_vs: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub execute_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandStatus {
    pub complete: bool,
    pub status: Option<i64>,
    pub status_msg: Option<String>,
    pub status_code: Option<i64>,
    #[serde(deserialize_with = "null_as_default")]
    pub commands: Vec<CommandObject>,
    pub media_id: Option<u64>,
}

impl CommandStatus {
    /// Blink's rule (as blinkpy applies it): any `status_code` other than 908 is a failure,
    /// even before `complete` turns true. A missing code is not.
    pub fn failed(&self) -> bool {
        self.status_code.is_some_and(|code| code != STATUS_CODE_OK)
    }

    /// The stage of the first sub-command, for progress display.
    pub fn stage(&self) -> Option<&str> {
        self.commands.first()?.state_stage.as_deref()
    }
}
