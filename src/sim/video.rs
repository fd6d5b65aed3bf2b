//! Moving pictures for the simulated cameras, made when asked for: a motion clip is the
//! camera's scene with someone walking across it and the camera's clock burnt in, encoded with
//! OpenH264 (Constrained Baseline: no B-frames, a key frame a second, as cameras record) and
//! written as an MP4; live view is the same scene with the clock running, as MPEG-TS.

mod mp4_writer;
mod ts_writer;

use jiff::{SignedDuration, ZonedDateTime};
use openh264::OpenH264API;
use openh264::encoder::{
    Encoder, EncoderConfig, FrameRate, IntraFramePeriod, QpRange, RateControlMode, UsageType,
};
use openh264::formats::{RgbSliceU8, YUVBuffer};

use super::images::{Backdrop, HEIGHT, Scene, WIDTH};
pub use ts_writer::TsWriter;

pub const FPS: u32 = 15;
/// A clip's length: long enough for someone to walk through the picture.
pub const CLIP_SECONDS: u32 = 8;
/// How often someone walks through live view.
pub const LIVE_VISIT_SECONDS: u32 = 20;
/// Quantiser of every frame: crisp text, 0.1 to 0.2 Mbit/s for these pictures.
const QP: u8 = 22;

const NAL_IDR: u8 = 5;
const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;

/// The overlay a camera burns into its pictures: `prefix` and the local time to the second.
pub fn stamp(prefix: &str, at: &ZonedDateTime) -> String {
    format!("{prefix}{}", at.strftime("%Y-%m-%d %H:%M:%S"))
}

/// One encoded picture: its NAL units without start codes, and whether it is a key frame.
pub struct Picture {
    pub nals: Vec<Vec<u8>>,
    pub key: bool,
}

/// OpenH264 set up as a camera's encoder, for frames of the simulator's picture size.
pub struct CameraEncoder {
    encoder: Encoder,
    yuv: YUVBuffer,
}

impl CameraEncoder {
    pub fn new() -> Result<Self, String> {
        let config = EncoderConfig::new()
            .max_frame_rate(FrameRate::from_hz(FPS as f32))
            // A fixed quality: rate control needs frame skipping, and OpenH264 says so on stderr.
            .rate_control_mode(RateControlMode::Off)
            .qp(QpRange::new(QP, QP))
            .usage_type(UsageType::CameraVideoRealTime)
            .intra_frame_period(IntraFramePeriod::from_num_frames(FPS))
            // Every frame is kept, so a clip's timing is its frame count.
            .skip_frames(false)
            .num_threads(1);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|err| format!("cannot start the H.264 encoder: {err}"))?;
        Ok(Self { encoder, yuv: YUVBuffer::new(WIDTH as usize, HEIGHT as usize) })
    }

    /// Encodes a frame of packed RGB8 rows of [`WIDTH`]x[`HEIGHT`].
    pub fn encode(&mut self, rgb: &[u8]) -> Result<Picture, String> {
        if rgb.len() != (WIDTH * HEIGHT * 3) as usize {
            return Err("a frame of the wrong size".into());
        }
        self.yuv.read_rgb8(RgbSliceU8::new(rgb, (WIDTH as usize, HEIGHT as usize)));
        let stream = self.encoder.encode(&self.yuv).map_err(|err| format!("H.264 encoding failed: {err}"))?;
        let mut nals = Vec::new();
        for layer in (0..stream.num_layers()).filter_map(|n| stream.layer(n)) {
            for nal in (0..layer.nal_count()).filter_map(|n| layer.nal_unit(n)) {
                nals.push(without_start_code(nal).to_vec());
            }
        }
        let key = nals.iter().any(|nal| nal_type(nal) == Some(NAL_IDR));
        Ok(Picture { nals, key })
    }
}

fn without_start_code(nal: &[u8]) -> &[u8] {
    let zeros = nal.iter().take_while(|byte| **byte == 0).count();
    match nal.get(zeros) {
        Some(1) if zeros >= 2 => &nal[zeros + 1..],
        _ => nal,
    }
}

fn nal_type(nal: &[u8]) -> Option<u8> {
    nal.first().map(|header| header & 0x1f)
}

/// A motion clip as an MP4: the scene with someone walking through it, stamped with
/// `prefix` and the time from `start` on, a second at a time as a camera's clock runs.
pub fn motion_clip(scene: &Scene, prefix: &str, start: &ZonedDateTime) -> Result<Vec<u8>, String> {
    let backdrop = Backdrop::new(scene);
    let mut encoder = CameraEncoder::new()?;
    let frames = FPS * CLIP_SECONDS;
    let (mut sps, mut pps, mut samples) = (None, None, Vec::new());
    for frame in 0..frames {
        let clock =
            start.checked_add(SignedDuration::from_secs(i64::from(frame / FPS))).unwrap_or(start.clone());
        // The visitor comes in after a moment and is gone before the end, as in a real clip.
        let progress = (frame as f32 / frames as f32 - 0.1) / 0.8;
        let picture = encoder.encode(&backdrop.frame(Some(progress), &stamp(prefix, &clock)))?;
        let mut sample = Vec::new();
        for nal in picture.nals {
            match nal_type(&nal) {
                Some(NAL_SPS) => sps = sps.or(Some(nal)),
                Some(NAL_PPS) => pps = pps.or(Some(nal)),
                _ => {
                    sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                    sample.extend_from_slice(&nal);
                }
            }
        }
        samples.push(mp4_writer::Sample { data: sample, sync: picture.key });
    }
    let (Some(sps), Some(pps)) = (sps, pps) else {
        return Err("the encoder wrote no parameter sets".into());
    };
    Ok(mp4_writer::write(&mp4_writer::Track { width: WIDTH, height: HEIGHT, fps: FPS, sps, pps }, &samples))
}

/// Live view of a scene: one frame at a time, stamped with the time it is made, as MPEG-TS.
pub struct LiveFeed {
    backdrop: Backdrop,
    zone: jiff::tz::TimeZone,
    encoder: CameraEncoder,
    writer: TsWriter,
    frames: u64,
}

impl LiveFeed {
    pub fn new(scene: &Scene, zone: jiff::tz::TimeZone) -> Result<Self, String> {
        let (backdrop, encoder) = (Backdrop::new(scene), CameraEncoder::new()?);
        Ok(Self { backdrop, zone, encoder, writer: TsWriter::default(), frames: 0 })
    }

    /// The next frame as TS packets, showing the time `now`; frames are [`FPS`] a second apart.
    /// Someone walks past every [`LIVE_VISIT_SECONDS`], as in a clip.
    pub fn next_frame(&mut self, now: jiff::Timestamp) -> Result<Vec<u8>, String> {
        let caption = stamp("", &now.to_zoned_datetime(self.zone.clone()));
        // The first visitor is already in view when live view opens.
        let visit_frame = (self.frames + u64::from(FPS * 2)) % u64::from(FPS * LIVE_VISIT_SECONDS);
        let progress = (visit_frame as f32 / (FPS * CLIP_SECONDS) as f32 - 0.1) / 0.8;
        let picture = self.encoder.encode(&self.backdrop.frame(Some(progress), &caption))?;
        let pts = self.frames * 90_000 / u64::from(FPS);
        self.frames += 1;
        Ok(self.writer.unit(&picture.nals, pts, picture.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::images::SceneKind;

    #[test]
    fn stamp_is_the_local_time_to_the_second() {
        let at: ZonedDateTime = "2026-12-07T05:14:03.75-05:00[America/New_York]".parse().expect("time");
        assert_eq!(stamp("MOTION ", &at), "MOTION 2026-12-07 05:14:03");
    }

    #[test]
    fn a_clip_has_a_key_frame_a_second_and_parameter_sets() {
        let scene = Scene {
            kind: SceneKind::Indoor,
            title: "Den".into(),
            caption: String::new(),
            place: 1,
            seed: 2,
            night: false,
        };
        let start: ZonedDateTime = "2026-12-07T05:14:03-05:00[America/New_York]".parse().expect("time");
        let clip = motion_clip(&scene, "MOTION ", &start).expect("clip");
        assert_eq!(&clip[4..8], b"ftyp");
        let mut encoder = CameraEncoder::new().expect("encoder");
        let backdrop = Backdrop::new(&scene);
        let keys: Vec<bool> =
            (0..FPS + 1).map(|_| encoder.encode(&backdrop.frame(None, "")).expect("frame").key).collect();
        assert!(keys[0] && keys[FPS as usize], "{keys:?}");
        assert!(!keys[1..FPS as usize].iter().any(|key| *key), "{keys:?}");
    }
}
