//! The real terminal: raw mode and the alternate screen on the way in, everything undone on
//! every way out (normal exit, error, panic, SIGTERM, SIGHUP, Ctrl-Z), and the probe of the
//! terminal (graphics, name, background colour), which must run before the event reader starts.

use std::io::{IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Once};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::GraphicsMode;

mod answers;
mod background;
pub mod input;
pub mod launch;
pub mod pacing;
mod probe;
mod report;
pub mod runner;
mod xtversion;

pub use background::Rgb;
pub use report::info_lines;
pub use runner::Host;

pub type CrosstermTerminal = Terminal<CrosstermBackend<Counted<Stdout>>>;

/// Restores the terminal when dropped, whatever path leaves the UI.
pub struct TerminalGuard {
    mouse: bool,
    written: Arc<AtomicU64>,
    /// Stops the input reader while another program has the terminal.
    reader: input::ReaderSwitch,
    /// The terminal answered the start-up probe, so it answers the pacing question.
    answers: bool,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> std::io::Result<(Self, CrosstermTerminal)> {
        install_panic_hook(mouse);
        enter(mouse)?;
        let written = Arc::new(AtomicU64::new(0));
        let guard =
            Self { mouse, written: written.clone(), reader: input::ReaderSwitch::default(), answers: false };
        let terminal = Terminal::new(CrosstermBackend::new(Counted { inner: std::io::stdout(), written }))?;
        Ok((guard, terminal))
    }
}

/// Counts the bytes written to the terminal: over SSH, bytes are time, and playback adapts
/// to what each frame costs.
pub struct Counted<W> {
    inner: W,
    written: Arc<AtomicU64>,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.written.fetch_add(written as u64, Ordering::Relaxed);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave(self.mouse);
    }
}

impl TerminalGuard {
    /// What the probe found: whether the terminal answers questions.
    pub fn set_answers(&mut self, answers: bool) {
        self.answers = answers;
    }

    /// Terminal input, read from now on (after the probe).
    pub fn input(
        &self,
    ) -> std::io::Result<impl futures::Stream<Item = std::io::Result<input::Input>> + Unpin + use<>> {
        input::terminal_input(self.reader.clone())
    }
}

impl Host for TerminalGuard {
    fn suspend(&mut self) -> std::io::Result<()> {
        self.reader.pause();
        leave(self.mouse);
        Ok(())
    }

    fn resume(&mut self) -> std::io::Result<()> {
        let entered = enter(self.mouse);
        self.reader.resume();
        entered
    }

    fn answers_queries(&self) -> bool {
        self.answers
    }

    fn ask_drained(&mut self) -> std::io::Result<()> {
        const PRIMARY_DEVICE_ATTRIBUTES: &[u8] = b"\x1b[c";
        let mut out = std::io::stdout();
        out.write_all(PRIMARY_DEVICE_ATTRIBUTES)?;
        out.flush()?;
        self.written.fetch_add(PRIMARY_DEVICE_ATTRIBUTES.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    fn bell(&mut self) {
        let mut out = std::io::stdout();
        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
    }

    fn bytes_written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Stops the whole process group, as the terminal's own Ctrl-Z would: a wrapper script that
    /// started blinktui stops with it instead of waiting on a stopped child with the terminal.
    fn stop_process(&mut self) {
        let _ = rustix::process::kill_current_process_group(rustix::process::Signal::TSTP);
    }
}

fn enter(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Best effort: after SIGHUP there may be no terminal left to restore.
fn leave(mouse: bool) {
    if mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
}

fn install_panic_hook(mouse: bool) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The UI runs on the main thread. A panic in a background task is caught by the
            // runtime and reported to the UI as a failed task; the terminal stays as it is.
            if std::thread::current().name() == Some("main") {
                leave(mouse);
            }
            previous(info);
        }));
    });
}

/// What the terminal said about itself at start.
#[derive(Debug, Default)]
pub struct TerminalReport {
    /// `None` means no pictures at all.
    pub picker: Option<Picker>,
    /// Its background colour, when it said.
    pub background: Option<Rgb>,
    /// What it calls itself (XTVERSION; inside tmux, tmux too), as sent: clean before printing.
    pub names: Vec<String>,
    /// Why the graphics protocol it offered is not used.
    pub downgrade: Option<&'static str>,
    /// Whether it was asked at all (only a real terminal is).
    pub asked: bool,
    /// It answered: it answers questions in order, which paces pictures over a slow link.
    pub answers: bool,
    /// How long its first answer took (about the round trip over SSH).
    pub round_trip: Option<std::time::Duration>,
}

impl TerminalReport {
    pub fn light_background(&self) -> Option<bool> {
        self.background.map(Rgb::is_light)
    }
}

/// Asks the terminal what it can draw, what it is and, with `want_background`, its background
/// colour (only on a real terminal, and before the event reader exists, since the answer
/// arrives on stdin). The terminal must be in raw mode.
pub fn probe_terminal(mode: GraphicsMode, want_background: bool) -> TerminalReport {
    let forced = match mode {
        GraphicsMode::None | GraphicsMode::Auto => None,
        GraphicsMode::Kitty => Some(ProtocolType::Kitty),
        GraphicsMode::Sixel => Some(ProtocolType::Sixel),
        GraphicsMode::Iterm2 => Some(ProtocolType::Iterm2),
        GraphicsMode::Halfblocks => Some(ProtocolType::Halfblocks),
    };
    let graphics_asked = mode != GraphicsMode::None && forced != Some(ProtocolType::Halfblocks);
    let asked = std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && (graphics_asked || want_background);
    let probe = if asked { probe::query_terminal() } else { probe::Probe::default() };
    let picker = (mode != GraphicsMode::None).then(|| {
        let mut picker = if asked { probe::picker_for(&probe) } else { Picker::halfblocks() };
        if let Some(protocol) = forced {
            picker.set_protocol_type(protocol);
        }
        tracing::info!(protocol = ?picker.protocol_type(), font = ?picker.font_size(), "graphics");
        picker
    });
    // A forced protocol is the user's word, whatever the terminal said.
    let downgrade = probe.downgrade.filter(|_| forced.is_none());
    TerminalReport {
        picker,
        background: probe.background,
        names: probe.names,
        downgrade,
        asked,
        answers: probe.answers,
        round_trip: probe.round_trip,
    }
}

pub fn protocol_label(picker: Option<&Picker>) -> String {
    match picker.map(Picker::protocol_type) {
        None => "off".into(),
        Some(ProtocolType::Halfblocks) => "halfblocks".into(),
        Some(ProtocolType::Sixel) => "sixel".into(),
        Some(ProtocolType::Kitty) => "kitty".into(),
        Some(ProtocolType::Iterm2) => "iterm2".into(),
    }
}

/// SIGTERM, SIGHUP (a dropped SSH connection), and SIGINT and SIGQUIT sent from outside (in
/// raw mode Ctrl-C is a key, not a signal) as a stream of quit requests: each leaves the
/// terminal restored.
pub fn quit_signals() -> std::io::Result<impl futures::Stream<Item = ()> + Unpin> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut signals = [
        signal(SignalKind::terminate())?,
        signal(SignalKind::hangup())?,
        signal(SignalKind::interrupt())?,
        signal(SignalKind::quit())?,
    ];
    let stream = futures::stream::poll_fn(move |cx| {
        // Every one is polled (no short circuit), so each registers for a wake-up.
        let mut ready = false;
        for signal in &mut signals {
            ready |= signal.poll_recv(cx).is_ready();
        }
        if ready { std::task::Poll::Ready(Some(())) } else { std::task::Poll::Pending }
    });
    Ok(stream.boxed())
}
