//! The app driven by scripted keys against the simulator: every Blink command from key press
//! to confirmed state, confirmations, read-only mode, session expiry, network trouble, login.

mod common;

use std::time::Duration;

use blinktui::api::{BlinkClient, DeviceKind};
use blinktui::app::action::Action;
use blinktui::app::camera_details::CameraDetails;
use blinktui::app::colours::Colours;
use blinktui::app::days::{EventLine, day_label, day_of, event_lines};
use blinktui::app::images::ImageSlot;
use blinktui::app::layout::pane_rows;
use blinktui::app::login::LoginState;
use blinktui::app::player::PlayPhase;
use blinktui::app::toasts::Level;
use blinktui::app::update::wanted_picture;
use blinktui::app::{AppState, Details, Overlay, Pane, Screen, UiOptions};
use blinktui::runtime::Foreground;
use blinktui::sim::demo::{self, CABIN_NETWORK, HOME_NETWORK};
use blinktui::sim::{Fault, SimConfig, TwoFactorStyle};
use blinktui::tui::runner::App;
use common::drive::screen;
use common::drive::{WAIT, keys, press, running_app_until, select, toast_with};
use common::{Harness, looped, quiet_config, start};
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Modifier;
use ratatui_image::picker::Picker;

fn options() -> UiOptions {
    UiOptions { confirm: true, ..UiOptions::default() }
}

fn build(h: &Harness, client: Option<BlinkClient>, options: UiOptions, screen: Screen) -> App {
    h.app(client, options, screen, Some(Picker::halfblocks()))
}

async fn running_app(h: &Harness, options: UiOptions) -> App {
    running_app_until(h, options, Some(Picker::halfblocks()), |s| {
        s.data.home_loaded && s.data.events_loaded && s.data.programs_loaded
    })
    .await
}

fn idle(state: &AppState) -> bool {
    state.runs_in_flight().next().is_none()
        && !state.remote.loading.home.in_flight
        && !state.remote.loading.events.in_flight
        && !state.remote.loading.older.in_flight
        && !state.remote.loading.programs.in_flight
        && !state.remote.loading.usb.in_flight
}

fn sim_armed(h: &Harness, network: u64) -> bool {
    h.sim.with_world(|w| w.network(network).expect("network").network.armed)
}

#[tokio::test]
async fn startup_focuses_the_first_network() {
    let h = start(quiet_config()).await;
    let app = running_app(&h, options()).await;
    assert_eq!(app.state.view.focus, Pane::Networks);
    assert_eq!(app.state.selected_network().map(|n| n.name.as_str()), Some("Home"));
    assert_eq!(app.state.data.cameras.len(), 7);
    assert!(app.state.data.events.len() > 10);
}

#[tokio::test]
async fn arm_runs_to_the_confirmed_state() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Networks, "Cabin");
    keys(&mut app, "a");
    assert!(app.state.runs_in_flight().any(|r| r.label == "Arm Cabin"), "tracked from the key press");
    let done = app
        .pump_until(WAIT, |s| idle(s) && s.data.networks.iter().any(|n| n.id == CABIN_NETWORK && n.armed))
        .await;
    assert!(done, "the screen shows Cabin armed after the targeted refresh");
    assert!(toast_with(&app.state, Level::Success, "Cabin armed"));
    assert!(sim_armed(&h, CABIN_NETWORK));
}

#[tokio::test]
async fn a_second_press_does_not_send_the_command_twice() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Networks, "Cabin");
    keys(&mut app, "aa");
    assert!(toast_with(&app.state, Level::Info, "still running"));
    app.pump_until(WAIT, idle).await;
    assert_eq!(h.count("POST", "/api/v1/accounts/*/networks/*/state/arm"), 1);
}

#[tokio::test]
async fn disarm_asks_first_and_n_cancels() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Networks, "Home");
    keys(&mut app, "d");
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Confirm(c)) if c.question.starts_with("Disarm Home?"))
    );
    keys(&mut app, "n");
    assert!(app.state.view.overlay.is_none() && app.state.runs.is_empty());
    keys(&mut app, "d");
    press(&mut app, KeyCode::Esc);
    assert!(app.state.runs.is_empty(), "Esc cancels too");
    keys(&mut app, "dy");
    let done = app
        .pump_until(WAIT, |s| idle(s) && s.data.networks.iter().any(|n| n.id == HOME_NETWORK && !n.armed))
        .await;
    assert!(done);
    assert!(!sim_armed(&h, HOME_NETWORK));
    assert_eq!(h.count("POST", "/api/v1/accounts/*/networks/*/state/disarm"), 1);
}

#[tokio::test]
async fn motion_toggle_per_family() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    for name in ["Driveway", "Living Room", "Front Door"] {
        select(&mut app, Pane::Cameras, name);
        keys(&mut app, "m");
        let done = app
            .pump_until(WAIT, |s| idle(s) && s.data.cameras.iter().any(|c| c.name == name && !c.enabled))
            .await;
        assert!(done, "{name} motion off on screen");
        let enabled = h
            .sim
            .with_world(|w| w.devices.iter().find(|d| d.device.name == name).expect("device").device.enabled);
        assert!(!enabled, "{name} off in Blink");
    }
}

#[tokio::test]
async fn a_second_command_on_the_same_camera_waits_its_turn() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Cameras, "Driveway");
    let before = app.state.data.thumbnails.get(&400102).cloned();
    keys(&mut app, "ms");
    assert!(!toast_with(&app.state, Level::Info, "still running"), "queued, not refused");
    let waiting = app.state.runs.iter().find(|r| r.label.contains("Snapshot") || r.label.contains("picture"));
    let waiting = waiting.unwrap_or_else(|| panic!("the snapshot is tracked: {:?}", app.state.runs));
    assert!(app.state.run_status(waiting).starts_with("waiting for"), "{}", app.state.run_status(waiting));
    let done = app
        .pump_until(WAIT, |s| {
            idle(s)
                && s.data.cameras.iter().any(|c| c.name == "Driveway" && !c.enabled)
                && s.data.thumbnails.get(&400102) != before.as_ref()
        })
        .await;
    assert!(done, "both ran: motion off and a new picture");
    assert!(toast_with(&app.state, Level::Success, "Driveway: new picture"));
    // The same command twice is still sent once.
    keys(&mut app, "ss");
    assert!(toast_with(&app.state, Level::Info, "still running"));
    assert!(app.pump_until(WAIT, idle).await);
}

#[tokio::test]
async fn marking_says_how_many_in_the_question_and_the_result() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let unwatched: Vec<usize> = (0..app.state.list(Pane::Events).visible.len())
        .filter(|n| {
            let event = &app.state.data.events[app.state.list(Pane::Events).visible[*n]];
            !event.watched && event.source.as_deref() != Some("usb")
        })
        .take(2)
        .collect();
    assert_eq!(unwatched.len(), 2, "the demo has unwatched events");
    keys(&mut app, "4g");
    for _ in 0..unwatched[0] {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char(' '));
    keys(&mut app, "w");
    let question = match &app.state.view.overlay {
        Some(Overlay::Confirm(c)) => c.question.clone(),
        other => panic!("a question: {other:?}"),
    };
    assert_eq!(question, "Mark the marked event watched?");
    keys(&mut app, "n");
    keys(&mut app, "g");
    for _ in 0..unwatched[1] {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char(' '));
    keys(&mut app, "w");
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Confirm(c)) if c.question == "Mark the 2 marked events watched?")
    );
    keys(&mut app, "y");
    assert!(app.pump_until(WAIT, |s| toast_with(s, Level::Success, "Marked 2 events watched")).await);
}

#[tokio::test]
async fn snapshot_ends_with_the_new_picture_on_screen() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Cameras, "Driveway");
    let camera = app.state.selected_camera().expect("camera").id;
    let before = app.state.data.thumbnails.get(&camera).cloned();
    let old_key = wanted_picture(&app.state).expect("a picture is wanted").0;
    keys(&mut app, "s");
    let done = app
        .pump_until(WAIT, |s| {
            let Some((key, size)) = wanted_picture(s) else { return false };
            idle(s) && key != old_key && s.images.encoded(&key, size).is_some()
        })
        .await;
    assert!(done, "the new picture is decoded and encoded for the picture pane");
    assert_ne!(app.state.data.thumbnails.get(&camera).cloned(), before);
    assert!(toast_with(&app.state, Level::Success, "Driveway: new picture"));
}

/// Through the executor's real encodes: a storm of sizes costs two encodes (the one running
/// when it began and the newest), and only the newest size ends up encoded.
#[tokio::test]
async fn a_resize_storm_costs_two_encodes() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let settled =
        |s: &AppState| wanted_picture(s).is_some_and(|(key, size)| s.images.encoded(&key, size).is_some());
    assert!(app.pump_until(WAIT, settled).await, "the first picture is on screen");
    let (_, shown) = wanted_picture(&app.state).expect("a picture");
    let before = app.state.images.encodes_started();
    let mut sizes = Vec::new();
    for width in 140..170 {
        app.dispatch(Action::Resize(width, 36));
        sizes.push(wanted_picture(&app.state).expect("a picture").1);
    }
    assert!(app.pump_until(WAIT, |s| settled(s) && !s.images.busy()).await, "the newest size is encoded");
    assert_eq!(app.state.images.encodes_started() - before, 2);
    let (key, newest) = wanted_picture(&app.state).expect("a picture");
    assert_eq!(sizes.last(), Some(&newest));
    let stale: Vec<_> = sizes
        .iter()
        .filter(|size| ![newest, shown].contains(size) && app.state.images.encoded(&key, **size).is_some())
        .collect();
    assert!(stale.is_empty(), "superseded sizes were kept: {stale:?}");
}

#[tokio::test]
async fn program_toggle_asks_then_applies() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Programs, "Weekend away");
    press(&mut app, KeyCode::Char(' '));
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Confirm(c)) if c.question.contains("Enable program Weekend away"))
    );
    press(&mut app, KeyCode::Enter);
    let done = app
        .pump_until(WAIT, |s| {
            idle(s)
                && s.data.programs.iter().any(|p| p.program.name == "Weekend away" && p.program.is_enabled())
        })
        .await;
    assert!(done);
    assert!(toast_with(&app.state, Level::Success, "Weekend away enabled"));
}

#[tokio::test]
async fn delete_asks_then_removes_the_event() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let id = app.state.selected_event().expect("event").id;
    keys(&mut app, "x");
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Confirm(c)) if c.question.contains("cannot be undone"))
    );
    keys(&mut app, "y");
    let done = app.pump_until(WAIT, |s| idle(s) && s.data.events.iter().all(|e| e.id != id)).await;
    assert!(done);
    assert!(h.sim.with_world(|w| w.media.iter().any(|m| m.id == id && m.deleted)));
}

#[tokio::test]
async fn read_only_refuses_every_change_and_says_so() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { read_only: true, ..options() }).await;
    // Reading the USB stick's list (a manifest request) changes nothing, and may come any time.
    let changes = || h.count("POST", "*") - h.count("POST", "*/local_storage/manifest/request");
    let before = changes();
    select(&mut app, Pane::Networks, "Cabin");
    keys(&mut app, "ad");
    select(&mut app, Pane::Cameras, "Driveway");
    keys(&mut app, "msc");
    select(&mut app, Pane::Events, "");
    keys(&mut app, "x");
    assert!(app.state.view.overlay.is_none() && app.state.runs.is_empty());
    assert!(toast_with(&app.state, Level::Warning, "Read-only mode"));
    app.pump_until(Duration::from_millis(300), |_| false).await;
    assert_eq!(changes(), before, "nothing was sent");
}

#[tokio::test]
async fn an_ended_session_returns_to_the_login_screen() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    h.sim.with_oauth(|o| o.revoke_all());
    keys(&mut app, "r");
    let back = app.pump_until(WAIT, |s| matches!(s.screen, Screen::Login(_))).await;
    assert!(back);
    let Screen::Login(login) = &app.state.screen else { unreachable!() };
    assert_eq!(login.email, demo::DEMO_EMAIL, "the e-mail is kept");
    assert!(login.notice.as_deref().is_some_and(|n| n.contains("session ended")));
    assert!(!app.state.animating(), "nothing is left waiting");
}

#[tokio::test]
async fn a_session_that_cannot_be_saved_is_said_loudly_and_again_when_it_is() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    // A directory where the session's temporary file goes: every save fails.
    std::fs::create_dir(h.store.temp_path()).expect("a directory in the way");
    h.sim.with_oauth(|o| o.expire_access_tokens());
    keys(&mut app, "r");
    let said = app.pump_until(WAIT, |s| toast_with(s, Level::Error, "session could not be saved")).await;
    assert!(said, "{:?}", app.state.toasts.log().map(|t| &t.text).collect::<Vec<_>>());
    assert!(toast_with(&app.state, Level::Error, "next start needs a login"));

    std::fs::remove_dir(h.store.temp_path()).expect("out of the way");
    assert!(app.pump_until(WAIT, idle).await);
    keys(&mut app, "r");
    assert!(app.pump_until(WAIT, |s| toast_with(s, Level::Info, "session is saved again")).await);
}

#[tokio::test]
async fn network_trouble_shows_a_message_and_keys_keep_working() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    h.sim.faults().inject(None, "/api/v3/accounts/*/homescreen", Fault::Status(503), None);
    keys(&mut app, "r");
    assert!(app.pump_until(WAIT, |s| s.remote.connection_problem.is_some()).await);
    keys(&mut app, "j");
    assert_eq!(app.state.selected_network().map(|n| n.name.as_str()), Some("Cabin"), "keys still work");
    assert_eq!(app.state.data.networks.len(), 2, "the last good data stays on screen");
    h.sim.faults().clear();
    keys(&mut app, "r");
    assert!(
        app.pump_until(WAIT, |s| s.remote.connection_problem.is_none() && idle(s)).await,
        "recovers on the next refresh"
    );
}

#[tokio::test]
async fn keys_keep_working_while_a_request_hangs() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { pictures: false, colours: Colours::Mono, ..options() }).await;
    let third = app.state.list(Pane::Cameras).visible[2];
    let camera = app.state.data.cameras[third].name.clone();
    // The loop's first refresh hangs on the home screen until the client gives up on it.
    h.sim.faults().inject(
        None,
        "/api/v3/accounts/*/homescreen",
        Fault::Latency(Duration::from_secs(60)),
        Some(1),
    );
    let (result, _) = looped::run(&mut app, (120, 36), |driver| async move {
        driver.type_keys("2jj");
        // The selection is drawn on the third camera while the refresh still runs.
        let moved = driver
            .drawn(WAIT, |s| s.drawn_with(&camera, Modifier::REVERSED) && s.screen().contains("refreshing"))
            .await;
        assert!(moved, "{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
    assert_eq!(app.state.view.focus, Pane::Cameras);
    assert_eq!(app.state.list(Pane::Cameras).selected, 2);
}

#[tokio::test]
async fn new_events_are_highlighted_after_a_refresh() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { bell: true, ..options() }).await;
    let id = h.sim.with_world(|w| w.add_media(400102, jiff::Timestamp::now(), "pir")).expect("event");
    app.state.remote.next_refresh = Some(jiff::Timestamp::now());
    app.dispatch(Action::Wake);
    assert!(app.pump_until(WAIT, |s| s.data.new_events.contains(&id)).await);
    assert_eq!(app.state.data.events[0].id, id, "newest first");
    assert!(toast_with(&app.state, Level::Info, "1 new motion event"));
}

#[tokio::test]
async fn o_plays_the_clip_inside_and_space_freezes_it() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let event = app.state.selected_event().map(|e| e.id);
    keys(&mut app, "o");
    let frame = |s: &AppState| s.player.as_ref().and_then(|p| p.frame.as_ref()).map(|f| f.seq).unwrap_or(0);
    assert!(app.pump_until(WAIT, |s| frame(s) >= 5).await, "frames keep coming: {:?}", app.state.player);
    assert_eq!(app.state.player.as_ref().and_then(|p| p.event()), event);
    assert_eq!(app.state.player.as_ref().and_then(|p| p.info.as_ref()).map(|i| i.decoder), Some("OpenH264"));
    keys(&mut app, " ");
    assert!(app.pump_until(WAIT, |s| s.player.as_ref().is_some_and(|p| p.phase == PlayPhase::Paused)).await);
    let frozen = frame(&app.state);
    app.pump_until(Duration::from_millis(400), |_| false).await;
    assert_eq!(frame(&app.state), frozen, "paused: no new frames");
    keys(&mut app, ".");
    assert!(app.pump_until(WAIT, |s| frame(s) > frozen).await, "one frame forward");
    press(&mut app, KeyCode::Esc);
    assert!(app.state.player.is_none() && app.state.view.details.is_some());
    let played = app.state.data.events.iter().find(|e| Some(e.id) == event).expect("the event");
    let cached = blinktui::files::clip_path(&h.dir.path().join("clips"), played);
    assert!(cached.exists(), "the clip is cached for the next time");
}

fn frame_seq(state: &AppState) -> u64 {
    state.player.as_ref().and_then(|p| p.frame.as_ref()).map_or(0, |f| f.seq)
}

fn playing_event(state: &AppState) -> Option<u64> {
    state.player.as_ref().filter(|p| p.frame.is_some()).and_then(|p| p.event())
}

fn clip_of(state: &AppState, id: u64) -> String {
    let event = state.data.events.iter().find(|e| e.id == id).expect("event");
    event.media.clone().expect("a clip")
}

fn shown_events(state: &AppState) -> Vec<u64> {
    state.list(Pane::Events).visible.iter().map(|i| state.data.events[*i].id).collect()
}

#[tokio::test]
async fn at_a_clips_end_the_next_event_of_the_filtered_list_plays_and_is_marked_watched() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    keys(&mut app, "4/net:cabin");
    press(&mut app, KeyCode::Enter);
    let list = shown_events(&app.state);
    assert!(list.len() >= 2 && list.len() < app.state.data.events.len(), "filtered: {list:?}");
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[0])).await, "{:?}", app.state.player);
    // The demo's clips last 6 to 8 s: the first ends and the next plays without a key.
    let next = app.pump_until(WAIT * 2, |s| playing_event(s) == Some(list[1]) && frame_seq(s) >= 3).await;
    assert!(next, "the next event plays: {:?}", app.state.player);
    assert_eq!(app.state.selected_event().map(|e| e.id), Some(list[1]), "the selection follows");
    assert!(
        matches!(app.state.view.details, Some(Details::Event { id }) if id == list[1]),
        "the details follow"
    );
    let watched =
        |s: &AppState| list[..2].iter().all(|id| s.data.events.iter().any(|e| e.id == *id && e.watched));
    assert!(app.pump_until(WAIT, watched).await, "each is marked watched as it plays");
    assert!(h.sim.with_world(|w| w.media.iter().filter(|m| list[..2].contains(&m.id)).all(|m| m.watched)));
}

#[tokio::test]
async fn j_and_k_while_a_clip_plays_go_to_the_next_and_previous_event_and_play_it() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let list = shown_events(&app.state);
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[0]) && frame_seq(s) >= 2).await);
    keys(&mut app, "j");
    let next = app.pump_until(WAIT, |s| playing_event(s) == Some(list[1]) && frame_seq(s) >= 2).await;
    assert!(next, "j plays the next event: {:?}", app.state.player);
    assert_eq!(app.state.selected_event().map(|e| e.id), Some(list[1]));
    keys(&mut app, "k");
    let back = app.pump_until(WAIT, |s| playing_event(s) == Some(list[0]) && frame_seq(s) >= 2).await;
    assert!(back, "k plays the previous one: {:?}", app.state.player);
    press(&mut app, KeyCode::Esc);
    assert!(app.state.player.is_none(), "Esc stops");
}

#[tokio::test]
async fn at_four_times_the_speed_a_clip_ends_sooner_and_the_next_plays_at_that_speed() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let list = shown_events(&app.state);
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[0])).await);
    keys(&mut app, "]]");
    let progress = |s: &AppState| s.player.as_ref().map(|p| p.progress()).unwrap_or_default();
    assert!(progress(&app.state).starts_with("▶ 4x "), "{}", progress(&app.state));
    let length = app.state.player.as_ref().and_then(|p| p.info.as_ref()).map(|i| i.duration).expect("open");
    let started = std::time::Instant::now();
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[1])).await, "{:?}", app.state.player);
    let took = started.elapsed();
    assert!(took < length / 2, "a clip of {length:?} over in {took:?}");
    assert!(
        progress(&app.state).starts_with("▶ 4x "),
        "the next at the same speed: {}",
        progress(&app.state)
    );
    let dropped = app.state.player.as_ref().map(|p| p.stats.dropped);
    keys(&mut app, "[[[");
    assert!(progress(&app.state).starts_with("▶ 0.5x "), "{}", progress(&app.state));
    assert!(dropped.is_some());
}

#[tokio::test]
async fn the_next_clip_downloads_while_one_plays_and_is_not_downloaded_again() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let list = shown_events(&app.state);
    let clips: Vec<String> = list[..3].iter().map(|id| clip_of(&app.state, *id)).collect();
    let (next_clip, after) = (&clips[1], &clips[2]);
    keys(&mut app, "o");
    let ahead =
        app.pump_until(WAIT, |s| playing_event(s) == Some(list[0]) && h.count("GET", next_clip) == 1).await;
    assert!(ahead, "the next clip is fetched while the first plays");
    keys(&mut app, "j");
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[1])).await);
    assert_eq!(h.count("GET", next_clip), 1, "it plays from the download made ahead");
    assert!(app.pump_until(WAIT, |_| h.count("GET", after) == 1).await, "and the one after it is on its way");
}

#[tokio::test]
async fn a_review_skips_clips_it_cannot_fetch_and_stops_at_the_third_in_a_row() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Events, "");
    let list = shown_events(&app.state);
    for id in &list[1..=3] {
        h.sim.faults().inject(Some("GET"), &clip_of(&app.state, *id), Fault::Status(404), None);
    }
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| playing_event(s) == Some(list[0])).await);
    keys(&mut app, "]]");
    let stopped = |s: &AppState| {
        s.player
            .as_ref()
            .is_some_and(|p| p.event() == Some(list[3]) && matches!(p.phase, PlayPhase::Failed(_)))
    };
    assert!(app.pump_until(WAIT, stopped).await, "{:?}", app.state.player.as_ref().map(|p| &p.phase));
    for id in &list[1..=2] {
        let name = &app.state.data.events.iter().find(|e| e.id == *id).expect("event").device_name;
        let skipped = app.state.toasts.log().any(|t| {
            t.level == Level::Warning
                && t.text.starts_with(&format!("{name} "))
                && t.text
                    .ends_with(": clip could not be fetched (not found: Simulated failure); playing the next")
        });
        assert!(skipped, "{name}: {:?}", app.state.toasts.log().map(|t| &t.text).collect::<Vec<_>>());
    }
    assert!(toast_with(
        &app.state,
        Level::Warning,
        "3 clips in a row could not be fetched: the review stops"
    ));
    assert_eq!(app.state.selected_event().map(|e| e.id), Some(list[3]), "the review stopped on it");
}

#[tokio::test]
async fn a_clip_that_is_not_a_video_says_so_in_the_player() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let page =
        Fault::Respond { status: 200, content_type: "text/html".into(), body: "<html>Sign in</html>".into() };
    h.sim.faults().inject(Some("GET"), "*.mp4", page, None);
    select(&mut app, Pane::Events, "");
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| toast_with(s, Level::Error, "Cannot play the clip")).await);
    assert!(
        matches!(app.state.player.as_ref().map(|p| &p.phase), Some(PlayPhase::Failed(reason)) if reason.contains("MP4"))
    );
}

#[tokio::test]
async fn o_upper_case_hands_the_clip_to_the_external_player() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { player: Some("true".into()), ..options() }).await;
    select(&mut app, Pane::Events, "");
    keys(&mut app, "O");
    let handed = app.pump_until(WAIT, |s| toast_with(s, Level::Info, "Downloading")).await;
    assert!(handed);
    let mut played = None;
    for _ in 0..50 {
        app.pump_until(Duration::from_millis(100), |_| false).await;
        if let Some(Foreground::Play(path)) = app.take_foreground().into_iter().next() {
            played = Some(path);
            break;
        }
    }
    let path = played.expect("the player was asked for");
    assert!(path.starts_with(h.dir.path().join("clips")) && path.exists());
}

#[tokio::test]
async fn camera_details_load_config_and_signals() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Cameras, "Front Door");
    press(&mut app, KeyCode::Enter);
    let loaded = app
        .pump_until(WAIT, |s| {
            matches!(
                &s.view.details,
                Some(blinktui::app::Details::Camera { read: CameraDetails::Loaded(_), .. })
            )
        })
        .await;
    assert!(loaded);
    let details = match &app.state.view.details {
        Some(blinktui::app::Details::Camera { read: CameraDetails::Loaded(read), .. }) => {
            Some(read.signals.clone())
        }
        _ => None,
    };
    assert!(details.and_then(|s| s.wifi).is_some(), "the doorbell's signals come from its config");
    // A doorbell carries its signals in its config: one read, not two.
    assert_eq!(h.count("GET", "/api/v1/accounts/*/networks/*/doorbells/*/config"), 1);
    press(&mut app, KeyCode::Esc);
    assert!(app.state.view.details.is_none());
    assert_eq!(app.state.selected_camera().map(|c| c.kind), Some(DeviceKind::Doorbell));
}

/// Minis and doorbells carry their signals in their config: each opening of their details
/// reads the config once and no signals endpoint, and the signals read show in the details.
#[tokio::test]
async fn opening_details_twice_reads_a_config_once_per_opening() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    for (name, config) in [
        ("Living Room", "/api/v1/accounts/*/networks/*/owls/*/config"),
        ("Front Door", "/api/v1/accounts/*/networks/*/doorbells/*/config"),
    ] {
        select(&mut app, Pane::Cameras, name);
        for opening in 1..=2 {
            press(&mut app, KeyCode::Enter);
            let loaded = |s: &AppState| {
                matches!(&s.view.details, Some(Details::Camera { read: CameraDetails::Loaded(_), .. }))
            };
            assert!(app.pump_until(WAIT, loaded).await, "{name} details, opening {opening}");
            assert_eq!(h.count("GET", config), opening, "{name}: one config read per opening");
            press(&mut app, KeyCode::Esc);
        }
        let camera = app.state.selected_camera().expect("camera");
        assert!(camera.wifi_bars.is_some(), "{name}: the Wi-Fi read with its config is shown");
    }
    assert_eq!(h.count("GET", "/network/*/camera/*/signals"), 0, "no signals endpoint for them");
}

async fn log_in_through_the_screen(two_factor: bool) {
    let config =
        SimConfig { two_factor: two_factor.then_some(TwoFactorStyle::Accepted202), ..quiet_config() };
    let h = start(config).await;
    let mut app = build(&h, None, options(), Screen::Login(LoginState::new(None, None)));
    app.start();
    keys(&mut app, demo::DEMO_EMAIL);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "wrong");
    press(&mut app, KeyCode::Enter);
    let refused =
        app.pump_until(WAIT, |s| matches!(&s.screen, Screen::Login(l) if l.error.is_some() && !l.busy)).await;
    assert!(refused, "a wrong password is reported in place");
    keys(&mut app, demo::DEMO_PASSWORD);
    press(&mut app, KeyCode::Enter);
    if two_factor {
        let asked = app.pump_until(WAIT, |s| matches!(&s.screen, Screen::Login(l) if !l.busy && l.field == blinktui::app::login::LoginField::Code)).await;
        assert!(asked, "the code step follows");
        keys(&mut app, demo::DEMO_2FA_CODE);
        press(&mut app, KeyCode::Enter);
    }
    let main = app.pump_until(WAIT, |s| matches!(s.screen, Screen::Main) && s.data.home_loaded).await;
    assert!(main, "logged in and loaded");
    assert!(h.store.load().expect("load").is_some(), "the session is saved for next time");
}

#[tokio::test]
async fn login_screen_without_second_factor() {
    log_in_through_the_screen(false).await;
}

#[tokio::test]
async fn login_screen_with_a_code() {
    log_in_through_the_screen(true).await;
}

#[tokio::test]
async fn events_deleted_elsewhere_disappear_at_the_next_refresh() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let id = app.state.data.events[0].id;
    h.sim.with_world(|w| {
        let event = w.media.iter_mut().find(|m| m.id == id).expect("event");
        event.deleted = true;
        event.updated_at = Some(jiff::Timestamp::now().into());
    });
    keys(&mut app, "r");
    assert!(app.pump_until(WAIT, |s| idle(s) && s.data.events.iter().all(|e| e.id != id)).await);
}

#[tokio::test]
async fn without_a_session_the_app_goes_to_the_login_screen() {
    let h = start(quiet_config()).await;
    let mut app = build(&h, None, options(), Screen::Main);
    app.start();
    assert!(app.pump_until(WAIT, |s| matches!(s.screen, Screen::Login(_))).await);
    assert!(!app.state.animating());
}

#[tokio::test]
async fn two_commands_on_one_network_run_one_after_the_other_without_a_busy_error() {
    let h = start(SimConfig { command_delay: Duration::from_millis(400), ..quiet_config() }).await;
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Cameras, "Driveway");
    keys(&mut app, "m");
    keys(&mut app, "j");
    keys(&mut app, "m");
    assert!(app.state.runs.iter().any(|r| app.state.run_status(r) == "waiting for Home"));
    assert!(app.pump_until(WAIT, idle).await);
    let motion_off = |id: u64| h.sim.with_world(|w| !w.device(id).expect("camera").device.enabled);
    assert!(motion_off(400102) && motion_off(400103), "both applied");
    let refused = h.sim.faults().requests().iter().filter(|r| r.status == 409).count();
    assert_eq!(refused, 0, "the second was never sent while the first ran");
    assert!(!toast_with(&app.state, Level::Error, "failed"));
}

#[tokio::test]
async fn opening_an_unwatched_event_marks_it_watched_on_blink() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    keys(&mut app, "4");
    let unwatched = app.state.data.events.iter().position(|e| !e.watched).expect("an unwatched event");
    let id = app.state.data.events[unwatched].id;
    app.state.list_mut(Pane::Events).selected = unwatched;
    press(&mut app, KeyCode::Enter);
    assert!(app.pump_until(WAIT, |s| s.data.events.iter().any(|e| e.id == id && e.watched)).await);
    assert!(h.sim.with_world(|w| w.media.iter().any(|m| m.id == id && m.watched)), "Blink knows");
    assert_eq!(h.count("POST", "/api/v4/accounts/*/media/mark_as_viewed"), 1);
}

#[tokio::test]
async fn older_events_load_when_the_list_reaches_its_end() {
    let h = start(SimConfig { page_size: 10, ..quiet_config() }).await;
    let mut app = running_app(&h, options()).await;
    // The USB stick's clips join the list when they come: only cloud events are paged.
    let cloud = |s: &AppState| s.data.events.iter().filter(|e| s.data.usb_clip(e.id).is_none()).count();
    assert_eq!(cloud(&app.state), 10, "the first load reads one page");
    assert_eq!(h.count("GET", "/api/v1/accounts/*/media/changed"), 1);
    keys(&mut app, "4G");
    assert!(app.pump_until(WAIT, |s| cloud(s) == 20).await);
    keys(&mut app, "G");
    assert!(app.pump_until(WAIT, |s| cloud(s) > 20).await);
    assert!(app.state.data.new_events.is_empty(), "older events are not reported as new");
}

/// A JPEG of a few hundred bytes whose header declares `width` x `height` pixels.
fn jpeg_bomb(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(16, 16))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    let mut jpeg = jpeg.into_inner();
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

#[tokio::test]
async fn a_picture_bomb_is_refused_before_decoding_and_the_app_carries_on() {
    let h = start(quiet_config()).await;
    let bomb =
        Fault::Respond { status: 200, content_type: "image/jpeg".into(), body: jpeg_bomb(13_000, 13_000) };
    h.sim.faults().inject(Some("GET"), "*.jpg", bomb, None);
    let mut app = running_app(&h, options()).await;
    select(&mut app, Pane::Cameras, "Driveway");
    let key = wanted_picture(&app.state).expect("a picture is wanted").0;
    let refused = |s: &AppState| matches!(s.images.slot(&key), Some(ImageSlot::Failed(reason)) if reason.contains("13000x13000"));
    assert!(app.pump_until(WAIT, refused).await, "{:?}", app.state.images.slot(&key));
    assert!(app.state.images.decoded_bytes() < 1 << 20, "nothing large was kept");
    keys(&mut app, "j");
    assert!(app.state.selected_camera().is_some(), "keys keep working");
}

#[tokio::test]
async fn an_endless_clip_stops_at_the_clip_limit_and_the_player_says_so() {
    let mut h = start(quiet_config()).await;
    h.options.limits.clip = 1 << 20;
    let mut app = running_app(&h, options()).await;
    h.sim.faults().inject(Some("GET"), "*.mp4", Fault::EndlessBody { start: Fault::mp4_start() }, None);
    select(&mut app, Pane::Events, "");
    keys(&mut app, "o");
    assert!(app.pump_until(WAIT, |s| toast_with(s, Level::Error, "Cannot play the clip")).await);
    assert!(
        matches!(app.state.player.as_ref().map(|p| &p.phase), Some(PlayPhase::Failed(reason)) if reason.contains("max_clip_mb")),
        "{:?}",
        app.state.player.as_ref().map(|p| &p.phase)
    );
    // The next event's clip, fetched ahead, meets the same limit and is removed the same way.
    let clips = h.dir.path().join("clips");
    let left = || std::fs::read_dir(&clips).map(|d| d.count()).unwrap_or(0);
    assert!(app.pump_until(WAIT, |_| left() == 0).await, "no clip and no part file in the cache: {}", left());
    assert!(h.sim.faults().streamed_bytes() < 33 << 20);
}

#[tokio::test]
async fn a_lost_answer_is_settled_from_blinks_state_before_anything_is_said() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let arm = "/api/v1/accounts/*/networks/*/state/arm";
    h.sim.faults().inject(Some("POST"), arm, Fault::AnswerLost, Some(1));
    select(&mut app, Pane::Networks, "Cabin");
    keys(&mut app, "a");
    assert!(app.pump_until(WAIT, |s| idle(s) && toast_with(s, Level::Success, "Cabin armed")).await);
    assert!(!toast_with(&app.state, Level::Error, "failed"), "applied, so not a failure");

    // Dropped before Blink handled it: the disarm was not made, and the screen says it may not be.
    let disarm = "/api/v1/accounts/*/networks/*/state/disarm";
    h.sim.faults().inject(Some("POST"), disarm, Fault::DropConnection, Some(1));
    keys(&mut app, "d");
    keys(&mut app, "y");
    let warned = app
        .pump_until(WAIT, |s| {
            idle(s) && toast_with(s, Level::Warning, "Disarm Cabin may not have been applied")
        })
        .await;
    assert!(warned, "{:?}", app.state.toasts.log().map(|t| t.text.clone()).collect::<Vec<_>>());
    assert_eq!(h.count("POST", disarm), 1, "never sent twice");
    assert!(sim_armed(&h, CABIN_NETWORK));
}

/// The demo account reshaped to `networks` sites: Home alone, or Home with copies of Cabin.
fn fleet(h: &Harness, networks: u64) {
    h.sim.with_world(|world| {
        let cabin = world.network(CABIN_NETWORK).expect("cabin").clone();
        world.networks.retain(|n| n.network.id == HOME_NETWORK);
        world.devices.retain(|d| d.device.network_id == HOME_NETWORK);
        for copy in 1..networks {
            let mut site = cabin.clone();
            site.network.id = 210_000 + copy;
            site.network.name = format!("Site {copy}");
            for program in &mut site.programs {
                program.network_id = site.network.id;
                program.id += copy * 1000;
            }
            world.networks.push(site);
        }
    });
}

/// Requests the simulator saw from the app since `from` (an index into its log).
fn requests_since(h: &Harness, from: usize) -> Vec<String> {
    h.sim.faults().requests()[from..].iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test]
async fn a_refresh_costs_two_requests_at_any_fleet_size() {
    for networks in [1, 10] {
        let h = start(quiet_config()).await;
        fleet(&h, networks);
        let mut app = running_app(&h, options()).await;
        assert_eq!(app.state.data.networks.len() as u64, networks);
        // Home's USB stick is read after the first homescreen, then only every 5 minutes; older
        // cloud pages are read until they reach its clips.
        assert!(app.pump_until(WAIT, |s| s.data.usb.loaded && s.data.usb.held.is_empty() && idle(s)).await);
        // The periodic refresh, as the loop's timer starts it.
        let from = h.sim.faults().requests().len();
        app.state.remote.next_refresh = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1));
        app.dispatch(Action::Wake);
        assert!(
            app.pump_until(WAIT, |s| idle(s) && s.remote.next_refresh > Some(jiff::Timestamp::now())).await
        );
        let seen = requests_since(&h, from);
        assert_eq!(seen.len(), 2, "{networks} networks: {seen:?}");
        assert!(
            seen.iter().any(|r| r.ends_with("/homescreen"))
                && seen.iter().any(|r| r.contains("/media/changed"))
        );

        // Programs ten minutes old are read again with it, one request per network.
        let from = h.sim.faults().requests().len();
        app.state.data.programs_read_at = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(11));
        app.state.remote.next_refresh = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1));
        app.dispatch(Action::Wake);
        assert!(
            app.pump_until(WAIT, |s| idle(s) && s.remote.next_refresh > Some(jiff::Timestamp::now())).await
        );
        let programs = requests_since(&h, from).iter().filter(|r| r.ends_with("/programs")).count();
        assert_eq!(programs as u64, networks);
    }
}

#[tokio::test]
async fn focusing_programs_reads_them_again_once_they_are_a_minute_old() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, options()).await;
    let programs = "/api/v1/networks/*/programs";
    let before = h.count("GET", programs);
    keys(&mut app, "3");
    keys(&mut app, "1");
    assert_eq!(h.count("GET", programs), before, "just read: not again");

    // Someone changed a schedule in the app a while ago.
    h.sim.with_world(|w| w.network_mut(HOME_NETWORK).expect("home").programs[1].status = "enabled".into());
    app.state.data.programs_read_at = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(2));
    keys(&mut app, "3");
    let shown = app
        .pump_until(WAIT, |s| {
            idle(s)
                && s.data
                    .programs
                    .iter()
                    .any(|p| p.program.name == "Weekend away" && p.program.status == "enabled")
        })
        .await;
    assert!(shown, "the changed schedule shows");
    assert_eq!(h.count("GET", programs), before + 2, "one read per network");
}

/// Each event's day in the user's zone, in the events pane's order.
fn event_days(state: &AppState) -> Vec<jiff::civil::Date> {
    let events = &state.data.events;
    state
        .list(Pane::Events)
        .visible
        .iter()
        .map(|i| day_of(events[*i].created_at.at, &state.session.zone))
        .collect()
}

#[tokio::test]
async fn j_and_k_step_over_day_lines_from_event_to_event() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, UiOptions { mouse: true, ..options() }).await;
    select(&mut app, Pane::Events, "first");
    let days = event_days(&app.state);
    let boundary = days.windows(2).position(|w| w[0] != w[1]).expect("events on two days") + 1;
    let last = (boundary + 3).min(days.len() - 1);
    let rows = pane_rows(app.state.layout().expect("layout").panes[Pane::Events as usize]);
    let today = day_of(jiff::Timestamp::now(), &app.state.session.zone);
    for step in 1..=last {
        press(&mut app, KeyCode::Char('j'));
        assert_eq!(app.state.list(Pane::Events).selected, step, "one event further, no stop on a day line");
        let lines =
            event_lines(app.state.list(Pane::Events), &app.state.data.events, &app.state.session.zone, rows);
        assert!(lines.contains(&EventLine::Event(step)), "the selected event is on screen: {lines:?}");
        if step == boundary {
            let at = lines.iter().position(|l| *l == EventLine::Event(step)).expect("on screen");
            assert_eq!(lines[at - 1], EventLine::Day(days[boundary]), "a day line heads the new day");
            let label = day_label(days[boundary], today);
            assert!(screen(&app.state).contains(&label), "{label} on screen");
        }
    }
    for step in (0..last).rev() {
        press(&mut app, KeyCode::Char('k'));
        assert_eq!(app.state.list(Pane::Events).selected, step);
    }
    // A click on a day line selects the first event under it.
    let rect = app.state.layout().expect("layout").panes[Pane::Events as usize];
    let lines =
        event_lines(app.state.list(Pane::Events), &app.state.data.events, &app.state.session.zone, rows);
    let day_line = lines.iter().rposition(|l| matches!(l, EventLine::Day(_))).expect("a day line");
    let EventLine::Event(under) = lines[day_line + 1] else { panic!("an event under the day line") };
    let row = rect.y + 2 + u16::try_from(day_line).expect("row");
    app.dispatch(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rect.x + 5,
        row,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.state.list(Pane::Events).selected, under);
}
