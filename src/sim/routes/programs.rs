//! Programs (schedules) of the simulated account.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::api::models::MessageResponse;
use crate::sim::SimState;
use crate::sim::guard::{Authed, not_found};

type Shared = State<Arc<SimState>>;

/// `GET /api/v1/networks/{n}/programs`: a bare JSON array.
pub async fn list(State(sim): Shared, _auth: Authed, Path(n): Path<u64>) -> Response {
    match sim.world().network(n) {
        Some(network) => Json(network.programs.clone()).into_response(),
        None => not_found("Network"),
    }
}

/// `POST /api/v1/networks/{n}/programs/{p}/enable|disable`: applied at once.
pub async fn set(
    State(sim): Shared,
    _auth: Authed,
    Path((n, p, verb)): Path<(u64, u64, String)>,
) -> Response {
    let enabled = match verb.as_str() {
        "enable" => true,
        "disable" => false,
        _ => return not_found("Endpoint"),
    };
    let mut world = sim.world();
    let Some(program) = world.network_mut(n).and_then(|net| net.programs.iter_mut().find(|p2| p2.id == p))
    else {
        return not_found("Program");
    };
    program.status = if enabled { "enabled" } else { "disabled" }.into();
    let (code, word) = if enabled { (802, "enabled") } else { (803, "disabled") };
    Json(MessageResponse::new(code, format!("Successfully {word} program {p}"))).into_response()
}
