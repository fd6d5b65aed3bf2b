//! A starting time as users write it, for `--since WHEN` and the events filter's `since:`: a
//! duration back from now (`2h`, `3d`, `1 week`), a date (local midnight), a local date and
//! time, or an RFC 3339 timestamp.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ZonedDateTime};

/// A starting time that could not be read, with what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinceError {
    #[error("{0:?}: {1}")]
    OutOfRange(String, String),
    #[error("{0:?} is not a duration (2h, 3d), a date (2026-11-01) or a time (2026-11-01T08:00:00Z)")]
    NotUnderstood(String),
}

pub fn parse_since(text: &str, now: &ZonedDateTime) -> Result<Timestamp, SinceError> {
    let text = text.trim();
    if let Ok(span) = text.parse::<Span>() {
        return now
            .checked_sub(span.abs())
            .map(|z| z.timestamp())
            .map_err(|err| SinceError::OutOfRange(text.to_owned(), err.to_string()));
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let local = |dt: DateTime| dt.to_zoned_datetime(now.time_zone().clone()).map(|z| z.timestamp());
    if let Ok(dt) = text.replacen(' ', "T", 1).parse::<DateTime>()
        && let Ok(ts) = local(dt)
    {
        return Ok(ts);
    }
    if let Ok(date) = text.parse::<Date>()
        && let Ok(ts) = local(date.to_datetime(jiff::civil::Time::midnight()))
    {
        return Ok(ts);
    }
    Err(SinceError::NotUnderstood(text.to_owned()))
}

pub fn local_now() -> ZonedDateTime {
    Timestamp::now().to_zoned_datetime(TimeZone::system())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> ZonedDateTime {
        "2026-11-26T12:00:00Z".parse::<Timestamp>().expect("ts").to_zoned_datetime(TimeZone::UTC)
    }

    #[test]
    fn durations_count_back_from_now() {
        for (text, expected) in [
            ("2h", "2026-11-26T10:00:00Z"),
            ("3d", "2026-11-23T12:00:00Z"),
            ("1 week", "2026-11-19T12:00:00Z"),
            ("90m", "2026-11-26T10:30:00Z"),
        ] {
            assert_eq!(parse_since(text, &now()).expect(text).to_string(), expected, "{text}");
        }
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_since("2026-11-01", &now()).expect("date").to_string(), "2026-11-01T00:00:00Z");
        assert_eq!(
            parse_since("2026-11-01 08:30", &now()).expect("local").to_string(),
            "2026-11-01T08:30:00Z"
        );
        assert_eq!(
            parse_since("2026-11-01T08:00:00+01:00", &now()).expect("rfc3339").to_string(),
            "2026-11-01T07:00:00Z"
        );
    }

    #[test]
    fn nonsense_is_named_with_what_is_accepted() {
        let err = parse_since("last tuesday", &now()).expect_err("nonsense");
        assert_eq!(err, SinceError::NotUnderstood("last tuesday".into()));
        assert!(err.to_string().contains("\"last tuesday\" is not a duration (2h, 3d)"), "{err}");
    }
}
