//! `blinktui watch` flags, and the durations they take (`30s`, `10m`, `30d`).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use jiff::{Span, SpanRelativeTo};

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Also report (and archive) the events since then: a duration (`7d`), a date or a time.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print JSON lines [default when stdout is not a terminal].
    #[arg(long)]
    pub json: bool,
    /// Run this command per new event, without a shell; the event is in BLINK_* variables.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Kill a command from --exec (and what it started) after this long.
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_duration)]
    pub exec_timeout: Duration,
    /// Archive every new clip and its thumbnail under DIR/{network}/{camera}/{date}/.
    #[arg(long, value_name = "DIR")]
    pub download: Option<PathBuf>,
    /// With --download: delete archived files older than this (`30d`); Blink's copies stay.
    #[arg(long, value_name = "DURATION", requires = "download", value_parser = parse_duration)]
    pub keep: Option<Duration>,
    /// Time between polls [default: `refresh_interval_secs` of the config, 60 s]; at least 30 s
    /// (less only against a simulator on this machine).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,
}

/// A duration such as `90s`, `10m`, `2h` or `30d` (a day is 24 hours here).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let span: Span =
        text.trim().parse().map_err(|err| format!("{text:?} is not a duration (30s, 10m, 30d): {err}"))?;
    let signed =
        span.to_duration(SpanRelativeTo::days_are_24_hours()).map_err(|err| format!("{text:?}: {err}"))?;
    Duration::try_from(signed.abs()).map_err(|err| format!("{text:?}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_days_and_milliseconds() {
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("soon").is_err());
    }
}
