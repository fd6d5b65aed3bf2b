//! Blink's timestamps come as `2022-03-12T17:20:01+00:00`, `...+0000` and, in programs,
//! `2016-06-02 14:45:00 +0000`. Parse all of them; never fail a whole response over one.

use jiff::Timestamp;

pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"]
        .iter()
        .find_map(|format| jiff::fmt::strtime::parse(format, text).ok()?.to_timestamp().ok())
}

/// The `since` parameter of `media/changed`: UTC, `%Y-%m-%dT%H:%M:%S+0000`.
pub fn format_since(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

/// How Blink writes `created_at` and friends.
pub fn format_blink(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_shape_blink_sends() {
        let expected: Timestamp = "2022-03-12T17:20:01Z".parse().expect("reference");
        for text in [
            "2022-03-12T17:20:01+00:00",
            "2022-03-12T17:20:01+0000",
            "2022-03-12 17:20:01 +0000",
            "2022-03-12T12:20:01-05:00",
            " 2022-03-12T17:20:01Z ",
        ] {
            assert_eq!(parse_timestamp(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in ["", "yesterday", "2022-13-45T99:99:99+00:00", "1648473188"] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
    }

    #[test]
    fn since_uses_the_compact_offset() {
        let ts: Timestamp = "2024-02-01T08:00:00Z".parse().expect("reference");
        assert_eq!(format_since(ts), "2024-02-01T08:00:00+0000");
        assert_eq!(format_blink(ts), "2024-02-01T08:00:00+00:00");
    }
}
