//! Bearer-token check and Blink-style error answers for the REST host.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::api::models::MessageResponse;

use super::SimState;
use super::world::World;

/// Extracting this rejects requests without a valid `Authorization: Bearer` token, with the
/// 401 body Blink sends.
pub struct Authed {
    pub token: String,
}

impl FromRequestParts<Arc<SimState>> for Authed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<SimState>) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        if !token.is_empty() && state.oauth().access_valid(token, Timestamp::now()) {
            return Ok(Self { token: token.to_owned() });
        }
        Err(unauthorized())
    }
}

pub fn unauthorized() -> Response {
    let body = serde_json::json!({ "message": "Unauthorized Access", "error": null, "code": 101 });
    (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
}

/// `{"message": ..., "code": ...}` with a status.
pub fn blink_error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, axum::Json(MessageResponse::new(code, message))).into_response()
}

pub fn not_found(what: &str) -> Response {
    blink_error(StatusCode::NOT_FOUND, 404, &format!("{what} not found"))
}

/// The refusal for a request naming another account, if it does.
pub fn wrong_account(world: &World, account_id: u64) -> Option<Response> {
    (world.account_id != account_id).then(|| blink_error(StatusCode::FORBIDDEN, 101, "Unauthorized Access"))
}
