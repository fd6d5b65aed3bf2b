//! USB sticks in the app: their clip lists are read now and then (a manifest request is a
//! command on the sync module), their clips play and save through a run that has the sync
//! module upload the clip first, with its spinner on the event's row.

use jiff::{SignedDuration, Timestamp};

use super::super::action::RunOutcome;
use super::super::command_run::Operation;
use super::super::effect::{Effect, PlayRequest};
use super::super::player::PlaySource;
use super::super::toasts::Level;
use super::super::usb::UsbThen;
use super::super::{AppState, Confirmed, Details, Pane, Screen};
use super::input::short_time;
use super::{login, playback, rebuild_list, review, runs};
use crate::api::models::MediaItem;
use crate::api::{ApiError, NamedCamera};

/// How often the sticks' lists are read again. Each read is a command the sync module runs,
/// and clips reach a stick only as often as motion does.
const USB_REFRESH: SignedDuration = SignedDuration::from_mins(5);

/// Asks for the sticks' clip lists when homescreen showed a stick, none is being read, no
/// command runs on its network, and the last read is old enough.
pub fn request(state: &mut AppState, now: Timestamp) -> Option<Effect> {
    let usb = &state.data.usb;
    let due = usb.requested_at.is_none_or(|at| now.duration_since(at) >= USB_REFRESH);
    let limited = state.remote.rate_limited_until.is_some_and(|until| now < until);
    if !matches!(state.screen, Screen::Main)
        || !state.data.home_loaded
        || usb.storages.is_empty()
        || state.remote.loading.usb.in_flight
        || !due
        || limited
        || usb.storages.iter().any(|s| runs::network_busy(state, s.network_id))
    {
        return None;
    }
    state.remote.loading.usb.in_flight = true;
    state.data.usb.requested_at = Some(now);
    let cameras = state
        .data
        .cameras
        .iter()
        .map(|c| NamedCamera { id: c.id, network_id: c.network_id, name: c.name.clone() })
        .collect();
    Some(Effect::LoadUsbClips { storages: state.data.usb.storages.clone(), cameras })
}

/// The lists came back: the stick clips among the events are replaced, and commands that
/// waited for the sync module go.
pub fn loaded(
    state: &mut AppState,
    result: Result<Vec<crate::api::LocalClips>, ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    state.remote.loading.usb.in_flight = false;
    let mut effects: Vec<Effect> = Vec::new();
    match result {
        Ok(lists) => {
            state.data.apply_usb(lists);
            rebuild_list(state, Pane::Events);
        }
        Err(err) if err.needs_login() => return login::session_ended(state, &err, now),
        Err(err) => state.toasts.push(Level::Warning, format!("Could not read the USB storage: {err}"), now),
    }
    effects.extend(runs::start_next(state));
    // Clips older than the cloud's events loaded: older pages until the two meet.
    effects.extend(super::results::request_older(state));
    effects
}

/// `o`, `O` or `S` on a stick's clip: a run gets it here; `o` opens the event's details, where
/// it plays once it is here.
pub fn fetch(state: &mut AppState, event: &MediaItem, then: UsbThen, now: Timestamp) -> Vec<Effect> {
    let Some(clip) = state.data.usb_clip(event.id).cloned() else { return Vec::new() };
    if then == UsbThen::Play {
        state.view.details = Some(Details::Event { id: event.id });
    }
    let network_name = state.data.network_name(clip.storage.network_id);
    let label = format!("Get the {} USB clip", event.device_name);
    let op = Operation::FetchUsbClip { event: event.id, clip: Box::new(clip), network_name, then };
    runs::request(state, op, label, now)
}

/// `x` on a stick's clip: asks, then a run deletes it from the stick.
pub fn delete(state: &mut AppState, event: &MediaItem, now: Timestamp) -> Vec<Effect> {
    let Some(clip) = state.data.usb_clip(event.id).cloned() else { return Vec::new() };
    let question = format!(
        "Delete the {} clip from {} from the USB storage? This cannot be undone.",
        event.device_name,
        short_time(state, event)
    );
    let label = format!("Delete {} USB clip", event.device_name);
    let op = Operation::DeleteUsbClip { event: event.id, clip: Box::new(clip) };
    review::ask(state, question, Confirmed::Run { op, label }, now)
}

/// What a finished stick run leads to, and the toast that says so.
pub fn succeeded(
    state: &mut AppState,
    op: &Operation,
    outcome: RunOutcome,
    now: Timestamp,
) -> (Vec<Effect>, String) {
    match (op, outcome) {
        (Operation::FetchUsbClip { event, then, .. }, RunOutcome::UsbClip { path }) => match then {
            UsbThen::Play => play(state, *event, path, now),
            UsbThen::PlayOutside if state.options.player.is_some() => {
                (vec![Effect::Play { path }], "The USB clip is here".to_owned())
            }
            UsbThen::PlayOutside | UsbThen::Save => (Vec::new(), format!("Clip saved to {}", path.display())),
        },
        (Operation::DeleteUsbClip { event, .. }, _) => {
            state.data.remove_event(*event);
            state.data.usb.clips.remove(event);
            state.view.marked.remove(event);
            rebuild_list(state, Pane::Events);
            if matches!(state.view.details, Some(Details::Event { id }) if id == *event) {
                state.view.details = None;
            }
            (Vec::new(), "USB clip deleted".to_owned())
        }
        (_, _) => (Vec::new(), "Done".to_owned()),
    }
}

/// Plays the clip in the event's details, if they are still open (the user may have moved on
/// while the sync module uploaded it).
fn play(state: &mut AppState, event: u64, path: std::path::PathBuf, now: Timestamp) -> (Vec<Effect>, String) {
    let Some(item) = state.data.events.iter().find(|e| e.id == event).cloned() else {
        return (Vec::new(), "The USB clip is here".to_owned());
    };
    let showing = matches!(state.view.details, Some(Details::Event { id }) if id == event);
    if !showing || !state.options.pictures {
        return (Vec::new(), format!("The {} USB clip is here; o plays it", item.device_name));
    }
    let title = format!("{} · {}", item.device_name, short_time(state, &item));
    let effects = playback::start(state, PlaySource::Event(event), title, PlayRequest::File(path), now);
    (effects, format!("Playing the {} USB clip", item.device_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::change::Change;
    use crate::api::{LocalClip, LocalClips, LocalStorage};
    use crate::app::command_run::RunPhase;
    use crate::app::sample::{fixed_now, sample_state};
    use crate::app::{Fetch, UiOptions};
    use crate::sim::demo::HOME_NETWORK;

    fn state() -> AppState {
        sample_state((120, 36), UiOptions { pictures: false, ..UiOptions::default() })
    }

    fn list(storage: LocalStorage, ids: &[u64]) -> LocalClips {
        let clips = ids
            .iter()
            .map(|id| LocalClip {
                id: *id,
                camera: "Driveway".into(),
                camera_id: Some(400102),
                created_at: "2026-11-20T10:00:00+00:00".parse().expect("time"),
                size: 10,
            })
            .collect();
        LocalClips { storage, manifest_id: "77".into(), clips }
    }

    #[test]
    fn the_sticks_are_read_again_only_every_five_minutes() {
        let mut state = state();
        assert_eq!(state.data.usb.storages.len(), 1, "the demo's Home sync module has a stick");
        assert!(request(&mut state, fixed_now() + SignedDuration::from_mins(4)).is_none());
        let later = fixed_now() + SignedDuration::from_mins(6);
        let effect = request(&mut state, later);
        assert!(matches!(&effect, Some(Effect::LoadUsbClips { storages, cameras })
            if storages[0].network_id == HOME_NETWORK && cameras.iter().any(|c| c.name == "Front Door")));
        assert!(request(&mut state, later).is_none(), "one read at a time");
        state.remote.loading.usb = Fetch::default();
        assert!(request(&mut state, later).is_none(), "and not again so soon");
    }

    #[test]
    fn a_command_on_the_sticks_network_waits_for_the_read_and_then_goes() {
        let mut state = state();
        let later = fixed_now() + SignedDuration::from_mins(6);
        assert!(request(&mut state, later).is_some());
        let effects = runs::request(
            &mut state,
            Operation::Change(Change::Arm { network: HOME_NETWORK, armed: true }),
            "Arm Home".into(),
            later,
        );
        assert!(effects.is_empty());
        assert_eq!(state.runs[0].phase, RunPhase::Waiting, "Blink runs one command at a time per network");
        let effects = loaded(&mut state, Ok(Vec::new()), later);
        assert!(matches!(effects.as_slice(), [Effect::Run { .. }]), "{effects:?}");
        assert!(!state.remote.loading.usb.in_flight);
    }

    #[test]
    fn stick_clips_replace_the_previous_ones_and_never_take_a_cloud_events_id() {
        let mut state = state();
        // The cloud's whole list is here: every stick clip is within its span.
        state.data.older_exhausted = true;
        let storage = state.data.usb.storages[0];
        let cloud = state.data.events[0].id;
        let before = state.data.events.len();
        state.data.apply_usb(vec![list(storage, &[11, 12, cloud])]);
        assert_eq!(state.data.events.len(), before + 2, "the clip with a cloud event's id is left out");
        assert!(state.data.usb_clip(11).is_some() && state.data.usb_clip(cloud).is_none());
        let row = state.data.events.iter().find(|e| e.id == 11).expect("row");
        assert_eq!(
            (row.source.as_deref(), row.device_name.as_str(), row.watched),
            (Some("usb"), "Driveway", true)
        );
        state.data.apply_usb(vec![list(storage, &[12])]);
        assert_eq!(state.data.events.len(), before + 1, "a clip gone from the stick goes from the list");
        assert!(state.data.usb_clip(11).is_none() && state.data.events.iter().all(|e| e.id != 11));
    }

    #[test]
    fn stick_clips_below_the_cloud_events_loaded_wait_for_them() {
        let mut state = state();
        let storage = state.data.usb.storages[0];
        let before = state.data.events.len();
        state.data.apply_usb(vec![list(storage, &[11, 12])]);
        assert_eq!(state.data.events.len(), before, "older than every cloud event loaded: held back");
        state.data.older_exhausted = true;
        state.data.merge_older(Vec::new());
        assert_eq!(state.data.events.len(), before + 2, "the cloud's list is whole: they join it");
        assert!(state.data.usb_clip(11).is_some());
    }
}
