//! Camera, Mini and doorbell endpoints, each family at its own paths, as Blink has them.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};

use crate::api::DeviceKind;
use crate::api::models::time::format_blink;
use crate::api::models::{
    CameraConfig, CameraConfigResponse, DoorbellConfig, LiveviewResponse, OwlConfig, Signals,
};
use crate::secret::Secret;
use crate::sim::SimState;
use crate::sim::commands::Effect;
use crate::sim::guard::{Authed, not_found, wrong_account};
use crate::sim::relay;
use crate::sim::world::{SimDevice, World};

use super::system::busy;

type Shared = State<Arc<SimState>>;

/// `GET /network/{n}/camera/{c}/config|signals`.
pub async fn camera_get(
    State(sim): Shared,
    _auth: Authed,
    Path((n, c, action)): Path<(u64, u64, String)>,
) -> Response {
    let world = sim.world();
    let Some(sim_device) = world.device_in(n, c, DeviceKind::Camera) else {
        return not_found("Camera");
    };
    match action.as_str() {
        "config" => Json(camera_config(&world, sim_device)).into_response(),
        "signals" => {
            Json(Signals { updated_at: sim_device.device.updated_at.clone(), ..signals(sim_device) })
                .into_response()
        }
        _ => not_found("Endpoint"),
    }
}

/// `POST /network/{n}/camera/{c}/enable|disable|thumbnail|clip|update|status`: full command
/// objects.
pub async fn camera_post(
    State(sim): Shared,
    _auth: Authed,
    Path((n, c, action)): Path<(u64, u64, String)>,
    body: Bytes,
) -> Response {
    let mut world = sim.world();
    if world.device_in(n, c, DeviceKind::Camera).is_none() {
        return not_found("Camera");
    }
    let (name, effect) = match action.as_str() {
        "enable" => ("device_motion_enable", Effect::Motion { device: c, enabled: true }),
        "disable" => ("device_motion_disable", Effect::Motion { device: c, enabled: false }),
        "thumbnail" => ("thumbnail", Effect::Thumbnail { device: c }),
        "clip" => ("clip", Effect::Clip { device: c }),
        "update" => ("config_set", Effect::Settings { device: c, changes: json_body(&body) }),
        "status" => ("status", Effect::StatusRead { device: c }),
        _ => return not_found("Endpoint"),
    };
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    let command = world.start_command(n, name, Some(c), effect, now);
    let sync_module = world.network(n).and_then(|net| net.sync_module.as_ref()).map(|s| s.id);
    Json(command.object(now, world.account_id, sync_module)).into_response()
}

/// `GET .../owls/{c}/config`.
pub async fn mini_get(State(sim): Shared, auth: Authed, path: Path<(u64, u64, u64, String)>) -> Response {
    family_get(sim, auth, path, DeviceKind::Mini)
}

/// `POST .../owls/{c}/config|thumbnail|clip`.
pub async fn mini_post(
    State(sim): Shared,
    auth: Authed,
    path: Path<(u64, u64, u64, String)>,
    body: Bytes,
) -> Response {
    family_post(sim, auth, path, body, DeviceKind::Mini)
}

/// `GET .../doorbells/{c}/config`.
pub async fn doorbell_get(State(sim): Shared, auth: Authed, path: Path<(u64, u64, u64, String)>) -> Response {
    family_get(sim, auth, path, DeviceKind::Doorbell)
}

/// `POST .../doorbells/{c}/enable|disable|config|thumbnail|clip`.
pub async fn doorbell_post(
    State(sim): Shared,
    auth: Authed,
    path: Path<(u64, u64, u64, String)>,
    body: Bytes,
) -> Response {
    family_post(sim, auth, path, body, DeviceKind::Doorbell)
}

fn family_get(
    sim: Arc<SimState>,
    _auth: Authed,
    Path((a, n, c, action)): Path<(u64, u64, u64, String)>,
    kind: DeviceKind,
) -> Response {
    let world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Some(sim_device) = world.device_in(n, c, kind) else {
        return not_found("Device");
    };
    match (action.as_str(), kind) {
        ("config", DeviceKind::Mini) => Json(owl_config(sim_device)).into_response(),
        ("config", _) => Json(doorbell_config(sim_device)).into_response(),
        _ => not_found("Endpoint"),
    }
}

/// Minis and doorbells answer commands in the short form.
fn family_post(
    sim: Arc<SimState>,
    _auth: Authed,
    Path((a, n, c, action)): Path<(u64, u64, u64, String)>,
    body: Bytes,
    kind: DeviceKind,
) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    if world.device_in(n, c, kind).is_none() {
        return not_found("Device");
    }
    let changes = json_body(&body);
    let (name, effect) = match (action.as_str(), kind) {
        ("config", _) => match changes.get("enabled").and_then(serde_json::Value::as_bool) {
            Some(true) => ("device_motion_enable", Effect::Settings { device: c, changes }),
            Some(false) => ("device_motion_disable", Effect::Settings { device: c, changes }),
            None => ("config_set", Effect::Settings { device: c, changes }),
        },
        ("enable", DeviceKind::Doorbell) => {
            ("device_motion_enable", Effect::Motion { device: c, enabled: true })
        }
        ("disable", DeviceKind::Doorbell) => {
            ("device_motion_disable", Effect::Motion { device: c, enabled: false })
        }
        ("thumbnail", _) => ("thumbnail", Effect::Thumbnail { device: c }),
        ("clip", _) => ("clip", Effect::Clip { device: c }),
        _ => return not_found("Endpoint"),
    };
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    Json(world.start_command(n, name, Some(c), effect, now).short_form()).into_response()
}

/// `POST .../owls/{c}/lights/on|off`: the floodlight, a command in the short form.
pub async fn mini_lights(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, c, state)): Path<(u64, u64, u64, String)>,
) -> Response {
    let on = match state.as_str() {
        "on" => true,
        "off" => false,
        _ => return not_found("Endpoint"),
    };
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    if world.device_in(n, c, DeviceKind::Mini).is_none() {
        return not_found("Device");
    }
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    let name = if on { "lights_on" } else { "lights_off" };
    Json(world.start_command(n, name, Some(c), Effect::Lights { device: c, on }, now).short_form())
        .into_response()
}

pub async fn camera_liveview(State(sim): Shared, auth: Authed, path: Path<(u64, u64, u64)>) -> Response {
    liveview(sim, auth, path, DeviceKind::Camera)
}

pub async fn mini_liveview(State(sim): Shared, auth: Authed, path: Path<(u64, u64, u64)>) -> Response {
    liveview(sim, auth, path, DeviceKind::Mini)
}

pub async fn doorbell_liveview(State(sim): Shared, auth: Authed, path: Path<(u64, u64, u64)>) -> Response {
    liveview(sim, auth, path, DeviceKind::Doorbell)
}

/// Opens a liveview command and names the simulator's relay, which streams the demo clip.
fn liveview(
    sim: Arc<SimState>,
    _auth: Authed,
    Path((a, n, c)): Path<(u64, u64, u64)>,
    kind: DeviceKind,
) -> Response {
    sim.relay.requested();
    let relay_addr = sim.relay_addr();
    let length = sim.relay.length().as_secs().max(1);
    let wrong_token = sim.relay.wrong_token_next();
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Some(serial) = world.device_in(n, c, kind).and_then(|d| d.device.serial.clone()) else {
        return not_found("Device");
    };
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    let client_id = world.client_id;
    let command = world.start_command(n, "lv", Some(c), Effect::Liveview, now);
    if let Some(started) = world.commands.get_mut(&command.id) {
        started.lasts = SignedDuration::from_secs(i64::try_from(length).unwrap_or(300));
    }
    let token = relay::token_for(command.id);
    Json(LiveviewResponse {
        command_id: command.id,
        server: relay::url(relay_addr, command.id, &serial, client_id),
        network_id: Some(n),
        join_available: Some(true),
        join_state: Some("available".into()),
        duration: Some(i64::try_from(length).unwrap_or(300)),
        extended_duration: Some(5400),
        continue_interval: Some(300),
        continue_warning: Some(0),
        polling_interval: Some(15),
        submit_logs: Some(true),
        new_command: Some(true),
        media_id: None,
        options: Some(serde_json::json!({ "poor_connection": false })),
        liveview_token: Some(Secret::new(if wrong_token { format!("{token}-stale") } else { token })),
    })
    .into_response()
}

fn json_body(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|_| serde_json::json!({}))
}

fn signals(sim_device: &SimDevice) -> Signals {
    let d = &sim_device.device;
    let s = &sim_device.settings;
    Signals {
        temp: Some(s.temperature_f),
        battery_state: d.battery.clone(),
        ..d.signals.clone().unwrap_or_default()
    }
}

fn camera_config(world: &World, sim_device: &SimDevice) -> CameraConfigResponse {
    let d = &sim_device.device;
    let s = &sim_device.settings;
    let extra = [
        (
            "sync_module_id",
            world.network(d.network_id).and_then(|n| n.sync_module.as_ref()).map(|m| m.id).into(),
        ),
        ("account_id", world.account_id.into()),
        ("armed", world.network(d.network_id).is_some_and(|n| n.network.armed).into()),
        ("temp_adjust", 0.into()),
        ("temp_min", 40.into()),
        ("temp_max", 95.into()),
        ("alert_interval", s.retrigger.into()),
        ("early_termination", true.into()),
        ("max_resolution", "r1080".into()),
        ("created_at", d.created_at.clone().into()),
        ("updated_at", d.updated_at.clone().into()),
    ];
    CameraConfigResponse {
        camera: vec![CameraConfig {
            id: d.id,
            name: d.name.clone(),
            network_id: Some(d.network_id),
            enabled: Some(d.enabled),
            device_type: Some(d.device_type.clone()),
            battery_state: d.battery.clone(),
            battery_voltage: Some(s.battery_voltage),
            temperature: Some(s.temperature_f),
            wifi_strength: Some(s.wifi_rssi),
            lfr_strength: Some(s.wifi_rssi - 6),
            illuminator_enable: Some(s.illuminator),
            motion_sensitivity: Some(s.motion_sensitivity),
            video_length: Some(s.video_length),
            video_quality: Some(s.video_quality.clone()),
            record_audio_enable: Some(s.record_audio),
            fw_version: d.fw_version.clone(),
            serial: d.serial.clone(),
            status: d.status.clone(),
            thumbnail: d.thumbnail.clone(),
            extra: extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }],
        signals: Some(Signals { updated_at: d.updated_at.clone(), ..signals(sim_device) }),
    }
}

fn illuminator_word(value: i64) -> &'static str {
    match value {
        1 => "on",
        2 => "auto",
        _ => "off",
    }
}

fn owl_config(sim_device: &SimDevice) -> OwlConfig {
    let d = &sim_device.device;
    let s = &sim_device.settings;
    OwlConfig {
        name: d.name.clone(),
        enabled: Some(d.enabled),
        status: d.status.clone(),
        // Minis send their firmware as a number.
        fw_version: d
            .fw_version
            .as_ref()
            .and_then(|v| v.to_string().parse::<serde_json::Number>().ok())
            .map(crate::api::models::StringOrNumber::Number),
        video_quality: Some(s.video_quality.clone()),
        clip_length: Some(s.video_length),
        motion_sensitivity: Some(s.motion_sensitivity),
        night_vision_control: Some("normal".into()),
        illuminator_enable: Some(illuminator_word(s.illuminator).into()),
        led_enabled: Some(true),
        record_audio_enable: Some(s.record_audio),
        wifi: Some(((s.wifi_rssi + 85) / 9 + 1).clamp(1, 5)),
        updated_at: d.updated_at.clone(),
        extra: [
            ("illuminator_enable_v2".to_owned(), illuminator_word(s.illuminator).into()),
            ("retrigger_time".to_owned(), s.retrigger.into()),
        ]
        .into(),
    }
}

fn doorbell_config(sim_device: &SimDevice) -> DoorbellConfig {
    let d = &sim_device.device;
    let s = &sim_device.settings;
    DoorbellConfig {
        name: Some(d.name.clone()),
        enabled: Some(d.enabled),
        status: d.status.clone(),
        fw_version: d.fw_version.clone(),
        temp: Some(s.temperature_f),
        wifi_rssi: Some(s.wifi_rssi),
        lfr_rssi: Some(s.wifi_rssi - 4),
        battery_state: d.battery.clone(),
        battery_voltage: Some(s.battery_voltage),
        extra: [("updated_at".to_owned(), format_blink(Timestamp::now()).into())].into(),
    }
}
