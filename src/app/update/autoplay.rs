//! Continuous review: at a clip's end the next event of the list as shown plays (filter and
//! order kept), and `j`/`k` while a clip plays go to the next or previous event and play it.
//! The selection and the details follow; each event is marked watched as it plays.

use jiff::Timestamp;

use super::super::effect::Effect;
use super::super::toasts::Level;
use super::super::{AppState, Overlay, Pane, Screen};
use super::review;

/// The clip playing ended: the next event plays, unless autoplay is off, a question is open,
/// or this was the last event (the progress line then says so).
pub fn ended(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let Some(current) = state.player.as_ref().and_then(|p| p.event()) else {
        return Vec::new();
    };
    if !state.options.autoplay || matches!(state.view.overlay, Some(Overlay::Confirm(_) | Overlay::Choose(_)))
    {
        return Vec::new();
    }
    match neighbour(state, current, true) {
        Some(position) => play_at(state, position, now),
        None => {
            if let Some(player) = state.player.as_mut() {
                player.last_event = true;
            }
            Vec::new()
        }
    }
}

/// `j` (`forward`) or `k` while a clip plays: the next or previous event with a clip plays.
pub fn step(state: &mut AppState, forward: bool, now: Timestamp) -> Vec<Effect> {
    let Some(current) = state.player.as_ref().and_then(|p| p.event()) else {
        return Vec::new();
    };
    match neighbour(state, current, forward) {
        Some(position) => play_at(state, position, now),
        None => {
            let text = if forward {
                "Last event: nothing after it in the list"
            } else {
                "First event: nothing before it in the list"
            };
            state.toasts.push(Level::Info, text, now);
            Vec::new()
        }
    }
}

/// The event of the list as shown that follows `current` (precedes it when not `forward`) and
/// has a clip, as its position in the list. Found by the events' order rather than by the
/// position of `current`, which the filter may have hidden since it played (`unwatched`).
pub fn neighbour(state: &AppState, current: u64, forward: bool) -> Option<usize> {
    let events = &state.data.events;
    let at = events.iter().position(|e| e.id == current)?;
    let list = state.list(Pane::Events);
    let playable = |position: &usize| {
        let index = list.visible[*position];
        (forward && index > at || !forward && index < at)
            && events.get(index).is_some_and(|e| e.media.is_some() || state.data.usb_clip(e.id).is_some())
    };
    if forward { (0..list.len()).find(playable) } else { (0..list.len()).rev().find(playable) }
}

/// The next event's clip downloads while this one plays (a stick's clip waits for its turn:
/// getting it is a command on the sync module). Asked again only when the next one changes;
/// with no player, the one downloading is abandoned.
pub fn ahead(state: &mut AppState) -> Option<Effect> {
    let next = state
        .player
        .as_ref()
        .filter(|_| matches!(state.screen, Screen::Main))
        .and_then(|player| player.event())
        .and_then(|current| neighbour(state, current, true))
        .and_then(|position| state.data.events.get(state.list(Pane::Events).visible[position]))
        .filter(|event| event.media.is_some() && state.data.usb_clip(event.id).is_none());
    let id = next.map(|event| event.id);
    if id == state.viewing.ahead {
        return None;
    }
    let event = next.cloned().map(Box::new);
    state.viewing.ahead = id;
    Some(Effect::FetchAhead { event })
}

/// Selects the event at `position` of the list (the details follow) and plays it.
fn play_at(state: &mut AppState, position: usize, now: Timestamp) -> Vec<Effect> {
    state.list_mut(Pane::Events).selected = position;
    match state.selected_event().cloned() {
        Some(event) => review::play(state, event, now),
        None => Vec::new(),
    }
}
