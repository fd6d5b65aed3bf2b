//! The picture pane (thumbnail of the selected camera or event) and the facts under it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui_image::Image;
use ratatui_image::protocol::Protocol;

use super::details::DetailsProps;
use super::popups::popup_area;
use super::theme::Theme;
use super::widgets::{ago, bars, clip_line, fact, spinner};
use crate::api::body::human_size;
use crate::api::models::MediaItem;
use crate::app::data::{DataStore, source_label};
use crate::app::images::ImageSlot;
use crate::app::keymap::{KeyCommand, Keymap};
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

/// The event and camera selected in their lists, as the picture pane shows them.
fn selection<'a>(props: &DetailsProps<'a>) -> (Option<&'a MediaItem>, Option<&'a CameraSummary>) {
    let event = props.view.list(Pane::Events).selected_index().and_then(|i| props.data.events.get(i));
    let camera = props.view.list(Pane::Cameras).selected_index().and_then(|i| props.data.cameras.get(i));
    (event, camera)
}

/// The title of the picture pane for what is selected.
pub fn picture_title(props: &DetailsProps) -> String {
    let (event, camera) = selection(props);
    match (props.view.focus, event) {
        (Pane::Events, Some(event)) => {
            let when = props.data.network_time(event.network_id, event.created_at.at, props.zone, "%a %H:%M");
            format!("{} · {when}", event.device_name)
        }
        (Pane::Events, None) => "Picture".into(),
        _ => camera.map_or_else(|| "Picture".into(), |c| c.name.clone()),
    }
}

/// Facts about the selection under the picture.
pub fn render_info(frame: &mut Frame, area: Rect, props: &DetailsProps, theme: Theme, now: Timestamp) {
    let block = Block::new().borders(Borders::ALL).border_type(BorderType::Rounded).border_style(theme.dim());
    let (event, camera) = selection(props);
    let lines = match (props.view.focus, event) {
        (Pane::Events, Some(event)) => {
            let at = event.created_at.at;
            let usb = props.data.usb_clip(event.id);
            vec![
                Line::styled(format!(" {}", event.device_name), theme.title()),
                fact(theme, "Network", event.network_name.clone().unwrap_or_default(), theme.text()),
                fact(
                    theme,
                    "When",
                    format!(
                        "{} ({})",
                        props.data.network_time(event.network_id, at, props.zone, "%a %d %b %H:%M:%S"),
                        ago(at, now)
                    ),
                    theme.text(),
                ),
                fact(theme, "Source", source_label(event.source.as_deref()).to_owned(), theme.text()),
                // A USB stick's clip has no watched state; it always has its clip.
                match usb {
                    Some(usb) => fact(theme, "Size", human_size(usb.clip.size), theme.text()),
                    None => fact(theme, "Watched", if event.watched { "yes" } else { "no" }, theme.text()),
                },
                fact(
                    theme,
                    "Clip",
                    clip_keys(props.keymap, event.media.is_some() || usb.is_some()),
                    theme.dim(),
                ),
            ]
        }
        (Pane::Events, None) => vec![Line::styled(" No event selected", theme.dim())],
        _ => match camera {
            Some(camera) => camera_lines(props.data, props.zone, camera, theme, now),
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
fn clip_keys(keymap: &Keymap, has_clip: bool) -> String {
    if !has_clip {
        return "none".into();
    }
    let key = |command| keymap.key_label(command);
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::View;
    use crate::app::data::DataStore;

    /// The facts under the picture and its title follow the events list's selection, drawn from
    /// props alone.
    #[test]
    fn the_selected_events_title_and_facts_draw_from_props() {
        let event = |id: u64, name: &str| MediaItem {
            id,
            device_name: name.into(),
            created_at: "2026-12-07T11:00:00+00:00".parse().expect("time"),
            media: Some("/clip.mp4".into()),
            ..MediaItem::default()
        };
        let data = DataStore { events: vec![event(1, "Porch"), event(2, "Garage")], ..DataStore::default() };
        let mut view = View { focus: Pane::Events, ..View::default() };
        view.lists[Pane::Events as usize].rebuild([(1, true), (2, true)].into_iter());
        view.lists[Pane::Events as usize].selected = 1;
        let keymap = Keymap::default();
        let zone = jiff::tz::TimeZone::UTC;
        let props = DetailsProps {
            data: &data,
            zone: &zone,
            view: &view,
            keymap: &keymap,
            spinner: 0,
            mark_watched: false,
        };
        assert_eq!(picture_title(&props), "Garage · Mon 11:00");
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("now");
        let mut terminal = Terminal::new(TestBackend::new(60, 10)).expect("terminal");
        terminal.draw(|frame| render_info(frame, frame.area(), &props, Theme::MONO, now)).expect("draw");
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Garage") && !screen.contains("Porch"), "{screen}");
        assert!(screen.contains("o play · S save"), "{screen}");
    }
}
