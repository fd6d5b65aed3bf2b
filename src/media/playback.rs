//! Playing frames against the clock. Frames are shown at their presentation times; one that
//! is late, or that arrives while the terminal is still drawing the previous one, is dropped,
//! never queued, so the picture never lags behind the clock. When the terminal cannot keep up,
//! the frames get smaller until it can.
//!
//! The engine runs on its own thread. It knows nothing of terminals: `prepare` turns a picture
//! into whatever the viewer draws, `deliver` hands events over, and the viewer reports back
//! through [`Presentation`] which frame it drew and what that cost.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use image::RgbImage;

use super::MediaError;
use super::clip::{ClipInfo, FrameSource};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    TogglePause,
    /// Pause if playing (the terminal is being handed over).
    Pause,
    /// To a position from the start.
    Seek(Duration),
    /// Forward (positive) or back, in milliseconds.
    SeekBy(i64),
    /// One frame forward (positive) or back, pausing first.
    Step(i32),
    /// The picture area changed (pixels).
    Resize((u32, u32)),
    /// Clip time per unit of wall time (2.0: twice as fast); frames the terminal cannot take
    /// at that pace are dropped, as at any speed.
    Speed(f32),
    Stop,
}

/// With no frame shown for this long, the next one is shown however late: a decoder slower
/// than the clip (a small machine) then shows a few frames a second instead of nothing. The
/// clock is left alone, so a live picture never falls further behind for it.
const STARVED: Duration = Duration::from_millis(500);
/// The smallest frames get, relative to the picture area: over a link of a few Mbit/s, a sixel
/// or kitty frame of the whole area costs seconds.
const MIN_SCALE: f32 = 0.2;
/// What a frame may cost, in frame times, once frames have grown: under what makes them
/// shrink (0.85), so that growing does not undo itself at the next slightly dearer frame.
const GROW_TARGET: f32 = 0.7;
/// At most this much wider in one step.
const GROW_STEP: f32 = 2.0;
/// Frames are not regrown for less than this (each change costs frames measured at no size).
const MIN_GROWTH: f32 = 1.1;
/// Cheap frames in a row before frames grow, in steady play.
const GROW_AFTER: u32 = 10;
/// Where frames start for a terminal across a network: an eighth of the bytes.
const REMOTE_START_SCALE: f32 = 0.35;

/// What the viewer tells the engine about the frames it draws.
#[derive(Debug, Default)]
pub struct Presentation {
    presented: AtomicU64,
    draw_micros: AtomicU64,
    bytes: AtomicU64,
    /// The link to the terminal, when it is what holds frames back: bytes a second (0 when not
    /// limiting) and round trip in microseconds.
    link_rate: AtomicU64,
    link_rtt_micros: AtomicU64,
    /// The terminal is across a network whose speed is not known yet.
    remote: bool,
    /// How much wider than tall a drawn pixel is, when not square (half blocks).
    pixel_aspect: Option<f32>,
}

impl Presentation {
    /// For a terminal across a network: the first frames are small (a whole-screen kitty or
    /// sixel frame costs seconds over a few Mbit/s, before the link is measured) and grow as
    /// soon as they prove cheap.
    pub fn remote() -> Self {
        Self { remote: true, ..Self::default() }
    }

    /// Drawn pixels are `aspect` times as wide as tall (`None`: square): frames are sized so
    /// the picture keeps its proportions on screen.
    pub fn with_pixel_aspect(self, aspect: Option<f32>) -> Self {
        Self { pixel_aspect: aspect, ..self }
    }

    /// Frame `seq` is on screen; drawing it took `took` and wrote `bytes`.
    pub fn record(&self, seq: u64, took: Duration, bytes: u64) {
        self.draw_micros.store(took.as_micros().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
        self.bytes.store(bytes, Ordering::Relaxed);
        self.presented.fetch_max(seq, Ordering::Release);
    }

    /// The link to the terminal holds frames back: it drains `bytes_per_sec`, with a round
    /// trip of `round_trip`; `None` once it does not.
    pub fn record_link(&self, limit: Option<LinkLimit>) {
        let (rate, rtt) = limit.map_or((0, 0), |l| (l.bytes_per_sec, l.round_trip.as_micros() as u64));
        self.link_rate.store(rate, Ordering::Relaxed);
        self.link_rtt_micros.store(rtt, Ordering::Relaxed);
    }

    fn link(&self) -> Option<LinkLimit> {
        let rate = self.link_rate.load(Ordering::Relaxed);
        (rate > 0).then(|| LinkLimit {
            bytes_per_sec: rate,
            round_trip: Duration::from_micros(self.link_rtt_micros.load(Ordering::Relaxed)),
        })
    }

    fn presented(&self) -> u64 {
        self.presented.load(Ordering::Acquire)
    }

    fn draw_time(&self) -> Duration {
        Duration::from_micros(self.draw_micros.load(Ordering::Relaxed))
    }

    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// Figures for the progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    /// Frames shown in the last second.
    pub fps: f32,
    pub dropped: u64,
    pub bytes_per_frame: u64,
    pub draw_time: Duration,
    /// Picture size relative to the area (below 1 when the terminal could not keep up).
    pub scale: f32,
    /// Set when the link to the terminal is what limits the frame rate.
    pub link: Option<LinkLimit>,
}

/// A link to the terminal that cannot carry every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkLimit {
    pub bytes_per_sec: u64,
    pub round_trip: Duration,
}

#[derive(Debug)]
pub enum PlaybackEvent<T> {
    Opened(ClipInfo),
    Frame { seq: u64, pts: Duration, picture: T },
    Playing { position: Duration },
    Paused { position: Duration },
    Ended { position: Duration },
    Stats(Stats),
    Failed(MediaError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Playing,
    Paused,
    Ended,
}

/// Plays `source` until told to stop or the viewer goes away (`deliver` returns false).
pub fn play<T>(
    source: Box<dyn FrameSource>,
    bounds: (u32, u32),
    controls: Receiver<Control>,
    presentation: Arc<Presentation>,
    prepare: impl FnMut(RgbImage) -> Option<T>,
    deliver: impl FnMut(PlaybackEvent<T>) -> bool,
) {
    let info = source.info().clone();
    let remote = presentation.remote;
    let mut engine = Engine {
        interval: info.frame_interval(),
        duration: info.duration,
        source,
        viewer: Viewer { bounds, presentation, prepare, deliver },
        state: State::Playing,
        shown: Duration::ZERO,
        pending: None,
        force: true,
        epoch: 0,
        clock: Clock { origin: Instant::now(), origin_pts: Duration::ZERO, speed: 1.0 },
        sizing: Sizing {
            scale: if remote { REMOTE_START_SCALE } else { 1.0 },
            slow_frames: 0,
            fast_frames: 0,
            rescaled_at: 0,
            growing: remote,
            prepare_time: Duration::ZERO,
        },
        counts: Counts {
            sent: 0,
            dropped: 0,
            recent: VecDeque::new(),
            last_stats: Instant::now(),
            last_shown: Instant::now(),
        },
    };
    if !(engine.viewer.deliver)(PlaybackEvent::Opened(info)) {
        return;
    }
    if let Err(err) = engine.run(&controls) {
        (engine.viewer.deliver)(PlaybackEvent::Failed(err));
    }
}

/// A frame decoded ahead of its time: its picture, and what `prepare` made of it once the
/// viewer was free.
struct Pending<T> {
    pts: Duration,
    image: Option<RgbImage>,
    picture: Option<T>,
}

/// One clip playing: its frames, who they are for, where playback stands, and the parts that
/// pace it (the clock, the frames' size, the counts).
struct Engine<T, P, D> {
    source: Box<dyn FrameSource>,
    interval: Duration,
    duration: Duration,
    viewer: Viewer<P, D>,
    state: State,
    /// Time of the frame on screen.
    shown: Duration,
    /// The next frame, decoded and kept across a pause.
    pending: Option<Pending<T>>,
    /// Show the next frame whatever the clock says (after opening, a seek, a step).
    force: bool,
    /// Counts seeks, pauses and resumes: a wait for a frame's time ends when it changes.
    epoch: u64,
    clock: Clock,
    sizing: Sizing,
    counts: Counts,
}

/// Who the frames are for: the picture area (pixels), what the viewer reports back, how a
/// picture is made for it and how events reach it.
struct Viewer<P, D> {
    bounds: (u32, u32),
    presentation: Arc<Presentation>,
    prepare: P,
    deliver: D,
}

/// Clip time against wall time: `origin_pts` is due at `origin`, and clip time runs `speed`
/// times as fast as wall time from there.
struct Clock {
    origin: Instant,
    origin_pts: Duration,
    speed: f32,
}

impl Clock {
    fn now(&self) -> Duration {
        self.origin_pts + self.origin.elapsed().mul_f32(self.speed)
    }

    /// `pts` is due now.
    fn restart(&mut self, pts: Duration) {
        self.origin = Instant::now();
        self.origin_pts = pts;
    }
}

/// How large frames are made relative to the picture area, and the figures that decide it:
/// what the last frames cost the terminal and its link.
struct Sizing {
    scale: f32,
    slow_frames: u32,
    fast_frames: u32,
    /// The last frame made at the size before the last change: what drawing it cost says
    /// nothing about the new size.
    rescaled_at: u64,
    /// Started small for a remote terminal: grows quickly while frames are cheap.
    growing: bool,
    /// What encoding the last picture for the terminal took.
    prepare_time: Duration,
}

impl Sizing {
    /// Frames are made at `scale` from the one after frame `sent` on.
    fn rescale(&mut self, scale: f32, sent: u64) {
        self.scale = scale;
        self.slow_frames = 0;
        self.fast_frames = 0;
        // The frames sent so far were made at the old size; the one being made now is not.
        self.rescaled_at = sent;
    }
}

/// What was shown and dropped, for the progress line.
struct Counts {
    /// Sequence number of the last frame delivered.
    sent: u64,
    dropped: u64,
    /// When the frames of the last second were shown.
    recent: VecDeque<Instant>,
    last_stats: Instant,
    /// When the last frame went to the viewer.
    last_shown: Instant,
}

impl Counts {
    /// A frame goes to the viewer now: its sequence number.
    fn frame_shown(&mut self) -> u64 {
        self.sent += 1;
        let now = Instant::now();
        self.last_shown = now;
        self.recent.push_back(now);
        while self.recent.front().is_some_and(|at| now.duration_since(*at) > Duration::from_secs(1)) {
            self.recent.pop_front();
        }
        self.sent
    }

    /// Frames over the time they spanned: a one-second window would count 16 for 15 fps.
    fn fps(&self) -> f32 {
        match (self.recent.front(), self.recent.back()) {
            (Some(first), Some(last)) if self.recent.len() > 1 && last > first => {
                (self.recent.len() - 1) as f32 / last.duration_since(*first).as_secs_f32()
            }
            _ => self.recent.len() as f32,
        }
    }
}

/// `Err` only for decoding failures; `Ok(false)` when the viewer is gone or asked to stop.
type Flow = Result<bool, MediaError>;

impl<T, P, D> Engine<T, P, D>
where
    P: FnMut(RgbImage) -> Option<T>,
    D: FnMut(PlaybackEvent<T>) -> bool,
{
    fn run(&mut self, controls: &Receiver<Control>) -> Result<(), MediaError> {
        loop {
            if !self.apply_queued(controls)? {
                return Ok(());
            }
            if self.state != State::Playing {
                match controls.recv() {
                    Ok(control) => {
                        let mut batch = vec![control];
                        batch.extend(controls.try_iter());
                        if !self.apply(batch)? {
                            return Ok(());
                        }
                    }
                    Err(_) => return Ok(()),
                }
                continue;
            }
            if !self.play_next(controls)? {
                return Ok(());
            }
        }
    }

    /// Applies every control waiting, as one: a Stop among them wins at once, and only the
    /// last of several seeks and steps decodes and shows a frame (holding an arrow key does
    /// not queue seconds of decoding).
    fn apply_queued(&mut self, controls: &Receiver<Control>) -> Flow {
        let waiting: Vec<Control> = controls.try_iter().collect();
        if waiting.is_empty() {
            return Ok(true);
        }
        self.apply(waiting)
    }

    fn apply(&mut self, batch: Vec<Control>) -> Flow {
        if batch.contains(&Control::Stop) {
            return Ok(false);
        }
        let last_move =
            batch.iter().rposition(|c| matches!(c, Control::Seek(_) | Control::SeekBy(_) | Control::Step(_)));
        for (n, control) in batch.into_iter().enumerate() {
            if !self.handle(control, last_move.is_none_or(|last| n == last))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn size(&self) -> (u32, u32) {
        let (w, h) = self.viewer.bounds;
        (
            (w as f32 * self.sizing.scale).round().max(1.0) as u32,
            (h as f32 * self.sizing.scale).round().max(1.0) as u32,
        )
    }

    fn fit(&self) -> (u32, u32) {
        let info = self.source.info();
        let aspect = self.viewer.presentation.pixel_aspect.unwrap_or(1.0);
        super::scale::fit_drawn(info.width, info.height, self.size(), aspect)
    }

    /// A frame's worth of wall time, in clip time: how late a frame may be, and how far behind
    /// decoding may fall, before frames are dropped (faster play drops more, never shows late).
    fn slack(&self) -> Duration {
        self.interval.mul_f32(self.clock.speed.max(1.0))
    }

    fn ui_busy(&self) -> bool {
        self.viewer.presentation.presented() < self.counts.sent
    }

    /// Nothing shown for a while though the viewer is free: the decoder cannot keep up.
    fn starved(&self) -> bool {
        !self.force && !self.ui_busy() && self.counts.last_shown.elapsed() > STARVED
    }

    fn late(&self, pts: Duration) -> bool {
        !self.force && self.clock.now() > pts + self.slack()
    }

    fn prepare(&mut self, image: RgbImage) -> Option<T> {
        let started = Instant::now();
        // An attempt counts as showing: an encoder that keeps failing must not make every
        // frame "starved".
        self.counts.last_shown = started;
        // What the last frames cost decides this one's size, so a frame decoded at the old
        // size is made smaller (a slow link must not carry one more frame too large).
        self.adapt();
        let (width, height) = self.fit();
        let image = if image.width() > width || image.height() > height {
            image::imageops::resize(
                &image,
                width.max(1),
                height.max(1),
                image::imageops::FilterType::Triangle,
            )
        } else {
            image
        };
        let picture = (self.viewer.prepare)(image);
        self.sizing.prepare_time = started.elapsed();
        picture
    }

    /// The next frame, decoded now unless one is kept from before a pause.
    fn next_pending(&mut self) -> Result<Option<Pending<T>>, MediaError> {
        if let Some(pending) = self.pending.take() {
            return Ok(Some(pending));
        }
        // Far behind the clock (the terminal stalled): decode without the picture work.
        let far_behind = !self.force && !self.starved() && self.clock.now() > self.shown + self.slack() * 3;
        let size = (!far_behind).then(|| self.fit());
        Ok(self.source.next_frame(size)?.map(|frame| Pending {
            pts: frame.pts,
            image: frame.image,
            picture: None,
        }))
    }

    /// Waits for the next frame's time and shows it unless it is late or the viewer is still
    /// drawing the previous one.
    fn play_next(&mut self, controls: &Receiver<Control>) -> Flow {
        let Some(mut frame) = self.next_pending()? else {
            self.state = State::Ended;
            self.counts.last_stats = Instant::now() - Duration::from_secs(1);
            if !self.stats() {
                return Ok(false);
            }
            return Ok((self.viewer.deliver)(PlaybackEvent::Ended {
                position: self.shown.max(self.duration),
            }));
        };
        if self.force {
            self.clock.restart(frame.pts);
        }
        // Encode ahead while the viewer is free, so the frame is ready on time; a frame already
        // late is not worth encoding unless nothing has been shown for a while.
        if frame.picture.is_none() && !self.ui_busy() && (!self.late(frame.pts) || self.starved()) {
            frame.picture = frame.image.take().and_then(|image| self.prepare(image));
        }
        loop {
            let now = self.clock.now();
            if now >= frame.pts || self.force {
                break;
            }
            match controls.recv_timeout((frame.pts - now).div_f32(self.clock.speed)) {
                Ok(control) => {
                    let (epoch, state) = (self.epoch, self.state);
                    let mut batch = vec![control];
                    batch.extend(controls.try_iter());
                    let only_pauses =
                        batch.iter().all(|c| matches!(c, Control::Pause | Control::TogglePause));
                    if !self.apply(batch)? {
                        return Ok(false);
                    }
                    if self.epoch != epoch {
                        // Paused: this frame comes first when playing resumes. Anything else
                        // (a seek, a step, a new size) makes it stale.
                        if only_pauses
                            && self.state == State::Paused
                            && state == State::Playing
                            && self.pending.is_none()
                        {
                            self.pending = Some(frame);
                        }
                        return Ok(true);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(false),
            }
        }
        // A picture already encoded is shown even if encoding made it late: dropping it would
        // leave a terminal whose encoding takes longer than a frame with no picture at all.
        let late = frame.picture.is_none() && self.late(frame.pts);
        if !self.force && (late || self.ui_busy()) {
            tracing::trace!(late, busy = self.ui_busy(), pts = ?frame.pts, prepare = ?self.sizing.prepare_time, "frame dropped");
            self.counts.dropped += 1;
            self.shown = frame.pts;
            return Ok(self.stats());
        }
        let picture = match frame.picture {
            Some(picture) => Some(picture),
            None => frame.image.and_then(|image| self.prepare(image)),
        };
        match picture {
            Some(picture) => self.show(frame.pts, picture),
            None => {
                // Decoded without its picture while far behind: skipped, never decoded again.
                self.counts.dropped += 1;
                self.shown = frame.pts;
                Ok(self.stats())
            }
        }
    }

    fn show(&mut self, pts: Duration, picture: T) -> Flow {
        let seq = self.counts.frame_shown();
        self.shown = pts;
        self.force = false;
        Ok((self.viewer.deliver)(PlaybackEvent::Frame { seq, pts, picture }) && self.stats())
    }

    /// Once a second while playing: what the viewer sees in the progress line.
    fn stats(&mut self) -> bool {
        if self.counts.last_stats.elapsed() < Duration::from_secs(1) {
            return true;
        }
        self.counts.last_stats = Instant::now();
        let stats = Stats {
            fps: self.counts.fps(),
            dropped: self.counts.dropped,
            bytes_per_frame: self.viewer.presentation.bytes(),
            draw_time: self.viewer.presentation.draw_time(),
            scale: self.sizing.scale,
            link: self.viewer.presentation.link(),
        };
        (self.viewer.deliver)(PlaybackEvent::Stats(stats))
    }

    /// Smaller frames when drawing or encoding takes most of a frame's time (the two overlap:
    /// the next frame is encoded while this one is drawn); back up when it is easy.
    fn adapt(&mut self) {
        if self.viewer.presentation.presented() <= self.sizing.rescaled_at {
            return;
        }
        let draw = self.viewer.presentation.draw_time().max(self.sizing.prepare_time);
        let budget = self.interval.mul_f32(0.85);
        if draw > budget * 2 && self.sizing.scale > MIN_SCALE {
            // Far over (a slow link to the terminal): straight to the size whose bytes fit a
            // frame's time, by area, rather than a step every few frames for minutes.
            let factor = (budget.as_secs_f32() / draw.as_secs_f32()).sqrt().max(0.3);
            self.sizing.growing = false;
            self.sizing.rescale((self.sizing.scale * factor).max(MIN_SCALE), self.counts.sent);
            tracing::info!(
                scale = self.sizing.scale,
                ?draw,
                "frames cost far more than their time: smaller frames"
            );
            return;
        }
        let room = self.room_to_grow(draw);
        if draw > budget {
            self.sizing.slow_frames += 1;
            self.sizing.fast_frames = 0;
            self.sizing.growing = false;
        } else if room >= MIN_GROWTH {
            self.sizing.fast_frames += 1;
            self.sizing.slow_frames = 0;
        }
        // Started small for a remote terminal, frames grow after a few cheap frames; later,
        // after a second or so of them, so that a link with room again is soon used whole.
        let grow_after = if self.sizing.growing { 4 } else { GROW_AFTER };
        if self.sizing.fast_frames >= grow_after && self.sizing.scale < 1.0 {
            self.sizing.rescale((self.sizing.scale * room).min(1.0), self.counts.sent);
            return;
        }
        if self.sizing.slow_frames >= 3 && self.sizing.scale > MIN_SCALE {
            self.sizing.rescale((self.sizing.scale * 0.8).max(MIN_SCALE), self.counts.sent);
            tracing::info!(scale = self.sizing.scale, ?draw, "the terminal is slow: smaller frames");
        }
    }

    /// How much wider frames may get for a frame that cost `draw`: to the size whose cost
    /// (which grows with the area: bytes over a link, cells to draw) is [`GROW_TARGET`] of a
    /// frame's time, at most [`GROW_STEP`] at once.
    fn room_to_grow(&self, draw: Duration) -> f32 {
        let target = self.interval.mul_f32(GROW_TARGET).as_secs_f32();
        (target / draw.as_secs_f32().max(1e-6)).sqrt().min(GROW_STEP)
    }

    /// Applies a control; `show` is false for a seek or step that a later one in the same batch
    /// replaces. `Ok(false)` means stop.
    fn handle(&mut self, control: Control, show: bool) -> Flow {
        // A new speed keeps the frame being waited for: the wait is measured again.
        if !matches!(control, Control::Stop | Control::Speed(_)) {
            self.epoch += 1;
        }
        match control {
            Control::Stop => return Ok(false),
            Control::Speed(speed) => {
                if self.state == State::Playing && !self.force {
                    // The clock goes on from where it is, at the new pace.
                    let at = self.clock.now();
                    self.clock.restart(at);
                }
                self.clock.speed = if speed.is_finite() { speed.clamp(0.1, 16.0) } else { 1.0 };
            }
            Control::Pause if self.state == State::Playing => return self.toggle_pause(),
            Control::Pause => {}
            Control::TogglePause => return self.toggle_pause(),
            Control::Seek(to) => return self.seek(to, self.state != State::Paused, show),
            Control::SeekBy(millis) => {
                let to = if millis >= 0 {
                    self.shown.saturating_add(Duration::from_millis(millis.unsigned_abs()))
                } else {
                    self.shown.saturating_sub(Duration::from_millis(millis.unsigned_abs()))
                };
                return self.seek(to, self.state != State::Paused, show);
            }
            Control::Step(frames) => {
                if self.state == State::Playing {
                    self.state = State::Paused;
                    if !(self.viewer.deliver)(PlaybackEvent::Paused { position: self.shown }) {
                        return Ok(false);
                    }
                }
                // By frame index, so a gap in the frames' times never traps a step.
                let to = self.source.frame_time(self.shown, frames).unwrap_or(self.shown);
                return self.seek(to, false, show);
            }
            Control::Resize(bounds) => {
                self.viewer.bounds = bounds;
                self.sizing.scale = 1.0;
                self.pending = None;
                match self.state {
                    State::Playing => {}
                    // The frame on screen again, at the new size; an ended clip stays ended.
                    State::Paused => return self.seek(self.shown, false, true),
                    State::Ended => {
                        let ended = self.seek(self.shown, false, true)?;
                        self.state = State::Ended;
                        return Ok(ended);
                    }
                }
            }
        }
        Ok(true)
    }

    fn toggle_pause(&mut self) -> Flow {
        match self.state {
            State::Playing => {
                self.state = State::Paused;
                Ok((self.viewer.deliver)(PlaybackEvent::Paused { position: self.shown }))
            }
            State::Paused => {
                self.state = State::Playing;
                self.clock.restart(self.shown);
                Ok((self.viewer.deliver)(PlaybackEvent::Playing { position: self.shown }))
            }
            State::Ended => self.seek(Duration::ZERO, true, true),
        }
    }

    /// Moves to `to` and, when `show`, shows the frame there; playing goes on from it when
    /// `play`.
    fn seek(&mut self, to: Duration, play: bool, show: bool) -> Flow {
        let to = to.min(self.duration.saturating_sub(self.interval));
        self.source.seek(to)?;
        self.pending = None;
        self.force = true;
        self.state = if play { State::Playing } else { State::Paused };
        if play {
            // The next `play_next` shows the frame at once and restarts the clock from it.
            return Ok((self.viewer.deliver)(PlaybackEvent::Playing { position: to }));
        }
        if !show {
            self.shown = to;
            return Ok(true);
        }
        let size = self.fit();
        match self.source.next_frame(Some(size))? {
            Some(frame) => {
                self.clock.restart(frame.pts);
                let shown = match frame.image.and_then(|image| self.prepare(image)) {
                    Some(picture) => self.show(frame.pts, picture)?,
                    None => true,
                };
                Ok(shown && (self.viewer.deliver)(PlaybackEvent::Paused { position: frame.pts }))
            }
            None => Ok(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::mpsc::{Sender, channel};

    use super::*;
    use crate::media::VideoFrame;

    /// Frames at the given times, decoded instantly; counts the seeks it is asked for.
    struct Synthetic {
        info: ClipInfo,
        times: Vec<Duration>,
        next: usize,
        seeks: Arc<AtomicU64>,
        decode_time: Duration,
    }

    impl Synthetic {
        fn boxed(interval: Duration, count: u32) -> Box<dyn FrameSource> {
            Self::at((0..count).map(|n| interval * n).collect(), interval, Arc::default())
        }

        fn boxed_concrete(interval: Duration, count: u32) -> Box<Self> {
            Self::concrete((0..count).map(|n| interval * n).collect(), interval, Arc::default())
        }

        fn at(times: Vec<Duration>, interval: Duration, seeks: Arc<AtomicU64>) -> Box<dyn FrameSource> {
            Self::concrete(times, interval, seeks)
        }

        fn concrete(times: Vec<Duration>, interval: Duration, seeks: Arc<AtomicU64>) -> Box<Self> {
            let info = ClipInfo {
                duration: times.last().copied().unwrap_or_default() + interval,
                frame_rate: 1.0 / interval.as_secs_f64(),
                width: 16,
                height: 9,
                decoder: "synthetic",
                cut_short: false,
            };
            Box::new(Self { info, times, next: 0, seeks, decode_time: Duration::ZERO })
        }
    }

    impl FrameSource for Synthetic {
        fn info(&self) -> &ClipInfo {
            &self.info
        }

        fn next_frame(&mut self, size: Option<(u32, u32)>) -> Result<Option<VideoFrame>, MediaError> {
            let Some(pts) = self.times.get(self.next).copied() else { return Ok(None) };
            self.next += 1;
            std::thread::sleep(self.decode_time);
            Ok(Some(VideoFrame { pts, image: size.map(|(w, h)| RgbImage::new(w, h)) }))
        }

        fn seek(&mut self, to: Duration) -> Result<(), MediaError> {
            self.seeks.fetch_add(1, Ordering::Relaxed);
            self.next = self.times.iter().position(|t| *t >= to).unwrap_or(self.times.len());
            Ok(())
        }

        fn frame_time(&self, from: Duration, frames: i32) -> Option<Duration> {
            let at = self.times.iter().rposition(|t| *t <= from).unwrap_or(0);
            let index = at.saturating_add_signed(frames as isize).min(self.times.len().checked_sub(1)?);
            Some(self.times[index])
        }
    }

    #[derive(Debug, PartialEq)]
    enum Seen {
        Frame(Duration),
        Playing,
        Paused(Duration),
        Ended,
        Scale(f32),
        Other,
    }

    /// Plays on a thread; `present` decides what the viewer does with each frame's sequence.
    #[allow(clippy::type_complexity)]
    fn start(
        source: Box<dyn FrameSource>,
        present: impl Fn(&Arc<Presentation>, u64) + Send + 'static,
    ) -> (Sender<Control>, Receiver<(Instant, Seen)>, std::thread::JoinHandle<()>) {
        start_encoding_for(source, Duration::ZERO, present)
    }

    /// As [`start`], with each picture taking `encode` to prepare for the terminal.
    #[allow(clippy::type_complexity)]
    fn start_encoding_for(
        source: Box<dyn FrameSource>,
        encode: Duration,
        present: impl Fn(&Arc<Presentation>, u64) + Send + 'static,
    ) -> (Sender<Control>, Receiver<(Instant, Seen)>, std::thread::JoinHandle<()>) {
        let (control_tx, control_rx) = channel();
        let (event_tx, event_rx) = channel();
        let presentation = Arc::new(Presentation::default());
        let viewer = presentation.clone();
        let handle = std::thread::spawn(move || {
            play(
                source,
                (160, 90),
                control_rx,
                presentation,
                |image| {
                    std::thread::sleep(encode);
                    Some(image.dimensions())
                },
                |event| {
                    let seen = match event {
                        PlaybackEvent::Frame { seq, pts, .. } => {
                            present(&viewer, seq);
                            Seen::Frame(pts)
                        }
                        PlaybackEvent::Playing { .. } => Seen::Playing,
                        PlaybackEvent::Paused { position } => Seen::Paused(position),
                        PlaybackEvent::Ended { .. } => Seen::Ended,
                        PlaybackEvent::Stats(stats) => Seen::Scale(stats.scale),
                        _ => Seen::Other,
                    };
                    event_tx.send((Instant::now(), seen)).is_ok()
                },
            );
        });
        (control_tx, event_rx, handle)
    }

    /// Every event up to the end of the clip; then the engine is let go.
    fn until_ended(
        controls: Sender<Control>,
        events: &Receiver<(Instant, Seen)>,
        handle: std::thread::JoinHandle<()>,
    ) -> Vec<(Instant, Seen)> {
        let mut seen = Vec::new();
        while let Ok(event) = events.recv_timeout(Duration::from_secs(10)) {
            let ended = event.1 == Seen::Ended;
            seen.push(event);
            if ended {
                break;
            }
        }
        drop(controls);
        handle.join().expect("engine");
        seen
    }

    /// The next event `want` accepts, skipping the others.
    fn next_seen(events: &Receiver<(Instant, Seen)>, want: &dyn Fn(&Seen) -> bool) -> Seen {
        loop {
            let (_, seen) = events.recv_timeout(Duration::from_secs(5)).expect("an event");
            if want(&seen) {
                return seen;
            }
        }
    }

    fn frames(events: &[(Instant, Seen)]) -> Vec<Duration> {
        events.iter().filter_map(|(_, e)| if let Seen::Frame(pts) = e { Some(*pts) } else { None }).collect()
    }

    #[test]
    fn a_viewer_that_keeps_up_sees_every_frame_at_its_time() {
        let interval = Duration::from_millis(20);
        let started = Instant::now();
        let (controls, events, handle) = start(Synthetic::boxed(interval, 25), |p, seq| {
            p.record(seq, Duration::from_millis(1), 100);
        });
        let events = until_ended(controls, &events, handle);
        let shown = frames(&events);
        assert!(shown.windows(2).all(|w| w[0] < w[1]), "in order");
        assert!(shown.len() >= 22, "at most a hiccup's worth dropped: {}", shown.len());
        assert_eq!(events.last().map(|(_, e)| e), Some(&Seen::Ended));
        assert!(started.elapsed() >= interval * 24, "paced by the clock, not as fast as decoded");
    }

    #[test]
    fn at_four_times_the_speed_the_clip_ends_four_times_sooner_with_frames_dropped_not_late() {
        let interval = Duration::from_millis(20);
        let started = Instant::now();
        let (controls, events, handle) = start(Synthetic::boxed(interval, 60), |p, seq| {
            p.record(seq, Duration::from_millis(1), 100);
        });
        controls.send(Control::Speed(4.0)).expect("send");
        let events = until_ended(controls, &events, handle);
        let took = started.elapsed();
        // 1.2 s of clip in about 0.3 s.
        assert!(took < interval * 60 / 2, "faster than half the clip's length: {took:?}");
        assert!(took >= interval * 59 / 4, "and no faster than four times: {took:?}");
        let shown: Vec<(Instant, Duration)> = events
            .iter()
            .filter_map(|(at, e)| if let Seen::Frame(pts) = e { Some((*at, *pts)) } else { None })
            .collect();
        assert!(shown.windows(2).all(|w| w[0].1 < w[1].1), "in order");
        // Every frame shown was on the 4x clock (within two frames' wall time and a hiccup).
        let (first_at, first_pts) = shown[0];
        for (at, pts) in &shown[1..] {
            let due = (*pts - first_pts).div_f32(4.0);
            let actual = at.duration_since(first_at);
            assert!(
                actual < due + interval * 2 + Duration::from_millis(30),
                "{pts:?} shown {actual:?}, due {due:?}"
            );
        }
    }

    #[test]
    fn a_new_speed_while_playing_keeps_the_clip_where_it_was() {
        let interval = Duration::from_millis(100);
        let (controls, events, handle) = start(Synthetic::boxed(interval, 40), |p, seq| {
            p.record(seq, Duration::ZERO, 0);
        });
        let wait_for = |want: &dyn Fn(&Seen) -> bool| next_seen(&events, want);
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts == interval * 2));
        controls.send(Control::Speed(0.5)).expect("send");
        assert_eq!(
            wait_for(&|s| matches!(s, Seen::Frame(_))),
            Seen::Frame(interval * 3),
            "no jump, no frame lost"
        );
        let before = Instant::now();
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(interval * 4));
        assert!(before.elapsed() >= interval * 3 / 2, "half speed: a frame every two intervals");
        controls.send(Control::Stop).expect("send");
        handle.join().expect("stops");
    }

    #[test]
    fn frames_are_dropped_not_queued_when_the_viewer_is_stuck() {
        let interval = Duration::from_millis(10);
        let started = Instant::now();
        // This viewer never reports a frame drawn: after the first, everything is dropped.
        let (controls, events, handle) = start(Synthetic::boxed(interval, 30), |_, _| {});
        let events = until_ended(controls, &events, handle);
        assert_eq!(frames(&events), [Duration::ZERO]);
        assert_eq!(events.last().map(|(_, e)| e), Some(&Seen::Ended));
        let took = started.elapsed();
        assert!(took >= interval * 29 && took < interval * 29 + Duration::from_millis(500), "{took:?}");
    }

    #[test]
    fn a_slow_viewer_gets_fewer_frames_and_stays_on_the_clock() {
        let interval = Duration::from_millis(10);
        let started = Instant::now();
        // Drawing takes three frames' time.
        let (controls, events, handle) = start(Synthetic::boxed(interval, 60), move |p, seq| {
            let p = p.clone();
            std::thread::spawn(move || {
                std::thread::sleep(interval * 3);
                p.record(seq, interval * 3, 5_000);
            });
        });
        let shown = frames(&until_ended(controls, &events, handle)).len();
        assert!((8..=35).contains(&shown), "{shown} frames shown of 60");
        assert!(started.elapsed() < interval * 60 + Duration::from_millis(400), "{:?}", started.elapsed());
    }

    #[test]
    fn frames_shrink_when_the_terminal_takes_longer_than_a_frame_to_draw() {
        let interval = Duration::from_millis(20);
        // Every draw takes one and a half frames' time: the engine should ask for smaller ones.
        let (controls, events, handle) = start(Synthetic::boxed(interval, 100), move |p, seq| {
            p.record(seq, interval.mul_f32(1.5), 200_000);
        });
        let seen = until_ended(controls, &events, handle);
        let shown = frames(&seen);
        assert!(!shown.is_empty());
        let scales: Vec<f32> = seen
            .iter()
            .filter_map(|(_, s)| if let Seen::Scale(scale) = s { Some(*scale) } else { None })
            .collect();
        assert!(scales.iter().any(|s| *s < 1.0), "the engine shrank the frames: {scales:?}");
    }

    /// Plays `source` to its end for a viewer that draws each frame as it comes, drawing
    /// frame `seq` of `(width, height)` pixels taking `cost`. The frames shown, as (seq, width).
    fn widths_shown(
        source: Box<dyn FrameSource>,
        presentation: Presentation,
        cost: impl Fn(u64, (u32, u32)) -> Duration + Send + 'static,
    ) -> Vec<(u64, u32)> {
        let (controls, control_rx) = channel::<Control>();
        let presentation = Arc::new(presentation);
        let viewer = presentation.clone();
        let handle = std::thread::spawn(move || {
            let mut shown = Vec::new();
            play(
                source,
                (160, 90),
                control_rx,
                presentation,
                |image| Some(image.dimensions()),
                |event| match event {
                    PlaybackEvent::Frame { seq, picture, .. } => {
                        viewer.record(seq, cost(seq, picture), 100);
                        shown.push((seq, picture.0));
                        true
                    }
                    // The viewer goes away at the end, which ends the engine.
                    PlaybackEvent::Ended { .. } => false,
                    _ => true,
                },
            );
            shown
        });
        let shown = handle.join().expect("the engine ends with the clip");
        drop(controls);
        shown
    }

    #[test]
    fn a_remote_terminal_starts_with_small_frames_that_grow_while_cheap() {
        let interval = Duration::from_millis(10);
        let shown =
            widths_shown(Synthetic::boxed(interval, 80), Presentation::remote(), |_, _| Duration::ZERO);
        let widths: Vec<u32> = shown.iter().map(|(_, width)| *width).collect();
        assert!(widths.first().is_some_and(|w| *w <= 56), "the first frame is small: {widths:?}");
        assert_eq!(widths.last(), Some(&160), "cheap frames grew to the whole area: {widths:?}");
    }

    /// A link that was slow (frames made small) and then has room: frames cost what their
    /// area costs, a whole one 0.6 of a frame's time; they must grow back to the whole area
    /// within a couple of seconds at 15 fps, not stay at the size the slow link left.
    #[test]
    fn frames_made_small_by_a_slow_link_grow_back_once_it_has_room() {
        let interval = Duration::from_millis(10);
        let widths = widths_shown(
            Synthetic::boxed(interval, 200),
            Presentation::default(),
            move |seq, (width, height)| {
                let area = (width * height) as f32 / (160.0 * 90.0);
                // The first 20 frames: a whole frame costs four frames' time.
                let whole = if seq <= 20 { 4.0 } else { 0.6 };
                interval.mul_f32(whole * area)
            },
        );
        assert!(
            widths.iter().any(|(seq, w)| *seq <= 25 && *w < 100),
            "the slow link shrank frames: {widths:?}"
        );
        let whole_again = widths.iter().find(|(seq, w)| *seq > 20 && *w == 160).map(|(seq, _)| *seq);
        assert!(
            whole_again.is_some_and(|seq| seq <= 20 + 40),
            "back to the whole area within 40 frames: {widths:?}"
        );
        assert!(widths.iter().rev().take(10).all(|(_, w)| *w == 160), "and it stays there: {widths:?}");
    }

    #[test]
    fn pictures_keep_coming_when_encoding_takes_longer_than_a_frame() {
        let interval = Duration::from_millis(10);
        // Encoding a picture takes two and a half frames' time (sixel of a large area in a slow
        // build): each picture is late once encoded, and must be shown anyway, smaller.
        let (controls, events, handle) =
            start_encoding_for(Synthetic::boxed(interval, 150), interval.mul_f32(2.5), |p, seq| {
                p.record(seq, Duration::ZERO, 100)
            });
        let seen = until_ended(controls, &events, handle);
        let shown = frames(&seen);
        assert!(shown.len() >= 15, "a picture every few frames, not only the first: {shown:?}");
        assert!(shown.windows(2).all(|w| w[0] < w[1]), "in order");
        let scales: Vec<f32> = seen
            .iter()
            .filter_map(|(_, s)| if let Seen::Scale(scale) = s { Some(*scale) } else { None })
            .collect();
        assert!(scales.iter().any(|s| *s < 1.0), "slow encoding asks for smaller frames: {scales:?}");
    }

    #[test]
    fn a_decoder_slower_than_the_clip_still_shows_frames() {
        let interval = Duration::from_millis(10);
        // Each frame takes a frame and a half to decode: every frame is late when it is ready.
        let source = Box::new(Synthetic {
            decode_time: interval.mul_f32(1.5),
            ..*Synthetic::boxed_concrete(interval, 200)
        });
        let (controls, events, handle) = start(source, |p, seq| p.record(seq, Duration::ZERO, 100));
        let shown = frames(&until_ended(controls, &events, handle));
        // 200 frames decode in 3 s: at least one shown per half second, not only the first.
        assert!(shown.len() >= 4, "{shown:?}");
        assert!(shown.windows(2).all(|w| w[0] < w[1]), "in order");
    }

    #[test]
    fn a_frame_decoded_while_the_terminal_draws_is_never_decoded_again() {
        let interval = Duration::from_millis(30);
        let seeks = Arc::new(AtomicU64::new(0));
        let source = Synthetic::at((0..40).map(|n| interval * n).collect(), interval, seeks.clone());
        // The terminal takes a third of a frame's time to draw each frame.
        let (controls, events, handle) = start(source, move |p, seq| {
            let p = p.clone();
            std::thread::spawn(move || {
                std::thread::sleep(interval / 3);
                p.record(seq, interval / 3, 1_000);
            });
        });
        let shown = frames(&until_ended(controls, &events, handle)).len();
        assert_eq!(seeks.load(Ordering::Relaxed), 0, "playing never seeks");
        assert!(shown >= 35, "a terminal that keeps up gets (nearly) every frame: {shown} of 40");
    }

    #[test]
    fn steps_go_frame_by_frame_across_gaps_in_the_times() {
        let ms = Duration::from_millis;
        // A frame missing between 132 and 264 ms, as in a clip where the camera dropped one.
        let times = vec![ms(0), ms(66), ms(132), ms(264), ms(330)];
        let (controls, events, handle) = start(Synthetic::at(times, ms(66), Arc::default()), |p, seq| {
            p.record(seq, Duration::ZERO, 0);
        });
        let wait_for = |want: &dyn Fn(&Seen) -> bool| next_seen(&events, want);
        controls.send(Control::Seek(ms(264))).expect("send");
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts == ms(264)));
        controls.send(Control::Step(-1)).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(ms(132)), "back over the gap");
        controls.send(Control::Step(1)).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(ms(264)));
        for _ in 0..3 {
            controls.send(Control::Step(-1)).expect("send");
        }
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts == ms(0)));
        controls.send(Control::Stop).expect("send");
        handle.join().expect("stops");
    }

    #[test]
    fn a_pause_keeps_the_next_frame_for_when_playing_resumes() {
        let interval = Duration::from_millis(200);
        let (controls, events, handle) = start(Synthetic::boxed(interval, 10), |p, seq| {
            p.record(seq, Duration::ZERO, 0);
        });
        let wait_for = |want: &dyn Fn(&Seen) -> bool| next_seen(&events, want);
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts == interval));
        controls.send(Control::TogglePause).expect("send");
        wait_for(&|s| matches!(s, Seen::Paused(_)));
        controls.send(Control::TogglePause).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(interval * 2), "no frame lost");
        controls.send(Control::Stop).expect("send");
        handle.join().expect("stops");
    }

    #[test]
    fn a_step_back_while_playing_resumes_from_the_stepped_frame() {
        let interval = Duration::from_millis(200);
        let (controls, events, handle) = start(Synthetic::boxed(interval, 10), |p, seq| {
            p.record(seq, Duration::ZERO, 0);
        });
        let wait_for = |want: &dyn Fn(&Seen) -> bool| next_seen(&events, want);
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts == interval));
        // While the frame at 2 intervals waits for its time: one frame back, then play.
        controls.send(Control::Step(-1)).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(Duration::ZERO));
        controls.send(Control::TogglePause).expect("send");
        let next = wait_for(&|s| matches!(s, Seen::Frame(_)));
        assert_eq!(next, Seen::Frame(interval), "on from the stepped frame, not the one that waited");
        controls.send(Control::Stop).expect("send");
        handle.join().expect("stops");
    }

    #[test]
    fn pause_step_seek_and_stop() {
        let interval = Duration::from_millis(40);
        let (controls, events, handle) = start(Synthetic::boxed(interval, 100), |p, seq| {
            p.record(seq, Duration::ZERO, 0);
        });
        let wait_for = |want: &dyn Fn(&Seen) -> bool| next_seen(&events, want);
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts >= interval * 2));
        controls.send(Control::TogglePause).expect("send");
        let Seen::Paused(at) = wait_for(&|s| matches!(s, Seen::Paused(_))) else { unreachable!() };
        controls.send(Control::Step(1)).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(at + interval));
        controls.send(Control::Step(-1)).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(at));
        controls.send(Control::Seek(Duration::from_millis(2_000))).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Frame(_))), Seen::Frame(Duration::from_millis(2_000)));
        controls.send(Control::TogglePause).expect("send");
        assert_eq!(wait_for(&|s| matches!(s, Seen::Playing)), Seen::Playing);
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts > Duration::from_millis(2_000)));
        controls.send(Control::SeekBy(-1_000)).expect("send");
        wait_for(&|s| matches!(s, Seen::Frame(pts) if *pts <= Duration::from_millis(1_200)));
        controls.send(Control::Stop).expect("send");
        handle.join().expect("stops");
    }
}
