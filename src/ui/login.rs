//! The login screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::spinner;
use crate::app::AppState;
use crate::app::login::{LoginField, LoginStage, LoginState};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, login: &LoginState, theme: Theme) {
    let field = |label: &'static str, value: String, which: LoginField| {
        let active = login.field == which && !login.busy;
        let cursor = if active { "▏" } else { "" };
        Line::from(vec![
            Span::styled(format!("  {label:<10}"), if active { theme.key() } else { theme.dim() }),
            Span::styled(format!("{value}{cursor}"), if active { theme.title() } else { theme.text() }),
        ])
    };
    let mut lines = vec![Line::raw("")];
    if let Some(notice) = &login.notice {
        lines.push(Line::styled(format!("  {notice}"), theme.warn()));
        lines.push(Line::raw(""));
    }
    match &login.stage {
        LoginStage::Credentials => {
            lines.push(field("E-mail", login.email.clone(), LoginField::Email));
            lines.push(field("Password", "•".repeat(login.password.chars().count()), LoginField::Password));
        }
        LoginStage::Code { destination } => {
            let to = destination.clone().unwrap_or_else(|| "your phone or e-mail".into());
            lines.push(Line::raw(format!("  Blink sent a verification code to {to}.")));
            lines.push(field("Code", login.code.clone(), LoginField::Code));
        }
    }
    lines.push(Line::raw(""));
    if login.busy {
        lines.push(Line::styled(format!("  {} talking to Blink…", spinner(state.spinner)), theme.accent()));
    } else if let Some(error) = &login.error {
        lines.push(Line::styled(format!("  ✗ {error}"), theme.bad()));
    } else {
        lines.push(Line::from(vec![
            Span::styled("  Enter", theme.key()),
            Span::raw(" log in   "),
            Span::styled("Tab", theme.key()),
            Span::raw(" next field   "),
            Span::styled("Esc", theme.key()),
            Span::raw(" quit"),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("  The password is sent to Blink only and never stored.", theme.dim()));
    if let Some(hint) = &state.options.demo_hint {
        lines.push(Line::styled(format!("  {hint}"), theme.accent()));
    }
    // The box fits its lines (plus borders and a blank line at the bottom).
    let height = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [box_area] =
        Layout::horizontal([Constraint::Length(76.min(area.width))]).flex(Flex::Center).areas(row);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::styled(" Log in to Blink ", theme.title()));
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), box_area);
}
