//! What happens when loads come back, and the periodic refresh.

use crate::app::action::{EncodeFailed, PictureFailed, PlayerFailed};
use crate::files::ClipError;
use std::path::PathBuf;
use std::sync::Arc;

use image::DynamicImage;
use jiff::{SignedDuration, Timestamp};
use ratatui_image::protocol::Protocol;

use super::super::camera_details::{CameraConfig, CameraDetails};
use super::super::effect::Effect;
use super::super::images::ImageSlot;
use super::super::toasts::Level;
use super::super::{AppState, Details, Fetch, Pane, Screen};
use super::{login, rebuild_list};
use crate::api::models::{Homescreen, MediaItem, Program, Signals};
use crate::api::{ApiError, DeviceConfig};

/// How far back events go: Blink keeps them at most 60 days. The first load reads only the
/// newest page of them; older pages come when the list is scrolled to its end.
const FIRST_LOAD: SignedDuration = SignedDuration::from_hours(24 * 60);
/// Programs change only when someone edits them in the app: the periodic refresh reads them
/// again once they are this old, and focusing their pane once they are older than a minute.
pub const PROGRAMS_MAX_AGE: SignedDuration = SignedDuration::from_mins(10);
pub const PROGRAMS_FOCUS_AGE: SignedDuration = SignedDuration::from_mins(1);
/// Later loads ask for what changed since a little before the last one.
const OVERLAP: SignedDuration = SignedDuration::from_mins(10);

/// Starts a load unless one is in flight, in which case it is asked for again when that one
/// is back: never two at once, never one lost.
fn request(fetch: &mut Fetch) -> bool {
    if fetch.in_flight {
        fetch.again = true;
        false
    } else {
        fetch.in_flight = true;
        true
    }
}

/// Marks a load finished; true when it must run again.
fn finish(fetch: &mut Fetch) -> bool {
    fetch.in_flight = false;
    std::mem::take(&mut fetch.again)
}

pub fn request_home(state: &mut AppState) -> Option<Effect> {
    request(&mut state.remote.loading.home).then_some(Effect::LoadHome)
}

pub fn request_events(state: &mut AppState, now: Timestamp) -> Option<Effect> {
    if !request(&mut state.remote.loading.events) {
        return None;
    }
    let (since, initial) = match state.data.last_refresh {
        Some(last) if state.data.events_loaded => (last - OVERLAP, false),
        _ => (now - FIRST_LOAD, true),
    };
    if initial {
        state.data.events_since = Some(since);
        state.data.event_pages = 1;
        state.data.older_exhausted = false;
    }
    Some(Effect::LoadEvents { since, initial })
}

/// The next older page, when the selection is on the last event and there may be more, or
/// while a USB stick's clips are older than the cloud's events loaded (until the two meet).
pub fn request_older(state: &mut AppState) -> Option<Effect> {
    let list = state.list(Pane::Events);
    // In the grid, reaching the last row of tiles asks for more, as the last row does in the list.
    let last_row = |columns: usize| list.selected / columns == list.len().saturating_sub(1) / columns;
    let at_end = !list.is_empty()
        && (list.selected + 1 >= list.len()
            || state.grid_layout().is_some_and(|grid| last_row(grid.columns)));
    let since = state.data.events_since?;
    let wanted = at_end || !state.data.usb.held.is_empty();
    if !wanted
        || state.data.older_exhausted
        || !state.data.events_loaded
        || !request(&mut state.remote.loading.older)
    {
        return None;
    }
    Some(Effect::LoadOlderEvents { since, page: state.data.event_pages + 1 })
}

pub fn older_events(
    state: &mut AppState,
    page: u32,
    result: Result<Vec<MediaItem>, ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    finish(&mut state.remote.loading.older);
    match result {
        Ok(batch) => {
            state.data.event_pages = state.data.event_pages.max(page);
            state.data.older_exhausted = batch.is_empty();
            state.data.merge_older(batch);
            rebuild_list(state, Pane::Events);
            request_older(state).into_iter().collect()
        }
        Err(err) => load_failed(state, err, "load older events", now),
    }
}

/// Whether the programs on screen were read longer than `age` ago (or never).
pub fn programs_older_than(state: &AppState, age: SignedDuration, now: Timestamp) -> bool {
    state.data.programs_read_at.is_none_or(|read| now - age > read)
}

pub fn request_programs(state: &mut AppState) -> Option<Effect> {
    let networks: Vec<u64> = state.data.networks.iter().map(|n| n.id).collect();
    if networks.is_empty() || !request(&mut state.remote.loading.programs) {
        return None;
    }
    Some(Effect::LoadPrograms { networks })
}

/// Homescreen and changed events (the polite per-cycle budget); programs on request.
pub fn refresh_all(state: &mut AppState, now: Timestamp, with_programs: bool) -> Vec<Effect> {
    state.remote.next_refresh = Some(
        now + SignedDuration::try_from(state.options.refresh_interval)
            .unwrap_or(SignedDuration::from_secs(60)),
    );
    // A picture that failed (a timeout, say) gets another chance with every refresh.
    state.images.forget_failures();
    let mut effects: Vec<Effect> =
        [request_home(state), request_events(state, now)].into_iter().flatten().collect();
    if with_programs {
        effects.extend(request_programs(state));
    }
    effects
}

pub fn wake(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    state.data.recompute_next_actions(now);
    match state.remote.next_refresh {
        // Also after a failed first load: that is how a blinktui started offline recovers.
        Some(due) if due <= now && matches!(state.screen, Screen::Main) => {
            let programs = programs_older_than(state, PROGRAMS_MAX_AGE, now);
            refresh_all(state, now, programs)
        }
        _ => Vec::new(),
    }
}

pub fn home(state: &mut AppState, result: Result<Homescreen, ApiError>, now: Timestamp) -> Vec<Effect> {
    let again = finish(&mut state.remote.loading.home);
    let mut effects = Vec::new();
    match result {
        Ok(home) => {
            state.remote.rate_limited_until = None;
            let first = !state.data.home_loaded;
            state.data.apply_home(&home);
            rebuild_list(state, Pane::Networks);
            rebuild_list(state, Pane::Cameras);
            state.remote.connection_problem = None;
            if first {
                effects.extend(request_programs(state));
            }
        }
        Err(err) => effects.extend(load_failed(state, err, "refresh", now)),
    }
    if again {
        effects.extend(request_home(state));
    }
    effects
}

pub fn events(
    state: &mut AppState,
    initial: bool,
    result: Result<Vec<MediaItem>, ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    let again = finish(&mut state.remote.loading.events);
    let mut effects = Vec::new();
    match result {
        Ok(batch) => {
            let added = state.data.merge_events(batch, initial);
            state.data.last_refresh = Some(now);
            rebuild_list(state, Pane::Events);
            if added > 0 && !initial {
                let text = if added == 1 {
                    "1 new motion event".to_owned()
                } else {
                    format!("{added} new motion events")
                };
                state.toasts.push(Level::Info, text, now);
                if state.options.bell {
                    effects.push(Effect::Bell);
                }
            }
        }
        Err(err) => effects.extend(load_failed(state, err, "load events", now)),
    }
    effects.extend(request_older(state));
    if again {
        effects.extend(request_events(state, now));
    }
    effects
}

pub fn programs(state: &mut AppState, result: Result<Vec<Program>, ApiError>, now: Timestamp) -> Vec<Effect> {
    let again = finish(&mut state.remote.loading.programs);
    let mut effects = Vec::new();
    match result {
        Ok(programs) => {
            state.data.apply_programs(programs, now);
            rebuild_list(state, Pane::Programs);
        }
        Err(err) => effects.extend(load_failed(state, err, "load programs", now)),
    }
    if again {
        effects.extend(request_programs(state));
    }
    effects
}

/// A failed load: the old data stays on screen with a note; an ended session goes to login;
/// a rate limit pushes the next refresh back.
fn load_failed(state: &mut AppState, err: ApiError, what: &str, now: Timestamp) -> Vec<Effect> {
    if err.needs_login() {
        return login::session_ended(state, &err, now);
    }
    if let ApiError::RateLimited { retry_after } = &err {
        let wait = retry_after
            .map_or(SignedDuration::from_mins(5), |d| SignedDuration::try_from(d).unwrap_or_default());
        state.remote.rate_limited_until = Some(now + wait);
        let next =
            now + wait.max(SignedDuration::try_from(state.options.refresh_interval).unwrap_or_default());
        state.remote.next_refresh = Some(next);
    }
    let message = format!("Could not {what}: {err}");
    if state.remote.connection_problem.as_deref() != Some(message.as_str()) {
        state.toasts.push(Level::Warning, message.clone(), now);
    }
    state.remote.connection_problem = Some(message);
    Vec::new()
}

pub fn image_loaded(
    state: &mut AppState,
    key: &str,
    result: Result<Arc<DynamicImage>, PictureFailed>,
) -> Vec<Effect> {
    let slot = match result {
        Ok(image) => ImageSlot::Ready(image),
        Err(err) => {
            tracing::warn!("picture failed: {err}");
            ImageSlot::Failed(err.to_string())
        }
    };
    state.images.set(key, slot);
    Vec::new()
}

pub fn image_encoded(
    state: &mut AppState,
    key: &str,
    size: (u16, u16),
    result: Result<Protocol, EncodeFailed>,
) -> Vec<Effect> {
    match state.images.finish_encoding(key, size, result) {
        Some((image, size)) => vec![Effect::EncodeImage { key: key.to_owned(), image, size }],
        None => Vec::new(),
    }
}

pub fn details(
    state: &mut AppState,
    camera: u64,
    result: Result<(DeviceConfig, Signals), ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    let Some(Details::Camera { id, read }) = &mut state.view.details else {
        return Vec::new();
    };
    if *id != camera {
        return Vec::new();
    }
    match result {
        Ok((config, signals)) => {
            *read = CameraDetails::Loaded(Box::new(CameraConfig { config, signals: signals.clone() }));
            state.data.remember_signals(camera, signals);
        }
        Err(err) if err.needs_login() => return login::session_ended(state, &err, now),
        Err(err) => *read = CameraDetails::Failed(err.to_string()),
    }
    Vec::new()
}

pub fn clip_ready(
    state: &mut AppState,
    _event: u64,
    play: bool,
    result: Result<PathBuf, ClipError>,
    now: Timestamp,
) -> Vec<Effect> {
    match (result, play, state.options.player.is_some()) {
        (Err(ClipError::Api(err)), _, _) if err.needs_login() => {
            return super::login::session_ended(state, &err, now);
        }
        (Ok(path), true, true) => return vec![Effect::Play { path }],
        (Ok(path), true, false) => state.toasts.push(
            Level::Info,
            format!("Clip saved to {} (set `player` in the config to play clips)", path.display()),
            now,
        ),
        (Ok(path), false, _) => {
            state.toasts.push(Level::Success, format!("Clip saved to {}", path.display()), now)
        }
        (Err(err), _, _) => state.toasts.push(Level::Error, format!("Could not get the clip: {err}"), now),
    }
    Vec::new()
}

pub fn player_done(state: &mut AppState, result: Result<(), PlayerFailed>, now: Timestamp) -> Vec<Effect> {
    state.images.forget_encodings();
    if let Err(err) = result {
        state.toasts.push(Level::Error, format!("The player failed: {err}"), now);
    }
    Vec::new()
}
