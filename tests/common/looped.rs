//! The real loop (`run_loop`) run headless: a test backend that counts draws and keeps the last
//! screen, a scripted input stream, a signal stream the test fires, and a host that records
//! when the terminal is handed over.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use blinktui::tui::input::Input;
use blinktui::tui::runner::{App, Host, run_loop};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::{UnboundedSender, unbounded};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Size};
use ratatui::style::Modifier;

/// What the loop has drawn so far.
#[derive(Debug, Default)]
pub struct Seen {
    /// Frames drawn (each `Terminal::draw` flushes once).
    pub draws: usize,
    /// Whole-screen clears: a repaint after the terminal was handed over.
    pub clears: usize,
    /// The last frame drawn.
    pub buffer: Buffer,
    /// What the host was asked to do, in order.
    pub host: Vec<String>,
    /// Pacing questions asked of the terminal (a host that answers them), and answered.
    pub questions: usize,
    pub answered: usize,
    /// When each question was asked.
    pub asked_at: Vec<std::time::Instant>,
    /// About the bytes a real terminal would have been sent.
    pub bytes: u64,
}

impl Seen {
    pub fn screen(&self) -> String {
        let width = usize::from(self.buffer.area.width.max(1));
        let symbols: Vec<&str> = self.buffer.content.iter().map(Cell::symbol).collect();
        symbols.chunks(width).map(|row| row.concat()).collect::<Vec<_>>().join("\n")
    }

    /// Whether `text` is drawn somewhere with `modifier` on its first cell.
    pub fn drawn_with(&self, text: &str, modifier: Modifier) -> bool {
        let width = usize::from(self.buffer.area.width.max(1));
        let screen = self.screen();
        screen.lines().enumerate().any(|(y, line)| {
            line.match_indices(text).any(|(at, _)| {
                let x = line[..at].chars().count();
                self.buffer.content[y * width + x].modifier.contains(modifier)
            })
        })
    }
}

pub type Shared = Arc<Mutex<Seen>>;

pub fn seen(shared: &Shared) -> MutexGuard<'_, Seen> {
    shared.lock().expect("seen")
}

/// A `TestBackend` that reports its draws.
pub struct Recorder {
    inner: TestBackend,
    seen: Shared,
}

impl Recorder {
    pub fn new(width: u16, height: u16) -> (Self, Shared) {
        let seen = Shared::default();
        (Self { inner: TestBackend::new(width, height), seen: seen.clone() }, seen)
    }
}

fn infallible<T>(result: Result<T, std::convert::Infallible>) -> std::io::Result<T> {
    result.map_err(|never| match never {})
}

impl Backend for Recorder {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // What a terminal would be sent: each cell's text, and about as much again to move to
        // it and colour it.
        let cells: Vec<_> = content.collect();
        let bytes: usize = cells.iter().map(|(_, _, cell)| cell.symbol().len() + 16).sum();
        seen(&self.seen).bytes += bytes as u64;
        infallible(self.inner.draw(cells.into_iter()))
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        infallible(self.inner.hide_cursor())
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        infallible(self.inner.show_cursor())
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        infallible(self.inner.get_cursor_position())
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        infallible(self.inner.set_cursor_position(position))
    }

    fn clear(&mut self) -> std::io::Result<()> {
        infallible(self.inner.clear())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        if clear_type == ClearType::All {
            seen(&self.seen).clears += 1;
        }
        infallible(self.inner.clear_region(clear_type))
    }

    fn size(&self) -> std::io::Result<Size> {
        infallible(self.inner.size())
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        infallible(self.inner.window_size())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut seen = seen(&self.seen);
        seen.draws += 1;
        seen.buffer = self.inner.buffer().clone();
        infallible(self.inner.flush())
    }
}

/// Records the hand-overs; `check` says what to note about the world at each (e.g. whether
/// the player has run yet).
pub struct FakeHost {
    seen: Shared,
    check: Box<dyn Fn() -> String + Send>,
    answers: bool,
}

impl FakeHost {
    pub fn new(seen: &Shared, check: impl Fn() -> String + Send + 'static) -> Self {
        Self { seen: seen.clone(), check: Box::new(check), answers: false }
    }

    /// A terminal that answers pacing questions (when the test says: [`Driver::answer`]).
    pub fn answering(seen: &Shared) -> Self {
        Self { answers: true, ..Self::new(seen, String::new) }
    }

    fn note(&self, what: &str) {
        let detail = (self.check)();
        seen(&self.seen).host.push(format!("{what}{detail}"));
    }
}

impl Host for FakeHost {
    fn suspend(&mut self) -> std::io::Result<()> {
        self.note("suspend");
        Ok(())
    }

    fn resume(&mut self) -> std::io::Result<()> {
        self.note("resume");
        Ok(())
    }

    fn bell(&mut self) {
        self.note("bell");
    }

    fn stop_process(&mut self) {
        self.note("stop");
    }

    fn answers_queries(&self) -> bool {
        self.answers
    }

    fn ask_drained(&mut self) -> std::io::Result<()> {
        let mut seen = seen(&self.seen);
        seen.questions += 1;
        seen.asked_at.push(std::time::Instant::now());
        seen.bytes += 3;
        Ok(())
    }

    fn bytes_written(&self) -> u64 {
        seen(&self.seen).bytes
    }
}

/// How long a terminal behind a slow link takes to answer a pacing question: long enough that
/// the link measured from the answers cannot take a frame of the test screen within its
/// allowance, however the answers fall.
pub const SLOW_ANSWER: Duration = Duration::from_millis(500);

/// The test's end of the loop's input and signal streams. Dropping it ends the input, which
/// quits the loop.
pub struct Driver {
    pub input: UnboundedSender<std::io::Result<Input>>,
    pub signals: UnboundedSender<()>,
    pub seen: Shared,
}

impl Driver {
    pub fn key(&self, code: KeyCode) {
        self.chord(code, KeyModifiers::NONE);
    }

    pub fn chord(&self, code: KeyCode, modifiers: KeyModifiers) {
        let key = KeyEvent::new(code, modifiers);
        self.input.unbounded_send(Ok(Input::Event(Event::Key(key)))).expect("the loop takes input");
    }

    /// The terminal answers, in order, the pacing questions asked at least `delay` ago.
    pub fn answer_older_than(&self, delay: Duration) {
        let mut seen = self.seen();
        while seen.answered < seen.questions && seen.asked_at[seen.answered].elapsed() >= delay {
            seen.answered += 1;
            self.input.unbounded_send(Ok(Input::Drained)).expect("the loop takes input");
        }
    }

    /// [`Driver::drawn`] with a terminal behind a slow link: each question is answered
    /// [`SLOW_ANSWER`] after it was asked.
    pub async fn drawn_answering(&self, limit: Duration, done: impl Fn(&Seen) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            self.answer_older_than(SLOW_ANSWER);
            if done(&self.seen()) {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Each character as a key press, all queued at once.
    pub fn type_keys(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn seen(&self) -> MutexGuard<'_, Seen> {
        seen(&self.seen)
    }

    /// Waits until nothing has been drawn for `still` (the loop has nothing left to do), or
    /// `limit` passes.
    pub async fn quiet(&self, limit: Duration, still: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let draws = self.seen().draws;
            tokio::time::sleep(still).await;
            if self.seen().draws == draws {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
        }
    }

    /// Waits until what was drawn satisfies `done`, or `limit` passes.
    pub async fn drawn(&self, limit: Duration, done: impl Fn(&Seen) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while !done(&self.seen()) {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

/// Runs `app` in the real loop on a `width`×`height` test terminal while `script` drives it;
/// returns what the loop returned and what it drew. The loop ends when the script ends (its
/// driver is dropped: end of input), or by itself (a signal, a quit key).
pub async fn run_with<F, Fut>(
    app: &mut App,
    size: (u16, u16),
    player: Option<&str>,
    host: impl FnOnce(&Shared) -> FakeHost,
    script: F,
) -> (std::io::Result<()>, Shared)
where
    F: FnOnce(Driver) -> Fut,
    Fut: Future<Output = ()>,
{
    let (backend, shared) = Recorder::new(size.0, size.1);
    let mut terminal = Terminal::new(backend).expect("terminal");
    let (input, input_rx) = unbounded();
    let (signals, signals_rx) = unbounded();
    let mut host = host(&shared);
    let driver = Driver { input, signals, seen: shared.clone() };
    let looped = run_loop(&mut terminal, app, input_rx, signals_rx, &mut host, player);
    let script = script(driver);
    tokio::pin!(looped, script);
    // The loop may end before the script does (a signal, a quit key): the script is dropped.
    let result = tokio::select! {
        result = &mut looped => result,
        () = &mut script => looped.await,
    };
    (result, shared)
}

/// [`run_with`] with a host that notes nothing more and no external player.
pub async fn run<F, Fut>(app: &mut App, size: (u16, u16), script: F) -> (std::io::Result<()>, Shared)
where
    F: FnOnce(Driver) -> Fut,
    Fut: Future<Output = ()>,
{
    run_with(app, size, None, |seen| FakeHost::new(seen, String::new), script).await
}
