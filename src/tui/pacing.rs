//! Pacing pictures by what the terminal has drawn, not by what `write()` took. Over SSH a write
//! returns once the pseudo-terminal, sshd's channel window (1 MiB) and TCP have taken the bytes:
//! seconds of frames can queue between blinktui and the screen, and every key waits behind
//! them. So after a draw that carries a picture (or many bytes) the loop asks the terminal
//! something every terminal answers in order (DA1); an answer means everything written before
//! its question is on screen.
//!
//! From the answers the pacer knows the bytes still on the way, the link's round trip and what
//! it drains a second. A frame counts as shown (and the player may send the next) only once at
//! most [`QUEUE_TIME`] of link is left in front of it: a key is then drawn within a round trip
//! plus that, at any link speed. What a frame costs the link (its bytes over the drain rate)
//! goes to the player, which makes frames smaller when they cost more than their time.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::media::playback::LinkLimit;

/// How much of the link may be queued before a new frame is let through.
pub const QUEUE_TIME: Duration = Duration::from_millis(150);
/// A draw smaller than this (a status line, a list row) needs no question of its own.
pub const ASK_AFTER_BYTES: u64 = 4096;
/// An answer this late means the terminal stopped answering (a terminal swapped under tmux, a
/// query swallowed): pictures are paced by `write()` again rather than frozen.
const GIVE_UP: Duration = Duration::from_secs(10);
/// Round-trip samples kept; the smallest is the link's round trip.
const RTT_SAMPLES: usize = 16;
/// Weight of a new drain-rate sample.
const SMOOTHING: f64 = 0.3;

/// A frame drawn and not yet counted as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameDrawn {
    pub player: u64,
    pub seq: u64,
    pub bytes: u64,
    /// What encoding and writing it took here.
    pub local: Duration,
}

/// A frame the player may count as shown, and what it cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub player: u64,
    pub seq: u64,
    pub bytes: u64,
    pub cost: Duration,
}

#[derive(Debug)]
struct Question {
    /// Bytes written up to and including the question.
    upto: u64,
    asked: Instant,
    /// Bytes asked about before it and not yet answered when it was asked: its span waited
    /// behind them.
    ahead: u64,
}

#[derive(Debug)]
pub struct Pacer {
    enabled: bool,
    questions: VecDeque<Question>,
    /// Bytes the terminal has answered for.
    drained: u64,
    written: u64,
    last_answer: Option<Instant>,
    drain_rate: Option<f64>,
    round_trips: VecDeque<Duration>,
    waiting: Option<FrameDrawn>,
}

impl Pacer {
    /// `answers`: whether the terminal answered the start-up probe; without answers frames are
    /// paced by `write()` alone, as before.
    pub fn new(answers: bool) -> Self {
        Self {
            enabled: answers,
            questions: VecDeque::new(),
            drained: 0,
            written: 0,
            last_answer: None,
            drain_rate: None,
            round_trips: VecDeque::new(),
            waiting: None,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Bytes written and not yet answered for.
    pub fn in_flight(&self) -> u64 {
        self.written.saturating_sub(self.drained)
    }

    /// The link's figures while it holds frames back, for the progress line.
    pub fn limit(&self) -> Option<LinkLimit> {
        if !self.holding_frames() {
            return None;
        }
        Some(LinkLimit { bytes_per_sec: self.drain_rate? as u64, round_trip: self.round_trip()? })
    }

    /// The link's figures, measured or not.
    pub fn measured(&self) -> Option<(f64, Duration)> {
        Some((self.drain_rate?, self.round_trip()?))
    }

    /// True while a frame waits for the link: the link, not the terminal or the machine, is
    /// what limits the frame rate.
    pub fn holding_frames(&self) -> bool {
        self.waiting.is_some()
    }

    fn round_trip(&self) -> Option<Duration> {
        self.round_trips.iter().min().copied()
    }

    /// Bytes the link may hold before the next frame goes: [`QUEUE_TIME`] of it. Until the
    /// drain rate is known, nothing: one frame at a time.
    fn allowance(&self) -> u64 {
        self.drain_rate.map_or(0, |rate| (rate * QUEUE_TIME.as_secs_f64()) as u64)
    }

    /// What a frame of `bytes` costs the link.
    fn cost(&self, bytes: u64, local: Duration) -> Duration {
        let link = self
            .drain_rate
            .map_or(Duration::ZERO, |rate| Duration::from_secs_f64(bytes as f64 / rate.max(1.0)));
        link.max(local)
    }

    /// A draw brought the bytes written to `written_total`, perhaps with a new frame. Returns
    /// whether a question must follow (the caller writes it and reports it with
    /// [`Pacer::asked`]); then [`Pacer::release`] says whether the frame counts as shown yet.
    pub fn drew(&mut self, written_total: u64, frame: Option<FrameDrawn>) -> bool {
        self.written = written_total;
        if let Some(frame) = frame {
            // A newer frame replaces one still waiting: the player sent it, so it counts.
            self.waiting = Some(frame);
        }
        let unasked = written_total.saturating_sub(self.questions.back().map_or(self.drained, |q| q.upto));
        self.enabled && (frame.is_some() || unasked >= ASK_AFTER_BYTES)
    }

    /// Whether to ask before drawing a frame: with nothing on the way, the answers to a question
    /// before the frame and one after it are apart by the time the link took to carry the frame
    /// (its drain rate), and the first is a round trip after its asking.
    pub fn ask_first(&self, frame_coming: bool) -> bool {
        self.enabled && frame_coming && self.questions.is_empty()
    }

    /// The question went out; `written_total` counts it.
    pub fn asked(&mut self, written_total: u64, now: Instant) {
        let ahead = self.questions.back().map_or(0, |q| q.upto.saturating_sub(self.drained));
        self.written = written_total;
        self.questions.push_back(Question { upto: written_total, asked: now, ahead });
    }

    /// The terminal answered the oldest question.
    pub fn answered(&mut self, now: Instant) -> Option<Shown> {
        let question = self.questions.pop_front()?;
        let span = question.upto.saturating_sub(self.drained);
        self.drained = question.upto;
        let waited = now.saturating_duration_since(question.asked);
        let drain = |bytes: u64, rate: f64| Duration::from_secs_f64(bytes as f64 / rate.max(1.0));
        let idle = question.ahead == 0;
        if idle && (span < ASK_AFTER_BYTES || self.drain_rate.is_some()) {
            // Nothing in front of it: the wait is the round trip and its own bytes' drain.
            let own = self.drain_rate.map_or(Duration::ZERO, |rate| drain(span, rate));
            self.round_trips.push_back(waited.saturating_sub(own));
            while self.round_trips.len() > RTT_SAMPLES {
                self.round_trips.pop_front();
            }
        }
        // How long the link took to carry the span: it started once the link had carried what
        // was before it (the previous answer, less its way back) and the span had reached the
        // far end (the asking, plus the way there), so the answer came that much after the
        // later of the previous answer and the asking plus a round trip. Timed from the
        // previous answer alone, a link with room would seem to carry only what was sent in
        // the time between two frames, and frames would shrink for a link that has room.
        let took = match (self.round_trip(), self.last_answer) {
            (Some(rtt), previous) if span >= ASK_AFTER_BYTES => {
                let started =
                    previous.filter(|_| !idle).map_or(question.asked + rtt, |p| p.max(question.asked + rtt));
                Some(now.saturating_duration_since(started))
            }
            (None, Some(previous)) if !idle => Some(now.saturating_duration_since(previous)),
            _ => None,
        };
        if let Some(took) = took.filter(|took| span >= ASK_AFTER_BYTES && *took >= Duration::from_millis(1)) {
            let sample = span as f64 / took.as_secs_f64();
            self.drain_rate = Some(match self.drain_rate {
                Some(rate) => rate + SMOOTHING * (sample - rate),
                None => sample,
            });
        }
        self.last_answer = Some(now);
        self.release()
    }

    /// Bytes of new pictures a draw may add now: what the link may still hold. `None`: no
    /// limit, the terminal does not answer and nothing is paced.
    pub fn room(&self) -> Option<u64> {
        self.enabled.then(|| self.allowance().saturating_sub(self.in_flight()))
    }

    /// More is on the way to the terminal than the link should hold: the next draw waits
    /// for an answer.
    pub fn link_full(&self) -> bool {
        self.enabled && !self.questions.is_empty() && self.in_flight() > self.allowance()
    }

    /// The waiting frame, once the link has room for the next.
    pub fn release(&mut self) -> Option<Shown> {
        if self.link_full() {
            return None;
        }
        let frame = self.waiting.take()?;
        Some(Shown {
            player: frame.player,
            seq: frame.seq,
            bytes: frame.bytes,
            cost: self.cost(frame.bytes, frame.local),
        })
    }

    /// After the terminal was someone else's (Ctrl-Z, the external player): answers may have
    /// gone to the other program. Starts counting again.
    pub fn reset(&mut self) -> Option<Shown> {
        self.questions.clear();
        self.drained = self.written;
        self.last_answer = None;
        self.release()
    }

    /// No answer for [`GIVE_UP`]: the terminal stopped answering. Pacing ends; the waiting
    /// frame counts as shown.
    pub fn check_stalled(&mut self, now: Instant) -> Option<Shown> {
        let oldest = self.questions.front()?;
        let since = self.last_answer.map_or(oldest.asked, |answer| answer.max(oldest.asked));
        if now.saturating_duration_since(since) < GIVE_UP {
            return None;
        }
        tracing::warn!(
            "the terminal stopped answering status queries: pictures are no longer paced by the link"
        );
        self.enabled = false;
        self.questions.clear();
        self.drained = self.written;
        self.release()
    }

    /// When [`Pacer::check_stalled`] should look next.
    pub fn stall_deadline(&self) -> Option<Instant> {
        let oldest = self.questions.front()?;
        Some(self.last_answer.map_or(oldest.asked, |answer| answer.max(oldest.asked)) + GIVE_UP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(seq: u64, bytes: u64) -> FrameDrawn {
        FrameDrawn { player: 1, seq, bytes, local: Duration::from_millis(2) }
    }

    /// A link of `rate` bytes a second and `rtt` round trip between the pacer and a terminal
    /// that answers each question once the link has carried it.
    struct SimulatedLink {
        rate: f64,
        rtt: Duration,
        written: u64,
        free_at: Instant,
        answers: VecDeque<Instant>,
    }

    impl SimulatedLink {
        fn new(rate: f64, rtt: Duration, start: Instant) -> Self {
            Self { rate, rtt, written: 0, free_at: start, answers: VecDeque::new() }
        }

        /// Hands the pacer the answers that arrived by `now`; how many showed a frame.
        fn deliver(&mut self, pacer: &mut Pacer, now: Instant) -> usize {
            let mut shown = 0;
            while self.answers.front().is_some_and(|at| *at <= now) {
                let at = self.answers.pop_front().expect("answer");
                shown += usize::from(pacer.answered(at).is_some());
            }
            shown
        }

        /// Writes `bytes` (a frame, or nothing before a question) and the question after them;
        /// whether the pacer wanted the question asked.
        fn send(&mut self, pacer: &mut Pacer, now: Instant, bytes: u64, frame: Option<FrameDrawn>) -> bool {
            self.written += bytes;
            let ask = frame.is_none() || pacer.drew(self.written, frame);
            self.written += 3;
            pacer.asked(self.written, now);
            // The answer leaves once the link has carried the question, half the round trip
            // each way.
            let carried = Duration::from_secs_f64((bytes + 3) as f64 / self.rate);
            self.free_at = self.free_at.max(now + self.rtt / 2) + carried;
            self.answers.push_back(self.free_at + self.rtt / 2);
            ask
        }

        /// One frame of `bytes` as the runner draws it: a question first when the pacer wants
        /// one, then the frame and its question.
        fn send_frame(&mut self, pacer: &mut Pacer, now: Instant, seq: u64, bytes: u64) -> bool {
            if pacer.ask_first(true) {
                self.send(pacer, now, 0, None);
            }
            self.send(pacer, now, bytes, Some(frame(seq, bytes)))
        }
    }

    #[test]
    fn without_answers_every_frame_counts_at_once() {
        let mut pacer = Pacer::new(false);
        assert!(!pacer.drew(50_000, Some(frame(1, 50_000))));
        assert_eq!(pacer.release().map(|s| s.seq), Some(1));
    }

    #[test]
    fn a_frame_waits_for_its_answer_until_the_link_is_known() {
        let mut pacer = Pacer::new(true);
        let t0 = Instant::now();
        assert!(pacer.drew(30_000, Some(frame(1, 30_000))));
        pacer.asked(30_003, t0);
        assert_eq!(pacer.release(), None, "the first frame waits: nothing is known of the link");
        assert_eq!(pacer.in_flight(), 30_003);
        let shown = pacer.answered(t0 + Duration::from_millis(170)).expect("shown once answered");
        assert_eq!(shown.seq, 1);
        assert_eq!(pacer.in_flight(), 0);
    }

    #[test]
    fn the_link_is_measured_and_frames_queue_at_most_its_allowance() {
        // A simulated link of 250 kB/s (2 Mbit/s) and 50 ms round trip; 25 kB frames every
        // 67 ms, of which the link carries 10 a second.
        let mut pacer = Pacer::new(true);
        let start = Instant::now();
        let mut link = SimulatedLink::new(250_000.0, Duration::from_millis(50), start);
        let mut now = start;
        let mut shown = 0;
        let mut max_in_flight = 0;
        for seq in 1..=150u64 {
            now += Duration::from_millis(67);
            shown += link.deliver(&mut pacer, now);
            // The player sends a frame only once the previous one counts as shown.
            if pacer.holding_frames() {
                continue;
            }
            assert!(link.send_frame(&mut pacer, now, seq, 25_000), "every frame is followed by a question");
            shown += usize::from(pacer.release().is_some());
            max_in_flight = max_in_flight.max(pacer.in_flight());
        }
        let (rate, rtt) = pacer.measured().expect("measured");
        assert!((200_000.0..300_000.0).contains(&rate), "{rate} B/s");
        assert!(rtt >= Duration::from_millis(40) && rtt <= Duration::from_millis(70), "{rtt:?}");
        // At most 150 ms of link (37.5 kB) plus one frame ever queued.
        assert!(max_in_flight <= 37_500 + 25_003 + 3, "{max_in_flight}");
        let seconds = (now - start).as_secs_f64();
        let fps = shown as f64 / seconds;
        assert!((7.0..=10.5).contains(&fps), "{fps} frames a second over a link that carries 10");
    }

    #[test]
    fn a_link_with_room_is_measured_at_its_rate_not_at_what_frames_ask_of_it() {
        // 10 Mbit/s (1.25 MB/s) and 50 ms round trip; 25 kB frames every 67 ms use a third
        // of it, and each question is asked before the previous one is answered.
        let mut pacer = Pacer::new(true);
        let start = Instant::now();
        let mut link = SimulatedLink::new(1_250_000.0, Duration::from_millis(50), start);
        let mut now = start;
        for seq in 1..=60u64 {
            now += Duration::from_millis(67);
            link.deliver(&mut pacer, now);
            link.send_frame(&mut pacer, now, seq, 25_000);
            pacer.release();
        }
        let (measured, _) = pacer.measured().expect("measured");
        assert!((1_000_000.0..1_500_000.0).contains(&measured), "{measured} B/s for a link of 1.25 MB/s");
    }

    #[test]
    fn a_terminal_that_stops_answering_is_paced_by_write_again() {
        let mut pacer = Pacer::new(true);
        let t0 = Instant::now();
        pacer.drew(10_000, Some(frame(1, 10_000)));
        pacer.asked(10_003, t0);
        assert_eq!(pacer.check_stalled(t0 + Duration::from_secs(1)), None);
        let shown = pacer.check_stalled(t0 + GIVE_UP + Duration::from_millis(1)).expect("released");
        assert_eq!(shown.seq, 1);
        assert!(!pacer.enabled());
        assert!(!pacer.drew(20_000, Some(frame(2, 10_000))));
        assert_eq!(pacer.release().map(|s| s.seq), Some(2));
    }

    #[test]
    fn draws_wait_while_the_link_is_full() {
        let mut pacer = Pacer::new(true);
        let t0 = Instant::now();
        assert!(!pacer.link_full());
        pacer.drew(200_000, None);
        pacer.asked(200_003, t0);
        assert!(pacer.link_full(), "a big picture on its way, the link unmeasured");
        pacer.answered(t0 + Duration::from_millis(900));
        assert!(!pacer.link_full());
    }

    #[test]
    fn small_draws_are_asked_about_once_they_add_up() {
        let mut pacer = Pacer::new(true);
        assert!(!pacer.drew(1_000, None));
        assert!(pacer.drew(ASK_AFTER_BYTES + 1_000, None));
    }
}
