//! The effect runtime: runs the effects `app::update` returns (network, disk, decoding, the
//! playback and live-view engines) as tasks that report back with actions. It is the only
//! layer between the app's state and the world; `app` itself does no I/O.

pub mod executor;
pub mod frames;
mod live;
mod playback;
mod usb;

pub use executor::{Executor, Foreground};
