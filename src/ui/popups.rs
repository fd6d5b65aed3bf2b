//! Popups: help (generated from the keymap), the message log, and the confirmation dialog.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::theme::Theme;
use super::widgets::{local, wrap};
use crate::app::keymap::{HelpGroup, KeyCommand};
use crate::app::toasts::{Level, Toasts};
use crate::app::{AppState, Confirm, Overlay};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] =
        Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

pub(super) fn popup_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::styled(format!(" {title} "), theme.title()))
}

/// Where the open popup is drawn, if one is: pictures it overlaps are not drawn (a terminal
/// draws pictures over text), those it leaves alone stay.
pub fn popup_area(state: &AppState, area: Rect) -> Option<Rect> {
    Some(match state.view.overlay.as_ref()? {
        Overlay::Help { .. } => help_area(state, area),
        Overlay::Log { .. } => log_area(area),
        Overlay::Confirm(confirm) => confirm_area(confirm, area).0,
        Overlay::Choose(chooser) => super::choose::area(state, chooser, area),
    })
}

fn help_area(state: &AppState, area: Rect) -> Rect {
    // Counted from the key map: the styled columns are built only when drawn.
    let rows = state.keymap.help_column_lines().into_iter().max().unwrap_or(0);
    // The border and the note under the columns.
    centered(area, 78, u16::try_from(rows + 4).unwrap_or(u16::MAX))
}

fn log_area(area: Rect) -> Rect {
    centered(area, area.width.saturating_sub(8).min(100), area.height.saturating_sub(4))
}

fn confirm_area(confirm: &Confirm, area: Rect) -> (Rect, Vec<String>) {
    let width = 56.min(area.width);
    let question = wrap(&confirm.question, usize::from(width.saturating_sub(4)));
    let height = u16::try_from(question.len()).unwrap_or(3) + 5;
    (centered(area, width, height), question)
}

/// The help screen's two columns: global keys on the left, the panes' and the player's keys
/// on the right.
fn help_columns(state: &AppState, theme: Theme) -> [Vec<Line<'static>>; 2] {
    let mut columns: [Vec<Line>; 2] = [Vec::new(), Vec::new()];
    let mut section = None;
    let rows = state.keymap.help_rows();
    let key_width = rows.iter().map(|(_, keys, _)| keys.chars().count()).max().unwrap_or(10) + 2;
    for (group, keys, text) in rows {
        let column = &mut columns[usize::from(group != HelpGroup::Everywhere)];
        if section != Some(group) {
            section = Some(group);
            if !column.is_empty() {
                column.push(Line::raw(""));
            }
            column.push(Line::styled(format!(" {}", group.title()), theme.title()));
            if group == HelpGroup::Player {
                column.extend(autoplay_note(state).map(|line| Line::styled(line, theme.dim())));
            }
        }
        // In read-only mode what would change Blink is shown struck out and dimmed (the note
        // under the columns says why), so no label is cut for a marker.
        let refused = state.options.read_only && is_change(text);
        let label_style =
            if refused { theme.dim().add_modifier(Modifier::CROSSED_OUT) } else { theme.text() };
        column.push(Line::from(vec![
            Span::styled(format!("  {keys:<key_width$}"), if refused { theme.dim() } else { theme.key() }),
            Span::styled(text, label_style),
        ]));
    }
    columns
}

/// What happens at a clip's end, and the config switch that changes it
/// ([`crate::app::keymap::PLAYER_NOTE_LINES`] lines).
fn autoplay_note(state: &AppState) -> [&'static str; 2] {
    if state.options.autoplay {
        ["  at its end the next event plays", "  (config: autoplay = false stops)"]
    } else {
        ["  at its end a clip stops", "  (config: autoplay = true plays on)"]
    }
}

pub fn help(frame: &mut Frame, area: Rect, state: &AppState, scroll: usize, theme: Theme) {
    let columns = help_columns(state, theme);
    let lines = columns.iter().map(Vec::len).max().unwrap_or(0);
    let box_area = help_area(state, area);
    frame.render_widget(Clear, box_area);
    let block = popup_block("Keys", theme);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [body, note] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let [global, panes] = columns;
    // A screen made taller since may show everything now.
    let scroll = scroll.min(lines.saturating_sub(usize::from(body.height)));
    let offset = (u16::try_from(scroll).unwrap_or(u16::MAX), 0);
    frame.render_widget(Paragraph::new(global).scroll(offset), left);
    frame.render_widget(Paragraph::new(panes).scroll(offset), right);
    // On a short screen the columns scroll, and the note says there is more and which way.
    let more_below = lines > scroll + usize::from(body.height);
    let key = |command| state.keymap.keys_for(command).first().map(ToString::to_string).unwrap_or_default();
    let arrows = match (scroll > 0, more_below) {
        (false, false) => "",
        (false, true) => "↓",
        (true, true) => "↑↓",
        (true, false) => "↑",
    };
    let more = match arrows {
        "" => String::new(),
        arrows => format!(" {arrows} more: {}/{} scroll ·", key(KeyCommand::Down), key(KeyCommand::Up)),
    };
    let text = match (state.options.read_only, more.is_empty()) {
        (true, true) => " Read-only: struck-out keys are off · change keys in [keys] · Esc closes".to_owned(),
        (true, false) => format!("{more} read-only: struck out are off · Esc closes"),
        (false, true) => " Change keys in the config file's [keys] table · Esc closes".to_owned(),
        (false, false) => format!("{more} change keys in [keys] · Esc closes"),
    };
    frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), note);
}

fn is_change(text: &str) -> bool {
    matches!(
        text,
        "arm"
            | "disarm"
            | "motion on/off"
            | "snapshot"
            | "record clip"
            | "enable/disable"
            | "delete"
            | "snooze"
    )
}

/// The message log (`L`): every message with its time in `zone`.
pub fn log(frame: &mut Frame, area: Rect, (toasts, zone): (&Toasts, &TimeZone), scroll: usize, theme: Theme) {
    let box_area = log_area(area);
    let inner_rows = usize::from(box_area.height.saturating_sub(2));
    // Time (10 columns) and mark (2) on the first line of a message; long ones wrap under it.
    let text_width = usize::from(box_area.width.saturating_sub(2)).saturating_sub(13).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for toast in toasts.log().skip(scroll) {
        for (n, part) in wrap(&toast.text, text_width).into_iter().enumerate() {
            let (time, mark) = match n {
                0 => (
                    format!(" {} ", local(toast.at, zone, "%H:%M:%S")),
                    format!("{} ", level_mark(toast.level)),
                ),
                _ => (" ".repeat(10), "  ".to_owned()),
            };
            lines.push(Line::from(vec![
                Span::styled(time, theme.dim()),
                Span::styled(mark, level_style(toast.level, theme)),
                Span::raw(part),
            ]));
        }
        if lines.len() >= inner_rows {
            lines.truncate(inner_rows);
            break;
        }
    }
    let lines = if lines.is_empty() { vec![Line::styled(" No messages yet", theme.dim())] } else { lines };
    frame.render_widget(Clear, box_area);
    let title = format!("Messages ({}) · j/k scroll · Esc closes", toasts.log_len());
    frame.render_widget(Paragraph::new(lines).block(popup_block(&title, theme)), box_area);
}

pub fn confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: Theme) {
    let (box_area, question) = confirm_area(confirm, area);
    // Every line of the question keeps the same left margin.
    let question: Vec<Line> = question.into_iter().map(|line| Line::raw(format!(" {line}"))).collect();
    let mut lines = vec![Line::raw("")];
    lines.extend(question);
    lines.extend([
        Line::raw(""),
        Line::from(vec![
            Span::raw("  "),
            Span::styled("y", theme.key()),
            Span::raw("/Enter yes    "),
            Span::styled("n", theme.key()),
            Span::raw("/Esc no"),
        ]),
    ]);
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).block(popup_block("Confirm", theme)), box_area);
}

pub fn level_mark(level: Level) -> &'static str {
    match level {
        Level::Info => "·",
        Level::Success => "✓",
        Level::Warning => "!",
        Level::Error => "✗",
    }
}

pub fn level_style(level: Level, theme: Theme) -> ratatui::style::Style {
    match level {
        Level::Info => theme.text(),
        Level::Success => theme.good(),
        Level::Warning => theme.warn(),
        Level::Error => theme.bad(),
    }
}

/// Toasts stacked at the bottom right of `area`, newest last, as wide as they need up to the
/// whole area and wrapped, so a message is never cut. `area` is kept off any picture.
/// The messages still showing, bottom right of `area`.
pub fn toasts(frame: &mut Frame, area: Rect, toasts: &Toasts, now: Timestamp, theme: Theme) {
    let Some((box_area, lines)) = toast_box(area, toasts, now, theme) else { return };
    frame.render_widget(Clear, box_area);
    let block = Block::new().borders(Borders::ALL).border_type(BorderType::Rounded).border_style(theme.dim());
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// Where the messages showing now go in `area`, if any (pictures keep out of it).
pub fn toast_area(area: Rect, toasts: &Toasts, now: Timestamp, theme: Theme) -> Option<Rect> {
    toast_box(area, toasts, now, theme).map(|(rect, _)| rect)
}

/// The messages box, bottom right in `area`, and its lines.
fn toast_box(
    area: Rect,
    toasts: &Toasts,
    now: Timestamp,
    theme: Theme,
) -> Option<(Rect, Vec<Line<'static>>)> {
    let visible: Vec<_> = toasts.visible(now).collect();
    if visible.is_empty() || area.width < 8 || area.height < 3 {
        return None;
    }
    // Inside the border: the level mark takes 3 columns, the text the rest.
    let widest = visible.iter().map(|t| textwrap::core::display_width(&t.text)).max().unwrap_or(0);
    let text_width = widest.min(usize::from(area.width).saturating_sub(5)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for toast in &visible {
        for (n, part) in wrap(&toast.text, text_width).into_iter().enumerate() {
            let mark = if n == 0 { format!(" {} ", level_mark(toast.level)) } else { "   ".to_owned() };
            lines
                .push(Line::from(vec![Span::styled(mark, level_style(toast.level, theme)), Span::raw(part)]));
        }
    }
    // The newest messages stay when there are more lines than room.
    let room = usize::from(area.height.saturating_sub(2));
    if lines.len() > room {
        lines.drain(..lines.len() - room);
    }
    let width = u16::try_from(text_width + 5).unwrap_or(area.width).min(area.width);
    let height = u16::try_from(lines.len() + 2).unwrap_or(area.height).min(area.height);
    let box_area = Rect {
        x: area.right().saturating_sub(width),
        y: area.bottom().saturating_sub(height),
        width,
        height,
    };
    Some((box_area, lines))
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    /// The popups draw from what they show (the messages), not from a whole app state.
    #[test]
    fn the_newest_messages_show_bottom_right_and_the_log_keeps_them_all() {
        let now = Timestamp::from_second(1_800_000_000).expect("time");
        let mut messages = Toasts::default();
        messages.push(Level::Info, "first", now);
        messages.push(Level::Error, "Arm Cabin failed: busy", now);
        let mut terminal = Terminal::new(TestBackend::new(60, 12)).expect("terminal");
        let theme = Theme::MONO;
        terminal.draw(|frame| toasts(frame, frame.area(), &messages, now, theme)).expect("draw");
        let screen = terminal.backend().to_string();
        let bottom: Vec<&str> = screen.lines().rev().skip(1).take(2).collect();
        assert!(bottom[0].ends_with("│\""), "the box ends at the right edge: {screen}");
        assert!(
            bottom[0].trim_end_matches(['"', ' ', '│']).ends_with("failed: busy"),
            "newest last: {screen}"
        );
        terminal.draw(|frame| log(frame, frame.area(), (&messages, &TimeZone::UTC), 0, theme)).expect("draw");
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Messages (2)") && screen.contains("first"), "{screen}");
    }
}
