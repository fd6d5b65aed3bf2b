//! [`ClientOptions`]: how the client talks to Blink (hosts, timeouts, pacing, headers).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::backoff::RetryPolicy;
use super::body::BodyLimits;
use super::endpoints::Endpoints;
use super::error::ApiError;

/// What REST requests say they are, modelled on the Android app's `Blink/<version>
/// (<maker> <model>; Android <version>)`: Blink has answered 406 to requests without one.
pub const DEFAULT_USER_AGENT: &str = "Blink/51.0 (Google Pixel 8; Android 14)";

/// Everything about how the client talks to Blink. Defaults are the polite ones.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub endpoints: Endpoints,
    pub request_timeout: Duration,
    /// Clip and image downloads: the longest wait for the answer to start, then for each piece
    /// of it. A download takes as long as it needs while data flows.
    pub media_idle_timeout: Duration,
    pub retry: RetryPolicy,
    pub command_poll_interval: Duration,
    pub command_timeout: Duration,
    /// Minimum pause between two command-starting requests.
    pub command_spacing: Duration,
    /// How long a snapshot waits for homescreen to show the new thumbnail.
    pub snapshot_timeout: Duration,
    /// The shortest pause between two homescreen reads of a snapshot (blinkpy throttles
    /// homescreen to one read per 5 s).
    pub snapshot_poll_interval: Duration,
    /// `User-Agent` of REST and tier discovery requests; empty sends none.
    pub user_agent: String,
    /// Extra headers on every REST request (Blink has been sensitive to `User-Agent` and
    /// `APP-BUILD` at times); a `User-Agent` here replaces `user_agent`.
    pub extra_headers: Vec<(String, String)>,
    /// The largest answer, picture and clip read.
    pub limits: BodyLimits,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            endpoints: Endpoints::default(),
            request_timeout: Duration::from_secs(10),
            media_idle_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            command_poll_interval: Duration::from_secs(1),
            command_timeout: Duration::from_secs(120),
            command_spacing: Duration::from_secs(5),
            snapshot_timeout: Duration::from_secs(60),
            snapshot_poll_interval: Duration::from_secs(5),
            user_agent: DEFAULT_USER_AGENT.into(),
            extra_headers: Vec::new(),
            limits: BodyLimits::default(),
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

    /// The user agent and the configured extra headers, checked; they go to Blink's REST hosts
    /// only (the account's and the discovery host), never where a redirect points.
    pub fn headers(&self) -> Result<HeaderMap, ApiError> {
        let mut headers = HeaderMap::new();
        if !self.user_agent.is_empty() {
            let agent = HeaderValue::from_str(&self.user_agent)
                .map_err(|_| ApiError::BadUrl("invalid user agent in config".into()))?;
            headers.insert(USER_AGENT, agent);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(options: &ClientOptions) -> Option<String> {
        let headers = options.headers().expect("valid");
        headers.get(USER_AGENT).map(|v| v.to_str().expect("ascii").to_owned())
    }

    #[test]
    fn the_user_agent_is_sent_unless_emptied_or_replaced() {
        let mut options = ClientOptions::default();
        assert_eq!(agent(&options).as_deref(), Some(DEFAULT_USER_AGENT));
        options.extra_headers = vec![("user-agent".into(), "Blink/52.0".into())];
        assert_eq!(agent(&options).as_deref(), Some("Blink/52.0"), "a header from the config wins");
        options.extra_headers.clear();
        options.user_agent.clear();
        assert_eq!(agent(&options), None);
        options.user_agent = "line\nbreak".into();
        assert!(options.headers().is_err());
    }
}
