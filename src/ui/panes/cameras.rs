//! The cameras pane's columns, which give way on a narrow terminal, and its rows.

use jiff::Timestamp;
use ratatui::layout::Constraint;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{ListProps, running, spinning};
use crate::app::command_run::Target;
use crate::summary::product_name;
use crate::ui::theme::Theme;
use crate::ui::widgets::{ago, bars, fit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CameraColumn {
    Status,
    Name,
    Network,
    Kind,
    Motion,
    Online,
    Battery,
    Temperature,
    Wifi,
    LastMotion,
}

impl CameraColumn {
    pub(super) fn width(self) -> Constraint {
        match self {
            Self::Status => Constraint::Length(1),
            Self::Name => Constraint::Min(10),
            Self::Network => Constraint::Length(10),
            Self::Kind => Constraint::Length(10),
            Self::Motion => Constraint::Length(10),
            Self::Online => Constraint::Length(7),
            Self::Battery => Constraint::Length(7),
            Self::Temperature => Constraint::Length(4),
            Self::Wifi => Constraint::Length(5),
            Self::LastMotion => Constraint::Length(7),
        }
    }

    pub(super) fn header(self) -> &'static str {
        match self {
            Self::Status => "",
            Self::Name => "CAMERA",
            Self::Network => "NETWORK",
            Self::Kind => "MODEL",
            Self::Motion => "MOTION",
            Self::Online => "STATE",
            Self::Battery => "BATTERY",
            Self::Temperature => "TEMP",
            Self::Wifi => "WI-FI",
            Self::LastMotion => "LAST",
        }
    }

    fn min_width(self) -> usize {
        match self.width() {
            Constraint::Length(n) | Constraint::Min(n) => usize::from(n) + 1,
            _ => 1,
        }
    }
}

/// The columns that fit, least important dropped first.
pub(super) fn camera_columns(width: usize) -> Vec<CameraColumn> {
    use CameraColumn::*;
    let by_importance = [Status, Name, Motion, Online, Battery, LastMotion, Temperature, Wifi, Network, Kind];
    let mut used = 0;
    let keep: Vec<CameraColumn> = by_importance
        .into_iter()
        .filter(|column| {
            let fits = used + column.min_width() <= width;
            if fits {
                used += column.min_width();
            }
            fits
        })
        .collect();
    [Status, Name, Network, Kind, Motion, Online, Battery, Temperature, Wifi, LastMotion]
        .into_iter()
        .filter(|c| keep.contains(c))
        .collect()
}

pub(super) fn camera_row(
    props: &ListProps,
    index: usize,
    columns: &[CameraColumn],
    theme: Theme,
    now: Timestamp,
) -> Row<'static> {
    let camera = &props.data.cameras[index];
    let run = running(props, Target::Camera(camera.id));
    let cells = columns.iter().map(|column| match column {
        CameraColumn::Status => Cell::from(if run.is_some() {
            spinning(props, theme)
        } else if camera.online {
            Span::styled("●", theme.good())
        } else {
            Span::styled("✕", theme.bad())
        }),
        CameraColumn::Name => Cell::from(camera.name.clone()),
        CameraColumn::Network => {
            Cell::from(Span::styled(fit(camera.network.as_deref().unwrap_or("-"), 10), theme.dim()))
        }
        CameraColumn::Kind => {
            Cell::from(Span::styled(fit(product_name(&camera.device_type), 10), theme.dim()))
        }
        CameraColumn::Motion => Cell::from(match &run {
            Some(span) => span.clone().style(theme.accent()),
            // Snoozed: what remains, where the motion state is (it fits in the column).
            None if camera.snoozed.is_some() => Span::styled(
                format!(
                    "{} z{}",
                    if camera.enabled { "on" } else { "off" },
                    camera.snoozed.as_deref().unwrap_or("")
                ),
                theme.warn(),
            ),
            None if camera.enabled => Span::styled("motion on", theme.good()),
            None => Span::styled("motion off", theme.dim()),
        }),
        CameraColumn::Online => Cell::from(if camera.online {
            Span::styled("online", theme.dim())
        } else {
            Span::styled("OFFLINE", theme.bad())
        }),
        CameraColumn::Battery => Cell::from(match (&camera.battery, camera.battery_low) {
            (_, true) => Span::styled("LOW", theme.warn()),
            (Some(_), false) => Span::raw(format!("bat {}", bars(camera.battery_bars.or(Some(3)), 3))),
            (None, false) => Span::styled("wired", theme.dim()),
        }),
        CameraColumn::Temperature => {
            Cell::from(camera.temperature_f.map_or_else(|| "   -".into(), |f| format!("{f:>2}°F")))
        }
        CameraColumn::Wifi => Cell::from(Span::raw(bars(camera.wifi_bars, 5))),
        CameraColumn::LastMotion => Cell::from(Span::styled(
            props.data.last_motion.get(&camera.id).map_or_else(|| "-".into(), |at| ago(*at, now)),
            theme.dim(),
        )),
    });
    Row::new(cells.collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_columns_drop_the_least_important_first() {
        let wide = camera_columns(110);
        assert_eq!(wide.len(), 10);
        let narrow = camera_columns(40);
        assert!(narrow.contains(&CameraColumn::Name) && narrow.contains(&CameraColumn::Motion));
        assert!(!narrow.contains(&CameraColumn::Kind));
        assert!(narrow.iter().map(|c| c.min_width()).sum::<usize>() <= 40);
    }
}
