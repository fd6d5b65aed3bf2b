//! Drawing primitives for the simulator's pictures: a seeded random source, colour helpers,
//! and an RGB canvas with shapes in a movable local frame.

use super::{H, HEIGHT, ROW_BYTES, W};

/// splitmix64: tiny and deterministic, enough to vary a picture without depending on `rand`.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(super) fn range(&mut self, low: f32, high: f32) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        low + (high - low) * unit
    }

    pub(super) fn chance(&mut self, probability: f32) -> bool {
        self.range(0.0, 1.0) < probability
    }

    /// Only ever called with the non-empty palettes below.
    pub(super) fn pick<T: Copy, const N: usize>(&mut self, choices: &[T; N]) -> T {
        choices[(self.next_u64() % N as u64) as usize]
    }
}

/// 0xRRGGBB.
pub(super) type Color = u32;

pub(super) fn channels(color: Color) -> [f32; 3] {
    [color >> 16, color >> 8, color].map(|channel| (channel & 0xff) as f32)
}

pub(super) fn mix(from: Color, to: Color, t: f32) -> Color {
    let (from, to) = (channels(from), channels(to));
    let channel = |i: usize| (from[i] + (to[i] - from[i]) * t).round().clamp(0.0, 255.0) as u32;
    channel(0) << 16 | channel(1) << 8 | channel(2)
}

/// Darker below 1, lighter above.
pub(super) fn shade(color: Color, factor: f32) -> Color {
    let target = if factor < 1.0 { 0x000000 } else { 0xffffff };
    mix(color, target, (factor - 1.0).abs())
}

/// An RGB8 frame. Shapes take coordinates in a local frame set with [`Canvas::at`], so an object
/// such as a person or a car is described once and drawn at any position and size.
#[derive(Clone)]
pub(super) struct Canvas {
    pub(super) rgb: Vec<u8>,
    /// Night scenes get the infrared look as each span is painted, rather than in a pass over every
    /// pixel afterwards, which keeps rendering fast in debug builds.
    pub(super) infrared: bool,
    /// Canvas position of the local origin, and canvas pixels per local unit.
    frame: (f32, f32, f32),
}

impl Canvas {
    pub(super) fn new(infrared: bool) -> Self {
        let rgb = vec![0; ROW_BYTES * HEIGHT as usize];
        Self { rgb, infrared, frame: (0.0, 0.0, 1.0) }
    }

    pub(super) fn at(&mut self, x: f32, y: f32, unit: f32) {
        self.frame = (x, y, unit);
    }

    /// Chooses what a scene shows by day or at night.
    pub(super) fn day_night<T>(&self, day: T, night: T) -> T {
        if self.infrared { night } else { day }
    }

    /// Green monochrome, brighter low in the frame, where the camera's infrared lamp reaches best.
    pub(super) fn tone(&self, color: Color, y: f32) -> [u8; 3] {
        let [r, g, b] = channels(color);
        if !self.infrared {
            return [r as u8, g as u8, b as u8];
        }
        let luma = (0.3 * r + 0.59 * g + 0.11 * b) * (0.3 + 0.45 * y / H);
        [luma * 0.55 + 4.0, luma * 0.9 + 12.0, luma * 0.6 + 6.0].map(|channel| channel as u8)
    }

    /// Blends one canvas pixel; `alpha` is coverage times opacity. Pixels off the frame are ignored.
    pub(super) fn blend(&mut self, x: f32, y: f32, paint: [u8; 3], alpha: f32) {
        if alpha <= 0.0 || !(0.0..W).contains(&x) || !(0.0..H).contains(&y) {
            return;
        }
        let weight = (alpha.min(1.0) * 256.0) as u32;
        let start = y as usize * ROW_BYTES + x as usize * 3;
        if let Some(pixel) = self.rgb.get_mut(start..start + 3) {
            for (channel, new) in pixel.iter_mut().zip(paint) {
                *channel = ((*channel as u32 * (256 - weight) + new as u32 * weight) >> 8) as u8;
            }
        }
    }

    /// Paints canvas row `y` from `left` to `right`, blending the partly covered end pixels so
    /// slanted and round edges don't look jagged.
    pub(super) fn span(&mut self, y: f32, left: f32, right: f32, color: Color, alpha: f32) {
        let (left, right, paint) = (left.max(0.0), right.min(W), self.tone(color, y));
        let (first, last) = (left.floor(), right.ceil() - 1.0);
        if right <= left || first == last {
            return self.blend(first, y, paint, (right - left) * alpha);
        }
        self.blend(first, y, paint, (first + 1.0 - left) * alpha);
        self.blend(last, y, paint, (right - last) * alpha);
        if alpha < 1.0 || !(0.0..H).contains(&y) {
            return (first as usize + 1..last as usize).for_each(|x| self.blend(x as f32, y, paint, alpha));
        }
        let row = y as usize * ROW_BYTES;
        let inner_bytes = row + first as usize * 3 + 3..row + last as usize * 3;
        let Some(inner) = self.rgb.get_mut(inner_bytes) else {
            return;
        };
        // Doubling copies: a handful of memcpy calls per row instead of one call per pixel.
        let mut filled = inner.len().min(3);
        inner[..filled].copy_from_slice(&paint[..filled]);
        while filled < inner.len() {
            let count = filled.min(inner.len() - filled);
            inner.copy_within(..count, filled);
            filled += count;
        }
    }

    /// A quadrilateral with horizontal top and bottom edges, each given as (y, left x, right x).
    pub(super) fn trapezoid(&mut self, top: (f32, f32, f32), bottom: (f32, f32, f32), color: Color) {
        let (x, y, unit) = self.frame;
        let place =
            |(edge, left, right): (f32, f32, f32)| (edge * unit + y, left * unit + x, right * unit + x);
        let ((top, top_left, top_right), (bottom, bottom_left, bottom_right)) = (place(top), place(bottom));
        for row in top.round().max(0.0) as i32..bottom.round().min(H) as i32 {
            let t = (row as f32 + 0.5 - top) / (bottom - top);
            let left = top_left + (bottom_left - top_left) * t;
            let right = top_right + (bottom_right - top_right) * t;
            self.span(row as f32, left, right, color, 1.0);
        }
    }

    pub(super) fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, color: Color) {
        self.trapezoid((y0, x0, x1), (y1, x0, x1), color);
    }

    pub(super) fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, color: Color, alpha: f32) {
        let (x, y, unit) = self.frame;
        let (cx, cy, rx, ry) = (cx * unit + x, cy * unit + y, rx * unit, ry * unit);
        for row in (cy - ry).floor().max(0.0) as i32..(cy + ry).ceil().min(H) as i32 {
            let dy = (row as f32 + 0.5 - cy) / ry;
            let half_width = rx * (1.0 - dy * dy).max(0.0).sqrt();
            self.span(row as f32, cx - half_width, cx + half_width, color, alpha);
        }
    }

    /// Full-width vertical colour ramp in canvas rows, for skies and lawns.
    pub(super) fn gradient(&mut self, y0: f32, y1: f32, top: Color, bottom: Color) {
        for row in y0.round().max(0.0) as i32..y1.round().min(H) as i32 {
            let color = mix(top, bottom, (row as f32 - y0) / (y1 - y0));
            self.span(row as f32, 0.0, W, color, 1.0);
        }
    }

    /// Dims the canvas box from (0, top) to (right, bottom edge) to `keep` of its brightness.
    pub(super) fn darken_corner(&mut self, right: f32, top: f32, keep: f32) {
        let (keep, row_len) = ((keep * 256.0) as u32, right.clamp(0.0, W) as usize * 3);
        for row in self.rgb.chunks_exact_mut(ROW_BYTES).skip(top.max(0.0) as usize) {
            for channel in row.iter_mut().take(row_len) {
                *channel = ((*channel as u32 * keep) >> 8) as u8;
            }
        }
    }
}
