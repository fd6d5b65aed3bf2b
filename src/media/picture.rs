//! Pictures from the network decoded within limits. A small file can declare 13000x13000
//! pixels (500 MB decoded), so the size in the header is checked before anything is decoded;
//! what is decoded is scaled down to what the largest picture area can show, so the cache
//! holds pictures of a bounded size.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, Limits};

/// The most pixels decoded: Blink's cameras take at most 1920x1080 (2 megapixels); 16
/// leaves room for any future camera and keeps a decode under ~130 MB at the worst pixel type.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// What the decoder may allocate in all, as a second guard behind [`MAX_PIXELS`].
const MAX_ALLOC: u64 = 160 * 1024 * 1024;

/// No picture area needs more: a full-screen details view on a large terminal is about this
/// many pixels, and the terminal protocols scale to the area anyway.
pub const FIT: (u32, u32) = (1920, 1080);

/// Why a picture was not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    #[error("the picture is {width}x{height} pixels, more than the {} megapixels blinktui decodes", MAX_PIXELS / 1_000_000)]
    TooLarge { width: u32, height: u32 },
    /// Not a picture, or a damaged one: the decoder's words.
    #[error("{0}")]
    Unreadable(String),
}

impl PictureError {
    fn unreadable(err: impl std::fmt::Display) -> Self {
        Self::Unreadable(err.to_string())
    }
}

/// Decodes a JPEG or PNG no larger than [`MAX_PIXELS`], scaled down to fit in [`FIT`].
pub fn decode_picture(bytes: &[u8]) -> Result<DynamicImage, PictureError> {
    let reader =
        || ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(PictureError::unreadable);
    let (width, height) = reader()?.into_dimensions().map_err(PictureError::unreadable)?;
    check_size(width, height)?;
    let mut reader = reader()?;
    let mut limits = Limits::default();
    // The decoder is held to what the header said, so a second, larger frame header is refused.
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(PictureError::unreadable)?;
    Ok(fit(image, FIT))
}

fn check_size(width: u32, height: u32) -> Result<(), PictureError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooLarge { width, height });
    }
    Ok(())
}

/// Scales down (never up) to fit in `bounds`, keeping the aspect ratio.
fn fit(image: DynamicImage, bounds: (u32, u32)) -> DynamicImage {
    if image.width() <= bounds.0 && image.height() <= bounds.1 {
        return image;
    }
    image.resize(bounds.0, bounds.1, FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, RgbImage};

    fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    /// A JPEG of a few hundred bytes whose header declares `width` x `height`: a decoder that
    /// trusts it allocates the whole picture before finding the data short.
    fn jpeg_bomb(width: u16, height: u16) -> Vec<u8> {
        let mut jpeg = encode(&DynamicImage::ImageRgb8(RgbImage::new(16, 16)), ImageFormat::Jpeg);
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
        // SOF0: marker, length (2), precision (1), height (2), width (2).
        jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        jpeg
    }

    #[test]
    fn a_picture_bomb_is_refused_before_decoding() {
        let bomb = jpeg_bomb(13_000, 13_000);
        assert!(bomb.len() < 2_000, "small on the wire: {} bytes", bomb.len());
        let err = decode_picture(&bomb).expect_err("169 megapixels");
        assert_eq!(err, PictureError::TooLarge { width: 13_000, height: 13_000 });
        assert!(
            err.to_string().contains("13000x13000") && err.to_string().contains("16 megapixels"),
            "{err}"
        );
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_png_declaring_huge_dimensions_is_refused_too() {
        let mut png = encode(&DynamicImage::ImageRgb8(RgbImage::new(4, 4)), ImageFormat::Png);
        // IHDR follows the 8-byte signature, 4-byte length and 4-byte type: width then height,
        // and its CRC (over type and data) after its 13 bytes.
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = decode_picture(&png).expect_err("400 megapixels");
        assert_eq!(err, PictureError::TooLarge { width: 20_000, height: 20_000 });
    }

    #[test]
    fn large_pictures_are_scaled_down_to_fit_and_small_ones_kept() {
        let wide = encode(&DynamicImage::ImageRgb8(RgbImage::new(3840, 200)), ImageFormat::Png);
        let image = decode_picture(&wide).expect("decodes");
        assert_eq!((image.width(), image.height()), (1920, 100));
        let tall = encode(&DynamicImage::ImageRgb8(RgbImage::new(100, 2160)), ImageFormat::Jpeg);
        let image = decode_picture(&tall).expect("decodes");
        assert_eq!((image.width(), image.height()), (50, 1080));
        let small = encode(&DynamicImage::ImageRgb8(RgbImage::new(640, 360)), ImageFormat::Jpeg);
        let image = decode_picture(&small).expect("decodes");
        assert_eq!((image.width(), image.height()), (640, 360));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_picture(b"").is_err());
        assert!(decode_picture(b"<html>Sign in</html>").is_err());
        assert!(decode_picture(&[0xFF, 0xD8, 0xFF, 0xE0]).is_err());
    }
}
