//! A Blink command followed from key press to outcome. `Operation` is what is asked of Blink;
//! `RunPhase` is where it stands. Keybindable commands (`KeyCommand`) are a different thing.

use jiff::Timestamp;

use crate::api::DeviceRef;
use crate::api::models::ThumbnailRef;

pub type RunId = u64;

/// What blinktui asks Blink to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Arm { network: u64 },
    Disarm { network: u64 },
    Motion { device: DeviceRef, on: bool },
    Snapshot { device: DeviceRef, before: Option<ThumbnailRef> },
    RecordClip { device: DeviceRef },
    SetProgram { network: u64, program: u64, enable: bool },
    DeleteEvent { media: u64 },
}

/// What an operation acts on: one run per target and kind at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Network(u64),
    Camera(u64),
    Program(u64),
    Event(u64),
}

impl Operation {
    pub fn target(&self) -> Target {
        match self {
            Self::Arm { network } | Self::Disarm { network } => Target::Network(*network),
            Self::Motion { device, .. } | Self::Snapshot { device, .. } | Self::RecordClip { device } => {
                Target::Camera(device.id)
            }
            Self::SetProgram { program, .. } => Target::Program(*program),
            Self::DeleteEvent { media } => Target::Event(*media),
        }
    }

    /// Short present-tense label, e.g. for the status line: "arming".
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Arm { .. } => "arming",
            Self::Disarm { .. } => "disarming",
            Self::Motion { on: true, .. } => "motion on",
            Self::Motion { on: false, .. } => "motion off",
            Self::Snapshot { .. } => "snapshot",
            Self::RecordClip { .. } => "recording",
            Self::SetProgram { enable: true, .. } => "enabling",
            Self::SetProgram { enable: false, .. } => "disabling",
            Self::DeleteEvent { .. } => "deleting",
        }
    }
}

/// The lifecycle of a run. Every `match` on it names every phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunPhase {
    /// Waiting for the pause Blink needs between commands.
    Queued,
    /// Blink accepted it; no answer from a poll yet.
    Sent,
    /// Polling; Blink's stage (`sm`, `dev`, ...) when it says.
    Polling {
        stage: Option<String>,
    },
    /// Confirmed; the targeted refresh follows.
    Done,
    Failed(String),
    TimedOut,
    /// Stopped because the app is quitting or the session ended.
    Cancelled,
}

impl RunPhase {
    pub fn in_flight(&self) -> bool {
        match self {
            Self::Queued | Self::Sent | Self::Polling { .. } => true,
            Self::Done | Self::Failed(_) | Self::TimedOut | Self::Cancelled => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommandRun {
    pub id: RunId,
    pub op: Operation,
    /// What the user sees it as, e.g. "Arm Cabin".
    pub label: String,
    pub phase: RunPhase,
    pub started: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::DeviceKind;

    fn device(id: u64) -> DeviceRef {
        DeviceRef { kind: DeviceKind::Camera, id, network_id: 1, device_type: "catalina".into() }
    }

    #[test]
    fn targets_group_operations_on_the_same_thing() {
        let motion = Operation::Motion { device: device(1), on: true };
        assert_eq!(motion.target(), Operation::Snapshot { device: device(1), before: None }.target());
        assert_ne!(motion.target(), Operation::Motion { device: device(2), on: true }.target());
        assert_eq!(Operation::Arm { network: 1 }.target(), Operation::Disarm { network: 1 }.target());
        assert_ne!(Operation::Arm { network: 1 }.target(), Target::Program(1));
    }

    #[test]
    fn phases_in_flight() {
        assert!(RunPhase::Polling { stage: None }.in_flight());
        assert!(!RunPhase::TimedOut.in_flight());
        assert!(!RunPhase::Failed("x".into()).in_flight());
    }
}
