//! Snooze and unsnooze of networks, cameras, Minis and doorbells. Blink's answer is not
//! documented; the simulator applies the snooze at once (it only silences notifications, the
//! sync module is not involved) and answers with a message.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};

use crate::api::DeviceKind;
use crate::api::models::MessageResponse;
use crate::api::snooze::UNTIL_UNSNOOZED_MINUTES;
use crate::sim::SimState;
use crate::sim::guard::{Authed, blink_error, not_found, wrong_account};

type Shared = State<Arc<SimState>>;

pub async fn network_snooze(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n)): Path<(u64, u64)>,
    body: Bytes,
) -> Response {
    apply(&sim, a, n, None, Some(&body))
}

pub async fn network_unsnooze(State(sim): Shared, _auth: Authed, Path((a, n)): Path<(u64, u64)>) -> Response {
    apply(&sim, a, n, None, None)
}

macro_rules! device_handlers {
    ($snooze:ident, $unsnooze:ident, $kind:expr) => {
        pub async fn $snooze(
            State(sim): Shared,
            _auth: Authed,
            Path((a, n, c)): Path<(u64, u64, u64)>,
            body: Bytes,
        ) -> Response {
            apply(&sim, a, n, Some((c, $kind)), Some(&body))
        }

        pub async fn $unsnooze(
            State(sim): Shared,
            _auth: Authed,
            Path((a, n, c)): Path<(u64, u64, u64)>,
        ) -> Response {
            apply(&sim, a, n, Some((c, $kind)), None)
        }
    };
}

device_handlers!(camera_snooze, camera_unsnooze, DeviceKind::Camera);
device_handlers!(mini_snooze, mini_unsnooze, DeviceKind::Mini);
device_handlers!(doorbell_snooze, doorbell_unsnooze, DeviceKind::Doorbell);

/// Snoozes (with a body) or unsnoozes (without) a network or one of its devices.
fn apply(sim: &SimState, a: u64, n: u64, device: Option<(u64, DeviceKind)>, body: Option<&[u8]>) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    if world.network(n).is_none() {
        return not_found("Network");
    }
    if let Some((c, kind)) = device
        && world.device_in(n, c, kind).is_none()
    {
        return not_found("Device");
    }
    let until = match body {
        None => None,
        Some(body) => match snooze_minutes(body) {
            Some(minutes) => Some(Timestamp::now() + SignedDuration::from_mins(minutes)),
            None => return blink_error(StatusCode::BAD_REQUEST, 400, "Invalid snooze_time"),
        },
    };
    let slot = match device {
        Some((c, _)) => world.device_mut(c).map(|d| &mut d.snoozed_until),
        None => world.network_mut(n).map(|net| &mut net.snoozed_until),
    };
    if let Some(slot) = slot {
        *slot = until;
    }
    let message = if until.is_some() { "Snooze set" } else { "Snooze cleared" };
    Json(MessageResponse { message: Some(message.into()), code: None }).into_response()
}

/// `{"snooze_time": minutes}`, a whole number from 1 to a year.
fn snooze_minutes(body: &[u8]) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("snooze_time")?.as_i64().filter(|m| (1..=i64::from(UNTIL_UNSNOOZED_MINUTES)).contains(m))
}
