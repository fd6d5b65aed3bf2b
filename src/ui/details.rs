//! Full-screen details (Enter): a camera's settings and signals, an event's large picture, a
//! program's schedule.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::layout::details_layout;
use super::picture::{camera_lines, render_picture};
use super::theme::Theme;
use super::widgets::{ago, fact, local, spinner};
use crate::api::DeviceConfig;
use crate::app::{AppState, Details};
use crate::schedule::describe;

pub fn render(
    frame: &mut Frame,
    body: Rect,
    state: &AppState,
    details: &Details,
    theme: Theme,
    now: Timestamp,
) {
    let (facts_area, picture_area) = details_layout(body);
    let (title, lines, picture_title) = match details {
        Details::Camera { id, loading, config, error, .. } => {
            let Some(camera) = state.data.camera(*id) else {
                return;
            };
            let mut lines = camera_lines(state, camera, theme, now);
            lines.push(Line::raw(""));
            match (loading, config, error) {
                (_, _, Some(err)) => {
                    lines.push(Line::styled(format!(" Settings unavailable: {err}"), theme.bad()))
                }
                (true, _, _) => lines.push(Line::styled(
                    format!(" {} loading settings…", spinner(state.spinner)),
                    theme.dim(),
                )),
                (false, Some(config), None) => lines.extend(config_lines(config, theme)),
                (false, None, None) => {}
            }
            (camera.name.clone(), lines, format!("{} · current picture", camera.name))
        }
        Details::Event { id } => {
            let Some(event) = state.data.events.iter().find(|e| e.id == *id) else {
                return;
            };
            let when = crate::api::models::time::parse_timestamp(&event.created_at);
            let lines = vec![
                fact(theme, "Camera", event.device_name.clone(), theme.title()),
                fact(theme, "Network", event.network_name.clone().unwrap_or_default(), theme.text()),
                fact(
                    theme,
                    "Time",
                    when.map(|at| local(at, &state.zone, "%a %d %b %Y %H:%M:%S")).unwrap_or_default(),
                    theme.text(),
                ),
                fact(theme, "", when.map(|at| ago(at, now)).unwrap_or_default(), theme.dim()),
                fact(theme, "Source", event.source.clone().unwrap_or_default(), theme.text()),
                fact(theme, "Type", event.media_type.clone().unwrap_or_default(), theme.text()),
                fact(theme, "Watched", if event.watched { "yes" } else { "no" }, theme.text()),
                fact(theme, "Event id", event.id.to_string(), theme.dim()),
                Line::raw(""),
                Line::styled(" o play · O player · S save · x delete", theme.dim()),
            ];
            (format!("Event · {}", event.device_name), lines, "Event picture".into())
        }
        Details::Program { id } => {
            let Some(row) = state.data.programs.iter().find(|p| p.program.id == *id) else {
                return;
            };
            let mut lines = vec![
                fact(theme, "Program", row.program.name.clone(), theme.title()),
                fact(theme, "Network", row.network.clone(), theme.text()),
                fact(theme, "State", row.program.status.clone(), theme.text()),
                fact(theme, "Schedule", describe(&row.program, &state.zone), theme.text()),
            ];
            if let Some(next) = &row.next {
                lines.push(fact(
                    theme,
                    "Next",
                    format!("{} {}", next.action, local(next.at, &state.zone, "%a %d %b %H:%M")),
                    theme.text(),
                ));
            }
            let block = frame_block(&row.program.name, theme);
            frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), body);
            return;
        }
    };
    frame.render_widget(
        Paragraph::new(lines).block(frame_block(&title, theme)).wrap(Wrap { trim: false }),
        facts_area,
    );
    match (details, &state.player) {
        (Details::Event { id }, Some(player)) if player.event() == Some(*id) => {
            super::player::render_in_box(frame, picture_area, state, player, theme);
        }
        _ => render_picture(frame, picture_area, state, picture_title, theme),
    }
}

fn frame_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::styled(format!(" {title} "), theme.title()))
}

fn config_lines(config: &DeviceConfig, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(" Settings", theme.title())];
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(value) = value {
            lines.push(fact(theme, label, value, theme.text()));
        }
    };
    match config {
        DeviceConfig::Camera(response) => {
            if let Some(camera) = response.camera.first() {
                add(
                    "Night vision",
                    camera
                        .illuminator_enable
                        .map(|v| ["off", "on", "auto"].get(v as usize).unwrap_or(&"?").to_string()),
                );
                add("Sensitivity", camera.motion_sensitivity.map(|v| format!("{v}/9")));
                add("Clip length", camera.video_length.map(|v| format!("{v} s")));
                add("Quality", camera.video_quality.clone());
                add("Audio", camera.record_audio_enable.map(|on| if on { "recorded" } else { "off" }.into()));
                add("Battery", camera.battery_voltage.map(|v| format!("{:.2} V", v as f64 / 100.0)));
                add("Wi-Fi", camera.wifi_strength.map(|v| format!("{v} dBm")));
                add("Firmware", camera.fw_version.as_ref().map(ToString::to_string));
                add("Serial", camera.serial.clone());
            }
        }
        DeviceConfig::Mini(owl) => {
            add("Night vision", owl.illuminator_enable.clone());
            add("Sensitivity", owl.motion_sensitivity.map(|v| format!("{v}/9")));
            add("Clip length", owl.clip_length.map(|v| format!("{v} s")));
            add("Quality", owl.video_quality.clone());
            add("Status LED", owl.led_enabled.map(|on| if on { "on" } else { "off" }.into()));
            add("Firmware", owl.fw_version.as_ref().map(ToString::to_string));
        }
        DeviceConfig::Doorbell(bell) => {
            add("Wi-Fi", bell.wifi_rssi.map(|v| format!("{v} dBm")));
            add("Sync link", bell.lfr_rssi.map(|v| format!("{v} dBm")));
            add("Battery", bell.battery_voltage.map(|v| format!("{:.2} V", v as f64 / 100.0)));
            add("Firmware", bell.fw_version.as_ref().map(ToString::to_string));
        }
    }
    lines
}
