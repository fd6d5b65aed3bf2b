//! A Blink command followed from key press to outcome. `Operation` is what is asked of Blink;
//! `RunPhase` is where it stands. Keybindable commands (`KeyCommand`) are a different thing.

use jiff::Timestamp;

use crate::api::DeviceRef;
use crate::api::models::ThumbnailRef;
use crate::api::settings::SettingChange;
use crate::api::snooze::SnoozeTarget;

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
    /// Snooze for `minutes`, or unsnooze with `None`.
    Snooze {
        target: SnoozeTarget,
        minutes: Option<u32>,
    },
    ChangeSetting {
        device: DeviceRef,
        change: SettingChange,
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
    /// Switch one of the account's notification flags (Blink applies it at once).
    SetNotification {
        name: String,
        on: bool,
    },
}

/// What an operation acts on: one run per target and kind at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Network(u64),
    Camera(u64),
    Program(u64),
    Event(u64),
    /// The account's own settings (notification flags).
    Account,
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
            Self::Snooze { target: SnoozeTarget::Network(network), .. } => Target::Network(*network),
            Self::Snooze { target: SnoozeTarget::Device(device), .. }
            | Self::ChangeSetting { device, .. } => Target::Camera(device.id),
            Self::FetchUsbClip { event, .. } | Self::DeleteUsbClip { event, .. } => Target::Event(*event),
            Self::SetNotification { .. } => Target::Account,
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
            Self::ChangeSetting { device, .. } => Some(device.network_id),
            // A snooze silences notifications in Blink's cloud: the sync module is not involved.
            Self::SetProgram { .. }
            | Self::DeleteEvents { .. }
            | Self::Snooze { .. }
            | Self::SetNotification { .. } => None,
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
            Self::Snooze { minutes: Some(_), .. } => "snooze",
            Self::Snooze { minutes: None, .. } => "unsnooze",
            Self::ChangeSetting { .. } | Self::SetNotification { .. } => "setting",
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

/// Where a run in flight stands. A finished run leaves `AppState::runs`; its outcome and how
/// long it took go to the message log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunPhase {
    /// Behind another command on the same network (Blink answers "busy" to a second one).
    Waiting,
    /// Waiting for the pause Blink needs between commands, or for a busy network to free up.
    Queued,
    /// Blink accepted it; no answer from a poll yet.
    Sent,
    /// Polling; Blink's stage (`sm`, `dev`, ...) when it says.
    Polling { stage: Option<String> },
}

impl RunPhase {
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
    /// When the key was pressed: the message log says how long the run took.
    pub started: Timestamp,
}

impl CommandRun {
    /// How long the run took until `now`, for the message log: "0.4 s", "12 s".
    pub fn took(&self, now: Timestamp) -> String {
        let millis = (now - self.started).as_millis().max(0);
        if millis < 10_000 {
            format!("{:.1} s", millis as f64 / 1000.0)
        } else {
            format!("{} s", millis / 1000)
        }
    }
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
    fn durations_read_naturally() {
        let started = Timestamp::from_second(1_000).expect("time");
        let run = CommandRun {
            id: 1,
            op: Operation::Arm { network: 1 },
            label: "Arm Home".into(),
            phase: RunPhase::Sent,
            started,
        };
        assert_eq!(run.took(started + jiff::SignedDuration::from_millis(420)), "0.4 s");
        assert_eq!(run.took(started + jiff::SignedDuration::from_secs(12)), "12 s");
    }
}
