//! A simulator of Blink's cloud: the OAuth host and the REST host on one loopback port, with a
//! deterministic demo account, asynchronous commands, motion events, real JPEG thumbnails and
//! MP4 clips, and fault injection for tests. It follows the protocol in Blink's terms (paths,
//! methods, status codes, field names) so code that works against it works against Blink.

mod commands;
pub mod demo;
pub mod fault_spec;
pub mod faults;
mod font;
pub mod footage;
mod guard;
pub mod images;
pub mod lenient;
pub mod oauth;
pub mod relay;
pub mod request_log;
mod routes;
pub mod usb;
pub mod video;
pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use commands::Effect;
pub use faults::{Fault, Faults, RequestRecord};
pub use lenient::{Leniency, LenientRule};
pub use oauth::{Credentials, OAuthServer, TwoFactorStyle};
use world::{World, WorldSettings};

/// Mean time between motion events on an armed camera: a few events an hour on a site, as a
/// home sees. Tests that want events sooner set [`SimConfig::motion_interval`] (`sim
/// --motion-every`).
pub const MOTION_INTERVAL: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    pub credentials: Credentials,
    /// `None`: no second factor.
    pub two_factor: Option<TwoFactorStyle>,
    pub token_lifetime: Duration,
    /// How long a command takes from accepted to done.
    pub command_delay: Duration,
    /// Mean time between motion events per armed camera; `None` stops new events.
    pub motion_interval: Option<Duration>,
    /// Events per `media/changed` page.
    pub page_size: usize,
    /// Rules relaxed for clients that break them (`sim --lenient`); none by default.
    pub lenient: Leniency,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            credentials: Credentials {
                email: demo::DEMO_EMAIL.into(),
                password: demo::DEMO_PASSWORD.into(),
                code: demo::DEMO_2FA_CODE.into(),
            },
            two_factor: None,
            token_lifetime: Duration::from_secs(4 * 3600),
            command_delay: Duration::from_secs(3),
            motion_interval: Some(MOTION_INTERVAL),
            page_size: 25,
            lenient: Leniency::default(),
        }
    }
}

impl From<&SimConfig> for WorldSettings {
    fn from(config: &SimConfig) -> Self {
        Self {
            command_delay: config.command_delay,
            motion_interval: config.motion_interval,
            page_size: config.page_size.max(1),
        }
    }
}

/// Shared by every handler. Handlers never hold both locks at once.
pub struct SimState {
    world: Mutex<World>,
    oauth: Mutex<OAuthServer>,
    pub faults: Arc<Faults>,
    addr: SocketAddr,
    /// The live-view relay: its faults, session length and log.
    pub relay: relay::RelayControl,
    relay_addr: SocketAddr,
    /// Rules relaxed for clients that break them.
    pub lenient: Leniency,
    /// Events' clips, made when first asked for.
    pub clips: footage::ClipCache,
}

impl SimState {
    /// The world as it is now (due commands applied, motion generated).
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut world = self.world.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        world.advance(Timestamp::now());
        world
    }

    pub fn oauth(&self) -> MutexGuard<'_, OAuthServer> {
        self.oauth.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn relay_addr(&self) -> SocketAddr {
        self.relay_addr
    }
}

/// The homescreen document the simulator sends for `world`.
pub fn homescreen_of(world: &World) -> crate::api::models::Homescreen {
    routes::build_homescreen(world)
}

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    state: Arc<SimState>,
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Starts on `127.0.0.1:port` (0 picks a free port).
    pub async fn start(config: SimConfig, port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (relay_listener, relay_acceptor) = relay::bind().await?;
        let relay_addr = relay_listener.local_addr()?;
        let settings = WorldSettings::from(&config);
        let state = Arc::new(SimState {
            world: Mutex::new(demo::demo_world(config.seed, settings, Timestamp::now())),
            oauth: Mutex::new(OAuthServer::new(
                config.credentials.clone(),
                config.two_factor,
                config.token_lifetime,
            )),
            faults: Arc::new(Faults::default()),
            addr,
            relay: relay::RelayControl::default(),
            relay_addr,
            lenient: config.lenient,
            clips: footage::ClipCache::default(),
        });
        let app = routes::router(state.clone());
        let shutdown = CancellationToken::new();
        tokio::spawn(relay::serve(relay_listener, relay_acceptor, state.clone(), shutdown.clone()));
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(stop.cancelled_owned());
            if let Err(err) = server.await {
                tracing::error!("simulator stopped: {err}");
            }
        });
        tracing::info!(%addr, "simulator listening");
        Ok(Self { state, shutdown, task: Some(task) })
    }

    /// `http://127.0.0.1:PORT`, the base of both hosts.
    pub fn url(&self) -> String {
        format!("http://{}", self.state.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.state.addr
    }

    pub fn state(&self) -> &Arc<SimState> {
        &self.state
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    pub fn relay(&self) -> &relay::RelayControl {
        &self.state.relay
    }

    /// Runs `f` on the world (brought up to now first).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.state.world())
    }

    pub fn with_oauth<R>(&self, f: impl FnOnce(&mut OAuthServer) -> R) -> R {
        f(&mut self.state.oauth())
    }

    /// Stops accepting requests and waits for the server task.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
