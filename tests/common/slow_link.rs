//! blinktui in a pseudo-terminal behind a slow link, as over SSH from outside the home. What
//! blinktui writes goes into a window of 1 MiB (OpenSSH's channel window for a session with a
//! pty); while the window is full nothing more is read, so blinktui's writes block as they do
//! over SSH. The far end takes bytes out of the window at the link's rate and hands them, a
//! one-way delay later, to the far terminal (a vt100 screen), which answers queries in order
//! as it processes them. Answers and keys travel back after the same delay.
//!
//! Everything the far terminal shows is kept with the time and the bytes it had processed, so
//! a test can press a key and learn how long, and how many bytes, it took the screen to show
//! the answer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::far_terminal::{Answers, Draws, Responder};
use super::pty;
use threads::{far_end, fill_window, travel_back};

mod threads;

/// OpenSSH's channel window for a session with a pty.
pub const WINDOW: usize = 1 << 20;
/// How often the far end moves bytes along.
const TICK: Duration = Duration::from_millis(1);
/// What a limited link sends at once after being idle.
const BURST: Duration = Duration::from_millis(5);
/// The most the far terminal processes at once: how finely bytes are matched to what it shows.
const PIECE: usize = 16 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Link {
    /// Bytes a second from blinktui to the terminal; `None` for as fast as it can take them.
    pub rate: Option<u64>,
    /// Each way: the terminal's bytes, and the keys and answers back.
    pub one_way: Duration,
    pub window: usize,
}

impl Link {
    pub fn unlimited(one_way: Duration) -> Self {
        Self { rate: None, one_way, window: WINDOW }
    }

    pub fn limited(bytes_per_second: u64, one_way: Duration) -> Self {
        Self { rate: Some(bytes_per_second), one_way, window: WINDOW }
    }

    /// What the link carries in a round trip (none counted on an unlimited link).
    pub fn round_trip_bytes(&self) -> u64 {
        let rate = self.rate.unwrap_or(0) as f64;
        (rate * 2.0 * self.one_way.as_secs_f64()) as u64
    }
}

/// A moment at the far end: when, and the bytes the terminal had processed by then.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub at: Instant,
    pub bytes: u64,
}

/// From a key pressed at the far end to the screen showing its effect.
#[derive(Debug, Clone, Copy)]
pub struct Reaction {
    pub took: Duration,
    /// What the far terminal processed meanwhile.
    pub bytes: u64,
}

impl Reaction {
    /// "0.06 s (12 KB)": how long it took and what the far terminal processed meanwhile.
    pub fn text(&self) -> String {
        format!("{} ({})", seconds_text(self.took), bytes_text(self.bytes as f64))
    }
}

/// The rows of a link benchmark's table: each of `links` (a name and its bytes a second, none:
/// unlimited) with each protocol, kept when every word given on the command line is part of the
/// row's name (`cargo bench --bench link -- 2mbit sixel`).
pub fn bench_rows(
    links: &[(&'static str, Option<u64>)],
    protocols: &[&'static str],
    one_way: Duration,
) -> Vec<(&'static str, &'static str, Link)> {
    let filters: Vec<String> =
        std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).map(|f| f.to_lowercase()).collect();
    let mut rows = Vec::new();
    for (label, rate) in links {
        for protocol in protocols {
            let row = format!("{label} {protocol}").replace(' ', "").to_lowercase();
            if filters.iter().all(|filter| row.contains(filter)) {
                rows.push((*label, *protocol, Link { rate: *rate, ..Link::unlimited(one_way) }));
            }
        }
    }
    rows
}

/// A duration for the benchmarks' tables: "0.06 s".
pub fn seconds_text(took: Duration) -> String {
    format!("{:.2} s", took.as_secs_f64())
}

/// A byte count for the benchmarks' tables: "1.2 MB", "91 KB", "700 B".
pub fn bytes_text(count: f64) -> String {
    match count {
        1e6.. => format!("{:.1} MB", count / 1e6),
        1e3.. => format!("{:.0} KB", count / 1e3),
        _ => format!("{count:.0} B"),
    }
}

/// What the far terminal showed from `at` on, once it had processed `bytes`.
#[derive(Debug, Clone)]
pub struct Shown {
    pub at: Instant,
    pub bytes: u64,
    pub text: String,
    pub alternate_screen: bool,
}

struct Window {
    chunks: VecDeque<Vec<u8>>,
    len: usize,
    /// The most it ever held: what blinktui queued in front of the link at worst.
    peak: usize,
    /// blinktui's side is gone: nothing more will come.
    closed: bool,
}

struct Far {
    parser: vt100::Parser<Responder>,
    bytes: u64,
    draws: Draws,
    timeline: Vec<Shown>,
    /// When the last byte was processed after blinktui's side closed.
    ended: Option<Mark>,
}

struct Shared {
    window: Mutex<Window>,
    window_changed: Condvar,
    far: Mutex<Far>,
    far_changed: Condvar,
    /// Keys and answers on their way to blinktui, with when they arrive.
    back: Mutex<VecDeque<(Instant, Vec<u8>)>>,
    back_changed: Condvar,
    stop: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub struct SlowLink {
    link: Link,
    shared: Arc<Shared>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl SlowLink {
    /// Starts blinktui with `args` behind `link`, its terminal answering with `answers`.
    pub fn start(link: Link, answers: Answers, args: &[&str]) -> Self {
        Self::start_with_env(link, answers, args, &[])
    }

    /// [`SlowLink::start`] with `env` added to blinktui's environment (a simulator's address).
    pub fn start_with_env(link: Link, answers: Answers, args: &[&str], env: &[(&str, &str)]) -> Self {
        let spawned = pty::spawn(env!("CARGO_BIN_EXE_blinktui"), args, None, env);
        let far = Far {
            parser: pty::screen_with(Responder::new(answers)),
            bytes: 0,
            draws: Draws::default(),
            timeline: Vec::new(),
            ended: None,
        };
        let shared = Arc::new(Shared {
            window: Mutex::new(Window { chunks: VecDeque::new(), len: 0, peak: 0, closed: false }),
            window_changed: Condvar::new(),
            far: Mutex::new(far),
            far_changed: Condvar::new(),
            back: Mutex::new(VecDeque::new()),
            back_changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let (window, far, back) = (shared.clone(), shared.clone(), shared.clone());
        let reader = spawned.reader;
        let writer = spawned.writer;
        std::thread::spawn(move || fill_window(reader, &window, link.window));
        std::thread::spawn(move || far_end(&far, link));
        std::thread::spawn(move || travel_back(writer, &back));
        Self { link, shared, child: spawned.child, _master: spawned.master, _home: spawned.home }
    }

    pub fn link(&self) -> Link {
        self.link
    }

    /// Now, at the far end.
    pub fn mark(&self) -> Mark {
        // Taken under the lock: a screen recorded after this moment has all its bytes after it.
        let far = lock(&self.shared.far);
        Mark { at: Instant::now(), bytes: far.bytes }
    }

    /// Types `keys` at the far terminal; they reach blinktui a one-way delay later.
    pub fn press(&self, keys: &str) -> Mark {
        let mark = self.mark();
        self.send_back(mark.at + self.link.one_way, keys.as_bytes().to_vec());
        mark
    }

    fn send_back(&self, arrives: Instant, bytes: Vec<u8>) {
        lock(&self.shared.back).push_back((arrives, bytes));
        self.shared.back_changed.notify_all();
    }

    /// The first screen after `since` that passes `check`, waiting at most `limit` for it.
    pub fn wait_for(&self, since: Mark, limit: Duration, check: impl Fn(&Shown) -> bool) -> Option<Reaction> {
        let deadline = Instant::now() + limit;
        let mut far = lock(&self.shared.far);
        let mut from = far.timeline.partition_point(|shown| shown.at <= since.at);
        loop {
            if let Some(shown) = far.timeline[from..].iter().find(|shown| check(shown)) {
                return Some(Reaction { took: shown.at - since.at, bytes: shown.bytes - since.bytes });
            }
            from = far.timeline.len();
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            far = self.shared.far_changed.wait_timeout(far, left).map_or_else(|e| e.into_inner().0, |r| r.0);
        }
    }

    /// [`SlowLink::wait_for`] the screen to contain `text`.
    pub fn wait_for_text(&self, since: Mark, limit: Duration, text: &str) -> Option<Reaction> {
        self.wait_for(since, limit, |shown| shown.text.contains(text))
    }

    /// Waits from `since` until the far screen shows the clip playing and then a second more
    /// of it: a second of the link's bytes on a limited link (time to fill its window), the
    /// next second on the clip's clock on an unlimited one.
    pub fn play_a_while(&self, since: Mark, limit: Duration) -> Option<Reaction> {
        let playing = self.wait_for(since, limit, |s| position(&s.text, "▶").is_some())?;
        let at = Mark { at: since.at + playing.took, bytes: since.bytes + playing.bytes };
        // A while of the clip's own clock: paced frames get smaller, so a count of bytes says
        // little about how far the clip got.
        let clock = position(&self.contents(), "▶");
        let more = self.wait_for(at, limit, |s| position(&s.text, "▶") > clock)?;
        Some(Reaction { took: playing.took + more.took, bytes: playing.bytes + more.bytes })
    }

    /// Waits until blinktui is gone and the far terminal has processed all it wrote.
    pub fn wait_gone(&self, since: Mark, limit: Duration) -> Option<Reaction> {
        let deadline = Instant::now() + limit;
        let mut far = lock(&self.shared.far);
        loop {
            if let Some(end) = far.ended {
                assert!(end.at >= since.at, "blinktui was gone before the moment waited from");
                return Some(Reaction { took: end.at - since.at, bytes: end.bytes - since.bytes });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            far = self.shared.far_changed.wait_timeout(far, left).map_or_else(|e| e.into_inner().0, |r| r.0);
        }
    }

    /// Whether blinktui is gone and the far terminal has processed all it wrote.
    pub fn gone(&self) -> bool {
        lock(&self.shared.far).ended.is_some()
    }

    /// blinktui's exit code, once it has exited (within `limit`).
    pub fn exit_code(&mut self, limit: Duration) -> Option<u32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status.exit_code());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// What the far terminal shows now.
    pub fn contents(&self) -> String {
        lock(&self.shared.far).parser.screen().contents()
    }

    /// The bytes the far terminal has processed.
    pub fn bytes(&self) -> u64 {
        lock(&self.shared.far).bytes
    }

    /// The bytes of the largest draw (a clip's frame with what changed around it) so far.
    pub fn largest_draw(&self) -> u64 {
        lock(&self.shared.far).draws.largest
    }

    /// The draws the far terminal has processed.
    pub fn draws(&self) -> u64 {
        lock(&self.shared.far).draws.count
    }

    /// Bytes written by blinktui and not yet taken by the link.
    pub fn in_window(&self) -> usize {
        lock(&self.shared.window).len
    }

    /// The most bytes blinktui ever had waiting in the window for the link.
    pub fn peak_window(&self) -> usize {
        lock(&self.shared.window).peak
    }

    /// Everything the far terminal has shown, in order.
    pub fn timeline<R>(&self, read: impl FnOnce(&[Shown]) -> R) -> R {
        read(&lock(&self.shared.far).timeline)
    }
}

/// The player's progress line: the bottom line with a clock (`▶ 00:03 / 00:20 · 15 fps`); a
/// picture drawn over an earlier one is no text to vt100, so what it covers still reads.
pub fn progress_line(text: &str) -> Option<&str> {
    text.lines().rev().find(|line| line.contains(" / "))
}

/// The clip's clock on the progress line while it shows `mark` (`▶`, `‖`), in seconds.
pub fn position(text: &str, mark: &str) -> Option<u32> {
    let clock = progress_line(text)?.split(&format!("{mark} ")).nth(1)?.get(..5)?;
    let (minutes, seconds) = clock.split_once(':')?;
    Some(minutes.parse::<u32>().ok()? * 60 + seconds.parse::<u32>().ok()?)
}

/// The live clock on the progress line (`● LIVE 00:12 / 05:00`): when the picture on screen
/// arrived, from the start of the stream, in seconds.
pub fn live_clock(text: &str) -> Option<u32> {
    position(text, "● LIVE")
}

/// The frame rate on the progress line (`· 15 fps`).
pub fn fps(text: &str) -> Option<f64> {
    let line = progress_line(text)?;
    line.split(" fps").next()?.rsplit(' ').next()?.parse().ok()
}

impl Drop for SlowLink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = self.child.kill();
        self.shared.window_changed.notify_all();
        self.shared.back_changed.notify_all();
    }
}
