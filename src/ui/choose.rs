//! The small menus: snooze durations, a camera's settings, a setting's values. Each row has
//! its number; a command running on the menu's camera or network shows under the rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::popups::{centered, popup_block};
use super::theme::Theme;
use super::widgets::spinner;
use crate::app::AppState;
use crate::app::choose::{Chooser, Menu};
use crate::app::command_run::Target;
use crate::sanitize::clean;

/// The menus' width; the account view's rows are longer.
fn width(menu: &Menu) -> u16 {
    if matches!(menu, Menu::Account) { 56 } else { 48 }
}

pub fn area(state: &AppState, chooser: &Chooser, area: Rect) -> Rect {
    let rows = chooser.menu.choices(state).len();
    // Border, a blank line, the rows, a blank line, the run line, the key line.
    centered(area, width(&chooser.menu), u16::try_from(rows + 6).unwrap_or(u16::MAX))
}

pub fn render(frame: &mut Frame, screen: Rect, state: &AppState, chooser: &Chooser, theme: Theme) {
    let box_area = area(state, chooser, screen);
    let choices = chooser.menu.choices(state);
    let mut lines = vec![Line::raw("")];
    // On a short screen the rows scroll with the selection.
    let room = usize::from(box_area.height.saturating_sub(6)).max(1);
    let first = chooser.selected.saturating_sub(room - 1);
    // Numbers right-aligned, so the rows' text starts in one column past the ninth row.
    let digits = choices.len().to_string().len();
    for (index, choice) in choices.iter().enumerate().skip(first).take(room) {
        let marker = if choice.current { "●" } else { " " };
        let text = format!(" {:>digits$} {marker} {}", index + 1, clean(&choice.label));
        let style = if index == chooser.selected { theme.selected(true) } else { theme.text() };
        let width = usize::from(width(&chooser.menu) - 2);
        lines.push(Line::styled(format!("{text:<width$}"), style));
    }
    lines.push(Line::raw(""));
    lines.push(match running(state, &chooser.menu) {
        Some(text) => Line::styled(format!(" {} {}", spinner(state.spinner), clean(&text)), theme.accent()),
        None => Line::raw(""),
    });
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled("Enter", theme.key()),
        Span::raw(" or number choose   "),
        Span::styled("Esc", theme.key()),
        Span::raw(" back"),
    ]));
    frame.render_widget(Clear, box_area);
    let title = chooser.menu.title(state);
    let title = clean(&title);
    frame.render_widget(Paragraph::new(lines).block(popup_block(&title, theme)), box_area);
}

/// The command in flight on what the menu is about: "Driveway night vision → on: camera working".
fn running(state: &AppState, menu: &Menu) -> Option<String> {
    let target = match menu {
        Menu::Snooze { target: crate::api::snooze::SnoozeTarget::Network(id), .. } => Target::Network(*id),
        Menu::Snooze { target: crate::api::snooze::SnoozeTarget::Device(device), .. }
        | Menu::Settings { device }
        | Menu::Values { device, .. } => Target::Camera(device.id),
        Menu::Account => Target::Account,
    };
    let run = state.run_for(target)?;
    Some(format!("{}: {}", run.label, run.phase.describe()))
}
