//! A live stream as a source of frames: MPEG-TS chunks arrive from the network through a
//! bounded channel, are demuxed to access units and decoded. A frame's time is when its data
//! arrived, so the playback engine shows each as soon as it is decoded and drops one that the
//! terminal is too busy to draw: the newest picture wins, nothing queues.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use super::MediaError;
use super::clip::{ClipInfo, FrameSource, VideoFrame};
use super::decode::H264Decoder;
use super::h264::StreamFacts;
use super::ts::{AccessUnit, TsDemuxer};

/// Chunks waiting for the decoder: a few seconds of a camera's stream. When the decoder falls
/// this far behind, newer chunks are dropped (counted) rather than held.
pub const QUEUE_CHUNKS: usize = 512;
/// Pictures the decoder may refuse in a row before the stream counts as undecodable.
const DAMAGED_IN_A_ROW: usize = 150;

/// A piece of the stream and when it arrived.
pub struct Chunk {
    pub at: Instant,
    pub ts: Vec<u8>,
}

/// The network side: hands chunks over without ever waiting.
pub struct ChunkSender {
    tx: SyncSender<Chunk>,
    pub dropped: u64,
}

impl ChunkSender {
    /// Sends a chunk; false once the viewer is gone.
    pub fn send(&mut self, ts: &[u8]) -> bool {
        match self.tx.try_send(Chunk { at: Instant::now(), ts: ts.to_vec() }) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.dropped += 1;
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }
}

pub fn chunk_channel() -> (ChunkSender, Receiver<Chunk>) {
    let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE_CHUNKS);
    (ChunkSender { tx, dropped: 0 }, rx)
}

pub struct LiveSource {
    chunks: Receiver<Chunk>,
    demuxer: TsDemuxer,
    units: VecDeque<(Instant, AccessUnit)>,
    scratch: Vec<AccessUnit>,
    decoder: H264Decoder,
    info: ClipInfo,
    start: Instant,
    ended: bool,
    damaged: usize,
}

impl LiveSource {
    /// Waits (up to `first_picture`) for the stream's parameter sets, which give the picture
    /// size, and starts the decoder. `length` is the session's.
    pub fn open(
        chunks: Receiver<Chunk>,
        length: Duration,
        first_picture: Duration,
    ) -> Result<Self, MediaError> {
        let start = Instant::now();
        let mut demuxer = TsDemuxer::new();
        let mut units = VecDeque::new();
        let mut scratch = Vec::new();
        let facts = loop {
            if let Some(facts) =
                units.iter().find_map(|(_, unit): &(Instant, AccessUnit)| sps_facts(&unit.data))
            {
                break facts;
            }
            // Pictures before the first parameter sets cannot be decoded.
            units.clear();
            let left = first_picture.saturating_sub(start.elapsed());
            match chunks.recv_timeout(left) {
                Ok(chunk) => {
                    demuxer.push(&chunk.ts, &mut scratch);
                    units.extend(scratch.drain(..).map(|unit| (chunk.at, unit)));
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(MediaError::invalid(format!(
                        "no picture from the camera within {}s",
                        first_picture.as_secs()
                    )));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(MediaError::invalid("the stream ended before its first picture"));
                }
            }
        };
        let info = ClipInfo {
            duration: length,
            frame_rate: 15.0,
            width: facts.width,
            height: facts.height,
            decoder: "OpenH264",
            cut_short: false,
        };
        Ok(Self {
            chunks,
            demuxer,
            units,
            scratch,
            decoder: H264Decoder::new(facts.bt709)?,
            info,
            start,
            ended: false,
            damaged: 0,
        })
    }

    /// The next access unit, waiting for the network; `None` when the stream ended.
    fn next_unit(&mut self) -> Option<(Instant, AccessUnit)> {
        loop {
            if let Some(unit) = self.units.pop_front() {
                return Some(unit);
            }
            if self.ended {
                return None;
            }
            match self.chunks.recv() {
                Ok(chunk) => {
                    self.demuxer.push(&chunk.ts, &mut self.scratch);
                    self.units.extend(self.scratch.drain(..).map(|unit| (chunk.at, unit)));
                }
                Err(_) => {
                    self.ended = true;
                    self.demuxer.finish(&mut self.scratch);
                    let now = Instant::now();
                    self.units.extend(self.scratch.drain(..).map(|unit| (now, unit)));
                }
            }
        }
    }
}

/// The picture size and colours from an access unit's SPS, if it carries one.
fn sps_facts(annex_b: &[u8]) -> Option<StreamFacts> {
    annex_b.windows(4).enumerate().filter(|(_, w)| w[..3] == [0, 0, 1] && w[3] & 0x1f == 7).find_map(
        |(at, _)| {
            let nal = &annex_b[at + 3..];
            let end = nal.windows(3).position(|w| w == [0, 0, 1]).unwrap_or(nal.len());
            StreamFacts::from_sps(&nal[..end]).ok()
        },
    )
}

impl FrameSource for LiveSource {
    fn info(&self) -> &ClipInfo {
        &self.info
    }

    fn next_frame(&mut self, size: Option<(u32, u32)>) -> Result<Option<VideoFrame>, MediaError> {
        while let Some((at, unit)) = self.next_unit() {
            match self.decoder.decode(&unit.data, size) {
                Ok(image) => {
                    self.damaged = 0;
                    let pts = at.saturating_duration_since(self.start);
                    // A unit completing no picture (parameter sets alone) is not a frame.
                    if image.is_some() || size.is_none() {
                        return Ok(Some(VideoFrame { pts, image }));
                    }
                }
                Err(err) => {
                    self.damaged += 1;
                    tracing::debug!("live picture skipped: {err}");
                    if self.damaged >= DAMAGED_IN_A_ROW {
                        return Err(err);
                    }
                }
            }
        }
        Ok(None)
    }

    /// Live view cannot seek: the picture is always now.
    fn seek(&mut self, _to: Duration) -> Result<(), MediaError> {
        Ok(())
    }

    fn frame_time(&self, _from: Duration, _frames: i32) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/media/sample.ts");

    #[test]
    fn frames_decode_from_chunks_as_they_arrive_and_end_with_the_stream() {
        let (mut tx, rx) = chunk_channel();
        let feeder = std::thread::spawn(move || {
            for piece in SAMPLE.chunks(1316) {
                tx.send(piece);
            }
        });
        let mut source =
            LiveSource::open(rx, Duration::from_secs(300), Duration::from_secs(5)).expect("open");
        assert_eq!((source.info().width, source.info().height), (384, 216));
        let mut frames = 0;
        let mut last = Duration::ZERO;
        while let Some(frame) = source.next_frame(Some((96, 54))).expect("frame") {
            assert!(frame.pts >= last, "arrival times never go back");
            last = frame.pts;
            assert_eq!(frame.image.map(|image| image.dimensions()), Some((96, 54)));
            frames += 1;
        }
        feeder.join().expect("feeder");
        assert_eq!(frames, 30);
    }

    #[test]
    fn a_stream_without_parameter_sets_times_out_with_a_reason() {
        let (mut tx, rx) = chunk_channel();
        tx.send(&[0x47; 188]);
        let err = LiveSource::open(rx, Duration::from_secs(300), Duration::from_millis(200)).err();
        assert!(err.is_some_and(|e| e.to_string().contains("no picture")));
    }

    #[test]
    fn a_full_queue_drops_chunks_instead_of_growing() {
        let (mut tx, rx) = chunk_channel();
        for _ in 0..QUEUE_CHUNKS + 10 {
            assert!(tx.send(&[0x47; 188]));
        }
        assert_eq!(tx.dropped, 10);
        drop(rx);
        assert!(!tx.send(&[0x47; 188]), "the viewer is gone");
    }
}
