//! The loop: one biased `select!` over results from tasks, terminal input, signals and a
//! timer that fires only when something is due (the next refresh, a toast fading, or the
//! spinner while something runs). The screen is drawn once the queue is drained, after each
//! wake-up: an idle blinktui wakes once per refresh interval and no more.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures::{Stream, StreamExt};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::input::Input;
use super::pacing::{FrameDrawn, Pacer, Shown};
use crate::app::action::{Action, PlayerFailed};
use crate::app::effect::Effect;
use crate::app::update::{start, update};
use crate::app::{AppState, Screen};
use crate::runtime::{Executor, Foreground};
use crate::ui::grid::TileBudget;

const SPINNER_TICK: Duration = Duration::from_millis(120);
/// Inputs taken in one pass before a draw.
const INPUT_BATCH: usize = 64;

pub struct App {
    pub state: AppState,
    executor: Executor,
    rx: UnboundedReceiver<Action>,
    /// Terminal work asked for while pumped without a loop (tests), for [`App::take_foreground`].
    unattended: Vec<Foreground>,
    /// Paces frames by the terminal's answers; set up by the loop for its host.
    pacer: Pacer,
    /// The last frame a draw put on screen: the draw that presents a frame is its cost, not the
    /// cheaper ones (a toast, the clock) that follow while it stays on screen.
    last_frame: Option<(u64, u64)>,
    /// The grid's thumbnails on screen, and how many new ones the next draw may send.
    tiles: TileBudget,
}

impl App {
    pub fn new(state: AppState, executor: Executor, rx: UnboundedReceiver<Action>) -> Self {
        Self {
            state,
            executor,
            rx,
            unattended: Vec::new(),
            pacer: Pacer::new(false),
            last_frame: None,
            tiles: TileBudget::default(),
        }
    }

    /// The state, once what the executor runs (a playback, a live view) has stopped.
    pub async fn into_state(mut self) -> AppState {
        self.executor.stop_playback().await;
        self.state
    }

    pub fn start(&mut self) -> Vec<Foreground> {
        let effects = start(&mut self.state, Timestamp::now());
        self.execute(effects)
    }

    /// Runs one action through `update` and its effects through the executor.
    pub fn dispatch(&mut self, action: Action) -> Vec<Foreground> {
        let effects = update(&mut self.state, action, Timestamp::now());
        self.execute(effects)
    }

    /// After a draw: tells a playing clip at once which frame is on screen and what drawing
    /// cost (for tests, whose terminal draws instantly).
    pub fn drawn(&mut self, took: Duration, bytes: u64) {
        if let Some(frame) = self.frame_drawn(took, bytes) {
            self.frame_shown(Shown { player: frame.player, seq: frame.seq, bytes, cost: took });
        }
    }

    /// The playing clip's frame the next draw puts on screen, when it is a new one.
    fn frame_coming(&self) -> Option<(u64, u64)> {
        let player = self.state.player.as_ref()?;
        let frame = player.frame.as_ref()?;
        let coming = (player.id, frame.seq);
        (crate::ui::player::frames_visible(&self.state) && self.last_frame != Some(coming)).then_some(coming)
    }

    /// The playing clip's frame that a draw just put on screen, when it is a new one.
    fn frame_drawn(&mut self, took: Duration, bytes: u64) -> Option<FrameDrawn> {
        let (player, seq) = self.frame_coming()?;
        self.last_frame = Some((player, seq));
        Some(FrameDrawn { player, seq, bytes, local: took })
    }

    /// A frame counts as shown: the player may send the next.
    fn frame_shown(&mut self, shown: Shown) {
        self.executor.presented(shown.player, shown.seq, shown.cost, shown.bytes);
    }

    /// Tells the player whether the link holds its frames back (for its progress line).
    fn report_link(&mut self) {
        if let Some(player) = &self.state.player {
            self.executor.link(player.id, self.pacer.limit());
        }
    }

    /// After a draw: asks the terminal when it has drawn it, if it carried a frame or many bytes.
    fn pace<H: Host>(&mut self, host: &mut H, took: Duration, bytes: u64) -> std::io::Result<()> {
        let frame = self.frame_drawn(took, bytes);
        // Thumbnails held back: the answer to a question wakes the loop to send the next.
        let held = self.tiles.held > 0 && self.pacer.enabled();
        if self.pacer.drew(host.bytes_written(), frame) || held {
            host.ask_drained()?;
            self.pacer.asked(host.bytes_written(), std::time::Instant::now());
        }
        if let Some(shown) = self.pacer.release() {
            self.frame_shown(shown);
        }
        self.report_link();
        Ok(())
    }

    /// The terminal answered: what was written before the question is on screen.
    fn answered(&mut self) {
        if let Some(shown) = self.pacer.answered(std::time::Instant::now()) {
            self.frame_shown(shown);
        }
        self.report_link();
    }

    /// The terminal is back from another program: answers may have gone to it.
    fn terminal_back(&mut self) {
        self.tiles.forget();
        if let Some(shown) = self.pacer.reset() {
            self.frame_shown(shown);
        }
    }

    /// Pauses a clip playing here (before the terminal is handed over): its clock would run on
    /// while nothing is drawn.
    pub fn pause_playback(&mut self) {
        if let Some(player) = &self.state.player {
            self.executor.execute(Effect::ControlPlayback {
                player: player.id,
                control: crate::media::playback::Control::Pause,
            });
        }
    }

    /// Runs effects made outside `update` (the first ones of `blinktui play`). Foreground work
    /// is not expected from them and is dropped.
    pub fn run_effects(&mut self, effects: Vec<Effect>) {
        self.execute(effects);
    }

    fn execute(&mut self, effects: Vec<Effect>) -> Vec<Foreground> {
        effects.into_iter().filter_map(|effect| self.executor.execute(effect)).collect()
    }

    /// For tests: feeds results from tasks into `update` until `done` holds or `limit` passes,
    /// as a loop that draws instantly would (each frame of a clip counts as drawn at once).
    pub async fn pump_until(&mut self, limit: Duration, done: impl Fn(&AppState) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        while !done(&self.state) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(action)) => {
                    let jobs = self.dispatch(action);
                    self.unattended.extend(jobs);
                    self.drawn(Duration::ZERO, 0);
                }
                Ok(None) | Err(_) => return done(&self.state),
            }
        }
        true
    }

    /// For tests: the terminal work (bell, external player) asked for while pumped.
    pub fn take_foreground(&mut self) -> Vec<Foreground> {
        std::mem::take(&mut self.unattended)
    }

    /// When the loop must wake next without input, and for what.
    fn next_wake(&self) -> Option<(Instant, Action)> {
        let now = Timestamp::now();
        let tick = self.state.animating().then(|| (Instant::now() + SPINNER_TICK, Action::Tick));
        let refresh = self.state.remote.next_refresh.filter(|_| matches!(self.state.screen, Screen::Main));
        let due = [refresh, self.state.toasts.next_expiry(now)].into_iter().flatten().min();
        let wake = due.map(|at| {
            let wait = Duration::try_from(at - now).unwrap_or(Duration::ZERO);
            (Instant::now() + wait, Action::Wake)
        });
        match (tick, wake) {
            (Some(tick), Some(wake)) => Some(if tick.0 <= wake.0 { tick } else { wake }),
            (tick, wake) => tick.or(wake),
        }
    }
}

/// What the loop needs from the real terminal beyond drawing: suspending for Ctrl-Z or a
/// player, and the bell. Tests use a stand-in.
pub trait Host {
    fn suspend(&mut self) -> std::io::Result<()>;
    fn resume(&mut self) -> std::io::Result<()>;
    fn bell(&mut self);
    /// Stops this process until the shell resumes it (Ctrl-Z).
    fn stop_process(&mut self);
    /// Bytes written to the terminal so far.
    fn bytes_written(&self) -> u64 {
        0
    }
    /// Whether the terminal answers questions in order (it answered the start-up probe): then
    /// pictures are paced by its answers.
    fn answers_queries(&self) -> bool {
        false
    }
    /// Asks the terminal to answer once it has drawn everything written before (DA1); the
    /// answer comes as [`Input::Drained`].
    fn ask_drained(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Drives the app until it quits. `signals` yields when the process is asked to stop
/// (SIGTERM, SIGHUP).
pub async fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: impl Stream<Item = std::io::Result<Input>> + Unpin,
    mut signals: impl Stream<Item = ()> + Unpin,
    host: &mut impl Host,
    player: Option<&str>,
) -> std::io::Result<()>
where
    B::Error: Into<std::io::Error>,
{
    app.pacer = Pacer::new(host.answers_queries());
    let mut pending = app.start();
    loop {
        for job in pending.drain(..) {
            if matches!(job, Foreground::Play(_)) {
                // A clip playing here waits while the terminal is someone else's.
                app.pause_playback();
            }
            if let Some(action) = foreground(job, terminal, host, player)? {
                app.terminal_back();
                app.dispatch(action);
            }
        }
        if app.state.quit {
            return Ok(());
        }
        // Every pass follows something that happened (input, a result, a due timer, a resume
        // after Ctrl-Z) and drained what was waiting, so every pass draws once; an idle loop
        // makes no passes. While the link to the terminal is full, the draw waits for the
        // terminal's answer, which wakes the loop: what is drawn then is the newest state, so
        // moving through pictures on a slow link never queues one picture per key.
        if !app.pacer.link_full() {
            if app.pacer.ask_first(app.frame_coming().is_some()) {
                host.ask_drained()?;
                app.pacer.asked(host.bytes_written(), std::time::Instant::now());
            }
            let now = Timestamp::now();
            let (started, before) = (std::time::Instant::now(), host.bytes_written());
            app.tiles.room = app.pacer.room();
            terminal
                .draw(|frame| crate::ui::draw_paced(frame, &app.state, now, &mut app.tiles))
                .map_err(Into::into)?;
            app.pace(host, started.elapsed(), host.bytes_written().saturating_sub(before))?;
        }
        let wake = app.next_wake();
        let stalled = app.pacer.stall_deadline().map(Instant::from_std);
        let sleeper = async {
            match (&wake, stalled) {
                (Some((at, _)), Some(stall)) => tokio::time::sleep_until((*at).min(stall)).await,
                (Some((at, _)), None) => tokio::time::sleep_until(*at).await,
                (None, Some(stall)) => tokio::time::sleep_until(stall).await,
                (None, None) => std::future::pending().await,
            }
        };
        let action = tokio::select! {
            biased;
            Some(action) = app.rx.recv() => Some(action),
            event = input.next() => match event {
                Some(Ok(input)) => take_input(input, terminal, host, app)?,
                Some(Err(err)) => return Err(err),
                None => Some(Action::Quit),
            },
            Some(()) = signals.next() => Some(Action::Quit),
            () = sleeper => {
                if let Some(shown) = app.pacer.check_stalled(std::time::Instant::now()) {
                    app.frame_shown(shown);
                }
                wake.filter(|(at, _)| *at <= Instant::now()).map(|(_, action)| action)
            }
        };
        if let Some(action) = action {
            pending.extend(app.dispatch(action));
        }
        drain(app, &mut pending, &mut input, terminal, host).await?;
    }
}

/// Takes everything already waiting (results, then keys typed ahead or pasted) before the next
/// draw, so a burst of input costs one frame. Stops for work that needs the terminal, and
/// after [`INPUT_BATCH`] inputs so a flood of keys still shows progress.
async fn drain<B: Backend>(
    app: &mut App,
    pending: &mut Vec<Foreground>,
    input: &mut (impl Stream<Item = std::io::Result<Input>> + Unpin),
    terminal: &mut Terminal<B>,
    host: &mut impl Host,
) -> std::io::Result<()>
where
    B::Error: Into<std::io::Error>,
{
    for _ in 0..INPUT_BATCH {
        while let Ok(action) = app.rx.try_recv() {
            pending.extend(app.dispatch(action));
        }
        if app.state.quit || !pending.is_empty() {
            return Ok(());
        }
        let action = match ready(input).await {
            None => return Ok(()),
            Some(Some(Ok(input))) => take_input(input, terminal, host, app)?,
            Some(Some(Err(err))) => return Err(err),
            Some(None) => Some(Action::Quit),
        };
        if let Some(action) = action {
            pending.extend(app.dispatch(action));
        }
    }
    Ok(())
}

/// The stream's next item if it is there now (`Some(None)`: it ended), without waiting. It is
/// polled with the loop's own waker: a reader that keeps the waker of a pending poll to signal
/// the next event (crossterm's does) must get one that wakes the loop.
async fn ready<S: Stream + Unpin>(stream: &mut S) -> Option<Option<S::Item>> {
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match stream.poll_next_unpin(cx) {
            std::task::Poll::Ready(item) => Some(item),
            std::task::Poll::Pending => None,
        })
    })
    .await
}

/// Terminal input: an answer to the pacing question goes to the pacer, the rest to `translate`.
fn take_input<B: Backend>(
    input: Input,
    terminal: &mut Terminal<B>,
    host: &mut impl Host,
    app: &mut App,
) -> std::io::Result<Option<Action>>
where
    B::Error: Into<std::io::Error>,
{
    match input {
        Input::Event(event) => translate(event, terminal, host, app),
        Input::Drained => {
            app.answered();
            Ok(None)
        }
    }
}

/// Turns terminal input into an action; Ctrl-Z is handled here because it needs the host.
fn translate<B: Backend>(
    event: Event,
    terminal: &mut Terminal<B>,
    host: &mut impl Host,
    app: &mut App,
) -> std::io::Result<Option<Action>>
where
    B::Error: Into<std::io::Error>,
{
    Ok(match event {
        Event::Key(KeyEvent { code: KeyCode::Char('z'), modifiers, kind: KeyEventKind::Press, .. })
            if modifiers.contains(KeyModifiers::CONTROL) =>
        {
            app.pause_playback();
            host.suspend()?;
            host.stop_process();
            host.resume()?;
            repaint(terminal)?;
            app.terminal_back();
            Some(Action::Resumed)
        }
        Event::Key(key) => Some(Action::Key(key)),
        Event::Mouse(mouse) => Some(Action::Mouse(mouse)),
        Event::Resize(width, height) => {
            // The terminal clears the screen on a resize: no picture is on it any more.
            app.tiles.forget();
            Some(Action::Resize(width, height))
        }
        Event::FocusGained | Event::FocusLost | Event::Paste(_) => None,
    })
}

fn foreground<B: Backend>(
    job: Foreground,
    terminal: &mut Terminal<B>,
    host: &mut impl Host,
    player: Option<&str>,
) -> std::io::Result<Option<Action>>
where
    B::Error: Into<std::io::Error>,
{
    match job {
        Foreground::Bell => {
            host.bell();
            Ok(None)
        }
        Foreground::Play(path) => {
            let Some(template) = player else { return Ok(None) };
            host.suspend()?;
            let result = play(template, &path);
            host.resume()?;
            repaint(terminal)?;
            Ok(Some(Action::PlayerDone(result)))
        }
    }
}

/// After the terminal was handed over (Ctrl-Z, the external player): clear it and make the next
/// draw write every cell. `Terminal::clear` would ask the terminal for the cursor position, and
/// the answer goes to the input reader instead, which ends the program after a timeout; so the
/// screen is cleared directly and a blank frame resets what ratatui believes is on screen.
fn repaint<B: Backend>(terminal: &mut Terminal<B>) -> std::io::Result<()>
where
    B::Error: Into<std::io::Error>,
{
    terminal.backend_mut().clear_region(ratatui::backend::ClearType::All).map_err(Into::into)?;
    terminal.draw(|frame| frame.render_widget(ratatui::widgets::Clear, frame.area())).map_err(Into::into)?;
    Ok(())
}

/// Runs the configured player in the foreground with the terminal handed over. The command
/// is split like a shell would but run without one; `{file}` is replaced by the clip's path
/// (appended when absent), so no file name can inject a command.
pub fn play(template: &str, path: &std::path::Path) -> Result<(), PlayerFailed> {
    let mut words = shell_words::split(template)?;
    // Checked before the file is added: an empty command must not run the clip itself.
    if words.is_empty() {
        return Err(PlayerFailed::Empty);
    }
    let file = path.to_string_lossy().into_owned();
    if words.iter().any(|w| w.contains("{file}")) {
        for word in &mut words {
            *word = word.replace("{file}", &file);
        }
    } else {
        words.push(file);
    }
    let Some((program, args)) = words.split_first() else { return Err(PlayerFailed::Empty) };
    let status = std::process::Command::new(program)
        .args(args)
        .status()
        .map_err(|source| PlayerFailed::NotStarted { program: program.clone(), source })?;
    if status.success() { Ok(()) } else { Err(PlayerFailed::Exited { program: program.clone(), status }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_gets_the_file_as_one_argument() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("args");
        let clip = dir.path().join("a clip; rm -rf x.mp4");
        let template = format!("sh -c 'printf %s \"$1\" > {}' sh {{file}}", out.display());
        play(&template, &clip).expect("runs");
        assert_eq!(std::fs::read_to_string(&out).expect("written"), clip.to_string_lossy());
        assert!(matches!(play("", &clip), Err(PlayerFailed::Empty)));
        let exited = play("false", &clip).expect_err("fails");
        assert!(matches!(exited, PlayerFailed::Exited { .. }));
        assert!(exited.to_string().contains("exited"), "{exited}");
    }

    #[test]
    fn a_player_that_cannot_start_is_named() {
        let clip = std::path::Path::new("clip.mp4");
        let missing = play("/nonexistent/player", clip).expect_err("not started");
        assert!(matches!(missing, PlayerFailed::NotStarted { .. }));
        assert!(missing.to_string().starts_with("/nonexistent/player: "), "{missing}");
        assert!(matches!(play("mpv 'unclosed", clip), Err(PlayerFailed::Unreadable(_))));
    }
}
