//! Reading the simulator's pictures back: decoded clip frames, brightness, and what the
//! burnt-in overlay says.

use std::collections::HashSet;

use blinktui::media::clip::open_clip;
use blinktui::sim::images::{HEIGHT, OVERLAY_TOP_ROW, WIDTH, overlay_line_pixels};
use image::RgbImage;

/// The frames at `indices` (in order) of an MP4 clip, decoded with blinktui's player at full size.
pub fn clip_frames(mp4: &[u8], indices: &[usize]) -> Vec<RgbImage> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("clip.mp4");
    std::fs::write(&path, mp4).expect("write clip");
    let mut clip = open_clip(&path).expect("the clip opens");
    let mut frames = Vec::new();
    for index in 0..=indices.iter().copied().max().unwrap_or(0) {
        let frame = clip.next_frame(Some((WIDTH, HEIGHT))).expect("decode").expect("the clip has the frame");
        if indices.contains(&index) {
            frames.push(frame.image.expect("a picture"));
        }
    }
    frames
}

pub fn decode_jpeg(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg).expect("a JPEG").to_rgb8()
}

fn luma(image: &RgbImage, x: u32, y: u32) -> f64 {
    let [r, g, b] = image.get_pixel(x, y).0;
    (f64::from(r) + f64::from(g) + f64::from(b)) / 3.0
}

/// Mean brightness (0-255) of the picture above the overlay.
pub fn brightness(image: &RgbImage) -> f64 {
    let pixels = (0..OVERLAY_TOP_ROW).flat_map(|y| (0..WIDTH).map(move |x| (x, y)));
    pixels.map(|(x, y)| luma(image, x, y)).sum::<f64>() / f64::from(WIDTH * OVERLAY_TOP_ROW)
}

/// Mean absolute difference (0-255) of two pictures above the overlay.
pub fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let pixels = (0..OVERLAY_TOP_ROW).flat_map(|y| (0..WIDTH).map(move |x| (x, y)));
    pixels.map(|(x, y)| (luma(a, x, y) - luma(b, x, y)).abs()).sum::<f64>()
        / f64::from(WIDTH * OVERLAY_TOP_ROW)
}

/// How plainly overlay line `line` (0: camera name, 1: caption) of `image` reads as `text`: the
/// mean brightness of the pixels its letters light, less that of the other pixels of the
/// line's box. The text a frame bears scores highest.
pub fn legibility(image: &RgbImage, line: u32, text: &str) -> f64 {
    let lit: HashSet<(u32, u32)> = overlay_line_pixels(line, text).into_iter().collect();
    let (Some(right), Some(top), Some(bottom)) =
        (lit.iter().map(|p| p.0).max(), lit.iter().map(|p| p.1).min(), lit.iter().map(|p| p.1).max())
    else {
        return 0.0;
    };
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for y in top..=bottom {
        for x in 0..=right {
            let side = if lit.contains(&(x, y)) { &mut on } else { &mut off };
            side.push(luma(image, x, y));
        }
    }
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len().max(1) as f64;
    mean(&on) - mean(&off)
}
