//! Drawing the whole screen and running one update, with 50 cameras and up to 10,000 events.
//! Run with `cargo bench --bench ui`; the cost of a frame must not grow with the events.

use blinktui::app::action::Action;
use blinktui::app::sample::{fixed_now, large_state};
use blinktui::app::update::update;
use blinktui::app::{AppState, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn state(events: usize, focus: Pane) -> AppState {
    let mut state = large_state((120, 36), 50, events);
    state.view.focus = focus;
    state
}

/// One full frame: every pane, header, status and footer.
#[divan::bench(args = [100, 1_000, 10_000])]
fn draw_full_screen(bencher: divan::Bencher, events: usize) {
    let state = state(events, Pane::Events);
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
    bencher.bench_local(|| {
        terminal.draw(|frame| blinktui::ui::draw(frame, &state, fixed_now())).expect("draw");
    });
}

/// The events pane alone, tall, so its rows' times dominate: what a frame costs per visible
/// event row (each shows its time in its network's zone, labelled when that is not this
/// machine's).
#[divan::bench(args = [1_000, 10_000])]
fn draw_events_pane(bencher: divan::Bencher, events: usize) {
    let state = state(events, Pane::Events);
    let mut terminal = Terminal::new(TestBackend::new(120, 60)).expect("terminal");
    let area = ratatui::layout::Rect::new(0, 0, 120, 60);
    let theme = blinktui::ui::theme::Theme::of(state.options.colours);
    let props = blinktui::ui::panes::ListProps::of(&state, Pane::Events);
    bencher.bench_local(|| {
        terminal
            .draw(|frame| blinktui::ui::panes::render(frame, area, &props, theme, fixed_now()))
            .expect("draw");
    });
}

/// A key press that moves the selection in the events list, through `update`.
#[divan::bench(args = [100, 10_000])]
fn update_key_press(bencher: divan::Bencher, events: usize) {
    let mut state = state(events, Pane::Events);
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    bencher.bench_local(|| {
        let a = update(&mut state, Action::Key(down), fixed_now());
        let b = update(&mut state, Action::Key(up), fixed_now());
        (a, b)
    });
}

/// A spinner tick (what runs ten times a second while a command is in flight).
#[divan::bench(args = [10_000])]
fn update_tick(bencher: divan::Bencher, events: usize) {
    let mut state = state(events, Pane::Cameras);
    bencher.bench_local(|| update(&mut state, Action::Tick, fixed_now()));
}

/// A periodic refresh landing: one new event merged into the list (this one is linear in the
/// number of events kept, by nature; it runs once a minute, not per frame).
#[divan::bench(args = [100, 10_000])]
fn update_refresh_with_a_new_event(bencher: divan::Bencher, events: usize) {
    use blinktui::api::models::MediaItem;
    bencher.with_inputs(|| state(events, Pane::Events)).bench_local_values(|mut state| {
        let event = MediaItem {
            id: 1,
            created_at: "2026-11-26T14:00:00+00:00".parse().expect("time"),
            device_id: 900_001,
            ..MediaItem::default()
        };
        update(&mut state, Action::EventsLoaded { initial: false, result: Ok(vec![event]) }, fixed_now());
        state
    });
}

/// The grid of thumbnails at 140x45 (20 tiles), every thumbnail encoded in half blocks: what a
/// frame of the grid costs here, whatever the number of events.
#[divan::bench(args = [100, 10_000])]
fn draw_grid(bencher: divan::Bencher, events: usize) {
    let state = grid_state(events);
    let mut terminal = Terminal::new(TestBackend::new(140, 45)).expect("terminal");
    bencher.bench_local(|| {
        terminal.draw(|frame| blinktui::ui::draw(frame, &state, fixed_now())).expect("draw");
    });
}

/// A key press that moves the selection in the grid (right, then left), through `update`.
#[divan::bench(args = [100, 10_000])]
fn update_grid_key_press(bencher: divan::Bencher, events: usize) {
    let mut state = grid_state(events);
    let right = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE);
    let left = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE);
    bencher.bench_local(|| {
        let a = update(&mut state, Action::Key(right), fixed_now());
        let b = update(&mut state, Action::Key(left), fixed_now());
        (a, b)
    });
}

/// 140x45, the events shown as a grid, the thumbnails on screen decoded and encoded.
fn grid_state(events: usize) -> AppState {
    use std::sync::Arc;

    use blinktui::app::images::ImageSlot;
    use ratatui_image::picker::Picker;
    let mut state = large_state((140, 45), 50, events);
    state.view.focus = Pane::Events;
    state.view.grid = Some(Default::default());
    let image = image::DynamicImage::ImageRgb8(image::RgbImage::new(320, 180));
    for (key, size) in blinktui::app::grid::wanted_thumbnails(&state) {
        state.images.set(&key, ImageSlot::Ready(Arc::new(image.clone())));
        state.images.request_encoding(&key, size);
        let area = ratatui::layout::Size::new(size.0, size.1);
        let protocol = Picker::halfblocks()
            .new_protocol(image.clone(), area, ratatui_image::Resize::Fit(None))
            .expect("encode");
        state.images.finish_encoding(&key, size, Ok(protocol));
    }
    state
}
