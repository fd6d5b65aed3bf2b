//! The terminal's background colour, from its answer to OSC 11 (`ESC ] 11 ; ?`):
//! `11;rgb:RRRR/GGGG/BBBB`, with 1 to 4 hex digits per channel.

/// A colour with each channel between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb {
    pub r: f64,
    pub g: f64,
    pub b: f64,
}

/// The colour in the body of an OSC 11 answer (between `ESC ]` and its terminator); `None`
/// for anything else or anything malformed.
pub fn parse_background(osc: &str) -> Option<Rgb> {
    let spec = osc.strip_prefix("11;")?;
    // Some terminals add an alpha channel (`rgba:`); it says nothing about lightness.
    let (channels, count) = match spec.strip_prefix("rgba:") {
        Some(channels) => (channels, 4),
        None => (spec.strip_prefix("rgb:")?, 3),
    };
    let parts: Vec<&str> = channels.split('/').collect();
    if parts.len() != count {
        return None;
    }
    Some(Rgb { r: channel(parts[0])?, g: channel(parts[1])?, b: channel(parts[2])? })
}

/// `h`, `hh`, `hhh` or `hhhh`: the value scaled by the largest one with as many digits
/// (`ff` and `ffff` are both full).
fn channel(hex: &str) -> Option<f64> {
    if !(1..=4).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let value = u32::from_str_radix(hex, 16).ok()?;
    let max = (1u32 << (4 * hex.len())) - 1;
    Some(f64::from(value) / f64::from(max))
}

impl Rgb {
    /// Relative luminance (sRGB, as WCAG defines it).
    pub fn luminance(self) -> f64 {
        let linear = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// Lighter than a perceptual middle grey (L* 50, luminance 0.184): dark text reads
    /// better on it than light text.
    pub fn is_light(self) -> bool {
        self.luminance() > 0.184
    }

    /// `#rrggbb`, for `blinktui info`.
    pub fn hex(self) -> String {
        let byte = |c: f64| (c * 255.0).round().clamp(0.0, 255.0) as u8;
        format!("#{:02x}{:02x}{:02x}", byte(self.r), byte(self.g), byte(self.b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::answers::{Answer, scan};

    fn background_in(bytes: &[u8]) -> Option<Rgb> {
        scan(bytes).into_iter().find_map(|answer| match answer {
            Answer::Osc(body) => parse_background(&body),
            _ => None,
        })
    }

    #[test]
    fn either_terminator_is_accepted() {
        let bel = background_in(b"\x1b]11;rgb:ffff/ffff/ffff\x07").expect("BEL-terminated");
        let st = background_in(b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\").expect("ST-terminated");
        assert_eq!(bel, st);
        assert_eq!(bel.hex(), "#ffffff");
        assert!(bel.is_light());
    }

    #[test]
    fn two_and_four_digit_channels_mean_the_same_colour() {
        let four = parse_background("11;rgb:fdfd/f6f6/e3e3").expect("4 digits");
        let two = parse_background("11;rgb:fd/f6/e3").expect("2 digits");
        assert_eq!((four.hex(), two.hex()), ("#fdf6e3".into(), "#fdf6e3".into()));
        assert_eq!(parse_background("11;rgb:f/8/0").map(Rgb::hex).as_deref(), Some("#ff8800"));
        assert_eq!(parse_background("11;rgb:fff/000/888").map(Rgb::hex).as_deref(), Some("#ff0088"));
        assert_eq!(parse_background("11;rgba:0000/0000/0000/ffff").map(Rgb::hex).as_deref(), Some("#000000"));
    }

    #[test]
    fn light_and_dark_are_told_apart_by_luminance() {
        let light = ["ffffff", "fdf6e3", "eeeeee", "c0c0c0", "fbf1c7"];
        let dark = ["000000", "002b36", "282828", "2e3440", "1e1e2e", "505050"];
        for (hex, expected) in light.iter().map(|h| (h, true)).chain(dark.iter().map(|h| (h, false))) {
            let spec = format!("11;rgb:{}/{}/{}", &hex[0..2], &hex[2..4], &hex[4..6]);
            let rgb = parse_background(&spec).expect("valid");
            assert_eq!(rgb.is_light(), expected, "#{hex}: luminance {:.3}", rgb.luminance());
        }
    }

    #[test]
    fn garbage_is_ignored() {
        for body in [
            "11;rgb:ffff/ffff",
            "11;rgb:ffff/ffff/ffff/ffff",
            "11;rgb:fffff/0/0",
            "11;rgb://",
            "11;rgb:+f/0/0",
            "11;rgb:xyz/0/0",
            "11;#ffffff",
            "10;rgb:ffff/ffff/ffff",
            "11;?",
            "",
        ] {
            assert_eq!(parse_background(body), None, "{body:?}");
        }
        let mixed = background_in(b"\x1b]11;rgb:zz\x1bnoise\x1b]11;rgb:0000/0000/0000\x07");
        assert_eq!(mixed.map(Rgb::hex).as_deref(), Some("#000000"), "the valid answer after garbage");
    }
}
