//! What blinkpy needs from the simulator beyond what blinktui's own client uses: the network
//! update call, a raw `+` in `since`, Blink's JSON for unknown paths, old-style thumbnail URLs
//! that change with their picture, and the request log of `blinktui sim --log`.

mod common;

use blinktui::sim::demo::HOME_NETWORK;
use common::raw::{Raw, json};
use common::{Harness, quiet_config, start};
use serde_json::Value;

const GARAGE: u64 = 400105; // white, old-style thumbnail path, Cabin

async fn raw(h: &Harness, method: reqwest::Method, path_and_query: &str) -> (u16, Vec<u8>) {
    let session = h.sign_in().await;
    Raw::new(&h.sim, Some(session.access_token.expose())).send(method, path_and_query, None).await
}

#[tokio::test]
async fn network_update_reports_the_network_without_a_command() {
    let h = start(quiet_config()).await;
    let (status, body) = raw(&h, reqwest::Method::POST, &format!("/network/{HOME_NETWORK}/update")).await;
    assert_eq!(status, 200);
    let body = json(&body);
    assert_eq!(body["network"]["id"], HOME_NETWORK);
    assert_eq!(body["network"]["armed"], true, "the demo's Home network starts armed");
    assert_eq!(body["network"]["sync_module_error"], false);
    assert!(body.get("id").is_none(), "no command to wait for");
    h.sim.with_world(|w| w.network_mut(HOME_NETWORK).expect("home").network.armed = false);
    let (_, body) = raw(&h, reqwest::Method::POST, &format!("/network/{HOME_NETWORK}/update")).await;
    assert_eq!(json(&body)["network"]["armed"], false);
    let (status, body) = raw(&h, reqwest::Method::POST, "/network/1/update").await;
    assert_eq!((status, json(&body)["code"].as_i64()), (404, Some(404)));
}

#[tokio::test]
async fn since_takes_a_raw_plus_as_blinkpy_sends_it() {
    let h = start(quiet_config()).await;
    let account = h.sign_in().await.account_id;
    let path = format!("/api/v1/accounts/{account}/media/changed");
    let (status, everything) =
        raw(&h, reqwest::Method::GET, &format!("{path}?since=1970-01-01T00:00:00+0000&page=1")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&everything));
    let (_, encoded) =
        raw(&h, reqwest::Method::GET, &format!("{path}?since=1970-01-01T00:00:00%2B0000&page=1")).await;
    assert!(!json(&everything)["media"].as_array().expect("media").is_empty());
    assert_eq!(json(&everything)["media"], json(&encoded)["media"], "raw + and %2B mean the same");
    let (_, future) =
        raw(&h, reqwest::Method::GET, &format!("{path}?since=2999-01-01T00:00:00+0000&page=1")).await;
    assert_eq!(json(&future)["media"], serde_json::json!([]), "since is honoured, not ignored");
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_blinks_json_404() {
    let h = start(quiet_config()).await;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v9/nothing/here"),
        (reqwest::Method::POST, "/events/network/1"),
        (reqwest::Method::DELETE, "/networks"),
    ] {
        let (status, body) = raw(&h, method.clone(), path).await;
        assert_eq!(status, 404, "{method} {path}");
        let body = json(&body);
        assert_eq!(body["code"], 404, "{method} {path}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{method} {path}");
    }
}

async fn garage_thumbnail(h: &Harness) -> String {
    let account = h.sign_in().await.account_id;
    let (_, body) = raw(h, reqwest::Method::GET, &format!("/api/v3/accounts/{account}/homescreen")).await;
    let cameras = json(&body)["cameras"].as_array().expect("cameras").clone();
    let garage = cameras.iter().find(|c| c["id"] == GARAGE).expect("garage");
    garage["thumbnail"].as_str().expect("a path").to_owned()
}

#[tokio::test]
async fn an_old_style_thumbnail_keeps_its_picture_until_its_url_changes() {
    let h = start(quiet_config()).await;
    let before = garage_thumbnail(&h).await;
    assert!(before.starts_with("/media/production/"), "{before}");
    let (status, picture) = raw(&h, reqwest::Method::GET, &format!("{before}.jpg")).await;
    assert_eq!((status, &picture[..2]), (200, &b"\xff\xd8"[..]));

    // Something else about the camera changes: same URL, same picture.
    h.sim.with_world(|w| {
        let garage = w.device_mut(GARAGE).expect("garage");
        garage.device.updated_at = Some("2031-05-05T05:05:05+00:00".into());
        garage.device.enabled = !garage.device.enabled;
    });
    assert_eq!(garage_thumbnail(&h).await, before);
    assert_eq!(raw(&h, reqwest::Method::GET, &format!("{before}.jpg")).await.1, picture);

    // A new snapshot: a new URL with a new picture, and the old URL still gives the old one.
    h.sim.with_world(|w| w.new_thumbnail(GARAGE, jiff::Timestamp::now()));
    let after = garage_thumbnail(&h).await;
    assert_ne!(after, before);
    assert_ne!(raw(&h, reqwest::Method::GET, &format!("{after}.jpg")).await.1, picture);
    assert_eq!(raw(&h, reqwest::Method::GET, &format!("{before}.jpg")).await.1, picture);
}

#[tokio::test]
async fn sim_log_writes_a_json_line_per_request_without_secrets() {
    use std::process::Stdio;
    use tokio::io::{AsyncBufReadExt, BufReader};

    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("requests.jsonl");
    let mut sim = tokio::process::Command::new(env!("CARGO_BIN_EXE_blinktui"))
        .args(["sim", "--port", "0", "--motion-every", "0", "--log"])
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("sim starts");
    let mut lines = BufReader::new(sim.stdout.take().expect("stdout")).lines();
    let mut url = None;
    while let Some(line) = lines.next_line().await.expect("stdout") {
        url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).map(str::to_owned);
        if url.is_some() {
            break;
        }
    }
    let url = url.expect("the simulator names its URL");

    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let query = "client_id=ios&hardware_id=SECRET-HW&code_challenge=SECRET-CH&response_type=code";
    let authorize = client.get(format!("{url}/oauth/v2/authorize?{query}")).send().await.expect("answer");
    let token = client
        .post(format!("{url}/oauth/token"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "SECRET-RT"), ("client_id", "ios")])
        .send()
        .await
        .expect("answer");
    let missing =
        client.get(format!("{url}/no/such/path")).bearer_auth("SECRET-AT").send().await.expect("answer");
    let statuses = [authorize.status().as_u16(), token.status().as_u16(), missing.status().as_u16()];
    sim.kill().await.expect("stop the simulator");

    let text = std::fs::read_to_string(&log).expect("the log");
    assert!(!text.contains("SECRET"), "{text}");
    let entries: Vec<Value> =
        text.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    let paths: Vec<_> = entries.iter().map(|e| e["path"].as_str().unwrap_or_default()).collect();
    assert_eq!(paths, ["/oauth/v2/authorize", "/oauth/token", "/no/such/path"]);
    let logged: Vec<_> = entries.iter().map(|e| e["status"].as_u64().unwrap_or_default() as u16).collect();
    assert_eq!(logged, statuses);
    assert_eq!(statuses[2], 404);
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[1]["method"], "POST");
    assert_eq!(
        entries[0]["query"],
        "client_id=ios&hardware_id=(hidden)&code_challenge=(hidden)&response_type=code"
    );
    assert!(entries.iter().all(|e| e["time"].as_str().is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok())));
}
