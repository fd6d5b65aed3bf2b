//! Driving the app through its real loop by keys, and reading what it shows: shared by the
//! tests that run the app against the simulator.

use std::time::Duration;

use blinktui::app::action::Action;
use blinktui::app::toasts::Level;
use blinktui::app::{AppState, Pane, Screen, UiOptions};
use blinktui::tui::runner::App;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::picker::Picker;

use super::Harness;

/// How long a test waits for the app to reach a state.
pub const WAIT: Duration = Duration::from_secs(10);

/// The app logged in and started, once `loaded` holds (it fails the test otherwise).
pub async fn running_app_until(
    h: &Harness,
    options: UiOptions,
    picker: Option<Picker>,
    loaded: impl Fn(&AppState) -> bool,
) -> App {
    let client = h.login().await;
    let mut app = h.app(Some(client), options, Screen::Main, picker);
    app.start();
    assert!(app.pump_until(WAIT, loaded).await, "the first load");
    app
}

pub fn press(app: &mut App, code: KeyCode) {
    app.dispatch(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Each character as a key press.
pub fn keys(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

/// Moves to `pane` and selects the row named `name` with keys (the events pane: its first row).
pub fn select(app: &mut App, pane: Pane, name: &str) {
    let data = &app.state.data;
    let position = app.state.list(pane).visible.iter().position(|i| match pane {
        Pane::Networks => data.networks[*i].name == name,
        Pane::Cameras => data.cameras[*i].name == name,
        Pane::Programs => data.programs[*i].program.name == name,
        Pane::Events => *i == app.state.list(pane).visible[0],
    });
    keys(app, &(pane as usize + 1).to_string());
    press(app, KeyCode::Char('g'));
    for _ in 0..position.expect(name) {
        press(app, KeyCode::Char('j'));
    }
}

/// A message of this level containing `text` was shown.
pub fn toast_with(state: &AppState, level: Level, text: &str) -> bool {
    state.toasts.log().any(|t| t.level == level && t.text.contains(text))
}

/// The screen as text, drawn by the app's own drawing code.
pub fn screen(state: &AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(state.size.0, state.size.1))
        .expect("terminal");
    terminal.draw(|frame| blinktui::ui::draw(frame, state, jiff::Timestamp::now())).expect("draw");
    terminal.backend().to_string()
}
