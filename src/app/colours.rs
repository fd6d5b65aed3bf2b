//! Which colours the screen uses, chosen once at start: the state keeps the choice, and `ui`'s
//! theme turns it into styles.

use crate::config::ThemeMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    /// For a dark background.
    Dark,
    /// For a light background.
    Light,
    /// No colours at all (`NO_COLOR`): only bold, dim and reverse.
    Mono,
}

impl Colours {
    /// Dark colours unless `NO_COLOR` is set: the choice when nothing is known of the terminal.
    pub fn from_env() -> Self {
        if no_color() { Self::Mono } else { Self::Dark }
    }

    /// `NO_COLOR` wins, then the configured theme; `auto` follows the terminal's background
    /// when it said what it is, and is dark otherwise.
    pub fn choose(mode: ThemeMode, no_color: bool, light_background: Option<bool>) -> Self {
        if no_color {
            return Self::Mono;
        }
        match mode {
            ThemeMode::Dark => Self::Dark,
            ThemeMode::Light => Self::Light,
            ThemeMode::Auto if light_background == Some(true) => Self::Light,
            ThemeMode::Auto => Self::Dark,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Mono => "monochrome",
            Self::Dark => "dark",
            Self::Light => "light",
        }
    }
}

/// `NO_COLOR` set to anything but the empty string (<https://no-color.org>).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_background_and_a_configured_theme_wins() {
        assert_eq!(Colours::choose(ThemeMode::Auto, false, Some(true)), Colours::Light);
        assert_eq!(Colours::choose(ThemeMode::Auto, false, Some(false)), Colours::Dark);
        assert_eq!(Colours::choose(ThemeMode::Auto, false, None), Colours::Dark, "no answer: dark");
        assert_eq!(Colours::choose(ThemeMode::Dark, false, Some(true)), Colours::Dark);
        assert_eq!(Colours::choose(ThemeMode::Light, false, Some(false)), Colours::Light);
        assert_eq!(Colours::choose(ThemeMode::Light, false, None), Colours::Light);
    }

    #[test]
    fn no_color_wins_over_everything() {
        for mode in [ThemeMode::Auto, ThemeMode::Dark, ThemeMode::Light] {
            assert_eq!(Colours::choose(mode, true, Some(true)), Colours::Mono, "{mode:?}");
        }
    }
}
