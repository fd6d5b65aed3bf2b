//! Keys of the small menus (`z` snooze, `e` settings) and what their choices start.

use crossterm::event::{KeyCode, KeyEvent};
use jiff::Timestamp;

use super::super::account::{AccountOverview, AccountRead};
use super::super::camera_details::CameraDetails;
use super::super::choose::{Chooser, Menu, Pick};
use super::super::effect::Effect;
use super::super::toasts::Level;
use super::super::{AppState, Details, Overlay, Pane};
use super::runs;
use crate::api::settings::Setting;
use crate::api::snooze::SnoozeTarget;
use crate::api::{ApiError, DeviceRef};

/// `z`: the snooze menu for the selected network or camera.
pub fn open_snooze(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    let (target, name) = match state.view.focus {
        Pane::Networks => match state.selected_network() {
            Some(network) => (SnoozeTarget::Network(network.id), network.name.clone()),
            None => return Vec::new(),
        },
        Pane::Cameras => match state.selected_camera() {
            Some(camera) => (SnoozeTarget::Device(camera.device_ref()), camera.name.clone()),
            None => return Vec::new(),
        },
        Pane::Programs | Pane::Events => {
            state.toasts.push(Level::Info, "Snooze works on a network or a camera: press 1 or 2", now);
            return Vec::new();
        }
    };
    state.view.overlay = Some(Overlay::Choose(Chooser { menu: Menu::Snooze { target, name }, selected: 0 }));
    Vec::new()
}

/// `e` on a camera: its settings, over its details (opened, and the config read, if needed).
pub fn open_settings(state: &mut AppState) -> Vec<Effect> {
    let Some(camera) = state.selected_camera() else {
        return Vec::new();
    };
    let device = camera.device_ref();
    let mut effects = Vec::new();
    if !matches!(state.view.details, Some(Details::Camera { id, .. }) if id == device.id) {
        state.view.details = Some(Details::Camera { id: device.id, read: CameraDetails::Loading });
        effects.push(Effect::LoadDetails { device: device.clone() });
    }
    state.view.overlay = Some(Overlay::Choose(Chooser { menu: Menu::Settings { device }, selected: 0 }));
    effects
}

/// `A`: the account view, read afresh each time it opens.
pub fn open_account(state: &mut AppState) -> Vec<Effect> {
    state.session.account_read = AccountRead::Reading;
    state.view.overlay = Some(Overlay::Choose(Chooser { menu: Menu::Account, selected: 0 }));
    vec![Effect::LoadAccount]
}

/// The account view's reading came back.
pub fn account_loaded(
    state: &mut AppState,
    result: Result<AccountOverview, ApiError>,
    now: Timestamp,
) -> Vec<Effect> {
    state.session.account_read = match result {
        Ok(overview) => AccountRead::Read(overview),
        Err(err) if err.needs_login() => return super::login::session_ended(state, &err, now),
        Err(err) => AccountRead::Failed(err.to_string()),
    };
    Vec::new()
}

/// Keys while a menu is open: move, choose (Enter or the row's number), close (Esc, q).
pub fn key(state: &mut AppState, key: KeyEvent, now: Timestamp) -> Vec<Effect> {
    let Some(Overlay::Choose(chooser)) = &state.view.overlay else {
        return Vec::new();
    };
    let chooser = chooser.clone();
    let count = chooser.menu.choices(state).len();
    let select = |state: &mut AppState, selected: usize| {
        state.view.overlay = Some(Overlay::Choose(Chooser { selected, ..chooser.clone() }));
    };
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => select(state, chooser.selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => {
            select(state, (chooser.selected + 1).min(count.saturating_sub(1)))
        }
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Left | KeyCode::Char('h') => close(state, &chooser.menu),
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
            return choose(state, &chooser, chooser.selected, now);
        }
        KeyCode::Char(digit @ '1'..='9') => {
            let index = usize::from(digit as u8 - b'1');
            if index < count {
                return choose(state, &chooser, index, now);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Esc: a setting's values go back to the settings, anything else closes.
fn close(state: &mut AppState, menu: &Menu) {
    state.view.overlay = match menu {
        Menu::Values { device, setting } => Some(settings_menu(device.clone(), *setting)),
        Menu::Snooze { .. } | Menu::Settings { .. } | Menu::Account => None,
    };
}

fn settings_menu(device: DeviceRef, setting: Setting) -> Overlay {
    let selected = Setting::ALL.iter().position(|s| *s == setting).unwrap_or(0);
    Overlay::Choose(Chooser { menu: Menu::Settings { device }, selected })
}

fn choose(state: &mut AppState, chooser: &Chooser, index: usize, now: Timestamp) -> Vec<Effect> {
    let Some(choice) = chooser.menu.choices(state).into_iter().nth(index) else {
        return Vec::new();
    };
    match (choice.pick, &chooser.menu) {
        (Pick::Nothing, _) => Vec::new(),
        (Pick::Values(setting), Menu::Settings { device }) => {
            let menu = Menu::Values { device: device.clone(), setting };
            let selected = menu.choices(state).iter().position(|c| c.current).unwrap_or(0);
            state.view.overlay = Some(Overlay::Choose(Chooser { menu, selected }));
            Vec::new()
        }
        (Pick::Values(_), _) => Vec::new(),
        // The account view stays open: the flag's run shows under it, then its new state.
        (Pick::Run { op, label }, Menu::Account) => runs::request(state, op, label, now),
        (Pick::Run { op, label }, menu) => {
            close(state, menu);
            runs::request(state, op, label, now)
        }
    }
}

/// After a setting changed: the open details (and with them the settings menu) read the
/// camera's config again, so they show what Blink now has.
pub fn reread_settings(state: &mut AppState, device: &DeviceRef) -> Vec<Effect> {
    match &mut state.view.details {
        Some(Details::Camera { id, read }) if *id == device.id => {
            read.reload();
            vec![Effect::LoadDetails { device: device.clone() }]
        }
        _ => Vec::new(),
    }
}
