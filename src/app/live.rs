//! Live view as the app knows it: the request (an effect's data), the session's length and
//! the words for its end. The runtime runs the session (`runtime::live`).

use std::path::PathBuf;
use std::time::Duration;

use crate::api::immi::{DEFAULT_LENGTH, LiveEnd};
use crate::api::{DeviceRef, Liveview};

/// A camera to watch live.
#[derive(Debug, Clone)]
pub struct LiveRequest {
    pub device: DeviceRef,
    /// The camera's serial (the relay wants it); the relay URL's is used without it.
    pub serial: Option<String>,
    /// Also write the stream, as it came, to this file.
    pub output: Option<PathBuf>,
    /// End sooner than Blink's session length.
    pub max_length: Option<Duration>,
}

/// The session's length: Blink's `duration`, or less when asked.
pub fn session_length(live: &Liveview, asked: Option<Duration>) -> Duration {
    let blink = live
        .duration_secs
        .and_then(|secs| u64::try_from(secs).ok())
        .filter(|secs| *secs > 0)
        .map_or(DEFAULT_LENGTH, Duration::from_secs);
    asked.map_or(blink, |asked| asked.min(blink))
}

/// Words for a session that ended without an error.
pub fn describe_end(end: LiveEnd) -> &'static str {
    match end {
        LiveEnd::LengthReached => "the live-view session length was reached",
        LiveEnd::Stopped => "live view stopped",
        LiveEnd::CommandEnded => "Blink ended the live view",
    }
}
