//! Going through events: play, save, delete, mark with Space and act on all marked ones, mark
//! watched (on opening, with `w`, or everything shown with `W`), and "unwatched only" (`u`).

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
        KeyCommand::UnwatchedOnly => {
            let list = state.list_mut(Pane::Events);
            list.filter = toggle_unwatched(&list.filter);
            rebuild_list(state, Pane::Events);
            Vec::new()
        }
        KeyCommand::MarkAllWatched => mark_all_watched(state, now),
        KeyCommand::MarkWatched => {
            let events = chosen(state);
            mark_watched(state, &events, now)
        }
        KeyCommand::DeleteEvent => delete(state, now),
        KeyCommand::SaveClip => save(state, now),
        KeyCommand::PlayClip => match shown_event(state) {
            Some(event) if state.data.usb_clip(event.id).is_some() => {
                usb::fetch(state, &event, UsbThen::Play, now)
            }
            Some(event) => {
                let mut effects = watch_on_open(state, &event);
                effects.extend(playback::play_event(state, event, now));
                effects
            }
            None => Vec::new(),
        },
        KeyCommand::OpenInPlayer => match shown_event(state) {
            Some(event) => external_player(state, event, now),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The event on screen: the one in the details view, else the selected one.
pub fn shown_event(state: &AppState) -> Option<MediaItem> {
    match &state.details {
        Some(Details::Event { id }) => state.data.events.iter().find(|e| e.id == *id),
        _ => state.selected_event(),
    }
    .cloned()
}

/// What `S`, `x` and `w` act on: the marked events (in list order), else the one on screen.
fn chosen(state: &AppState) -> Vec<MediaItem> {
    if state.marked.is_empty() {
        return shown_event(state).into_iter().collect();
    }
    state.data.events.iter().filter(|e| state.marked.contains(&e.id)).cloned().collect()
}

fn mark(state: &mut AppState) -> Vec<Effect> {
    if let Some(id) = state.selected_event().map(|e| e.id) {
        if !state.marked.remove(&id) {
            state.marked.insert(id);
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

fn mark_watched(state: &mut AppState, events: &[MediaItem], now: Timestamp) -> Vec<Effect> {
    let ids: Vec<u64> = events.iter().filter(|e| !e.watched).map(|e| e.id).collect();
    if ids.is_empty() {
        let text = "Already watched (Blink has no way to mark an event unwatched again)";
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    if state.marked.is_empty() {
        return vec![Effect::MarkWatched { ids }];
    }
    let question = match ids.len() {
        1 => "Mark the marked event watched?".to_owned(),
        n => format!("Mark the {n} marked events watched?"),
    };
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
    let events = chosen(state);
    let on_stick = events.iter().filter(|e| state.data.usb_clip(e.id).is_some()).count();
    match (events.as_slice(), on_stick) {
        (_, 0) => {}
        ([event], 1) => return usb::delete(state, &event.clone(), now),
        _ => {
            let text = "Clips on a USB stick are deleted one at a time: x on each, without marks";
            state.toasts.push(Level::Info, text, now);
            return Vec::new();
        }
    }
    let (question, label) = match events.as_slice() {
        [] => return Vec::new(),
        [event] => (
            format!(
                "Delete the {} clip from {}? This cannot be undone.",
                event.device_name,
                short_time(state, event)
            ),
            format!("Delete {} clip", event.device_name),
        ),
        several => (
            format!("Delete the {} marked clips? This cannot be undone.", several.len()),
            format!("Delete {} clips", several.len()),
        ),
    };
    let op = Operation::DeleteEvents { media: events.iter().map(|e| e.id).collect() };
    ask(state, question, Confirmed::Run { op, label }, now)
}

fn save(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    // A stick's clips each get a run (they queue on their sync module); cloud clips download.
    let (on_stick, events): (Vec<MediaItem>, Vec<MediaItem>) =
        chosen(state).into_iter().partition(|e| state.data.usb_clip(e.id).is_some());
    let mut effects: Vec<Effect> =
        on_stick.iter().flat_map(|event| usb::fetch(state, event, UsbThen::Save, now)).collect();
    let events: Vec<MediaItem> = events.into_iter().filter(|e| e.media.is_some()).collect();
    if events.is_empty() && !on_stick.is_empty() {
        state.marked.clear();
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
        state.overlay = Some(Overlay::Confirm(Confirm { question, then }));
        return Vec::new();
    }
    confirmed(state, then, now)
}

/// `y` to a question.
pub fn confirmed(state: &mut AppState, then: Confirmed, now: Timestamp) -> Vec<Effect> {
    match then {
        Confirmed::Run { op, label } => runs::request(state, op, label, now),
        Confirmed::SaveClips(events) => {
            state.marked.clear();
            state.toasts.push(Level::Info, format!("Downloading {} clips", events.len()), now);
            vec![Effect::SaveClips { events }]
        }
        Confirmed::MarkWatched(ids) => {
            state.marked.clear();
            vec![Effect::MarkWatched { ids }]
        }
        Confirmed::MarkAllWatched => vec![Effect::MarkAllWatched],
    }
}

/// Blink answered a mark-watched request: the events show as watched at once.
pub fn watched(
    state: &mut AppState,
    ids: Option<Vec<u64>>,
    result: Result<(), String>,
    now: Timestamp,
) -> Vec<Effect> {
    match result {
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
