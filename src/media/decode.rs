//! The built-in H.264 decoder: OpenH264, built from source with the crate. It decodes Baseline
//! and Main/High without B-frames, which is what cameras write.

use image::RgbImage;
use openh264::OpenH264API;
use openh264::decoder::{DecodedYUV, Decoder, DecoderConfig, Flush};
use openh264::formats::YUVSource;

use super::MediaError;
use super::scale::{Planes, Scaler};

pub struct H264Decoder {
    decoder: Decoder,
    scaler: Scaler,
    bt709: bool,
}

impl H264Decoder {
    pub fn new(bt709: bool) -> Result<Self, MediaError> {
        // Flushing after each access unit hands every picture out at once: camera streams have
        // no B-frames, so nothing waits for reordering. One thread leaves the machine alone.
        let config = DecoderConfig::new().flush_after_decode(Flush::Flush);
        let decoder = Decoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|err| MediaError::Decode(format!("cannot start the decoder: {err}")))?;
        Ok(Self { decoder, scaler: Scaler::default(), bt709 })
    }

    /// Feeds Annex B data (parameter sets or one access unit). With `size`, the picture it
    /// completes comes back scaled to that size; without, it is decoded and dropped (a frame
    /// that would be late), which skips the scaling and colour work.
    pub fn decode(
        &mut self,
        annex_b: &[u8],
        size: Option<(u32, u32)>,
    ) -> Result<Option<RgbImage>, MediaError> {
        let bt709 = self.bt709;
        let picture = self.decoder.decode(annex_b).map_err(|err| MediaError::Decode(err.to_string()))?;
        match (picture, size) {
            (Some(picture), Some(size)) => self.scaler.to_rgb(&planes(&picture, bt709), size).map(Some),
            _ => Ok(None),
        }
    }
}

fn planes<'a>(picture: &'a DecodedYUV<'a>, bt709: bool) -> Planes<'a> {
    let (width, height) = picture.dimensions();
    let (y_stride, uv_stride, _) = picture.strides();
    Planes {
        y: picture.y(),
        u: picture.u(),
        v: picture.v(),
        width: width as u32,
        height: height as u32,
        y_stride,
        uv_stride,
        bt709,
    }
}
