//! `update(state, action, now) -> effects`: every state change in one place, synchronous,
//! with no I/O. Split by concern: input, results of loads, command runs, login, and the
//! bookkeeping that follows every change.

mod autoplay;
mod choose;
mod input;
mod live;
mod login;
mod playback;
mod results;
mod review;
mod runs;
mod sync;
#[cfg(test)]
mod tests;
mod usb;

use jiff::Timestamp;

use super::action::Action;
use super::effect::Effect;
use super::{AppState, Pane, Screen};

pub use playback::{cut_short_text, player_area, start as start_playback};
pub use results::refresh_all;
pub use sync::{rebuild_list, wanted_picture};

pub fn update(state: &mut AppState, action: Action, now: Timestamp) -> Vec<Effect> {
    state.now = now;
    if loggable(state, &action) {
        tracing::debug!(?action, "action");
    }
    let focus_before = state.view.focus;
    let mut effects = match action {
        Action::Key(key) => input::key(state, key, now),
        Action::Mouse(mouse) => input::mouse(state, mouse, now),
        Action::Resize(width, height) => {
            state.size = (width, height);
            Vec::new()
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::Wake => results::wake(state, now),
        Action::Quit => quit(state),
        Action::Resumed => {
            state.images.forget_encodings();
            Vec::new()
        }
        Action::HomeLoaded(result) => results::home(state, result, now),
        Action::EventsLoaded { initial, result } => results::events(state, initial, result, now),
        Action::OlderEventsLoaded { page, result } => results::older_events(state, page, result, now),
        Action::ProgramsLoaded(result) => results::programs(state, result, now),
        Action::RunProgress { id, phase } => runs::progress(state, id, phase),
        Action::RunFinished { id, result } => runs::finished(state, id, result, now),
        Action::ImageLoaded { key, result } => results::image_loaded(state, &key, result),
        Action::ImageEncoded { key, size, result } => results::image_encoded(state, &key, size, result),
        Action::DetailsLoaded { camera, result } => results::details(state, camera, result, now),
        Action::AccountLoaded(result) => choose::account_loaded(state, result, now),
        Action::ClipReady { event, play, result } => results::clip_ready(state, event, play, result, now),
        Action::PlayerDone(result) => results::player_done(state, result, now),
        Action::Playback { player, update } => playback::update(state, player, update, now),
        Action::WatchedMarked { ids, result } => review::watched(state, ids, result, now),
        Action::ClipsSaved { dir, saved, failed } => review::clips_saved(state, &dir, saved, failed, now),
        Action::SignedIn(result) => login::signed_in(state, result, now),
        Action::CodeRequested(prompt) => login::code_requested(state, prompt),
        Action::TaskFailed(reason) => task_failed(state, &reason, now),
        Action::FromTask { generation, action } => {
            if generation != state.generation {
                tracing::debug!(?action, "dropped: started before everything was cancelled");
                return Vec::new();
            }
            return update(state, *action, now);
        }
        Action::UsbClipsLoaded(result) => usb::loaded(state, result, now),
        Action::SessionSave(failure) => session_save(state, failure, now),
    };
    if state.view.focus == Pane::Programs
        && focus_before != Pane::Programs
        && matches!(state.screen, Screen::Main)
        && !state.remote.loading.programs.in_flight
        && results::programs_older_than(state, results::PROGRAMS_FOCUS_AGE, now)
    {
        effects.extend(results::request_programs(state));
    }
    effects.extend(sync::after(state));
    effects.extend(usb::request(state, now));
    effects
}

/// Whether an action may go to the debug log: ticks are noise, and keys on the login screen
/// are a password or code being typed.
pub fn loggable(state: &AppState, action: &Action) -> bool {
    let typing_secret = matches!(action, Action::Key(_)) && matches!(state.screen, Screen::Login(_));
    !matches!(action, Action::Tick) && !typing_secret
}

/// What the app does first: load everything when logged in.
pub fn start(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let mut effects = match state.screen {
        Screen::Main => results::refresh_all(state, now, true),
        Screen::Login(_) | Screen::Play => Vec::new(),
    };
    effects.extend(sync::after(state));
    effects
}

/// A refreshed token that cannot be written is lost at exit: the next start would need a login.
fn session_save(state: &mut AppState, failure: Option<String>, now: Timestamp) -> Vec<Effect> {
    use super::toasts::Level;
    match failure {
        Some(reason) => state.toasts.push(
            Level::Error,
            format!("The session could not be saved ({reason}); blinktui keeps trying, but if it quits now the next start needs a login"),
            now,
        ),
        None => state.toasts.push(Level::Info, "The session is saved again", now),
    }
    Vec::new()
}

/// Which job failed is unknown, so everything waiting for one is released: loads can start
/// again, runs and pictures in progress are given up.
fn task_failed(state: &mut AppState, reason: &str, now: Timestamp) -> Vec<Effect> {
    tracing::error!("background task failed: {reason}");
    state.toasts.push(
        super::toasts::Level::Error,
        format!("Internal error ({reason}); please report it"),
        now,
    );
    state.remote.loading = Default::default();
    state.runs.clear();
    state.images.forget_loading();
    if let Screen::Login(login) = &mut state.screen {
        login.busy = false;
    }
    Vec::new()
}

fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![cancel_all(state)]
}

/// Stops everything in flight: a result of it that is already on its way is dropped.
fn cancel_all(state: &mut AppState) -> Effect {
    state.generation += 1;
    Effect::CancelAll { generation: state.generation }
}
