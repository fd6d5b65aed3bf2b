//! Writes the frames of one demo motion clip to stdout as raw RGB24, for
//! `scripts/make-demo-clips.sh` to encode: `demo_clip_frames outdoor|indoor|doorstep FPS SECONDS`.
//! Someone walks across the scene while the burnt-in clock advances every frame.

use std::io::Write;

use blinktui::sim::images::{Scene, SceneKind, render_motion_frame};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, fps, seconds] = args.as_slice() else {
        return Err("usage: demo_clip_frames outdoor|indoor|doorstep FPS SECONDS".into());
    };
    // The clip stands for any camera of its kind (on a USB stick), so no camera name is burnt in.
    let (kind, seed) = match kind.as_str() {
        "outdoor" => (SceneKind::Outdoor, 11),
        "indoor" => (SceneKind::Indoor, 5),
        "doorstep" => (SceneKind::Doorstep, 2),
        other => return Err(format!("unknown scene {other:?}").into()),
    };
    let (fps, seconds): (u32, u32) = (fps.parse()?, seconds.parse()?);
    let frames = fps * seconds;
    let start = 14 * 3600 + 3 * 60 + 7; // 14:03:07 on the camera's clock
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for frame in 0..frames {
        let centis = frame * 100 / fps;
        let clock = start + centis / 100;
        let caption = format!(
            "MOTION 2026-11-26 {:02}:{:02}:{:02}.{:02}",
            clock / 3600,
            clock / 60 % 60,
            clock % 60,
            centis % 100
        );
        let scene =
            Scene { kind: kind.clone(), title: String::new(), caption, place: seed, seed, night: false };
        // The walker enters after a moment and is gone before the end, as a real clip would.
        let progress = (frame as f32 / frames as f32 - 0.1) / 0.8;
        out.write_all(&render_motion_frame(&scene, progress))?;
    }
    out.flush()?;
    Ok(())
}
