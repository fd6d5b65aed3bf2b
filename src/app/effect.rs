//! Requests out of `update`: everything that touches the network, the disk or the terminal.

use std::sync::Arc;

use image::DynamicImage;
use jiff::Timestamp;

use super::command_run::{Operation, RunId};
use super::player::PlayerId;
use crate::api::models::MediaItem;
use crate::api::{DeviceRef, Session};
use crate::media::playback::Control;
use crate::secret::Secret;

/// Where a clip to play comes from.
#[derive(Debug)]
pub enum PlayRequest {
    Event(Box<MediaItem>),
    File(std::path::PathBuf),
    Live(Box<super::live::LiveRequest>),
}

#[derive(Debug)]
pub enum Effect {
    LoadHome,
    /// Events changed since `since`, page 1 (the newest); `initial` for the first load.
    LoadEvents {
        since: Timestamp,
        initial: bool,
    },
    /// An older page of the first load's events, when the list reaches its end.
    LoadOlderEvents {
        since: Timestamp,
        page: u32,
    },
    LoadPrograms {
        networks: Vec<u64>,
    },
    Run {
        id: RunId,
        op: Operation,
    },
    FetchImage {
        key: String,
    },
    EncodeImage {
        key: String,
        image: Arc<DynamicImage>,
        size: (u16, u16),
    },
    LoadDetails {
        device: DeviceRef,
    },
    /// The account view's reading: notification flags, options, the region of the tier.
    LoadAccount,
    /// Download an event's clip to play it (`play`) or keep it.
    FetchClip {
        event: Box<MediaItem>,
        play: bool,
    },
    /// Hand the terminal to the external player.
    Play {
        path: std::path::PathBuf,
    },
    /// Play a clip inside blinktui, in a picture area of `area` cells.
    StartPlayback {
        player: PlayerId,
        request: PlayRequest,
        area: (u16, u16),
    },
    /// Download this event's clip into the cache ahead of its turn (the next event of a
    /// review), replacing the one downloading ahead; `None` abandons that one.
    FetchAhead {
        event: Option<Box<MediaItem>>,
    },
    ControlPlayback {
        player: PlayerId,
        control: Control,
    },
    /// The picture area changed size.
    ResizePlayback {
        player: PlayerId,
        area: (u16, u16),
    },
    StopPlayback {
        player: PlayerId,
    },
    /// Download these events' clips to the save directory, one at a time with the pause
    /// between downloads.
    SaveClips {
        events: Vec<MediaItem>,
    },
    /// Mark events watched on Blink.
    MarkWatched {
        ids: Vec<u64>,
    },
    /// Mark every event of the account watched.
    MarkAllWatched,
    Bell,
    SignIn {
        email: String,
        password: Secret,
    },
    VerifyCode {
        code: String,
    },
    /// Start using a new session (save it, make a client).
    UseSession(Box<Session>),
    /// The session is dead: stop using it.
    DropSession,
    /// Stop everything in flight; what is started from now on belongs to `generation`.
    CancelAll {
        generation: u64,
    },
    /// Read the clip lists of these USB sticks; camera names are mapped back with `cameras`.
    LoadUsbClips {
        storages: Vec<crate::api::LocalStorage>,
        cameras: Vec<crate::api::NamedCamera>,
    },
}
