//! What a person wants to know about each network and camera, derived from homescreen once
//! and shared by `blinktui status` and the UI.

use serde::Serialize;

use crate::api::models::{Device, Homescreen, Network, Signals, SyncModule};
use crate::api::snooze::remaining_label;
use crate::api::{DeviceKind, DeviceRef};

/// What Blink's app calls a device, from the codename its API gives as `type` (`catalina`,
/// `owl`, ...). An unknown codename is shown as it is: it still tells one model from another.
pub fn product_name(device_type: &str) -> &str {
    match device_type {
        "white" => "Indoor",
        "xt" => "XT",
        "xt2" => "XT2",
        "catalina" => "Outdoor",
        "sedona" => "Outdoor 4",
        "owl" => "Mini",
        "hawk" => "Mini 2",
        "lotus" => "Doorbell",
        "superior" => "Floodlight",
        other => other,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    pub id: u64,
    pub name: String,
    pub armed: bool,
    pub time_zone: Option<String>,
    pub sync_module: Option<SyncModuleSummary>,
    /// Motion notifications snoozed: what remains, as `29m`, or `on` without a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snoozed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncModuleSummary {
    pub id: u64,
    pub name: Option<String>,
    pub status: Option<String>,
    pub online: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameraSummary {
    pub id: u64,
    pub name: String,
    pub network_id: u64,
    pub network: Option<String>,
    /// Blink's device type string (`catalina`, `owl`, `lotus`, ...).
    #[serde(rename = "type")]
    pub device_type: String,
    pub kind: DeviceKind,
    /// Motion detection on.
    pub enabled: bool,
    pub online: bool,
    pub status: Option<String>,
    /// `ok` or `low`; `null` for wired devices.
    pub battery: Option<String>,
    pub battery_low: bool,
    pub battery_bars: Option<i64>,
    pub temperature_f: Option<i64>,
    pub temperature_c: Option<i64>,
    pub wifi_bars: Option<i64>,
    pub lfr_bars: Option<i64>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// Motion notifications snoozed: what remains, as `29m`, or `on` without a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snoozed: Option<String>,
}

impl CameraSummary {
    pub fn device_ref(&self) -> DeviceRef {
        DeviceRef {
            kind: self.kind,
            id: self.id,
            network_id: self.network_id,
            device_type: self.device_type.clone(),
        }
    }
}

pub fn networks(home: &Homescreen) -> Vec<NetworkSummary> {
    home.networks.iter().map(|network| network_summary(home, network)).collect()
}

fn network_summary(home: &Homescreen, network: &Network) -> NetworkSummary {
    NetworkSummary {
        id: network.id,
        name: network.name.clone(),
        armed: network.armed,
        time_zone: network.time_zone.clone(),
        sync_module: home.sync_modules.iter().find(|s| s.network_id == network.id).map(sync_summary),
        snoozed: remaining_label(network.snooze, network.snooze_time_remaining),
    }
}

fn sync_summary(sync: &SyncModule) -> SyncModuleSummary {
    SyncModuleSummary {
        id: sync.id,
        name: sync.name.clone(),
        status: sync.status.clone(),
        online: sync.is_online(),
    }
}

pub fn cameras(home: &Homescreen) -> Vec<CameraSummary> {
    home.devices().map(|(kind, device)| camera_summary(home, kind, device)).collect()
}

fn camera_summary(home: &Homescreen, kind: DeviceKind, device: &Device) -> CameraSummary {
    let signals = device.signals.clone().unwrap_or_default();
    CameraSummary {
        id: device.id,
        name: device.name.clone(),
        network_id: device.network_id,
        network: home.networks.iter().find(|n| n.id == device.network_id).map(|n| n.name.clone()),
        device_type: device.device_type.clone(),
        kind,
        enabled: device.enabled,
        online: device.is_online(),
        status: device.status.clone(),
        battery: device.battery.clone().or_else(|| device.battery_state.clone()),
        battery_low: device.battery_low(),
        battery_bars: signals.battery,
        temperature_f: signals.temp,
        temperature_c: signals.temp.map(fahrenheit_to_celsius),
        wifi_bars: signals.wifi,
        lfr_bars: signals.lfr,
        serial: device.serial.clone(),
        firmware: device.fw_version.as_ref().map(ToString::to_string),
        snoozed: remaining_label(device.snooze, device.snooze_time_remaining),
    }
}

impl CameraSummary {
    /// Fills in what homescreen left out from signals read for this camera (doorbells and
    /// Minis report theirs only in their config), so the list and the details agree.
    pub fn fill_from(&mut self, signals: &Signals) {
        self.wifi_bars = self.wifi_bars.or(signals.wifi);
        self.lfr_bars = self.lfr_bars.or(signals.lfr);
        if self.temperature_f.is_none() {
            self.temperature_f = signals.temp;
            self.temperature_c = signals.temp.map(fahrenheit_to_celsius);
        }
    }
}

pub fn fahrenheit_to_celsius(f: i64) -> i64 {
    ((f - 32) as f64 * 5.0 / 9.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_join_networks_sync_modules_and_signals() {
        let home = Homescreen {
            networks: vec![Network { id: 1, name: "Home".into(), armed: true, ..Network::default() }],
            sync_modules: vec![SyncModule {
                id: 5,
                network_id: 1,
                status: Some("offline".into()),
                ..SyncModule::default()
            }],
            cameras: vec![Device {
                id: 9,
                name: "Yard".into(),
                network_id: 1,
                device_type: "xt2".into(),
                battery: Some("low".into()),
                signals: Some(Signals { temp: Some(68), wifi: Some(4), ..Signals::default() }),
                ..Device::default()
            }],
            ..Homescreen::default()
        };
        let network = &networks(&home)[0];
        assert_eq!(network.sync_module.as_ref().map(|s| s.online), Some(false));
        let camera = &cameras(&home)[0];
        assert_eq!(camera.network.as_deref(), Some("Home"));
        assert_eq!(
            (camera.temperature_f, camera.temperature_c, camera.wifi_bars),
            (Some(68), Some(20), Some(4))
        );
        assert!(camera.battery_low && camera.online);
        let json = serde_json::to_value(camera).expect("json");
        assert_eq!(json["type"], "xt2");
        assert_eq!(json["kind"], "camera");
    }
}
