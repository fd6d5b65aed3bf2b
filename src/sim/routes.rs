//! The simulator's URL map: Blink's paths and methods, on one port.

mod account;
mod camera_status;
mod commands;
mod devices;
mod local_storage;
mod media;
mod programs;
mod retired;
mod snooze;
mod system;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tower_http::normalize_path::NormalizePath;

use super::{SimState, faults, oauth};

pub(super) use media::demo_clip as clip_bytes;
pub(super) use system::build_homescreen;

const USB: &str = "/api/v1/accounts/{a}/networks/{n}/sync_modules/{s}/local_storage";

/// Blink's paths, each also with a trailing slash (as Blink's servers take them): the path is
/// trimmed once, in front of the routes. Faults and the request log see the path as sent.
pub fn router(state: Arc<SimState>) -> Router {
    let faults = state.faults.clone();
    Router::new()
        .fallback_service(NormalizePath::trim_trailing_slash(routes(state)))
        .layer(axum::middleware::from_fn_with_state(faults, faults::apply))
}

fn routes(state: Arc<SimState>) -> Router {
    Router::new()
        // OAuth host.
        .route("/oauth/v2/authorize", get(oauth::authorize))
        .route("/oauth/v2/signin", get(oauth::signin_page).post(oauth::signin_submit))
        .route("/oauth/v2/2fa/verify", post(oauth::verify_code))
        .route("/oauth/token", post(oauth::token))
        // Account.
        .route("/api/v1/users/tier_info", get(account::tier_info))
        .route("/user", get(account::user))
        .route("/api/v1/version", get(account::version))
        .route("/regions", get(account::regions))
        .route("/api/v1/account/options", get(account::options))
        .route(
            "/api/v1/accounts/{a}/notifications/configuration",
            get(account::notifications).post(account::set_notifications),
        )
        .route("/api/v4/account/{a}/client/{c}/logout", post(account::logout))
        .route("/api/v1/accounts/{a}/clients/{c}/options", get(account::client_options))
        // State and arming.
        .route("/api/v3/accounts/{a}/homescreen", get(system::homescreen))
        .route("/networks", get(system::networks))
        .route("/network/{n}", get(system::network_details))
        .route("/network/{n}/syncmodules", get(system::sync_modules))
        .route("/network/{n}/update", post(system::network_update))
        .route("/api/v1/camera/usage", get(system::camera_usage))
        .route("/api/v1/accounts/{a}/networks/{n}/state/{verb}", post(system::arm))
        // Commands.
        .route("/network/{n}/command/{id}", get(commands::status))
        .route("/network/{n}/command/{id}/done", post(commands::done))
        // Devices.
        .route("/network/{n}/camera/{c}", get(camera_status::camera_status))
        .route(
            "/api/v1/accounts/{a}/networks/{n}/cameras/{c}/motion_regions",
            get(camera_status::motion_regions),
        )
        .route("/api/v1/accounts/{a}/networks/{n}/owls/{c}/lights/{state}", post(devices::mini_lights))
        .route("/api/v1/networks/{n}/sirens", get(system::sirens))
        .route("/network/{n}/camera/{c}/{action}", get(devices::camera_get).post(devices::camera_post))
        .route(
            "/api/v1/accounts/{a}/networks/{n}/owls/{c}/{action}",
            get(devices::mini_get).post(devices::mini_post),
        )
        .route(
            "/api/v1/accounts/{a}/networks/{n}/doorbells/{c}/{action}",
            get(devices::doorbell_get).post(devices::doorbell_post),
        )
        .route("/api/v6/accounts/{a}/networks/{n}/cameras/{c}/liveview", post(devices::camera_liveview))
        .route("/api/v2/accounts/{a}/networks/{n}/owls/{c}/liveview", post(devices::mini_liveview))
        .route("/api/v2/accounts/{a}/networks/{n}/doorbells/{c}/liveview", post(devices::doorbell_liveview))
        // Media.
        .route("/api/v1/accounts/{a}/media/changed", get(media::changed))
        .route("/api/v1/accounts/{a}/media/delete", post(media::delete))
        .route("/api/v4/accounts/{a}/media/mark_as_viewed", post(media::mark_viewed))
        .route("/api/v4/accounts/{a}/media/mark_all_as_viewed", post(media::mark_all_viewed))
        .route("/api/v3/media/accounts/{a}/networks/{n}/{kind}/{c}/{folder}/{file}", get(media::file))
        .route("/media/production/{*rest}", get(media::legacy_thumbnail))
        // Programs.
        .route("/api/v1/networks/{n}/programs", get(programs::list))
        .route("/api/v1/networks/{n}/programs/{p}/{verb}", post(programs::set))
        // USB storage of sync modules.
        .route(&format!("{USB}/manifest/request"), post(local_storage::request_manifest))
        .route(&format!("{USB}/manifest/request/{{id}}"), get(local_storage::manifest))
        .route(
            &format!("{USB}/manifest/{{m}}/clip/request/{{c}}"),
            get(local_storage::clip_file).post(local_storage::upload_clip),
        )
        .route(&format!("{USB}/manifest/{{m}}/clip/delete/{{c}}"), post(local_storage::delete_clip))
        // Snooze.
        .route("/api/v1/accounts/{a}/networks/{n}/snooze", post(snooze::network_snooze))
        .route("/api/v1/accounts/{a}/networks/{n}/unsnooze", post(snooze::network_unsnooze))
        .route("/api/v1/accounts/{a}/networks/{n}/cameras/{c}/snooze", post(snooze::camera_snooze))
        .route("/api/v1/accounts/{a}/networks/{n}/cameras/{c}/unsnooze", post(snooze::camera_unsnooze))
        .route("/api/v1/accounts/{a}/networks/{n}/owls/{c}/snooze", post(snooze::mini_snooze))
        .route("/api/v1/accounts/{a}/networks/{n}/owls/{c}/unsnooze", post(snooze::mini_unsnooze))
        .route("/api/v1/accounts/{a}/networks/{n}/doorbells/{c}/snooze", post(snooze::doorbell_snooze))
        .route("/api/v1/accounts/{a}/networks/{n}/doorbells/{c}/unsnooze", post(snooze::doorbell_unsnooze))
        // Retired: Blink says why.
        .route("/api/v5/account/login", post(retired::app_update_required))
        .route("/events/network/{n}", get(retired::app_update_required))
        // Blink answers paths and methods it does not know with its JSON error, never an empty body.
        .fallback(|| async { super::guard::not_found("Endpoint") })
        .method_not_allowed_fallback(|| async { super::guard::not_found("Endpoint") })
        .with_state(state)
}
