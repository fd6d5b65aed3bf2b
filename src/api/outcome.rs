//! Settling a command whose answer was lost: homescreen shows whether arming and motion
//! detection changed, so the outcome is read from Blink's state instead of guessed.

use super::client::BlinkClient;
use super::error::ApiError;

/// A change homescreen can confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Armed { network: u64, armed: bool },
    Motion { device: u64, on: bool },
}

/// What homescreen showed when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Blink shows the change made.
    Applied,
    /// Blink shows the state as before: the change was not made, or not yet.
    NotApplied,
    /// Homescreen no longer has the network or the device.
    Gone,
}

/// Homescreen reads to settle one lost answer: a command takes a few seconds on the sync
/// module, so a change sent just before may show only on a later read.
const SETTLE_READS: u32 = 3;

impl BlinkClient {
    /// Re-reads homescreen, up to [`SETTLE_READS`] times two poll intervals apart, until it
    /// shows `expected` made.
    pub async fn settle(&self, expected: Expected) -> Result<Settled, ApiError> {
        let pause = self.options().command_poll_interval * 2;
        let mut settled = self.read_settled(expected).await?;
        for _ in 1..SETTLE_READS {
            if settled != Settled::NotApplied {
                break;
            }
            tokio::time::sleep(pause).await;
            settled = self.read_settled(expected).await?;
        }
        Ok(settled)
    }

    async fn read_settled(&self, expected: Expected) -> Result<Settled, ApiError> {
        let home = self.homescreen().await?;
        let holds = match expected {
            Expected::Armed { network, armed } => {
                home.networks.iter().find(|n| n.id == network).map(|n| n.armed == armed)
            }
            Expected::Motion { device, on } => {
                home.devices().find(|(_, d)| d.id == device).map(|(_, d)| d.enabled == on)
            }
        };
        Ok(match holds {
            Some(true) => Settled::Applied,
            Some(false) => Settled::NotApplied,
            None => Settled::Gone,
        })
    }

    /// `result` of a change, with a lost answer settled by Blink's state: `Ok` when homescreen
    /// shows the change made, an [`ApiError::OutcomeUnknown`] saying what Blink shows otherwise.
    pub async fn settled<T>(
        &self,
        result: Result<T, ApiError>,
        expected: Expected,
        if_applied: T,
    ) -> Result<T, ApiError> {
        let err = match result {
            Err(err) if err.is_outcome_unknown() => err,
            other => return other,
        };
        tracing::warn!(error = %err, "the outcome of a change is unknown: re-reading homescreen");
        let shown = match self.settle(expected).await {
            Ok(Settled::Applied) => {
                tracing::info!("homescreen shows the change made");
                return Ok(if_applied);
            }
            Ok(Settled::NotApplied) => "Blink does not show it applied yet".to_owned(),
            Ok(Settled::Gone) => "Blink no longer lists it".to_owned(),
            Err(check) => format!("checking failed too: {check}"),
        };
        Err(match err {
            ApiError::OutcomeUnknown { action, reason } => {
                ApiError::OutcomeUnknown { action, reason: format!("{reason}; {shown}") }
            }
            other => {
                ApiError::OutcomeUnknown { action: "the change".into(), reason: format!("{other}; {shown}") }
            }
        })
    }
}
