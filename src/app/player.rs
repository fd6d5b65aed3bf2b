//! A clip playing inside blinktui: where it comes from, where it stands (the lifecycle), the
//! frame on screen and the figures for the progress line. The frames themselves are decoded
//! and encoded for the terminal off the UI task; this only records what arrived.

use std::path::PathBuf;
use std::time::Duration;

use ratatui_image::protocol::Protocol;

use crate::media::ClipInfo;
use crate::media::playback::{PlaybackEvent, Stats};

pub type PlayerId = u64;

/// What is being played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaySource {
    /// An event's clip, downloaded to the cache first.
    Event(u64),
    File(PathBuf),
    /// Live view of a camera (its id).
    Live(u64),
}

/// The lifecycle of a playback. Every `match` on it names every phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayPhase {
    /// Downloading the clip.
    Fetching,
    /// Reading the file and starting the decoder.
    Opening,
    Playing,
    Paused,
    /// The last frame stays on screen.
    Ended,
    Failed(String),
}

impl PlayPhase {
    /// Still producing frames (or about to).
    pub fn running(&self) -> bool {
        match self {
            Self::Fetching | Self::Opening | Self::Playing | Self::Paused => true,
            Self::Ended | Self::Failed(_) => false,
        }
    }
}

/// A frame encoded for the terminal, with the sequence number the engine gave it.
pub struct PlayerFrame {
    pub seq: u64,
    pub protocol: Box<Protocol>,
}

/// What the playback task reports.
pub enum PlayerUpdate {
    /// The clip is on disk; the decoder is starting.
    Fetched,
    /// The clip could not be downloaded.
    FetchFailed(String),
    Playback(PlaybackEvent<Box<Protocol>>),
    Live(LiveReport),
}

/// What a live-view session reports besides frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveReport {
    /// Bytes of video received so far (once a second).
    Received(u64),
    /// The session is over: `Ok` with why it ended normally, `Err` with what went wrong.
    Ended(Result<String, String>),
}

pub struct Player {
    pub id: PlayerId,
    pub source: PlaySource,
    /// What the progress line calls it, e.g. "Driveway · Thu 14:03".
    pub title: String,
    pub phase: PlayPhase,
    pub position: Duration,
    pub info: Option<ClipInfo>,
    pub frame: Option<PlayerFrame>,
    pub stats: Stats,
    /// The picture area (cells) frames are made for.
    pub area: (u16, u16),
    /// Live view: video bytes received.
    pub live_bytes: u64,
    /// The speed the clip plays at (the session's, see [`Viewing`]).
    pub speed: Speed,
    /// The clip ended on the last event of the list: nothing plays after it.
    pub last_event: bool,
}

/// How fast clips play: `]` and `[` step through these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Speed {
    Half,
    #[default]
    Normal,
    Double,
    Quadruple,
}

impl Speed {
    const ALL: [Speed; 4] = [Speed::Half, Speed::Normal, Speed::Double, Speed::Quadruple];

    /// Clip time per unit of wall time.
    pub fn factor(self) -> f32 {
        match self {
            Self::Half => 0.5,
            Self::Normal => 1.0,
            Self::Double => 2.0,
            Self::Quadruple => 4.0,
        }
    }

    /// One step faster (`up`) or slower, held at the ends.
    pub fn step(self, up: bool) -> Self {
        let at = Self::ALL.iter().position(|s| *s == self).unwrap_or(1);
        let to = if up { (at + 1).min(Self::ALL.len() - 1) } else { at.saturating_sub(1) };
        Self::ALL[to]
    }

    /// `2x`, `0.5x`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Half => "0.5x",
            Self::Normal => "1x",
            Self::Double => "2x",
            Self::Quadruple => "4x",
        }
    }
}

/// How clips are being watched, kept from one clip to the next of a review: the speed, the
/// full-screen picture, and the next event's clip fetched ahead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewing {
    pub speed: Speed,
    /// The picture takes the whole terminal (`f`), until `f` or Esc, or the player stops.
    pub full_screen: bool,
    /// The event whose clip is being downloaded ahead, to play next without a wait.
    pub ahead: Option<u64>,
    /// The event the review went on to by itself, not one the user asked for.
    pub stepped: Option<Stepped>,
}

/// An event the review went on to by itself: a clip of it that cannot be fetched is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stepped {
    pub event: u64,
    /// Clips skipped in a row just before it.
    pub skipped: u8,
}

impl Player {
    pub fn new(id: PlayerId, source: PlaySource, title: String, area: (u16, u16)) -> Self {
        let phase = match source {
            PlaySource::Event(_) => PlayPhase::Fetching,
            PlaySource::File(_) | PlaySource::Live(_) => PlayPhase::Opening,
        };
        Self {
            id,
            source,
            title,
            phase,
            position: Duration::ZERO,
            info: None,
            frame: None,
            stats: Stats::default(),
            area,
            live_bytes: 0,
            speed: Speed::Normal,
            last_event: false,
        }
    }

    pub fn event(&self) -> Option<u64> {
        match self.source {
            PlaySource::Event(id) => Some(id),
            PlaySource::File(_) | PlaySource::Live(_) => None,
        }
    }

    /// The camera shown live, for live view.
    pub fn live_camera(&self) -> Option<u64> {
        match self.source {
            PlaySource::Live(id) => Some(id),
            PlaySource::Event(_) | PlaySource::File(_) => None,
        }
    }

    /// Applies what the playback task reported. Returns an error text when it failed.
    pub fn apply(&mut self, update: PlayerUpdate) -> Option<String> {
        match update {
            PlayerUpdate::Fetched => self.phase = PlayPhase::Opening,
            PlayerUpdate::FetchFailed(reason) => {
                let text = format!("could not download the clip: {reason}");
                self.phase = PlayPhase::Failed(text.clone());
                return Some(text);
            }
            PlayerUpdate::Live(LiveReport::Received(bytes)) => self.live_bytes = bytes,
            PlayerUpdate::Live(LiveReport::Ended(Ok(why))) => {
                tracing::info!("live view ended: {why}");
                if self.phase.running() {
                    self.phase = PlayPhase::Ended;
                }
            }
            PlayerUpdate::Live(LiveReport::Ended(Err(reason))) => {
                self.phase = PlayPhase::Failed(reason.clone());
                return Some(reason);
            }
            PlayerUpdate::Playback(event) => match event {
                PlaybackEvent::Opened(info) => {
                    self.info = Some(info);
                    self.phase = PlayPhase::Playing;
                }
                PlaybackEvent::Frame { seq, pts, picture } => {
                    self.position = pts;
                    self.frame = Some(PlayerFrame { seq, protocol: picture });
                }
                PlaybackEvent::Playing { position } => {
                    self.phase = PlayPhase::Playing;
                    self.position = position;
                }
                PlaybackEvent::Paused { position } => {
                    self.phase = PlayPhase::Paused;
                    self.position = position;
                }
                PlaybackEvent::Ended { position } => {
                    // A live session that failed stays failed when its last frames are out.
                    if !matches!(self.phase, PlayPhase::Failed(_)) {
                        self.phase = PlayPhase::Ended;
                    }
                    self.position = position;
                }
                PlaybackEvent::Stats(stats) => self.stats = stats,
                PlaybackEvent::Failed(err) => {
                    // A live session that failed (a frame over the size limit) ends the stream
                    // it fed: the engine's "the stream ended" is the effect, not the cause.
                    if matches!(self.phase, PlayPhase::Failed(_)) {
                        tracing::info!("after the failure: {err}");
                        return None;
                    }
                    let text = err.to_string();
                    self.phase = PlayPhase::Failed(text.clone());
                    return Some(text);
                }
            },
        }
        None
    }

    /// `▶ 00:02 / 00:08`, the state mark and times; `● LIVE 00:12 / 05:00` for live view.
    pub fn progress(&self) -> String {
        if self.live_camera().is_some() {
            return self.live_progress();
        }
        let speed = match self.speed {
            Speed::Normal => String::new(),
            other => format!(" {}", other.label()),
        };
        let mark = match &self.phase {
            PlayPhase::Fetching => "↓ downloading".to_owned(),
            PlayPhase::Opening => "… opening".to_owned(),
            PlayPhase::Playing => format!("▶{speed}"),
            PlayPhase::Paused => format!("‖{speed}"),
            PlayPhase::Ended if self.last_event => "■ last event".to_owned(),
            PlayPhase::Ended => "■ ended".to_owned(),
            PlayPhase::Failed(_) => "✗".to_owned(),
        };
        match &self.info {
            Some(info) => format!("{mark} {} / {}", clock(self.position), clock(info.duration)),
            None => mark,
        }
    }

    fn live_progress(&self) -> String {
        let length = self.info.as_ref().map(|info| clock(info.duration));
        match (&self.phase, length) {
            (PlayPhase::Fetching | PlayPhase::Opening, _) => "… starting live view".into(),
            (PlayPhase::Playing | PlayPhase::Paused, Some(length)) => {
                format!("● LIVE {} / {length}", clock(self.position))
            }
            (PlayPhase::Playing | PlayPhase::Paused, None) => "● LIVE".into(),
            (PlayPhase::Ended, _) => format!("■ live view ended at {}", clock(self.position)),
            (PlayPhase::Failed(_), _) => "✗ live view".into(),
        }
    }

    /// Achieved frame rate and drops, for the progress line; frame rate and bytes received
    /// for live view.
    pub fn figures(&self) -> Option<String> {
        if !matches!(self.phase, PlayPhase::Playing | PlayPhase::Paused | PlayPhase::Ended) {
            return None;
        }
        // A rate means something only while frames flow: paused, stepping or ended, none is shown.
        let fps = matches!(self.phase, PlayPhase::Playing).then(|| format!("{:.0} fps · ", self.stats.fps));
        let fps = fps.unwrap_or_default();
        let mut text = if self.live_camera().is_some() {
            format!("{fps}{}", bytes_text(self.live_bytes))
        } else {
            format!("{fps}{} dropped", self.stats.dropped)
        };
        if self.stats.scale < 0.99 && self.stats.scale > 0.0 {
            text.push_str(&format!(" · {:.0}% size", self.stats.scale * 100.0));
        }
        if let Some(link) = self.stats.link.filter(|_| self.phase == PlayPhase::Playing) {
            text.push_str(&format!(" · {}", link_text(link)));
        }
        Some(text)
    }
}

impl std::fmt::Debug for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Player")
            .field("id", &self.id)
            .field("source", &self.source)
            .field("phase", &self.phase)
            .field("position", &self.position)
            .field("frame", &self.frame.as_ref().map(|frame| frame.seq))
            .finish_non_exhaustive()
    }
}

/// `link 1.9 Mbit/s 52 ms`: why the frame rate is lower than the clip's.
fn link_text(link: crate::media::playback::LinkLimit) -> String {
    let mbits = link.bytes_per_sec as f64 * 8.0 / 1e6;
    let rate = if mbits >= 10.0 { format!("{mbits:.0}") } else { format!("{mbits:.1}") };
    format!("link {rate} Mbit/s {} ms", link.round_trip.as_millis())
}

/// `812 KB`, `1.4 MB`.
pub fn bytes_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", bytes / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn clock(time: Duration) -> String {
    let secs = time.as_secs();
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::MediaError;

    fn info() -> ClipInfo {
        ClipInfo {
            duration: Duration::from_secs(30),
            frame_rate: 15.0,
            width: 384,
            height: 216,
            decoder: "OpenH264",
            cut_short: false,
        }
    }

    #[test]
    fn the_lifecycle_follows_what_the_engine_reports() {
        let mut player = Player::new(1, PlaySource::Event(7), "Driveway".into(), (40, 12));
        assert_eq!((player.phase.clone(), player.progress()), (PlayPhase::Fetching, "↓ downloading".into()));
        player.apply(PlayerUpdate::Fetched);
        assert_eq!(player.phase, PlayPhase::Opening);
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Opened(info())));
        assert_eq!(player.phase, PlayPhase::Playing);
        assert_eq!(player.progress(), "▶ 00:00 / 00:30");
        player
            .apply(PlayerUpdate::Playback(PlaybackEvent::Paused { position: Duration::from_millis(2_400) }));
        assert_eq!(player.progress(), "‖ 00:02 / 00:30");
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Stats(Stats {
            fps: 14.6,
            dropped: 3,
            scale: 1.0,
            ..Stats::default()
        })));
        assert_eq!(player.figures().as_deref(), Some("3 dropped"), "no rate while paused");
        player
            .apply(PlayerUpdate::Playback(PlaybackEvent::Playing { position: Duration::from_millis(2_400) }));
        assert_eq!(player.figures().as_deref(), Some("15 fps · 3 dropped"));
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Ended { position: Duration::from_secs(30) }));
        assert_eq!(player.progress(), "■ ended 00:30 / 00:30");
        assert!(!player.phase.running());
        let failed =
            player.apply(PlayerUpdate::Playback(PlaybackEvent::Failed(MediaError::Decode("x".into()))));
        assert!(failed.is_some_and(|text| text.contains("could not be decoded")));
    }

    #[test]
    fn a_link_that_holds_frames_back_is_named_while_playing() {
        let mut player = Player::new(3, PlaySource::Event(7), "Driveway".into(), (40, 12));
        player.apply(PlayerUpdate::Fetched);
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Opened(info())));
        let link = crate::media::playback::LinkLimit {
            bytes_per_sec: 240_000,
            round_trip: Duration::from_millis(52),
        };
        let stats = Stats { fps: 6.2, scale: 1.0, link: Some(link), ..Stats::default() };
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Stats(stats)));
        assert_eq!(player.figures().as_deref(), Some("6 fps · 0 dropped · link 1.9 Mbit/s 52 ms"));
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Paused { position: Duration::from_secs(1) }));
        assert_eq!(player.figures().as_deref(), Some("0 dropped"), "paused, the link limits nothing");
    }

    #[test]
    fn live_view_shows_live_time_rate_and_bytes() {
        let mut player = Player::new(2, PlaySource::Live(400102), "Driveway".into(), (40, 12));
        assert_eq!(player.progress(), "… starting live view");
        let length = ClipInfo { duration: Duration::from_secs(300), ..info() };
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Opened(length)));
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Playing { position: Duration::from_secs(12) }));
        player.apply(PlayerUpdate::Live(LiveReport::Received(1_450_000)));
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Stats(Stats { fps: 15.2, ..Stats::default() })));
        assert_eq!(player.progress(), "● LIVE 00:12 / 05:00");
        assert_eq!(player.figures().as_deref(), Some("15 fps · 1.4 MB"));
        let failed = player.apply(PlayerUpdate::Live(LiveReport::Ended(Err("relay closed".into()))));
        assert_eq!(failed.as_deref(), Some("relay closed"));
        assert_eq!(player.phase, PlayPhase::Failed("relay closed".into()));
    }

    #[test]
    fn a_live_session_that_failed_keeps_its_reason_when_the_stream_it_fed_ends() {
        let mut player = Player::new(2, PlaySource::Live(400102), "Driveway".into(), (40, 12));
        let limit = "the live-view relay announced a frame of 2097152 bytes (the limit is 1048576)";
        let failed = player.apply(PlayerUpdate::Live(LiveReport::Ended(Err(limit.into()))));
        assert_eq!(failed.as_deref(), Some(limit));
        let after = player.apply(PlayerUpdate::Playback(PlaybackEvent::Failed(MediaError::invalid(
            "the stream ended before its first picture",
        ))));
        assert_eq!(after, None, "no second message");
        assert_eq!(player.phase, PlayPhase::Failed(limit.into()));
    }

    #[test]
    fn the_progress_line_names_the_speed_and_the_last_event() {
        let mut player = Player::new(4, PlaySource::Event(7), "Driveway".into(), (40, 12));
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Opened(info())));
        player.speed = Speed::Normal.step(true);
        assert_eq!(player.progress(), "▶ 2x 00:00 / 00:30");
        player.speed = Speed::Half.step(false);
        assert_eq!(player.progress(), "▶ 0.5x 00:00 / 00:30", "held at the slowest");
        player.speed = Speed::Quadruple.step(true);
        assert_eq!((player.speed, player.speed.factor()), (Speed::Quadruple, 4.0), "held at the fastest");
        player.apply(PlayerUpdate::Playback(PlaybackEvent::Ended { position: Duration::from_secs(30) }));
        player.last_event = true;
        assert_eq!(player.progress(), "■ last event 00:30 / 00:30");
    }

    #[test]
    fn clock_text() {
        assert_eq!(clock(Duration::from_millis(59_999)), "00:59");
        assert_eq!(clock(Duration::from_secs(3_725)), "1:02:05");
    }
}
