//! [`ClientOptions`]: how the client talks to Blink (hosts, timeouts, pacing, headers).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::endpoints::Endpoints;
use super::error::ApiError;
use super::http::RetryPolicy;

/// Everything about how the client talks to Blink. Defaults are the polite ones.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub endpoints: Endpoints,
    pub request_timeout: Duration,
    /// Clip and image downloads.
    pub media_timeout: Duration,
    pub retry: RetryPolicy,
    pub command_poll_interval: Duration,
    pub command_timeout: Duration,
    /// Minimum pause between two command-starting requests.
    pub command_spacing: Duration,
    /// How long a snapshot waits for homescreen to show the new thumbnail.
    pub snapshot_timeout: Duration,
    /// Extra headers on every REST request (Blink has been sensitive to `User-Agent` and
    /// `APP-BUILD` at times).
    pub extra_headers: Vec<(String, String)>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            endpoints: Endpoints::default(),
            request_timeout: Duration::from_secs(10),
            media_timeout: Duration::from_secs(90),
            retry: RetryPolicy::default(),
            command_poll_interval: Duration::from_secs(1),
            command_timeout: Duration::from_secs(120),
            command_spacing: Duration::from_secs(5),
            snapshot_timeout: Duration::from_secs(60),
            extra_headers: Vec::new(),
        }
    }
}

impl ClientOptions {
    /// The HTTP client for REST and token calls: no cookies, timeouts set, and no redirect
    /// followed by itself: `BlinkClient::send` follows a GET's redirects by hand, with the
    /// token only on the REST host; token, tier and command requests follow none.
    pub(crate) fn build_http(&self) -> Result<reqwest::Client, ApiError> {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(self.request_timeout))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| ApiError::Network { host: "local".into(), detail: err.to_string() })
    }

    /// The configured extra headers, checked; they go to the REST host only.
    pub(crate) fn headers(&self) -> Result<HeaderMap, ApiError> {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.extra_headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ApiError::BadUrl(format!("invalid header name {name:?} in config")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| ApiError::BadUrl(format!("invalid value for header {name} in config")))?;
            headers.insert(name, value);
        }
        Ok(headers)
    }
}
