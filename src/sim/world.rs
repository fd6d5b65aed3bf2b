//! The simulated account: networks, devices, programs, events and commands in flight. Time
//! moves lazily: every request first calls [`World::advance`], which finishes due commands and
//! lets motion events happen, so the world needs no background task and stays deterministic
//! for a given seed and request sequence.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::api::DeviceKind;
use crate::api::models::time::format_blink;
use crate::api::models::{Device, MediaItem, Network, Program, SyncModule, ThumbnailRef};

use super::commands::SimCommand;

/// How a device's homescreen `thumbnail` is written: Blink uses all three shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThumbnailStyle {
    /// A bare epoch timestamp.
    Timestamp,
    /// `/api/v3/media/.../thumbnail/thumbnail.jpg?ts=N&ext=`.
    NewPath,
    /// `/media/production/.../clip_xxxxxxxx_2020_10_28__11_43AM`, no extension.
    OldPath,
}

#[derive(Debug, Clone)]
pub struct SimNetwork {
    pub network: Network,
    pub sync_module: Option<SyncModule>,
    pub programs: Vec<Program>,
    /// Notifications snoozed until then.
    pub snoozed_until: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct SimDevice {
    pub kind: DeviceKind,
    pub device: Device,
    pub thumbnail_style: ThumbnailStyle,
    /// Settings a config update can change, echoed by the config endpoints.
    pub settings: DeviceSettings,
    pub next_motion: Option<Timestamp>,
    /// Notifications snoozed until then.
    pub snoozed_until: Option<Timestamp>,
    /// When the camera last reported its status (`POST …/status`); `None`: not since it was
    /// added.
    pub status_read: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceSettings {
    /// 0 off, 1 on, 2 auto (Minis use the words).
    pub illuminator: i64,
    pub motion_sensitivity: i64,
    pub video_length: i64,
    /// Seconds before motion can trigger again (`alert_interval`, Minis' `retrigger_time`).
    pub retrigger: i64,
    /// `saver`, `standard` or `best`.
    pub video_quality: String,
    pub record_audio: bool,
    pub temperature_f: i64,
    pub wifi_rssi: i64,
    pub battery_voltage: i64,
    /// Where motion counts: 25 rows of a 12-column grid, a bit per cell (`advanced_motion_regions`).
    pub motion_regions: [u16; 25],
    /// A Mini's floodlight (`…/owls/{c}/lights/on|off`).
    pub lights_on: bool,
}

#[derive(Debug, Clone)]
pub struct WorldSettings {
    pub command_delay: Duration,
    /// Mean time between motion events per armed camera; `None` stops new events.
    pub motion_interval: Option<Duration>,
    pub page_size: usize,
}

pub struct World {
    pub account_id: u64,
    pub user_id: u64,
    pub client_id: u64,
    pub tier: String,
    pub email: String,
    pub networks: Vec<SimNetwork>,
    pub devices: Vec<SimDevice>,
    /// Newest last; deleted items stay (flagged) so `media/changed` can report deletions.
    pub media: Vec<MediaItem>,
    pub commands: BTreeMap<u64, SimCommand>,
    pub notifications: BTreeMap<String, bool>,
    /// USB sticks in sync modules, by network.
    pub usb: BTreeMap<u64, super::usb::UsbStick>,
    pub settings: WorldSettings,
    pub(super) rng: StdRng,
    next_id: u64,
}

impl World {
    pub fn new(seed: u64, settings: WorldSettings) -> Self {
        Self {
            account_id: 0,
            user_id: 0,
            client_id: 0,
            tier: String::new(),
            email: String::new(),
            networks: Vec::new(),
            devices: Vec::new(),
            media: Vec::new(),
            commands: BTreeMap::new(),
            notifications: BTreeMap::new(),
            usb: BTreeMap::new(),
            settings,
            rng: StdRng::seed_from_u64(seed),
            next_id: 1_000_000_000,
        }
    }

    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1 + self.rng.random_range(0..7);
        self.next_id
    }

    pub fn network(&self, id: u64) -> Option<&SimNetwork> {
        self.networks.iter().find(|n| n.network.id == id)
    }

    pub fn network_mut(&mut self, id: u64) -> Option<&mut SimNetwork> {
        self.networks.iter_mut().find(|n| n.network.id == id)
    }

    pub fn device(&self, id: u64) -> Option<&SimDevice> {
        self.devices.iter().find(|d| d.device.id == id)
    }

    pub fn device_mut(&mut self, id: u64) -> Option<&mut SimDevice> {
        self.devices.iter_mut().find(|d| d.device.id == id)
    }

    /// The device if it exists, belongs to `network_id` and is of `kind`.
    pub fn device_in(&self, network_id: u64, id: u64, kind: DeviceKind) -> Option<&SimDevice> {
        self.device(id).filter(|d| d.device.network_id == network_id && d.kind == kind)
    }

    /// Whether the sync module of a network is reachable (networks without one always are).
    pub fn network_online(&self, network_id: u64) -> bool {
        self.network(network_id).and_then(|n| n.sync_module.as_ref()).is_none_or(SyncModule::is_online)
    }

    /// Brings the world up to `now`: due commands take effect, armed cameras see motion.
    pub fn advance(&mut self, now: Timestamp) {
        let due: Vec<u64> =
            self.commands.values().filter(|c| !c.applied && c.finished_by(now)).map(|c| c.id).collect();
        for id in due {
            self.finish_command(id, now);
        }
        self.generate_motion(now);
    }

    /// Sets a new thumbnail for a device, guaranteed to differ from the previous one.
    pub fn new_thumbnail(&mut self, device_id: u64, now: Timestamp) {
        let token: u32 = self.rng.random();
        let account = self.account_id;
        let Some(sim) = self.device_mut(device_id) else {
            return;
        };
        let previous_ts = match &sim.device.thumbnail {
            Some(ThumbnailRef::Timestamp(ts)) => *ts,
            Some(ThumbnailRef::Path(path)) => thumbnail_ts(path).unwrap_or(0),
            None => 0,
        };
        let ts = now.as_second().max(previous_ts + 1);
        let d = &sim.device;
        sim.device.thumbnail = Some(match sim.thumbnail_style {
            ThumbnailStyle::Timestamp => ThumbnailRef::Timestamp(ts),
            ThumbnailStyle::NewPath => ThumbnailRef::Path(format!(
                "/api/v3/media/accounts/{account}/networks/{}/{}/{}/thumbnail/thumbnail.jpg?ts={ts}&ext=",
                d.network_id, d.device_type, d.id
            )),
            ThumbnailStyle::OldPath => {
                let stamp =
                    Timestamp::from_second(ts).unwrap_or(now).strftime("%Y_%m_%d__%I_%M%p").to_string();
                ThumbnailRef::Path(format!(
                    "/media/production/account/{account}/network/{}/{}/{}/thumbnail/fw_{}__{token:08x}_{stamp}",
                    d.network_id,
                    if sim.kind == DeviceKind::Mini { "owl" } else { "camera" },
                    d.id,
                    d.fw_version.as_ref().map(ToString::to_string).unwrap_or_default(),
                ))
            }
        });
        sim.device.updated_at = Some(format_blink(now));
    }

    /// Records a motion event (or a manual clip) for a device at `at`.
    pub fn add_media(&mut self, device_id: u64, at: Timestamp, source: &str) -> Option<u64> {
        let id = self.next_id();
        let account = self.account_id;
        let sim = self.device(device_id)?;
        let d = &sim.device;
        let network_name = self.network(d.network_id).map(|n| n.network.name.clone());
        let base = format!(
            "/api/v3/media/accounts/{account}/networks/{}/{}/{}/{source}/{id}",
            d.network_id, d.device_type, d.id
        );
        let item = MediaItem {
            id,
            created_at: at.into(),
            updated_at: Some(at.into()),
            deleted: false,
            device: Some(d.device_type.clone()),
            device_id: d.id,
            device_name: d.name.clone(),
            network_id: d.network_id,
            network_name,
            media_type: Some("video".into()),
            source: Some(source.into()),
            watched: false,
            partial: Some(false),
            thumbnail: Some(format!("{base}.jpg?ext=")),
            media: Some(format!("{base}.mp4")),
            metadata: None,
            additional_devices: Vec::new(),
            time_zone: self.network(d.network_id).and_then(|n| n.network.time_zone.clone()),
        };
        self.media.push(item);
        Some(id)
    }

    fn generate_motion(&mut self, now: Timestamp) {
        let Some(interval) = self.settings.motion_interval else {
            return;
        };
        for index in 0..self.devices.len() {
            // A long idle period must not flood the account: at most a few events per camera.
            for _ in 0..5 {
                let sim = &self.devices[index];
                let armed = self.network(sim.device.network_id).is_some_and(|n| n.network.armed);
                let Some(due) = sim.next_motion.filter(|due| *due <= now) else {
                    break;
                };
                if !(armed && sim.device.enabled && sim.device.is_online()) {
                    self.devices[index].next_motion = Some(now + self.jittered(interval));
                    break;
                }
                let device_id = sim.device.id;
                self.add_media(device_id, due, "pir");
                self.devices[index].next_motion = Some(due + self.jittered(interval));
            }
        }
    }

    pub(super) fn jittered(&mut self, interval: Duration) -> jiff::SignedDuration {
        let factor = self.rng.random_range(0.5..1.5);
        jiff::SignedDuration::try_from(interval.mul_f64(factor))
            .unwrap_or(jiff::SignedDuration::from_secs(60))
    }
}

/// `snooze` and `snooze_time_remaining` (seconds) as homescreen reports them at `now`.
pub fn snooze_fields(until: Option<Timestamp>, now: Timestamp) -> (bool, Option<i64>) {
    match until.map(|until| (until - now).as_secs()) {
        Some(secs) if secs > 0 => (true, Some(secs)),
        _ => (false, None),
    }
}

/// The `ts=` of a new-style thumbnail path.
pub fn thumbnail_ts(path: &str) -> Option<i64> {
    let start = path.find("ts=")? + 3;
    let digits: String = path[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
