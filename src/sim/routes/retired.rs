//! Endpoints Blink has retired but still answers, with the reason: the JSON login and the old
//! event list get "An app update is required" (HTTP 426), so a client still calling them learns
//! why rather than being told the endpoint is missing (blink-api.md §1.9, §2.2 #31).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// `POST /api/v5/account/login`, `GET /events/network/{n}`: with or without a token.
pub async fn app_update_required() -> Response {
    let body = serde_json::json!({ "message": "An app update is required" });
    (StatusCode::UPGRADE_REQUIRED, Json(body)).into_response()
}
