//! Colours and styles in one place: a palette for dark terminal backgrounds and one for light
//! ones, picked by the [`Colours`] the state holds. With `NO_COLOR` set, only bold, dim and reverse are used. Every style that sets a
//! background sets the text colour too: the terminal's own text colour may be the one that
//! does not read on it.

use ratatui::style::{Color, Modifier, Style};

use crate::app::colours::Colours;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// For a dark background: the terminal's own colours plus dark bars.
    Dark,
    /// For a light background: darker text colours, light bars.
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

struct Colors {
    dim: Color,
    title: Color,
    good: Color,
    warn: Color,
    bad: Color,
    armed: Color,
    accent: Color,
    new_item: Color,
    bar_fg: Color,
    header_bg: Color,
    selected_bg: Color,
    idle_selected_bg: Color,
}

const DARK: Colors = Colors {
    dim: Color::DarkGray,
    title: Color::Cyan,
    good: Color::Green,
    warn: Color::Yellow,
    bad: Color::Red,
    armed: Color::LightRed,
    accent: Color::Magenta,
    new_item: Color::LightYellow,
    bar_fg: Color::Rgb(230, 230, 230),
    header_bg: Color::Rgb(24, 30, 44),
    selected_bg: Color::Rgb(40, 60, 80),
    idle_selected_bg: Color::Rgb(35, 35, 40),
};

/// Explicit colours: the 16 named ones are pale on white in most terminals (yellow and cyan
/// hardly show). Each text colour has a contrast of at least 4.5:1 on every background here.
const LIGHT: Colors = Colors {
    dim: Color::Rgb(92, 92, 92),
    title: Color::Rgb(0, 90, 140),
    good: Color::Rgb(0, 110, 0),
    warn: Color::Rgb(130, 82, 0),
    bad: Color::Rgb(175, 0, 0),
    armed: Color::Rgb(190, 20, 20),
    accent: Color::Rgb(135, 0, 135),
    new_item: Color::Rgb(160, 64, 0),
    bar_fg: Color::Rgb(28, 28, 28),
    header_bg: Color::Rgb(224, 232, 242),
    selected_bg: Color::Rgb(208, 226, 246),
    idle_selected_bg: Color::Rgb(232, 232, 232),
};

impl Theme {
    pub const DARK: Self = Self { color: true, palette: Palette::Dark };
    pub const LIGHT: Self = Self { color: true, palette: Palette::Light };
    pub const MONO: Self = Self { color: false, palette: Palette::Dark };

    /// The styles for the colours chosen at start.
    pub fn of(colours: Colours) -> Self {
        match colours {
            Colours::Dark => Self::DARK,
            Colours::Light => Self::LIGHT,
            Colours::Mono => Self::MONO,
        }
    }

    fn colors(self) -> &'static Colors {
        match self.palette {
            Palette::Dark => &DARK,
            Palette::Light => &LIGHT,
        }
    }

    fn fg(self, pick: fn(&Colors) -> Color) -> Style {
        if self.color { Style::new().fg(pick(self.colors())) } else { Style::new() }
    }

    fn bar(self, pick: fn(&Colors) -> Color) -> Style {
        let colors = self.colors();
        Style::new().fg(colors.bar_fg).bg(pick(colors))
    }

    pub fn text(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        if self.color { self.fg(|c| c.dim) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn title(self) -> Style {
        self.fg(|c| c.title).add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => self.fg(|c| c.title),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    pub fn selected(self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => self.bar(|c| c.selected_bg).add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::REVERSED),
            (false, true) => self.bar(|c| c.idle_selected_bg),
            (false, false) => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn good(self) -> Style {
        self.fg(|c| c.good)
    }

    pub fn warn(self) -> Style {
        self.fg(|c| c.warn)
    }

    pub fn bad(self) -> Style {
        self.fg(|c| c.bad).add_modifier(Modifier::BOLD)
    }

    pub fn armed(self) -> Style {
        self.fg(|c| c.armed).add_modifier(Modifier::BOLD)
    }

    pub fn accent(self) -> Style {
        self.fg(|c| c.accent)
    }

    pub fn key(self) -> Style {
        self.fg(|c| c.title).add_modifier(Modifier::BOLD)
    }

    pub fn new_item(self) -> Style {
        self.fg(|c| c.new_item).add_modifier(Modifier::BOLD)
    }

    pub fn header(self) -> Style {
        if self.color { self.bar(|c| c.header_bg) } else { Style::new().add_modifier(Modifier::REVERSED) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(color: Color) -> f64 {
        let Color::Rgb(r, g, b) = color else { panic!("{color:?} is not an RGB colour") };
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    fn contrast(a: Color, b: Color) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn light_palette_text_reads_on_white_and_on_its_bars() {
        let backgrounds =
            [Color::Rgb(255, 255, 255), LIGHT.header_bg, LIGHT.selected_bg, LIGHT.idle_selected_bg];
        let texts = [
            LIGHT.dim,
            LIGHT.title,
            LIGHT.good,
            LIGHT.warn,
            LIGHT.bad,
            LIGHT.armed,
            LIGHT.accent,
            LIGHT.new_item,
            LIGHT.bar_fg,
        ];
        for background in backgrounds {
            assert!(luminance(background) > 0.7, "{background:?} is a light background");
            for text in texts {
                let ratio = contrast(text, background);
                assert!(ratio >= 4.5, "{text:?} on {background:?}: contrast {ratio:.2}");
            }
        }
    }

    #[test]
    fn every_background_comes_with_its_own_text_colour() {
        for theme in [Theme::DARK, Theme::LIGHT] {
            for style in [theme.header(), theme.selected(true), theme.selected(false)] {
                assert!(style.bg.is_some() && style.fg.is_some(), "{theme:?}: {style:?}");
            }
        }
        assert!(
            contrast(DARK.bar_fg, DARK.header_bg) >= 4.5 && contrast(DARK.bar_fg, DARK.selected_bg) >= 4.5
        );
    }

    #[test]
    fn no_color_wins_over_everything() {
        let theme = Theme::of(Colours::Mono);
        assert_eq!(theme, Theme::MONO);
        assert_eq!(theme.header().bg, None, "no colour at all");
        assert_eq!(theme.selected(true).add_modifier, Modifier::REVERSED);
    }
}
