//! Shared set-up for the integration tests: a simulator on 127.0.0.1 and a client tuned for
//! speed (short polls and backoff) but otherwise as users run it.

#![allow(dead_code)]

pub mod disk;
pub mod drive;
pub mod footage;
pub mod looped;

use std::time::Duration;

use blinktui::api::{
    BlinkClient, ClientOptions, Endpoints, LoginFlow, RetryPolicy, Session, SessionStore, SignInOutcome,
};
use blinktui::app::keymap::Keymap;
use blinktui::app::{AppState, Screen, UiOptions};
use blinktui::runtime::Executor;
use blinktui::secret::Secret;
use blinktui::sim::{SimConfig, Simulator, demo};
use blinktui::tui::runner::App;
use ratatui_image::picker::Picker;
use tempfile::TempDir;

pub struct Harness {
    pub sim: Simulator,
    pub dir: TempDir,
    pub store: SessionStore,
    pub options: ClientOptions,
}

/// A world where commands take 150 ms and no new motion happens on its own.
pub fn quiet_config() -> SimConfig {
    SimConfig { command_delay: Duration::from_millis(150), motion_interval: None, ..SimConfig::default() }
}

pub fn options_for(sim: &Simulator) -> ClientOptions {
    ClientOptions {
        endpoints: Endpoints::new(&sim.url(), &sim.url()).expect("loopback endpoints"),
        request_timeout: Duration::from_secs(5),
        media_idle_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(2),
        },
        command_poll_interval: Duration::from_millis(50),
        command_timeout: Duration::from_secs(10),
        command_spacing: Duration::ZERO,
        snapshot_timeout: Duration::from_secs(10),
        snapshot_poll_interval: Duration::from_millis(50),
        ..ClientOptions::default()
    }
}

pub async fn start(config: SimConfig) -> Harness {
    let sim = Simulator::start(config, 0).await.expect("simulator starts");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SessionStore::new(dir.path().join("state"));
    let options = options_for(&sim);
    Harness { sim, dir, store, options }
}

impl Harness {
    /// Logs in with the demo credentials (and code, if asked), saves the session, and
    /// returns a client that persists rotated tokens.
    pub async fn login(&self) -> BlinkClient {
        let session = self.sign_in().await;
        self.store.save(&session).expect("save session");
        BlinkClient::new(self.options.clone(), session, Some(self.store.clone())).expect("client")
    }

    pub async fn sign_in(&self) -> Session {
        let hardware_id = self.store.hardware_id().expect("hardware id");
        let mut flow = LoginFlow::new(&self.options, hardware_id).expect("flow");
        match flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect("sign in") {
            SignInOutcome::LoggedIn(session) => session,
            SignInOutcome::NeedsCode(_) => flow.verify_code(demo::DEMO_2FA_CODE).await.expect("code"),
        }
    }

    /// The app on `screen`, its executor using this harness's options, session store and
    /// directories; `picker` is `None` with pictures off.
    pub fn app(
        &self,
        client: Option<BlinkClient>,
        options: UiOptions,
        screen: Screen,
        picker: Option<Picker>,
    ) -> App {
        let ui = (options, Keymap::default(), screen);
        build_app(client, self.options.clone(), self.store.clone(), self.dir.path(), ui, picker)
    }

    pub fn count(&self, method: &str, pattern: &str) -> usize {
        self.sim.faults().count(method, pattern)
    }
}

/// Polls `check` until it holds or `deadline` passes (no fixed sleeps as synchronisation).
pub async fn eventually(deadline: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

pub mod cli;
pub mod far_terminal;
pub mod pty;
pub mod raw;
pub mod recorder;
pub mod slow_link;

/// The app at 120x36 in UTC with its executor (clips and saves under `dir`): the one way the
/// tests build it.
pub fn build_app(
    client: Option<BlinkClient>,
    client_options: ClientOptions,
    store: SessionStore,
    dir: &std::path::Path,
    (options, keymap, screen): (UiOptions, Keymap, Screen),
    picker: Option<Picker>,
) -> App {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut state = AppState::new(options, keymap, screen, (120, 36));
    state.session.zone = jiff::tz::TimeZone::UTC;
    if let Some(client) = &client {
        state.data.account_id = client.account_id();
        state.session.account = demo::DEMO_EMAIL.into();
    }
    let executor =
        Executor::new(client, client_options, store, picker, tx, dir.join("clips"), dir.join("saved"));
    App::new(state, executor, rx)
}
