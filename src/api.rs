//! The Blink cloud client: login (OAuth 2.0 + PKCE, 2FA), token refresh, and every endpoint
//! blinktui uses, with typed models shared with the simulator.

mod account;
pub mod body;
mod cameras;
mod client;
mod commands;
pub mod device;
mod download;
pub mod endpoints;
pub mod error;
mod http;
pub mod immi;
pub mod liveview;
mod media;
pub mod models;
pub mod oauth;
mod options;
pub mod pkce;
mod programs;
mod redirect;
pub mod session;
mod snapshot;
mod system;
pub mod tokens;

pub use body::{BodyKind, BodyLimits, BodySink, MemorySink};
pub use cameras::DeviceConfig;
pub use client::BlinkClient;
pub use commands::{CommandRef, Started};
pub use device::{DeviceKind, DeviceRef};
pub use download::MediaKind;
pub use endpoints::Endpoints;
pub use error::{ApiError, LoginFailure};
pub use http::RetryPolicy;
pub use liveview::Liveview;
pub use media::{BatchError, DEFAULT_MAX_PAGES, MAX_IDS_PER_REQUEST};
pub use oauth::{LoginFlow, SignInOutcome, TwoFactorPrompt};
pub use options::{ClientOptions, DEFAULT_USER_AGENT};
pub use session::{Session, SessionSaveFailed, SessionStore};
pub use snapshot::Snapshot;
