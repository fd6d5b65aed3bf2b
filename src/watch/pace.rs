//! How often watch asks Blink: the poll interval with its jitter, the backoff through an
//! outage, and the retry schedule of a clip that failed to download.

use std::time::Duration;

use rand::Rng;

use crate::api::ApiError;
use crate::api::backoff::{asked_wait, doubling};

/// The shortest poll interval against Blink: faster polling gets accounts throttled.
pub const MIN_INTERVAL: Duration = Duration::from_secs(30);
/// The longest wait between two attempts through an outage.
pub const MAX_OUTAGE_WAIT: Duration = Duration::from_secs(600);
/// The longest wait before retrying a clip download.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(3600);

/// `interval` if it is allowed: at least [`MIN_INTERVAL`], unless the REST host is this
/// machine (the simulator, where tests poll fast).
pub fn checked_interval(interval: Duration, loopback: bool) -> Result<Duration, String> {
    if interval < MIN_INTERVAL && !loopback {
        return Err(format!(
            "--interval {}s is below the minimum of {}s (faster polling gets Blink accounts throttled)",
            interval.as_secs_f64(),
            MIN_INTERVAL.as_secs()
        ));
    }
    Ok(interval.max(Duration::from_millis(50)))
}

/// `interval` give or take 10 %, so that many watchers started together drift apart.
pub fn jittered(interval: Duration) -> Duration {
    interval.mul_f64(rand::rng().random_range(0.9..=1.1))
}

/// Waits through an outage: doubling from the poll interval up to [`MAX_OUTAGE_WAIT`], and
/// never shorter than what Blink asked for in `Retry-After`.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait before the next attempt after one more failure.
    pub fn after_failure(&mut self, interval: Duration, error: &ApiError) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let doubled = doubling(interval, self.failures, MAX_OUTAGE_WAIT);
        asked_wait(error).map_or(doubled, |asked| doubled.max(asked))
    }

    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// The wait before download attempt number `attempts + 1` of a clip.
pub fn retry_wait(interval: Duration, attempts: u32) -> Duration {
    doubling(interval, attempts, MAX_RETRY_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_holds_except_on_this_machine() {
        assert!(checked_interval(Duration::from_secs(10), false).is_err());
        assert_eq!(checked_interval(Duration::from_secs(30), false), Ok(Duration::from_secs(30)));
        assert_eq!(checked_interval(Duration::from_millis(200), true), Ok(Duration::from_millis(200)));
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        for _ in 0..100 {
            let wait = jittered(Duration::from_secs(60));
            assert!(wait >= Duration::from_secs(54) && wait <= Duration::from_secs(66), "{wait:?}");
        }
    }

    #[test]
    fn outages_back_off_to_ten_minutes_and_honour_retry_after() {
        let mut backoff = Backoff::default();
        let down = ApiError::Server { status: 503, message: None };
        let interval = Duration::from_secs(60);
        assert_eq!(backoff.after_failure(interval, &down), Duration::from_secs(120));
        assert_eq!(backoff.after_failure(interval, &down), Duration::from_secs(240));
        for _ in 0..10 {
            backoff.after_failure(interval, &down);
        }
        assert_eq!(backoff.after_failure(interval, &down), MAX_OUTAGE_WAIT);
        let limited = ApiError::RateLimited { retry_after: Some(Duration::from_secs(900)) };
        assert_eq!(backoff.after_failure(interval, &limited), Duration::from_secs(900));
        backoff.reset();
        assert_eq!(backoff.after_failure(interval, &down), Duration::from_secs(120));
    }

    #[test]
    fn download_retries_wait_longer_each_time() {
        let interval = Duration::from_secs(60);
        assert_eq!(retry_wait(interval, 0), interval);
        assert_eq!(retry_wait(interval, 2), Duration::from_secs(240));
        assert_eq!(retry_wait(interval, 30), MAX_RETRY_WAIT);
    }
}
