//! Motion events and the files behind them: `media/changed`, delete, mark as viewed,
//! thumbnails and clips.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::api::DeviceKind;
use crate::api::models::time::{BlinkTime, parse_timestamp};
use crate::api::models::{MediaListRequest, MediaPage, MessageResponse};
use crate::sim::SimState;
use crate::sim::footage::Shot;
use crate::sim::guard::{Authed, blink_error, wrong_account};
use crate::sim::world::{SimDevice, World, thumbnail_ts};

type Shared = State<Arc<SimState>>;

/// Real H.264 clips, one per kind of scene: someone walks past while the camera's clock runs
/// (made by `scripts/make-demo-clips.sh`). USB sticks hold these; events get their own clips.
const OUTDOOR_CLIP: &[u8] = include_bytes!("../../../assets/clips/outdoor.mp4");
const INDOOR_CLIP: &[u8] = include_bytes!("../../../assets/clips/indoor.mp4");
const DOORSTEP_CLIP: &[u8] = include_bytes!("../../../assets/clips/doorstep.mp4");

/// The clip a device of this family records.
pub fn demo_clip(kind: DeviceKind) -> &'static [u8] {
    match kind {
        DeviceKind::Camera => OUTDOOR_CLIP,
        DeviceKind::Mini => INDOOR_CLIP,
        DeviceKind::Doorbell => DOORSTEP_CLIP,
    }
}

/// `GET /api/v1/accounts/{a}/media/changed?since=...&page=N`: events created or changed since
/// `since`, newest first, in pages starting at 1. Deleted events are reported as deleted.
pub async fn changed(
    State(sim): Shared,
    _auth: Authed,
    Path(a): Path<u64>,
    RawQuery(raw): RawQuery,
) -> Response {
    let world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let query = plus_kept(raw.as_deref().unwrap_or_default());
    let since = match query.get("since").map(|s| parse_timestamp(s)) {
        Some(Some(since)) => since,
        Some(None) => return blink_error(StatusCode::BAD_REQUEST, 400, "Invalid since parameter"),
        None => Timestamp::UNIX_EPOCH,
    };
    let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let size = world.settings.page_size;
    let mut changed: Vec<_> = world
        .media
        .iter()
        .filter(|m| m.updated_at.as_ref().is_some_and(|updated| updated.at >= since))
        .cloned()
        .collect();
    changed.sort_by(|x, y| y.created_at.cmp(&x.created_at).then(y.id.cmp(&x.id)));
    let media = changed.into_iter().skip((page - 1) * size).take(size).collect();
    Json(MediaPage { limit: Some(size as i64), purge_id: Some(2989164295), refresh_count: Some(0), media })
        .into_response()
}

/// The parameters of a query in which a raw `+` stands for itself, as blinkpy and Blink's app
/// send `since=...+0000`; `%2B` works too.
fn plus_kept(raw: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.replace('+', "%2B").as_bytes()).into_owned().collect()
}

/// `POST /api/v1/accounts/{a}/media/delete` with `{"media_list": [...]}`.
pub async fn delete(State(sim): Shared, _auth: Authed, Path(a): Path<u64>, body: Bytes) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Some(ids) = media_list(&body) else { return invalid_media_list() };
    let now = BlinkTime::from(Timestamp::now());
    let mut deleted = 0;
    for item in world.media.iter_mut().filter(|m| !m.deleted && ids.contains(&m.id)) {
        item.deleted = true;
        item.updated_at = Some(now.clone());
        deleted += 1;
    }
    if deleted == 0 {
        return media_not_found();
    }
    Json(MessageResponse::new(711, "Successfully deleted media")).into_response()
}

/// `POST /api/v4/accounts/{a}/media/mark_as_viewed` with `{"media_list": [...]}`. Blink's
/// answer is not documented; this one has the shape of delete's, with refusals alike.
pub async fn mark_viewed(State(sim): Shared, _auth: Authed, Path(a): Path<u64>, body: Bytes) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Some(ids) = media_list(&body) else { return invalid_media_list() };
    if mark_watched(&mut world, |id| ids.contains(&id)) == 0 {
        return media_not_found();
    }
    viewed()
}

/// `POST /api/v4/accounts/{a}/media/mark_all_as_viewed`, no body: every event of the account.
pub async fn mark_all_viewed(State(sim): Shared, _auth: Authed, Path(a): Path<u64>) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    mark_watched(&mut world, |_| true);
    viewed()
}

/// Marks the events `wanted` picks and returns how many it picked. Only those not watched yet
/// get a new `updated_at`, so `media/changed` reports real changes and nothing else.
fn mark_watched(world: &mut World, wanted: impl Fn(u64) -> bool) -> usize {
    let now = BlinkTime::from(Timestamp::now());
    let mut picked = 0;
    for item in world.media.iter_mut().filter(|m| !m.deleted && wanted(m.id)) {
        picked += 1;
        if !item.watched {
            item.watched = true;
            item.updated_at = Some(now.clone());
        }
    }
    picked
}

fn viewed() -> Response {
    Json(MessageResponse::new(200, "Successfully marked media as viewed")).into_response()
}

/// The ids of a `{"media_list": [...]}` body; `None` when the body is not one or the list is
/// empty, which Blink refuses with 706.
fn media_list(body: &[u8]) -> Option<Vec<u64>> {
    serde_json::from_slice::<MediaListRequest>(body).ok().map(|r| r.media_list).filter(|ids| !ids.is_empty())
}

fn invalid_media_list() -> Response {
    blink_error(StatusCode::BAD_REQUEST, 706, "Invalid Media List Format")
}

/// `GET /api/v3/media/accounts/{a}/networks/{n}/{type}/{c}/{folder}/{file}`: the current
/// thumbnail (`thumbnail/thumbnail.jpg?ts=N`), an event's picture (`.../{id}.jpg`) or its
/// clip (`.../{id}.mp4`).
pub async fn file(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, _kind, c, folder, file)): Path<(u64, u64, String, u64, String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    // The world is let go before the clip is made: a clip takes a while.
    let (id, shot) = {
        let world = sim.world();
        if let Some(response) = wrong_account(&world, a) {
            return response;
        }
        let Some(device) = world.devices.iter().find(|d| d.device.id == c && d.device.network_id == n) else {
            return media_not_found();
        };
        if folder == "thumbnail" && file == "thumbnail.jpg" {
            let ts = query.get("ts").and_then(|ts| ts.parse().ok()).or_else(|| current_ts(device));
            let Some(ts) = ts else { return media_not_found() };
            let taken = Timestamp::from_second(ts).unwrap_or(Timestamp::UNIX_EPOCH);
            return jpeg(Shot::of(&world, device, taken, ts as u64).snapshot_jpeg());
        }
        let id = file.rsplit_once('.').and_then(|(id, _)| id.parse::<u64>().ok());
        let Some(item) =
            id.and_then(|id| world.media.iter().find(|m| m.id == id && m.device_id == c && !m.deleted))
        else {
            return media_not_found();
        };
        (item.id, Shot::of(&world, device, item.created_at.at, item.id))
    };
    match file.rsplit_once('.').map(|(_, extension)| extension) {
        Some("jpg") => jpeg(shot.event_jpeg()),
        Some("mp4") => clip(sim, id, shot).await,
        _ => media_not_found(),
    }
}

/// An event's clip, made on first request (off the async threads) and kept for the next.
async fn clip(sim: Arc<SimState>, id: u64, shot: Shot) -> Response {
    let made = tokio::task::spawn_blocking(move || sim.clips.get_or_make(id, || shot.event_clip())).await;
    match made {
        Ok(Ok(clip)) => ([(header::CONTENT_TYPE, "video/mp4")], Bytes::from_owner(clip)).into_response(),
        Ok(Err(err)) => {
            tracing::error!("cannot make the clip of event {id}: {err}");
            blink_error(StatusCode::INTERNAL_SERVER_ERROR, 500, "Media unavailable")
        }
        Err(err) => {
            tracing::error!("making the clip of event {id} failed: {err}");
            blink_error(StatusCode::INTERNAL_SERVER_ERROR, 500, "Media unavailable")
        }
    }
}

/// `GET /media/production/account/{a}/network/{n}/{family}/{c}/.../{name}.jpg`: old-style
/// thumbnail paths. They work only with the `.jpg` a client must append.
pub async fn legacy_thumbnail(State(sim): Shared, _auth: Authed, Path(rest): Path<String>) -> Response {
    let world = sim.world();
    let parts: Vec<&str> = rest.split('/').collect();
    let (Some(stem), ["account", a, "network", n, _family, c, ..]) =
        (rest.strip_suffix(".jpg"), parts.as_slice())
    else {
        return media_not_found();
    };
    let (Ok(a), Ok(n), Ok(c)) = (a.parse::<u64>(), n.parse::<u64>(), c.parse::<u64>()) else {
        return media_not_found();
    };
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Some(device) = world.devices.iter().find(|d| d.device.id == c && d.device.network_id == n) else {
        return media_not_found();
    };
    // The picture follows the path alone: a new snapshot gets a new path, and the same path
    // always gives the same picture, whatever else changes on the device.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    stem.hash(&mut hasher);
    let taken = legacy_stamp(stem).unwrap_or(Timestamp::UNIX_EPOCH);
    jpeg(Shot::of(&world, device, taken, hasher.finish()).snapshot_jpeg())
}

/// When an old-style thumbnail was taken, from the `2020_10_28__11_43AM` (UTC) ending its name.
fn legacy_stamp(stem: &str) -> Option<Timestamp> {
    let start = stem.len().checked_sub("2020_10_28__11_43AM".len())?;
    let stamp = stem.get(start..)?;
    let civil = jiff::fmt::strtime::parse("%Y_%m_%d__%I_%M%p", stamp).ok()?.to_datetime().ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
}

fn current_ts(device: &SimDevice) -> Option<i64> {
    match device.device.thumbnail.as_ref()? {
        crate::api::models::ThumbnailRef::Timestamp(ts) => Some(*ts),
        crate::api::models::ThumbnailRef::Path(path) => thumbnail_ts(path),
    }
}

fn jpeg(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response()
}

fn media_not_found() -> Response {
    blink_error(StatusCode::NOT_FOUND, 700, "Media not found")
}
