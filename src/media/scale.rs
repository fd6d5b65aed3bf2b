//! From decoded YUV 4:2:0 planes to an RGB picture of the size it is drawn at. The planes are
//! scaled first (with SIMD, by `fast_image_resize`) and converted to RGB after, so the colour
//! conversion touches only the pixels that reach the terminal.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use super::MediaError;

/// One decoded picture's planes, as a decoder hands them out (rows may be padded).
pub struct Planes<'a> {
    pub y: &'a [u8],
    pub u: &'a [u8],
    pub v: &'a [u8],
    pub width: u32,
    pub height: u32,
    pub y_stride: usize,
    pub uv_stride: usize,
    pub bt709: bool,
}

/// The largest size with the picture's proportions inside `bounds`, at least 1x1.
pub fn fit(width: u32, height: u32, bounds: (u32, u32)) -> (u32, u32) {
    let (max_w, max_h) = (bounds.0.max(1), bounds.1.max(1));
    if width == 0 || height == 0 {
        return (max_w, max_h);
    }
    let scale = (f64::from(max_w) / f64::from(width)).min(f64::from(max_h) / f64::from(height));
    let w = (f64::from(width) * scale).round().clamp(1.0, f64::from(max_w)) as u32;
    let h = (f64::from(height) * scale).round().clamp(1.0, f64::from(max_h)) as u32;
    (w, h)
}

/// The size to draw a `width`x`height` picture at in `bounds` of pixels that are not square:
/// each drawn pixel is `pixel_aspect` times as wide as it is tall (half blocks in a 9x20 cell:
/// 9 wide, 10 tall, 0.9). The picture keeps its proportions on screen, not in pixel counts.
pub fn fit_drawn(width: u32, height: u32, bounds: (u32, u32), pixel_aspect: f32) -> (u32, u32) {
    let aspect = if pixel_aspect.is_finite() && pixel_aspect > 0.0 { pixel_aspect } else { 1.0 };
    let height = (height as f32 * aspect).round().max(1.0) as u32;
    fit(width, height, bounds)
}

/// Reusable buffers and the resizer, one per playback.
#[derive(Default)]
pub struct Scaler {
    resizer: Resizer,
}

impl Scaler {
    /// The picture scaled to exactly `size` (callers keep proportions with [`fit`]).
    pub fn to_rgb(&mut self, planes: &Planes, size: (u32, u32)) -> Result<RgbImage, MediaError> {
        let (w, h) = (size.0.max(1), size.1.max(1));
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let (src_cw, src_ch) = (planes.width.div_ceil(2), planes.height.div_ceil(2));
        let y = self.plane(planes.y, planes.y_stride, (planes.width, planes.height), (w, h))?;
        let u = self.plane(planes.u, planes.uv_stride, (src_cw, src_ch), (cw, ch))?;
        let v = self.plane(planes.v, planes.uv_stride, (src_cw, src_ch), (cw, ch))?;
        let matrix = if planes.bt709 { &BT709 } else { &BT601 };
        let mut rgb = vec![0u8; w as usize * h as usize * 3];
        for (row, line) in rgb.chunks_exact_mut(w as usize * 3).enumerate() {
            let luma = &y[row * w as usize..][..w as usize];
            let chroma_row = (row / 2) * cw as usize;
            for (col, pixel) in line.chunks_exact_mut(3).enumerate() {
                let c = chroma_row + col / 2;
                pixel.copy_from_slice(&matrix.rgb(luma[col], u[c], v[c]));
            }
        }
        RgbImage::from_raw(w, h, rgb).ok_or_else(|| MediaError::Decode("picture buffer size".into()))
    }

    /// One plane, `stride` bytes a row with `size` visible, resized to `target`.
    fn plane(
        &mut self,
        data: &[u8],
        stride: usize,
        size: (u32, u32),
        target: (u32, u32),
    ) -> Result<Vec<u8>, MediaError> {
        let broken = |what: &str| MediaError::Decode(format!("decoded picture: {what}"));
        let stride = u32::try_from(stride).map_err(|_| broken("stride"))?;
        if stride < size.0 {
            return Err(broken("stride"));
        }
        let rows = u32::try_from(data.len() / stride.max(1) as usize).unwrap_or(u32::MAX).min(size.1);
        if rows == 0 {
            return Err(broken("no rows"));
        }
        let source = ImageRef::new(stride, rows, data, PixelType::U8).map_err(|_| broken("plane size"))?;
        let mut out = Image::new(target.0, target.1, PixelType::U8);
        let options = ResizeOptions::new()
            .crop(0.0, 0.0, f64::from(size.0), f64::from(rows))
            .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
        self.resizer.resize(&source, &mut out, &options).map_err(|err| broken(&err.to_string()))?;
        Ok(out.into_vec())
    }
}

/// Limited-range YCbCr to RGB, in 16.16 fixed point.
struct Matrix {
    y: i32,
    rv: i32,
    gu: i32,
    gv: i32,
    bu: i32,
}

const BT601: Matrix = Matrix { y: 76309, rv: 104597, gu: -25675, gv: -53279, bu: 132201 };
const BT709: Matrix = Matrix { y: 76309, rv: 117489, gu: -13975, gv: -34925, bu: 138438 };

impl Matrix {
    fn rgb(&self, y: u8, u: u8, v: u8) -> [u8; 3] {
        let y = (i32::from(y) - 16) * self.y;
        let (u, v) = (i32::from(u) - 128, i32::from(v) - 128);
        let clamp = |x: i32| ((x + 32768) >> 16).clamp(0, 255) as u8;
        [clamp(y + self.rv * v), clamp(y + self.gu * u + self.gv * v), clamp(y + self.bu * u)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_in_narrow_cells_keep_a_clip_16_by_9_on_screen() {
        // 120x36 cells of 9x20 px, half blocks: drawn pixels are 9 wide and 10 tall.
        let (w, h) = fit_drawn(1280, 720, (120, 72), 0.9);
        let on_screen = (w as f32 * 9.0) / (h as f32 * 10.0);
        assert!((on_screen - 16.0 / 9.0).abs() < 0.03, "{w}x{h} shows at {on_screen:.2}:1");
        // Square pixels (10x20 cells, or none known): the plain fit.
        assert_eq!(fit_drawn(1280, 720, (120, 72), 1.0), fit(1280, 720, (120, 72)));
        assert_eq!(fit_drawn(1280, 720, (120, 72), f32::NAN), fit(1280, 720, (120, 72)));
    }

    #[test]
    fn fit_keeps_proportions_inside_the_box() {
        assert_eq!(fit(1280, 720, (600, 600)), (600, 338));
        assert_eq!(fit(1280, 720, (100, 20)), (36, 20));
        assert_eq!(fit(384, 216, (0, 0)), (1, 1));
        assert_eq!(fit(0, 0, (50, 40)), (50, 40));
    }

    #[test]
    fn planes_become_rgb_of_the_asked_size() {
        // 8x4 picture with 16-byte rows: left half white, right half black; neutral chroma.
        let mut y = vec![0u8; 16 * 4];
        for row in y.chunks_mut(16) {
            row[..4].fill(235);
            row[4..8].fill(16);
        }
        let chroma = vec![128u8; 8 * 2];
        let planes = Planes {
            y: &y,
            u: &chroma,
            v: &chroma,
            width: 8,
            height: 4,
            y_stride: 16,
            uv_stride: 8,
            bt709: false,
        };
        let rgb = Scaler::default().to_rgb(&planes, (4, 2)).expect("scale");
        assert_eq!(rgb.dimensions(), (4, 2));
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(3, 1).0, [0, 0, 0]);
        let broken = Planes { y_stride: 4, ..planes };
        assert!(Scaler::default().to_rgb(&broken, (4, 2)).is_err());
    }

    #[test]
    fn colours_convert_as_bt601_and_bt709() {
        // Pure red in limited-range BT.601: Y=81, U=90, V=240.
        let red = BT601.rgb(81, 90, 240);
        assert!(red[0] > 250 && red[1] < 5 && red[2] < 5, "{red:?}");
        let grey = BT709.rgb(126, 128, 128);
        assert!(grey.iter().all(|c| (c.abs_diff(128)) <= 2), "{grey:?}");
    }
}
