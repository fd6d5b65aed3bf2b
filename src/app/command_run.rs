//! A Blink command followed from key press to outcome. `Operation` is what is asked of Blink;
//! `RunPhase` is where it stands. Keybindable commands (`KeyCommand`) are a different thing.

use jiff::Timestamp;

use super::data::DataStore;
use crate::api::DeviceRef;
use crate::api::change::Change;
use crate::api::models::ThumbnailRef;
use crate::api::snooze::SnoozeTarget;

pub type RunId = u64;

/// What blinktui asks Blink to do: a change (started, followed and settled by the client, see
/// `api::change`), or one of the jobs the app follows itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Change(Change),
    Snapshot {
        device: DeviceRef,
        before: Option<ThumbnailRef>,
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
    /// The account's own settings (notification flags).
    Account,
}

impl Operation {
    pub fn target(&self) -> Target {
        match self {
            Self::Change(
                Change::Arm { network, .. } | Change::Snooze { target: SnoozeTarget::Network(network), .. },
            ) => Target::Network(*network),
            Self::Change(
                Change::Motion { device, .. }
                | Change::RecordClip { device }
                | Change::Setting { device, .. }
                | Change::Snooze { target: SnoozeTarget::Device(device), .. },
            )
            | Self::Snapshot { device, .. } => Target::Camera(device.id),
            Self::Change(Change::Program { program, .. }) => Target::Program(*program),
            Self::Change(Change::Notification { .. }) => Target::Account,
            Self::DeleteEvents { media } => Target::Event(media.first().copied().unwrap_or_default()),
            Self::FetchUsbClip { event, .. } | Self::DeleteUsbClip { event, .. } => Target::Event(*event),
        }
    }

    /// Whether two operations are the same command (a second one is refused, not queued).
    pub fn same_kind(&self, other: &Self) -> bool {
        use std::mem::discriminant;
        match (self, other) {
            (Self::Change(a), Self::Change(b)) => discriminant(a) == discriminant(b),
            (a, b) => discriminant(a) == discriminant(b),
        }
    }

    /// The network whose sync module carries the command: Blink runs one at a time there.
    /// Program switches and deletions are applied at once and wait for nothing.
    pub fn network(&self) -> Option<u64> {
        match self {
            Self::Change(Change::Arm { network, .. }) => Some(*network),
            Self::Change(
                Change::Motion { device, .. }
                | Change::RecordClip { device }
                | Change::Setting { device, .. },
            )
            | Self::Snapshot { device, .. } => Some(device.network_id),
            // A snooze silences notifications in Blink's cloud: the sync module is not involved.
            Self::Change(Change::Program { .. } | Change::Snooze { .. } | Change::Notification { .. })
            | Self::DeleteEvents { .. } => None,
            // The stick's commands run on its sync module, one at a time like the others.
            Self::FetchUsbClip { clip, .. } | Self::DeleteUsbClip { clip, .. } => {
                Some(clip.storage.network_id)
            }
        }
    }

    /// Short present-tense label for the row it acts on, at most 9 columns: "arming", "→ off".
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Change(change) => match change {
                Change::Arm { armed: true, .. } => "arming",
                Change::Arm { armed: false, .. } => "disarming",
                Change::Motion { on: true, .. } => "→ on",
                Change::Motion { on: false, .. } => "→ off",
                Change::RecordClip { .. } => "recording",
                Change::Program { enable: true, .. } => "enabling",
                Change::Program { enable: false, .. } => "disabling",
                Change::Snooze { minutes: Some(_), .. } => "snooze",
                Change::Snooze { minutes: None, .. } => "unsnooze",
                Change::Setting { .. } | Change::Notification { .. } => "setting",
            },
            Self::Snapshot { .. } => "snapshot",
            Self::DeleteEvents { .. } | Self::DeleteUsbClip { .. } => "deleting",
            Self::FetchUsbClip { .. } => "uploading",
        }
    }

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
    /// Where it stands among `runs`, in words: "waiting for Home", "camera working".
    pub fn status(&self, runs: &[CommandRun], data: &DataStore) -> String {
        match (&self.phase, self.op.network()) {
            (RunPhase::Waiting, network) => {
                // What holds it up: a command on the same camera, network or event, else its
                // network's sync module.
                let target = self.op.target();
                match runs.iter().find(|r| r.op.target() == target && r.phase != RunPhase::Waiting) {
                    Some(ahead) => format!("waiting for {}", ahead.label),
                    None => network.map_or_else(
                        || "waiting".to_owned(),
                        |network| format!("waiting for {}", data.network_name(network)),
                    ),
                }
            }
            (phase, _) => phase.describe().to_owned(),
        }
    }

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

/// The run going on `target`, if any: its row shows a spinner.
pub fn run_on(runs: &[CommandRun], target: Target) -> Option<&CommandRun> {
    runs.iter().find(|run| run.op.target() == target)
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
        let motion = |id, on| Operation::Change(Change::Motion { device: device(id), on });
        let arm = |armed| Operation::Change(Change::Arm { network: 1, armed });
        assert_eq!(
            motion(1, true).target(),
            Operation::Snapshot { device: device(1), before: None }.target()
        );
        assert_ne!(motion(1, true).target(), motion(2, true).target());
        assert_eq!(arm(true).target(), arm(false).target());
        assert_ne!(arm(true).target(), Target::Program(1));
    }

    #[test]
    fn a_second_change_of_the_same_kind_is_told_apart_from_another_change() {
        let motion = |on| Operation::Change(Change::Motion { device: device(1), on });
        let record = Operation::Change(Change::RecordClip { device: device(1) });
        assert!(motion(true).same_kind(&motion(false)));
        assert!(!motion(true).same_kind(&record), "another change on the camera waits its turn");
        assert!(!motion(true).same_kind(&Operation::Snapshot { device: device(1), before: None }));
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
            op: Operation::Change(Change::Arm { network: 1, armed: true }),
            label: "Arm Home".into(),
            phase: RunPhase::Sent,
            started,
        };
        assert_eq!(run.took(started + jiff::SignedDuration::from_millis(420)), "0.4 s");
        assert_eq!(run.took(started + jiff::SignedDuration::from_secs(12)), "12 s");
    }
}
