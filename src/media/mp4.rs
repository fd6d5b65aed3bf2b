//! MP4 clips: the video track's sample table, read with Mozilla's hardened parser (`mp4parse`,
//! the one Firefox uses on untrusted files), and its samples read from the file one at a time,
//! so a clip of any length costs only its table in memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

use mp4parse::unstable::{CheckedInteger, create_sample_table};
use mp4parse::{CodecType, SampleEntry, Track, TrackType, VideoCodecSpecific};

use super::MediaError;
use super::h264::{AvcConfig, StreamFacts};

/// A `moov` (the index of a clip) larger than this is not a camera's.
const MAX_MOOV_BYTES: u64 = 64 << 20;
/// More samples than a two-hour 120 fps recording: a table that claims more is hostile.
const MAX_SAMPLES: u64 = 1_000_000;
/// Larger than any H.264 frame a camera writes.
const MAX_SAMPLE_BYTES: u64 = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleRef {
    pub offset: u64,
    pub size: u32,
    /// Presentation time from the start of the clip.
    pub pts: Duration,
    pub sync: bool,
}

/// An MP4 file's H.264 video track, ready to be read sample by sample in decode order.
#[derive(Debug)]
pub struct Mp4Video {
    path: PathBuf,
    file: File,
    pub config: AvcConfig,
    pub facts: StreamFacts,
    pub samples: Vec<SampleRef>,
    pub duration: Duration,
    /// Set when the file ends before its last frames: how much of the clip is there.
    pub cut_short: bool,
}

impl Mp4Video {
    /// Opens a clip and checks that the built-in decoder can play it.
    pub fn open(path: &Path) -> Result<Self, MediaError> {
        let io = |err: std::io::Error| MediaError::Io { path: path.to_owned(), detail: err.to_string() };
        let mut file = File::open(path).map_err(io)?;
        let length = file.metadata().map_err(io)?.len();
        if length == 0 {
            return Err(MediaError::invalid("the clip is empty (0 bytes)"));
        }
        check_signature(&mut file).map_err(|err| match err {
            Probe::Io(err) => io(err),
            Probe::Not(what) => MediaError::invalid(format!("this is not an MP4 video: {what}")),
        })?;
        let (context, fragmented) = read_index(&mut file, length)?;
        let track = context
            .tracks
            .iter()
            .find(|t| t.track_type == TrackType::Video)
            .ok_or_else(|| MediaError::invalid("the clip has no video (audio only?)"))?;
        let config = avc_config(track, &mut file)?;
        let sps =
            config.sps.first().ok_or_else(|| MediaError::invalid("the clip has no H.264 parameters"))?;
        let facts = StreamFacts::from_sps(sps)?;
        // Every parameter set is held to the size limit, not only the first.
        for other in &config.sps[1..] {
            StreamFacts::from_sps(other)?;
        }
        let (samples, cut_short, reordered) = match sample_refs(track, length) {
            Err(_) if fragmented => {
                let reason = "this clip is a fragmented MP4, which the built-in player does not read";
                return Err(MediaError::unsupported(reason));
            }
            other => other?,
        };
        if reordered {
            return Err(MediaError::unsupported(format!(
                "this clip uses B-frames (H.264 {}), which the built-in decoder cannot play",
                facts.profile_name()
            )));
        }
        let duration = samples.last().map(|last| last.pts + frame_interval(&samples)).unwrap_or_default();
        Ok(Self { path: path.to_owned(), file, config, facts, samples, duration, cut_short })
    }

    /// The sample's bytes (length-prefixed NAL units) into `buffer`.
    pub fn read_sample(&mut self, index: usize, buffer: &mut Vec<u8>) -> Result<(), MediaError> {
        let sample = self.samples.get(index).ok_or_else(|| MediaError::invalid("no such frame"))?;
        let io = |err: std::io::Error| MediaError::Io { path: self.path.clone(), detail: err.to_string() };
        buffer.resize(sample.size as usize, 0);
        self.file.seek(SeekFrom::Start(sample.offset)).map_err(io)?;
        self.file.read_exact(buffer).map_err(io)
    }

    /// Frames per second, from the sample times.
    pub fn frame_rate(&self) -> f64 {
        1.0 / frame_interval(&self.samples).as_secs_f64().max(1e-3)
    }
}

/// The usual time between frames (the median step), for the last frame's length.
fn frame_interval(samples: &[SampleRef]) -> Duration {
    let mut steps: Vec<Duration> = samples.windows(2).map(|w| w[1].pts.saturating_sub(w[0].pts)).collect();
    steps.sort_unstable();
    steps.get(steps.len() / 2).copied().filter(|d| !d.is_zero()).unwrap_or(Duration::from_millis(66))
}

/// Parses the file's `ftyp` and `moov` boxes only, wherever they are: the frames (`mdat`) are
/// read later, one at a time, and a file cut short in its frames still has its index. Also
/// says whether the file has fragments (`moof`), whose frames that index does not list.
fn read_index(file: &mut File, length: u64) -> Result<(mp4parse::MediaContext, bool), MediaError> {
    let io = |err: std::io::Error| MediaError::invalid(format!("the clip cannot be read ({err})"));
    let mut index = Vec::new();
    let mut at = 0u64;
    let (mut found_moov, mut fragmented) = (false, false);
    while at.checked_add(8).is_some_and(|end| end <= length) {
        let mut header = [0u8; 16];
        file.seek(SeekFrom::Start(at)).map_err(io)?;
        let read = file.read(&mut header).map_err(io)?;
        let kind = &header[4..8];
        let (size, header_len) = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
            0 => (length - at, 8),
            1 if read >= 16 => (u64::from_be_bytes(header[8..16].try_into().unwrap_or_default()), 16),
            size => (u64::from(size), 8),
        };
        if size < header_len {
            return Err(MediaError::invalid("the clip is damaged (a box with an impossible size)"));
        }
        fragmented |= kind == b"moof";
        if (kind == b"ftyp" || kind == b"moov") && !found_moov {
            if size.saturating_add(index.len() as u64) > MAX_MOOV_BYTES {
                return Err(MediaError::invalid("the clip's index is impossibly large"));
            }
            if at.saturating_add(size) > length {
                return Err(MediaError::invalid("the clip is cut short (its index is incomplete)"));
            }
            let start = index.len();
            index.resize(start + size as usize, 0);
            file.seek(SeekFrom::Start(at)).map_err(io)?;
            file.read_exact(&mut index[start..]).map_err(io)?;
            found_moov = kind == b"moov";
        }
        // Past the index, only fragments matter: they come before the media data they describe.
        if found_moov && kind == b"mdat" {
            break;
        }
        at = at.saturating_add(size);
    }
    if !found_moov {
        return Err(MediaError::invalid("the clip is cut short or damaged (it has no index of its frames)"));
    }
    let context = mp4parse::read_mp4(&mut index.as_slice())
        .map_err(|err| MediaError::invalid(format!("the clip is damaged ({err:?})")))?;
    Ok((context, fragmented))
}

enum Probe {
    Io(std::io::Error),
    Not(String),
}

/// An MP4 starts with a box whose type is one of a few; anything else is named for what it is.
fn check_signature(file: &mut File) -> Result<(), Probe> {
    let mut head = [0u8; 64];
    let read = file.read(&mut head).map_err(Probe::Io)?;
    let head = &head[..read];
    if head.len() >= 8 && matches!(&head[4..8], b"ftyp" | b"moov" | b"mdat" | b"free" | b"wide" | b"skip") {
        return Ok(());
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let what = if text.trim_start().starts_with('<') {
        "it is an HTML page (an error or login page, not a clip)".to_owned()
    } else if text.trim_start().starts_with('{') {
        "it is a JSON message, not a clip".to_owned()
    } else if head.len() < 8 {
        format!("it is only {} bytes long", head.len())
    } else {
        "it is some other kind of file".to_owned()
    };
    Err(Probe::Not(what))
}

fn avc_config(track: &Track, file: &mut File) -> Result<AvcConfig, MediaError> {
    let entry = track
        .stsd
        .as_ref()
        .and_then(|stsd| stsd.descriptions.first())
        .ok_or_else(|| MediaError::invalid("the clip does not say how its video is encoded"))?;
    match entry {
        SampleEntry::Video(video) => match (&video.codec_type, &video.codec_specific) {
            (CodecType::H264, VideoCodecSpecific::AVCConfig(avcc)) => AvcConfig::parse(avcc),
            (codec, _) => Err(MediaError::unsupported(format!("the clip's video is {codec:?}, not H.264"))),
        },
        SampleEntry::Unknown if is_hevc(file) => {
            Err(MediaError::unsupported("the clip's video is H.265 (HEVC), not H.264"))
        }
        _ => Err(MediaError::unsupported("the clip's video is not H.264")),
    }
}

/// Whether the file's sample description names H.265 (`hvc1` / `hev1`), looked for in its
/// first few megabytes, where `moov` sits in camera clips.
fn is_hevc(file: &mut File) -> bool {
    let mut head = Vec::new();
    let read = file.seek(SeekFrom::Start(0)).and_then(|_| file.take(4 << 20).read_to_end(&mut head));
    read.is_ok() && head.windows(4).any(|w| w == b"hvc1" || w == b"hev1")
}

/// The samples in decode order that lie wholly inside the file, whether some were cut off,
/// and whether presentation order differs from decode order (B-frames).
fn sample_refs(track: &Track, file_length: u64) -> Result<(Vec<SampleRef>, bool, bool), MediaError> {
    let damaged = || MediaError::invalid("the clip's index of frames is damaged");
    let timescale = track.timescale.map(|t| t.0).filter(|t| *t > 0).ok_or_else(damaged)?;
    if claimed_samples(track).is_none_or(|count| count > MAX_SAMPLES) {
        return Err(damaged());
    }
    let table = create_sample_table(track, CheckedInteger(0)).ok_or_else(damaged)?;
    let first_pts = table.iter().map(|s| s.start_composition.0).min().unwrap_or(0);
    let mut samples = Vec::with_capacity(table.len());
    let mut cut_short = false;
    let mut reordered = false;
    let mut last_pts = i64::MIN;
    for indice in table.iter() {
        let (start, end) = (indice.start_offset.0, indice.end_offset.0);
        let size = end.checked_sub(start).ok_or_else(damaged)?;
        if size > MAX_SAMPLE_BYTES {
            return Err(MediaError::invalid("a frame in the clip claims an impossible size"));
        }
        if end > file_length {
            cut_short = true;
            continue;
        }
        let pts = indice.start_composition.0;
        reordered |= pts < last_pts;
        last_pts = pts;
        let ticks = u64::try_from(pts.saturating_sub(first_pts)).map_err(|_| damaged())?;
        let pts = Duration::from_secs_f64(ticks as f64 / timescale as f64);
        samples.push(SampleRef { offset: start, size: size as u32, pts, sync: indice.sync });
    }
    if samples.is_empty() {
        return Err(MediaError::invalid(if cut_short {
            "the clip is cut short: not one video frame is complete"
        } else {
            "the clip has no video frames"
        }));
    }
    if !samples[0].sync {
        return Err(MediaError::invalid("the clip does not start with a key frame"));
    }
    Ok((samples, cut_short, reordered))
}

/// How many samples the chunk tables add up to, computed without allocating for them.
fn claimed_samples(track: &Track) -> Option<u64> {
    let (stsc, stco) = (track.stsc.as_ref()?, track.stco.as_ref()?);
    let chunks = stco.offsets.len() as u64;
    let runs = &stsc.samples;
    let mut total = 0u64;
    for (index, run) in runs.iter().enumerate() {
        let first = u64::from(run.first_chunk);
        let next = runs.get(index + 1).map_or(chunks + 1, |next| u64::from(next.first_chunk));
        let run_chunks = next.checked_sub(first)?.min(chunks);
        total = total.checked_add(run_chunks.checked_mul(u64::from(run.samples_per_chunk))?)?;
    }
    Some(total)
}

/// Length, rate and picture size of any MP4's video track, whatever its codec (for `ffmpeg`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub duration: Duration,
    pub frame_rate: f64,
    pub width: u32,
    pub height: u32,
}

pub fn timing(path: &Path) -> Option<Timing> {
    let mut file = File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    let (context, _) = read_index(&mut file, length).ok()?;
    let track = context.tracks.iter().find(|t| t.track_type == TrackType::Video)?;
    let header = track.tkhd.as_ref()?;
    let (mut samples, _, _) = sample_refs(track, length).ok()?;
    samples.sort_by_key(|s| s.pts);
    let interval = frame_interval(&samples);
    Some(Timing {
        duration: samples.iter().map(|s| s.pts).max()? + interval,
        frame_rate: 1.0 / interval.as_secs_f64(),
        width: (header.width >> 16).max(1),
        height: (header.height >> 16).max(1),
    })
}
