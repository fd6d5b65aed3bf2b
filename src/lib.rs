//! blinktui: watch and control Blink home cameras from a terminal.

pub mod api;
pub mod secret;
pub mod sim;
