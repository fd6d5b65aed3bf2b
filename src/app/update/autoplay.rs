//! Continuous review: at a clip's end the next event of the list as shown plays (filter and
//! order kept), and `j`/`k` while a clip plays go to the next or previous event and play it.
//! The selection and the details follow; each event is marked watched as it plays. A clip the
//! review went on to by itself that cannot be fetched is skipped, a few in a row at most.

use jiff::Timestamp;

use super::super::effect::Effect;
use super::super::player::Stepped;
use super::super::toasts::Level;
use super::super::{AppState, Details, Overlay, Pane, Screen};
use super::input::short_time;
use super::review;

/// Clips that could not be fetched, one after another, at which a review stops: a link that
/// is down fails every clip, and the review would go through the whole list.
pub const SKIP_LIMIT: u8 = 3;

/// The clip playing ended: the next event plays, unless autoplay is off, a question is open,
/// or this was the last event (the progress line then says so).
pub fn ended(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let Some(current) = state.player.as_ref().and_then(|p| p.event()) else {
        return Vec::new();
    };
    if !goes_on(state) {
        return Vec::new();
    }
    match neighbour(state, current, true) {
        Some(position) => step_to(state, position, 0, now),
        None => {
            if let Some(player) = state.player.as_mut() {
                player.last_event = true;
            }
            Vec::new()
        }
    }
}

/// The review goes on by itself: autoplay is on and no question waits for an answer.
fn goes_on(state: &AppState) -> bool {
    state.options.autoplay && !matches!(state.view.overlay, Some(Overlay::Confirm(_) | Overlay::Choose(_)))
}

/// The clip of `event` could not be fetched (`reason`). When the review went on to it by
/// itself, a warning names it and the next event plays; `None` when the failure stops the
/// review as any other does: the user asked for this clip, nothing follows it, or
/// [`SKIP_LIMIT`] clips in a row failed (said here).
pub fn skip_unfetched(state: &mut AppState, event: u64, reason: &str, now: Timestamp) -> Option<Vec<Effect>> {
    let stepped = state.viewing.stepped.filter(|s| s.event == event)?;
    state.viewing.stepped = None;
    let showing = matches!(state.view.details, Some(Details::Event { id }) if id == event);
    if !showing || !goes_on(state) {
        return None;
    }
    let item = state.data.events.iter().find(|e| e.id == event)?;
    let name = format!("{} {}", item.device_name, short_time(state, item));
    let failed = stepped.skipped + 1;
    if failed >= SKIP_LIMIT {
        let text = format!("{failed} clips in a row could not be fetched: the review stops");
        state.toasts.push(Level::Warning, text, now);
        return None;
    }
    let position = neighbour(state, event, true)?;
    let text = format!("{name}: clip could not be fetched ({reason}); playing the next");
    state.toasts.push(Level::Warning, text, now);
    Some(step_to(state, position, failed, now))
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

/// The review goes on by itself to the event at `position`, after `skipped` clips in a row
/// that could not be fetched.
fn step_to(state: &mut AppState, position: usize, skipped: u8, now: Timestamp) -> Vec<Effect> {
    let effects = play_at(state, position, now);
    state.viewing.stepped = state.selected_event().map(|e| Stepped { event: e.id, skipped });
    effects
}

/// Selects the event at `position` of the list (the details follow) and plays it.
fn play_at(state: &mut AppState, position: usize, now: Timestamp) -> Vec<Effect> {
    state.list_mut(Pane::Events).selected = position;
    match state.selected_event().cloned() {
        Some(event) => review::play(state, event, now),
        None => Vec::new(),
    }
}
