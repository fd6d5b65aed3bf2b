//! `blinktui watch`: the headless mode for a home server. Polls Blink politely, prints each new
//! motion event once, archives clips, runs a command per event, and survives outages, token
//! refreshes and restarts without losing or repeating an event.

pub mod archive;
pub mod command;
pub mod exec;
pub mod lock;
pub mod mark;
pub mod pace;
pub mod report;
pub mod run;
pub mod signals;
mod stderr;
pub mod usb;

pub use command::watch;
