//! The login screen: typing, submitting, the second factor, and the way back to it when a
//! session ends.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;

use super::super::effect::Effect;
use super::super::login::{LoginField, LoginStage, LoginState};
use super::super::toasts::Level;
use super::super::{AppState, Screen};
use super::results::refresh_all;
use crate::api::{ApiError, Session, TwoFactorPrompt};
use crate::secret::Secret;

pub fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Screen::Login(login) = &mut state.screen else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => {
            state.quit = true;
            vec![super::cancel_all(state)]
        }
        KeyCode::Esc => {
            state.quit = true;
            vec![super::cancel_all(state)]
        }
        _ if login.busy => Vec::new(),
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
            login.next_field();
            Vec::new()
        }
        KeyCode::Enter => submit(login),
        KeyCode::Backspace => {
            login.input_mut().pop();
            Vec::new()
        }
        KeyCode::Char('u') if ctrl => {
            login.input_mut().clear();
            Vec::new()
        }
        KeyCode::Char(c) if !ctrl => {
            login.input_mut().push(c);
            login.error = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn submit(login: &mut LoginState) -> Vec<Effect> {
    match (&login.stage, login.field) {
        (LoginStage::Credentials, LoginField::Email) if !login.email.trim().is_empty() => {
            login.field = LoginField::Password;
            Vec::new()
        }
        (LoginStage::Credentials, _) => {
            if !login.email.contains('@') || login.password.is_empty() {
                login.error = Some("Enter your Blink e-mail and password".into());
                return Vec::new();
            }
            login.busy = true;
            login.error = None;
            let password = Secret::new(std::mem::take(&mut login.password));
            vec![Effect::SignIn { email: login.email.trim().to_owned(), password }]
        }
        (LoginStage::Code { .. }, _) => {
            if login.code.trim().is_empty() {
                login.error = Some("Enter the code Blink sent you".into());
                return Vec::new();
            }
            login.busy = true;
            login.error = None;
            vec![Effect::VerifyCode { code: std::mem::take(&mut login.code) }]
        }
    }
}

pub fn code_requested(state: &mut AppState, prompt: TwoFactorPrompt) -> Vec<Effect> {
    if let Screen::Login(login) = &mut state.screen {
        login.busy = false;
        login.stage = LoginStage::Code { destination: prompt.destination };
        login.field = LoginField::Code;
    }
    Vec::new()
}

pub fn signed_in(state: &mut AppState, result: Result<Session, ApiError>, now: Timestamp) -> Vec<Effect> {
    let Screen::Login(login) = &mut state.screen else {
        return Vec::new();
    };
    login.busy = false;
    match result {
        Ok(session) => {
            if state.data.account_id != session.account_id {
                // Another account: nothing of the previous one may stay on screen.
                forget_account(state);
            }
            state.session.account = session.email.clone().unwrap_or_default();
            state.data.account_id = session.account_id;
            state.screen = Screen::Main;
            state.toasts.push(Level::Success, format!("Logged in as {}", state.session.account), now);
            let mut effects = vec![Effect::UseSession(Box::new(session))];
            effects.extend(refresh_all(state, now, true));
            effects
        }
        Err(err) => {
            // A wrong code can be retried with the same sign-in; anything else starts over.
            if !matches!(err, ApiError::Login(crate::api::LoginFailure::InvalidCode)) {
                login.stage = LoginStage::Credentials;
                login.field = LoginField::Password;
            }
            login.error = Some(err.to_string());
            Vec::new()
        }
    }
}

/// The session is gone (refresh refused, 401 after refresh): back to the login screen with
/// the reason, everything in flight stopped. Never an automatic login.
pub fn session_ended(state: &mut AppState, err: &ApiError, now: Timestamp) -> Vec<Effect> {
    state.toasts.push(Level::Error, err.to_string(), now);
    let email = (!state.session.account.is_empty()).then(|| state.session.account.clone());
    state.screen =
        Screen::Login(LoginState::new(email, Some("Your Blink session ended. Log in again.".into())));
    state.view.overlay = None;
    state.view.details = None;
    state.runs.clear();
    // Cancelled loads never report back: forget them so nothing waits forever.
    state.remote.loading = Default::default();
    state.images = Default::default();
    // No refresh until logged in again (the timer would otherwise fire on the login screen).
    state.remote.next_refresh = None;
    vec![super::cancel_all(state), Effect::DropSession]
}

/// Everything that belonged to the account that was logged in.
fn forget_account(state: &mut AppState) {
    state.data = Default::default();
    state.view.lists = Default::default();
    state.view.marked.clear();
    state.images = Default::default();
    state.view.details = None;
    state.player = None;
}
