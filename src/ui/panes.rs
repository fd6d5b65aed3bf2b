//! The four list panes. Each builds rows only for the lines on screen, so drawing costs the
//! same with ten events or ten thousand.

mod cameras;

use std::borrow::Cow;
use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::theme::Theme;
use super::widgets::{fit, pane_block, spinner};
use crate::api::models::MediaItem;
use crate::app::clocks::{EventClock, EventClocks};
use crate::app::command_run::{CommandRun, RunPhase, Target, run_on};
use crate::app::data::{DataStore, source_label};
use crate::app::days::{EventLine, day_label, day_of, event_lines};
use crate::app::filter::problem;
use crate::app::layout::{pane_header, pane_rows};
use crate::app::lists::ListView;
use crate::app::{AppState, Pane};
use cameras::{CameraColumn, camera_columns, camera_row};

/// What a list pane draws: its list and the parts of the state its rows read.
#[derive(Debug, Clone, Copy)]
pub struct ListProps<'a> {
    pub pane: Pane,
    pub list: &'a ListView,
    /// It has the focus, with nothing over the lists.
    pub focused: bool,
    /// Typing goes into its filter.
    pub filter_editing: bool,
    pub data: &'a DataStore,
    /// Events marked with Space.
    pub marked: &'a BTreeSet<u64>,
    pub runs: &'a [CommandRun],
    pub clocks: &'a EventClocks,
    /// This machine's time zone.
    pub zone: &'a TimeZone,
    pub spinner: usize,
    /// An older page of events is on its way.
    pub loading_older: bool,
}

impl<'a> ListProps<'a> {
    pub fn of(state: &'a AppState, pane: Pane) -> Self {
        let view = &state.view;
        let focused = view.focus == pane && view.overlay.is_none() && view.details.is_none();
        Self {
            pane,
            list: view.list(pane),
            focused,
            filter_editing: focused && view.filter_editing,
            data: &state.data,
            marked: &view.marked,
            runs: &state.runs,
            clocks: &state.event_clocks,
            zone: &state.session.zone,
            spinner: state.spinner,
            loading_older: state.remote.loading.older.in_flight,
        }
    }

    fn zone_of(&self, network: u64) -> &'a TimeZone {
        self.data.zone_of(network, self.zone)
    }

    fn event_clock(&self, event: &MediaItem) -> Cow<'a, EventClock> {
        self.clocks.clock(event, self.zone_of(event.network_id), self.zone)
    }

    /// A time in a network's zone, labelled when that differs from this machine's.
    fn network_time(&self, network: u64, at: Timestamp, format: &str) -> String {
        self.data.network_time(network, at, self.zone, format)
    }
}

pub fn render(frame: &mut Frame, area: Rect, props: &ListProps, theme: Theme, now: Timestamp) {
    let (pane, list, focused) = (props.pane, props.list, props.focused);
    let title = match pane {
        Pane::Events => events_title(props),
        _ => pane.title().to_owned(),
    };
    let block = pane_block(theme, pane as usize + 1, &title, focused, list, props.filter_editing);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if list.is_empty() {
        let text = match (pane, problem(&list.filter, now, props.zone)) {
            (Pane::Events, Some(problem)) => Line::styled(format!(" {problem}"), theme.warn()),
            _ => Line::styled(empty_text(props), theme.dim()),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let height = pane_rows(area);
    let width = usize::from(inner.width);
    let window_selected = list.selected.checked_sub(list.offset);
    let (rows, widths, headers, selected): (Vec<Row>, Vec<Constraint>, Vec<&str>, Option<usize>) = match pane
    {
        Pane::Networks => (
            list.window(height).map(|(_, i)| network_row(props, i, theme)).collect(),
            network_widths(),
            vec!["", "NETWORK", "STATE", "SYNC MODULE"],
            window_selected,
        ),
        Pane::Cameras => {
            let columns = camera_columns(width);
            // Names get the room the longest needs, not all that is left: on a wide terminal
            // the other columns stay next to them.
            let longest =
                props.data.cameras.iter().map(|c| Line::raw(c.name.as_str()).width()).max().unwrap_or(0);
            let name = Constraint::Length(u16::try_from(longest.clamp(10, 32)).unwrap_or(32));
            let widths =
                columns.iter().map(|c| if *c == CameraColumn::Name { name } else { c.width() }).collect();
            let rows = list.window(height).map(|(_, i)| camera_row(props, i, &columns, theme, now)).collect();
            (rows, widths, columns.iter().map(|c| c.header()).collect(), window_selected)
        }
        Pane::Programs => {
            let with_network = width >= 64;
            let rows = list.window(height).map(|(_, i)| program_row(props, i, theme, with_network)).collect();
            let mut headers = vec!["", "PROGRAM", "STATUS", "NEXT"];
            if with_network {
                headers.insert(2, "NETWORK");
            }
            (rows, program_widths(with_network), headers, window_selected)
        }
        Pane::Events => {
            let lines = event_lines(list, &props.data.events, props.zone, height);
            let shown = || {
                lines.iter().filter_map(|line| match line {
                    EventLine::Event(position) => list.visible.get(*position).copied(),
                    EventLine::Day(_) => None,
                })
            };
            // Times carry their zone when a camera's clock differs from this machine's.
            let labelled = shown().any(|i| props.event_clock(&props.data.events[i]).labelled);
            let time: u16 = if labelled { 14 } else { 9 };
            // The network and the source go when there is no room: the camera and time stay.
            let extra = width.saturating_sub(1 + usize::from(time) + 12 + 3 + 3);
            let (network, source) = (extra >= 22, extra >= 11);
            let today = day_of(now, props.zone);
            let rows = lines
                .iter()
                .map(|line| match line {
                    EventLine::Day(day) => day_row(*day, today, theme),
                    EventLine::Event(position) => match list.visible.get(*position) {
                        Some(i) => event_row(props, *i, theme, now, network, source),
                        None => Row::default(),
                    },
                })
                .collect();
            let mut headers = vec!["", "TIME", "CAMERA"];
            if network {
                headers.push("NETWORK");
            }
            if source {
                headers.push("SOURCE");
            }
            let selected = lines.iter().position(|line| *line == EventLine::Event(list.selected));
            (rows, event_widths(time, network, source), headers, selected)
        }
    };
    let mut rows: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(n, row)| if Some(n) == selected { row.style(theme.selected(focused)) } else { row })
        .collect();
    // Older events on their way, under the last one.
    if pane == Pane::Events && props.loading_older && rows.len() < height {
        let text = format!("{} loading older…", spinner(props.spinner));
        rows.push(Row::new(vec![
            Cell::from(""),
            Cell::from(""),
            Cell::from(Span::styled(text, theme.dim())),
        ]));
    }
    let mut table = Table::new(rows, widths).column_spacing(1);
    if pane_header(area) {
        table = table.header(Row::new(headers).style(theme.dim()));
    }
    frame.render_widget(table, inner);
}

/// "Events", with the marks when there are (and how many the filter hides).
pub fn events_title(props: &ListProps) -> String {
    let title = Pane::Events.title();
    let marked = props.marked.len();
    if marked == 0 {
        return title.to_owned();
    }
    let shown = props.list.visible.iter().filter_map(|i| props.data.events.get(*i));
    match marked - shown.filter(|e| props.marked.contains(&e.id)).count() {
        0 => format!("{title} · {marked} marked"),
        hidden => format!("{title} · {marked} marked, {hidden} hidden"),
    }
}

fn empty_text(props: &ListProps) -> String {
    let data = props.data;
    let loaded = match props.pane {
        Pane::Networks | Pane::Cameras => data.home_loaded,
        Pane::Programs => data.programs_loaded,
        Pane::Events => data.events_loaded,
    };
    match (loaded, props.list.filter.is_empty(), props.pane) {
        (false, _, _) => format!(" {} loading…", spinner(props.spinner)),
        (true, false, _) => " nothing matches the filter (Esc clears it)".into(),
        (true, true, Pane::Events) => " no motion events".into(),
        (true, true, Pane::Programs) => " no programs".into(),
        (true, true, _) => " none on this account".into(),
    }
}

/// What a command running on this row is doing, short enough for its state column: the
/// spinner goes in the row's icon column.
fn running(props: &ListProps, target: Target) -> Option<Span<'static>> {
    let run = run_on(props.runs, target)?;
    let verb = match run.phase {
        RunPhase::Waiting => "waiting",
        _ => run.op.verb(),
    };
    Some(Span::raw(verb))
}

fn spinning(props: &ListProps, theme: Theme) -> Span<'static> {
    Span::styled(spinner(props.spinner), theme.accent())
}

fn network_widths() -> Vec<Constraint> {
    vec![Constraint::Length(1), Constraint::Min(10), Constraint::Length(11), Constraint::Length(12)]
}

fn network_row(props: &ListProps, index: usize, theme: Theme) -> Row<'static> {
    let network = &props.data.networks[index];
    let (icon, armed) = if network.armed {
        (Span::styled("●", theme.armed()), Span::styled("ARMED", theme.armed()))
    } else {
        (Span::styled("○", theme.dim()), Span::styled("disarmed", theme.dim()))
    };
    let (icon, armed) = match running(props, Target::Network(network.id)) {
        Some(verb) => (spinning(props, theme), verb.style(theme.accent())),
        None => (icon, armed),
    };
    let sync = match &network.sync_module {
        Some(sync) if sync.online => Span::styled("sync online", theme.good()),
        Some(_) => Span::styled("sync OFFLINE", theme.bad()),
        None => Span::styled("no sync", theme.dim()),
    };
    let name = with_snooze(&network.name, network.snoozed.as_deref(), theme);
    Row::new(vec![Cell::from(icon), Cell::from(name), Cell::from(armed), Cell::from(sync)])
}

/// A name, followed by `z 29m` when its notifications are snoozed.
fn with_snooze(name: &str, snoozed: Option<&str>, theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(name.to_owned())];
    if let Some(left) = snoozed {
        spans.push(Span::styled(format!(" z {left}"), theme.warn()));
    }
    Line::from(spans)
}

/// The network column goes first when space is short.
fn program_widths(with_network: bool) -> Vec<Constraint> {
    let mut widths =
        vec![Constraint::Length(1), Constraint::Min(12), Constraint::Length(9), Constraint::Length(21)];
    if with_network {
        widths.insert(2, Constraint::Length(10));
    }
    widths
}

fn program_row(props: &ListProps, index: usize, theme: Theme, with_network: bool) -> Row<'static> {
    let row = &props.data.programs[index];
    let enabled = row.program.is_enabled();
    let run = running(props, Target::Program(row.program.id));
    let icon = match (&run, enabled) {
        (Some(_), _) => spinning(props, theme),
        (None, true) => Span::styled("◆", theme.good()),
        (None, false) => Span::styled("◇", theme.dim()),
    };
    let status = match run {
        Some(span) => span.style(theme.accent()),
        None if enabled => Span::styled("enabled", theme.good()),
        None => Span::styled("disabled", theme.dim()),
    };
    let next = row.next.as_ref().map_or_else(
        || "-".to_owned(),
        |next| format!("{} {}", next.action, props.network_time(row.program.network_id, next.at, "%a %H:%M")),
    );
    let mut cells =
        vec![Cell::from(icon), Cell::from(row.program.name.clone()), Cell::from(status), Cell::from(next)];
    if with_network {
        cells.insert(2, Cell::from(Span::styled(fit(&row.network, 10), theme.dim())));
    }
    Row::new(cells)
}

fn event_widths(time: u16, network: bool, source: bool) -> Vec<Constraint> {
    let mut widths = vec![Constraint::Length(1), Constraint::Length(time), Constraint::Min(10)];
    if network {
        widths.push(Constraint::Length(10));
    }
    if source {
        widths.push(Constraint::Length(11));
    }
    widths.push(Constraint::Length(3));
    widths
}

/// The day of the events under it, in its time column (a year spills into the next).
fn day_row(day: jiff::civil::Date, today: jiff::civil::Date, theme: Theme) -> Row<'static> {
    let label = day_label(day, today);
    let (date, year) = match label.rsplit_once(' ') {
        Some((date, year)) if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
            (date.to_owned(), year.to_owned())
        }
        _ => (label, String::new()),
    };
    let style = theme.dim().add_modifier(ratatui::style::Modifier::BOLD);
    Row::new(vec![
        Cell::from(""),
        Cell::from(Span::styled(date, style)),
        Cell::from(Span::styled(year, style)),
    ])
}

fn event_row(
    props: &ListProps,
    index: usize,
    theme: Theme,
    now: Timestamp,
    with_network: bool,
    with_source: bool,
) -> Row<'static> {
    let event = &props.data.events[index];
    let time = props.event_clock(event).text(now, props.zone_of(event.network_id)).to_owned();
    let is_new = props.data.new_events.contains(&event.id);
    let busy = running(props, Target::Event(event.id)).is_some();
    let mark = match (busy, is_new, event.watched) {
        (true, _, _) => Span::styled(format!(" {}", spinner(props.spinner)), theme.accent()),
        (false, true, _) => Span::styled("NEW", theme.new_item()),
        (false, false, false) => Span::styled(" ●", theme.accent()),
        (false, false, true) => Span::raw(""),
    };
    let marked =
        if props.marked.contains(&event.id) { Span::styled("✓", theme.key()) } else { Span::raw(" ") };
    let mut cells = vec![Cell::from(marked), Cell::from(time), Cell::from(event.device_name.clone())];
    if with_network {
        cells.push(Cell::from(Span::styled(
            fit(event.network_name.as_deref().unwrap_or("-"), 10),
            theme.dim(),
        )));
    }
    if with_source {
        cells.push(Cell::from(Span::styled(source_label(event.source.as_deref()).to_owned(), theme.dim())));
    }
    cells.push(Cell::from(mark));
    let row = Row::new(cells);
    if is_new { row.style(theme.new_item()) } else { row }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;

    use super::*;
    use crate::api::DeviceKind;
    use crate::summary::CameraSummary;

    fn camera(id: u64, name: &str, online: bool) -> CameraSummary {
        CameraSummary {
            id,
            name: name.into(),
            network_id: 1,
            network: Some("Home".into()),
            device_type: "catalina".into(),
            kind: DeviceKind::Camera,
            enabled: true,
            online,
            status: None,
            battery: Some("ok".into()),
            battery_low: false,
            battery_bars: Some(3),
            temperature_f: Some(68),
            temperature_c: Some(20),
            wifi_bars: Some(4),
            lfr_bars: None,
            serial: None,
            firmware: None,
            snoozed: None,
        }
    }

    #[test]
    fn a_pane_draws_from_its_props_alone() {
        let data = DataStore {
            cameras: vec![camera(1, "Porch", true), camera(2, "Garden", false)],
            home_loaded: true,
            ..DataStore::default()
        };
        let list = ListView { selected: 1, visible: vec![0, 1], ..ListView::default() };
        let (marked, clocks) = (BTreeSet::new(), EventClocks::default());
        let props = ListProps {
            pane: Pane::Cameras,
            list: &list,
            focused: true,
            filter_editing: false,
            data: &data,
            marked: &marked,
            runs: &[],
            clocks: &clocks,
            zone: &TimeZone::UTC,
            spinner: 0,
            loading_older: false,
        };
        let mut terminal = Terminal::new(TestBackend::new(60, 6)).expect("terminal");
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("now");
        terminal.draw(|frame| render(frame, frame.area(), &props, Theme::MONO, now)).expect("draw");
        let buffer = terminal.backend().buffer();
        let line = |y: u16| (0..60).map(|x| buffer[(x, y)].symbol()).collect::<String>();
        let row_of = |name: &str| (0..6).find(|y| line(*y).contains(name)).expect(name);
        let (porch, garden) = (row_of("Porch"), row_of("Garden"));
        assert!(porch < garden, "rows in the list's order");
        assert!(line(porch).contains("motion on") && line(porch).contains("online"), "{}", line(porch));
        assert!(line(garden).contains("OFFLINE"), "{}", line(garden));
        let name_x =
            |y: u16| (0..60).find(|x| buffer[(*x, y)].symbol() == "P" || buffer[(*x, y)].symbol() == "G");
        let style = |y: u16| buffer[(name_x(y).expect("a name"), y)].modifier;
        assert!(style(garden).contains(Modifier::REVERSED), "the selected row stands out");
        assert!(!style(porch).contains(Modifier::REVERSED), "the others do not");
    }
}
