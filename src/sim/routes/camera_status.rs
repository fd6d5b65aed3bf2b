//! A regular camera's status report and motion regions (blink-api.md §2.10), read from the
//! camera's state in the world; shapes as in the captures `camera_status.json` and
//! `camera_motion_regions.json`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::DeviceKind;
use crate::api::models::ThumbnailRef;
use crate::api::models::time::format_blink;
use crate::sim::SimState;
use crate::sim::guard::{Authed, not_found, wrong_account};
use crate::sim::world::{SimDevice, World};

type Shared = State<Arc<SimState>>;

/// `GET /network/{n}/camera/{c}`: `{"camera_status": {...}}`, what the camera last reported
/// (`POST /network/{n}/camera/{c}/status` asks it to report again).
pub async fn camera_status(State(sim): Shared, _auth: Authed, Path((n, c)): Path<(u64, u64)>) -> Response {
    let world = sim.world();
    match world.device_in(n, c, DeviceKind::Camera) {
        Some(camera) => Json(json!({ "camera_status": status_of(&world, camera) })).into_response(),
        None => not_found("Camera"),
    }
}

fn status_of(world: &World, camera: &SimDevice) -> serde_json::Value {
    let d = &camera.device;
    let s = &camera.settings;
    let network = world.network(d.network_id);
    let thumbnail = match &d.thumbnail {
        Some(ThumbnailRef::Path(path)) => Some(path.clone()),
        Some(ThumbnailRef::Timestamp(_)) | None => None,
    };
    let mac = d.id.to_be_bytes()[2..].iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":");
    json!({
        "camera_id": d.id,
        "created_at": d.created_at,
        "updated_at": camera.status_read.map(format_blink).or_else(|| d.created_at.clone()),
        "wifi_strength": s.wifi_rssi,
        "lfr_strength": s.wifi_rssi - 6,
        "battery_voltage": s.battery_voltage,
        // Celsius here, Fahrenheit in the config.
        "temperature": ((s.temperature_f as f64 - 32.0) * 5.0 / 9.0).round() as i64,
        "fw_version": d.fw_version,
        "mac": mac,
        "ipv": "ipv4",
        "error_codes": 0,
        "battery_alert_status": d.battery.as_deref() == Some("low"),
        "temp_alert_status": false,
        "ac_power": d.battery.is_none(),
        "serial": d.serial,
        "sync_module_id": network.and_then(|n| n.sync_module.as_ref()).map(|m| m.id),
        "network_id": d.network_id,
        "account_id": world.account_id,
        "id": d.id,
        "thumbnail": thumbnail,
    })
}

/// `GET /api/v1/accounts/{a}/networks/{n}/cameras/{c}/motion_regions`.
pub async fn motion_regions(
    State(sim): Shared,
    _auth: Authed,
    Path((a, n, c)): Path<(u64, u64, u64)>,
) -> Response {
    let world = sim.world();
    if let Some(refusal) = wrong_account(&world, a) {
        return refusal;
    }
    match world.device_in(n, c, DeviceKind::Camera) {
        Some(camera) => {
            let rows = camera.settings.motion_regions;
            Json(json!({ "advanced_motion_regions": rows, "motion_regions": legacy_regions(&rows) }))
                .into_response()
        }
        None => not_found("Camera"),
    }
}

/// The older single-number form: a bit per row that has any cell on, and bit 30, which the
/// captured answer sets (its meaning is not known).
pub fn legacy_regions(rows: &[u16; 25]) -> u64 {
    rows.iter().enumerate().filter(|(_, row)| **row != 0).fold(1 << 30, |bits, (n, _)| bits | 1 << n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_single_number_follows_the_rows_as_in_the_capture() {
        let mut rows = [0u16; 25];
        for n in [6, 7, 11, 12, 16, 17] {
            rows[n] = 4095;
        }
        assert_eq!(legacy_regions(&rows), 1_073_944_768, "camera_motion_regions.json");
        assert_eq!(legacy_regions(&[0; 25]), 1 << 30);
    }
}
