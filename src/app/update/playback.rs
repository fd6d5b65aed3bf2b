//! Clips played inside blinktui: `o` starts one in the event's details, the player's keys
//! control it (speed, full screen; `j`/`k` play the next or previous event: see `autoplay`),
//! what the playback task
//! reports lands here, the player stops when its view closes, and its frames follow the
//! picture area's size.

use jiff::Timestamp;

use super::super::effect::{Effect, PlayRequest};
use super::super::keymap::KeyCommand;
use super::super::player::{PlayPhase, PlaySource, Player, PlayerId, PlayerUpdate, Speed};
use super::super::toasts::Level;
use super::super::{AppState, Details, Screen};
use crate::api::models::MediaItem;
use crate::app::layout::{details_layout, picture_inner, play_layout};
use crate::media::playback::Control;
use crate::media::playback::PlaybackEvent;

/// `o` on an event: its details open with the clip playing in the picture area.
pub fn play_event(state: &mut AppState, event: MediaItem, now: Timestamp) -> Vec<Effect> {
    if event.media.is_none() {
        state.toasts.push(Level::Warning, "This event has no clip", now);
        return Vec::new();
    }
    state.view.details = Some(Details::Event { id: event.id });
    if !state.options.pictures {
        let text =
            "Pictures are off, so clips cannot play here: O opens the external player, S saves the clip";
        state.toasts.push(Level::Warning, text, now);
        return Vec::new();
    }
    let title = format!("{} · {}", event.device_name, super::input::short_time(state, &event));
    start(state, PlaySource::Event(event.id), title, PlayRequest::Event(Box::new(event)), now)
}

/// Starts playing `request` in the picture area that is on screen now.
pub fn start(
    state: &mut AppState,
    source: PlaySource,
    title: String,
    request: PlayRequest,
    now: Timestamp,
) -> Vec<Effect> {
    let Some(area) = player_area(state) else {
        state.toasts.push(Level::Warning, "The terminal is too small to play a clip", now);
        return Vec::new();
    };
    let mut effects = stop(state);
    let id = state.take_player_id();
    let live = matches!(source, PlaySource::Live(_));
    let mut player = Player::new(id, source, title, area);
    // A review keeps its speed from one clip to the next; live view is always now.
    let speed = if live { Speed::Normal } else { state.viewing.speed };
    player.speed = speed;
    state.player = Some(player);
    effects.push(Effect::StartPlayback { player: id, request, area });
    if speed != Speed::Normal {
        // Queued for the engine: it applies it before its first frame.
        effects.push(Effect::ControlPlayback { player: id, control: Control::Speed(speed.factor()) });
    }
    effects
}

/// The cells frames are drawn in: the details view's picture area, or the whole screen in
/// `blinktui play` and in full screen (`f`).
pub fn player_area(state: &AppState) -> Option<(u16, u16)> {
    let area = match state.screen {
        Screen::Play => play_layout(state.area()).picture,
        Screen::Main if state.viewing.full_screen => play_layout(state.area()).picture,
        Screen::Main => {
            let layout = state.layout().ok()?;
            picture_inner(details_layout(layout.body).1)
        }
        Screen::Login(_) => return None,
    };
    (area.width > 1 && area.height > 1).then_some((area.width, area.height))
}

/// The player's keys, while its picture is on screen and no popup is open. `None`: not a
/// player key (the main keys apply).
pub fn key(state: &mut AppState, command: KeyCommand, now: Timestamp) -> Option<Vec<Effect>> {
    let player = state.player.as_ref().filter(|_| state.view.overlay.is_none())?;
    let live = player.live_camera().is_some();
    let (id, main) = (player.id, matches!(state.screen, Screen::Main));
    let control = match command {
        // `blinktui play` is full screen already.
        KeyCommand::FullScreen => {
            state.viewing.full_screen = main && !state.viewing.full_screen;
            return Some(Vec::new());
        }
        // Out of full screen first; the clip goes on.
        KeyCommand::StopPlayback if state.viewing.full_screen => {
            state.viewing.full_screen = false;
            return Some(Vec::new());
        }
        // Live view has no next clip: the keys move in the cameras pane as they do elsewhere.
        KeyCommand::NextClip | KeyCommand::PrevClip if live => return None,
        KeyCommand::NextClip | KeyCommand::PrevClip if main => {
            return Some(super::autoplay::step(state, command == KeyCommand::NextClip, now));
        }
        KeyCommand::NextClip | KeyCommand::PrevClip | KeyCommand::Faster | KeyCommand::Slower
            if live || !main =>
        {
            return Some(Vec::new());
        }
        KeyCommand::Faster | KeyCommand::Slower => {
            let speed = state.viewing.speed.step(command == KeyCommand::Faster);
            state.viewing.speed = speed;
            if let Some(player) = state.player.as_mut() {
                player.speed = speed;
            }
            // Sent whatever the phase: the engine takes it before its first frame.
            return Some(vec![Effect::ControlPlayback {
                player: id,
                control: Control::Speed(speed.factor()),
            }]);
        }
        // Live view is always now: nothing to pause, seek or step.
        KeyCommand::PlayPause
        | KeyCommand::SeekBack
        | KeyCommand::SeekForward
        | KeyCommand::FrameBack
        | KeyCommand::FrameForward
            if live =>
        {
            return Some(Vec::new());
        }
        KeyCommand::PlayPause => Control::TogglePause,
        KeyCommand::SeekBack => Control::SeekBy(-5_000),
        KeyCommand::SeekForward => Control::SeekBy(5_000),
        KeyCommand::FrameBack => Control::Step(-1),
        KeyCommand::FrameForward => Control::Step(1),
        KeyCommand::StopPlayback => {
            if matches!(state.screen, Screen::Play) {
                state.quit = true;
            }
            return Some(stop(state));
        }
        _ => return None,
    };
    // The engine runs once the clip is open; before that, or after a failure, keys do nothing.
    let ready = match player.phase {
        PlayPhase::Playing | PlayPhase::Paused | PlayPhase::Ended => true,
        PlayPhase::Fetching | PlayPhase::Opening | PlayPhase::Failed(_) => false,
    };
    Some(if ready { vec![Effect::ControlPlayback { player: player.id, control }] } else { Vec::new() })
}

/// What the playback task reported.
pub fn update(state: &mut AppState, id: PlayerId, update: PlayerUpdate, now: Timestamp) -> Vec<Effect> {
    // Reports of a playback stopped since are stale.
    let Some(player) = state.player.as_mut().filter(|p| p.id == id) else {
        return Vec::new();
    };
    if let (PlayerUpdate::FetchFailed(reason), Some(event)) = (&update, player.event())
        && let Some(skipped) = super::autoplay::skip_unfetched(state, event, reason, now)
    {
        return skipped;
    }
    let Some(player) = state.player.as_mut().filter(|p| p.id == id) else {
        return Vec::new();
    };
    let live = player.live_camera().is_some();
    let ended_before = player.phase == PlayPhase::Ended;
    let cut_short = matches!(&update, PlayerUpdate::Playback(PlaybackEvent::Opened(info)) if info.cut_short);
    if let Some(error) = player.apply(update) {
        let text =
            if live { format!("Live view: {error}") } else { format!("Cannot play the clip: {error}") };
        state.toasts.push(Level::Error, text, now);
    }
    if cut_short {
        state.toasts.push(Level::Warning, cut_short_text(player), now);
    }
    // `blinktui play` ends with the clip, or with the reason it cannot play.
    if matches!(state.screen, Screen::Play) && !player.phase.running() {
        state.quit = true;
    }
    let ended = !ended_before && player.phase == PlayPhase::Ended;
    if ended && !live && matches!(state.screen, Screen::Main) {
        return super::autoplay::ended(state, now);
    }
    Vec::new()
}

/// What is said of a clip whose file ends before the clip does (a download cut short).
pub fn cut_short_text(player: &Player) -> String {
    let playable = player.info.as_ref().map_or_else(String::new, |info| {
        format!(": only its first {} can play", crate::app::player::clock(info.duration))
    });
    format!("The clip is cut short (the file ends early, a download cut off?){playable}")
}

pub fn stop(state: &mut AppState) -> Vec<Effect> {
    state.player.take().map(|player| Effect::StopPlayback { player: player.id }).into_iter().collect()
}

/// After every change: the player stops when its view is gone and follows the picture area.
pub fn sync(state: &mut AppState) -> Vec<Effect> {
    let Some(player) = &state.player else {
        // Full screen lasts as long as a player.
        state.viewing.full_screen = false;
        return Vec::new();
    };
    let visible = match (&state.screen, &state.view.details) {
        (Screen::Play, _) => true,
        (Screen::Main, Some(Details::Event { id })) => player.event() == Some(*id),
        (Screen::Main, Some(Details::Camera { id, .. })) => player.live_camera() == Some(*id),
        _ => false,
    };
    if !visible {
        state.viewing.full_screen = false;
        return stop(state);
    }
    match (player_area(state), state.player.as_mut()) {
        (Some(area), Some(player)) if area != player.area => {
            player.area = area;
            vec![Effect::ResizePlayback { player: player.id, area }]
        }
        _ => Vec::new(),
    }
}
