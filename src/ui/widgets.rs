//! Small pieces shared by the panes: the pane frame, the spinner, signal bars, time labels.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::layout::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use super::theme::Theme;
use crate::app::lists::ListView;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(frame: usize) -> &'static str {
    SPINNER[frame % SPINNER.len()]
}

/// A pane's frame: number and title, the filter while one is set, and a position counter.
pub fn pane_block<'a>(
    theme: Theme,
    number: usize,
    title: &str,
    focused: bool,
    list: &ListView,
    editing: bool,
) -> Block<'a> {
    let mut spans = vec![
        Span::styled(format!(" {number} "), if focused { theme.key() } else { theme.dim() }),
        Span::styled(format!("{title} "), if focused { theme.title() } else { theme.text() }),
    ];
    if editing || !list.filter.is_empty() {
        let cursor = if editing { "▏" } else { "" };
        spans.push(Span::styled(format!("/{}{cursor} ", list.filter), theme.accent()));
    }
    let counter =
        if list.is_empty() { String::new() } else { format!(" {}/{} ", list.selected + 1, list.len()) };
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(focused))
        .title(Line::from(spans))
        .title_bottom(Line::from(Span::styled(counter, theme.dim())).alignment(Alignment::Right))
}

/// `▂▄▆█` style bars for 0-5 levels.
pub fn bars(level: Option<i64>, of: i64) -> String {
    match level {
        Some(level) => {
            let full = level.clamp(0, of) as usize;
            let marks = ["▁", "▂", "▄", "▆", "█"];
            (0..of as usize).map(|i| if i < full { marks[i.min(4)] } else { "·" }).collect()
        }
        None => "-".into(),
    }
}

/// "3m ago", "2h ago", "5d ago".
pub fn ago(then: Timestamp, now: Timestamp) -> String {
    let secs = (now - then).as_secs().max(0);
    match secs {
        0..60 => "now".into(),
        60..3600 => format!("{}m ago", secs / 60),
        3600..86_400 => format!("{}h ago", secs / 3600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

pub fn local(ts: Timestamp, zone: &TimeZone, format: &str) -> String {
    ts.to_zoned_datetime(zone.clone()).strftime(format).to_string()
}

/// Cuts `text` to `width` columns with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return format!("{text:width$}");
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` broken into lines of at most `width` columns at word boundaries (long words are
/// split), so nothing is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, textwrap::Options::new(width.max(1)).break_words(true))
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

/// `line` cut to `width` columns with an ellipsis where it did not fit; lines that fit are
/// untouched. For fact lists, which must not wrap a value under its label.
pub fn clip_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut left = width.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let span_width = span.width();
        if span_width <= left {
            left -= span_width;
            spans.push(span);
            continue;
        }
        let mut cut = String::new();
        for c in span.content.chars() {
            let w = textwrap::core::display_width(c.encode_utf8(&mut [0; 4]));
            if w > left {
                break;
            }
            left -= w;
            cut.push(c);
        }
        cut.push('…');
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

/// One `label  value` line for fact lists.
pub fn fact<'a>(theme: Theme, label: &'a str, value: impl Into<String>, style: Style) -> Line<'a> {
    Line::from(vec![Span::styled(format!(" {label:<15}"), theme.dim()), Span::styled(value.into(), style)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_format_compactly() {
        assert_eq!(bars(Some(3), 5), "▁▂▄··");
        assert_eq!(bars(None, 5), "-");
        assert_eq!(fit("Living Room", 6), "Livin…");
        assert_eq!(fit("Dock", 6), "Dock  ");
        let now = Timestamp::from_second(1_000_000).expect("ts");
        assert_eq!(ago(now - jiff::SignedDuration::from_secs(150), now), "2m ago");
        assert_eq!(ago(now - jiff::SignedDuration::from_hours(30), now), "1d ago");
        assert_eq!(spinner(11), "⠙");
        assert_eq!(
            wrap("Motion on Dock failed: Camera is offline", 16),
            ["Motion on Dock", "failed: Camera", "is offline"]
        );
        assert_eq!(wrap("/a/very/long/path/to/a/clip.mp4", 12).len(), 3, "long words are split, not cut");
        let line = Line::from(vec![Span::raw(" Last motion    "), Span::raw("Wed 22:00 (2m ago)")]);
        assert_eq!(clip_line(line.clone(), 40).width(), line.width(), "fits: untouched");
        let clipped = clip_line(line, 26);
        assert_eq!(clipped.width(), 26);
        assert!(clipped.to_string().ends_with('…'), "{clipped}");
    }
}
