//! `…/networks/{n}/sync_modules/{s}/local_storage/…`: the USB stick's manifest, and clip
//! upload, download and delete (blink-api.md §2.9).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::api::models::CommandResponse;
use crate::sim::SimState;
use crate::sim::commands::Effect;
use crate::sim::guard::{Authed, blink_error, wrong_account};
use crate::sim::usb::{ManifestPoll, UsbEffect};
use crate::sim::world::World;

use super::media::demo_clip;
use super::system::busy;

type Shared = State<Arc<SimState>>;

/// Manifest requests a stick remembers (the oldest are forgotten).
const REMEMBERED_REQUESTS: usize = 32;

/// `POST …/local_storage/manifest/request`: a command whose id names the manifest request.
pub async fn request_manifest(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, s)): Path<(u64, u64, u64)>,
) -> Response {
    let mut world = sim.world();
    if let Some(refusal) = refusal(&world, a, n, s) {
        return refusal;
    }
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    let command = world.start_command(
        n,
        "local_storage_manifest",
        None,
        Effect::LocalStorage(UsbEffect::Manifest),
        now,
    );
    if let Some(stick) = world.usb.get_mut(&n) {
        stick.requests.insert(command.id, Default::default());
        while stick.requests.len() > REMEMBERED_REQUESTS {
            stick.requests.pop_first();
        }
    }
    Json(command_answer(&world, command.id, n, s, now)).into_response()
}

/// `GET …/local_storage/manifest/request/{id}`: the manifest once built; before that, an
/// answer without `clips`.
pub async fn manifest(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, s, request)): Path<(u64, u64, u64, u64)>,
) -> Response {
    let mut world = sim.world();
    if let Some(refusal) = refusal(&world, a, n, s) {
        return refusal;
    }
    let now = Timestamp::now();
    match world.poll_manifest(n, s, request, now) {
        ManifestPoll::Ready(manifest) => Json(manifest).into_response(),
        ManifestPoll::NotReady => Json(command_answer(&world, request, n, s, now)).into_response(),
        ManifestPoll::Unknown => blink_error(StatusCode::NOT_FOUND, 404, "Manifest request not found"),
    }
}

/// `POST …/manifest/{m}/clip/request/{c}`: a command that uploads the clip to the cloud.
pub async fn upload_clip(State(sim): Shared, auth: Authed, Path(path): Path<ClipPath>) -> Response {
    clip_command(&sim, auth, path, "local_storage_clip_upload", |clip| UsbEffect::Upload { clip })
}

/// `POST …/manifest/{m}/clip/delete/{c}`: a command that deletes the clip from the stick.
pub async fn delete_clip(State(sim): Shared, auth: Authed, Path(path): Path<ClipPath>) -> Response {
    clip_command(&sim, auth, path, "local_storage_clip_delete", |clip| UsbEffect::Delete { clip })
}

/// Account, network, sync module, manifest id, clip id.
type ClipPath = (u64, u64, u64, String, u64);

fn clip_command(
    sim: &SimState,
    _auth: Authed,
    (a, n, s, manifest, clip): ClipPath,
    name: &str,
    effect: impl FnOnce(u64) -> UsbEffect,
) -> Response {
    let mut world = sim.world();
    if let Some(refusal) = refusal(&world, a, n, s) {
        return refusal;
    }
    if world.usb_clip(n, s, &manifest, clip, sim.lenient.usb_previous_manifest).is_none() {
        return media_not_found();
    }
    let now = Timestamp::now();
    if world.network_busy(n, now) {
        return busy();
    }
    let command = world.start_command(n, name, None, Effect::LocalStorage(effect(clip)), now);
    Json(command_answer(&world, command.id, n, s, now)).into_response()
}

/// `GET …/manifest/{m}/clip/request/{c}`: the clip's MP4 once uploaded, "Media not found"
/// (code 700) before.
pub async fn clip_file(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, s, manifest, clip)): Path<ClipPath>,
) -> Response {
    let world = sim.world();
    if let Some(refusal) = refusal(&world, a, n, s) {
        return refusal;
    }
    let earlier = sim.lenient.usb_previous_manifest;
    let Some(found) = world.usb_clip(n, s, &manifest, clip, earlier) else { return media_not_found() };
    let uploaded = world.usb.get(&n).is_some_and(|stick| stick.uploaded.contains(&clip));
    match world.device(found.device_id) {
        Some(device) if uploaded => {
            ([(header::CONTENT_TYPE, "video/mp4")], demo_clip(device.kind)).into_response()
        }
        _ => media_not_found(),
    }
}

/// The refusal for another account, or a network without a stick in that sync module.
fn refusal(world: &World, account: u64, network: u64, sync_module: u64) -> Option<Response> {
    wrong_account(world, account).or_else(|| {
        world
            .usb(network, sync_module)
            .is_none()
            .then(|| blink_error(StatusCode::NOT_FOUND, 404, "Local storage not found"))
    })
}

/// The full-form command answer local-storage requests get.
fn command_answer(world: &World, id: u64, network: u64, sync_module: u64, now: Timestamp) -> CommandResponse {
    let object = world.commands.get(&id).map(|c| c.object(now, world.account_id, Some(sync_module)));
    CommandResponse {
        id: Some(id),
        network_id: Some(network),
        command: object.as_ref().and_then(|o| o.command.clone()),
        state_stage: object.as_ref().and_then(|o| o.state_stage.clone()),
        state_condition: object.as_ref().and_then(|o| o.state_condition.clone()),
        sync_module_id: Some(sync_module),
        created_at: object.and_then(|o| o.created_at),
        ..CommandResponse::default()
    }
}

fn media_not_found() -> Response {
    blink_error(StatusCode::NOT_FOUND, 700, "Media not found")
}
