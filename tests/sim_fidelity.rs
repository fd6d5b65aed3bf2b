//! The simulator as a test bed for any Blink client: retired endpoints answer as Blink does,
//! every route takes a trailing slash, the documented endpoints other clients call exist and
//! answer from the world's state, and `--lenient` relaxes exactly the rules it names.

mod common;

use base64::Engine;
use blinktui::sim::demo::{CABIN_NETWORK, HOME_NETWORK};
use blinktui::sim::{Leniency, SimConfig};
use common::raw::{Raw, json};
use common::{Harness, quiet_config, start};
use reqwest::Method;
use serde_json::{Value, json};

const FRONT_DOOR: u64 = 400101; // doorbell, Home
const DRIVEWAY: u64 = 400102; // regular camera, Home
const BACKYARD: u64 = 400103; // regular camera, Home, battery low
const LIVING_ROOM: u64 = 400104; // Mini, Home

async fn signed_in(h: &Harness) -> (Raw, u64) {
    let session = h.sign_in().await;
    (Raw::new(&h.sim, Some(session.access_token.expose())), session.account_id)
}

fn capture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON fixture")
}

/// Every field of `ours` is in the capture, with the same JSON type (a null on either side
/// says nothing about the type).
fn fields_as_captured(ours: &Value, captured: &Value, what: &str) {
    let (Some(ours), Some(captured)) = (ours.as_object(), captured.as_object()) else {
        panic!("{what}: objects expected");
    };
    for (key, value) in ours {
        let Some(theirs) = captured.get(key) else { panic!("{what}: `{key}` is not in the capture") };
        let kind = |v: &Value| match v {
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Bool(_) => "bool",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => "null",
        };
        if !value.is_null() && !theirs.is_null() {
            assert_eq!(kind(value), kind(theirs), "{what}: `{key}` is {value}, captured {theirs}");
        }
    }
}

// 1. Retired endpoints.

#[tokio::test]
async fn retired_endpoints_answer_that_an_app_update_is_required() {
    let h = start(quiet_config()).await;
    let anonymous = Raw::new(&h.sim, None);
    let login = json!({ "email": "demo@blinktui.example", "password": "demo-password", "unique_id": "x" });
    let (status, body) = anonymous.send(Method::POST, "/api/v5/account/login", Some(login)).await;
    assert_eq!((status, json(&body)), (426, json!({ "message": "An app update is required" })));

    let (raw, _) = signed_in(&h).await;
    let (status, body) = raw.get(&format!("/events/network/{HOME_NETWORK}")).await;
    assert_eq!((status, body), (426, json!({ "message": "An app update is required" })));

    // The password grant is retired for every client id, before the client id is looked at.
    for client_id in ["android", "ios"] {
        let answer = reqwest::Client::new()
            .post(format!("{}/oauth/token", h.sim.url()))
            .form(&[
                ("grant_type", "password"),
                ("client_id", client_id),
                ("username", "demo@blinktui.example"),
                ("password", "demo-password"),
                ("scope", "client"),
            ])
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status().as_u16(), 401, "{client_id}");
        let body: Value = answer.json().await.expect("JSON");
        assert_eq!(body["error"], "unsupported_grant_type", "{client_id}: {body}");
    }
}

// 2. A trailing slash everywhere.

#[tokio::test]
async fn every_route_takes_a_trailing_slash_and_the_log_keeps_the_path_as_sent() {
    let h = start(quiet_config()).await;
    let (raw, account) = signed_in(&h).await;
    let paths = [
        "/networks".to_owned(),
        "/user".to_owned(),
        format!("/api/v3/accounts/{account}/homescreen"),
        format!("/network/{HOME_NETWORK}/syncmodules"),
        format!("/api/v1/networks/{HOME_NETWORK}/programs"),
        format!("/api/v1/accounts/{account}/media/changed?since=1970-01-01T00:00:00+0000&page=1"),
    ];
    for path in &paths {
        let slashed = match path.split_once('?') {
            Some((path, query)) => format!("{path}/?{query}"),
            None => format!("{path}/"),
        };
        let (status, without) = raw.get(path).await;
        let (slashed_status, with) = raw.get(&slashed).await;
        assert_eq!((status, slashed_status), (200, 200), "{slashed}: {with}");
        if !path.contains("homescreen") && !path.starts_with("/networks") {
            assert_eq!(without, with, "{slashed} answers as {path}");
        }
    }
    assert_eq!(h.count("GET", "/networks/"), 1, "the request log has the path as sent");
    assert_eq!(h.count("GET", "/networks"), 1);
    // A POST with a slash reaches its handler too: logout ends the token.
    let client_id = h.sim.with_world(|w| w.client_id);
    let (status, body) = raw.post(&format!("/api/v4/account/{account}/client/{client_id}/logout/")).await;
    assert_eq!((status, &body["message"]), (200, &json!("logout")), "{body}");
    assert_eq!(raw.get("/networks").await.0, 401, "the token was ended");
    // Unknown paths stay unknown with a slash.
    assert_eq!(Raw::new(&h.sim, None).get("/no/such/path/").await.0, 404);
}

// 3. Endpoints other clients call.

#[tokio::test]
async fn camera_status_reports_the_camera_and_is_refreshed_by_a_status_command() {
    let h = start(quiet_config()).await;
    let (raw, _) = signed_in(&h).await;
    let path = format!("/network/{HOME_NETWORK}/camera/{BACKYARD}");
    let (status, answer) = raw.get(&path).await;
    assert_eq!(status, 200, "{answer}");
    let report = &answer["camera_status"];
    fields_as_captured(report, &capture("captures/camera_status.json")["camera_status"], "camera_status");
    let (settings, serial, created) = h.sim.with_world(|w| {
        let d = w.device(BACKYARD).expect("backyard");
        (d.settings.clone(), d.device.serial.clone(), d.device.created_at.clone())
    });
    assert_eq!(report["camera_id"], BACKYARD);
    assert_eq!(report["network_id"], HOME_NETWORK);
    assert_eq!(report["serial"], json!(serial));
    assert_eq!(report["wifi_strength"], settings.wifi_rssi);
    assert_eq!(report["battery_voltage"], settings.battery_voltage);
    assert_eq!(report["battery_alert_status"], true, "Backyard's battery is low");
    let celsius = ((settings.temperature_f as f64 - 32.0) * 5.0 / 9.0).round() as i64;
    assert_eq!(report["temperature"], celsius);
    assert_eq!(report["updated_at"], json!(created), "not reported since it was added");

    // Signals change in the world: the report follows.
    h.sim.with_world(|w| w.device_mut(BACKYARD).expect("backyard").settings.wifi_rssi = -77);
    assert_eq!(raw.get(&path).await.1["camera_status"]["wifi_strength"], -77);

    // `POST …/status` is a command; the report is renewed when it is done.
    let (status, command) = raw.post(&format!("{path}/status")).await;
    assert_eq!(status, 200, "{command}");
    let id = command["id"].as_u64().expect("a command id");
    assert_eq!(command["camera_id"], BACKYARD);
    raw.wait_for_command(HOME_NETWORK, id).await;
    let renewed = raw.get(&path).await.1["camera_status"]["updated_at"].clone();
    assert_ne!(renewed, json!(created), "the status command renewed the report");
    let read_at = h.sim.with_world(|w| w.device(BACKYARD).and_then(|d| d.status_read)).expect("read");
    assert_eq!(renewed, json!(blinktui::api::models::time::format_blink(read_at)));

    // Only regular cameras, only in their own network.
    assert_eq!(raw.get(&format!("/network/{HOME_NETWORK}/camera/{LIVING_ROOM}")).await.0, 404);
    assert_eq!(raw.get(&format!("/network/{CABIN_NETWORK}/camera/{DRIVEWAY}")).await.0, 404);
}

#[tokio::test]
async fn motion_regions_are_the_cameras_own() {
    let h = start(quiet_config()).await;
    let (raw, account) = signed_in(&h).await;
    let path =
        format!("/api/v1/accounts/{account}/networks/{HOME_NETWORK}/cameras/{DRIVEWAY}/motion_regions");
    let (status, answer) = raw.get(&path).await;
    assert_eq!(status, 200, "{answer}");
    fields_as_captured(&answer, &capture("captures/camera_motion_regions.json"), "motion_regions");
    assert_eq!(
        answer["advanced_motion_regions"],
        json!([4095u16; 25].to_vec()),
        "a new camera watches everything"
    );

    let mut rows = [0u16; 25];
    rows[12] = 0b0000_0111_1110;
    h.sim.with_world(|w| w.device_mut(DRIVEWAY).expect("driveway").settings.motion_regions = rows);
    let answer = raw.get(&path).await.1;
    assert_eq!(answer["advanced_motion_regions"], json!(rows));
    assert_eq!(answer["motion_regions"], (1u64 << 30) | (1 << 12));

    let other =
        format!("/api/v1/accounts/{}/networks/{HOME_NETWORK}/cameras/{DRIVEWAY}/motion_regions", account + 1);
    assert_eq!(raw.get(&other).await.0, 403, "another account");
    let mini =
        format!("/api/v1/accounts/{account}/networks/{HOME_NETWORK}/cameras/{LIVING_ROOM}/motion_regions");
    assert_eq!(raw.get(&mini).await.0, 404);
}

#[tokio::test]
async fn client_options_are_base64_json_of_the_accounts_order() {
    let h = start(quiet_config()).await;
    let (raw, account) = signed_in(&h).await;
    let client_id = h.sim.with_world(|w| w.client_id);
    let (status, answer) = raw.get(&format!("/api/v1/accounts/{account}/clients/{client_id}/options")).await;
    assert_eq!(status, 200, "{answer}");
    fields_as_captured(&answer, &capture("protocol/system_options.json"), "client options");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(answer["options"].as_str().expect("a string"))
        .expect("base64");
    let options: Value = serde_json::from_slice(&decoded).expect("JSON inside");
    let (networks, home_devices) = h.sim.with_world(|w| {
        let networks: Vec<u64> = w.networks.iter().map(|n| n.network.id).collect();
        let home: Vec<u64> =
            w.devices.iter().filter(|d| d.device.network_id == HOME_NETWORK).map(|d| d.device.id).collect();
        (networks, home)
    });
    assert_eq!(options["network_order"], json!(networks));
    assert_eq!(options["camera_order"][HOME_NETWORK.to_string()], json!(home_devices));
    let (status, answer) =
        raw.get(&format!("/api/v1/accounts/{account}/clients/{}/options", client_id + 1)).await;
    assert_eq!((status, &answer["code"]), (404, &json!(242)), "another client: {answer}");
}

#[tokio::test]
async fn network_details_and_sirens_follow_the_world() {
    let h = start(quiet_config()).await;
    let (raw, _) = signed_in(&h).await;
    let (status, answer) = raw.get(&format!("/network/{HOME_NETWORK}")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["network"]["id"].clone(), answer["network"]["armed"].clone()),
        (json!(HOME_NETWORK), json!(true))
    );
    assert_eq!(answer["network"]["name"], "Home");
    h.sim.with_world(|w| w.network_mut(HOME_NETWORK).expect("home").network.armed = false);
    let answer = raw.get(&format!("/network/{HOME_NETWORK}")).await.1;
    assert_eq!(
        (answer["network"]["armed"].clone(), answer["network"]["arm_string"].clone()),
        (json!(false), json!("Disarmed"))
    );
    assert_eq!(raw.get("/network/1").await.0, 404);

    let (status, answer) = raw.get(&format!("/api/v1/networks/{CABIN_NETWORK}/sirens/")).await;
    assert_eq!((status, answer), (200, json!({ "sirens": [] })), "the demo has no sirens");
    assert_eq!(raw.get("/api/v1/networks/1/sirens/").await.0, 404);
}

#[tokio::test]
async fn a_minis_floodlight_goes_on_and_off_by_command() {
    let h = start(quiet_config()).await;
    let (raw, account) = signed_in(&h).await;
    let lights = |id: u64, state: &str| {
        format!("/api/v1/accounts/{account}/networks/{HOME_NETWORK}/owls/{id}/lights/{state}")
    };
    let lit = || h.sim.with_world(|w| w.device(LIVING_ROOM).expect("living room").settings.lights_on);
    assert!(!lit());
    for (state, on) in [("on", true), ("off", false)] {
        let (status, command) = raw.post(&lights(LIVING_ROOM, state)).await;
        assert_eq!(status, 200, "{command}");
        assert_eq!(command["network_id"], HOME_NETWORK);
        let id = command["id"].as_u64().expect("a command id");
        raw.wait_for_command(HOME_NETWORK, id).await;
        assert_eq!(lit(), on, "lights {state}");
    }
    assert_eq!(raw.post(&lights(DRIVEWAY, "on")).await.0, 404, "not a Mini");
    assert_eq!(raw.post(&lights(FRONT_DOOR, "on")).await.0, 404, "not a Mini");
    assert_eq!(raw.post(&lights(LIVING_ROOM, "dim")).await.0, 404);
}

// 4. Strict by default, relaxed rule by rule.

/// A refresh as blinkpy sends it during a session: client "android", hardware_id in a header.
async fn android_refresh(h: &Harness, refresh_token: &str, hardware_id: &str) -> (u16, Value) {
    let answer = reqwest::Client::new()
        .post(format!("{}/oauth/token", h.sim.url()))
        .header("hardware_id", hardware_id)
        .form(&[
            ("username", "demo@blinktui.example"),
            ("client_id", "android"),
            ("scope", "client"),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .expect("answer");
    (answer.status().as_u16(), answer.json().await.expect("JSON"))
}

fn lenient(leniency: Leniency) -> SimConfig {
    SimConfig { lenient: leniency, ..quiet_config() }
}

#[tokio::test]
async fn an_android_refresh_is_refused_strictly_and_taken_when_lenient() {
    let strict = start(quiet_config()).await;
    let tokens = strict.sim.with_oauth(|o| o.issue_tokens("HW-1"));
    let refresh = tokens.refresh_token.expect("refresh token");
    let (status, answer) = android_refresh(&strict, refresh.expose(), "HW-1").await;
    assert_eq!((status, &answer["error"]), (401, &json!("unauthorized_client")), "{answer}");

    let only_this = Leniency { refresh_client_id: true, ..Leniency::default() };
    let relaxed = start(lenient(only_this)).await;
    let tokens = relaxed.sim.with_oauth(|o| o.issue_tokens("HW-1"));
    let refresh = tokens.refresh_token.expect("refresh token");
    let (status, _) = android_refresh(&relaxed, refresh.expose(), "HW-2").await;
    assert_eq!(status, 400, "the hardware id must still match");
    let (status, answer) = android_refresh(&relaxed, refresh.expose(), "HW-1").await;
    assert_eq!(status, 200, "{answer}");
    let access = answer["access_token"].as_str().expect("a new access token");
    assert!(relaxed.sim.with_oauth(|o| o.access_valid(access, jiff::Timestamp::now())));
    let (status, _) = android_refresh(&relaxed, refresh.expose(), "HW-1").await;
    assert_eq!(status, 400, "the refresh token rotated");
}

#[tokio::test]
async fn a_usb_clip_under_an_earlier_manifest_is_not_found_strictly_and_found_when_lenient() {
    for leniency in [Leniency::default(), Leniency { usb_previous_manifest: true, ..Leniency::default() }] {
        let h = start(lenient(leniency)).await;
        let client = h.login().await;
        let first = client.local_storage_clips(HOME_NETWORK).await.expect("manifest");
        let second = client.local_storage_clips(HOME_NETWORK).await.expect("manifest again");
        assert_ne!(first.manifest_id, second.manifest_id, "a new manifest id each time");
        let clip = first.clips[0].clone();
        let stale = blinktui::local_clips::LocalClipRef {
            storage: first.storage,
            manifest_id: first.manifest_id.clone(),
            clip: clip.clone(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("clip.mp4");
        let fetched =
            blinktui::local_clips::download_local_clip(&client, &stale, &path, &|_| {}, |_| {}).await;
        if leniency.usb_previous_manifest {
            fetched.expect("fetched under the earlier manifest id");
            assert_eq!(&std::fs::read(&path).expect("clip")[4..8], b"ftyp");
        } else {
            let err = fetched.expect_err("strict: only the newest manifest id");
            assert!(err.to_string().contains("Media not found"), "{err}");
            // The newest id still works.
            let fresh =
                blinktui::local_clips::LocalClipRef { manifest_id: second.manifest_id.clone(), ..stale };
            blinktui::local_clips::download_local_clip(&client, &fresh, &path, &|_| {}, |_| {})
                .await
                .expect("fetched under the newest manifest id");
        }
    }
}

#[tokio::test]
async fn the_relay_takes_a_zero_token_only_when_lenient() {
    use blinktui::api::DeviceRef;
    use blinktui::api::immi::{LiveCounters, LiveEnd, SessionOptions, run_session};
    use tokio_util::sync::CancellationToken;

    let only_this = Leniency { liveview_token: true, ..Leniency::default() };
    for (config, accepted) in [(quiet_config(), false), (lenient(only_this), true)] {
        let h = start(config).await;
        // A refusal long before the session's end is an error, not the end of the session.
        h.sim.relay().set_length(std::time::Duration::from_secs(if accepted { 1 } else { 30 }));
        let client = h.login().await;
        let home = client.homescreen().await.expect("homescreen");
        let (kind, device) = home.device(DRIVEWAY).expect("driveway");
        let serial = device.serial.clone();
        let mut live = client.liveview(&DeviceRef::new(kind, device)).await.expect("liveview");
        // What blinkpy sends: 64 zero bytes in place of the token.
        live.token = None;
        let options = SessionOptions {
            stall_timeout: std::time::Duration::from_millis(1500),
            ..SessionOptions::default()
        };
        let (counters, stop) = (LiveCounters::default(), CancellationToken::new());
        let mut bytes = 0usize;
        let result =
            run_session(&client, &live, serial.as_deref(), &options, &counters, &stop, &mut |ts: &[u8]| {
                bytes += ts.len();
                true
            })
            .await;
        let sessions = h.sim.relay().sessions();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].auth_accepted, accepted, "{:?}", sessions[0]);
        if accepted {
            assert_eq!(result.expect("a whole session"), LiveEnd::LengthReached);
            assert!(bytes > 10_000, "video arrived: {bytes} bytes");
        } else {
            assert!(result.is_err(), "strict: no video for a zero token");
            assert_eq!(sessions[0].ended, "auth header rejected");
            assert_eq!(bytes, 0);
        }
    }
    // A wrong token that is not zeros stays refused when lenient.
    let h = start(lenient(only_this)).await;
    h.sim.relay().inject(blinktui::sim::relay::RelayFault::WrongToken);
    let client = h.login().await;
    let home = client.homescreen().await.expect("homescreen");
    let (kind, device) = home.device(DRIVEWAY).expect("driveway");
    let live = client.liveview(&DeviceRef::new(kind, device)).await.expect("liveview");
    let options =
        SessionOptions { stall_timeout: std::time::Duration::from_millis(1500), ..SessionOptions::default() };
    let (counters, stop) = (LiveCounters::default(), CancellationToken::new());
    let result = run_session(
        &client,
        &live,
        device.serial.as_deref(),
        &options,
        &counters,
        &stop,
        &mut |_: &[u8]| true,
    )
    .await;
    assert!(result.is_err());
    assert_eq!(h.sim.relay().sessions()[0].ended, "auth header rejected");
}

/// `blinktui sim` as a process on a free port with `args`: the process and what it printed
/// up to "Ctrl-C stops it".
async fn sim_process(args: &[&str]) -> (tokio::process::Child, String) {
    use std::process::Stdio;
    use tokio::io::{AsyncBufReadExt, BufReader};

    let mut sim = tokio::process::Command::new(env!("CARGO_BIN_EXE_blinktui"))
        .args(["sim", "--port", "0", "--motion-every", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("sim starts");
    let mut lines = BufReader::new(sim.stdout.take().expect("stdout")).lines();
    let mut text = String::new();
    while let Some(line) = lines.next_line().await.expect("stdout") {
        text.push_str(&line);
        text.push('\n');
        if line.contains("Ctrl-C stops it") {
            break;
        }
    }
    (sim, text)
}

fn url_in(banner: &str) -> String {
    banner.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).expect("the URL").to_owned()
}

async fn refused(args: &[&str]) -> String {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_blinktui"))
        .args(["sim", "--port", "0"])
        .args(args)
        .output()
        .await
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn sim_lenient_names_what_it_relaxes_and_refuses_unknown_rules() {
    let banner = |args: &'static [&'static str]| async move {
        let (mut sim, text) = sim_process(args).await;
        sim.kill().await.expect("stop the simulator");
        text
    };
    let strict = banner(&[]).await;
    assert!(strict.contains("http://127.0.0.1:") && !strict.contains("Lenient"), "{strict}");
    let all = banner(&["--lenient"]).await;
    for what in ["zero liveview token", "client id android", "earlier manifest id"] {
        assert!(all.contains(what), "{what}: {all}");
    }
    let one = banner(&["--lenient=refresh-client-id"]).await;
    assert!(one.contains("client id android") && !one.contains("liveview token"), "{one}");
    assert!(refused(&["--lenient=everything"]).await.contains("liveview-token"), "names the rules");
}

#[tokio::test]
async fn sim_fault_makes_every_matching_request_fail() {
    let (mut sim, banner) =
        sim_process(&["--fault", "GET /networks=503", "--fault", "*/homescreen=rate-limit:7"]).await;
    let url = url_in(&banner);
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let answer = client.get(format!("{url}/networks")).send().await.expect("answer");
        assert_eq!(answer.status().as_u16(), 503, "every time, not once");
        let body: Value = answer.json().await.expect("Blink's JSON error");
        assert!(body["message"].is_string(), "{body}");
    }
    let answer = client.get(format!("{url}/api/v3/accounts/1/homescreen")).send().await.expect("answer");
    assert_eq!(answer.status().as_u16(), 429);
    assert_eq!(answer.headers()["retry-after"], "7");
    let other = client.get(format!("{url}/user")).send().await.expect("answer");
    assert_eq!(other.status().as_u16(), 401, "other paths answer as usual (no token here)");
    let post = client.post(format!("{url}/networks")).send().await.expect("answer");
    assert_eq!(post.status().as_u16(), 404, "only GET was named");
    sim.kill().await.expect("stop the simulator");
    assert!(refused(&["--fault", "/networks=explode"]).await.contains("the kind is"));
}

#[test]
fn the_defaults_are_strict() {
    assert!(SimConfig::default().lenient.is_strict());
}
