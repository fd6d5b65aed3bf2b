//! The one error type of the Blink client. Messages say what went wrong and what to do; they
//! never contain tokens, passwords, codes or full request URLs.

use std::time::Duration;

use super::body::{BodyKind, describe_limit};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// There is no usable session: never logged in, logged out, or the refresh token was
    /// rejected. Only an interactive login fixes this.
    #[error("not logged in to Blink ({0}); run `blinktui login`")]
    LoginRequired(String),

    /// A request was refused with 401 even after refreshing the token once.
    #[error("Blink rejected the session (401 Unauthorized); run `blinktui login`")]
    Unauthorized,

    /// The login itself failed.
    #[error("{0}")]
    Login(#[from] LoginFailure),

    #[error(
        "Blink answered \"An app update is required\" (HTTP 426): the request headers are out of \
         date; check for a newer blinktui or set `[http.headers]` in the config"
    )]
    AppUpdateRequired,

    #[error("rate limited by Blink{}; wait before trying again", retry_hint(.retry_after))]
    RateLimited { retry_after: Option<Duration> },

    #[error("Blink server error (HTTP {status}){}", message_suffix(.message))]
    Server { status: u16, message: Option<String> },

    /// A 4xx other than the ones above, with Blink's own message when it sent one.
    #[error("Blink refused the request (HTTP {status}){}", message_suffix(.message))]
    Rejected { status: u16, code: Option<i64>, message: Option<String> },

    #[error("network error talking to {host}: {detail}")]
    Network { host: String, detail: String },

    /// No connection could be made: nothing reached Blink.
    #[error("cannot reach {host}: {detail}")]
    Unreachable { host: String, detail: String },

    #[error("no answer from {host} within {}s", .after.as_secs())]
    Timeout { host: String, after: Duration },

    /// A download whose data stopped coming.
    #[error(
        "the {what} download from {host} stalled: no data for {}s after {}{}",
        .after.as_secs(), describe_bytes(*.received), .total.map(|t| format!(" of {}", describe_bytes(t))).unwrap_or_default()
    )]
    Stalled { what: String, host: String, after: Duration, received: u64, total: Option<u64> },

    #[error("unexpected answer from Blink ({endpoint}): {detail}; the body starts with: {excerpt}")]
    Decode { endpoint: String, detail: String, excerpt: String },

    /// A body over its limit: reading stopped there.
    #[error("the answer from Blink ({endpoint}) is too large: {}; blinktui stopped reading it", describe_limit(*.kind, *.limit))]
    TooLarge { endpoint: String, kind: BodyKind, limit: u64 },

    #[error("Blink command failed: {message} (code {code})")]
    CommandFailed { code: i64, message: String },

    #[error("Blink command {id} did not finish within {}s", .after.as_secs())]
    CommandTimedOut { id: u64, after: Duration },

    /// A change Blink may or may not have made: its request or its progress went unanswered
    /// (a timeout, a dropped connection, a truncated answer). Sending it again blindly could
    /// apply it twice.
    #[error("no clear answer from Blink to {action} ({reason}): it may or may not have been applied")]
    OutcomeUnknown { action: String, reason: String },

    #[error("not found: {0}")]
    NotFound(String),

    /// A redirect blinktui will not follow: it would carry a credential or a command elsewhere,
    /// or leave https for plain http.
    #[error(
        "Blink answered with a redirect (HTTP {status}) to {to}, which blinktui does not follow \
         for this request; if Blink moved, check for a newer blinktui or set rest_url"
    )]
    Redirected { status: u16, to: String },

    /// A URL from config or from the server that blinktui refuses to use.
    #[error("{0}")]
    BadUrl(String),

    /// The place a download was being written to failed (a full disk, say).
    #[error("cannot write the download: {0}")]
    Sink(String),

    /// Reading or writing the saved session failed.
    #[error("session store: {0}")]
    Store(String),
}

/// Why a login attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginFailure {
    #[error("Blink rejected the email or password")]
    InvalidCredentials,
    #[error("Blink rejected the verification code; check it and try again")]
    InvalidCode,
    #[error(
        "Blink's login service refused the request (HTTP 406); this usually means the device id \
         or the network is blocked, try again later"
    )]
    Blocked,
    #[error("Blink's login flow answered unexpectedly: {0}")]
    Protocol(String),
}

impl ApiError {
    /// Worth repeating for an idempotent request after a pause.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network { .. }
                | Self::Unreachable { .. }
                | Self::Timeout { .. }
                | Self::Stalled { .. }
                | Self::Server { .. }
                | Self::RateLimited { .. }
        )
    }

    /// A change that may have been made although it was not confirmed: check Blink's state
    /// before reporting it or trying again.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Self::OutcomeUnknown { .. } | Self::CommandTimedOut { .. })
    }

    /// Whether this failure of a request that changes something leaves its outcome open: the
    /// request may have reached Blink (anything but a refusal, a connection never made, or a
    /// session problem found before sending).
    pub(crate) fn leaves_outcome_open(&self) -> bool {
        match self {
            Self::Network { .. }
            | Self::Timeout { .. }
            | Self::Stalled { .. }
            | Self::Decode { .. }
            | Self::TooLarge { .. } => true,
            Self::Server { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// `self` as an [`ApiError::OutcomeUnknown`] of `action` when it leaves the outcome open.
    pub(crate) fn unknown_outcome_of(self, action: &str) -> Self {
        if self.leaves_outcome_open() {
            Self::OutcomeUnknown { action: action.to_owned(), reason: self.to_string() }
        } else {
            self
        }
    }

    /// The user has to log in again before anything else can work.
    pub fn needs_login(&self) -> bool {
        matches!(self, Self::LoginRequired(_) | Self::Unauthorized)
    }

    pub(crate) fn decode(endpoint: &str, err: &serde_json::Error, body: &[u8]) -> Self {
        Self::Decode { endpoint: endpoint.to_owned(), detail: err.to_string(), excerpt: excerpt(body) }
    }
}

/// The first part of a body, on one line, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 160;
    if body.is_empty() {
        return "(empty)".to_owned();
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT * 4)]);
    let mut out: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(LIMIT).collect();
    if text.chars().count() > LIMIT || body.len() > LIMIT * 4 {
        out.push('…');
    }
    out
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default()
}

fn message_suffix(message: &Option<String>) -> String {
    message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
}

/// `1.5 MB`, `312 bytes`: sizes in messages.
fn describe_bytes(bytes: u64) -> String {
    if bytes < 1000 { format!("{bytes} bytes") } else { format!("{:.1} MB", bytes as f64 / 1e6) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_short_and_single_line() {
        let body = format!("{{\"a\":\n\"{}\"}}", "x".repeat(1000));
        let shown = excerpt(body.as_bytes());
        assert!(!shown.contains('\n'));
        assert!(shown.chars().count() <= 161, "{}", shown.len());
        assert!(shown.ends_with('…'));
        assert_eq!(excerpt(b""), "(empty)");
        assert_eq!(excerpt(b"{}"), "{}");
    }

    #[test]
    fn messages_name_the_cause_and_the_remedy() {
        let err = ApiError::RateLimited { retry_after: Some(Duration::from_secs(30)) };
        assert_eq!(err.to_string(), "rate limited by Blink (retry after 30s); wait before trying again");
        let err = ApiError::CommandFailed { code: 304, message: "No Cameras Enabled for Motion".into() };
        assert_eq!(err.to_string(), "Blink command failed: No Cameras Enabled for Motion (code 304)");
        assert!(ApiError::Unauthorized.to_string().contains("blinktui login"));
        assert!(ApiError::Unauthorized.needs_login());
        assert!(ApiError::Server { status: 503, message: None }.is_transient());
        assert!(!ApiError::NotFound("x".into()).is_transient());
    }
}
