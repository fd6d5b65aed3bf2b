//! `v` on a camera: its details open with live view in the picture area. Live view changes
//! nothing on Blink's side, so read-only mode allows it; the player's seek and pause keys do
//! nothing (the picture is always now), and Esc ends it.

use jiff::Timestamp;

use super::super::camera_details::CameraDetails;
use super::super::effect::{Effect, PlayRequest};
use super::super::live::LiveRequest;
use super::super::player::PlaySource;
use super::super::toasts::Level;
use super::super::{AppState, Details};
use crate::summary::CameraSummary;

pub fn start(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let Some(camera) = state.selected_camera().cloned() else {
        return Vec::new();
    };
    if !state.options.pictures {
        let text = "Pictures are off, so live view cannot show here: `blinktui live CAMERA --output -` pipes it to a player";
        state.toasts.push(Level::Warning, text, now);
        return Vec::new();
    }
    if !camera.online {
        state.toasts.push(Level::Warning, format!("{} is offline: no live view", camera.name), now);
        return Vec::new();
    }
    let mut effects = Vec::new();
    if !matches!(state.view.details, Some(Details::Camera { id, .. }) if id == camera.id) {
        state.view.details = Some(Details::Camera { id: camera.id, read: CameraDetails::Loading });
        effects.push(Effect::LoadDetails { device: camera.device_ref() });
    }
    effects.extend(super::playback::start(
        state,
        PlaySource::Live(camera.id),
        format!("{} · live", camera.name),
        PlayRequest::Live(Box::new(request(&camera))),
        now,
    ));
    effects
}

pub fn request(camera: &CameraSummary) -> LiveRequest {
    LiveRequest { device: camera.device_ref(), serial: camera.serial.clone(), output: None, max_length: None }
}
