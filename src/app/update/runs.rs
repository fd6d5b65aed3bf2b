//! Blink commands from the key press to the outcome: one run per target at a time, progress
//! as Blink reports it, a toast with the result, then a targeted refresh.

use jiff::Timestamp;

use super::super::action::RunOutcome;
use super::super::command_run::{CommandRun, Operation, RunId, RunPhase};
use super::super::effect::Effect;
use super::super::toasts::Level;
use super::super::usb::UsbThen;
use super::super::{AppState, Details, Pane};
use super::results::{request_events, request_home, request_programs};
use super::{login, rebuild_list};
use crate::api::ApiError;
use crate::api::change::Change;
use crate::api::snooze::SnoozeTarget;

/// Starts `op` unless the app is read-only or the same command already has a run going on its
/// target. Another command on a busy target or network waits its turn.
pub fn request(state: &mut AppState, op: Operation, label: String, now: Timestamp) -> Vec<Effect> {
    if state.options.read_only && op.changes_blink() {
        state.toasts.push(Level::Warning, format!("Read-only mode: {label} was not sent"), now);
        return Vec::new();
    }
    let running = state
        .runs_in_flight()
        .find(|run| run.op.target() == op.target() && run.op.same_kind(&op))
        .map(|run| run.label.clone());
    if let Some(running) = running {
        let text = format!("{running} is still running; wait for it to finish");
        state.toasts.push(Level::Info, text, now);
        return Vec::new();
    }
    let id = state.take_run_id();
    let behind = blocked(state, &op);
    let phase = if behind { RunPhase::Waiting } else { RunPhase::Queued };
    state.runs.push(CommandRun { id, op: op.clone(), label, phase, started: now });
    if behind {
        return Vec::new();
    }
    vec![Effect::Run { id, op }]
}

/// Whether `op` must wait: Blink runs one command at a time per network, and one command at a
/// time per camera, network or event keeps their outcomes apart.
fn blocked(state: &AppState, op: &Operation) -> bool {
    let target_busy =
        state.runs.iter().any(|run| run.op.target() == op.target() && run.phase != RunPhase::Waiting);
    target_busy || op.network().is_some_and(|network| network_busy(state, network))
}

/// A command is being sent or followed on this network (reading a USB stick's list is one).
pub(super) fn network_busy(state: &AppState, network: u64) -> bool {
    let reading_stick =
        state.remote.loading.usb.in_flight && state.data.usb.storages.iter().any(|s| s.network_id == network);
    reading_stick
        || state.runs.iter().any(|run| run.op.network() == Some(network) && run.phase != RunPhase::Waiting)
}

/// When a command ended (or a stick was read): each waiting command that nothing holds up
/// any more goes, in the order they were asked for.
pub(super) fn start_next(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    for index in 0..state.runs.len() {
        let run = &state.runs[index];
        if run.phase != RunPhase::Waiting || blocked(state, &run.op) {
            continue;
        }
        let run = &mut state.runs[index];
        run.phase = RunPhase::Queued;
        effects.push(Effect::Run { id: run.id, op: run.op.clone() });
    }
    effects
}

pub fn progress(state: &mut AppState, id: RunId, phase: RunPhase) -> Vec<Effect> {
    if let Some(run) = state.runs.iter_mut().find(|run| run.id == id) {
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
    // Every outcome says how long it took: the message log is the history of commands.
    let took = run.took(now);
    let mut effects = start_next(state);
    if let (Err(err), Operation::FetchUsbClip { event, then: UsbThen::Play, .. }) = (&result, &run.op)
        && !err.needs_login()
        && let Some(skipped) = super::autoplay::skip_unfetched(state, *event, &err.to_string(), now)
    {
        effects.extend(skipped);
        return effects;
    }
    effects.extend(match result {
        Ok(outcome) => succeeded(state, &run, outcome, &took, now),
        Err(err) if err.needs_login() => login::session_ended(state, &err, now),
        Err(ApiError::CommandTimedOut { after, .. }) => {
            let text = format!(
                "{}: Blink did not finish within {} s, so it may not have been applied; check again with r · {took}",
                run.label,
                after.as_secs()
            );
            state.toasts.push(Level::Warning, text, now);
            request_home(state).into_iter().collect()
        }
        Err(ApiError::OutcomeUnknown { reason, .. }) => {
            let text =
                format!("{} may not have been applied: no clear answer from Blink ({reason}) · {took}", run.label);
            state.toasts.push(Level::Warning, text, now);
            request_home(state).into_iter().collect()
        }
        Err(ApiError::CommandFailed { message, .. }) => {
            state.toasts.push(Level::Error, format!("{} failed: {message} · {took}", run.label), now);
            Vec::new()
        }
        Err(err) => {
            state.toasts.push(Level::Error, format!("{} failed: {err} · {took}", run.label), now);
            Vec::new()
        }
    });
    effects
}

fn succeeded(
    state: &mut AppState,
    run: &CommandRun,
    outcome: RunOutcome,
    took: &str,
    now: Timestamp,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    let text = match (&run.op, outcome) {
        (Operation::Snapshot { device, .. }, RunOutcome::Snapshot { home }) => {
            state.data.apply_home(&home);
            rebuild_list(state, Pane::Networks);
            rebuild_list(state, Pane::Cameras);
            format!("{}: new picture", camera_name(state, device.id))
        }
        (Operation::Change(change), _) => {
            effects.extend(reread_after(state, change, now));
            change.outcome(&changed_name(state, change, &run.label))
        }
        (Operation::Snapshot { device, .. }, RunOutcome::Done | RunOutcome::UsbClip { .. }) => {
            effects.extend(request_home(state));
            format!("{}: new picture", camera_name(state, device.id))
        }
        (Operation::DeleteEvents { media }, _) => {
            for id in media {
                state.data.remove_event(*id);
                state.view.marked.remove(id);
            }
            rebuild_list(state, Pane::Events);
            if matches!(state.view.details, Some(Details::Event { id }) if media.contains(&id)) {
                state.view.details = None;
            }
            if media.len() == 1 {
                "Event deleted".to_owned()
            } else {
                format!("{} events deleted", media.len())
            }
        }
        (Operation::FetchUsbClip { .. } | Operation::DeleteUsbClip { .. }, outcome) => {
            let (more, text) = super::usb::succeeded(state, &run.op, outcome, now);
            effects.extend(more);
            text
        }
    };
    state.toasts.push(Level::Success, format!("{text} · {took}"), now);
    effects
}

/// What shows the change: the list it is in, read again.
fn reread_after(state: &mut AppState, change: &Change, now: Timestamp) -> Vec<Effect> {
    match change {
        Change::Arm { .. } | Change::Motion { .. } | Change::Snooze { .. } => {
            request_home(state).into_iter().collect()
        }
        Change::RecordClip { .. } => request_events(state, now).into_iter().collect(),
        Change::Program { .. } => request_programs(state).into_iter().collect(),
        Change::Setting { device, .. } => super::choose::reread_settings(state, device),
        // Read again, so the account view shows what Blink now has.
        Change::Notification { .. } => vec![Effect::LoadAccount],
    }
}

/// The name of what `change` changed, for its outcome ("Cabin armed").
fn changed_name(state: &AppState, change: &Change, label: &str) -> String {
    match change {
        Change::Arm { network, .. } | Change::Snooze { target: SnoozeTarget::Network(network), .. } => {
            state.data.network_name(*network)
        }
        Change::Motion { device, .. }
        | Change::RecordClip { device }
        | Change::Setting { device, .. }
        | Change::Snooze { target: SnoozeTarget::Device(device), .. } => camera_name(state, device.id),
        // "Enable Weekend away": the program's name as the key press named it.
        Change::Program { .. } => label.split_once(' ').map_or(label, |(_, name)| name).to_owned(),
        // "Motion notifications on": the flag's name as the account view shows it.
        Change::Notification { .. } => {
            label.rsplit_once(" notifications").map_or(label, |(name, _)| name).to_owned()
        }
    }
}

fn camera_name(state: &AppState, id: u64) -> String {
    state.data.camera(id).map_or_else(|| format!("camera {id}"), |c| c.name.clone())
}
