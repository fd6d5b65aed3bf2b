//! Popups: help (generated from the keymap), the message log, and the confirmation dialog.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::local;
use crate::app::keymap::HelpGroup;
use crate::app::toasts::Level;
use crate::app::{AppState, Confirm};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] =
        Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

fn popup_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::styled(format!(" {title} "), theme.title()))
}

pub fn help(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    // Global keys on the left, the panes. and the player.s keys on the right.
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
        }
        let marker = if state.options.read_only && is_change(text) { " (read-only)" } else { "" };
        column.push(Line::from(vec![
            Span::styled(format!("  {keys:<key_width$}"), theme.key()),
            Span::raw(text),
            Span::styled(marker, theme.dim()),
        ]));
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let height = u16::try_from(rows + 4).unwrap_or(u16::MAX);
    let box_area = centered(area, 78, height);
    frame.render_widget(Clear, box_area);
    let block = popup_block("Keys", theme);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [body, note] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let [global, panes] = columns;
    frame.render_widget(Paragraph::new(global), left);
    frame.render_widget(Paragraph::new(panes), right);
    let text = " Change keys in the config file's [keys] table · Esc closes";
    frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), note);
}

fn is_change(text: &str) -> bool {
    matches!(
        text,
        "arm" | "disarm" | "motion on/off" | "snapshot" | "record clip" | "enable/disable" | "delete"
    )
}

pub fn log(frame: &mut Frame, area: Rect, state: &AppState, scroll: usize, theme: Theme) {
    let box_area = centered(area, area.width.saturating_sub(8).min(100), area.height.saturating_sub(4));
    let inner_rows = usize::from(box_area.height.saturating_sub(2));
    let lines: Vec<Line> = state
        .toasts
        .log()
        .skip(scroll)
        .take(inner_rows)
        .map(|toast| {
            Line::from(vec![
                Span::styled(format!(" {} ", local(toast.at, &state.zone, "%H:%M:%S")), theme.dim()),
                Span::styled(format!("{} ", level_mark(toast.level)), level_style(toast.level, theme)),
                Span::raw(toast.text.clone()),
            ])
        })
        .collect();
    let lines = if lines.is_empty() { vec![Line::styled(" No messages yet", theme.dim())] } else { lines };
    frame.render_widget(Clear, box_area);
    let title = format!("Messages ({}) · j/k scroll · Esc closes", state.toasts.log_len());
    frame.render_widget(Paragraph::new(lines).block(popup_block(&title, theme)), box_area);
}

pub fn confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: Theme) {
    let width = 56.min(area.width);
    let text_rows = confirm.question.chars().count() / usize::from(width.saturating_sub(4)).max(1) + 1;
    let height = u16::try_from(text_rows).unwrap_or(3) + 5;
    let box_area = centered(area, width, height);
    let lines = vec![
        Line::raw(""),
        Line::raw(format!(" {}", confirm.question)),
        Line::raw(""),
        Line::from(vec![
            Span::raw("  "),
            Span::styled("y", theme.key()),
            Span::raw("/Enter yes    "),
            Span::styled("n", theme.key()),
            Span::raw("/Esc no"),
        ]),
    ];
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(popup_block("Confirm", theme)),
        box_area,
    );
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

/// Toasts stacked at the bottom right of `area` (kept off the picture), newest last.
pub fn toasts(frame: &mut Frame, area: Rect, state: &AppState, now: Timestamp, theme: Theme) {
    let visible: Vec<_> = state.toasts.visible(now).collect();
    if visible.is_empty() {
        return;
    }
    let width = visible
        .iter()
        .map(|t| t.text.chars().count() + 6)
        .max()
        .unwrap_or(20)
        .min(usize::from(area.width) * 2 / 3);
    let width = u16::try_from(width).unwrap_or(40);
    let height = u16::try_from(visible.len()).unwrap_or(3) + 2;
    let height = height.min(area.height);
    let box_area = Rect {
        x: area.right().saturating_sub(width + 1),
        y: area.bottom().saturating_sub(height + 1),
        width,
        height,
    };
    let lines: Vec<Line> = visible
        .iter()
        .map(|toast| {
            Line::from(vec![
                Span::styled(format!(" {} ", level_mark(toast.level)), level_style(toast.level, theme)),
                Span::raw(toast.text.clone()),
            ])
        })
        .collect();
    frame.render_widget(Clear, box_area);
    let block = Block::new().borders(Borders::ALL).border_type(BorderType::Rounded).border_style(theme.dim());
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
