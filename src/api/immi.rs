//! A live-view session over Blink's IMMI relay: TLS to the `immis://` host, the auth header,
//! then frames read exactly and in full (MPEG-TS in type-0 frames, everything else counted and
//! skipped), latency statistics every second and a keep-alive every 10 s, the liveview command
//! polled at Blink's `polling_interval`, and `POST …/command/{id}/done/` when it ends, whatever
//! ends it.

mod session;
mod tls;
pub mod wire;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub use session::{DoneGuard, finish_pending_done, run_session};
pub use tls::relay_config;

use super::error::ApiError;

/// How a session is run; the defaults suit Blink.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Connecting and the TLS handshake, each.
    pub connect_timeout: Duration,
    /// How long without video before the session counts as stalled.
    pub stall_timeout: Duration,
    /// The largest frame payload read; a relay announcing more is cut off.
    pub max_payload: usize,
    pub stats_interval: Duration,
    pub keepalive_interval: Duration,
    /// Ends the session sooner than Blink's `duration`.
    pub max_length: Option<Duration>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(15),
            max_payload: MAX_PAYLOAD,
            stats_interval: Duration::from_secs(1),
            keepalive_interval: Duration::from_secs(10),
            max_length: None,
        }
    }
}

/// A frame payload over this is not from a camera relay (a 4K key frame in TS is a fraction).
pub const MAX_PAYLOAD: usize = 1024 * 1024;
/// A session length when Blink names none.
pub const DEFAULT_LENGTH: Duration = Duration::from_secs(300);

/// What a session saw, read by the viewer while it runs.
#[derive(Debug, Default)]
pub struct LiveCounters {
    pub ts_bytes: AtomicU64,
    pub video_frames: AtomicU64,
    /// Type-0 frames whose payload was not MPEG-TS.
    pub not_ts_frames: AtomicU64,
    /// Frames of other types (audio, session messages).
    pub other_frames: AtomicU64,
    pub stats_sent: AtomicU64,
    pub keepalives_sent: AtomicU64,
}

impl LiveCounters {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// Why a session ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEnd {
    /// The session length (Blink's `duration` or the one asked for) passed.
    LengthReached,
    /// The viewer stopped it.
    Stopped,
    /// Blink ended the liveview command.
    CommandEnded,
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("Blink offered live view over {0}://, which blinktui cannot play (only immis://)")]
    Unsupported(String),
    #[error("cannot reach the live-view relay {relay}: {detail}")]
    Connect { relay: String, detail: String },
    #[error("{0}")]
    Tls(String),
    #[error("the live-view relay closed the connection after {}s", .after.as_secs())]
    Closed { after: Duration },
    #[error("no video from the live-view relay for {}s{}; live view stopped", .after.as_secs(), not_video(*.not_ts_frames))]
    Stalled { after: Duration, not_ts_frames: u64 },
    #[error(
        "the live-view relay announced a frame of {length} bytes (the limit is {limit}); live view stopped"
    )]
    FrameTooLarge { length: u64, limit: usize },
    #[error("Blink ended the live view: {0}")]
    Command(ApiError),
}

fn not_video(frames: u64) -> String {
    if frames == 0 { String::new() } else { format!(" ({frames} frames were not MPEG-TS)") }
}
