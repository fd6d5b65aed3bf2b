//! A program (blinktui, or a wrapper around it) in a 120x36 pseudo-terminal with a home of its
//! own, as the pseudo-terminal tests, the terminal-probe tests and the slow-link harness start
//! it. What reads the output and what answers is theirs.

use std::io::{Read, Write};
use std::num::NonZeroU16;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 36;
pub const COLS: u16 = 120;

pub struct Spawned {
    /// What the program writes to the terminal.
    pub reader: Box<dyn Read + Send>,
    /// Keys (and a terminal's answers) to the program.
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    /// Kept open for the program's lifetime: closing it hangs the terminal up.
    pub master: Box<dyn MasterPty + Send>,
    pub home: tempfile::TempDir,
}

/// Starts `program` with `args`, `config` written to its config file first, an environment of
/// its own (a temporary home, UTC, xterm-256color) plus `env`.
pub fn spawn(program: &str, args: &[&str], config: Option<&str>, env: &[(&str, &str)]) -> Spawned {
    spawn_sized(program, args, config, env, (COLS, ROWS))
}

/// [`spawn`] in a terminal of `size` cells (columns, rows).
pub fn spawn_sized(
    program: &str,
    args: &[&str],
    config: Option<&str>,
    env: &[(&str, &str)],
    size: (u16, u16),
) -> Spawned {
    let pair = native_pty_system()
        .openpty(PtySize { rows: size.1, cols: size.0, pixel_width: 0, pixel_height: 0 })
        .expect("pty");
    let home = tempfile::tempdir().expect("home");
    if let Some(config) = config {
        let dir = home.path().join("config/blinktui");
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.toml"), config).expect("config");
    }
    let mut command = CommandBuilder::new(program);
    command.args(args);
    command.env_clear();
    command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.env("HOME", home.path());
    command.env("XDG_CONFIG_HOME", home.path().join("config"));
    command.env("XDG_STATE_HOME", home.path().join("state"));
    command.env("XDG_CACHE_HOME", home.path().join("cache"));
    command.env("TERM", "xterm-256color");
    command.env("TZ", "UTC");
    for (name, value) in env {
        command.env(name, value);
    }
    let child = pair.slave.spawn_command(command).expect("spawn");
    drop(pair.slave);
    let reader = pair.master.try_clone_reader().expect("reader");
    let writer = pair.master.take_writer().expect("writer");
    Spawned { reader, writer, child, master: pair.master, home }
}

/// A terminal emulator's screen of the pseudo-terminal's size.
pub fn screen() -> vt100::Parser {
    screen_with(())
}

/// [`screen`], with `callbacks` told of what the emulator does not handle itself (queries).
pub fn screen_with<C: vt100::Callbacks>(callbacks: C) -> vt100::Parser<C> {
    let size = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
    vt100::Parser::new_with_callbacks(size(ROWS), size(COLS), 0, callbacks)
}
