//! Watch's lines on stderr, written by a thread of their own through a bounded queue: a
//! stderr that nobody reads (a pipe into a stalled logger) fills the queue, and further lines
//! are counted and dropped rather than holding up the poll loop. The count is said once
//! stderr takes lines again.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// Lines waiting for stderr, at most.
const QUEUE_LINES: usize = 1024;

struct Queue {
    lines: SyncSender<String>,
    dropped: AtomicU64,
    /// Lines handed over and not yet written (for [`flush`]).
    pending: AtomicU64,
}

static QUEUE: OnceLock<Queue> = OnceLock::new();
/// Serialises direct writes when the writer thread cannot be started.
static DIRECT: Mutex<()> = Mutex::new(());

fn queue() -> &'static Queue {
    QUEUE.get_or_init(|| {
        let (lines, rx) = sync_channel(QUEUE_LINES);
        let queue = Queue { lines, dropped: AtomicU64::new(0), pending: AtomicU64::new(0) };
        if let Err(err) =
            std::thread::Builder::new().name("watch-stderr".into()).spawn(move || write_out(&rx))
        {
            tracing::warn!("stderr is written directly: {err}");
        }
        queue
    })
}

/// Queues `line` (a newline is added) for stderr; never waits.
pub fn line(line: String) {
    let queue = queue();
    queue.pending.fetch_add(1, Ordering::SeqCst);
    match queue.lines.try_send(line) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            queue.pending.fetch_sub(1, Ordering::SeqCst);
            queue.dropped.fetch_add(1, Ordering::Relaxed);
        }
        Err(TrySendError::Disconnected(line)) => {
            queue.pending.fetch_sub(1, Ordering::SeqCst);
            let _one = DIRECT.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}

/// Waits up to `limit` for the queued lines to be written (at the end of watch).
pub fn flush(limit: Duration) {
    let Some(queue) = QUEUE.get() else { return };
    let deadline = Instant::now() + limit;
    while queue.pending.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn write_out(rx: &Receiver<String>) {
    while let Ok(line) = rx.recv() {
        let Some(queue) = QUEUE.get() else { return };
        let mut stderr = std::io::stderr().lock();
        let dropped = queue.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = writeln!(stderr, "blinktui: {dropped} lines were dropped: stderr was not being read");
        }
        // A closed stderr must not stop a watch that is otherwise fine.
        let _ = writeln!(stderr, "{line}");
        drop(stderr);
        queue.pending.fetch_sub(1, Ordering::SeqCst);
    }
}
