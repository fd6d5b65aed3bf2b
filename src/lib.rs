//! blinktui: watch and control Blink home cameras from a terminal.

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod demo;
pub mod files;
pub mod local_clips;
pub mod logging;
pub mod media;
pub mod output;
pub mod paths;
pub mod runtime;
pub mod sanitize;
pub mod schedule;
pub mod secret;
pub mod sim;
pub mod summary;
pub mod sweep;
pub mod tui;
pub mod ui;
pub mod watch;
pub mod when;
