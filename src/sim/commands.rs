//! Commands in the simulated cloud: accepted at once, then moving through Blink's stages
//! (`rest` → `cs_sent` → `sm` → `dev` → `vs`) over the configured delay. Their effect reaches
//! homescreen only when they are done; a failing command ends with a `status_code` other than
//! 908, as Blink's do.

use jiff::{SignedDuration, Timestamp};

use crate::api::models::time::format_blink;
use crate::api::models::{CommandObject, CommandResponse, CommandStatus, STATUS_CODE_OK, SubCommand};

use super::world::World;

/// Failure codes the simulator uses (Blink's own are undocumented; clients only compare with
/// 908).
pub const FAIL_CAMERA_OFFLINE: i64 = 905;
pub const FAIL_SYNC_MODULE_OFFLINE: i64 = 906;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Arm {
        armed: bool,
    },
    Motion {
        device: u64,
        enabled: bool,
    },
    Thumbnail {
        device: u64,
    },
    Clip {
        device: u64,
    },
    Settings {
        device: u64,
        changes: serde_json::Value,
    },
    /// The camera reports its status (`camera_status`) afresh.
    StatusRead {
        device: u64,
    },
    /// A Mini's floodlight on or off.
    Lights {
        device: u64,
        on: bool,
    },
    /// Stays running until the client posts `done` (or the session length passes).
    Liveview,
    /// A request to a sync module's USB stick.
    LocalStorage(super::usb::UsbEffect),
}

#[derive(Debug, Clone)]
pub struct SimCommand {
    pub id: u64,
    pub network_id: u64,
    /// Blink's command name: `arm`, `thumbnail`, `clip`, `device_motion_enable`, `lv_relay`, ...
    pub name: String,
    pub device_id: Option<u64>,
    pub created: Timestamp,
    pub due: Timestamp,
    pub effect: Effect,
    pub failure: Option<(i64, String)>,
    pub applied: bool,
    pub sub_ids: Vec<u64>,
    /// How long a liveview session lasts unless ended: the length its answer names.
    pub lasts: SignedDuration,
}

impl SimCommand {
    /// Liveview lasts its session length unless ended (or failed, which shows when due);
    /// everything else finishes when due.
    pub fn finished_by(&self, now: Timestamp) -> bool {
        match self.effect {
            Effect::Liveview if self.failure.is_some() => self.applied || now >= self.due,
            Effect::Liveview => self.applied || now >= self.created + self.lasts,
            _ => now >= self.due,
        }
    }

    fn stage(&self, now: Timestamp) -> (&'static str, &'static str) {
        if now <= self.created && !self.applied {
            return ("rest", "new");
        }
        if self.finished_by(now) {
            return ("vs", "done");
        }
        let total = (self.due - self.created).as_millis().max(1);
        let elapsed = (now - self.created).as_millis();
        match (elapsed * 4) / total {
            0 => ("cs_sent", "running"),
            1 => ("sm", "running"),
            _ if matches!(self.effect, Effect::Liveview) => ("lv", "running"),
            _ => ("dev", "running"),
        }
    }

    /// The full command object at `now`.
    pub fn object(&self, now: Timestamp, account_id: u64, sync_module_id: Option<u64>) -> CommandObject {
        let (stage, condition) = self.stage(now);
        let at = |reached: bool, ts: Timestamp| reached.then(|| format_blink(ts));
        let progressed = now > self.created;
        let done = condition == "done";
        CommandObject {
            id: self.id,
            command: Some(self.name.clone()),
            state_stage: Some(stage.into()),
            state_condition: Some(condition.into()),
            network_id: Some(self.network_id),
            account_id: Some(account_id),
            sync_module_id,
            camera_id: self.device_id,
            target: Some(if self.device_id.is_some() { "camera" } else { "network" }.into()),
            target_id: self.device_id.or(Some(self.network_id)),
            debug: Some(if done {
                format!("{{\"lfr_ok\":[{},1,0]}}", self.network_id)
            } else {
                String::new()
            }),
            by_whom: Some("blinktui simulator".into()),
            server: matches!(self.effect, Effect::Liveview).then(|| "immis://127.0.0.1:443".into()),
            transaction: Some(format!("tx{:x}", self.id)),
            player_transaction: Some(format!("ptx{:x}", self.id)),
            attempts: Some(0),
            sm_ack: progressed.then_some(1),
            lfr_ack: done.then_some(0),
            stage_rest: Some(format_blink(self.created)),
            stage_cs_db: Some(format_blink(self.created)),
            stage_cs_sent: at(progressed, self.created),
            stage_sm: at(stage != "cs_sent" && progressed, now.min(self.due)),
            stage_dev: at(done || stage == "dev", now.min(self.due)),
            stage_vs: at(done, self.due.min(now)),
            created_at: Some(format_blink(self.created)),
            updated_at: Some(format_blink(now.min(self.due.max(self.created)))),
            execute_time: Some(format_blink(self.created)),
            ..CommandObject::default()
        }
    }

    /// The answer to `GET /network/{n}/command/{id}`.
    pub fn status(&self, now: Timestamp, account_id: u64, sync_module_id: Option<u64>) -> CommandStatus {
        let object = self.object(now, account_id, sync_module_id);
        let complete = object.state_condition.as_deref() == Some("done");
        match (&self.failure, complete) {
            (Some((code, message)), true) => CommandStatus {
                complete: true,
                status: Some(1),
                status_msg: Some(message.clone()),
                status_code: Some(*code),
                commands: vec![object],
                media_id: None,
            },
            _ => CommandStatus {
                complete,
                status: Some(0),
                status_msg: Some("Command succeeded".into()),
                status_code: Some(STATUS_CODE_OK),
                commands: vec![object],
                media_id: None,
            },
        }
    }

    /// The short form arm/disarm and Minis answer with.
    pub fn short_form(&self) -> CommandResponse {
        CommandResponse {
            id: Some(self.id),
            network_id: Some(self.network_id),
            command: Some(self.name.clone()),
            state: Some("new".into()),
            commands: self
                .sub_ids
                .iter()
                .map(|id| SubCommand {
                    id: *id,
                    network_id: Some(self.network_id),
                    command: Some("config_lfr".into()),
                    state: Some("running".into()),
                })
                .collect(),
            ..CommandResponse::default()
        }
    }
}

impl World {
    /// True while a command other than liveview is still running on the network.
    pub fn network_busy(&self, network_id: u64, now: Timestamp) -> bool {
        self.commands.values().any(|c| {
            c.network_id == network_id && !c.finished_by(now) && !matches!(c.effect, Effect::Liveview)
        })
    }

    /// Queues a command. Failure is decided now (offline device or sync module) but only
    /// reported when the command finishes, as Blink does.
    pub fn start_command(
        &mut self,
        network_id: u64,
        name: &str,
        device_id: Option<u64>,
        effect: Effect,
        now: Timestamp,
    ) -> SimCommand {
        let id = self.next_id();
        let failure = if !self.network_online(network_id) {
            Some((FAIL_SYNC_MODULE_OFFLINE, "Sync module is offline".to_owned()))
        } else if device_id.and_then(|d| self.device(d)).is_some_and(|d| !d.device.is_online()) {
            Some((FAIL_CAMERA_OFFLINE, "Camera is offline".to_owned()))
        } else {
            None
        };
        let sub_ids = match effect {
            Effect::Arm { .. } => {
                let cameras = self
                    .devices
                    .iter()
                    .filter(|d| d.device.network_id == network_id && d.device.enabled)
                    .count();
                (0..cameras).map(|_| self.next_id()).collect()
            }
            _ => Vec::new(),
        };
        let delay = SignedDuration::try_from(self.settings.command_delay).unwrap_or(SignedDuration::ZERO);
        let command = SimCommand {
            id,
            network_id,
            name: name.to_owned(),
            device_id,
            created: now,
            due: now + delay,
            effect,
            failure,
            applied: false,
            sub_ids,
            lasts: SignedDuration::from_secs(300),
        };
        self.commands.insert(id, command.clone());
        command
    }

    /// Applies a finished command's effect (once).
    pub(super) fn finish_command(&mut self, id: u64, now: Timestamp) {
        let Some(command) = self.commands.get_mut(&id) else {
            return;
        };
        command.applied = true;
        if command.failure.is_some() {
            return;
        }
        let (effect, network_id, at) = (command.effect.clone(), command.network_id, command.due.min(now));
        match effect {
            Effect::Arm { armed } => {
                if let Some(network) = self.network_mut(network_id) {
                    network.network.armed = armed;
                    network.network.updated_at = Some(format_blink(at));
                }
            }
            Effect::Motion { device, enabled } => {
                if let Some(sim) = self.device_mut(device) {
                    sim.device.enabled = enabled;
                    sim.device.updated_at = Some(format_blink(at));
                }
            }
            Effect::Thumbnail { device } => self.new_thumbnail(device, at),
            Effect::Clip { device } => {
                self.add_media(device, at, "snapshot");
            }
            Effect::Settings { device, changes } => self.apply_settings(device, &changes),
            Effect::StatusRead { device } => {
                if let Some(sim) = self.device_mut(device) {
                    sim.status_read = Some(at);
                }
            }
            Effect::Lights { device, on } => {
                if let Some(sim) = self.device_mut(device) {
                    sim.settings.lights_on = on;
                }
            }
            Effect::Liveview => {}
            Effect::LocalStorage(usb) => self.finish_usb(network_id, &usb),
        }
    }

    /// Ends a liveview (`POST .../done/`). Returns false for an unknown command.
    pub fn end_command(&mut self, network_id: u64, id: u64) -> bool {
        match self.commands.get_mut(&id) {
            Some(command) if command.network_id == network_id => {
                command.applied = true;
                true
            }
            _ => false,
        }
    }

    fn apply_settings(&mut self, device_id: u64, changes: &serde_json::Value) {
        let Some(sim) = self.device_mut(device_id) else {
            return;
        };
        let int = |key: &str| changes.get(key).and_then(serde_json::Value::as_i64);
        if let Some(enabled) = changes.get("enabled").and_then(serde_json::Value::as_bool) {
            sim.device.enabled = enabled;
        }
        if let Some(name) = changes.get("name").and_then(serde_json::Value::as_str) {
            sim.device.name = name.to_owned();
        }
        let illuminator = int("illuminator_enable").or_else(|| {
            changes.get("illuminator_enable").and_then(|v| v.as_str()).map(|word| match word {
                "on" => 1,
                "auto" => 2,
                _ => 0,
            })
        });
        let settings = &mut sim.settings;
        if let Some(value) = illuminator {
            settings.illuminator = value.clamp(0, 2);
        }
        if let Some(value) = int("motion_sensitivity") {
            settings.motion_sensitivity = value.clamp(1, 9);
        }
        if let Some(value) = int("video_length").or_else(|| int("clip_length")) {
            settings.video_length = value.clamp(5, 60);
        }
        if let Some(value) = int("alert_interval").or_else(|| int("retrigger_time")) {
            settings.retrigger = value.clamp(10, 60);
        }
        if let Some(quality) = changes.get("video_quality").and_then(serde_json::Value::as_str)
            && matches!(quality, "saver" | "standard" | "best")
        {
            settings.video_quality = quality.to_owned();
        }
        if let Some(value) = changes.get("record_audio_enable").and_then(serde_json::Value::as_bool) {
            settings.record_audio = value;
        }
    }
}
