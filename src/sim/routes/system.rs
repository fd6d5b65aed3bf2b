//! Homescreen, networks, sync modules, usage, and arming in the simulated REST host.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::api::DeviceKind;
use crate::api::models::{
    AppUpdates, CameraUsage, CameraUsageEntry, CameraUsageNetwork, Device, Homescreen, HomescreenAccount,
    Network, NetworkSummary, NetworksResponse, SyncModuleResponse, UsageReference, VideoStats,
};
use crate::sim::SimState;
use crate::sim::commands::Effect;
use crate::sim::guard::{Authed, blink_error, not_found, wrong_account};
use crate::sim::world::{World, snooze_fields};

type Shared = State<Arc<SimState>>;

pub async fn homescreen(State(sim): Shared, _auth: Authed, Path(a): Path<u64>) -> Response {
    let world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let mut response = Json(build_homescreen(&world)).into_response();
    for (name, value) in [("client-id", world.client_id), ("user-id", world.user_id)] {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

pub fn build_homescreen(world: &World) -> Homescreen {
    let now = Timestamp::now();
    let of_kind = |kind| {
        world
            .devices
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| {
                let (snooze, snooze_time_remaining) = snooze_fields(d.snoozed_until, now);
                Device { snooze: Some(snooze), snooze_time_remaining, ..d.device.clone() }
            })
            .collect()
    };
    Homescreen {
        account: Some(HomescreenAccount {
            id: Some(world.account_id),
            email_verified: Some(true),
            email_verification_required: Some(true),
            amazon_account_linked: Some(false),
        }),
        networks: world
            .networks
            .iter()
            .map(|n| {
                let (snooze, snooze_time_remaining) = snooze_fields(n.snoozed_until, now);
                Network { snooze: Some(snooze), snooze_time_remaining, ..n.network.clone() }
            })
            .collect(),
        sync_modules: world.networks.iter().filter_map(|n| n.sync_module.clone()).collect(),
        cameras: of_kind(DeviceKind::Camera),
        owls: of_kind(DeviceKind::Mini),
        doorbells: of_kind(DeviceKind::Doorbell),
        app_updates: Some(AppUpdates {
            message: Some("OK".into()),
            code: Some(103),
            update_available: Some(false),
            update_required: Some(false),
        }),
        video_stats: Some(VideoStats {
            storage: Some(2),
            auto_delete_days: Some(60),
            auto_delete_day_options: vec![3, 7, 14, 30, 60],
        }),
    }
}

pub async fn networks(State(sim): Shared, _auth: Authed) -> Json<NetworksResponse> {
    let world = sim.world();
    let now = Timestamp::now();
    let networks = world.networks.iter().filter_map(|n| network_status(&world, n.network.id, now)).collect();
    let summary = world
        .networks
        .iter()
        .map(|n| (n.network.id.to_string(), NetworkSummary { name: n.network.name.clone(), onboarded: true }))
        .collect();
    Json(NetworksResponse { networks, summary })
}

/// `POST /network/{n}/update`: the network's current status, `{"network": {...}}`, which blinkpy
/// reads for `armed` on every refresh. No command: the answer has no top-level `id`.
pub async fn network_update(State(sim): Shared, _auth: Authed, Path(n): Path<u64>) -> Response {
    let world = sim.world();
    match network_status(&world, n, Timestamp::now()) {
        Some(network) => Json(serde_json::json!({ "network": network })).into_response(),
        None => not_found("Network"),
    }
}

/// `GET /network/{n}`: the network's details, `{"network": {...}}` as `/network/{n}/update`.
pub async fn network_details(State(sim): Shared, _auth: Authed, Path(n): Path<u64>) -> Response {
    let world = sim.world();
    match network_status(&world, n, Timestamp::now()) {
        Some(network) => Json(serde_json::json!({ "network": network })).into_response(),
        None => not_found("Network"),
    }
}

/// `GET /api/v1/networks/{n}/sirens`: the network's sirens. The demo's sites have none; the
/// shape of a non-empty answer was never captured.
pub async fn sirens(State(sim): Shared, _auth: Authed, Path(n): Path<u64>) -> Response {
    match sim.world().network(n) {
        Some(_) => Json(serde_json::json!({ "sirens": [] })).into_response(),
        None => not_found("Network"),
    }
}

/// A network as `/networks` and `/network/{n}/update` describe it.
fn network_status(world: &World, id: u64, now: Timestamp) -> Option<Network> {
    let n = world.network(id)?;
    Some(Network {
        account_id: Some(world.account_id),
        arm_string: Some(if n.network.armed { "Armed" } else { "Disarmed" }.into()),
        busy: Some(world.network_busy(id, now)),
        camera_error: Some(false),
        sync_module_error: Some(!world.network_online(id)),
        lv_mode: Some("relay".into()),
        video_destination: Some("server".into()),
        ..n.network.clone()
    })
}

pub async fn sync_modules(State(sim): Shared, _auth: Authed, Path(n): Path<u64>) -> Response {
    let world = sim.world();
    match world.network(n) {
        Some(network) => Json(SyncModuleResponse { syncmodule: network.sync_module.clone() }).into_response(),
        None => not_found("Network"),
    }
}

/// Regular cameras only, as Blink lists them.
pub async fn camera_usage(State(sim): Shared, _auth: Authed) -> Json<CameraUsage> {
    let world = sim.world();
    let networks = world
        .networks
        .iter()
        .map(|n| CameraUsageNetwork {
            network_id: n.network.id,
            name: n.network.name.clone(),
            cameras: world
                .devices
                .iter()
                .filter(|d| d.kind == DeviceKind::Camera && d.device.network_id == n.network.id)
                .map(|d| CameraUsageEntry {
                    id: d.device.id,
                    name: d.device.name.clone(),
                    ..Default::default()
                })
                .collect(),
        })
        .collect();
    Json(CameraUsage { networks, range_days: Some(7), reference: Some(UsageReference { usage: 400 }) })
}

/// `POST .../state/arm|disarm`: a command in the short form, refused while the network is
/// busy or (arming) when no camera has motion detection on.
pub async fn arm(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, verb)): Path<(u64, u64, String)>,
) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let armed = match verb.as_str() {
        "arm" => true,
        "disarm" => false,
        _ => return not_found("Endpoint"),
    };
    if world.network(n).is_none() {
        return not_found("Network");
    }
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    if armed && !world.devices.iter().any(|d| d.device.network_id == n && d.device.enabled) {
        return blink_error(StatusCode::CONFLICT, 304, "No Cameras Enabled for Motion");
    }
    let command = world.start_command(n, &verb, None, Effect::Arm { armed }, now);
    Json(command.short_form()).into_response()
}

pub fn busy() -> Response {
    blink_error(StatusCode::CONFLICT, 307, "System is busy, please try again")
}
