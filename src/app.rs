//! The application: state, the actions that change it, and the effects (as data) that ask the
//! runtime for I/O. `update` is synchronous and does no I/O (the `runtime` layer runs the
//! effects), so every state transition is a plain unit test.

pub mod account;
pub mod action;
pub mod camera_details;
pub mod choose;
pub mod clocks;
pub mod colours;
pub mod command_run;
pub mod data;
pub mod days;
pub mod effect;
pub mod encodes;
pub mod filter;
pub mod grid;
pub mod images;
pub mod keymap;
pub mod layout;
pub mod lists;
pub mod live;
pub mod login;
pub mod player;
/// Test data for unit tests, integration tests and benchmarks (which enable `test-support`
/// through the dev-dependency on this crate).
#[cfg(any(test, feature = "test-support"))]
pub mod sample;
pub mod toasts;
pub mod update;
pub mod usb;

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use command_run::{CommandRun, Operation, RunId};
use data::DataStore;
use images::ImageStore;
use keymap::Keymap;
use lists::ListView;
use login::LoginState;
use player::{Player, PlayerId};
use toasts::Toasts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pane {
    Networks = 0,
    Cameras = 1,
    Programs = 2,
    Events = 3,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Networks, Pane::Cameras, Pane::Programs, Pane::Events];

    pub fn next(self) -> Self {
        Self::ALL[(self as usize + 1) % 4]
    }

    pub fn prev(self) -> Self {
        Self::ALL[(self as usize + 3) % 4]
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Networks => "Networks",
            Self::Cameras => "Cameras",
            Self::Programs => "Programs",
            Self::Events => "Events",
        }
    }
}

#[derive(Debug)]
pub enum Screen {
    Login(LoginState),
    Main,
    /// One clip, full screen (`blinktui play`); the program ends with it.
    Play,
}

/// A popup over whatever is on screen.
#[derive(Debug)]
pub enum Overlay {
    /// The keys; `scroll` lines down when the screen is too short for them all.
    Help {
        scroll: usize,
    },
    Log {
        scroll: usize,
    },
    Confirm(Confirm),
    /// A small menu: snooze durations, a camera's settings, a setting's values.
    Choose(choose::Chooser),
}

/// A question before something destructive, security-relevant or wide is done.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub then: Confirmed,
}

/// What `y` goes on to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    /// A Blink command, followed as a run.
    Run {
        op: Operation,
        label: String,
    },
    /// Several, each followed as a run (they queue on their network: a stick's clips are
    /// deleted one at a time).
    RunAll(Vec<(Operation, String)>),
    /// Download these events' clips to the save directory, one at a time.
    SaveClips(Vec<crate::api::models::MediaItem>),
    MarkWatched(Vec<u64>),
    /// Every event of the account, with Blink's own "mark all" call.
    MarkAllWatched,
}

#[derive(Debug)]
pub enum Details {
    Camera {
        id: u64,
        /// Where reading its config and signals stands.
        read: camera_details::CameraDetails,
    },
    Event {
        id: u64,
    },
    Program {
        id: u64,
    },
}

/// Settings fixed for the session.
#[derive(Debug, Clone)]
pub struct UiOptions {
    pub read_only: bool,
    pub confirm: bool,
    /// At a clip's end the next event of the list plays.
    pub autoplay: bool,
    /// Pictures fetched at once (`politeness.picture_fetches`).
    pub picture_fetches: usize,
    pub bell: bool,
    pub mouse: bool,
    pub refresh_interval: Duration,
    /// Whether pictures are drawn at all.
    pub pictures: bool,
    /// e.g. "sixel", for the status line.
    pub graphics_label: String,
    pub player: Option<String>,
    pub save_dir: PathBuf,
    /// Shown on the login screen in demo mode.
    pub demo_hint: Option<String>,
    /// Colours, or none with `NO_COLOR` (read once at start, not per frame).
    pub colours: colours::Colours,
}

impl Default for UiOptions {
    fn default() -> Self {
        Self {
            read_only: false,
            confirm: true,
            autoplay: true,
            picture_fetches: 3,
            bell: false,
            mouse: false,
            refresh_interval: Duration::from_secs(60),
            pictures: true,
            graphics_label: "halfblocks".into(),
            player: None,
            save_dir: PathBuf::from("."),
            demo_hint: None,
            colours: colours::Colours::from_env(),
        }
    }
}

/// One resource's loading: at most one request in flight, and a flag for "ask again when it
/// is back" so a newer request is never lost nor doubled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fetch {
    pub in_flight: bool,
    pub again: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Loading {
    pub home: Fetch,
    pub events: Fetch,
    /// An older page of events, asked for at the end of the list.
    pub older: Fetch,
    pub programs: Fetch,
    /// The clip lists of USB sticks.
    pub usb: Fetch,
}

/// The app's exchange with Blink: what is being fetched, when the next refresh is due, and what
/// went wrong with the connection.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    pub loading: Loading,
    pub next_refresh: Option<Timestamp>,
    /// Set when a refresh failed, cleared by the next success.
    pub connection_problem: Option<String>,
    /// Blink answered 429: no request before this (its `Retry-After`).
    pub rate_limited_until: Option<Timestamp>,
}

/// What the user looks at and has chosen: the focused pane, each list's selection and filter,
/// the details and popup open, the marks.
#[derive(Debug)]
pub struct View {
    pub focus: Pane,
    pub lists: [ListView; 4],
    /// The full-screen details of a camera, event or program (Enter), under any popup.
    pub details: Option<Details>,
    pub overlay: Option<Overlay>,
    /// Typing goes into the focused list's filter.
    pub filter_editing: bool,
    /// The last click on a row (pane, row, when), to tell a double click.
    pub last_click: Option<(Pane, usize, Timestamp)>,
    /// Events marked with Space: `S`, `x` and `w` act on all of them.
    pub marked: std::collections::BTreeSet<u64>,
    /// The events pane shows as a grid of thumbnails (`t`), with its scroll position.
    pub grid: Option<grid::Grid>,
}

impl View {
    pub fn list(&self, pane: Pane) -> &ListView {
        &self.lists[pane as usize]
    }
}

impl Default for View {
    fn default() -> Self {
        Self {
            focus: Pane::Networks,
            lists: Default::default(),
            details: None,
            overlay: None,
            filter_editing: false,
            last_click: None,
            marked: Default::default(),
            grid: None,
        }
    }
}

/// Who is signed in, as the screen shows it, and this machine's time zone (the tokens are an
/// `api::Session`, which only the runtime's client holds).
#[derive(Debug)]
pub struct Session {
    /// The e-mail shown.
    pub account: String,
    /// This machine's time zone: the status line's clock; a network time in another zone is
    /// labelled with it.
    pub zone: TimeZone,
    /// What the account view (`A`) read last.
    pub account_read: account::AccountRead,
}

impl Default for Session {
    fn default() -> Self {
        Self { account: String::new(), zone: TimeZone::system(), account_read: account::AccountRead::NotRead }
    }
}

#[derive(Debug)]
pub struct AppState {
    pub screen: Screen,
    pub view: View,
    pub data: DataStore,
    pub runs: Vec<CommandRun>,
    pub images: ImageStore,
    pub toasts: Toasts,
    pub session: Session,
    pub size: (u16, u16),
    pub options: UiOptions,
    pub keymap: Keymap,
    pub remote: Remote,
    pub spinner: usize,
    /// Event times as rows show them (see `clocks`).
    pub event_clocks: clocks::EventClocks,
    pub quit: bool,
    /// The clip playing inside blinktui, if any.
    pub player: Option<Player>,
    /// How clips are watched, from one clip of a review to the next (speed, full screen).
    pub viewing: player::Viewing,
    /// The time of the last update, for what depends on it in `update` (filters by age).
    pub now: Timestamp,
    /// Bumped each time everything in flight is cancelled (the session ended, quit): results
    /// of work started before carry an older one and are dropped.
    pub generation: u64,
    next_run_id: RunId,
    next_player_id: PlayerId,
}

impl AppState {
    pub fn new(options: UiOptions, keymap: Keymap, screen: Screen, size: (u16, u16)) -> Self {
        Self {
            screen,
            view: View::default(),
            data: DataStore::default(),
            runs: Vec::new(),
            images: ImageStore::default(),
            toasts: Toasts::default(),
            session: Session::default(),
            size,
            options,
            keymap,
            remote: Remote::default(),
            spinner: 0,
            event_clocks: Default::default(),
            quit: false,
            player: None,
            viewing: Default::default(),
            now: Timestamp::UNIX_EPOCH,
            generation: 0,
            next_run_id: 1,
            next_player_id: 1,
        }
    }

    pub fn list(&self, pane: Pane) -> &ListView {
        self.view.list(pane)
    }

    pub fn list_mut(&mut self, pane: Pane) -> &mut ListView {
        &mut self.view.lists[pane as usize]
    }

    pub fn selected_network(&self) -> Option<&crate::summary::NetworkSummary> {
        self.data.networks.get(self.list(Pane::Networks).selected_index()?)
    }

    pub fn selected_camera(&self) -> Option<&crate::summary::CameraSummary> {
        self.data.cameras.get(self.list(Pane::Cameras).selected_index()?)
    }

    pub fn selected_program(&self) -> Option<&data::ProgramRow> {
        self.data.programs.get(self.list(Pane::Programs).selected_index()?)
    }

    pub fn selected_event(&self) -> Option<&crate::api::models::MediaItem> {
        self.data.events.get(self.list(Pane::Events).selected_index()?)
    }

    /// Runs still going, for spinners and the status line.
    pub fn runs_in_flight(&self) -> impl Iterator<Item = &CommandRun> {
        self.runs.iter()
    }

    pub fn run_for(&self, target: command_run::Target) -> Option<&CommandRun> {
        command_run::run_on(&self.runs, target)
    }

    /// The screen's layout now (which depends on the size, the focus and the lists' lengths).
    pub fn layout(&self) -> Result<crate::app::layout::MainLayout, crate::app::layout::TooSmall> {
        crate::app::layout::main_layout(
            self.area(),
            self.layout_focus(),
            self.counts(),
            self.options.pictures,
        )
    }

    /// Where the grid's tiles go, while the events show as a grid on the main screen: the
    /// focused events pane takes the whole body then.
    pub fn grid_layout(&self) -> Option<grid::GridLayout> {
        let shown = self.view.grid.is_some()
            && self.view.focus == Pane::Events
            && self.view.details.is_none()
            && matches!(self.screen, Screen::Main)
            && !(self.player.is_some() && self.viewing.full_screen);
        shown.then(|| self.layout().ok()).flatten().map(|layout| grid::GridLayout::new(layout.body))
    }

    /// The pane the layout favours: the focused one, except with the mouse on, where panes keep
    /// their size so a click never moves what is under the pointer.
    pub fn layout_focus(&self) -> Option<Pane> {
        (!self.options.mouse).then_some(self.view.focus)
    }

    /// A time of this machine's clock, for messages: `14:03:07`.
    pub fn clock_time(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.session.zone.clone()).strftime("%H:%M:%S").to_string()
    }

    /// The time zone a network's times are shown in: its own, else this machine's.
    pub fn zone_of(&self, network: u64) -> &TimeZone {
        self.data.zone_of(network, &self.session.zone)
    }

    /// An event's time as its row shows it: made when it arrived, or now if it was not.
    pub fn event_clock(
        &self,
        event: &crate::api::models::MediaItem,
    ) -> std::borrow::Cow<'_, clocks::EventClock> {
        self.event_clocks.clock(event, self.zone_of(event.network_id), &self.session.zone)
    }

    /// The zone's abbreviation (`EST`) when a network's clock differs from this machine's at
    /// `at`, so a time is never read in the wrong zone.
    pub fn zone_label(&self, network: u64, at: Timestamp) -> Option<String> {
        let zone = self.zone_of(network);
        (zone.to_offset(at) != self.session.zone.to_offset(at))
            .then(|| at.to_zoned_datetime(zone.clone()).strftime("%Z").to_string())
    }

    /// A time in a network's zone, labelled when that differs from this machine's.
    pub fn network_time(&self, network: u64, at: Timestamp, format: &str) -> String {
        self.data.network_time(network, at, &self.session.zone, format)
    }

    /// Where a run stands, in words: "waiting for Home", "camera working".
    pub fn run_status(&self, run: &CommandRun) -> String {
        run.status(&self.runs, &self.data)
    }

    /// Whether `w` would do something: marked events, or an unwatched cloud event selected (a
    /// USB stick's clip has no watched state, and Blink cannot mark an event unwatched again).
    pub fn mark_watched_applies(&self) -> bool {
        !self.view.marked.is_empty()
            || self
                .selected_event()
                .is_some_and(|event| !event.watched && self.data.usb_clip(event.id).is_none())
    }

    /// Something on screen moves: the spinner clock must tick.
    pub fn animating(&self) -> bool {
        let loading = self.remote.loading.home.in_flight
            || self.remote.loading.events.in_flight
            || self.remote.loading.older.in_flight
            || self.remote.loading.programs.in_flight;
        let login_busy = matches!(&self.screen, Screen::Login(login) if login.busy);
        self.runs_in_flight().next().is_some() || loading || login_busy || self.images.busy()
    }

    fn take_run_id(&mut self) -> RunId {
        let id = self.next_run_id;
        self.next_run_id += 1;
        id
    }

    fn take_player_id(&mut self) -> PlayerId {
        let id = self.next_player_id;
        self.next_player_id += 1;
        id
    }
}
