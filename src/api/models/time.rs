//! Blink's timestamps come as `2022-03-12T17:20:01+00:00`, `...+0000` and, in programs,
//! `2016-06-02 14:45:00 +0000`. Parse all of them; never fail a whole response over one.

use jiff::Timestamp;
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

/// A time as Blink sent it: parsed once, where the document is read, compared as a time, and
/// written back exactly as it came (the simulator, `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlinkTime {
    pub at: Timestamp,
    text: Box<str>,
}

impl BlinkTime {
    pub fn parse(text: &str) -> Option<Self> {
        Some(Self { at: parse_timestamp(text)?, text: text.into() })
    }

    /// The text Blink sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::str::FromStr for BlinkTime {
    type Err = UnreadableTime;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or(UnreadableTime)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a time Blink writes")]
pub struct UnreadableTime;

/// Written the way Blink writes its own times.
impl From<Timestamp> for BlinkTime {
    fn from(at: Timestamp) -> Self {
        Self { at, text: format_blink(at).into() }
    }
}

/// The epoch: a record built in code without a time (records read from Blink always have one).
impl Default for BlinkTime {
    fn default() -> Self {
        Self::from(Timestamp::UNIX_EPOCH)
    }
}

impl Ord for BlinkTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at).then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for BlinkTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for BlinkTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for BlinkTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// A required time: one that cannot be read is an error, which drops the record it is in
/// (see `de::items`), never the document.
impl<'de> Deserialize<'de> for BlinkTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| D::Error::custom("unreadable time"))
    }
}

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
    fn times_compare_as_times_and_keep_their_text() {
        let utc = BlinkTime::parse("2022-03-12T17:20:01+00:00").expect("utc");
        let earlier_text_later_time = BlinkTime::parse("2022-03-12T12:20:02-05:00").expect("offset");
        assert!(earlier_text_later_time > utc, "by time, not by text");
        let json = serde_json::to_string(&earlier_text_later_time).expect("json");
        assert_eq!(json, r#""2022-03-12T12:20:02-05:00""#);
        let back: BlinkTime = serde_json::from_str(&json).expect("read");
        assert_eq!(back, earlier_text_later_time);
        assert!(serde_json::from_str::<BlinkTime>(r#""yesterday""#).is_err());
        assert!(serde_json::from_str::<BlinkTime>("1648473188").is_err());
        let fraction = BlinkTime::parse("2022-03-12T17:20:01.250Z").expect("fraction");
        assert_eq!(fraction.at.subsec_millisecond(), 250);
    }

    #[test]
    fn since_uses_the_compact_offset() {
        let ts: Timestamp = "2024-02-01T08:00:00Z".parse().expect("reference");
        assert_eq!(format_since(ts), "2024-02-01T08:00:00+0000");
        assert_eq!(format_blink(ts), "2024-02-01T08:00:00+00:00");
    }
}
