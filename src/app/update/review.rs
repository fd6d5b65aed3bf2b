//! Going through events: play, save, delete, mark with Space and act on all marked ones, mark
//! watched (on opening, with `w`, or everything shown with `W`), and "unwatched only" (`u`).

use crate::api::ApiError;
use jiff::Timestamp;

use super::super::command_run::Operation;
use super::super::effect::Effect;
use super::super::filter::toggle_unwatched;
use super::super::keymap::KeyCommand;
use super::super::toasts::Level;
use super::super::{AppState, Confirm, Confirmed, Details, Overlay, Pane};
use super::input::short_time;
use super::{playback, rebuild_list, runs, usb};
use crate::api::models::MediaItem;
use crate::app::usb::UsbThen;

/// An events-pane command, on the event on screen or on every marked one.
pub fn command(state: &mut AppState, command: KeyCommand, now: Timestamp) -> Vec<Effect> {
    match command {
        KeyCommand::MarkEvent => mark(state),
        KeyCommand::MarkShown => mark_shown(state),
        KeyCommand::UnwatchedOnly => {
            let list = state.list_mut(Pane::Events);
            list.filter = toggle_unwatched(&list.filter);
            rebuild_list(state, Pane::Events);
            Vec::new()
        }
        KeyCommand::MarkAllWatched => mark_all_watched(state, now),
        KeyCommand::MarkWatched => {
            let chosen = chosen(state);
            mark_watched(state, &chosen, now)
        }
        KeyCommand::DeleteEvent => delete(state, now),
        KeyCommand::SaveClip => save(state, now),
        KeyCommand::PlayClip => match shown_event(state) {
            Some(event) => play(state, event, now),
            None => Vec::new(),
        },
        KeyCommand::OpenInPlayer => match shown_event(state) {
            Some(event) => external_player(state, event, now),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Plays an event's clip in its details, marking it watched; a stick's clip is uploaded by its
/// sync module first (a run, with its spinner on the row) and plays once here.
pub fn play(state: &mut AppState, event: MediaItem, now: Timestamp) -> Vec<Effect> {
    // Played by hand, unless the review says otherwise once it is started.
    state.viewing.stepped = None;
    if state.data.usb_clip(event.id).is_some() {
        return usb::fetch(state, &event, UsbThen::Play, now);
    }
    let mut effects = watch_on_open(state, &event);
    effects.extend(playback::play_event(state, event, now));
    effects
}

/// The event on screen: the one in the details view, else the selected one.
pub fn shown_event(state: &AppState) -> Option<MediaItem> {
    match &state.view.details {
        Some(Details::Event { id }) => state.data.events.iter().find(|e| e.id == *id),
        _ => state.selected_event(),
    }
    .cloned()
}

/// What `S`, `x` and `w` act on: the marked events the list shows (in list order), else the
/// one on screen. Marks the filter hides are never acted on.
struct Chosen {
    events: Vec<MediaItem>,
    /// Marked events the filter hides, left alone.
    hidden: usize,
    /// Whether `events` are marked ones (else the event on screen).
    marked: bool,
}

impl Chosen {
    /// `3 marked, 2 hidden by the filter and left alone. `, for a question.
    fn hidden_note(&self) -> String {
        match self.hidden {
            0 => String::new(),
            hidden => format!(
                "{} marked, {hidden} hidden by the filter and left alone. ",
                self.events.len() * usize::from(self.marked) + hidden
            ),
        }
    }
}

fn chosen(state: &AppState) -> Chosen {
    let visible: Vec<&MediaItem> =
        state.list(Pane::Events).visible.iter().filter_map(|i| state.data.events.get(*i)).collect();
    let events: Vec<MediaItem> =
        visible.iter().filter(|e| state.view.marked.contains(&e.id)).map(|e| (*e).clone()).collect();
    let hidden = state.view.marked.len() - events.len();
    if events.is_empty() {
        return Chosen { events: shown_event(state).into_iter().collect(), hidden, marked: false };
    }
    Chosen { events, hidden, marked: true }
}

/// `*`: marks every event shown, or clears the marks when every one is marked already.
fn mark_shown(state: &mut AppState) -> Vec<Effect> {
    let shown: Vec<u64> = state
        .list(Pane::Events)
        .visible
        .iter()
        .filter_map(|i| state.data.events.get(*i))
        .map(|e| e.id)
        .collect();
    if !shown.is_empty() && shown.iter().all(|id| state.view.marked.contains(id)) {
        for id in &shown {
            state.view.marked.remove(id);
        }
    } else {
        state.view.marked.extend(shown);
    }
    Vec::new()
}

fn mark(state: &mut AppState) -> Vec<Effect> {
    if let Some(id) = state.selected_event().map(|e| e.id) {
        if !state.view.marked.remove(&id) {
            state.view.marked.insert(id);
        }
        // On to the next, as in a file manager.
        state.list_mut(Pane::Events).move_by(1);
    }
    Vec::new()
}

/// Opening or playing an event marks it watched on Blink, as the app does (not in read-only
/// mode: that changes Blink).
pub fn watch_on_open(state: &mut AppState, event: &MediaItem) -> Vec<Effect> {
    if event.watched || state.options.read_only {
        return Vec::new();
    }
    vec![Effect::MarkWatched { ids: vec![event.id] }]
}

fn mark_watched(state: &mut AppState, chosen: &Chosen, now: Timestamp) -> Vec<Effect> {
    let ids: Vec<u64> = chosen.events.iter().filter(|e| !e.watched).map(|e| e.id).collect();
    if ids.is_empty() {
        let text = "Already watched (Blink has no way to mark an event unwatched again)";
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    if !chosen.marked && chosen.hidden == 0 {
        return vec![Effect::MarkWatched { ids }];
    }
    let which = if chosen.marked { "marked" } else { "selected" };
    let events = match ids.len() {
        1 => format!("the {which} event"),
        n => format!("the {n} {which} events"),
    };
    let question = format!("{}Mark {events} watched?", chosen.hidden_note());
    ask(state, question, Confirmed::MarkWatched(ids), now)
}

/// `W`: everything in the list as shown: the filtered events, or the whole account.
fn mark_all_watched(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let list = state.list(Pane::Events);
    let shown: Vec<u64> = list
        .visible
        .iter()
        .filter_map(|i| state.data.events.get(*i))
        .filter(|e| !e.watched)
        .map(|e| e.id)
        .collect();
    if shown.is_empty() {
        state.toasts.push(Level::Info, "Every event shown is watched already", now);
        return Vec::new();
    }
    if list.filter.trim().is_empty() {
        let question = format!("Mark all {} unwatched events watched?", shown.len());
        return ask(state, question, Confirmed::MarkAllWatched, now);
    }
    let question = format!("Mark the {} unwatched events shown watched?", shown.len());
    ask(state, question, Confirmed::MarkWatched(shown), now)
}

fn delete(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let chosen = chosen(state);
    let (on_stick, events): (Vec<MediaItem>, Vec<MediaItem>) =
        chosen.events.iter().cloned().partition(|e| state.data.usb_clip(e.id).is_some());
    if let ([event], []) = (on_stick.as_slice(), events.as_slice())
        && chosen.hidden == 0
    {
        return usb::delete(state, event, now);
    }
    let note = chosen.hidden_note();
    let (question, label) = match chosen.events.as_slice() {
        [] => return Vec::new(),
        [event] if !chosen.marked => (
            format!(
                "Delete the {} clip from {}? {note}This cannot be undone.",
                event.device_name,
                short_time(state, event)
            ),
            format!("Delete {} clip", event.device_name),
        ),
        several => {
            let clips =
                if several.len() == 1 { "clip".to_owned() } else { format!("{} clips", several.len()) };
            let marked = if several.len() == 1 {
                "marked clip".to_owned()
            } else {
                format!("{} marked clips", several.len())
            };
            let stick = match on_stick.len() {
                0 => String::new(),
                n => format!(" ({n} on the USB stick, one at a time)"),
            };
            (format!("Delete the {marked}{stick}? {note}This cannot be undone."), format!("Delete {clips}"))
        }
    };
    let mut runs = Vec::new();
    if !events.is_empty() {
        runs.push((Operation::DeleteEvents { media: events.iter().map(|e| e.id).collect() }, label));
    }
    for event in &on_stick {
        if let Some(clip) = state.data.usb_clip(event.id).cloned() {
            let op = Operation::DeleteUsbClip { event: event.id, clip: Box::new(clip) };
            runs.push((op, format!("Delete {} USB clip", event.device_name)));
        }
    }
    let then = match <[_; 1]>::try_from(runs) {
        Ok([(op, label)]) => Confirmed::Run { op, label },
        Err(runs) => Confirmed::RunAll(runs),
    };
    ask(state, question, then, now)
}

fn save(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    // A stick's clips each get a run (they queue on their sync module); cloud clips download.
    let chosen = chosen(state);
    if chosen.hidden > 0 {
        let text = format!("{}Saving the {} shown", chosen.hidden_note(), chosen.events.len());
        state.toasts.push(Level::Info, text, now);
    }
    let (on_stick, events): (Vec<MediaItem>, Vec<MediaItem>) =
        chosen.events.into_iter().partition(|e| state.data.usb_clip(e.id).is_some());
    let mut effects: Vec<Effect> =
        on_stick.iter().flat_map(|event| usb::fetch(state, event, UsbThen::Save, now)).collect();
    let events: Vec<MediaItem> = events.into_iter().filter(|e| e.media.is_some()).collect();
    if events.is_empty() && !on_stick.is_empty() {
        state.view.marked.clear();
        return effects;
    }
    effects.extend(save_from_cloud(state, events, now));
    effects
}

fn save_from_cloud(state: &mut AppState, events: Vec<MediaItem>, now: Timestamp) -> Vec<Effect> {
    match events.len() {
        0 => {
            state.toasts.push(Level::Warning, "No clip to save", now);
            Vec::new()
        }
        1 => {
            state.toasts.push(Level::Info, format!("Downloading the {} clip", events[0].device_name), now);
            vec![Effect::FetchClip { event: Box::new(events[0].clone()), play: false }]
        }
        count => {
            let question = format!("Save the {count} marked clips to {}?", state.options.save_dir.display());
            ask(state, question, Confirmed::SaveClips(events), now)
        }
    }
}

fn external_player(state: &mut AppState, event: MediaItem, now: Timestamp) -> Vec<Effect> {
    let usb = state.data.usb_clip(event.id).is_some();
    if event.media.is_none() && !usb {
        state.toasts.push(Level::Warning, "This event has no clip", now);
        return Vec::new();
    }
    if state.options.player.is_none() {
        let text = "No external player is set: add player = \"mpv {file}\" to the config file \
                    (blinktui info shows where it is); o plays clips here";
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    if usb {
        return usb::fetch(state, &event, UsbThen::PlayOutside, now);
    }
    state.toasts.push(Level::Info, format!("Downloading the {} clip", event.device_name), now);
    let mut effects = watch_on_open(state, &event);
    effects.push(Effect::FetchClip { event: Box::new(event), play: true });
    effects
}

/// Asks first, unless confirmations are off.
pub fn ask(state: &mut AppState, question: String, then: Confirmed, now: Timestamp) -> Vec<Effect> {
    if state.options.confirm {
        state.view.overlay = Some(Overlay::Confirm(Confirm { question, then }));
        return Vec::new();
    }
    confirmed(state, then, now)
}

/// `y` to a question.
pub fn confirmed(state: &mut AppState, then: Confirmed, now: Timestamp) -> Vec<Effect> {
    match then {
        Confirmed::Run { op, label } => runs::request(state, op, label, now),
        Confirmed::RunAll(all) => {
            all.into_iter().flat_map(|(op, label)| runs::request(state, op, label, now)).collect()
        }
        Confirmed::SaveClips(events) => {
            state.view.marked.clear();
            state.toasts.push(Level::Info, format!("Downloading {} clips", events.len()), now);
            vec![Effect::SaveClips { events }]
        }
        Confirmed::MarkWatched(ids) => {
            state.view.marked.clear();
            vec![Effect::MarkWatched { ids }]
        }
        Confirmed::MarkAllWatched => vec![Effect::MarkAllWatched],
    }
}

/// Blink answered a mark-watched request: the events show as watched at once.
pub fn watched(
    state: &mut AppState,
    ids: Option<Vec<u64>>,
    result: Result<(), ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    match result {
        Err(err) if err.needs_login() => return super::login::session_ended(state, &err, now),
        Ok(()) => {
            for event in state.data.events.iter_mut() {
                if ids.as_ref().is_none_or(|ids| ids.contains(&event.id)) {
                    event.watched = true;
                }
            }
            match ids.as_ref().map(Vec::len) {
                None => state.toasts.push(Level::Success, "Marked every event watched", now),
                Some(n @ 2..) => state.toasts.push(Level::Success, format!("Marked {n} events watched"), now),
                // Opening one event marks it: the row's dot going says enough.
                Some(_) => {}
            }
            rebuild_list(state, Pane::Events);
        }
        Err(err) => state.toasts.push(Level::Error, format!("Could not mark events watched: {err}"), now),
    }
    Vec::new()
}

pub fn clips_saved(
    state: &mut AppState,
    dir: &std::path::Path,
    saved: usize,
    failed: Vec<String>,
    now: Timestamp,
) -> Vec<Effect> {
    let text = format!("{saved} clips saved to {}", dir.display());
    if failed.is_empty() {
        state.toasts.push(Level::Success, text, now);
    } else {
        state.toasts.push(
            Level::Error,
            format!("{text}; {} failed: {}", failed.len(), failed.join("; ")),
            now,
        );
    }
    Vec::new()
}
