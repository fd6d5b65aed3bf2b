//! Starting Blink's asynchronous commands and following them to the end.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::backoff::{doubling, is_busy};
use super::body::BodyKind;
use super::client::{BlinkClient, Request};
use super::error::ApiError;
use super::models::{CommandResponse, CommandStatus, MessageResponse};

/// A command Blink accepted, to be polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommandRef {
    pub id: u64,
    pub network_id: u64,
}

/// What a command-starting request produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// Blink queued a command: poll it.
    Command(CommandRef),
    /// The change was applied at once (some Mini and doorbell settings answer without a
    /// command).
    Applied,
}

impl Started {
    pub fn command(&self) -> Option<CommandRef> {
        match self {
            Self::Command(command) => Some(*command),
            Self::Applied => None,
        }
    }
}

impl BlinkClient {
    /// POSTs a command-starting request: paced, never retried, and read in whichever shape
    /// Blink answers. Without a command id the answer is a refusal, unless `may_apply_at_once`.
    pub(crate) async fn start_command(
        &self,
        path: &str,
        body: Option<serde_json::Value>,
        network_id: u64,
        may_apply_at_once: bool,
        label: &str,
    ) -> Result<Started, ApiError> {
        let body = body.unwrap_or_else(|| serde_json::json!({}));
        let mut attempt = 0;
        let response = loop {
            self.pace_command().await;
            let sent = self
                .send(Request {
                    method: Method::POST,
                    target: path,
                    body: Some(body.clone()),
                    idempotent: false,
                    timeout: self.options().request_timeout,
                    idle: false,
                    kind: BodyKind::Json,
                    label,
                })
                .await;
            match sent.map_err(|err| command_refusal(err).unknown_outcome_of(label)) {
                // "System is busy": another command runs on the network and this one was not
                // taken, so sending it again once that one is done is safe.
                Err(err) if is_busy(&err) && attempt < BUSY_RETRIES => {
                    attempt += 1;
                    let poll = self.options().command_poll_interval;
                    let wait = doubling(poll * 2, attempt - 1, poll * 32);
                    tracing::info!(command = label, attempt, ?wait, "network busy: trying again");
                    tokio::time::sleep(wait).await;
                }
                other => break other?,
            }
        };
        let answer: CommandResponse = response.json(label).map_err(|err| err.unknown_outcome_of(label))?;
        match answer.id {
            Some(id) => {
                tracing::info!(command = label, id, "command accepted");
                Ok(Started::Command(CommandRef { id, network_id: answer.network_id.unwrap_or(network_id) }))
            }
            None if may_apply_at_once => Ok(Started::Applied),
            None => Err(ApiError::CommandFailed {
                code: answer.code.unwrap_or(0),
                message: answer.message.unwrap_or_else(|| "Blink did not start the command".into()),
            }),
        }
    }

    /// `GET /network/{n}/command/{id}`.
    pub async fn command_status(&self, command: CommandRef) -> Result<CommandStatus, ApiError> {
        self.get_json(&format!("/network/{}/command/{}", command.network_id, command.id), "command status")
            .await
    }

    /// `POST /network/{n}/command/{id}/done/`: ends a long-running command such as liveview.
    pub async fn command_done(&self, command: CommandRef) -> Result<MessageResponse, ApiError> {
        self.post_json(
            &format!("/network/{}/command/{}/done/", command.network_id, command.id),
            None::<&()>,
            "command done",
        )
        .await
    }

    /// Polls until the command completes, fails (see [`CommandStatus::failure`]) or runs past
    /// the configured timeout. `on_progress` sees every poll.
    pub async fn wait_for_command(
        &self,
        command: CommandRef,
        mut on_progress: impl FnMut(&CommandStatus),
    ) -> Result<CommandStatus, ApiError> {
        let started = Instant::now();
        let options = self.options();
        loop {
            // Blink took the command: from here on, a lost answer leaves its outcome open.
            let status = self.command_status(command).await.map_err(|err| match err {
                ApiError::RateLimited { .. } | ApiError::Unreachable { .. } => ApiError::OutcomeUnknown {
                    action: format!("command {}", command.id),
                    reason: err.to_string(),
                },
                other => other.unknown_outcome_of(&format!("command {}", command.id)),
            })?;
            on_progress(&status);
            if let Some(failure) = status.failure() {
                return Err(ApiError::CommandFailed { code: failure.code, message: failure.message });
            }
            if status.complete {
                return Ok(status);
            }
            if started.elapsed() + options.command_poll_interval > options.command_timeout {
                return Err(ApiError::CommandTimedOut { id: command.id, after: round_up(started.elapsed()) });
            }
            tokio::time::sleep(options.command_poll_interval).await;
        }
    }

    /// Starts and, when there is a command, waits for it.
    pub(crate) async fn run_command(&self, started: Started) -> Result<Option<CommandStatus>, ApiError> {
        match started {
            Started::Command(command) => self.wait_for_command(command, |_| {}).await.map(Some),
            Started::Applied => Ok(None),
        }
    }
}

/// How often a command refused with "busy" is sent again before the refusal is reported.
const BUSY_RETRIES: u32 = 5;

/// A 4xx to a command request is Blink declining the command ("busy", "No Cameras Enabled for
/// Motion"): report it as a failed command with Blink's code and message.
fn command_refusal(err: ApiError) -> ApiError {
    match err {
        ApiError::Rejected { status, code, message } => ApiError::CommandFailed {
            code: code.unwrap_or(i64::from(status)),
            message: message.unwrap_or_else(|| format!("refused with HTTP {status}")),
        },
        other => other,
    }
}

fn round_up(elapsed: Duration) -> Duration {
    Duration::from_secs(elapsed.as_secs() + u64::from(elapsed.subsec_nanos() > 0))
}
