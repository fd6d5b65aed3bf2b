//! A Blink command followed from key press to outcome. `Operation` is what is asked of Blink;
//! `RunPhase` is where it stands. Keybindable commands (`KeyCommand`) are a different thing.

use jiff::Timestamp;

use crate::api::DeviceRef;
use crate::api::models::ThumbnailRef;

pub type RunId = u64;

/// What blinktui asks Blink to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Arm {
        network: u64,
    },
    Disarm {
        network: u64,
    },
    Motion {
        device: DeviceRef,
        on: bool,
    },
    Snapshot {
        device: DeviceRef,
        before: Option<ThumbnailRef>,
    },
    RecordClip {
        device: DeviceRef,
    },
    SetProgram {
        network: u64,
        program: u64,
        enable: bool,
    },
    /// One `media/delete` call per 50 events.
    DeleteEvents {
        media: Vec<u64>,
    },
    /// Have the sync module upload a USB stick's clip, then download it (`event` is the clip's
    /// row in the events pane).
    FetchUsbClip {
        event: u64,
        clip: Box<crate::local_clips::LocalClipRef>,
        network_name: String,
        then: super::usb::UsbThen,
    },
    /// Delete a clip from a USB stick.
    DeleteUsbClip {
        event: u64,
        clip: Box<crate::local_clips::LocalClipRef>,
    },
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
            Self::DeleteEvents { media } => Target::Event(media.first().copied().unwrap_or_default()),
            Self::FetchUsbClip { event, .. } | Self::DeleteUsbClip { event, .. } => Target::Event(*event),
        }
    }

    /// The network whose sync module carries the command: Blink runs one at a time there.
    /// Program switches and deletions are applied at once and wait for nothing.
    pub fn network(&self) -> Option<u64> {
        match self {
            Self::Arm { network } | Self::Disarm { network } => Some(*network),
            Self::Motion { device, .. } | Self::Snapshot { device, .. } | Self::RecordClip { device } => {
                Some(device.network_id)
            }
            Self::SetProgram { .. } | Self::DeleteEvents { .. } => None,
            // The stick's commands run on its sync module, one at a time like the others.
            Self::FetchUsbClip { clip, .. } | Self::DeleteUsbClip { clip, .. } => {
                Some(clip.storage.network_id)
            }
        }
    }

    /// Short present-tense label for the row it acts on, at most 9 columns: "arming", "→ off".
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Arm { .. } => "arming",
            Self::Disarm { .. } => "disarming",
            Self::Motion { on: true, .. } => "→ on",
            Self::Motion { on: false, .. } => "→ off",
            Self::Snapshot { .. } => "snapshot",
            Self::RecordClip { .. } => "recording",
            Self::SetProgram { enable: true, .. } => "enabling",
            Self::SetProgram { enable: false, .. } => "disabling",
            Self::DeleteEvents { .. } | Self::DeleteUsbClip { .. } => "deleting",
            Self::FetchUsbClip { .. } => "uploading",
        }
    }
}

impl Operation {
    /// Whether it changes something on Blink (and so is refused in read-only mode): getting a
    /// clip off a USB stick only copies it.
    pub fn changes_blink(&self) -> bool {
        !matches!(self, Self::FetchUsbClip { .. })
    }
}

/// The lifecycle of a run. Every `match` on it names every phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunPhase {
    /// Behind another command on the same network (Blink answers "busy" to a second one).
    Waiting,
    /// Waiting for the pause Blink needs between commands, or for a busy network to free up.
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
            Self::Waiting | Self::Queued | Self::Sent | Self::Polling { .. } => true,
            Self::Done | Self::Failed(_) | Self::TimedOut | Self::Cancelled => false,
        }
    }

    /// Where the run stands, in words for the status line (Blink's stage names mean little to
    /// people: `cs_sent`, `dev`).
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Polling { stage } => match stage.as_deref() {
                Some("rest" | "cs_db") => "received",
                Some("cs_sent") => "sent",
                Some("sm") => "sync module working",
                Some("dev") => "camera working",
                Some("is" | "vs") => "saving",
                Some("lv") => "live view",
                _ => "working",
            },
            Self::Done => "done",
            Self::Failed(_) => "failed",
            Self::TimedOut => "timed out",
            Self::Cancelled => "cancelled",
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
    fn stages_are_described_in_words() {
        let polling = |stage: &str| RunPhase::Polling { stage: Some(stage.into()) }.describe();
        assert_eq!(polling("cs_sent"), "sent");
        assert_eq!(polling("dev"), "camera working");
        assert_eq!(polling("sm"), "sync module working");
        assert_eq!(polling("something new"), "working");
        assert_eq!(RunPhase::Waiting.describe(), "waiting");
    }

    #[test]
    fn phases_in_flight() {
        assert!(RunPhase::Polling { stage: None }.in_flight());
        assert!(!RunPhase::TimedOut.in_flight());
        assert!(!RunPhase::Failed("x".into()).in_flight());
    }
}
