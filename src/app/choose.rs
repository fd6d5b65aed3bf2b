//! Small menus over the screen: how long to snooze (`z`), a camera's settings (`e` in its
//! details) and the values of one setting. Their rows are built from the state each time, so
//! the settings menu shows what Blink reported last, re-read after every change.

use crate::api::DeviceRef;
use crate::api::settings::{self, Setting, SettingChange};
use crate::api::snooze::{SnoozeTarget, UNTIL_UNSNOOZED_MINUTES};

use super::camera_details::CameraDetails;
use super::command_run::Operation;
use super::{AppState, Details};
use crate::api::change::Change;

#[derive(Debug, Clone, PartialEq)]
pub struct Chooser {
    pub menu: Menu,
    pub selected: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Menu {
    /// What to snooze and its name.
    Snooze {
        target: SnoozeTarget,
        name: String,
    },
    Settings {
        device: DeviceRef,
    },
    Values {
        device: DeviceRef,
        setting: Setting,
    },
    /// The account view (`A`).
    Account,
}

/// What choosing a row does.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Run {
        op: Operation,
        label: String,
    },
    /// Opens the values of a setting.
    Values(Setting),
    /// A line that only informs.
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    /// The value in force (a setting's current value).
    pub current: bool,
    pub pick: Pick,
}

const SNOOZES: [(&str, Option<u32>); 5] = [
    ("30 minutes", Some(30)),
    ("1 hour", Some(60)),
    ("4 hours", Some(240)),
    ("until unsnoozed", Some(UNTIL_UNSNOOZED_MINUTES)),
    ("unsnooze", None),
];

impl Menu {
    pub fn title(&self, state: &AppState) -> String {
        match self {
            Self::Snooze { name, .. } => format!("Snooze {name}"),
            Self::Settings { device } => format!("Settings of {}", camera_name(state, device.id)),
            Self::Values { device, setting } => {
                format!("{} of {}", setting.label(), camera_name(state, device.id))
            }
            Self::Account => "Account".to_owned(),
        }
    }

    pub fn choices(&self, state: &AppState) -> Vec<Choice> {
        match self {
            Self::Snooze { target, name } => SNOOZES
                .iter()
                // "unsnooze" only where there is a snooze to end.
                .filter(|(_, minutes)| minutes.is_some() || is_snoozed(state, target))
                .map(|(label, minutes)| Choice {
                    label: (*label).to_owned(),
                    current: false,
                    pick: Pick::Run {
                        op: Operation::Change(Change::Snooze { target: target.clone(), minutes: *minutes }),
                        label: match minutes {
                            Some(_) => {
                                format!(
                                    "Snooze {name} {}",
                                    if *label == "until unsnoozed" { "" } else { "for " }
                                ) + label
                            }
                            None => format!("Unsnooze {name}"),
                        },
                    },
                })
                .collect(),
            Self::Settings { device } => settings_rows(state, device),
            Self::Account => super::account::rows(state),
            Self::Values { device, setting } => {
                let current = current_value(state, device.id, *setting);
                setting
                    .choices()
                    .into_iter()
                    .map(|value| Choice {
                        label: value.label(*setting),
                        current: current.as_ref() == Some(&value),
                        pick: Pick::Run {
                            label: format!(
                                "{} {} → {}",
                                camera_name(state, device.id),
                                setting.label().to_lowercase(),
                                value.label(*setting)
                            ),
                            op: Operation::Change(Change::Setting {
                                device: device.clone(),
                                change: SettingChange { setting: *setting, value },
                            }),
                        },
                    })
                    .collect()
            }
        }
    }
}

/// The camera whose details are open, with its config when loaded.
fn loaded_config(state: &AppState, camera: u64) -> Option<&crate::api::DeviceConfig> {
    match &state.view.details {
        Some(Details::Camera { id, read }) if *id == camera => read.config(),
        _ => None,
    }
}

fn current_value(state: &AppState, camera: u64, setting: Setting) -> Option<settings::SettingValue> {
    let values = settings::current(loaded_config(state, camera)?)?;
    values.into_iter().find(|(s, _)| *s == setting).and_then(|(_, value)| value)
}

fn settings_rows(state: &AppState, device: &DeviceRef) -> Vec<Choice> {
    let info = |label: &str| vec![Choice { label: label.to_owned(), current: false, pick: Pick::Nothing }];
    let Some(config) = loaded_config(state, device.id) else {
        return match &state.view.details {
            Some(Details::Camera { id, read: CameraDetails::Failed(error) }) if *id == device.id => {
                info(&format!("could not read the settings: {error}"))
            }
            _ => info("reading the settings…"),
        };
    };
    let Some(values) = settings::current(config) else {
        return info("Blink offers no such settings for doorbells");
    };
    values
        .into_iter()
        .map(|(setting, value)| Choice {
            label: format!(
                "{:<20}{}",
                setting.label(),
                value.map_or_else(|| "-".to_owned(), |v| v.label(setting))
            ),
            current: false,
            pick: Pick::Values(setting),
        })
        .collect()
}

fn is_snoozed(state: &AppState, target: &SnoozeTarget) -> bool {
    match target {
        SnoozeTarget::Network(id) => state.data.networks.iter().any(|n| n.id == *id && n.snoozed.is_some()),
        SnoozeTarget::Device(device) => state.data.camera(device.id).is_some_and(|c| c.snoozed.is_some()),
    }
}

fn camera_name(state: &AppState, id: u64) -> String {
    state.data.camera(id).map_or_else(|| format!("camera {id}"), |c| c.name.clone())
}
