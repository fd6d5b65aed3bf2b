//! Blink's asynchronous commands: what a command-starting POST returns and what polling
//! `GET /network/{n}/command/{id}` answers.

use serde::{Deserialize, Serialize};

use super::de::{Item, id, items, lenient};

/// `status_code` that means "no failure so far" while polling.
pub const STATUS_CODE_OK: i64 = 908;

/// The answer to a command-starting POST. Blink sends one of three shapes and this type reads
/// all of them: the full command object (regular cameras), the short form with sub-commands
/// (arm/disarm, Minis), or a `{message, code}` refusal such as "No Cameras Enabled for Motion".
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
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
    #[serde_with(skip_apply)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "items")]
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

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubCommand {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
    pub id: u64,
    pub network_id: Option<u64>,
    pub command: Option<String>,
    pub state: Option<String>,
}

/// The full command object, as sent inside a status poll and by some command POSTs.
#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandObject {
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "id")]
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

#[serde_with::apply(_ => #[serde(deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandStatus {
    pub complete: bool,
    pub status: Option<i64>,
    pub status_msg: Option<String>,
    pub status_code: Option<i64>,
    #[serde_with(skip_apply)]
    #[serde(deserialize_with = "items")]
    pub commands: Vec<CommandObject>,
    pub media_id: Option<u64>,
}

impl CommandStatus {
    /// Why the command failed, or `None` while it is fine. blinkpy's rule: any `status_code`
    /// other than 908 is a failure, even before `complete` turns true, and so is an answer
    /// without one. A sub-command in a state other than `new`, `running` or `done` (`error`)
    /// has failed too, whatever the code says.
    pub fn failure(&self) -> Option<CommandFailure> {
        let message = || self.status_msg.clone().filter(|m| !m.is_empty());
        match self.status_code {
            None => {
                return Some(CommandFailure {
                    code: 0,
                    message: message().unwrap_or_else(|| "Blink's answer has no status code".into()),
                });
            }
            Some(code) if code != STATUS_CODE_OK => {
                return Some(CommandFailure {
                    code,
                    message: message().unwrap_or_else(|| "command failed".into()),
                });
            }
            Some(_) => {}
        }
        let broken =
            self.commands.iter().find(|c| c.state_condition.as_deref().is_some_and(|s| !is_live(s)))?;
        Some(CommandFailure {
            code: self.status_code.unwrap_or_default(),
            message: format!(
                "{} ended in state {:?}{}",
                broken.command.as_deref().unwrap_or("the command"),
                broken.state_condition.as_deref().unwrap_or_default(),
                broken.state_stage.as_deref().map(|stage| format!(" at stage {stage}")).unwrap_or_default()
            ),
        })
    }

    pub fn failed(&self) -> bool {
        self.failure().is_some()
    }

    /// The stage of the first sub-command, for progress display.
    pub fn stage(&self) -> Option<&str> {
        self.commands.first()?.state_stage.as_deref()
    }
}

/// `new`, `running` and `done` are the states of a command that has not failed.
fn is_live(state_condition: &str) -> bool {
    ["new", "running", "done"].iter().any(|live| state_condition.eq_ignore_ascii_case(live))
}

/// Blink's code and message for a failed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandFailure {
    pub code: i64,
    pub message: String,
}

impl Item for SubCommand {}
impl Item for CommandObject {}
