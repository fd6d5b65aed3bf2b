//! Snooze and camera settings, round trips against the simulator: the client per device
//! family, the CLI as a process, and the app driven by keys through its real loop.

mod common;

use blinktui::api::settings::{self, Setting, SettingChange, SettingValue};
use blinktui::api::snooze::SnoozeTarget;
use blinktui::api::{ApiError, BlinkClient, DeviceConfig, DeviceKind, DeviceRef, Started};
use blinktui::app::camera_details::CameraDetails;
use blinktui::app::choose::Menu;
use blinktui::app::toasts::Level;
use blinktui::app::{AppState, Details, Overlay, Pane, UiOptions};
use blinktui::sim::demo::HOME_NETWORK;
use blinktui::tui::runner::App;
use common::cli::{Cli, assert_exit, stderr, stdout};
use common::drive::{WAIT, keys, press, running_app_until, screen, select, toast_with};
use common::{Harness, quiet_config, start};
use crossterm::event::KeyCode;
use jiff::Timestamp;

const FRONT_DOOR: u64 = 400101; // doorbell
const DRIVEWAY: u64 = 400102; // catalina
const LIVING_ROOM: u64 = 400104; // Mini

async fn device(client: &BlinkClient, id: u64) -> DeviceRef {
    let home = client.homescreen().await.expect("homescreen");
    let (kind, device) = home.device(id).expect("demo device");
    DeviceRef::new(kind, device)
}

async fn finish(client: &BlinkClient, started: Started) {
    if let Started::Command(command) = started {
        client.wait_for_command(command, |_| {}).await.expect("command done");
    }
}

fn sim_snoozed_minutes(h: &Harness, target: &SnoozeTarget) -> Option<i64> {
    let until = h.sim.with_world(|w| match target {
        SnoozeTarget::Network(id) => w.network(*id).and_then(|n| n.snoozed_until),
        SnoozeTarget::Device(d) => w.device(d.id).and_then(|d| d.snoozed_until),
    })?;
    Some((until - Timestamp::now()).as_secs().div_euclid(60) + 1)
}

#[tokio::test]
async fn snooze_and_unsnooze_round_trip_for_every_target() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let targets = [
        SnoozeTarget::Network(HOME_NETWORK),
        SnoozeTarget::Device(device(&client, DRIVEWAY).await),
        SnoozeTarget::Device(device(&client, LIVING_ROOM).await),
        SnoozeTarget::Device(device(&client, FRONT_DOOR).await),
    ];
    for target in &targets {
        finish(&client, client.snooze(target, 30).await.expect("snooze")).await;
        assert_eq!(sim_snoozed_minutes(&h, target), Some(30), "{target:?}");
        let home = client.homescreen().await.expect("homescreen");
        let (snooze, remaining) = match target {
            SnoozeTarget::Network(id) => {
                let network = home.networks.iter().find(|n| n.id == *id).expect("network");
                (network.snooze, network.snooze_time_remaining)
            }
            SnoozeTarget::Device(d) => {
                let device = home.device(d.id).expect("device").1;
                (device.snooze, device.snooze_time_remaining)
            }
        };
        assert_eq!(snooze, Some(true), "{target:?}");
        assert!(remaining.is_some_and(|secs| (1700..=1800).contains(&secs)), "{target:?}: {remaining:?}");
    }
    for target in &targets {
        finish(&client, client.unsnooze(target).await.expect("unsnooze")).await;
        assert_eq!(sim_snoozed_minutes(&h, target), None, "{target:?}");
    }
    let home = client.homescreen().await.expect("homescreen");
    assert!(home.devices().all(|(_, d)| d.snooze == Some(false) && d.snooze_time_remaining.is_none()));
    // Each at its family's path (`*` also matches `/`, so the paths are spelled out).
    let path = |tail: &str| format!("/api/v1/accounts/*/networks/{HOME_NETWORK}/{tail}");
    assert_eq!(h.count("POST", &path("snooze")), 1);
    assert_eq!(h.count("POST", &path(&format!("cameras/{DRIVEWAY}/snooze"))), 1);
    assert_eq!(h.count("POST", &path(&format!("owls/{LIVING_ROOM}/unsnooze"))), 1);
    assert_eq!(h.count("POST", &path(&format!("doorbells/{FRONT_DOOR}/snooze"))), 1);
}

#[tokio::test]
async fn the_simulator_refuses_a_snooze_without_a_time() {
    let h = start(quiet_config()).await;
    let session = h.sign_in().await;
    for body in ["{}", r#"{"snooze_time": 0}"#, r#"{"snooze_time": "soon"}"#, "not json"] {
        let response = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/accounts/{}/networks/{HOME_NETWORK}/snooze",
                h.sim.url(),
                session.account_id
            ))
            .bearer_auth(session.access_token.expose())
            .body(body)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 400, "{body}");
    }
    assert_eq!(sim_snoozed_minutes(&h, &SnoozeTarget::Network(HOME_NETWORK)), None);
}

fn value_of(config: &DeviceConfig, setting: Setting) -> Option<SettingValue> {
    settings::current(config)?.into_iter().find(|(s, _)| *s == setting)?.1
}

#[tokio::test]
async fn every_setting_round_trips_on_cameras_and_minis() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    for id in [DRIVEWAY, LIVING_ROOM] {
        let device = device(&client, id).await;
        for setting in Setting::ALL {
            let before = value_of(&client.device_config(&device).await.expect("config"), setting);
            let value =
                setting.choices().into_iter().rev().find(|v| Some(v) != before.as_ref()).expect("another");
            let change = SettingChange { setting, value: value.clone() };
            finish(&client, client.change_setting(&device, &change).await.expect("sent")).await;
            let after = client.device_config(&device).await.expect("config again");
            assert_eq!(value_of(&after, setting), Some(value), "{:?} {setting:?}", device.kind);
        }
    }
    // Regular cameras get numbers for night vision, Minis words, each at their own path.
    assert_eq!(h.count("POST", "/network/*/camera/*/update"), 5);
    assert_eq!(h.count("POST", "/api/v1/accounts/*/networks/*/owls/*/config"), 5);
}

#[tokio::test]
async fn doorbells_offer_no_settings_and_nothing_is_sent() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let doorbell = device(&client, FRONT_DOOR).await;
    assert_eq!(doorbell.kind, DeviceKind::Doorbell);
    assert!(settings::current(&client.device_config(&doorbell).await.expect("config")).is_none());
    let change = SettingChange { setting: Setting::NightVision, value: SettingValue::Word("on".into()) };
    assert!(matches!(client.change_setting(&doorbell, &change).await, Err(ApiError::NotFound(_))));
    assert_eq!(h.count("POST", "/api/v1/accounts/*/networks/*/doorbells/*/config"), 0);
}

#[tokio::test]
async fn cli_snooze_and_unsnooze_a_network_and_a_camera() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["snooze", "home", "1h"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Home snoozed for 1 hour");
    assert_eq!(sim_snoozed_minutes(&cli.h, &SnoozeTarget::Network(HOME_NETWORK)), Some(60));

    let output = cli.run(&["snooze", "drive", "30m"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Driveway snoozed for 30 minutes");
    let status = cli.run(&["status", "--json"]).await;
    let status: serde_json::Value = serde_json::from_str(&stdout(&status)).expect("json");
    let driveway =
        status["cameras"].as_array().expect("cameras").iter().find(|c| c["id"] == DRIVEWAY).cloned();
    assert_eq!(driveway.expect("driveway")["snoozed"], "30m");

    let output = cli.run(&["unsnooze", &DRIVEWAY.to_string()]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Driveway is no longer snoozed");
    assert!(cli.world(|w| w.device(DRIVEWAY).expect("driveway").snoozed_until.is_none()));

    let output = cli.run(&["snooze", "home", "forever"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Home snoozed until unsnoozed");
}

#[tokio::test]
async fn cli_snooze_refusals_send_nothing() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.world(|w| w.device_mut(DRIVEWAY).expect("driveway").device.name = "Home".into());
    for (args, says) in [
        (&["--read-only", "snooze", "Cabin", "1h"][..], "read-only"),
        (&["--read-only", "unsnooze", "Cabin"], "read-only"),
        (&["snooze", "Cabin", "0m"], "duration"),
        (&["snooze", "Cabin", "soon"], "duration"),
        (&["snooze", "Home", "1h"], "use the id"),
        (&["snooze", "Nowhere", "1h"], "no network called"),
    ] {
        let output = cli.run(args).await;
        assert_exit(&output, 2);
        assert!(stderr(&output).contains(says), "{args:?}: {}", stderr(&output));
    }
    assert_eq!(cli.h.count("POST", "*snooze"), 0);
}

// The app, through its real loop.

async fn running_app(h: &Harness, read_only: bool) -> App {
    let options = UiOptions { read_only, ..UiOptions::default() };
    running_app_until(h, options, None, |s| s.data.home_loaded && s.data.events_loaded).await
}

fn idle(state: &AppState) -> bool {
    state.runs_in_flight().next().is_none() && !state.remote.loading.home.in_flight
}

#[tokio::test]
async fn z_snoozes_a_network_and_a_camera_and_the_lists_show_what_remains() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, false).await;
    select(&mut app, Pane::Networks, "Home");
    keys(&mut app, "z");
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Choose(c)) if matches!(c.menu, Menu::Snooze { .. }))
    );
    let offered = |app: &App| match &app.state.view.overlay {
        Some(Overlay::Choose(c)) => {
            c.menu.choices(&app.state).into_iter().map(|c| c.label).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    };
    assert!(!offered(&app).contains(&"unsnooze".to_owned()), "nothing to unsnooze: {:?}", offered(&app));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // 1 hour
    assert!(app.state.view.overlay.is_none());
    let shown = app
        .pump_until(WAIT, |s| {
            idle(s)
                && s.data.networks.iter().any(|n| n.id == HOME_NETWORK && n.snoozed.as_deref() == Some("1h"))
        })
        .await;
    assert!(shown, "the networks list shows an hour left");
    assert!(toast_with(&app.state, Level::Success, "Home snoozed for 1 hour"));
    assert_eq!(sim_snoozed_minutes(&h, &SnoozeTarget::Network(HOME_NETWORK)), Some(60));

    select(&mut app, Pane::Cameras, "Living Room");
    keys(&mut app, "z1"); // 30 minutes, by number
    let shown = app
        .pump_until(WAIT, |s| {
            idle(s)
                && s.data.cameras.iter().any(|c| c.id == LIVING_ROOM && c.snoozed.as_deref() == Some("30m"))
        })
        .await;
    assert!(shown, "the cameras list shows 30 minutes left");
    let drawn = screen(&app.state);
    let row = drawn.lines().find(|l| l.contains("│● Living Room")).unwrap_or_default();
    assert!(row.contains("on z30m"), "{drawn}");
    assert!(drawn.contains("Home z 1h"), "{drawn}");

    keys(&mut app, "z");
    assert!(offered(&app).contains(&"unsnooze".to_owned()), "a snooze to end: {:?}", offered(&app));
    keys(&mut app, "5"); // unsnooze
    let cleared = app
        .pump_until(WAIT, |s| {
            idle(s) && s.data.cameras.iter().any(|c| c.id == LIVING_ROOM && c.snoozed.is_none())
        })
        .await;
    assert!(cleared);
    assert!(h.sim.with_world(|w| w.device(LIVING_ROOM).expect("mini").snoozed_until.is_none()));

    // Esc closes the menu without sending anything.
    let sent = h.count("POST", "*snooze");
    keys(&mut app, "z");
    press(&mut app, KeyCode::Esc);
    assert!(app.state.view.overlay.is_none());
    assert_eq!(h.count("POST", "*snooze"), sent);
}

#[tokio::test]
async fn read_only_refuses_z() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, true).await;
    keys(&mut app, "z");
    assert!(app.state.view.overlay.is_none());
    assert!(toast_with(&app.state, Level::Warning, "Read-only"));
    assert_eq!(h.count("POST", "*snooze"), 0);
}

fn settings_row(app: &App, label: &str) -> Option<String> {
    let Some(Overlay::Choose(chooser)) = &app.state.view.overlay else { return None };
    chooser.menu.choices(&app.state).into_iter().map(|c| c.label).find(|l| l.starts_with(label))
}

#[tokio::test]
async fn e_in_camera_details_changes_settings_and_shows_them_re_read() {
    let h = start(quiet_config()).await;
    let mut app = running_app(&h, false).await;
    select(&mut app, Pane::Cameras, "Driveway");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "e");
    let loaded = app
        .pump_until(WAIT, |s| {
            matches!(&s.view.details, Some(Details::Camera { read: CameraDetails::Loaded(_), .. }))
        })
        .await;
    assert!(loaded);
    assert!(
        settings_row(&app, "Night vision").is_some_and(|row| row.ends_with("auto")),
        "{:?}",
        settings_row(&app, "Night")
    );

    // Night vision (row 1) → on (the third value).
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&app.state.view.overlay, Some(Overlay::Choose(c)) if matches!(c.menu, Menu::Values { .. }))
    );
    keys(&mut app, "3");
    assert!(
        app.state.runs_in_flight().any(|r| r.label.contains("night vision → on")),
        "a run with its spinner"
    );
    assert!(screen(&app.state).contains("night vision → on"), "the menu shows the command running");
    let reread = app
        .pump_until(WAIT, |s| {
            idle(s)
                && matches!(&s.view.details, Some(Details::Camera { read, .. }) if !read.is_loading())
                && settings_row_of(s, "Night vision").is_some_and(|row| row.ends_with("on"))
        })
        .await;
    assert!(reread, "the settings show the value Blink reports after the change");
    assert_eq!(h.sim.with_world(|w| w.device(DRIVEWAY).expect("driveway").settings.illuminator), 1);
    assert!(toast_with(&app.state, Level::Success, "Driveway: night vision on"));
    assert!(h.count("GET", "/network/*/camera/*/config") >= 2, "the config was read again");

    // Clip length (row 3) → 60 s (the last value), with the arrows.
    keys(&mut app, "3");
    press(&mut app, KeyCode::Char('G')); // not a menu key: ignored
    for _ in 0..10 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let reread = app
        .pump_until(WAIT, |s| {
            idle(s) && settings_row_of(s, "Clip length").is_some_and(|row| row.ends_with("60 s"))
        })
        .await;
    assert!(reread);
    assert_eq!(h.sim.with_world(|w| w.device(DRIVEWAY).expect("driveway").settings.video_length), 60);
    press(&mut app, KeyCode::Esc);
    assert!(
        app.state.view.overlay.is_none() && app.state.view.details.is_some(),
        "Esc closes the settings, details stay"
    );
}

fn settings_row_of(state: &AppState, label: &str) -> Option<String> {
    let Some(Overlay::Choose(chooser)) = &state.view.overlay else { return None };
    chooser.menu.choices(state).into_iter().map(|c| c.label).find(|l| l.starts_with(label))
}
