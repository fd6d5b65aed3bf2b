//! The media pipeline on files alone: the demo clips decode to the right frames, seeking lands
//! where asked, and every kind of bad input is a clear error, never a panic.

use std::path::{Path, PathBuf};
use std::time::Duration;

use blinktui::media::{FrameSource, MediaError, open_clip_with};

fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/clips").join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media").join(name)
}

fn open(path: &Path) -> Result<Box<dyn FrameSource>, MediaError> {
    open_clip_with(path, None)
}

fn error_for(path: &Path) -> String {
    match open(path) {
        Ok(_) => panic!("{} opened", path.display()),
        Err(err) => err.to_string(),
    }
}

/// Mean absolute difference of two pictures, per channel.
fn difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let total: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn the_demo_clips_decode_to_every_frame_with_motion() {
    for name in ["outdoor.mp4", "indoor.mp4", "doorstep.mp4"] {
        let mut clip = open(&asset(name)).expect(name);
        let info = clip.info().clone();
        assert_eq!((info.width, info.height, info.decoder), (384, 216, "OpenH264"), "{name}");
        assert!((info.frame_rate - 15.0).abs() < 0.01, "{name}: {}", info.frame_rate);
        assert_eq!(info.duration, Duration::from_secs(8), "{name}");
        let mut frames = Vec::new();
        let mut last_pts = None;
        while let Some(frame) = clip.next_frame(Some((192, 108))).expect("decodes") {
            assert!(last_pts < Some(frame.pts), "{name}: frames in order");
            last_pts = Some(frame.pts);
            frames.push(frame.image.expect("picture"));
        }
        assert_eq!(frames.len(), 120, "{name}: 8 s at 15 fps");
        assert!(frames.iter().all(|f| f.dimensions() == (192, 108)));
        // Someone walks across: the picture changes over time, and from frame to frame.
        assert!(
            difference(&frames[30], &frames[70]) > 2.0,
            "{name}: {}",
            difference(&frames[30], &frames[70])
        );
        assert!(difference(&frames[50], &frames[51]) > 0.05, "{name}: consecutive frames differ");
    }
}

#[test]
fn seeking_lands_on_the_frame_asked_for_and_skipping_skips_the_picture() {
    let mut clip = open(&asset("outdoor.mp4")).expect("open");
    clip.seek(Duration::from_millis(4_000)).expect("seek");
    let frame = clip.next_frame(Some((96, 54))).expect("decode").expect("a frame");
    assert_eq!(frame.pts, Duration::from_secs(4));
    let skipped = clip.next_frame(None).expect("decode").expect("a frame");
    assert!(skipped.image.is_none() && skipped.pts > frame.pts);
    clip.seek(Duration::from_secs(60)).expect("past the end");
    let last = clip.next_frame(Some((96, 54))).expect("decode").expect("the last frame");
    assert!(last.pts >= Duration::from_millis(7_900), "{:?}", last.pts);
    assert!(clip.next_frame(Some((96, 54))).expect("end").is_none());
}

#[test]
fn the_720p_clip_for_the_benchmarks_is_main_profile_without_b_frames() {
    let mut clip = open(&asset("outdoor-720p.mp4")).expect("open");
    assert_eq!((clip.info().width, clip.info().height), (1280, 720));
    let mut count = 0;
    while clip.next_frame(None).expect("decode").is_some() {
        count += 1;
    }
    assert_eq!(count, 90);
}

#[test]
fn baseline_clips_play_too() {
    let mut clip = open(&fixture("baseline.mp4")).expect("open");
    assert_eq!(clip.info().width, 64);
    assert!(clip.next_frame(Some((32, 18))).expect("decode").is_some());
}

#[test]
fn bad_clips_say_what_is_wrong() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").expect("write");
    assert!(error_for(&empty).contains("empty (0 bytes)"));

    assert!(error_for(&fixture("login-page.html")).contains("HTML page"));
    assert!(error_for(&fixture("audio-only.mp4")).contains("no video"));
    let hevc = error_for(&fixture("hevc.mp4"));
    assert!(hevc.contains("H.265") && hevc.contains("ffmpeg"), "{hevc}");
    let bframes = error_for(&fixture("bframes.mp4"));
    assert!(
        bframes.contains("B-frames") && bframes.contains("Main") && bframes.contains("ffmpeg"),
        "{bframes}"
    );
    assert!(error_for(&dir.path().join("missing.mp4")).contains("cannot read"));

    let json = dir.path().join("json.mp4");
    std::fs::write(&json, br#"{"message":"Media not found","code":700}"#).expect("write");
    assert!(error_for(&json).contains("JSON"));
}

#[test]
fn a_truncated_clip_plays_what_is_there_or_says_it_is_cut_short() {
    let whole = std::fs::read(asset("outdoor.mp4")).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    let half = dir.path().join("half.mp4");
    std::fs::write(&half, &whole[..whole.len() / 2]).expect("write");
    let mut clip = open(&half).expect("the first half plays");
    assert!(clip.info().cut_short);
    let mut frames = 0;
    while clip.next_frame(None).expect("decode").is_some() {
        frames += 1;
    }
    assert!((30..120).contains(&frames), "{frames}");

    for cut in [7, 40, 600, 2000] {
        let path = dir.path().join(format!("cut-{cut}.mp4"));
        std::fs::write(&path, &whole[..cut]).expect("write");
        let message = error_for(&path);
        assert!(
            message.contains("cut short") || message.contains("damaged") || message.contains("bytes"),
            "{cut}: {message}"
        );
    }
}

#[test]
fn fragments_and_impossible_boxes_are_named_not_crashed_on() {
    let fragmented = error_for(&fixture("fragmented.mp4"));
    assert!(fragmented.contains("fragmented") && fragmented.contains("ffmpeg"), "{fragmented}");

    // A box claiming a 64-bit size near the end of the address space.
    let mut bytes = std::fs::read(fixture("baseline.mp4")).expect("read");
    let mut huge = vec![0, 0, 0, 1];
    huge.extend_from_slice(b"free");
    huge.extend_from_slice(&(u64::MAX - 4).to_be_bytes());
    bytes.splice(0..0, huge);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge-box.mp4");
    std::fs::write(&path, &bytes).expect("write");
    let message = error_for(&path);
    assert!(message.contains("cut short") || message.contains("damaged"), "{message}");
}

#[test]
fn a_damaged_frame_in_the_middle_is_skipped_and_the_clip_plays_on() {
    let mut bytes = std::fs::read(asset("indoor.mp4")).expect("read");
    // Scribble over a stretch of frame data past the start (the index sits before it).
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 600] {
        *byte ^= 0x5a;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scribbled.mp4");
    std::fs::write(&path, &bytes).expect("write");
    let mut clip = open(&path).expect("opens");
    let mut frames = 0;
    loop {
        match clip.next_frame(Some((96, 54))) {
            Ok(Some(_)) => frames += 1,
            Ok(None) => break,
            Err(err) => panic!("playback ended on a damaged frame after {frames}: {err}"),
        }
    }
    assert!(frames > 100, "{frames} of 120 frames shown");
}

#[test]
fn damaged_bytes_never_panic() {
    let whole = std::fs::read(asset("indoor.mp4")).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("noisy.mp4");
    // Flip bytes all over the file, header and frames alike: errors are fine, panics are not.
    for seed in 0..40u64 {
        let mut bytes = whole.clone();
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        for _ in 0..(1 + seed % 8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state % bytes.len() as u64) as usize;
            bytes[at] ^= (state >> 32) as u8 | 1;
        }
        std::fs::write(&path, &bytes).expect("write");
        if let Ok(mut clip) = open(&path) {
            for _ in 0..20 {
                match clip.next_frame(Some((48, 27))) {
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => break,
                }
            }
        }
    }
}

#[test]
fn ffmpeg_plays_what_the_built_in_decoder_cannot() {
    let Some(ffmpeg) = blinktui::media::ffmpeg::find() else {
        eprintln!("ffmpeg is not installed: the fallback is not exercised (.ci/run installs it)");
        return;
    };
    for name in ["bframes.mp4", "hevc.mp4"] {
        let mut clip = open_clip_with(&fixture(name), Some(&ffmpeg)).expect(name);
        assert_eq!(clip.info().decoder, "ffmpeg");
        let mut frames = 0;
        while let Some(frame) = clip.next_frame(Some((32, 18))).expect("decode") {
            assert_eq!(frame.image.expect("picture").dimensions(), (32, 18));
            frames += 1;
        }
        assert_eq!(frames, 10, "{name}");
    }
    // ffmpeg does not rescue what is not a video.
    assert!(open_clip_with(&fixture("login-page.html"), Some(&ffmpeg)).is_err());
}
