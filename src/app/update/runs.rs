//! Blink commands from the key press to the outcome: one run per target at a time, progress
//! as Blink reports it, a toast with the result, then a targeted refresh.

use jiff::Timestamp;

use super::super::action::RunOutcome;
use super::super::command_run::{CommandRun, Operation, RunId, RunPhase};
use super::super::effect::Effect;
use super::super::toasts::Level;
use super::super::{AppState, Details, Pane};
use super::results::{request_events, request_home, request_programs};
use super::{login, rebuild_list};
use crate::api::ApiError;

/// Starts `op` unless the app is read-only or the same target already has a run going.
pub fn request(state: &mut AppState, op: Operation, label: String, now: Timestamp) -> Vec<Effect> {
    if state.options.read_only {
        state.toasts.push(Level::Warning, format!("Read-only mode: {label} was not sent"), now);
        return Vec::new();
    }
    if let Some(running) = state.run_for(op.target()) {
        let text = format!("{} is still running; wait for it to finish", running.label);
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    let id = state.take_run_id();
    state.runs.push(CommandRun { id, op: op.clone(), label, phase: RunPhase::Queued, started: now });
    vec![Effect::Run { id, op }]
}

pub fn progress(state: &mut AppState, id: RunId, phase: RunPhase) -> Vec<Effect> {
    if let Some(run) = state.runs.iter_mut().find(|run| run.id == id && run.phase.in_flight()) {
        run.phase = phase;
    }
    Vec::new()
}

pub fn finished(
    state: &mut AppState,
    id: RunId,
    result: Result<RunOutcome, ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    let Some(position) = state.runs.iter().position(|run| run.id == id) else {
        return Vec::new();
    };
    let run = state.runs.remove(position);
    match result {
        Ok(outcome) => succeeded(state, &run, outcome, now),
        Err(err) if err.needs_login() => login::session_ended(state, &err, now),
        Err(ApiError::CommandTimedOut { after, .. }) => {
            let text = format!(
                "{}: Blink did not finish within {} s; check again with r",
                run.label,
                after.as_secs()
            );
            state.toasts.push(Level::Warning, text, now);
            request_home(state).into_iter().collect()
        }
        Err(ApiError::CommandFailed { message, .. }) => {
            state.toasts.push(Level::Error, format!("{} failed: {message}", run.label), now);
            Vec::new()
        }
        Err(err) => {
            state.toasts.push(Level::Error, format!("{} failed: {err}", run.label), now);
            Vec::new()
        }
    }
}

fn succeeded(state: &mut AppState, run: &CommandRun, outcome: RunOutcome, now: Timestamp) -> Vec<Effect> {
    let mut effects = Vec::new();
    let text = match (&run.op, outcome) {
        (Operation::Snapshot { device, .. }, RunOutcome::Snapshot { home }) => {
            state.data.apply_home(&home);
            rebuild_list(state, Pane::Networks);
            rebuild_list(state, Pane::Cameras);
            format!("{}: new picture", camera_name(state, device.id))
        }
        (Operation::Arm { network }, _) => {
            effects.extend(request_home(state));
            format!("{} armed", state.data.network_name(*network))
        }
        (Operation::Disarm { network }, _) => {
            effects.extend(request_home(state));
            format!("{} disarmed", state.data.network_name(*network))
        }
        (Operation::Motion { device, on }, _) => {
            effects.extend(request_home(state));
            format!("{}: motion detection {}", camera_name(state, device.id), if *on { "on" } else { "off" })
        }
        (Operation::Snapshot { device, .. }, RunOutcome::Done) => {
            effects.extend(request_home(state));
            format!("{}: new picture", camera_name(state, device.id))
        }
        (Operation::RecordClip { device }, _) => {
            effects.extend(request_events(state, now));
            format!("{}: clip recorded", camera_name(state, device.id))
        }
        (Operation::SetProgram { enable, .. }, _) => {
            effects.extend(request_programs(state));
            format!(
                "{} {}",
                run.label.split_once(' ').map_or(run.label.as_str(), |(_, name)| name),
                if *enable { "enabled" } else { "disabled" }
            )
        }
        (Operation::DeleteEvent { media }, _) => {
            state.data.remove_event(*media);
            rebuild_list(state, Pane::Events);
            if matches!(state.details, Some(Details::Event { id }) if id == *media) {
                state.details = None;
            }
            "Event deleted".to_owned()
        }
    };
    state.toasts.push(Level::Success, text, now);
    effects
}

fn camera_name(state: &AppState, id: u64) -> String {
    state.data.camera(id).map_or_else(|| format!("camera {id}"), |c| c.name.clone())
}
