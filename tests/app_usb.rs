//! Clips on the USB stick in the app, driven by keys through the real loop against the
//! simulator: they appear among the events marked `usb`, `o` plays one after the sync module
//! uploads it (a run with its spinner), `S` saves one, `x` deletes one from the stick.

mod common;

use blinktui::api::BlinkClient;
use blinktui::app::command_run::{Operation, Target};
use blinktui::app::toasts::Level;
use blinktui::app::{AppState, Details, Pane, Screen, UiOptions};
use blinktui::sim::demo::HOME_NETWORK;
use blinktui::tui::runner::App;
use common::drive::{WAIT, keys, running_app_until, screen, toast_with};
use common::{Harness, quiet_config, start};
use ratatui_image::picker::Picker;

const UPLOADS: &str = "/api/v1/accounts/*/networks/*/sync_modules/*/local_storage/manifest/*/clip/request/*";

fn build(h: &Harness, client: BlinkClient, options: UiOptions) -> App {
    h.app(Some(client), options, Screen::Main, Some(Picker::halfblocks()))
}

/// The app after its first load, with the stick's clips among the events.
async fn running_app(h: &Harness, options: UiOptions) -> App {
    // Older cloud pages load by themselves until they reach the stick's clips.
    running_app_until(h, options, Some(Picker::halfblocks()), |s| {
        s.data.events_loaded
            && s.data.usb.loaded
            && s.data.usb.held.is_empty()
            && !s.remote.loading.older.in_flight
    })
    .await
}

fn usb_ids(state: &AppState) -> Vec<u64> {
    state.data.events.iter().filter(|e| e.source.as_deref() == Some("usb")).map(|e| e.id).collect()
}

/// Moves the events pane's selection to the event `id` with keys.
fn select_event(app: &mut App, id: u64) {
    keys(app, "4g");
    let position =
        app.state.list(Pane::Events).visible.iter().position(|i| app.state.data.events[*i].id == id);
    for _ in 0..position.expect("the event is listed") {
        keys(app, "j");
    }
    assert_eq!(app.state.selected_event().map(|e| e.id), Some(id));
}

#[tokio::test]
async fn stick_clips_are_listed_as_usb_events_and_o_plays_one_after_its_upload() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions::default()).await;
    let on_stick: Vec<u64> = h.sim.with_world(|w| w.usb[&HOME_NETWORK].clips.iter().map(|c| c.id).collect());
    let mut listed = usb_ids(&app.state);
    listed.sort_unstable();
    let mut expected = on_stick.clone();
    expected.sort_unstable();
    assert_eq!(listed, expected, "every clip on the stick is an event once the cloud's list is whole");
    let door = app
        .state
        .data
        .events
        .iter()
        .find(|e| e.source.as_deref() == Some("usb") && e.device_id == 400101)
        .cloned()
        .expect("the stick's FrontDoor clip belongs to the Front Door camera");
    assert_eq!(door.device_name, "Front Door");

    select_event(&mut app, door.id);
    let shown = screen(&app.state);
    let row = shown.lines().find(|line| line.contains("Front Door") && line.contains("usb"));
    assert!(row.is_some(), "the row is marked usb in the source column:\n{shown}");

    keys(&mut app, "o");
    let run = app.state.run_for(Target::Event(door.id)).expect("a run fetches the clip");
    assert!(matches!(run.op, Operation::FetchUsbClip { .. }), "{:?}", run.op);
    assert!(matches!(app.state.view.details, Some(Details::Event { id }) if id == door.id));
    assert!(app.state.animating(), "its spinner turns");
    let frames = |s: &AppState| s.player.as_ref().and_then(|p| p.frame.as_ref()).map(|f| f.seq).unwrap_or(0);
    assert!(app.pump_until(WAIT, |s| frames(s) >= 3).await, "the clip plays: {:?}", app.state.player);
    assert_eq!(h.count("POST", UPLOADS), 1, "uploaded on demand, once");
    assert!(app.state.run_for(Target::Event(door.id)).is_none());
    assert!(!toast_with(&app.state, Level::Error, ""), "{:?}", app.state.toasts.log().collect::<Vec<_>>());
}

#[tokio::test]
async fn stick_clips_never_show_below_cloud_events_not_loaded_yet() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let mut app = build(&h, client, UiOptions::default());
    app.start();
    // At every step: a stick clip shown is no older than the oldest cloud event loaded, unless
    // the cloud's list is whole.
    let gaps = std::cell::Cell::new(0);
    let first_page = std::cell::Cell::new(None);
    let done = app
        .pump_until(WAIT, |s| {
            let cloud =
                s.data.events.iter().filter(|e| s.data.usb_clip(e.id).is_none()).map(|e| e.created_at.at);
            let oldest_cloud = cloud.min();
            if s.data.events_loaded && first_page.get().is_none() {
                first_page.set(oldest_cloud);
            }
            let stick =
                s.data.events.iter().filter(|e| s.data.usb_clip(e.id).is_some()).map(|e| e.created_at.at);
            if !s.data.older_exhausted && stick.min().is_some_and(|at| oldest_cloud.is_none_or(|c| at < c)) {
                gaps.set(gaps.get() + 1);
            }
            s.data.usb.loaded && s.data.usb.held.is_empty() && !s.remote.loading.older.in_flight
        })
        .await;
    assert!(done, "the stick's clips all find their place");
    assert_eq!(gaps.get(), 0, "a stick clip showed below cloud events not loaded yet");
    let on_stick = h.sim.with_world(|w| w.usb[&HOME_NETWORK].clips.len());
    assert_eq!(usb_ids(&app.state).len(), on_stick);
    let oldest_cloud = app
        .state
        .data
        .events
        .iter()
        .filter(|e| app.state.data.usb_clip(e.id).is_none())
        .map(|e| e.created_at.at)
        .min();
    let first_page = first_page.get().expect("the first page's oldest event");
    assert!(
        oldest_cloud.expect("cloud events") < first_page,
        "older cloud pages were read to meet the stick's clips"
    );
}

#[tokio::test]
async fn s_saves_a_stick_clip_and_x_deletes_one_from_the_stick() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { confirm: true, ..UiOptions::default() }).await;
    let ids = usb_ids(&app.state);
    select_event(&mut app, ids[0]);
    keys(&mut app, "S");
    assert!(app.state.run_for(Target::Event(ids[0])).is_some(), "the upload is a run with its spinner");
    assert!(app.pump_until(WAIT, |s| toast_with(s, Level::Success, "Clip saved to")).await);
    let saved: Vec<String> = std::fs::read_dir(h.dir.path().join("saved"))
        .expect("saved dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert!(saved[0].ends_with(&format!("_usb{}.mp4", ids[0])), "{saved:?}");

    select_event(&mut app, ids[1]);
    keys(&mut app, "x");
    assert!(app.state.view.overlay.is_some(), "deleting asks first");
    keys(&mut app, "y");
    let gone =
        app.pump_until(WAIT, |s| s.runs_in_flight().next().is_none() && !usb_ids(s).contains(&ids[1])).await;
    assert!(gone, "the row goes");
    assert!(
        h.sim.with_world(|w| w.usb[&HOME_NETWORK].clips.iter().all(|c| c.id != ids[1])),
        "gone from the stick"
    );
    assert!(toast_with(&app.state, Level::Success, "USB clip deleted"));
}

#[tokio::test]
async fn read_only_lists_and_plays_stick_clips_but_never_deletes_them() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { read_only: true, ..UiOptions::default() }).await;
    let ids = usb_ids(&app.state);
    select_event(&mut app, ids[0]);
    keys(&mut app, "x");
    assert!(
        app.state.view.overlay.is_none() && app.state.runs.is_empty(),
        "nothing deleted in read-only mode"
    );
    assert!(toast_with(&app.state, Level::Warning, "Read-only"));
    keys(&mut app, "S");
    assert!(
        app.pump_until(WAIT, |s| toast_with(s, Level::Success, "Clip saved to")).await,
        "copying is no change"
    );
    assert_eq!(h.count("POST", "*/local_storage/manifest/*/clip/delete/*"), 0);
}
