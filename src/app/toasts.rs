//! Short messages that fade after a few seconds, and the log that keeps them.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};

const SHOW_FOR: SignedDuration = SignedDuration::from_secs(5);
const SHOW_ERRORS_FOR: SignedDuration = SignedDuration::from_secs(10);
const LOG_LIMIT: usize = 500;
const ON_SCREEN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub level: Level,
    pub text: String,
    pub at: Timestamp,
    pub until: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct Toasts {
    /// Newest last.
    log: VecDeque<Toast>,
}

impl Toasts {
    pub fn push(&mut self, level: Level, text: impl Into<String>, now: Timestamp) {
        let text = text.into();
        tracing::info!(?level, "{text}");
        let until = now + if level == Level::Error { SHOW_ERRORS_FOR } else { SHOW_FOR };
        if self.log.len() >= LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(Toast { level, text, at: now, until });
    }

    /// Those still on screen at `now`, newest last.
    pub fn visible(&self, now: Timestamp) -> impl Iterator<Item = &Toast> {
        let shown: Vec<&Toast> = self.log.iter().rev().filter(|t| t.until > now).take(ON_SCREEN).collect();
        shown.into_iter().rev()
    }

    /// When the next visible toast fades, to wake up for it (and only then).
    pub fn next_expiry(&self, now: Timestamp) -> Option<Timestamp> {
        self.log.iter().rev().take(ON_SCREEN * 4).map(|t| t.until).filter(|until| *until > now).min()
    }

    /// Every message, newest first.
    pub fn log(&self) -> impl Iterator<Item = &Toast> {
        self.log.iter().rev()
    }

    pub fn log_len(&self) -> usize {
        self.log.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + secs).expect("ts")
    }

    #[test]
    fn toasts_fade_but_stay_in_the_log() {
        let mut toasts = Toasts::default();
        toasts.push(Level::Info, "one", at(0));
        toasts.push(Level::Error, "two", at(1));
        assert_eq!(toasts.visible(at(2)).count(), 2);
        assert_eq!(toasts.next_expiry(at(2)), Some(at(5)));
        let texts: Vec<_> = toasts.visible(at(6)).map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["two"], "errors stay longer");
        assert_eq!(toasts.visible(at(12)).count(), 0);
        assert_eq!(toasts.next_expiry(at(12)), None);
        assert_eq!(toasts.log().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["two", "one"]);
    }

    #[test]
    fn at_most_three_on_screen() {
        let mut toasts = Toasts::default();
        for n in 0..5 {
            toasts.push(Level::Info, n.to_string(), at(0));
        }
        let texts: Vec<_> = toasts.visible(at(1)).map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["2", "3", "4"]);
    }
}
