//! What `blinktui info` says about the terminal: the graphics protocol, the terminal's name and
//! version, and the colours, asked of the terminal as the UI would ask when stdout is one.

use std::io::IsTerminal;

use crossterm::terminal::{disable_raw_mode, enable_raw_mode};

use super::{TerminalReport, probe_terminal, protocol_label};
use crate::app::colours::{Colours, no_color};
use crate::config::{Config, ThemeMode};
use crate::sanitize::clean;

/// `(label, text)` lines; terminal-supplied text is cleaned.
pub fn info_lines(config: &Config) -> Vec<(&'static str, String)> {
    let configured = format!("{:?}", config.graphics).to_lowercase();
    let no_color = no_color();
    if !std::io::stdout().is_terminal() {
        return vec![
            ("graphics", format!("{configured} (configured; not probed: stdout is not a terminal)")),
            ("terminal", "not asked: stdout is not a terminal".into()),
            ("theme", theme_line(&TerminalReport::default(), config.theme, no_color)),
        ];
    }
    let want_background = config.theme == ThemeMode::Auto && !no_color;
    let report = enable_raw_mode().ok().map(|()| {
        let report = probe_terminal(config.graphics, want_background);
        let _ = disable_raw_mode();
        report
    });
    let Some(report) = report else {
        return vec![("graphics", "halfblocks (probe failed: no raw mode)".into())];
    };
    vec![
        ("graphics", graphics_line(&report, &configured)),
        ("terminal", terminal_line(&report)),
        ("theme", theme_line(&report, config.theme, no_color)),
    ]
}

fn graphics_line(report: &TerminalReport, configured: &str) -> String {
    let Some(picker) = &report.picker else {
        return format!("off (graphics = \"{configured}\")");
    };
    let font = picker.font_size();
    let why = report.downgrade.map(|why| format!("; {why}")).unwrap_or_default();
    let label = protocol_label(Some(picker));
    format!("{label} (cell {}x{} px; configured {configured}{why})", font.width, font.height)
}

fn terminal_line(report: &TerminalReport) -> String {
    if !report.asked {
        return "not asked (nothing needed an answer)".into();
    }
    if report.names.is_empty() {
        return "did not say its name (no XTVERSION answer)".into();
    }
    report.names.iter().map(|name| clean(name).into_owned()).collect::<Vec<_>>().join(", ")
}

fn theme_line(report: &TerminalReport, mode: ThemeMode, no_color: bool) -> String {
    let colours = Colours::choose(mode, no_color, report.light_background());
    let why = match (no_color, mode, report.background) {
        (true, _, _) => "NO_COLOR is set".to_owned(),
        (false, ThemeMode::Auto, Some(rgb)) => format!("configured auto; background {}", rgb.hex()),
        (false, ThemeMode::Auto, None) if !report.asked => {
            "configured auto; not asked: stdout is not a terminal".into()
        }
        (false, ThemeMode::Auto, None) => "configured auto; the terminal did not say its background".into(),
        (false, ThemeMode::Dark | ThemeMode::Light, _) => format!("configured {}", theme_name(mode)),
    };
    format!("{} ({why})", colours.label())
}

fn theme_name(mode: ThemeMode) -> &'static str {
    match mode {
        ThemeMode::Auto => "auto",
        ThemeMode::Dark => "dark",
        ThemeMode::Light => "light",
    }
}
