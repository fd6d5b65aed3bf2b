//! Account endpoints of the simulated REST host.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::api::models::{
    AccountOptions, AppVersion, MessageResponse, NotificationConfig, Region, Regions, TierInfo, User,
};
use crate::sim::SimState;
use crate::sim::guard::{Authed, blink_error, wrong_account};

type Shared = State<Arc<SimState>>;

pub async fn tier_info(State(sim): Shared, _auth: Authed) -> Json<TierInfo> {
    let world = sim.world();
    Json(TierInfo { tier: world.tier.clone(), account_id: world.account_id })
}

pub async fn user(State(sim): Shared, _auth: Authed) -> Json<User> {
    let world = sim.world();
    Json(User {
        id: world.user_id,
        account_id: Some(world.account_id),
        email: Some(world.email.clone()),
        country_id: Some("US".into()),
        locale: Some("en_US".into()),
        time_zone: Some("US/Eastern".into()),
        temp_units: Some("f".into()),
        owner: Some(true),
        phone_verified: Some(true),
        verified: Some(true),
        ..User::default()
    })
}

pub async fn version(_auth: Authed) -> Json<AppVersion> {
    Json(AppVersion {
        message: Some("OK".into()),
        code: Some(103),
        update_available: false,
        update_required: false,
    })
}

/// Answers without authentication, as Blink does: Blink's regions as captured, the account's
/// own tier named first and preferred.
pub async fn regions(State(sim): Shared) -> Json<Regions> {
    let tier = sim.world().tier.clone();
    let others = [
        ("usu007", "u007", "United States - CENTRAL"),
        ("usu006", "u006", "United States - WEST"),
        ("e007", "e007", "Europe"),
        ("sg", "prsg", "Southeast Asia"),
    ];
    let own = format!("us{tier}");
    let mut regions = BTreeMap::from([(own.clone(), region(1, &tier, "United States - EAST"))]);
    for (order, (key, dns, name)) in (2..).zip(others.into_iter().filter(|(_, dns, _)| *dns != tier)) {
        regions.insert(key.to_owned(), region(order, dns, name));
    }
    Json(Regions { mode: Some("manual".into()), preferred: Some(own), regions })
}

fn region(display_order: i64, dns: &str, name: &str) -> Region {
    Region { display_order, dns: dns.to_owned(), friendly_name: name.to_owned(), registration: true }
}

/// The account's feature flags, in the shape Blink sends (lists and strings among them).
pub async fn options(_auth: Authed) -> Json<AccountOptions> {
    use serde_json::{Value, json};
    let options: [(&str, Value); 11] = [
        ("advanced_motion_regions", json!({})),
        ("amazon_account_linking", json!("unavailable")),
        ("amazon_account_linking_enabled", json!(false)),
        ("breadcrumbs", json!([])),
        ("c2s_clip_list_limit", json!(1000)),
        ("catalina_app_enabled", json!(true)),
        ("legacy_account_mini", json!(false)),
        ("owl_app_enabled", json!(true)),
        ("sm2_app_enabled", json!(true)),
        ("snapshot_app_enabled", json!(true)),
        ("trial_cancellation_enabled", json!(true)),
    ];
    Json(AccountOptions(options.into_iter().map(|(name, value)| (name.to_owned(), value)).collect()))
}

pub async fn notifications(State(sim): Shared, _auth: Authed, Path(a): Path<u64>) -> Response {
    let world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    Json(NotificationConfig { notifications: world.notifications.clone() }).into_response()
}

/// Merges the flags sent into the stored ones; unknown flags are refused.
pub async fn set_notifications(
    State(sim): Shared,
    _auth: Authed,
    Path(a): Path<u64>,
    body: axum::body::Bytes,
) -> Response {
    let mut world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    let Ok(changes) = serde_json::from_slice::<NotificationConfig>(&body) else {
        return blink_error(StatusCode::BAD_REQUEST, 400, "Invalid notification configuration");
    };
    if let Some(unknown) = changes.notifications.keys().find(|k| !world.notifications.contains_key(*k)) {
        return blink_error(StatusCode::BAD_REQUEST, 400, &format!("Unknown notification {unknown}"));
    }
    world.notifications.extend(changes.notifications);
    Json(MessageResponse {
        message: Some("Client Notification Configure Update Successful".into()),
        code: None,
    })
    .into_response()
}

/// `GET /api/v1/accounts/{a}/clients/{c}/options`: the app's display preferences for this
/// client, base64 JSON as Blink sends them. Blink's field names inside are not documented;
/// the simulator writes the order of the account's networks and of the cameras in each.
pub async fn client_options(State(sim): Shared, _auth: Authed, Path((a, c)): Path<(u64, u64)>) -> Response {
    use base64::Engine;
    let world = sim.world();
    if let Some(response) = wrong_account(&world, a) {
        return response;
    }
    if c != world.client_id {
        return blink_error(StatusCode::NOT_FOUND, 242, "Client already deleted. Please re-login");
    }
    let cameras: BTreeMap<String, Vec<u64>> = world
        .networks
        .iter()
        .map(|n| {
            let id = n.network.id;
            let devices = world.devices.iter().filter(|d| d.device.network_id == id).map(|d| d.device.id);
            (id.to_string(), devices.collect())
        })
        .collect();
    let order = serde_json::json!({
        "network_order": world.networks.iter().map(|n| n.network.id).collect::<Vec<_>>(),
        "camera_order": cameras,
    });
    let options = base64::engine::general_purpose::STANDARD.encode(order.to_string());
    Json(serde_json::json!({ "options": options })).into_response()
}

/// The legacy logout: ends the calling token.
pub async fn logout(State(sim): Shared, auth: Authed, Path((a, c)): Path<(u64, u64)>) -> Response {
    {
        let world = sim.world();
        if let Some(response) = wrong_account(&world, a) {
            return response;
        }
        if c != world.client_id {
            return blink_error(StatusCode::NOT_FOUND, 242, "Client already deleted. Please re-login");
        }
    }
    sim.oauth().revoke_access(&auth.token);
    Json(MessageResponse { message: Some("logout".into()), code: None }).into_response()
}
