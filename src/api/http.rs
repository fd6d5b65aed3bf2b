//! One place that turns an HTTP exchange into data or an [`ApiError`].

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::models::MessageResponse;

const UPDATE_REQUIRED: &str = "An app update is required";

/// A successful response's parts.
#[derive(Debug)]
pub struct RawResponse {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    pub fn json<T: DeserializeOwned>(&self, endpoint: &str) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|err| ApiError::decode(endpoint, &err, &self.body))
    }

    pub fn header_u64(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.trim().parse().ok()
    }
}

/// Maps a status and body to data or to the error the status means.
pub fn classify(status: StatusCode, headers: HeaderMap, body: Bytes) -> Result<RawResponse, ApiError> {
    if status.is_success() {
        check_success(&body)?;
        return Ok(RawResponse { headers, body });
    }
    Err(error_for(status, &headers, &body))
}

/// Blink sometimes says "update the app" in a 200.
pub fn check_success(body: &[u8]) -> Result<(), ApiError> {
    if body.len() < 512 && message_of(body).as_deref() == Some(UPDATE_REQUIRED) {
        return Err(ApiError::AppUpdateRequired);
    }
    Ok(())
}

/// The error a status other than 2xx means, with Blink's message from the body when it has one.
pub fn error_for(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let message = message_of(body);
    match status.as_u16() {
        // Redirects are followed only where the caller allows it, before this point.
        code @ 300..=399 => ApiError::Redirected { status: code, to: redirect_host(headers) },
        401 => ApiError::Unauthorized,
        404 => ApiError::NotFound(message.unwrap_or_else(|| "Blink has no such resource".into())),
        426 => ApiError::AppUpdateRequired,
        429 => ApiError::RateLimited { retry_after: retry_after(headers) },
        code @ 500..=599 => ApiError::Server { status: code, message },
        code => ApiError::Rejected {
            status: code,
            code: serde_json::from_slice::<MessageResponse>(body).ok().and_then(|m| m.code),
            message,
        },
    }
}

/// Blink's `{"message": ...}`, or a short plain-text body.
fn message_of(body: &[u8]) -> Option<String> {
    if let Ok(parsed) = serde_json::from_slice::<MessageResponse>(body) {
        return parsed.message.filter(|m| !m.is_empty());
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    (!text.is_empty() && text.len() <= 200 && !text.starts_with('<')).then(|| text.to_owned())
}

/// The host a redirect names, for messages; a relative `Location` stays on the same host.
fn redirect_host(headers: &HeaderMap) -> String {
    let Some(location) = headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return "nowhere (no Location)".into();
    };
    match url::Url::parse(location) {
        Ok(url) => url.host_str().unwrap_or("an unreadable location").to_owned(),
        Err(_) => "another path on the same host".into(),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value.parse::<u64>().ok().map(Duration::from_secs)
}

/// Describes a transport failure without the URL (which may carry a code or an id).
pub fn transport_error(host: &str, err: reqwest::Error, timeout: Duration) -> ApiError {
    if err.is_timeout() {
        return ApiError::Timeout { host: host.to_owned(), after: timeout };
    }
    let connect = err.is_connect();
    let err = err.without_url();
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    if connect {
        ApiError::Unreachable { host: host.to_owned(), detail }
    } else {
        ApiError::Network { host: host.to_owned(), detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn err(status: u16, body: &str) -> ApiError {
        classify(
            StatusCode::from_u16(status).expect("status"),
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
        )
        .expect_err("error status")
    }

    #[test]
    fn statuses_map_to_their_errors() {
        assert!(matches!(
            err(401, r#"{"message":"Unauthorized Access","error":null,"code":101}"#),
            ApiError::Unauthorized
        ));
        assert!(matches!(
            err(426, r#"{"message":"An app update is required"}"#),
            ApiError::AppUpdateRequired
        ));
        assert!(
            matches!(err(404, r#"{"message":"Media not found","code":700}"#), ApiError::NotFound(m) if m == "Media not found")
        );
        assert!(
            matches!(err(503, "Service Unavailable"), ApiError::Server { status: 503, message: Some(m) } if m == "Service Unavailable")
        );
        assert!(matches!(
            err(409, r#"{"message":"No Cameras Enabled for Motion","code":304}"#),
            ApiError::Rejected { status: 409, code: Some(304), message: Some(_) }
        ));
        assert!(matches!(
            err(406, "<html>blocked</html>"),
            ApiError::Rejected { status: 406, message: None, .. }
        ));
    }

    #[test]
    fn update_required_in_a_200_is_an_error() {
        let result = classify(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(br#"{"message":"An app update is required"}"#),
        );
        assert!(matches!(result, Err(ApiError::AppUpdateRequired)));
        let ok =
            classify(StatusCode::OK, HeaderMap::new(), Bytes::from_static(br#"{"message":"OK","code":103}"#));
        assert!(ok.is_ok());
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let result = classify(StatusCode::TOO_MANY_REQUESTS, headers, Bytes::new());
        assert!(
            matches!(result, Err(ApiError::RateLimited { retry_after: Some(d) }) if d == Duration::from_secs(7))
        );
    }
}
