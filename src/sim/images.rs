//! Renders the simulator's camera pictures: stylised outdoor, indoor and doorstep frames with the
//! camera name and time on a caption bar, encoded as JPEG for the simulated cloud to serve.
//!
//! Every choice comes from the scene's seed through a small internal PRNG, so the same [`Scene`]
//! always gives the same bytes while consecutive snapshots look different.

use image::ExtendedColorType::Rgb8;
use image::codecs::jpeg::JpegEncoder;

use super::font;

mod canvas;
mod scenes;

use canvas::Canvas;
use canvas::Rng;
use scenes::{draw_doorstep, draw_indoor, draw_outdoor, draw_walker};

/// What a simulated camera picture shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SceneKind {
    Outdoor,
    Indoor,
    Doorstep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    pub kind: SceneKind,
    /// Camera name, drawn as an overlay in upper case; characters without a glyph are drawn as '?'.
    pub title: String,
    /// Second overlay line, e.g. "2026-11-26 14:03:07" or "MOTION 2026-11-26 14:03".
    pub caption: String,
    /// The camera's view: what stays where it is (horizon, house, tree, room, door). One camera
    /// keeps one place, so its snapshots, clips and live view show the same spot.
    pub place: u64,
    /// Varies the moment deterministically: sun/moon position, clouds, a visitor, a car.
    pub seed: u64,
    /// Night pictures are dark and greenish, like an infrared camera image.
    pub night: bool,
}

pub const WIDTH: u32 = 384;
pub const HEIGHT: u32 = 216;
/// The first row of the overlay: above it is the picture alone.
pub const OVERLAY_TOP_ROW: u32 = OVERLAY_TOP as u32;

const W: f32 = WIDTH as f32;
const H: f32 = HEIGHT as f32;
const ROW_BYTES: usize = WIDTH as usize * 3;
const JPEG_QUALITY: u8 = 80;

/// Renders the scene as a baseline JPEG (quality 80). Deterministic: same Scene -> same bytes.
pub fn render_jpeg(scene: &Scene) -> Vec<u8> {
    encode_jpeg(&render_rgb(scene))
}

/// A frame of [`WIDTH`]x[`HEIGHT`] packed RGB8 rows as a baseline JPEG (quality 80).
pub fn encode_jpeg(rgb: &[u8]) -> Vec<u8> {
    let mut jpeg = Vec::with_capacity(16 * 1024);
    // Encoding fails only on a buffer/size mismatch or a write error: the buffer always holds
    // WIDTHxHEIGHT RGB pixels and a Vec accepts every write. Should it fail anyway, an empty body
    // is the least harmful answer; clients treat it as a missing thumbnail.
    let mut encoder = JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
    let encoded = encoder.encode(rgb, WIDTH, HEIGHT, Rgb8).is_ok();
    if encoded { jpeg } else { Vec::new() }
}

/// The picture as packed RGB8 rows.
fn render_rgb(scene: &Scene) -> Vec<u8> {
    let mut canvas = background(scene);
    // The camera burns the overlay in after taking the picture, so it keeps its own colours.
    canvas.infrared = false;
    draw_overlay(&mut canvas, &scene.title, &scene.caption);
    canvas.rgb
}

fn background(scene: &Scene) -> Canvas {
    let (mut place, mut moment) = (Rng(scene.place), Rng(scene.seed));
    let mut canvas = Canvas::new(scene.night);
    match scene.kind {
        SceneKind::Outdoor => draw_outdoor(&mut canvas, &mut place, &mut moment),
        SceneKind::Indoor => draw_indoor(&mut canvas, &mut place, &mut moment),
        SceneKind::Doorstep => draw_doorstep(&mut canvas, &mut place, &mut moment),
    }
    canvas
}

/// One frame of a motion clip, as packed RGB8 rows of [`WIDTH`]x[`HEIGHT`]: the scene, with
/// someone walking across it from left to right as `progress` goes from 0 to 1, and the
/// caption the camera burns in.
pub fn render_motion_frame(scene: &Scene, progress: f32) -> Vec<u8> {
    Backdrop::new(scene).frame(Some(progress), &scene.caption)
}

/// A scene drawn once, for the many frames of a clip or a live stream: each frame adds what
/// moves and the caption, which costs a copy of the picture rather than drawing it again.
pub struct Backdrop {
    kind: SceneKind,
    title: String,
    seed: u64,
    canvas: Canvas,
}

impl Backdrop {
    pub fn new(scene: &Scene) -> Self {
        let (kind, title, seed) = (scene.kind.clone(), scene.title.clone(), scene.seed);
        Self { kind, title, seed, canvas: background(scene) }
    }

    /// The frame as packed RGB8 rows: with someone walking across from left to right as
    /// `walker` goes from 0 to 1 (nobody with `None`), and `caption` under the camera name.
    pub fn frame(&self, walker: Option<f32>, caption: &str) -> Vec<u8> {
        let mut canvas = self.canvas.clone();
        if let Some(progress) = walker {
            let (feet, height) = match self.kind {
                // Feet just above the caption bar, so the whole figure shows.
                SceneKind::Outdoor => (OVERLAY_TOP - 4.0, 105.0),
                SceneKind::Indoor => (OVERLAY_TOP - 2.0, 130.0),
                SceneKind::Doorstep => (OVERLAY_TOP + 2.0, 160.0),
            };
            let x = -30.0 + (W + 60.0) * progress.clamp(0.0, 1.0);
            // Two steps for every tenth of the way across.
            let stride = progress * 10.0;
            draw_walker(&mut canvas, &mut Rng(self.seed ^ 0x5eed), x, feet, height, stride);
        }
        canvas.infrared = false;
        draw_overlay(&mut canvas, &self.title, caption);
        canvas.rgb
    }
}

/// The pixels (x, y) that `text` lights on overlay line `line` (0: the camera name, 1: the
/// caption), for checking what a frame says.
pub fn overlay_line_pixels(line: u32, text: &str) -> Vec<(u32, u32)> {
    let mut pixels = Vec::new();
    let top = OVERLAY_TOP + OVERLAY_PADDING + line as f32 * (OVERLAY_LINE_HEIGHT + OVERLAY_LINE_GAP);
    let scale = OVERLAY_SCALE as u32;
    font::for_each_lit_cell(&fit_overlay(text), |column, row| {
        let (x, y) = (OVERLAY_PADDING as u32 + column as u32 * scale, top as u32 + row as u32 * scale);
        pixels.extend((0..scale * scale).map(|n| (x + n % scale, y + n / scale)));
    });
    pixels
}

/// The characters of an overlay line that fit in the frame.
fn fit_overlay(text: &str) -> String {
    let fitting_chars = ((W - 2.0 * OVERLAY_PADDING) / OVERLAY_SCALE) as usize / font::ADVANCE as usize;
    text.chars().take(fitting_chars).collect()
}

const OVERLAY_SCALE: f32 = 2.0;
const OVERLAY_PADDING: f32 = 6.0;
const OVERLAY_LINE_GAP: f32 = 4.0;
const OVERLAY_LINE_HEIGHT: f32 = font::GLYPH_HEIGHT as f32 * OVERLAY_SCALE;
const OVERLAY_TOP: f32 = H - 2.0 * (OVERLAY_PADDING + OVERLAY_LINE_HEIGHT) - OVERLAY_LINE_GAP;

/// Camera name and caption at twice the font size on a dark translucent bar in the bottom-left
/// corner. Characters that would run off the frame are cut.
fn draw_overlay(c: &mut Canvas, title: &str, caption: &str) {
    let (title, caption) = (fit_overlay(title), fit_overlay(caption));
    let longest = title.chars().count().max(caption.chars().count());
    if longest == 0 {
        return;
    }
    let bar_width = font::text_width(longest) as f32 * OVERLAY_SCALE + 2.0 * OVERLAY_PADDING;
    // Without a title the bar holds the caption alone.
    let top =
        if title.is_empty() { OVERLAY_TOP + OVERLAY_LINE_HEIGHT + OVERLAY_LINE_GAP } else { OVERLAY_TOP };
    c.darken_corner(bar_width, top, 0.45);
    let title_y = OVERLAY_TOP + OVERLAY_PADDING;
    let caption_y = title_y + OVERLAY_LINE_HEIGHT + OVERLAY_LINE_GAP;
    for (text, y, color) in [(title, title_y, 0xffffff), (caption, caption_y, 0xc8e1c8)] {
        c.at(OVERLAY_PADDING, y, OVERLAY_SCALE);
        font::for_each_lit_cell(&text, |column, row| {
            let (x, y) = (column as f32, row as f32);
            c.rect(x, y, x + 1.0, y + 1.0, color);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, GenericImageView, ImageFormat};

    const KINDS: [SceneKind; 3] = [SceneKind::Outdoor, SceneKind::Indoor, SceneKind::Doorstep];

    fn scene(kind: SceneKind, seed: u64, night: bool) -> Scene {
        let (title, caption) = ("Front Yard".into(), "MOTION 2026-11-26 14:03".into());
        Scene { kind, title, caption, place: seed.rotate_left(7), seed, night }
    }

    fn decode(jpeg: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("output is not a valid JPEG")
    }

    fn mean_brightness(jpeg: &[u8]) -> f64 {
        let rgb = decode(jpeg).to_rgb8();
        rgb.as_raw().iter().map(|&channel| f64::from(channel)).sum::<f64>() / rgb.as_raw().len() as f64
    }

    /// The start-of-frame marker found by walking the segments before the scan data.
    fn start_of_frame_marker(jpeg: &[u8]) -> Option<u8> {
        let mut position = 2;
        while let [0xff, marker, length_high, length_low, ..] = *jpeg.get(position..)? {
            if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
                return Some(marker);
            }
            position += 2 + usize::from(u16::from_be_bytes([length_high, length_low]));
        }
        None
    }

    #[test]
    fn output_decodes_as_jpeg_of_declared_size() {
        for kind in KINDS {
            for night in [false, true] {
                let jpeg = render_jpeg(&scene(kind.clone(), 3, night));
                assert_eq!(decode(&jpeg).dimensions(), (WIDTH, HEIGHT), "{kind:?} night={night}");
            }
        }
    }

    #[test]
    fn output_is_baseline_jpeg() {
        let jpeg = render_jpeg(&scene(SceneKind::Outdoor, 1, false));
        assert!(jpeg.starts_with(&[0xff, 0xd8]), "missing start-of-image marker");
        assert_eq!(start_of_frame_marker(&jpeg), Some(0xc0), "not a baseline (SOF0) frame");
    }

    #[test]
    fn same_scene_renders_identical_bytes() {
        for kind in KINDS {
            let scene = scene(kind, 42, false);
            assert_eq!(render_jpeg(&scene), render_jpeg(&scene), "{:?}", scene.kind);
        }
    }

    #[test]
    fn different_seeds_render_different_bytes() {
        for kind in KINDS {
            let pictures: Vec<Vec<u8>> =
                (0..6).map(|seed| render_jpeg(&scene(kind.clone(), seed, false))).collect();
            for (i, picture) in pictures.iter().enumerate() {
                for other in &pictures[i + 1..] {
                    assert_ne!(picture, other, "{kind:?}: two seeds gave the same picture");
                }
            }
        }
    }

    #[test]
    fn a_place_keeps_its_view_from_moment_to_moment() {
        let same = |a: &[u8], b: &[u8]| {
            let pixels = a.chunks(3).zip(b.chunks(3));
            pixels.filter(|(x, y)| x == y).count() as f64 / (WIDTH * HEIGHT) as f64
        };
        for kind in KINDS {
            let at = |place: u64, seed: u64| render_rgb(&Scene { place, ..scene(kind.clone(), seed, false) });
            let (here, later, elsewhere) = (at(1, 10), at(1, 11), at(2, 10));
            let (kept, moved) = (same(&here, &later), same(&here, &elsewhere));
            assert!(
                kept > 0.5 && kept > moved + 0.2,
                "{kind:?}: {kept:.2} of one place kept, {moved:.2} of another"
            );
        }
    }

    #[test]
    fn night_pictures_are_darker_than_day() {
        for kind in KINDS {
            for seed in 0..4 {
                let day = mean_brightness(&render_jpeg(&scene(kind.clone(), seed, false)));
                let night = mean_brightness(&render_jpeg(&scene(kind.clone(), seed, true)));
                assert!(
                    night < day,
                    "{kind:?} seed {seed}: night {night:.1} is not darker than day {day:.1}"
                );
            }
        }
    }

    #[test]
    fn overlay_text_region_changes_with_title() {
        let front = scene(SceneKind::Doorstep, 9, false);
        let back = Scene { title: "Back Garden".into(), ..front.clone() };
        let (front, back) = (render_rgb(&front), render_rgb(&back));
        let rows_differ = |rows: std::ops::Range<f32>| {
            let bytes = rows.start as usize * ROW_BYTES..rows.end as usize * ROW_BYTES;
            front[bytes.clone()] != back[bytes]
        };
        let title_top = OVERLAY_TOP + OVERLAY_PADDING;
        assert!(rows_differ(title_top..title_top + OVERLAY_LINE_HEIGHT), "title line is unchanged");
        assert!(!rows_differ(0.0..OVERLAY_TOP), "the picture above the overlay changed");
    }

    #[test]
    fn empty_overlay_leaves_the_picture_untouched() {
        let captioned = scene(SceneKind::Indoor, 4, true);
        let bare = Scene { title: String::new(), caption: String::new(), ..captioned.clone() };
        let (captioned, bare) = (render_rgb(&captioned), render_rgb(&bare));
        let overlay_start = OVERLAY_TOP as usize * ROW_BYTES;
        assert_eq!(captioned[..overlay_start], bare[..overlay_start]);
        assert_ne!(captioned[overlay_start..], bare[overlay_start..], "no overlay was drawn");
    }

    #[test]
    fn unusual_overlay_text_still_renders() {
        let long = "Überlange Kamera 📷 ".repeat(20);
        let odd = Scene { title: long.clone(), caption: long, ..scene(SceneKind::Outdoor, 7, true) };
        assert_eq!(decode(&render_jpeg(&odd)).dimensions(), (WIDTH, HEIGHT));
    }
}
