//! The header (account, overall armed state, clock), the status line (refresh, work in
//! flight, problems) and the footer (keys that apply where the focus is).

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::widgets::{local, spinner};
use crate::app::command_run::CommandRun;
use crate::app::data::DataStore;
use crate::app::keymap::{KeyCommand, Keymap};
use crate::app::{AppState, Details, Pane, Remote, View};

/// What the header draws.
#[derive(Debug, Clone, Copy)]
pub struct HeaderProps<'a> {
    pub data: &'a DataStore,
    /// The e-mail signed in, empty before.
    pub account: &'a str,
    pub read_only: bool,
    /// This machine's time zone, for the clock.
    pub zone: &'a TimeZone,
}

impl<'a> HeaderProps<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            data: &state.data,
            account: &state.session.account,
            read_only: state.options.read_only,
            zone: &state.session.zone,
        }
    }
}

/// What the status line draws.
#[derive(Debug, Clone, Copy)]
pub struct StatusProps<'a> {
    pub remote: &'a Remote,
    pub data: &'a DataStore,
    pub runs: &'a [CommandRun],
    pub zone: &'a TimeZone,
    pub spinner: usize,
    pub graphics_label: &'a str,
}

impl<'a> StatusProps<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            remote: &state.remote,
            data: &state.data,
            runs: &state.runs,
            zone: &state.session.zone,
            spinner: state.spinner,
            graphics_label: &state.options.graphics_label,
        }
    }
}

/// What the footer draws: the keys of where the user is.
#[derive(Debug, Clone, Copy)]
pub struct FooterProps<'a> {
    pub view: &'a View,
    pub keymap: &'a Keymap,
    /// A clip plays (or shows its frame): its keys replace the event's.
    pub playing: bool,
    /// `w` would do something (see `AppState::mark_watched_applies`).
    pub mark_watched: bool,
    pub read_only: bool,
}

impl<'a> FooterProps<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            view: &state.view,
            keymap: &state.keymap,
            playing: state.player.as_ref().is_some_and(|p| p.phase.running() || p.frame.is_some()),
            mark_watched: state.mark_watched_applies(),
            read_only: state.options.read_only,
        }
    }
}

pub fn header(frame: &mut Frame, area: Rect, props: &HeaderProps, theme: Theme, now: Timestamp) {
    let total = props.data.networks.len();
    let armed = props.data.armed_count();
    let summary = match (total, armed) {
        (0, _) => Span::styled("no networks yet", theme.dim()),
        (_, 0) => Span::styled("○ all disarmed", theme.dim()),
        (t, a) if t == a => Span::styled("● all armed", theme.armed()),
        (t, a) => Span::styled(format!("◐ {a} of {t} armed"), theme.warn()),
    };
    let account = if props.account.is_empty() { "Blink".to_owned() } else { props.account.to_owned() };
    let read_only = props.read_only.then(|| Span::styled(" │ READ-ONLY", theme.warn()));
    let clock = local(now, props.zone, "%a %d %b %H:%M ");
    // What gives way when the header is short of room: the clock, then the account. The armed
    // summary and READ-ONLY always stay whole.
    let width = usize::from(area.width);
    let line = |with_account: bool| {
        let mut spans = vec![Span::styled(" blinktui ", theme.title())];
        if with_account {
            spans.extend([Span::styled("│ ", theme.dim()), Span::raw(account.clone()), Span::raw(" ")]);
        }
        spans.extend([Span::styled("│ ", theme.dim()), summary.clone()]);
        spans.extend(read_only.clone());
        Line::from(spans)
    };
    let full = line(true);
    let left = if full.width() <= width { full } else { line(false) };
    let with_clock = left.width() + clock.chars().count() < width;
    frame.render_widget(Paragraph::new(left).style(theme.header()), area);
    if with_clock {
        // No style of its own: the header's would paint over the colours of the text on the left.
        frame.render_widget(Paragraph::new(clock).alignment(Alignment::Right), area);
    }
}

pub fn status(frame: &mut Frame, area: Rect, props: &StatusProps, theme: Theme) {
    let (remote, zone) = (props.remote, props.zone);
    let mut spans = Vec::new();
    match &remote.connection_problem {
        Some(problem) => {
            spans.push(Span::styled(format!(" ⚠ {problem}"), theme.bad()));
            if let Some(next) = remote.next_refresh {
                spans.push(Span::styled(format!(" · retry {}", local(next, zone, "%H:%M:%S")), theme.dim()));
            }
        }
        None => {
            let last =
                props.data.last_refresh.map_or_else(|| "not yet".into(), |at| local(at, zone, "%H:%M:%S"));
            spans.push(Span::styled(format!(" refreshed {last}"), theme.dim()));
            if let Some(next) = remote.next_refresh {
                spans.push(Span::styled(format!(" · next {}", local(next, zone, "%H:%M:%S")), theme.dim()));
            }
        }
    }
    let mut running = Vec::new();
    let loading =
        remote.loading.home.in_flight || remote.loading.events.in_flight || remote.loading.programs.in_flight;
    if loading {
        running.push(Span::styled(format!(" · {} refreshing", spinner(props.spinner)), theme.accent()));
    }
    for run in props.runs {
        running.push(Span::styled(
            format!(" · {} {} ({})", spinner(props.spinner), run.label, run.status(props.runs, props.data)),
            theme.accent(),
        ));
    }
    // What is running matters more than when the next refresh is, or the last one was: those
    // go first when the line is short of room.
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let room = usize::from(area.width);
    while spans.len() > 1 && width(&spans) + width(&running) > room {
        spans.pop();
    }
    if remote.connection_problem.is_none() && width(&spans) + width(&running) > room && !running.is_empty() {
        spans.clear();
        if let Some(first) = running.first_mut() {
            first.content = first.content.trim_start_matches(" ·").to_owned().into();
        }
    }
    spans.extend(running);
    let left = Line::from(spans);
    // The picture protocol is the least of it: it goes when the rest needs the room, and never
    // touches what is on its left.
    let right = format!(" pictures: {} ", props.graphics_label);
    if left.width() + right.chars().count() <= usize::from(area.width) {
        frame.render_widget(
            Paragraph::new(Span::styled(right, theme.dim())).alignment(Alignment::Right),
            area,
        );
    }
    frame.render_widget(Paragraph::new(left), area);
}

/// The keys worth showing now, in order.
fn footer_commands(props: &FooterProps) -> Vec<KeyCommand> {
    use KeyCommand::*;
    let (view, playing) = (props.view, props.playing);
    if view.filter_editing {
        return Vec::new();
    }
    let pane_keys: &[KeyCommand] = match (&view.overlay, &view.details, view.focus) {
        (Some(_), _, _) => &[Back],
        (None, Some(Details::Event { .. }), _) if playing => &[
            PlayPause,
            NextClip,
            Faster,
            FullScreen,
            SeekBack,
            SeekForward,
            FrameBack,
            FrameForward,
            StopPlayback,
            SaveClip,
        ],
        (None, Some(Details::Camera { .. }), _) if playing => &[FullScreen, StopPlayback],
        (None, Some(Details::Camera { .. }), _) => {
            &[LiveView, ToggleMotion, Snapshot, RecordClip, Settings, Back]
        }
        (None, Some(Details::Event { .. }), _) => {
            &[PlayClip, OpenInPlayer, SaveClip, DeleteEvent, MarkWatched, Back]
        }
        (None, Some(Details::Program { .. }), _) => &[ToggleProgram, Back],
        (None, None, Pane::Networks) => &[Arm, Disarm, Open],
        (None, None, Pane::Cameras) => &[LiveView, ToggleMotion, Snapshot, RecordClip, Open],
        (None, None, Pane::Programs) => &[ToggleProgram, Open],
        (None, None, Pane::Events) if view.grid.is_some() => {
            &[PlayClip, Right, MarkEvent, SaveClip, DeleteEvent, Grid]
        }
        (None, None, Pane::Events) => &[Open, PlayClip, Grid, SaveClip, DeleteEvent],
    };
    let mut keys = pane_keys.to_vec();
    keys.retain(|key| *key != MarkWatched || props.mark_watched);
    if view.overlay.is_none() && view.details.is_none() {
        keys.extend([Filter, NextPane, Refresh, MessageLog, Help, Quit]);
    }
    keys
}

/// A command's name in the footer and in views' hints, where the place changes it.
pub fn label(view: &View, command: KeyCommand) -> &'static str {
    match command {
        KeyCommand::Open if view.focus == Pane::Networks && view.details.is_none() => "cameras",
        KeyCommand::Back if view.overlay.is_none() && view.details.is_some() => "back",
        KeyCommand::Grid if view.grid.is_some() => "list",
        KeyCommand::Grid => "thumbnails",
        // In the grid's key line, `h j k l` together.
        KeyCommand::Right => "move",
        _ => command.description(),
    }
}

/// The keys a details view acts on, named as the footer names them (`o play · O external
/// player`), on as many lines of `width` as they need, each entry whole.
pub fn hint_lines(
    keymap: &Keymap,
    view: &View,
    commands: &[KeyCommand],
    theme: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for command in commands {
        let (key, text) = (keymap.key_label(*command), format!(" {}", label(view, *command)));
        let entry = key.chars().count() + text.chars().count();
        if used > 1 && used + 3 + entry > width {
            lines.push(Line::from(std::mem::replace(&mut spans, vec![Span::raw(" ")])));
            used = 1;
        }
        if used > 1 {
            spans.push(Span::styled(" · ", theme.dim()));
            used += 3;
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(text, theme.dim()));
        used += entry;
    }
    lines.push(Line::from(spans));
    lines
}

/// The grid's four moves as one footer entry: `hjkl` with the default keys.
fn grid_move_keys(keymap: &Keymap) -> String {
    let keys: Vec<String> = [KeyCommand::Left, KeyCommand::Down, KeyCommand::Up, KeyCommand::Right]
        .into_iter()
        .map(|command| keymap.key_label(command))
        .collect();
    if keys.iter().all(|key| key.chars().count() == 1) { keys.concat() } else { keys.join(" ") }
}

/// When the footer is short of room, these go first (help lists everything anyway).
fn footer_priority(command: KeyCommand) -> u8 {
    match command {
        // In the grid, `t` is also the way back to the list.
        KeyCommand::Help | KeyCommand::Quit | KeyCommand::Grid => 0,
        KeyCommand::MessageLog => 3,
        KeyCommand::NextPane => 2,
        _ => 1,
    }
}

pub fn footer(frame: &mut Frame, area: Rect, props: &FooterProps, theme: Theme) {
    if props.view.filter_editing {
        let line = Line::from(vec![
            Span::styled(" filter ", theme.accent()),
            Span::raw("type to narrow the list · "),
            Span::styled("Enter", theme.key()),
            Span::raw(" keep · "),
            Span::styled("Esc", theme.key()),
            Span::raw(" clear · "),
            Span::styled("Ctrl-U", theme.key()),
            Span::raw(" erase the line"),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let entries: Vec<(KeyCommand, String, String, bool)> = footer_commands(props)
        .into_iter()
        .map(|command| {
            let disabled = props.read_only && command.changes_blink();
            let label = label(props.view, command);
            let key = match command {
                KeyCommand::Right => format!(" {}", grid_move_keys(props.keymap)),
                _ => format!(" {}", props.keymap.key_label(command)),
            };
            let text = if disabled { format!(" {label} (read-only) ") } else { format!(" {label} ") };
            (command, key, text, disabled)
        })
        .collect();
    // Whole entries only; the least important are dropped first and the rest keep their order.
    let width =
        |entry: &(KeyCommand, String, String, bool)| entry.1.chars().count() + entry.2.chars().count();
    let mut ranked: Vec<usize> = (0..entries.len()).collect();
    ranked.sort_by_key(|index| footer_priority(entries[*index].0));
    let mut kept = vec![false; entries.len()];
    let mut used = 0;
    for index in ranked {
        if used + width(&entries[index]) <= usize::from(area.width) {
            used += width(&entries[index]);
            kept[index] = true;
        }
    }
    let mut spans = Vec::new();
    for ((_, key, text, disabled), _) in entries.into_iter().zip(kept).filter(|(_, kept)| *kept) {
        spans.push(Span::styled(key, if disabled { theme.dim() } else { theme.key() }));
        spans.push(Span::styled(text, if disabled { theme.dim() } else { theme.text() }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: Theme) {
    let lines = vec![
        Line::styled("Terminal too small", theme.bad()),
        Line::raw(format!(
            "need {}×{}, have {}×{}",
            crate::app::layout::MIN_WIDTH,
            crate::app::layout::MIN_HEIGHT,
            area.width,
            area.height
        )),
        Line::styled("enlarge the window, or q to quit", theme.dim()),
    ];
    let y = area.y + area.height.saturating_sub(3) / 2;
    let middle = Rect { y, height: 3.min(area.height), ..area };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), middle);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::summary::NetworkSummary;

    fn network(id: u64, armed: bool) -> NetworkSummary {
        NetworkSummary {
            id,
            name: format!("Net {id}"),
            armed,
            time_zone: None,
            sync_module: None,
            snoozed: None,
        }
    }

    fn drawn(width: u16, draw: impl FnOnce(&mut Frame)) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, 1)).expect("terminal");
        terminal.draw(draw).expect("draw");
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol()).collect()
    }

    #[test]
    fn the_header_draws_from_its_props_alone() {
        let data = DataStore { networks: vec![network(1, true), network(2, false)], ..DataStore::default() };
        let props =
            HeaderProps { data: &data, account: "me@example.com", read_only: true, zone: &TimeZone::UTC };
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("now");
        let line = drawn(100, |frame| header(frame, frame.area(), &props, Theme::MONO, now));
        assert!(line.contains("me@example.com"), "{line}");
        assert!(line.contains("◐ 1 of 2 armed") && line.contains("READ-ONLY"), "{line}");
        assert!(line.trim_end().ends_with("Mon 07 Dec 12:00"), "the clock in the zone given: {line}");
    }

    #[test]
    fn the_footer_draws_from_its_props_alone() {
        let (view, keymap) = (View::default(), Keymap::default());
        let props = FooterProps {
            view: &view,
            keymap: &keymap,
            playing: false,
            mark_watched: false,
            read_only: true,
        };
        let line = drawn(120, |frame| footer(frame, frame.area(), &props, Theme::MONO));
        assert!(line.contains("arm (read-only)"), "the networks' keys, disabled: {line}");
        assert!(line.contains("cameras"), "Enter opens a network's cameras: {line}");
    }
}
