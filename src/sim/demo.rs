//! The demo account: two sites, seven devices covering every family and thumbnail shape, one
//! camera offline, one battery low, programs, and a few days of motion history. Names are fixed;
//! the seed varies signal levels, event times and pictures.

use jiff::{SignedDuration, Timestamp};
use rand::Rng;

use crate::api::DeviceKind;
use crate::api::models::time::format_blink;
use crate::api::models::{Device, Network, Program, ScheduleEntry, Signals, StringOrNumber, SyncModule};

use super::world::{DeviceSettings, SimDevice, SimNetwork, ThumbnailStyle, World, WorldSettings};

pub const DEMO_EMAIL: &str = "demo@blinktui.example";
pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_2FA_CODE: &str = "123456";

pub const HOME_NETWORK: u64 = 200101;
/// A motion-region row with all 12 cells on: the whole picture counts, as on a new camera.
const FULL_ROW: u16 = 0x0fff;
pub const CABIN_NETWORK: u64 = 200102;

struct DeviceSpec {
    id: u64,
    name: &'static str,
    kind: DeviceKind,
    device_type: &'static str,
    network_id: u64,
    style: ThumbnailStyle,
    online: bool,
    battery_low: bool,
    wired: bool,
}

#[rustfmt::skip]
const DEVICES: &[DeviceSpec] = &[
    DeviceSpec { id: 400101, name: "Front Door", kind: DeviceKind::Doorbell, device_type: "lotus", network_id: HOME_NETWORK, style: ThumbnailStyle::Timestamp, online: true, battery_low: false, wired: false },
    DeviceSpec { id: 400102, name: "Driveway", kind: DeviceKind::Camera, device_type: "catalina", network_id: HOME_NETWORK, style: ThumbnailStyle::NewPath, online: true, battery_low: false, wired: false },
    DeviceSpec { id: 400103, name: "Backyard", kind: DeviceKind::Camera, device_type: "xt2", network_id: HOME_NETWORK, style: ThumbnailStyle::NewPath, online: true, battery_low: true, wired: false },
    DeviceSpec { id: 400104, name: "Living Room", kind: DeviceKind::Mini, device_type: "owl", network_id: HOME_NETWORK, style: ThumbnailStyle::Timestamp, online: true, battery_low: false, wired: true },
    DeviceSpec { id: 400105, name: "Garage", kind: DeviceKind::Camera, device_type: "white", network_id: CABIN_NETWORK, style: ThumbnailStyle::OldPath, online: true, battery_low: false, wired: false },
    DeviceSpec { id: 400106, name: "Dock", kind: DeviceKind::Camera, device_type: "catalina", network_id: CABIN_NETWORK, style: ThumbnailStyle::NewPath, online: false, battery_low: false, wired: false },
    DeviceSpec { id: 400107, name: "Porch", kind: DeviceKind::Mini, device_type: "owl", network_id: CABIN_NETWORK, style: ThumbnailStyle::OldPath, online: true, battery_low: false, wired: true },
];

pub fn demo_world(seed: u64, settings: WorldSettings, now: Timestamp) -> World {
    let mut world = World::new(seed, settings);
    world.account_id = 104583;
    world.user_id = 98231;
    world.client_id = 772211;
    world.tier = "u011".into();
    world.email = DEMO_EMAIL.into();
    let created = format_blink(now - SignedDuration::from_hours(24 * 400));
    world.networks = vec![
        network(
            HOME_NETWORK,
            "Home",
            true,
            "America/New_York",
            &created,
            sync_module(300101, HOME_NETWORK, "Home Sync", "sm2", &created),
        ),
        network(
            CABIN_NETWORK,
            "Cabin",
            false,
            "America/Denver",
            &created,
            sync_module(300102, CABIN_NETWORK, "Cabin Sync", "sm1", &created),
        ),
    ];
    world.networks[0].programs = vec![
        program(
            500101,
            HOME_NETWORK,
            "Weeknights",
            true,
            &["mon", "tue", "wed", "thu", "fri"],
            "02:00",
            "10:30",
        ),
        program(500102, HOME_NETWORK, "Weekend away", false, &["sat", "sun"], "13:00", "22:00"),
    ];
    world.networks[1].programs = vec![program(
        500103,
        CABIN_NETWORK,
        "Off-season",
        true,
        &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "03:00",
        "14:00",
    )];
    for spec in DEVICES {
        let device = device(&mut world, spec, &created);
        world.devices.push(device);
    }
    for id in DEVICES.iter().map(|spec| spec.id) {
        let taken = now - SignedDuration::from_mins(world.rng.random_range(5..240));
        world.new_thumbnail(id, taken);
    }
    add_history(&mut world, now);
    super::usb::demo_stick(&mut world, HOME_NETWORK, now);
    // The flags Blink's app shows today, as captured; one off, to show both states.
    world.notifications = [
        "accessory_connected",
        "accessory_disconnected",
        "accessory_low_battery",
        "general",
        "low_battery",
        "camera_offline",
        "camera_usage",
        "scheduling",
        "motion",
        "sync_module_offline",
        "temperature",
        "doorbell",
        "wifi",
        "lfr",
        "bandwidth",
        "battery_dead",
        "local_storage",
    ]
    .into_iter()
    .map(|flag| (flag.to_owned(), flag != "camera_usage"))
    .collect();
    world
}

fn network(id: u64, name: &str, armed: bool, zone: &str, created: &str, sync: SyncModule) -> SimNetwork {
    SimNetwork {
        network: Network {
            id,
            name: name.into(),
            armed,
            time_zone: Some(zone.into()),
            dst: Some(true),
            lv_save: Some(false),
            created_at: Some(created.into()),
            updated_at: Some(created.into()),
            ..Network::default()
        },
        sync_module: Some(sync),
        programs: Vec::new(),
        snoozed_until: None,
    }
}

fn sync_module(id: u64, network_id: u64, name: &str, kind: &str, created: &str) -> SyncModule {
    SyncModule {
        id,
        name: Some(name.into()),
        module_type: Some(kind.into()),
        subtype: Some(if kind == "sm2" { "vinnie" } else { "none" }.into()),
        network_id,
        onboarded: Some(true),
        status: Some("online".into()),
        serial: Some(format!("G8T1{id:08}")),
        fw_version: Some("4.4.8".into()),
        last_hb: Some(created.into()),
        wifi_strength: Some(3),
        local_storage_enabled: Some(false),
        local_storage_compatible: Some(true),
        local_storage_status: Some("unavailable".into()),
        created_at: Some(created.into()),
        updated_at: Some(created.into()),
    }
}

/// Schedule times are UTC, as Blink writes them (`2016-06-02 14:45:00 +0000`).
pub(crate) fn program(
    id: u64,
    network_id: u64,
    name: &str,
    enabled: bool,
    days: &[&str],
    arm: &str,
    disarm: &str,
) -> Program {
    let entry = |time: &str, action: &str| ScheduleEntry {
        dow: days.iter().map(|d| (*d).to_owned()).collect(),
        devices: Vec::new(),
        time: format!("2016-06-02 {time}:00 +0000"),
        action: action.into(),
    };
    Program {
        id,
        network_id,
        status: if enabled { "enabled" } else { "disabled" }.into(),
        name: name.into(),
        schedule: vec![entry(arm, "arm"), entry(disarm, "disarm")],
        format: Some("v1".into()),
    }
}

fn device(world: &mut World, spec: &DeviceSpec, created: &str) -> SimDevice {
    let rng = &mut world.rng;
    let wifi: i64 = rng.random_range(2..=5);
    let temperature_f: i64 = rng.random_range(38..=74);
    let battery_bars = if spec.battery_low { 1 } else { rng.random_range(2..=3) };
    let fw = match spec.kind {
        DeviceKind::Camera => "10.61",
        DeviceKind::Mini => "9.63",
        DeviceKind::Doorbell => "13.90",
    };
    let device = Device {
        id: spec.id,
        name: spec.name.into(),
        device_type: spec.device_type.into(),
        network_id: spec.network_id,
        serial: Some(format!("G8X{:010}", spec.id)),
        fw_version: Some(StringOrNumber::from(fw)),
        enabled: spec.online,
        thumbnail: None,
        status: Some(
            match (spec.online, spec.kind) {
                (false, _) => "offline",
                (true, DeviceKind::Camera) => "done",
                (true, _) => "online",
            }
            .into(),
        ),
        battery: (!spec.wired).then(|| if spec.battery_low { "low" } else { "ok" }.into()),
        battery_state: None,
        signals: (spec.kind == DeviceKind::Camera).then_some(Signals {
            lfr: Some(rng.random_range(3..=5)),
            wifi: Some(wifi),
            temp: Some(temperature_f),
            battery: Some(battery_bars),
            ..Signals::default()
        }),
        onboarded: (spec.kind != DeviceKind::Camera).then_some(true),
        snooze: Some(false),
        snooze_time_remaining: None,
        issues: Vec::new(),
        usage_rate: Some(false),
        local_storage_enabled: Some(false),
        local_storage_compatible: Some(spec.kind != DeviceKind::Mini),
        revision: Some("00".into()),
        created_at: Some(created.into()),
        updated_at: Some(created.into()),
    };
    SimDevice {
        kind: spec.kind,
        device,
        thumbnail_style: spec.style,
        settings: DeviceSettings {
            illuminator: 2,
            motion_sensitivity: 5,
            video_length: 30,
            retrigger: 10,
            video_quality: "standard".into(),
            record_audio: true,
            temperature_f,
            wifi_rssi: -40 - (5 - wifi) * 9,
            battery_voltage: if spec.battery_low { 128 } else { 158 },
            motion_regions: [FULL_ROW; 25],
            lights_on: false,
        },
        next_motion: None,
        snoozed_until: None,
        status_read: None,
    }
}

/// Three days of motion events on the cameras that are online.
fn add_history(world: &mut World, now: Timestamp) {
    let online: Vec<u64> =
        world.devices.iter().filter(|d| d.device.is_online()).map(|d| d.device.id).collect();
    let mut at = now - SignedDuration::from_hours(72);
    while at < now - SignedDuration::from_mins(10) {
        let device = online[world.rng.random_range(0..online.len())];
        if let Some(id) = world.add_media(device, at, "pir") {
            let watched = world.rng.random_bool(0.6);
            if let Some(item) = world.media.iter_mut().find(|m| m.id == id) {
                item.watched = watched;
            }
        }
        at += SignedDuration::from_mins(world.rng.random_range(40..180));
    }
    if let Some(interval) = world.settings.motion_interval {
        for index in 0..world.devices.len() {
            let first = now + world.jittered(interval);
            world.devices[index].next_motion = Some(first);
        }
    }
}
