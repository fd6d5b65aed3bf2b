//! The threads behind [`super::SlowLink`]: one fills the window from the pseudo-terminal, one
//! is the link and the far terminal, one carries keys and answers back.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{BURST, Link, Mark, PIECE, Shared, Shown, TICK, lock};

/// Reads what blinktui writes while the window has room.
pub(super) fn fill_window(mut reader: Box<dyn Read + Send>, shared: &Shared, capacity: usize) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let room = {
            let mut window = lock(&shared.window);
            while window.len >= capacity && !shared.stop.load(Ordering::SeqCst) {
                window =
                    shared.window_changed.wait(window).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            capacity - window.len.min(capacity)
        };
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let want = room.min(buffer.len());
        let read = reader.read(&mut buffer[..want]).unwrap_or(0);
        let mut window = lock(&shared.window);
        if read == 0 {
            window.closed = true;
            shared.window_changed.notify_all();
            break;
        }
        window.chunks.push_back(buffer[..read].to_vec());
        window.len += read;
        window.peak = window.peak.max(window.len);
        shared.window_changed.notify_all();
    }
}

/// Takes up to `allowance` bytes out of the window; also says whether it is closed and empty.
fn take(shared: &Shared, allowance: usize) -> (Vec<u8>, bool) {
    let mut window = lock(&shared.window);
    let mut taken = Vec::new();
    while taken.len() < allowance {
        let Some(mut chunk) = window.chunks.pop_front() else { break };
        let want = allowance - taken.len();
        if chunk.len() > want {
            window.chunks.push_front(chunk.split_off(want));
        }
        taken.extend_from_slice(&chunk);
    }
    window.len -= taken.len();
    if !taken.is_empty() {
        shared.window_changed.notify_all();
    }
    (taken, window.closed && window.len == 0)
}

/// The link and the far terminal: bytes leave the window at the link's rate and are processed a
/// one-way delay later.
pub(super) fn far_end(shared: &Shared, link: Link) {
    let mut in_flight: VecDeque<(Instant, Vec<u8>)> = VecDeque::new();
    let mut credit = 0.0f64;
    let mut last = Instant::now();
    while !shared.stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        let allowance = match link.rate {
            None => usize::MAX,
            Some(rate) => {
                let rate = rate as f64;
                credit = (credit + rate * (now - last).as_secs_f64()).min(rate * BURST.as_secs_f64());
                credit as usize
            }
        };
        last = now;
        let (taken, drained) = take(shared, allowance);
        credit -= taken.len() as f64;
        let idle = taken.is_empty();
        if !idle {
            in_flight.push_back((now + link.one_way, taken));
        }
        while in_flight.front().is_some_and(|(arrives, _)| *arrives <= now) {
            if let Some((_, bytes)) = in_flight.pop_front() {
                process(shared, &bytes, link.one_way);
            }
        }
        if drained && in_flight.is_empty() {
            let mut far = lock(&shared.far);
            far.ended = Some(Mark { at: Instant::now(), bytes: far.bytes });
            shared.far_changed.notify_all();
            return;
        }
        if idle && in_flight.is_empty() {
            // Nothing on the way: sleep until blinktui writes.
            let window = lock(&shared.window);
            if window.len == 0 && !window.closed {
                let _ = shared.window_changed.wait_timeout(window, Duration::from_millis(20));
            }
        } else {
            std::thread::sleep(TICK);
        }
    }
}

/// The far terminal processes `bytes`, keeping what it shows after each piece and sending its
/// answers back.
fn process(shared: &Shared, bytes: &[u8], one_way: Duration) {
    for piece in bytes.chunks(PIECE) {
        let mut far = lock(&shared.far);
        far.parser.process(piece);
        far.draws.feed(piece);
        far.bytes += piece.len() as u64;
        let answers = std::mem::take(&mut far.parser.callbacks_mut().out);
        let screen = far.parser.screen();
        let (text, alternate_screen) = (screen.contents(), screen.alternate_screen());
        let changed = far
            .timeline
            .last()
            .is_none_or(|last| last.text != text || last.alternate_screen != alternate_screen);
        if changed {
            let shown = Shown { at: Instant::now(), bytes: far.bytes, text, alternate_screen };
            far.timeline.push(shown);
            shared.far_changed.notify_all();
        }
        drop(far);
        if !answers.is_empty() {
            lock(&shared.back).push_back((Instant::now() + one_way, answers));
            shared.back_changed.notify_all();
        }
    }
}

/// Delivers keys and answers to blinktui when they arrive, in the order they were sent.
pub(super) fn travel_back(mut writer: Box<dyn Write + Send>, shared: &Shared) {
    loop {
        let next = {
            let mut back = lock(&shared.back);
            loop {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                match back.front() {
                    Some((arrives, _)) if *arrives <= Instant::now() => break back.pop_front(),
                    Some((arrives, _)) => {
                        let wait = arrives.saturating_duration_since(Instant::now());
                        back = shared
                            .back_changed
                            .wait_timeout(back, wait)
                            .map_or_else(|e| e.into_inner().0, |r| r.0);
                    }
                    None => {
                        back = shared
                            .back_changed
                            .wait_timeout(back, Duration::from_millis(100))
                            .map_or_else(|e| e.into_inner().0, |r| r.0);
                    }
                }
            }
        };
        if let Some((_, bytes)) = next
            && writer.write_all(&bytes).and_then(|()| writer.flush()).is_err()
        {
            return;
        }
    }
}
