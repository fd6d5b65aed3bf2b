//! The picture pane (thumbnail of the selected camera or event) and the facts under it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui_image::Image;
use ratatui_image::protocol::Protocol;

use super::popups::popup_area;
use super::theme::Theme;
use super::widgets::{ago, bars, clip_line, fact, spinner};
use crate::api::body::human_size;
use crate::app::data::{DataStore, source_label};
use crate::app::images::ImageSlot;
use crate::app::keymap::KeyCommand;
use crate::app::layout::picture_inner;
use crate::app::update::wanted_picture;
use crate::app::{AppState, Pane};
use crate::summary::CameraSummary;

/// Draws the picture on screen, if `wanted_picture` says there is one, inside `outer`.
pub fn render_picture(frame: &mut Frame, outer: Rect, state: &AppState, title: String, theme: Theme) {
    frame.render_widget(picture_block(title, theme), outer);
    render_still(frame, picture_inner(outer), state, theme);
}

pub fn picture_block(title: String, theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.dim())
        .title(Span::styled(format!(" {title} "), theme.text()))
}

/// Whether a popup covers any of `area`: terminals draw pictures over text, so a picture is
/// left out while a popup overlaps it (and only then).
pub fn under_popup(state: &AppState, screen: Rect, area: Rect) -> bool {
    popup_area(state, screen).is_some_and(|popup| popup.intersects(area))
}

/// The still picture (thumbnail) inside a picture area.
pub fn render_still(frame: &mut Frame, inner: Rect, state: &AppState, theme: Theme) {
    if under_popup(state, frame.area(), inner) {
        return;
    }
    let Some((key, size)) = wanted_picture(state) else {
        placeholder(frame, inner, if state.options.pictures { "no picture" } else { "pictures off" }, theme);
        return;
    };
    if let Some(protocol) = state.images.encoded(&key, size) {
        draw_centred(frame, inner, protocol);
        return;
    }
    let text = match state.images.slot(&key) {
        Some(ImageSlot::Failed(err)) => format!("no picture: {err}"),
        _ => format!("{} loading picture…", spinner(state.spinner)),
    };
    placeholder(frame, inner, &text, theme);
}

/// Draws an encoded picture in the middle of `inner`.
pub fn draw_centred(frame: &mut Frame, inner: Rect, protocol: &Protocol) {
    let drawn = protocol.size();
    let area = Rect {
        x: inner.x + inner.width.saturating_sub(drawn.width) / 2,
        y: inner.y + inner.height.saturating_sub(drawn.height) / 2,
        width: drawn.width.min(inner.width),
        height: drawn.height.min(inner.height),
    };
    frame.render_widget(Image::new(protocol), area);
}

pub fn placeholder(frame: &mut Frame, area: Rect, text: &str, theme: Theme) {
    let y = area.y + area.height / 2;
    let line = Rect { y, height: 1.min(area.height), ..area };
    frame.render_widget(
        Paragraph::new(Span::styled(text.to_owned(), theme.dim())).alignment(Alignment::Center),
        line,
    );
}

/// The title of the picture pane for what is selected.
pub fn picture_title(state: &AppState) -> String {
    match (state.view.focus, state.selected_event()) {
        (Pane::Events, Some(event)) => {
            let when = state.network_time(event.network_id, event.created_at.at, "%a %H:%M");
            format!("{} · {when}", event.device_name)
        }
        (Pane::Events, None) => "Picture".into(),
        _ => state.selected_camera().map_or_else(|| "Picture".into(), |c| c.name.clone()),
    }
}

/// Facts about the selection under the picture.
pub fn render_info(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme, now: Timestamp) {
    let block = Block::new().borders(Borders::ALL).border_type(BorderType::Rounded).border_style(theme.dim());
    let lines = match (state.view.focus, state.selected_event()) {
        (Pane::Events, Some(event)) => {
            let at = event.created_at.at;
            vec![
                Line::styled(format!(" {}", event.device_name), theme.title()),
                fact(theme, "Network", event.network_name.clone().unwrap_or_default(), theme.text()),
                fact(
                    theme,
                    "When",
                    format!(
                        "{} ({})",
                        state.network_time(event.network_id, at, "%a %d %b %H:%M:%S"),
                        ago(at, now)
                    ),
                    theme.text(),
                ),
                fact(theme, "Source", source_label(event.source.as_deref()).to_owned(), theme.text()),
                // A USB stick's clip has no watched state; it always has its clip.
                match state.data.usb_clip(event.id) {
                    Some(usb) => fact(theme, "Size", human_size(usb.clip.size), theme.text()),
                    None => fact(theme, "Watched", if event.watched { "yes" } else { "no" }, theme.text()),
                },
                fact(
                    theme,
                    "Clip",
                    clip_keys(state, event.media.is_some() || state.data.usb_clip(event.id).is_some()),
                    theme.dim(),
                ),
            ]
        }
        (Pane::Events, None) => vec![Line::styled(" No event selected", theme.dim())],
        _ => match state.selected_camera() {
            Some(camera) => camera_lines(&state.data, &state.session.zone, camera, theme, now),
            None => vec![Line::styled(" Select a camera to see its picture", theme.dim())],
        },
    };
    // A value longer than the pane ends in an ellipsis instead of wrapping under its label;
    // the details view (Enter) shows it whole.
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = lines.into_iter().map(|line| clip_line(line, width)).collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// What the event's clip takes, with the keys in use (they may be remapped).
fn clip_keys(state: &AppState, has_clip: bool) -> String {
    if !has_clip {
        return "none".into();
    }
    let key = |command| state.keymap.key_label(command);
    format!("{} play · {} save", key(KeyCommand::PlayClip), key(KeyCommand::SaveClip))
}

/// Motion detection, and whether its notifications are snoozed (the camera still records).
fn motion_fact(camera: &CameraSummary, theme: Theme) -> Line<'static> {
    match (camera.enabled, camera.snoozed.as_deref()) {
        (true, Some(left)) => fact(theme, "Motion", format!("detection on, snoozed {left}"), theme.warn()),
        (true, None) => fact(theme, "Motion", "detection on", theme.good()),
        (false, _) => fact(theme, "Motion", "detection off", theme.dim()),
    }
}

/// A camera's facts; `zone` is this machine's.
pub fn camera_lines(
    data: &DataStore,
    zone: &TimeZone,
    camera: &CameraSummary,
    theme: Theme,
    now: Timestamp,
) -> Vec<Line<'static>> {
    let kind = format!(
        "{} · {}",
        crate::summary::product_name(&camera.device_type),
        camera.network.clone().unwrap_or_default()
    );
    let battery = match (&camera.battery, camera.battery_low, camera.battery_bars) {
        (_, true, _) => ("low — replace soon".to_owned(), theme.warn()),
        (Some(state), false, Some(bars_now)) => {
            (format!("{state} {}", bars(Some(bars_now), 3)), theme.text())
        }
        (Some(state), false, None) => (state.clone(), theme.text()),
        (None, false, _) => ("wired".to_owned(), theme.dim()),
    };
    let temperature = match (camera.temperature_f, camera.temperature_c) {
        (Some(f), Some(c)) => format!("{f}°F / {c}°C"),
        _ => "-".into(),
    };
    let last = data.last_motion.get(&camera.id).map_or_else(
        || "none in 7 days".into(),
        |at| format!("{} ({})", data.network_time(camera.network_id, *at, zone, "%a %H:%M"), ago(*at, now)),
    );
    vec![
        Line::from(vec![
            Span::styled(format!(" {}", camera.name), theme.title()),
            Span::styled(format!("  {kind}"), theme.dim()),
        ]),
        motion_fact(camera, theme),
        fact(
            theme,
            "Status",
            if camera.online { "online" } else { "OFFLINE" },
            if camera.online { theme.text() } else { theme.bad() },
        ),
        fact(theme, "Battery", battery.0, battery.1),
        fact(theme, "Temperature", temperature, theme.text()),
        fact(
            theme,
            "Wi-Fi",
            format!(
                "{} {}",
                bars(camera.wifi_bars, 5),
                camera.wifi_bars.map_or(String::new(), |w| format!("{w}/5"))
            ),
            theme.text(),
        ),
        fact(theme, "Last motion", last, theme.text()),
    ]
}
