//! What the decoder needs from H.264 framing: the parameter sets of an MP4's `avcC` box, the
//! facts in a sequence parameter set (size, profile, frame reordering), and conversion of
//! length-prefixed NAL units (MP4) to the Annex B byte stream OpenH264 reads.

use h264_reader::nal::sps::SeqParameterSet;
use h264_reader::nal::{Nal, RefNal};

use super::MediaError;

/// The largest picture blinktui decodes (4K UHD): a bigger one in a camera clip is an attack or
/// a mistake, and the decoder would allocate for it.
pub const MAX_PIXELS: u64 = 3840 * 2160;

const START_CODE: [u8; 4] = [0, 0, 0, 1];

/// The `avcC` decoder configuration: NAL length size and the parameter sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvcConfig {
    pub length_size: usize,
    pub sps: Vec<Vec<u8>>,
    pub pps: Vec<Vec<u8>>,
}

impl AvcConfig {
    /// Reads an `avcC` payload, checking every length against the data. (h264-reader's
    /// `AvcDecoderConfigurationRecord` reads past the end of a record whose last parameter set
    /// is empty, a panic on a hostile clip, so this bounded reader stays.)
    pub fn parse(data: &[u8]) -> Result<Self, MediaError> {
        let bad =
            |what: &str| MediaError::invalid(format!("the clip's H.264 configuration is damaged ({what})"));
        let mut reader = Cursor { data, at: 0 };
        if reader.u8().ok_or_else(|| bad("empty"))? != 1 {
            return Err(bad("unknown version"));
        }
        reader.skip(3).ok_or_else(|| bad("too short"))?;
        let length_size = usize::from(reader.u8().ok_or_else(|| bad("too short"))? & 0b11) + 1;
        let sps_count = reader.u8().ok_or_else(|| bad("too short"))? & 0b1_1111;
        let sps =
            (0..sps_count).map(|_| reader.param_set().ok_or_else(|| bad("SPS"))).collect::<Result<_, _>>()?;
        let pps_count = reader.u8().ok_or_else(|| bad("no PPS count"))?;
        let pps =
            (0..pps_count).map(|_| reader.param_set().ok_or_else(|| bad("PPS"))).collect::<Result<_, _>>()?;
        let config = Self { length_size, sps, pps };
        if config.sps.is_empty() || config.pps.is_empty() {
            return Err(bad("no parameter sets"));
        }
        Ok(config)
    }

    /// The parameter sets as an Annex B stream, fed to a decoder before the first picture.
    pub fn annex_b(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for nal in self.sps.iter().chain(&self.pps) {
            out.extend_from_slice(&START_CODE);
            out.extend_from_slice(nal);
        }
        out
    }
}

struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn u8(&mut self) -> Option<u8> {
        let byte = *self.data.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        (self.at + n <= self.data.len()).then(|| self.at += n)
    }

    fn param_set(&mut self) -> Option<Vec<u8>> {
        let len = usize::from(u16::from_be_bytes([self.u8()?, self.u8()?]));
        let nal = self.data.get(self.at..self.at + len)?;
        self.at += len;
        (!nal.is_empty()).then(|| nal.to_vec())
    }
}

/// What a sequence parameter set says about the pictures that follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamFacts {
    pub width: u32,
    pub height: u32,
    pub profile_idc: u8,
    /// BT.709 colours (HD); otherwise BT.601.
    pub bt709: bool,
}

impl StreamFacts {
    /// Reads a sequence parameter set NAL unit (with its header byte).
    pub fn from_sps(nal: &[u8]) -> Result<Self, MediaError> {
        let sps = SeqParameterSet::from_bits(RefNal::new(nal, &[], true).rbsp_bits()).map_err(|err| {
            MediaError::invalid(format!("the clip's H.264 parameters are damaged ({err:?})"))
        })?;
        let (width, height) = sps
            .pixel_dimensions()
            .map_err(|err| MediaError::invalid(format!("the clip's picture size is damaged ({err:?})")))?;
        if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(MediaError::invalid(format!("the clip claims a {width}x{height} picture")));
        }
        let vui = sps.vui_parameters.as_ref();
        let profile_idc: u8 = sps.profile_idc.into();
        let matrix =
            vui.and_then(|v| v.video_signal_type.as_ref()).and_then(|s| s.colour_description.as_ref());
        let bt709 = match matrix.map(|c| c.matrix_coefficients) {
            Some(1) => true,
            Some(5 | 6) => false,
            _ => height >= 720,
        };
        Ok(Self { width, height, profile_idc, bt709 })
    }

    pub fn profile_name(&self) -> &'static str {
        match self.profile_idc {
            66 => "Baseline",
            77 => "Main",
            88 => "Extended",
            100 => "High",
            110 => "High 10",
            122 => "High 4:2:2",
            244 => "High 4:4:4",
            _ => "an unusual profile",
        }
    }
}

/// One MP4 sample (NAL units each prefixed by its length) as Annex B, appended to `out`.
pub fn length_prefixed_to_annex_b(
    sample: &[u8],
    length_size: usize,
    out: &mut Vec<u8>,
) -> Result<(), MediaError> {
    let mut at = 0;
    while at < sample.len() {
        let prefix = sample
            .get(at..at + length_size)
            .ok_or_else(|| MediaError::invalid("a video frame in the clip is cut short"))?;
        let len = prefix.iter().fold(0usize, |len, byte| len << 8 | usize::from(*byte));
        at += length_size;
        let nal = sample
            .get(at..at + len)
            .ok_or_else(|| MediaError::invalid("a video frame in the clip is cut short"))?;
        // A parameter set sent with the frames is held to the limits of the clip's own.
        if nal.first().is_some_and(|header| header & 0x1f == SPS_TYPE) {
            StreamFacts::from_sps(nal)?;
        }
        out.extend_from_slice(&START_CODE);
        out.extend_from_slice(nal);
        at += len;
    }
    Ok(())
}

/// NAL unit type of a sequence parameter set.
const SPS_TYPE: u8 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    /// avcC of a 384x216 Main-profile stream made by x264.
    fn sample_avcc() -> Vec<u8> {
        let sps = [
            0x67, 0x4d, 0x40, 0x1e, 0xec, 0xa0, 0xc1, 0xbf, 0x97, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10,
            0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x62, 0xd9, 0x60,
        ];
        let pps = [0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0];
        let mut avcc = vec![1, 0x4d, 0x40, 0x1e, 0xff, 0xe1];
        avcc.extend_from_slice(&(sps.len() as u16).to_be_bytes());
        avcc.extend_from_slice(&sps);
        avcc.push(1);
        avcc.extend_from_slice(&(pps.len() as u16).to_be_bytes());
        avcc.extend_from_slice(&pps);
        avcc
    }

    #[test]
    fn avcc_parameter_sets_and_length_size() {
        let config = AvcConfig::parse(&sample_avcc()).expect("parse");
        assert_eq!((config.length_size, config.sps.len(), config.pps.len()), (4, 1, 1));
        let annex_b = config.annex_b();
        assert!(annex_b.starts_with(&[0, 0, 0, 1, 0x67]));
        assert_eq!(annex_b.windows(5).filter(|w| w[..4] == START_CODE).count(), 2);
    }

    #[test]
    fn damaged_avcc_is_an_error_never_a_panic() {
        let good = sample_avcc();
        for cut in 0..good.len() {
            let _ = AvcConfig::parse(&good[..cut]);
        }
        assert!(AvcConfig::parse(&[]).is_err());
        assert!(AvcConfig::parse(&[1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0xff, 0xff, 0x67]).is_err());
        assert!(AvcConfig::parse(&[1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0, 0, 1, 0, 0]).is_err(), "empty sets");
        let mut empty_last_pps = good[..good.len() - 9].to_vec();
        empty_last_pps.extend_from_slice(&[1, 0, 0]);
        assert!(AvcConfig::parse(&empty_last_pps).is_err(), "an empty last PPS");
    }

    #[test]
    fn length_prefixes_become_start_codes() {
        let sample = [0, 0, 0, 2, 0x65, 0xaa, 0, 0, 0, 1, 0x06];
        let mut out = Vec::new();
        length_prefixed_to_annex_b(&sample, 4, &mut out).expect("convert");
        assert_eq!(out, [0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06]);
        let mut out = Vec::new();
        assert!(length_prefixed_to_annex_b(&[0, 0, 0, 9, 0x65], 4, &mut out).is_err());
        assert!(length_prefixed_to_annex_b(&[0, 0], 4, &mut out).is_err());
    }
}
