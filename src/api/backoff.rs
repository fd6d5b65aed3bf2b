//! When to ask Blink again, by Blink's rules, in one place: requests that change nothing are
//! retried with a doubling, jittered wait; a POST is never sent twice, except a command Blink
//! refused as busy (code 307: it was not taken); a `Retry-After` is honoured. The client's
//! retries, its busy commands and watch's outage backoff all count their waits here.

use std::time::Duration;

use rand::Rng;

use super::error::ApiError;

/// Blink's code for "System is busy, please try again".
const BUSY: i64 = 307;

/// `base` doubled `times` times, at most `cap`.
pub fn doubling(base: Duration, times: u32, cap: Duration) -> Duration {
    base.saturating_mul(2u32.saturating_pow(times.min(20))).min(cap)
}

/// The wait Blink asked for with `Retry-After`, if it did.
pub fn asked_wait(error: &ApiError) -> Option<Duration> {
    match error {
        ApiError::RateLimited { retry_after } => *retry_after,
        _ => None,
    }
}

/// Blink refused a command because another one runs on the network: it was not taken, so
/// sending it again once that one is done is safe.
pub fn is_busy(error: &ApiError) -> bool {
    matches!(error, ApiError::CommandFailed { code, message } if *code == BUSY || message.to_ascii_lowercase().contains("busy"))
}

/// Bounded exponential backoff with jitter, for idempotent requests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_retries: 3, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(30) }
    }
}

impl RetryPolicy {
    /// The pause before retry number `attempt` (0-based), or `None` when the request should not
    /// be retried: out of attempts, not transient, or a `Retry-After` longer than we would wait.
    pub fn delay_before_retry(&self, attempt: u32, error: &ApiError) -> Option<Duration> {
        if attempt >= self.max_retries || !error.is_transient() {
            return None;
        }
        if let Some(wait) = asked_wait(error) {
            return (wait <= self.max_delay).then_some(wait);
        }
        let capped = doubling(self.base_delay, attempt, self.max_delay);
        // Full jitter on the upper half keeps retries of many clients apart.
        let jitter = rand::rng().random_range(0.5..=1.0);
        Some(capped.mul_f64(jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_stops() {
        let policy = RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
        };
        let server = ApiError::Server { status: 500, message: None };
        let first = policy.delay_before_retry(0, &server).expect("retry");
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
        let third = policy.delay_before_retry(3, &server).expect("retry");
        assert!(third <= Duration::from_millis(300), "{third:?}");
        assert_eq!(policy.delay_before_retry(4, &server), None);
        assert_eq!(policy.delay_before_retry(0, &ApiError::Unauthorized), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
        };
        let short = ApiError::RateLimited { retry_after: Some(Duration::from_secs(2)) };
        assert_eq!(policy.delay_before_retry(0, &short), Some(Duration::from_secs(2)));
        let long = ApiError::RateLimited { retry_after: Some(Duration::from_secs(600)) };
        assert_eq!(policy.delay_before_retry(0, &long), None);
    }

    #[test]
    fn doubling_stops_at_its_cap_and_never_overflows() {
        let second = Duration::from_secs(1);
        assert_eq!(doubling(second, 0, Duration::from_secs(60)), second);
        assert_eq!(doubling(second, 3, Duration::from_secs(60)), Duration::from_secs(8));
        assert_eq!(doubling(second, 10, Duration::from_secs(60)), Duration::from_secs(60));
        assert_eq!(doubling(second, u32::MAX, Duration::from_secs(60)), Duration::from_secs(60));
    }

    #[test]
    fn busy_is_blinks_code_or_its_words() {
        assert!(is_busy(&ApiError::CommandFailed { code: 307, message: String::new() }));
        assert!(is_busy(&ApiError::CommandFailed { code: 0, message: "System is busy".into() }));
        assert!(!is_busy(&ApiError::CommandFailed { code: 304, message: "No Cameras Enabled".into() }));
    }
}
