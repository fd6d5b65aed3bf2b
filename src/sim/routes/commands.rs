//! Command polling and ending.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::api::models::MessageResponse;
use crate::sim::SimState;
use crate::sim::guard::{Authed, blink_error, not_found};

type Shared = State<Arc<SimState>>;

/// `GET /network/{n}/command/{id}`.
pub async fn status(State(sim): Shared, _auth: Authed, Path((n, id)): Path<(u64, u64)>) -> Response {
    let world = sim.world();
    let Some(command) = world.commands.get(&id).filter(|c| c.network_id == n) else {
        return not_found("Command");
    };
    let sync_module = world.network(n).and_then(|net| net.sync_module.as_ref()).map(|s| s.id);
    Json(command.status(Timestamp::now(), world.account_id, sync_module)).into_response()
}

/// `POST /network/{n}/command/{id}/done/`.
pub async fn done(State(sim): Shared, _auth: Authed, Path((n, id)): Path<(u64, u64)>) -> Response {
    if sim.world().end_command(n, id) {
        Json(MessageResponse::new(902, format!("Command {id} set to :done"))).into_response()
    } else {
        blink_error(axum::http::StatusCode::NOT_FOUND, 404, "Command not found")
    }
}
