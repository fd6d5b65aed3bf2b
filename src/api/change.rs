//! A change asked of Blink, in one place: the request that starts it, how it is followed (a
//! command polled until Blink says it is done), how a lost answer is settled (homescreen read
//! again), and the words for its outcome. The UI's runs and the one-shot commands both go
//! through [`BlinkClient::make_change`].

use super::models::{CommandStatus, NotificationConfig};
use super::settings::SettingChange;
use super::snooze::{SnoozeTarget, UNTIL_UNSNOOZED_MINUTES};
use super::{ApiError, BlinkClient, CommandRef, DeviceRef, Expected, Started};

/// What is changed on Blink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Arm {
        network: u64,
        armed: bool,
    },
    Motion {
        device: DeviceRef,
        on: bool,
    },
    RecordClip {
        device: DeviceRef,
    },
    /// Snooze for `minutes`, or unsnooze with `None`.
    Snooze {
        target: SnoozeTarget,
        minutes: Option<u32>,
    },
    Setting {
        device: DeviceRef,
        change: SettingChange,
    },
    Program {
        network: u64,
        program: u64,
        enable: bool,
    },
    /// One of the account's notification flags (Blink applies it at once).
    Notification {
        name: String,
        on: bool,
    },
}

/// How far a change is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Until Blink says the command is done.
    ToTheEnd,
    /// Only until Blink took it (`--no-wait`).
    UntilSent,
}

/// Where a followed change stands, as it is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Blink took the command; no poll has answered yet.
    Sent,
    /// A poll answered; Blink's stage (`sm`, `dev`, ...) when it says.
    Polling { stage: Option<String> },
}

/// How a change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Blink applied it (or shows it applied).
    Done,
    /// Sent and not followed (`Follow::UntilSent`).
    Sent(CommandRef),
}

impl Change {
    /// What homescreen shows once the change is made: a lost answer is settled by it.
    fn expected(&self) -> Option<Expected> {
        match self {
            Self::Arm { network, armed } => Some(Expected::Armed { network: *network, armed: *armed }),
            Self::Motion { device, on } => Some(Expected::Motion { device: device.id, on: *on }),
            _ => None,
        }
    }

    /// The outcome in words, for the thing changed named `name` ("Cabin armed").
    pub fn outcome(&self, name: &str) -> String {
        let on_off = |on: bool| if on { "on" } else { "off" };
        match self {
            Self::Arm { armed, .. } => format!("{name} {}", if *armed { "armed" } else { "disarmed" }),
            Self::Motion { on, .. } => format!("{name}: motion detection {}", on_off(*on)),
            Self::RecordClip { .. } => format!("{name}: clip recorded"),
            Self::Snooze { minutes: None, .. } => format!("{name} is no longer snoozed"),
            Self::Snooze { minutes: Some(UNTIL_UNSNOOZED_MINUTES), .. } => {
                format!("{name} snoozed until unsnoozed")
            }
            Self::Snooze { minutes: Some(minutes), .. } => {
                format!("{name} snoozed for {}", duration_words(*minutes))
            }
            Self::Setting { change, .. } => {
                format!(
                    "{name}: {} {}",
                    change.setting.label().to_lowercase(),
                    change.value.label(change.setting)
                )
            }
            Self::Program { enable, .. } => {
                format!("{name} {}", if *enable { "enabled" } else { "disabled" })
            }
            Self::Notification { on, .. } => format!("{name} notifications {}", on_off(*on)),
        }
    }
}

/// `30 minutes`, `1 hour`, `4 hours`, `1 day 2 hours`.
pub fn duration_words(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let parts: Vec<String> = [(days, "day"), (hours, "hour"), (rest, "minute")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| plural(n, unit))
        .collect();
    if parts.is_empty() { plural(0, "minute") } else { parts.join(" ") }
}

impl BlinkClient {
    /// Makes `change`: starts it, follows it as far as `follow` says, reporting where it stands,
    /// and settles a lost answer from what Blink shows.
    pub async fn make_change(
        &self,
        change: &Change,
        follow: Follow,
        mut on_progress: impl FnMut(Progress),
    ) -> Result<Made, ApiError> {
        let result = async {
            match self.start_change(change).await? {
                Started::Command(command) if follow == Follow::UntilSent => Ok(Made::Sent(command)),
                Started::Command(command) => {
                    on_progress(Progress::Sent);
                    let polled = |status: &CommandStatus| {
                        on_progress(Progress::Polling { stage: status.stage().map(str::to_owned) });
                    };
                    self.wait_for_command(command, polled).await?;
                    Ok(Made::Done)
                }
                Started::Applied => Ok(Made::Done),
            }
        }
        .await;
        match change.expected() {
            Some(expected) => self.settled(result, expected, Made::Done).await,
            None => result,
        }
    }

    /// The request that starts `change`.
    async fn start_change(&self, change: &Change) -> Result<Started, ApiError> {
        match change {
            Change::Arm { network, armed: true } => self.arm(*network).await,
            Change::Arm { network, armed: false } => self.disarm(*network).await,
            Change::Motion { device, on } => self.set_motion(device, *on).await,
            Change::RecordClip { device } => self.record_clip(device).await,
            Change::Snooze { target, minutes: Some(minutes) } => self.snooze(target, *minutes).await,
            Change::Snooze { target, minutes: None } => self.unsnooze(target).await,
            Change::Setting { device, change } => self.change_setting(device, change).await,
            Change::Program { network, program, enable } => {
                self.set_program_enabled(*network, *program, *enable).await.map(|_| Started::Applied)
            }
            Change::Notification { name, on } => {
                let changes = NotificationConfig { notifications: [(name.clone(), *on)].into() };
                self.set_notifications(&changes).await.map(|_| Started::Applied)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_words(30), "30 minutes");
        assert_eq!(duration_words(60), "1 hour");
        assert_eq!(duration_words(240), "4 hours");
        assert_eq!(duration_words(1560), "1 day 2 hours");
        assert_eq!(duration_words(1561), "1 day 2 hours 1 minute");
    }

    #[test]
    fn outcomes_name_the_thing_and_the_change() {
        assert_eq!(Change::Arm { network: 1, armed: true }.outcome("Cabin"), "Cabin armed");
        assert_eq!(
            Change::Snooze { target: SnoozeTarget::Network(1), minutes: Some(60) }.outcome("Home"),
            "Home snoozed for 1 hour"
        );
        assert_eq!(
            Change::Snooze { target: SnoozeTarget::Network(1), minutes: None }.outcome("Home"),
            "Home is no longer snoozed"
        );
        assert_eq!(
            Change::Program { network: 1, program: 2, enable: false }.outcome("Night"),
            "Night disabled"
        );
    }
}
