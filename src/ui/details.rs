//! Full-screen details (Enter): a camera's settings and signals, an event's large picture, a
//! program's schedule.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::bars::hint_lines;
use super::picture::{camera_lines, render_picture};
use super::theme::Theme;
use super::widgets::{ago, fact, spinner};
use crate::api::DeviceConfig;
use crate::api::body::human_size;
use crate::app::camera_details::CameraDetails;
use crate::app::data::{DataStore, source_label};
use crate::app::keymap::{KeyCommand, Keymap};
use crate::app::layout::details_layout;
use crate::app::{AppState, Details, View};
use crate::schedule::describe;

/// What the facts of the details view draw. The picture beside them reads the images, the
/// popups and the player: `render` draws it from the whole state.
#[derive(Debug, Clone, Copy)]
pub struct DetailsProps<'a> {
    pub data: &'a DataStore,
    /// This machine's time zone.
    pub zone: &'a TimeZone,
    pub view: &'a View,
    pub keymap: &'a Keymap,
    pub spinner: usize,
    /// `w` would do something (see `AppState::mark_watched_applies`).
    pub mark_watched: bool,
}

impl<'a> DetailsProps<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            data: &state.data,
            zone: &state.session.zone,
            view: &state.view,
            keymap: &state.keymap,
            spinner: state.spinner,
            mark_watched: state.mark_watched_applies(),
        }
    }
}

pub fn render(
    frame: &mut Frame,
    body: Rect,
    state: &AppState,
    details: &Details,
    theme: Theme,
    now: Timestamp,
) {
    let Some(picture_title) = render_facts(frame, body, &DetailsProps::of(state), details, theme, now) else {
        return;
    };
    let picture_area = details_layout(body).1;
    match (details, &state.player) {
        (Details::Event { id }, Some(player)) if player.event() == Some(*id) => {
            super::player::render_in_box(frame, picture_area, state, player, theme);
        }
        (Details::Camera { id, .. }, Some(player)) if player.live_camera() == Some(*id) => {
            super::player::render_in_box(frame, picture_area, state, player, theme);
        }
        _ => render_picture(frame, picture_area, state, picture_title, theme),
    }
}

/// Draws the facts of a camera or an event on the left of `body`, or a program's over all of
/// it. The title of the picture that goes beside them, if one does.
pub fn render_facts(
    frame: &mut Frame,
    body: Rect,
    props: &DetailsProps,
    details: &Details,
    theme: Theme,
    now: Timestamp,
) -> Option<String> {
    let facts_area = details_layout(body).0;
    let data = props.data;
    let (title, lines, picture_title) = match details {
        Details::Camera { id, read } => {
            let camera = data.camera(*id)?;
            let mut lines = camera_lines(data, props.zone, camera, theme, now);
            lines.push(Line::raw(""));
            match read {
                CameraDetails::Failed(err) => {
                    lines.push(Line::styled(format!(" Settings unavailable: {err}"), theme.bad()))
                }
                CameraDetails::Loading => lines.push(Line::styled(
                    format!(" {} loading settings…", spinner(props.spinner)),
                    theme.dim(),
                )),
                CameraDetails::Loaded(read) | CameraDetails::Reloading(read) => {
                    lines.extend(config_lines(&read.config, theme))
                }
            }
            (camera.name.clone(), lines, format!("{} · current picture", camera.name))
        }
        Details::Event { id } => {
            let event = data.events.iter().find(|e| e.id == *id)?;
            let at = event.created_at.at;
            let mut lines = vec![
                fact(theme, "Camera", event.device_name.clone(), theme.title()),
                fact(theme, "Network", event.network_name.clone().unwrap_or_default(), theme.text()),
                fact(
                    theme,
                    "Time",
                    data.network_time(event.network_id, at, props.zone, "%a %d %b %H:%M:%S"),
                    theme.text(),
                ),
                fact(theme, "", ago(at, now), theme.dim()),
                fact(theme, "Source", source_label(event.source.as_deref()).to_owned(), theme.text()),
                fact(theme, "Type", event.media_type.clone().unwrap_or_default(), theme.text()),
                // A USB stick's clip has no watched state; its size is what the stick says.
                match data.usb_clip(event.id) {
                    Some(usb) => fact(theme, "Size", human_size(usb.clip.size), theme.text()),
                    None => fact(theme, "Watched", if event.watched { "yes" } else { "no" }, theme.text()),
                },
                fact(
                    theme,
                    if data.usb_clip(event.id).is_some() { "Clip id" } else { "Event id" },
                    event.id.to_string(),
                    theme.dim(),
                ),
                Line::raw(""),
            ];
            let mut keys = vec![
                KeyCommand::PlayClip,
                KeyCommand::OpenInPlayer,
                KeyCommand::SaveClip,
                KeyCommand::DeleteEvent,
            ];
            if props.mark_watched {
                keys.push(KeyCommand::MarkWatched);
            }
            lines.extend(hint_lines(
                props.keymap,
                props.view,
                &keys,
                theme,
                usize::from(facts_area.width.saturating_sub(2)),
            ));
            (format!("Event · {}", event.device_name), lines, "Event picture".into())
        }
        Details::Program { id } => {
            let row = data.programs.iter().find(|p| p.program.id == *id)?;
            let mut lines = vec![
                fact(theme, "Program", row.program.name.clone(), theme.title()),
                fact(theme, "Network", row.network.clone(), theme.text()),
                fact(theme, "State", row.program.status.clone(), theme.text()),
                fact(
                    theme,
                    "Schedule",
                    describe(&row.program, data.zone_of(row.program.network_id, props.zone)),
                    theme.text(),
                ),
            ];
            if let Some(next) = &row.next {
                lines.push(fact(
                    theme,
                    "Next",
                    format!(
                        "{} {}",
                        next.action,
                        data.network_time(row.program.network_id, next.at, props.zone, "%a %d %b %H:%M")
                    ),
                    theme.text(),
                ));
            }
            let block = frame_block(&row.program.name, theme);
            frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), body);
            return None;
        }
    };
    frame.render_widget(
        Paragraph::new(lines).block(frame_block(&title, theme)).wrap(Wrap { trim: false }),
        facts_area,
    );
    Some(picture_title)
}

fn frame_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::styled(format!(" {title} "), theme.title()))
}

/// A camera's configuration, in three headed groups: how well it is connected and powered,
/// what can be set, and what it is.
fn config_lines(config: &DeviceConfig, theme: Theme) -> Vec<Line<'static>> {
    let (mut signals, mut settings, mut device): (Facts, Facts, Facts) = Default::default();
    let on_off = |on: bool, yes: &str, no: &str| Some(if on { yes } else { no }.to_owned());
    match config {
        DeviceConfig::Camera(response) => {
            if let Some(camera) = response.camera.first() {
                signals.push(("Wi-Fi", camera.wifi_strength.map(|v| format!("{v} dBm"))));
                signals.push(("Sync link", camera.lfr_strength.map(|v| format!("{v} dBm"))));
                signals
                    .push(("Battery", camera.battery_voltage.map(|v| format!("{:.2} V", v as f64 / 100.0))));
                let night = camera
                    .illuminator_enable
                    .map(|v| ["off", "on", "auto"].get(v as usize).unwrap_or(&"?").to_string());
                settings.push(("Night vision", night));
                settings.push(("Sensitivity", camera.motion_sensitivity.map(|v| format!("{v}/9"))));
                settings.push(("Clip length", camera.video_length.map(|v| format!("{v} s"))));
                settings.push(("Quality", camera.video_quality.clone()));
                settings
                    .push(("Audio", camera.record_audio_enable.and_then(|on| on_off(on, "recorded", "off"))));
                device.push(("Firmware", camera.fw_version.as_ref().map(ToString::to_string)));
                device.push(("Serial", camera.serial.clone()));
            }
        }
        DeviceConfig::Mini(owl) => {
            signals.push(("Wi-Fi", owl.wifi.map(|v| format!("{v}/5"))));
            settings.push(("Night vision", owl.illuminator_enable.clone()));
            settings.push(("Sensitivity", owl.motion_sensitivity.map(|v| format!("{v}/9"))));
            settings.push(("Clip length", owl.clip_length.map(|v| format!("{v} s"))));
            settings.push(("Quality", owl.video_quality.clone()));
            settings.push(("Status LED", owl.led_enabled.and_then(|on| on_off(on, "on", "off"))));
            device.push(("Firmware", owl.fw_version.as_ref().map(ToString::to_string)));
        }
        DeviceConfig::Doorbell(bell) => {
            signals.push(("Wi-Fi", bell.wifi_rssi.map(|v| format!("{v} dBm"))));
            signals.push(("Sync link", bell.lfr_rssi.map(|v| format!("{v} dBm"))));
            signals.push(("Battery", bell.battery_voltage.map(|v| format!("{:.2} V", v as f64 / 100.0))));
            device.push(("Firmware", bell.fw_version.as_ref().map(ToString::to_string)));
        }
    }
    let mut lines = Vec::new();
    for (heading, facts) in [("Signals", signals), ("Settings", settings), ("Device", device)] {
        let known: Vec<_> = facts.into_iter().filter_map(|(label, value)| Some((label, value?))).collect();
        if known.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!(" {heading}"), theme.title()));
        lines.extend(known.into_iter().map(|(label, value)| fact(theme, label, value, theme.text())));
    }
    lines
}

type Facts = Vec<(&'static str, Option<String>)>;

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::api::models::MediaItem;

    #[test]
    fn an_events_facts_draw_from_their_props_alone() {
        let event = MediaItem {
            id: 7,
            network_id: 1,
            device_name: "Porch".into(),
            created_at: "2026-12-07T11:00:00+00:00".parse().expect("time"),
            ..MediaItem::default()
        };
        let data = DataStore { events: vec![event], ..DataStore::default() };
        let (view, keymap) = (View::default(), Keymap::default());
        let props = DetailsProps {
            data: &data,
            zone: &TimeZone::UTC,
            view: &view,
            keymap: &keymap,
            spinner: 0,
            mark_watched: true,
        };
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("now");
        let mut terminal = Terminal::new(TestBackend::new(100, 20)).expect("terminal");
        let mut picture = None;
        terminal
            .draw(|frame| {
                picture =
                    render_facts(frame, frame.area(), &props, &Details::Event { id: 7 }, Theme::MONO, now)
            })
            .expect("draw");
        assert_eq!(picture.as_deref(), Some("Event picture"), "a picture goes beside the facts");
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Event · Porch"), "{screen}");
        assert!(screen.contains("Mon 07 Dec 11:00:00"), "the time in the zone given: {screen}");
        assert!(screen.contains("mark watched"), "w applies, as the props say: {screen}");
        terminal
            .draw(|frame| {
                picture =
                    render_facts(frame, frame.area(), &props, &Details::Event { id: 8 }, Theme::MONO, now)
            })
            .expect("draw");
        assert_eq!(picture, None, "no picture beside an event gone");
    }
}
