//! A clip as a source of frames in presentation order, with seeking: the built-in decoder when
//! it can, `ffmpeg` when it cannot and is installed, and a clear reason otherwise.

use std::path::{Path, PathBuf};
use std::time::Duration;

use image::RgbImage;

use super::MediaError;
use super::decode::H264Decoder;
use super::ffmpeg::{self, FfmpegFrames};
use super::h264::length_prefixed_to_annex_b;
use super::mp4::Mp4Video;
use super::scale::fit;

/// What is known about a clip once it is open.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInfo {
    pub duration: Duration,
    pub frame_rate: f64,
    pub width: u32,
    pub height: u32,
    /// `OpenH264` or `ffmpeg`.
    pub decoder: &'static str,
    /// The file ends before the clip does (a download cut short).
    pub cut_short: bool,
}

/// Frame rates blinktui plays at: below one frame a second a clip is a slideshow paced as one,
/// above 120 it is not from a camera.
pub fn sane_frame_rate(rate: f64) -> f64 {
    if rate.is_finite() { rate.clamp(1.0, 120.0) } else { 15.0 }
}

impl ClipInfo {
    pub fn frame_interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / sane_frame_rate(self.frame_rate))
    }

    /// The largest picture of the clip's proportions inside `bounds` (pixels).
    pub fn fit(&self, bounds: (u32, u32)) -> (u32, u32) {
        fit(self.width, self.height, bounds)
    }
}

/// A decoded frame; `image` is `None` when it was asked for without a picture (to be dropped).
pub struct VideoFrame {
    pub pts: Duration,
    pub image: Option<RgbImage>,
}

pub trait FrameSource: Send {
    fn info(&self) -> &ClipInfo;
    /// The next frame, its picture scaled to `size` (skipped when `None`); `None` at the end.
    fn next_frame(&mut self, size: Option<(u32, u32)>) -> Result<Option<VideoFrame>, MediaError>;
    /// The next frame returned will be the first at or after `to`.
    fn seek(&mut self, to: Duration) -> Result<(), MediaError>;
    /// The time of the frame `frames` away from the one shown at `from` (earlier when
    /// negative), counted in frames rather than time so gaps in the clip do not matter.
    fn frame_time(&self, from: Duration, frames: i32) -> Option<Duration>;
}

/// Opens a clip with the built-in decoder, or through `ffmpeg` (when it is on `PATH`) for what
/// that cannot decode.
pub fn open_clip(path: &Path) -> Result<Box<dyn FrameSource>, MediaError> {
    open_clip_with(path, ffmpeg::find().as_deref())
}

/// [`open_clip`] with the fallback named (`None`: no fallback).
pub fn open_clip_with(path: &Path, ffmpeg: Option<&Path>) -> Result<Box<dyn FrameSource>, MediaError> {
    match (BuiltIn::open(path), ffmpeg) {
        (Ok(source), _) => Ok(Box::new(source)),
        (Err(err), Some(ffmpeg)) if err.ffmpeg_may_help() => {
            tracing::info!("playing through ffmpeg: {err}");
            Ok(Box::new(ThroughFfmpeg::open(ffmpeg.to_owned(), path)?))
        }
        (Err(err), _) => Err(err),
    }
}

/// Frames in a row the decoder may refuse before a clip counts as undecodable (two seconds at
/// 15 fps): a damaged frame or two is skipped, as players do.
const DAMAGED_IN_A_ROW: usize = 30;

/// MP4 demuxing and OpenH264, in this process.
pub struct BuiltIn {
    video: Mp4Video,
    decoder: H264Decoder,
    info: ClipInfo,
    next: usize,
    skip_until: Option<Duration>,
    sample: Vec<u8>,
    annex_b: Vec<u8>,
    /// Frames the decoder refused since the last good one.
    damaged: usize,
}

impl BuiltIn {
    pub fn open(path: &Path) -> Result<Self, MediaError> {
        let video = Mp4Video::open(path)?;
        let info = ClipInfo {
            duration: video.duration,
            frame_rate: sane_frame_rate(video.frame_rate()),
            width: video.facts.width,
            height: video.facts.height,
            decoder: "OpenH264",
            cut_short: video.cut_short,
        };
        let decoder = H264Decoder::new(video.facts.bt709)?;
        let mut source = Self {
            video,
            decoder,
            info,
            next: 0,
            skip_until: None,
            sample: Vec::new(),
            annex_b: Vec::new(),
            damaged: 0,
        };
        source.restart_decoder()?;
        // Decode the first picture now: a stream OpenH264 refuses, or decodes to nothing, is
        // found before playing starts (and goes to ffmpeg when there is one).
        let first = source.next_frame(Some((16, 16)))?;
        if first.and_then(|frame| frame.image).is_none() || source.damaged > 0 {
            return Err(MediaError::Decode("the built-in decoder made no picture of the first frame".into()));
        }
        source.seek(Duration::ZERO)?;
        Ok(source)
    }

    fn restart_decoder(&mut self) -> Result<(), MediaError> {
        self.decoder = H264Decoder::new(self.video.facts.bt709)?;
        self.decoder.decode(&self.video.config.annex_b(), None)?;
        Ok(())
    }
}

impl FrameSource for BuiltIn {
    fn info(&self) -> &ClipInfo {
        &self.info
    }

    fn next_frame(&mut self, size: Option<(u32, u32)>) -> Result<Option<VideoFrame>, MediaError> {
        while self.next < self.video.samples.len() {
            let index = self.next;
            self.next += 1;
            let pts = self.video.samples[index].pts;
            self.video.read_sample(index, &mut self.sample)?;
            self.annex_b.clear();
            length_prefixed_to_annex_b(&self.sample, self.video.config.length_size, &mut self.annex_b)?;
            let skipping = self.skip_until.is_some_and(|until| pts < until);
            let wanted = if skipping { None } else { size };
            let image = match self.decoder.decode(&self.annex_b, wanted) {
                Ok(image) => {
                    self.damaged = 0;
                    image
                }
                // A damaged frame is skipped (the pictures after it may show artefacts until
                // the next key frame); only a run of them ends playback.
                Err(err) if self.damaged < DAMAGED_IN_A_ROW => {
                    self.damaged += 1;
                    tracing::debug!(index, "a frame did not decode: {err}");
                    continue;
                }
                Err(err) => return Err(err),
            };
            if skipping {
                continue;
            }
            self.skip_until = None;
            match (image, wanted) {
                (Some(image), _) => return Ok(Some(VideoFrame { pts, image: Some(image) })),
                (None, None) => return Ok(Some(VideoFrame { pts, image: None })),
                // The decoder produced no picture for this frame: go on to the next.
                (None, Some(_)) => tracing::debug!(index, "no picture for a frame"),
            }
        }
        Ok(None)
    }

    fn frame_time(&self, from: Duration, frames: i32) -> Option<Duration> {
        let samples = &self.video.samples;
        let last = samples.len().checked_sub(1)?;
        let at = samples.iter().rposition(|s| s.pts <= from).unwrap_or(0);
        let index = at.saturating_add_signed(frames as isize).min(last);
        Some(samples[index].pts)
    }

    fn seek(&mut self, to: Duration) -> Result<(), MediaError> {
        let samples = &self.video.samples;
        let target = samples.iter().position(|s| s.pts >= to).unwrap_or(samples.len().saturating_sub(1));
        let key = samples[..=target].iter().rposition(|s| s.sync).unwrap_or(0);
        self.next = key;
        self.skip_until = Some(samples.get(target).map_or(to, |s| s.pts));
        self.restart_decoder()
    }
}

/// `ffmpeg` as a child process: restarted at the position when the size changes or on a seek.
pub struct ThroughFfmpeg {
    ffmpeg: PathBuf,
    clip: PathBuf,
    info: ClipInfo,
    frames: Option<FfmpegFrames>,
    position: Duration,
}

impl ThroughFfmpeg {
    pub fn open(ffmpeg: PathBuf, clip: &Path) -> Result<Self, MediaError> {
        let timing = super::mp4::timing(clip);
        // An absolute path: ffmpeg reads `a:b.mp4` as a protocol named `a`.
        let clip = std::fs::canonicalize(clip)
            .map_err(|err| MediaError::Io { path: clip.to_owned(), detail: err.to_string() })?;
        let info = ClipInfo {
            duration: timing.map_or(Duration::ZERO, |t| t.duration),
            frame_rate: sane_frame_rate(timing.map_or(15.0, |t| t.frame_rate)),
            width: timing.map_or(1280, |t| t.width),
            height: timing.map_or(720, |t| t.height),
            decoder: "ffmpeg",
            cut_short: false,
        };
        let mut source = Self { ffmpeg, clip, info, frames: None, position: Duration::ZERO };
        source
            .next_frame(Some((64, 36)))?
            .ok_or_else(|| MediaError::Decode("ffmpeg found no frames".into()))?;
        source.seek(Duration::ZERO)?;
        Ok(source)
    }
}

impl FrameSource for ThroughFfmpeg {
    fn info(&self) -> &ClipInfo {
        &self.info
    }

    fn next_frame(&mut self, size: Option<(u32, u32)>) -> Result<Option<VideoFrame>, MediaError> {
        let restart = match (&self.frames, size) {
            (None, _) => true,
            (Some(frames), Some(size)) => frames.size() != ffmpeg::even(size),
            (Some(_), None) => false,
        };
        if restart {
            let size = size.unwrap_or((64, 36));
            let frames =
                FfmpegFrames::spawn(&self.ffmpeg, &self.clip, self.position, size, self.info.frame_rate)?;
            self.frames = Some(frames);
        }
        let Some(frames) = self.frames.as_mut() else { return Ok(None) };
        let Some((pts, image)) = frames.next_frame()? else { return Ok(None) };
        self.position = pts + self.info.frame_interval();
        Ok(Some(VideoFrame { pts, image: size.map(|_| image) }))
    }

    /// To the first frame at or after `to` on ffmpeg's output grid (`fps` frames a second from
    /// the start), so the frames it sends carry their real times.
    fn seek(&mut self, to: Duration) -> Result<(), MediaError> {
        let index = (to.as_secs_f64() * self.info.frame_rate - 1e-6).ceil().max(0.0);
        self.position = Duration::from_secs_f64(index / self.info.frame_rate);
        self.frames = None;
        Ok(())
    }

    fn frame_time(&self, from: Duration, frames: i32) -> Option<Duration> {
        let index = (from.as_secs_f64() * self.info.frame_rate).round() + f64::from(frames);
        let last = (self.info.duration.as_secs_f64() * self.info.frame_rate).ceil() - 1.0;
        Some(Duration::from_secs_f64(index.clamp(0.0, last.max(0.0)) / self.info.frame_rate))
    }
}
