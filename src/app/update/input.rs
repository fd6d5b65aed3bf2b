//! Keys and mouse, routed by what is on screen: login, confirmation, filter typing, popups,
//! then the focused pane, with global keys as the fallback.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use jiff::Timestamp;
use ratatui::layout::Position;

use super::super::camera_details::CameraDetails;
use super::super::command_run::Operation;
use super::super::effect::Effect;
use super::super::grid::{self, Grid, GridLayout, Move};
use super::super::keymap::KeyCommand;
use super::super::lists::ListView;
use super::super::toasts::Level;
use super::super::{AppState, Confirmed, Details, Overlay, Pane, Screen};
use super::results::refresh_all;
use super::{choose, login, playback, rebuild_list, review, runs};
use crate::api::change::Change;
use crate::app::layout::{pane_header, pane_rows};

pub fn key(state: &mut AppState, key: KeyEvent, now: Timestamp) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if matches!(state.screen, Screen::Login(_)) {
        return login::key(state, key);
    }
    if let Some(Overlay::Confirm(confirm)) = &state.view.overlay {
        return match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                let then = confirm.then.clone();
                state.view.overlay = None;
                review::confirmed(state, then, now)
            }
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => {
                state.view.overlay = None;
                Vec::new()
            }
            _ => Vec::new(),
        };
    }
    if matches!(state.view.overlay, Some(Overlay::Choose(_))) {
        return choose::key(state, key, now);
    }
    if state.view.filter_editing {
        return filter_key(state, key);
    }
    let playing = state.player.is_some() && state.view.overlay.is_none();
    let command = state.keymap.command_for(&key, state.view.focus, playing);
    if let Some(effects) = command.and_then(|command| playback::key(state, command, now)) {
        return effects;
    }
    match (&state.view.overlay, command) {
        (
            Some(Overlay::Help { .. } | Overlay::Log { .. }),
            Some(KeyCommand::Back | KeyCommand::Help | KeyCommand::Quit),
        ) => {
            state.view.overlay = None;
            Vec::new()
        }
        (Some(Overlay::Log { .. }), Some(KeyCommand::MessageLog)) => {
            state.view.overlay = None;
            Vec::new()
        }
        (Some(Overlay::Log { scroll }), Some(KeyCommand::Down | KeyCommand::Up)) => {
            let step: isize = if command == Some(KeyCommand::Down) { 1 } else { -1 };
            let limit = state.toasts.log_len().saturating_sub(1);
            state.view.overlay = Some(Overlay::Log { scroll: scroll.saturating_add_signed(step).min(limit) });
            Vec::new()
        }
        (Some(Overlay::Help { scroll }), Some(command)) => {
            if let Some(to) = help_scroll(state, *scroll, command) {
                state.view.overlay = Some(Overlay::Help { scroll: to });
            }
            Vec::new()
        }
        (Some(Overlay::Help { .. } | Overlay::Log { .. }), _) => Vec::new(),
        (_, Some(command)) => run_command(state, command, now),
        (_, None) => {
            // The grid's left and right are arrows and h/l: keys too common to send anyone to
            // the events pane for.
            let elsewhere = state
                .keymap
                .command_elsewhere(&key)
                .filter(|c| !matches!(c, KeyCommand::Left | KeyCommand::Right))
                .and_then(|c| Some((c, c.pane()?)));
            if let Some((command, pane)) = elsewhere {
                works_elsewhere(state, command, pane, now);
            }
            Vec::new()
        }
    }
}

fn filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let pane = state.view.focus;
    match key.code {
        KeyCode::Enter => state.view.filter_editing = false,
        KeyCode::Esc => {
            state.view.filter_editing = false;
            state.list_mut(pane).filter.clear();
            rebuild_list(state, pane);
        }
        KeyCode::Backspace => {
            state.list_mut(pane).filter.pop();
            rebuild_list(state, pane);
        }
        KeyCode::Up => state.list_mut(pane).move_by(-1),
        KeyCode::Down => state.list_mut(pane).move_by(1),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.quit = true;
            return vec![super::cancel_all(state)];
        }
        // As in a shell: the whole line goes, and typing goes on.
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.list_mut(pane).filter.clear();
            rebuild_list(state, pane);
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.list_mut(pane).filter.push(c);
            rebuild_list(state, pane);
        }
        _ => {}
    }
    Vec::new()
}

/// A key of another pane, pressed here: say where it works.
fn works_elsewhere(state: &mut AppState, command: KeyCommand, pane: Pane, now: Timestamp) {
    let hint = format!(
        "{} ({}) works in the {} pane: press {}",
        state.keymap.key_label(command),
        command.description(),
        pane.title().to_lowercase(),
        pane as usize + 1
    );
    state.toasts.push(Level::Info, hint, now);
}

fn run_command(state: &mut AppState, command: KeyCommand, now: Timestamp) -> Vec<Effect> {
    if state.options.read_only && command.changes_blink() {
        let text = format!("Read-only mode: {} is disabled", command.description());
        state.toasts.push(Level::Warning, text, now);
        return Vec::new();
    }
    let page = page_size(state);
    match command {
        KeyCommand::Quit => {
            state.quit = true;
            return vec![super::cancel_all(state)];
        }
        KeyCommand::Help => state.view.overlay = Some(Overlay::Help { scroll: 0 }),
        KeyCommand::MessageLog => state.view.overlay = Some(Overlay::Log { scroll: 0 }),
        KeyCommand::NextPane => focus(state, state.view.focus.next()),
        KeyCommand::PrevPane => focus(state, state.view.focus.prev()),
        KeyCommand::FocusNetworks => focus(state, Pane::Networks),
        KeyCommand::FocusCameras => focus(state, Pane::Cameras),
        KeyCommand::FocusPrograms => focus(state, Pane::Programs),
        KeyCommand::FocusEvents => focus(state, Pane::Events),
        // The player's next and previous (live view has none) move as `j` and `k` do.
        KeyCommand::Up | KeyCommand::PrevClip => return step(state, Move::Up, Some(-1)),
        KeyCommand::Down | KeyCommand::NextClip => return step(state, Move::Down, Some(1)),
        KeyCommand::Left => return step(state, Move::Left, None),
        KeyCommand::Right => return step(state, Move::Right, None),
        KeyCommand::Top => return moved(state, ListView::top),
        KeyCommand::Bottom => return moved(state, ListView::bottom),
        KeyCommand::PageUp => return step(state, Move::PageUp, Some(-page)),
        KeyCommand::PageDown => return step(state, Move::PageDown, Some(page)),
        KeyCommand::Grid if !state.options.pictures && state.view.grid.is_none() => {
            let text =
                "Pictures are off (graphics = \"none\", or the terminal has none): the grid needs them";
            state.toasts.push(Level::Warning, text, now);
        }
        // From an event's details, `t` goes to the grid (a second `t` would be needed to see
        // it otherwise).
        KeyCommand::Grid if state.view.details.is_some() => {
            state.view.details = None;
            state.view.grid = Some(state.view.grid.unwrap_or_default());
        }
        KeyCommand::Grid => {
            state.view.grid = match state.view.grid {
                Some(_) => None,
                None => Some(Grid::default()),
            };
        }
        KeyCommand::Filter => {
            // The list being filtered must be on screen.
            state.view.details = None;
            state.view.filter_editing = true;
            // The filter in force opens for editing; what is typed next starts a new term.
            let filter = &mut state.list_mut(state.view.focus).filter;
            if !filter.is_empty() && !filter.ends_with(' ') {
                filter.push(' ');
            }
        }
        KeyCommand::Back => back(state),
        KeyCommand::Open => return open(state),
        KeyCommand::Refresh => {
            // Blink said when to come back: asking sooner only prolongs the wait.
            if let Some(until) = state.remote.rate_limited_until.filter(|until| *until > now) {
                let left = (until - now).as_secs().max(1);
                let at = state.clock_time(until);
                let text = format!("Blink asked to wait: the next request goes at {at} (in {left} s)");
                state.toasts.push(Level::Warning, text, now);
                return Vec::new();
            }
            state.toasts.push(Level::Info, "Refreshing", now);
            return refresh_all(state, now, true);
        }
        KeyCommand::Arm | KeyCommand::Disarm => return arm(state, command == KeyCommand::Arm, now),
        KeyCommand::ToggleMotion | KeyCommand::Snapshot | KeyCommand::RecordClip => {
            return camera(state, command, now);
        }
        KeyCommand::ToggleProgram => return program(state, now),
        KeyCommand::Snooze => return choose::open_snooze(state, now),
        KeyCommand::Settings => return choose::open_settings(state),
        KeyCommand::PlayClip
        | KeyCommand::OpenInPlayer
        | KeyCommand::SaveClip
        | KeyCommand::DeleteEvent
        | KeyCommand::MarkEvent
        | KeyCommand::MarkShown
        | KeyCommand::MarkWatched
        | KeyCommand::MarkAllWatched
        | KeyCommand::UnwatchedOnly => return review::command(state, command, now),
        // Only while a clip plays (handled above).
        KeyCommand::PlayPause
        | KeyCommand::SeekBack
        | KeyCommand::SeekForward
        | KeyCommand::FrameBack
        | KeyCommand::FrameForward
        | KeyCommand::Faster
        | KeyCommand::Slower
        | KeyCommand::FullScreen
        | KeyCommand::StopPlayback => {}
        KeyCommand::LiveView => return super::live::start(state, now),
        KeyCommand::Account => return choose::open_account(state),
    }
    Vec::new()
}

/// Moves the selection: in the grid by tiles, in a list by `rows` (`None`: a move a list has
/// not, left and right).
fn step(state: &mut AppState, movement: Move, rows: Option<isize>) -> Vec<Effect> {
    if let Some(layout) = state.grid_layout() {
        let list = state.list(Pane::Events);
        let to = grid::step(list.selected, list.len(), &layout, movement);
        return moved(state, |list| list.selected = to);
    }
    match rows {
        Some(rows) => moved(state, |list| list.move_by(rows)),
        None => Vec::new(),
    }
}

/// Moves the focused list's selection; an open details view follows it, so what is on screen
/// is always what the keys act on.
fn moved(state: &mut AppState, step: impl FnOnce(&mut ListView)) -> Vec<Effect> {
    step(state.list_mut(state.view.focus));
    let follow = match &state.view.details {
        Some(Details::Camera { id, .. }) => {
            state.selected_camera().filter(|c| c.id != *id).map(|c| c.device_ref())
        }
        Some(Details::Event { id }) => {
            if let Some(event) = state.selected_event().filter(|e| e.id != *id) {
                state.view.details = Some(Details::Event { id: event.id });
            }
            None
        }
        Some(Details::Program { id }) => {
            if let Some(row) = state.selected_program().filter(|p| p.program.id != *id) {
                state.view.details = Some(Details::Program { id: row.program.id });
            }
            None
        }
        None => None,
    };
    match follow {
        Some(device) => {
            state.view.details = Some(Details::Camera { id: device.id, read: CameraDetails::Loading });
            vec![Effect::LoadDetails { device }]
        }
        None => Vec::new(),
    }
}

fn focus(state: &mut AppState, pane: Pane) {
    state.view.focus = pane;
    state.view.overlay = None;
    state.view.details = None;
}

fn page_size(state: &AppState) -> isize {
    state.layout().map_or(10, |layout| pane_rows(layout.panes[state.view.focus as usize]).max(1) as isize)
}

fn back(state: &mut AppState) {
    if state.view.overlay.take().is_some() || state.view.details.take().is_some() {
        return;
    }
    let pane = state.view.focus;
    // Marks go first, then the filter: a forgotten mark must never be acted on out of sight.
    if pane == Pane::Events && !state.view.marked.is_empty() {
        state.view.marked.clear();
        return;
    }
    if !state.list(pane).filter.is_empty() {
        state.list_mut(pane).filter.clear();
        rebuild_list(state, pane);
    } else if pane == Pane::Events {
        // Nothing left to clear: the grid gives way to the list.
        state.view.grid = None;
    }
}

fn open(state: &mut AppState) -> Vec<Effect> {
    match state.view.focus {
        Pane::Networks => {
            // Enter on a network jumps to its first camera.
            if let Some(network) = state.selected_network().map(|n| n.id) {
                state.view.focus = Pane::Cameras;
                let list = state.list(Pane::Cameras);
                if let Some(position) =
                    list.visible.iter().position(|i| state.data.cameras[*i].network_id == network)
                {
                    state.list_mut(Pane::Cameras).selected = position;
                }
            }
            Vec::new()
        }
        Pane::Cameras => {
            let Some(camera) = state.selected_camera() else {
                return Vec::new();
            };
            let device = camera.device_ref();
            state.view.details = Some(Details::Camera { id: camera.id, read: CameraDetails::Loading });
            vec![Effect::LoadDetails { device }]
        }
        Pane::Programs => {
            if let Some(row) = state.selected_program() {
                state.view.details = Some(Details::Program { id: row.program.id });
            }
            Vec::new()
        }
        Pane::Events => match state.selected_event().cloned() {
            Some(event) => {
                state.view.details = Some(Details::Event { id: event.id });
                review::watch_on_open(state, &event)
            }
            None => Vec::new(),
        },
    }
}

fn ask_or_run(
    state: &mut AppState,
    question: String,
    op: Operation,
    label: String,
    now: Timestamp,
) -> Vec<Effect> {
    review::ask(state, question, Confirmed::Run { op, label }, now)
}

fn arm(state: &mut AppState, armed: bool, now: Timestamp) -> Vec<Effect> {
    let Some(network) = state.selected_network().cloned() else {
        return Vec::new();
    };
    if network.armed == armed
        && state.run_for(super::super::command_run::Target::Network(network.id)).is_none()
    {
        let text = format!("{} is already {}", network.name, if armed { "armed" } else { "disarmed" });
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    if armed {
        return runs::request(
            state,
            Operation::Change(Change::Arm { network: network.id, armed: true }),
            format!("Arm {}", network.name),
            now,
        );
    }
    let question = format!("Disarm {}? Its cameras stop recording motion.", network.name);
    ask_or_run(
        state,
        question,
        Operation::Change(Change::Arm { network: network.id, armed: false }),
        format!("Disarm {}", network.name),
        now,
    )
}

fn camera(state: &mut AppState, command: KeyCommand, now: Timestamp) -> Vec<Effect> {
    let Some(camera) = state.selected_camera().cloned() else {
        return Vec::new();
    };
    let device = camera.device_ref();
    let (op, label) = match command {
        KeyCommand::ToggleMotion => {
            let on = !camera.enabled;
            (
                Operation::Change(Change::Motion { device, on }),
                format!("Motion {} {}", if on { "on" } else { "off" }, camera.name),
            )
        }
        KeyCommand::Snapshot => {
            let before = state.data.thumbnails.get(&camera.id).cloned();
            (Operation::Snapshot { device, before }, format!("Snapshot {}", camera.name))
        }
        _ => (Operation::Change(Change::RecordClip { device }), format!("Record clip {}", camera.name)),
    };
    runs::request(state, op, label, now)
}

fn program(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let Some(row) = state.selected_program().cloned() else {
        return Vec::new();
    };
    let enable = !row.program.is_enabled();
    let verb = if enable { "Enable" } else { "Disable" };
    let op = Operation::Change(Change::Program {
        network: row.program.network_id,
        program: row.program.id,
        enable,
    });
    let question = format!("{verb} program {} on {}?", row.program.name, row.network);
    ask_or_run(state, question, op, format!("{verb} {}", row.program.name), now)
}

/// Where the help screen's scroll goes for a moving key, within what the screen leaves hidden
/// (the border and the note under the columns take three rows).
fn help_scroll(state: &AppState, scroll: usize, command: KeyCommand) -> Option<usize> {
    let lines = state.keymap.help_column_lines().into_iter().max().unwrap_or(0);
    let shown = usize::from(state.area().height).saturating_sub(3);
    let hidden = lines.saturating_sub(shown);
    let page = shown.max(1);
    let to = match command {
        KeyCommand::Down => scroll + 1,
        KeyCommand::Up => scroll.saturating_sub(1),
        KeyCommand::PageDown => scroll + page,
        KeyCommand::PageUp => scroll.saturating_sub(page),
        KeyCommand::Top => 0,
        KeyCommand::Bottom => hidden,
        _ => return None,
    };
    Some(to.min(hidden))
}

/// An event's day and time in its network's zone (labelled when not this machine's), as the
/// events pane shows it.
pub(super) fn short_time(state: &AppState, event: &crate::api::models::MediaItem) -> String {
    state.network_time(event.network_id, event.created_at.at, "%a %H:%M")
}

/// Optional mouse: a click focuses a pane and selects the row under it; the wheel moves.
/// Two clicks on the same row within this open its details.
const DOUBLE_CLICK: jiff::SignedDuration = jiff::SignedDuration::from_millis(400);

/// Optional mouse: a click focuses a pane and selects the row under it, a double click opens
/// it, the wheel scrolls the pane under the pointer.
pub fn mouse(state: &mut AppState, mouse: MouseEvent, now: Timestamp) -> Vec<Effect> {
    if !state.options.mouse
        || !matches!(state.screen, Screen::Main)
        || state.view.overlay.is_some()
        || state.view.details.is_some()
    {
        return Vec::new();
    }
    if let Some(layout) = state.grid_layout() {
        return grid_mouse(state, &layout, mouse, now);
    }
    let Ok(layout) = state.layout() else {
        return Vec::new();
    };
    let at = Position::new(mouse.column, mouse.row);
    let Some(pane) = Pane::ALL.into_iter().find(|p| layout.panes[*p as usize].contains(at)) else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            state.view.focus = pane;
            let rect = layout.panes[pane as usize];
            let top = rect.y + 1 + u16::from(pane_header(rect));
            let (rows, on_headers) = (pane_rows(rect), mouse.row < top);
            let row = usize::from(mouse.row.saturating_sub(top));
            let target = match pane {
                Pane::Events => crate::app::days::event_at_line(state, rows, row),
                _ => Some(state.list(pane).offset + row),
            };
            let list = state.list_mut(pane);
            let Some(target) = target.filter(|t| !on_headers && row < rows && *t < list.len()) else {
                state.view.last_click = None;
                return Vec::new();
            };
            list.selected = target;
            return clicked(state, pane, target, now);
        }
        MouseEventKind::ScrollDown => state.list_mut(pane).move_by(3),
        MouseEventKind::ScrollUp => state.list_mut(pane).move_by(-3),
        _ => {}
    }
    Vec::new()
}

/// A click selected `target` in `pane`: a second click on it soon after opens it.
fn clicked(state: &mut AppState, pane: Pane, target: usize, now: Timestamp) -> Vec<Effect> {
    let again =
        state.view.last_click.is_some_and(|(p, t, at)| p == pane && t == target && now - at <= DOUBLE_CLICK);
    state.view.last_click = (!again).then_some((pane, target, now));
    if again { open(state) } else { Vec::new() }
}

/// The mouse over the grid: a click selects the tile under it (twice: opens it), the wheel
/// moves a row of tiles.
fn grid_mouse(state: &mut AppState, layout: &GridLayout, mouse: MouseEvent, now: Timestamp) -> Vec<Effect> {
    let at = Position::new(mouse.column, mouse.row);
    let top = state.view.grid.unwrap_or_default().top_row * layout.columns;
    let count = state.list(Pane::Events).len();
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let Some(target) = layout.slot_at(at).map(|slot| top + slot).filter(|t| *t < count) else {
                state.view.last_click = None;
                return Vec::new();
            };
            state.list_mut(Pane::Events).selected = target;
            clicked(state, Pane::Events, target, now)
        }
        MouseEventKind::ScrollDown => step(state, Move::Down, None),
        MouseEventKind::ScrollUp => step(state, Move::Up, None),
        _ => Vec::new(),
    }
}
