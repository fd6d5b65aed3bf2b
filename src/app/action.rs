//! Messages into `update`: input, timers, and the results of effects.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};
use image::DynamicImage;
use ratatui_image::protocol::Protocol;

use super::command_run::{RunId, RunPhase};
use super::player::{PlayerId, PlayerUpdate};
use crate::api::models::{Homescreen, MediaItem, Program, Signals};
use crate::api::{ApiError, DeviceConfig, Session, TwoFactorPrompt};
use crate::files::ClipError;
use crate::media::picture::PictureError;
use crate::media::playback::PlaybackEvent;

/// Why a picture did not arrive: its download, or decoding it.
#[derive(Debug, thiserror::Error)]
pub enum PictureFailed {
    #[error(transparent)]
    Download(#[from] ApiError),
    #[error(transparent)]
    Decode(#[from] PictureError),
}

/// Why a picture was not put in the terminal's picture protocol.
#[derive(Debug, thiserror::Error)]
pub enum EncodeFailed {
    /// The picture library refused it.
    #[error(transparent)]
    Refused(#[from] ratatui_image::errors::Errors),
    /// The encoding thread ended without an answer (a bug).
    #[error(transparent)]
    Stopped(#[from] tokio::task::JoinError),
}

/// Why the external player did not play a clip to its end.
#[derive(Debug, thiserror::Error)]
pub enum PlayerFailed {
    #[error("cannot read the player command: {0}")]
    Unreadable(#[from] shell_words::ParseError),
    #[error("the player command is empty")]
    Empty,
    #[error("{program}: {source}")]
    NotStarted { program: String, source: std::io::Error },
    #[error("{program} exited with {status}")]
    Exited { program: String, status: std::process::ExitStatus },
}

pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Animation clock: only sent while something animates.
    Tick,
    /// Time for the periodic refresh (or a toast to fade).
    Wake,
    /// SIGTERM, SIGHUP: leave cleanly.
    Quit,
    /// The terminal is back after Ctrl-Z: pictures are sent again.
    Resumed,

    HomeLoaded(Result<Homescreen, ApiError>),
    EventsLoaded {
        initial: bool,
        result: Result<Vec<MediaItem>, ApiError>,
    },
    OlderEventsLoaded {
        page: u32,
        result: Result<Vec<MediaItem>, ApiError>,
    },
    ProgramsLoaded(Result<Vec<Program>, ApiError>),
    RunProgress {
        id: RunId,
        phase: RunPhase,
    },
    RunFinished {
        id: RunId,
        result: Result<RunOutcome, ApiError>,
    },
    ImageLoaded {
        key: String,
        result: Result<Arc<DynamicImage>, PictureFailed>,
    },
    ImageEncoded {
        key: String,
        size: (u16, u16),
        result: Result<Protocol, EncodeFailed>,
    },
    DetailsLoaded {
        camera: u64,
        result: Result<(DeviceConfig, Signals), ApiError>,
    },
    AccountLoaded(Result<super::account::AccountOverview, ApiError>),
    ClipReady {
        event: u64,
        play: bool,
        result: Result<PathBuf, ClipError>,
    },
    PlayerDone(Result<(), PlayerFailed>),
    /// Events marked watched on Blink (`None`: all of them).
    WatchedMarked {
        ids: Option<Vec<u64>>,
        result: Result<(), ApiError>,
    },
    /// A batch of clips saved (`S` on marked events).
    ClipsSaved {
        dir: PathBuf,
        saved: usize,
        failed: Vec<String>,
    },
    /// Something the clip playing inside blinktui reports.
    Playback {
        player: PlayerId,
        update: PlayerUpdate,
    },
    SignedIn(Result<Session, ApiError>),
    /// A background job panicked (a bug): what it was doing is abandoned.
    TaskFailed(String),
    /// What a background job reported, with the generation it was started in: dropped if
    /// everything was cancelled since (a result for the account that just logged out).
    FromTask {
        generation: u64,
        action: Box<Action>,
    },
    CodeRequested(TwoFactorPrompt),
    /// The clips on the USB sticks, one list per stick.
    UsbClipsLoaded(Result<Vec<crate::api::LocalClips>, ApiError>),
    /// The session file could not be written (why), or can be again (`None`).
    SessionSave(Option<String>),
}

/// What a finished command brought back.
#[derive(Debug)]
pub enum RunOutcome {
    Done,
    /// The snapshot's homescreen, which already shows the new thumbnail.
    Snapshot {
        home: Box<Homescreen>,
    },
    /// A USB stick's clip, on disk here.
    UsbClip {
        path: PathBuf,
    },
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Results carry big payloads and tokens: log the kind only.
        let name = match self {
            Self::Key(key) => return write!(f, "Key({:?} {:?})", key.code, key.modifiers),
            Self::Mouse(_) => "Mouse",
            Self::Resize(w, h) => return write!(f, "Resize({w}x{h})"),
            Self::Tick => "Tick",
            Self::Wake => "Wake",
            Self::Quit => "Quit",
            Self::Resumed => "Resumed",
            Self::HomeLoaded(_) => "HomeLoaded",
            Self::EventsLoaded { .. } => "EventsLoaded",
            Self::OlderEventsLoaded { .. } => "OlderEventsLoaded",
            Self::ProgramsLoaded(_) => "ProgramsLoaded",
            Self::RunProgress { id, phase } => return write!(f, "RunProgress({id}, {phase:?})"),
            Self::RunFinished { id, .. } => return write!(f, "RunFinished({id})"),
            Self::ImageLoaded { .. } => "ImageLoaded",
            Self::ImageEncoded { .. } => "ImageEncoded",
            Self::DetailsLoaded { .. } => "DetailsLoaded",
            Self::AccountLoaded(_) => "AccountLoaded",
            Self::ClipReady { .. } => "ClipReady",
            Self::PlayerDone(_) => "PlayerDone",
            Self::WatchedMarked { .. } => "WatchedMarked",
            Self::ClipsSaved { .. } => "ClipsSaved",
            Self::Playback { update: PlayerUpdate::Playback(PlaybackEvent::Frame { .. }), .. } => "Frame",
            Self::Playback { .. } => "Playback",
            Self::SignedIn(_) => "SignedIn",
            Self::CodeRequested(_) => "CodeRequested",
            Self::TaskFailed(_) => "TaskFailed",
            Self::FromTask { generation, action } => return write!(f, "FromTask({generation}, {action:?})"),
            Self::UsbClipsLoaded(_) => "UsbClipsLoaded",
            Self::SessionSave(_) => "SessionSave",
        };
        f.write_str(name)
    }
}
