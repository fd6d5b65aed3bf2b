//! Every subcommand run as a real process against the simulator on 127.0.0.1.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use blinktui::sim::demo::{self, CABIN_NETWORK, HOME_NETWORK};
use blinktui::sim::{Fault, SimConfig, TwoFactorStyle};
use common::cli::{Cli, assert_exit, network_armed, stderr, stdout};
use common::quiet_config;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn login_reads_password_and_code_from_stdin() {
    let cli = Cli::new(SimConfig { two_factor: Some(TwoFactorStyle::Accepted202), ..quiet_config() }).await;
    let input = format!("{}\n{}\n", demo::DEMO_PASSWORD, demo::DEMO_2FA_CODE);
    let output = cli.run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], &input).await;
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("Logged in as demo@blinktui.example (account 104583"),
        "{}",
        stdout(&output)
    );
    let session_file = cli.h.store.session_path();
    assert_eq!(std::fs::metadata(&session_file).expect("saved").permissions().mode() & 0o777, 0o600);
    assert!(!std::fs::read_to_string(&session_file).expect("read").contains(demo::DEMO_PASSWORD));
    let status = cli.run(&["status"]).await;
    assert_exit(&status, 0);
}

#[tokio::test]
async fn login_failures_exit_3_or_2_and_say_why() {
    let cli = Cli::new(SimConfig { two_factor: Some(TwoFactorStyle::Accepted202), ..quiet_config() }).await;
    let output = cli.run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], "wrong\n").await;
    assert_exit(&output, 3);
    assert!(stderr(&output).contains("email or password"), "{}", stderr(&output));

    let output = cli
        .run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], &format!("{}\n", demo::DEMO_PASSWORD))
        .await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("verification code"), "{}", stderr(&output));

    let input = format!("{}\n999999\n", demo::DEMO_PASSWORD);
    let output = cli.run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], &input).await;
    assert_exit(&output, 3);
    assert!(stderr(&output).contains("verification code"), "{}", stderr(&output));

    let output = cli.run_with_stdin(&["login"], "pw\n").await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--email"), "{}", stderr(&output));
    assert!(!cli.h.store.session_path().exists());
}

#[tokio::test]
async fn logout_forgets_the_session() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.run(&["status"]).await; // learns the client id for the server-side logout
    let output = cli.run(&["logout"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Logged out.");
    assert!(!cli.h.store.session_path().exists());
    assert_eq!(cli.h.count("POST", "/api/v4/account/104583/client/772211/logout"), 1);
    let again = cli.run(&["logout"]).await;
    assert_exit(&again, 0);
    assert_eq!(stdout(&again).trim(), "Not logged in.");
}

#[tokio::test]
async fn status_json_has_the_documented_fields() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["status", "--json"]).await;
    assert_exit(&output, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    let networks = doc["networks"].as_array().expect("networks");
    assert_eq!(networks.len(), 2);
    for network in networks {
        assert!(network["id"].is_u64() && network["name"].is_string() && network["armed"].is_boolean());
    }
    let cameras = doc["cameras"].as_array().expect("cameras");
    assert_eq!(cameras.len(), 7);
    for camera in cameras {
        for field in
            ["id", "name", "network_id", "type", "enabled", "online", "battery", "temperature_f", "wifi_bars"]
        {
            assert!(camera.get(field).is_some(), "{field} missing in {camera}");
        }
    }
    let types: Vec<&str> = cameras.iter().filter_map(|c| c["type"].as_str()).collect();
    for expected in ["catalina", "xt2", "white", "owl", "lotus"] {
        assert!(types.contains(&expected), "{expected} in {types:?}");
    }
    let human = cli.run(&["status"]).await;
    assert_exit(&human, 0);
    assert!(stdout(&human).contains("Front Door") && stdout(&human).contains("OFFLINE"));
}

#[tokio::test]
async fn tables_name_products_and_sources_as_the_app_does_while_json_keeps_blinks_words() {
    let cli = Cli::logged_in(quiet_config()).await;
    let status = stdout(&cli.run(&["status"]).await);
    let row = |name: &str| status.lines().find(|l| l.starts_with(name)).unwrap_or_default().to_owned();
    assert!(row("Driveway").contains("Outdoor"), "{status}");
    assert!(row("Living Room").contains("Mini"), "{status}");
    for codename in ["catalina", "owl", "lotus"] {
        assert!(!status.contains(codename), "{codename} in {status}");
    }

    cli.world(|w| w.add_media(400102, jiff::Timestamp::now(), "pir"));
    let table = stdout(&cli.run(&["events", "--since", "1h"]).await);
    assert!(table.lines().any(|l| l.contains("Driveway") && l.contains("motion")), "{table}");
    assert!(!table.contains("pir"), "{table}");
    let output = cli.run(&["events", "--since", "1h", "--json"]).await;
    let json: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(json.iter().any(|e| e["source"] == "pir"), "{json:?}");
}

#[tokio::test]
async fn without_a_session_commands_exit_3() {
    let cli = Cli::new(quiet_config()).await;
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 3);
    assert!(stderr(&output).contains("blinktui login"), "{}", stderr(&output));
}

#[tokio::test]
async fn arm_and_disarm_by_name_or_id_wait_for_blink() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["arm", "CABIN"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Cabin armed");
    assert!(network_armed(&cli, CABIN_NETWORK), "done before the command returned");
    let output = cli.run(&["disarm", &CABIN_NETWORK.to_string()]).await;
    assert_exit(&output, 0);
    assert!(!network_armed(&cli, CABIN_NETWORK));
}

#[tokio::test]
async fn arming_an_armed_network_says_so_and_sends_nothing() {
    let cli = Cli::logged_in(quiet_config()).await;
    assert!(network_armed(&cli, HOME_NETWORK) && !network_armed(&cli, CABIN_NETWORK), "demo start");
    let output = cli.run(&["arm", "Home"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Home is already armed");
    let output = cli.run(&["disarm", "Cabin"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Cabin is already disarmed");
    assert_eq!(cli.h.count("POST", "/api/v1/accounts/*/networks/*/state/*"), 0, "no command sent");
    assert!(network_armed(&cli, HOME_NETWORK) && !network_armed(&cli, CABIN_NETWORK));
}

#[tokio::test]
async fn no_wait_returns_once_blink_accepted() {
    let cli =
        Cli::logged_in(SimConfig { command_delay: std::time::Duration::from_secs(30), ..quiet_config() })
            .await;
    let output = cli.run(&["arm", "Cabin", "--no-wait"]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).starts_with("Sent (command "), "{}", stdout(&output));
    assert!(!network_armed(&cli, CABIN_NETWORK), "still running");
}

#[tokio::test]
async fn ambiguous_or_unknown_names_send_nothing() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.world(|w| w.network_mut(CABIN_NETWORK).expect("cabin").network.name = "Home".into());
    let output = cli.run(&["arm", "home"]).await;
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("Home (id 200101)") && message.contains("Home (id 200102)"), "{message}");
    let output = cli.run(&["disarm", "Shed"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("no network called \"Shed\""), "{}", stderr(&output));
    let output = cli.run(&["motion", "Nope", "on"]).await;
    assert_exit(&output, 2);
    assert_eq!(cli.h.count("POST", "/api/v1/accounts/*/networks/*/state/*"), 0);
    assert_eq!(cli.h.count("POST", "/network/*"), 0);
}

#[tokio::test]
async fn names_can_be_cut_to_a_unique_start() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["arm", "cab"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Cabin armed");
    assert!(network_armed(&cli, CABIN_NETWORK));
    let output = cli.run(&["motion", "LIV", "off"]).await;
    assert_exit(&output, 0);
    assert!(!cli.world(|w| w.device(400104).expect("living room").device.enabled));
    let output = cli.run(&["program", "enable", "weekend", "--network", "ho"]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).starts_with("Weekend away enabled"), "{}", stdout(&output));
    let output = cli.run(&["events", "--since", "3d", "--camera", "back", "--json"]).await;
    assert_exit(&output, 0);
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(!events.is_empty() && events.iter().all(|e| e["camera"] == "Backyard"));
}

#[tokio::test]
async fn an_ambiguous_start_lists_the_matches_and_sends_nothing() {
    let cli = Cli::logged_in(quiet_config()).await;
    let posts = cli.h.count("POST", "*");
    let output = cli.run(&["motion", "d", "off"]).await;
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("Driveway (id 400102)") && message.contains("Dock (id 400106)"), "{message}");
    let output = cli.run(&["download", "--since", "3d", "--camera", "D", "-o", "clips"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("matches 2 cameras"), "{}", stderr(&output));
    let output = cli.run(&["program", "disable", "wee"]).await;
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(
        message.contains("Weeknights (id 500101)") && message.contains("Weekend away (id 500102)"),
        "{message}"
    );
    assert_eq!(cli.h.count("POST", "*"), posts, "nothing sent");
    assert!(!cli.h.dir.path().join("clips").exists(), "nothing downloaded");
}

#[tokio::test]
async fn a_failed_blink_command_exits_5() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["snapshot", "Dock"]).await;
    assert_exit(&output, 5);
    assert!(stderr(&output).contains("Camera is offline"), "{}", stderr(&output));
    cli.world(|w| {
        if let Some(sync) = w.network_mut(HOME_NETWORK).and_then(|n| n.sync_module.as_mut()) {
            sync.status = Some("offline".into());
        }
    });
    let output = cli.run(&["disarm", "Home"]).await;
    assert_exit(&output, 5);
    assert!(stderr(&output).contains("Sync module is offline"), "{}", stderr(&output));
}

#[tokio::test]
async fn motion_snapshot_and_clip() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["motion", "living room", "off"]).await;
    assert_exit(&output, 0);
    assert!(!cli.world(|w| w.device(400104).expect("mini").device.enabled));

    let before = cli.world(|w| w.device(400102).expect("driveway").device.thumbnail.clone());
    let output = cli.run(&["snapshot", "Driveway", "-o", "pictures/driveway.jpg"]).await;
    assert_exit(&output, 0);
    let path = cli.h.dir.path().join("pictures/driveway.jpg");
    assert_eq!(stdout(&output).trim(), "pictures/driveway.jpg");
    let jpeg = std::fs::read(&path).expect("saved");
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert_ne!(cli.world(|w| w.device(400102).expect("driveway").device.thumbnail.clone()), before);

    let default_name = cli.run(&["snapshot", "Front Door"]).await;
    assert_exit(&default_name, 0);
    let name = stdout(&default_name).trim().to_owned();
    assert!(name.starts_with("front-door-") && name.ends_with(".jpg"), "{name}");
    assert!(cli.h.dir.path().join(&name).exists());

    let clips_before = cli.world(|w| w.media.len());
    let output = cli.run(&["clip", "Garage"]).await;
    assert_exit(&output, 0);
    assert_eq!(cli.world(|w| w.media.len()), clips_before + 1);
}

#[tokio::test]
async fn events_list_filter_and_json() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["events", "--since", "3d", "--json"]).await;
    assert_exit(&output, 0);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(all.len() > 10);
    assert!(all.iter().all(|e| e["id"].is_u64() && e["camera"].is_string() && e["created_at"].is_string()));
    let output = cli.run(&["events", "--since", "3d", "--camera", "backyard", "--json"]).await;
    let backyard: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(!backyard.is_empty() && backyard.len() < all.len());
    assert!(backyard.iter().all(|e| e["camera"] == "Backyard"));
    let output = cli.run(&["events", "--since", "1h"]).await;
    assert_exit(&output, 0);
    let output = cli.run(&["events", "--since", "the other day"]).await;
    assert_exit(&output, 2);
}

#[tokio::test]
async fn events_and_programs_show_times_in_the_networks_zone_with_its_label() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["events", "--since", "3d", "--json"]).await;
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    let event = all.iter().find(|e| e["network"] == "Home").expect("an event of Home");
    let at: jiff::Timestamp = event["created_at"].as_str().expect("time").parse().expect("a time");
    let zone = jiff::tz::TimeZone::get("America/New_York").expect("zone");
    let expected = at.to_zoned_datetime(zone).strftime("%a %Y-%m-%d %H:%M:%S %Z").to_string();
    let table = cli.command(&["events", "--since", "3d"]).env("TZ", "America/Los_Angeles").output().await;
    let table = stdout(&table.expect("run"));
    let id = event["id"].to_string();
    let row = table.lines().find(|l| l.contains(&id)).expect("the event's row");
    assert!(row.contains(&expected), "{expected:?} in {row:?}");

    // In New York itself the label goes, as on screen.
    let table = cli.command(&["events", "--since", "3d"]).env("TZ", "America/New_York").output().await;
    let table = stdout(&table.expect("run"));
    let row = table.lines().find(|l| l.contains(&id)).expect("the event's row");
    let unlabelled = expected.trim_end_matches(" EST").trim_end_matches(" EDT");
    assert!(row.contains(unlabelled) && !row.contains(" EST") && !row.contains(" EDT"), "{row:?}");

    let programs = cli.command(&["programs"]).env("TZ", "America/Los_Angeles").output().await;
    let programs = stdout(&programs.expect("run"));
    assert!(
        programs.lines().any(|l| l.contains("Home") && (l.contains(" EST") || l.contains(" EDT"))),
        "{programs}"
    );
}

#[tokio::test]
async fn download_writes_safe_names_atomically_and_skips_what_is_there() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["download", "--since", "12h", "-o", "clips"]).await;
    assert_exit(&output, 0);
    let dir = cli.h.dir.path().join("clips");
    let files = list(&dir);
    assert!(!files.is_empty());
    assert!(files.iter().all(|f| f.ends_with(".mp4") && !f.starts_with('.')), "{files:?}");
    assert!(
        files.iter().all(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))),
        "{files:?}"
    );
    for file in &files {
        assert_eq!(&std::fs::read(dir.join(file)).expect("clip")[4..8], b"ftyp");
    }
    assert!(
        stdout(&output).starts_with(&format!("{} downloaded, 0 already there", files.len())),
        "{}",
        stdout(&output)
    );

    let again = cli.run(&["download", "--since", "12h", "-o", "clips"]).await;
    assert_exit(&again, 0);
    assert!(
        stdout(&again).starts_with(&format!("0 downloaded, {} already there", files.len())),
        "{}",
        stdout(&again)
    );
    assert_eq!(list(&dir), files);
}

/// Limits from the config: `[http]` appended to the test config.
fn with_http_limits(cli: &Cli, table: &str) {
    let mut config = std::fs::read_to_string(&cli.config).expect("config");
    config.push_str("[http]\n");
    config.push_str(table);
    std::fs::write(&cli.config, config).expect("config");
}

#[tokio::test]
async fn download_stops_an_endless_clip_at_the_clip_limit() {
    let cli = Cli::logged_in(quiet_config()).await;
    with_http_limits(&cli, "max_clip_mb = 1\n");
    cli.h.sim.faults().inject(None, "*.mp4", Fault::EndlessBody { start: Fault::mp4_start() }, None);
    let output = cli.run(&["download", "--since", "12h", "-o", "clips"]).await;
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(err.contains("too large") && err.contains("1 MiB") && err.contains("max_clip_mb"), "{err}");
    assert!(stdout(&output).starts_with("0 downloaded, 0 already there"), "{}", stdout(&output));
    assert_eq!(list(&cli.h.dir.path().join("clips")), Vec::<String>::new(), "no clip and no part file");
    // Each endless clip was cut off near the limit: what the server produced is the limit plus
    // what the connection buffers, per clip, not the megabytes per second it could send.
    let clips = cli.h.count("GET", "*.mp4") as u64;
    assert!(clips > 0);
    let streamed = cli.h.sim.faults().streamed_bytes();
    assert!(streamed < clips * 33 * 1024 * 1024, "{streamed} bytes for {clips} clips");
}

#[tokio::test]
async fn an_endless_answer_is_an_error_that_names_the_limit() {
    let cli = Cli::logged_in(quiet_config()).await;
    with_http_limits(&cli, "max_json_mb = 2\n");
    let endless = Fault::EndlessBody { start: b"{\"account\":".to_vec() };
    cli.h.sim.faults().inject(None, "/api/v3/accounts/*/homescreen", endless, None);
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(err.contains("homescreen") && err.contains("2 MiB") && err.contains("max_json_mb"), "{err}");
}

fn watched(cli: &Cli, ids: &[u64]) -> usize {
    cli.world(|w| w.media.iter().filter(|m| m.watched && ids.contains(&m.id)).count())
}

#[tokio::test]
async fn watched_marks_events_by_id_or_all_of_them() {
    let cli = Cli::logged_in(quiet_config()).await;
    let ids: Vec<u64> =
        cli.world(|w| (0..3).filter_map(|_| w.add_media(400102, jiff::Timestamp::now(), "pir")).collect());
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let output = cli.run(&["watched", &a, &b, &a]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Marked 2 events watched");
    assert_eq!((watched(&cli, &ids[..2]), watched(&cli, &ids[2..])), (2, 0));
    let output = cli.run(&["events", "--since", "1h", "--json"]).await;
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(events.iter().any(|e| e["id"] == ids[0] && e["watched"] == true), "seen by `events`");

    let output = cli.run(&["watched", "--all"]).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), "Marked every event watched");
    assert!(cli.world(|w| w.media.iter().filter(|m| !m.deleted).all(|m| m.watched)));
    assert_eq!(cli.h.count("POST", "/api/v4/accounts/104583/media/mark_all_as_viewed"), 1);
}

#[tokio::test]
async fn watched_refusals_and_usage() {
    let cli = Cli::logged_in(quiet_config()).await;
    for args in
        [&["watched"][..], &["watched", "1", "--all"], &["watched", "x"], &["--read-only", "watched", "1"]]
    {
        assert_exit(&cli.run(args).await, 2);
    }
    assert_eq!(cli.h.count("POST", "/api/v4/*"), 0, "nothing sent");

    let output = cli.run(&["watched", "1"]).await;
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("Media not found"), "{}", stderr(&output));
    // 50 real events, then 10 ids Blink does not know: the second slice is refused.
    let mut ids: Vec<String> = cli
        .world(|w| {
            (0..50).filter_map(|_| w.add_media(400102, jiff::Timestamp::now(), "pir")).collect::<Vec<_>>()
        })
        .iter()
        .map(u64::to_string)
        .collect();
    ids.extend((1..=10).map(|id: u64| id.to_string()));
    let args: Vec<&str> = std::iter::once("watched").chain(ids.iter().map(String::as_str)).collect();
    let output = cli.run(&args).await;
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("(50 of 60 marked watched before that)"), "{}", stderr(&output));
}

fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn programs_list_and_toggle() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["programs", "--json"]).await;
    assert_exit(&output, 0);
    let programs: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert_eq!(programs.len(), 3);
    let output = cli.run(&["program", "enable", "weekend away"]).await;
    assert_exit(&output, 0);
    let enabled =
        cli.world(|w| w.network(HOME_NETWORK).expect("home").programs.iter().all(|p| p.is_enabled()));
    assert!(enabled);
    let output = cli.run(&["program", "disable", "Off-season", "--network", "Home"]).await;
    assert_exit(&output, 2);
    let output = cli.run(&["program", "disable", "Off-season", "--network", "Cabin"]).await;
    assert_exit(&output, 0);
}

#[tokio::test]
async fn rate_limits_exit_4() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.h.sim.faults().inject(
        None,
        "/api/v3/accounts/*/homescreen",
        Fault::RateLimit { retry_after_secs: 900 },
        None,
    );
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 4);
    assert!(stderr(&output).contains("retry after 900s"), "{}", stderr(&output));
}

#[tokio::test]
async fn read_only_refuses_changes_without_sending() {
    let cli = Cli::logged_in(quiet_config()).await;
    for args in [
        &["--read-only", "arm", "Cabin"][..],
        &["--read-only", "snapshot", "Driveway"],
        &["--read-only", "program", "enable", "Weekend away"],
    ] {
        let output = cli.run(args).await;
        assert_exit(&output, 2);
        assert!(stderr(&output).contains("--read-only"), "{}", stderr(&output));
    }
    assert_eq!(cli.h.count("POST", "*"), 2, "only the login's own POSTs");
    assert_exit(&cli.run(&["--read-only", "status"]).await, 0);
}

#[tokio::test]
async fn expired_sessions_refresh_and_revoked_ones_exit_3() {
    let cli = Cli::logged_in(quiet_config()).await;
    cli.h.sim.with_oauth(|o| o.expire_access_tokens());
    assert_exit(&cli.run(&["status"]).await, 0);
    cli.h.sim.with_oauth(|o| o.revoke_all());
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 3);
    assert!(stderr(&output).contains("blinktui login"));
}

#[tokio::test]
async fn bad_config_and_insecure_urls_are_usage_errors() {
    let cli = Cli::logged_in(quiet_config()).await;
    std::fs::write(&cli.config, "refresh_interval_secs = \"soon\"\n").expect("write");
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("config.toml"), "{}", stderr(&output));
    std::fs::write(&cli.config, "").expect("write");
    let output = cli.run(&["--rest-url", "http://blink.example.com", "status"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("plain http"), "{}", stderr(&output));
}

#[tokio::test]
async fn completions_and_usage() {
    let cli = Cli::new(quiet_config()).await;
    let output = cli.run(&["completions", "bash"]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("blinktui"));
    assert_exit(&cli.run(&["motion", "Porch", "sideways"]).await, 2);
    assert_exit(&cli.run(&["no-such-command"]).await, 2);
}

#[tokio::test]
async fn help_describes_json_and_no_wait() {
    let cli = Cli::new(quiet_config()).await;
    for (command, flag, text) in [
        ("status", "--json", "Print JSON for scripts instead of a table"),
        ("events", "--json", "Print JSON for scripts instead of a table"),
        ("programs", "--json", "Print JSON for scripts instead of a table"),
        ("motion", "--no-wait", "Return once Blink accepted the command"),
        ("clip", "--no-wait", "Return once Blink accepted the command"),
        ("arm", "--no-wait", "Return once Blink accepted the command"),
    ] {
        let output = cli.run(&[command, "-h"]).await;
        assert_exit(&output, 0);
        let line = stdout(&output).lines().find(|l| l.trim_start().starts_with(flag)).map(str::to_owned);
        assert!(line.as_deref().is_some_and(|l| l.contains(text)), "{command} {flag}: {line:?}");
    }
}

#[tokio::test]
async fn subcommand_help_lists_its_own_options_first_and_only_those_that_apply() {
    let cli = Cli::new(quiet_config()).await;
    let output = cli.run(&["events", "--help"]).await;
    assert_exit(&output, 0);
    let help = stdout(&output);
    let own = help.find("Options:").expect("own options");
    let global = help.find("Global options:").expect("a heading for the global ones");
    let at = |flag: &str| help.find(flag).unwrap_or_else(|| panic!("{flag} in\n{help}"));
    assert!(own < at("--since") && at("--since") < global, "{help}");
    assert!(own < at("--json") && at("--json") < global, "{help}");
    assert!(global < at("--config") && global < at("--oauth-url") && global < at("--read-only"), "{help}");

    for command in ["status", "events", "arm", "programs", "info"] {
        let help = stdout(&cli.run(&[command, "--help"]).await);
        assert!(!help.contains("--graphics") && !help.contains("--no-images"), "{command}:\n{help}");
    }
    for command in ["play", "live"] {
        let help = stdout(&cli.run(&[command, "--help"]).await);
        let own = help.find("--graphics").expect("--graphics");
        assert!(own < help.find("Global options:").expect("heading"), "{command}:\n{help}");
    }
    // Before the command or after it, for the commands that draw.
    let clip = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media/baseline.mp4");
    let output = cli.run(&["play", clip, "--graphics", "sideways"]).await;
    assert_exit(&output, 2);
    assert_exit(&cli.run(&["status", "--graphics", "none"]).await, 2);
}

const NOTIFICATIONS: &str = "/api/v1/accounts/*/notifications/configuration";

#[tokio::test]
async fn notifications_list_and_switch_and_refuse_unknown_names() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["notifications"]).await;
    assert_exit(&output, 0);
    let table = stdout(&output);
    let row = |name: &str| table.lines().find(|l| l.starts_with(name)).map(str::to_owned);
    assert!(row("motion ").is_some_and(|r| r.ends_with(" on")), "{table}");
    assert!(
        row("camera_usage").is_some_and(|r| r.ends_with(" off") && r.contains("camera usage")),
        "{table}"
    );

    let output =
        cli.run(&["notifications", "--set", "motion=off", "--set", "camera_usage=on", "--json"]).await;
    assert_exit(&output, 0);
    let flags: std::collections::BTreeMap<String, bool> =
        serde_json::from_str(&stdout(&output)).expect("json");
    assert_eq!((flags["motion"], flags["camera_usage"], flags["low_battery"]), (false, true, true));
    assert_eq!(flags.len(), 17, "the flags Blink's app has: {flags:?}");
    assert_eq!(cli.world(|w| (w.notifications["motion"], w.notifications["camera_usage"])), (false, true));
    assert_eq!(cli.h.count("POST", NOTIFICATIONS), 1, "both changes in one request");

    let output = cli.run(&["notifications", "--set", "motion=on", "--set", "doorbel=off"]).await;
    assert_exit(&output, 2);
    let said = stderr(&output);
    assert!(said.contains("doorbel") && said.contains("doorbell") && said.contains("low_battery"), "{said}");
    assert_exit(&cli.run(&["notifications", "--set", "motion"]).await, 2);
    assert_exit(&cli.run(&["notifications", "--set", "motion=maybe"]).await, 2);
    assert_exit(&cli.run(&["--read-only", "notifications", "--set", "motion=on"]).await, 2);
    assert_eq!(cli.h.count("POST", NOTIFICATIONS), 1, "nothing sent for a refused change");
    assert!(!cli.world(|w| w.notifications["motion"]));
}

#[tokio::test]
async fn info_asks_blink_for_the_app_version_and_region_only_when_told() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["info"]).await;
    assert_exit(&output, 0);
    assert!(!stdout(&output).contains("region"));
    assert_eq!(cli.h.count("GET", "/api/v1/version") + cli.h.count("GET", "/regions"), 0, "nothing asked");

    let output = cli.run(&["info", "--blink"]).await;
    assert_exit(&output, 0);
    let text = stdout(&output);
    let line =
        |label: &str| text.lines().find(|l| l.starts_with(label)).map(str::to_owned).unwrap_or_default();
    assert!(line("region").contains("United States - EAST (tier u011)"), "{text}");
    assert!(line("app version").contains("Blink/") && line("app version").contains("current"), "{text}");
    assert_eq!((cli.h.count("GET", "/api/v1/version"), cli.h.count("GET", "/regions")), (1, 1));
}

#[tokio::test]
async fn live_for_zero_seconds_is_a_usage_error() {
    let cli = Cli::logged_in(quiet_config()).await;
    let output = cli.run(&["live", "Driveway", "--seconds", "0", "--output", "-"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--seconds"), "{}", stderr(&output));
    assert_eq!(cli.h.count("POST", "/api/v6/accounts/*/networks/*/cameras/*/liveview"), 0, "nothing sent");
}

#[tokio::test]
async fn the_standalone_simulator_serves_a_cli_login() {
    let cli = Cli::new(quiet_config()).await;
    let mut sim = cli
        .command(&["sim", "--port", "0", "--command-delay", "100"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("sim");
    let mut lines = tokio::io::BufReader::new(sim.stdout.take().expect("stdout"));
    let mut first = String::new();
    tokio::io::AsyncBufReadExt::read_line(&mut lines, &mut first).await.expect("banner");
    let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).expect("url").to_owned();
    let login = cli
        .command(&["--oauth-url", &url, "--rest-url", &url, "login", "--email", demo::DEMO_EMAIL])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("login");
    let mut child = login;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{}\n", demo::DEMO_PASSWORD).as_bytes())
        .await
        .expect("write");
    let output = child.wait_with_output().await.expect("wait");
    assert_exit(&output, 0);
    let status = cli
        .command(&["--oauth-url", &url, "--rest-url", &url, "status", "--json"])
        .output()
        .await
        .expect("status");
    assert_exit(&status, 0);
    sim.kill().await.expect("stop sim");
}

#[tokio::test]
async fn demo_flag_runs_commands_against_a_throwaway_session() {
    let cli = Cli::new(quiet_config()).await;
    let output = cli.run(&["--demo", "status", "--json"]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("Front Door"));
    assert!(!cli.h.store.session_path().exists(), "the real state directory is untouched");
}

#[tokio::test]
async fn a_closed_pipe_ends_quietly() {
    let cli = Cli::logged_in(quiet_config()).await;
    let mut child = cli
        .command(&["events", "--since", "3d"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The reader goes away before blinktui has written anything, as with `| head -0`.
    drop(child.stdout.take());
    let output = child.wait_with_output().await.expect("wait");
    assert_exit(&output, 0);
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

fn add_to_config(cli: &Cli, text: &str) {
    let mut config = std::fs::read_to_string(&cli.config).expect("config");
    config.push_str(text);
    std::fs::write(&cli.config, config).expect("write config");
}

#[tokio::test]
async fn a_named_config_must_exist_and_bad_headers_are_config_errors() {
    let cli = Cli::logged_in(quiet_config()).await;
    let missing = cli.h.dir.path().join("no-such-config.toml");
    let output = cli.run(&["--config", missing.to_str().expect("utf-8"), "status"]).await;
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("no-such-config.toml"), "{}", stderr(&output));
    let output = cli.command(&["status"]).env("BLINKTUI_CONFIG", &missing).output().await.expect("run");
    assert_exit(&output, 2);
    // Only the default place may hold no file.
    let output = cli.command(&["info"]).env_remove("BLINKTUI_CONFIG").output().await.expect("run");
    assert_exit(&output, 0);

    let good = std::fs::read_to_string(&cli.config).expect("config");
    for bad in [
        "[http.headers]\n\"Bad Header\" = \"x\"\n",
        "[http]\nuser_agent = \"a\\nb\"\n",
        "[http]\nuser_agent = \"A/1\"\n[http.headers]\n\"user-agent\" = \"B/2\"\n",
    ] {
        std::fs::write(&cli.config, format!("{good}{bad}")).expect("write");
        let output = cli.run(&["status"]).await;
        assert_exit(&output, 2);
        assert!(stderr(&output).contains("http"), "{bad}: {}", stderr(&output));
    }
}

#[tokio::test]
async fn the_configured_user_agent_reaches_blink() {
    let cli = Cli::logged_in(quiet_config()).await;
    add_to_config(&cli, "[http]\nuser_agent = \"Blink/99.0 (cli test)\"\n");
    let before = cli.h.sim.faults().requests().len();
    assert_exit(&cli.run(&["status"]).await, 0);
    let requests = cli.h.sim.faults().requests();
    assert!(requests.len() > before);
    for request in &requests[before..] {
        assert_eq!(request.user_agent.as_deref(), Some("Blink/99.0 (cli test)"), "{}", request.path);
    }
}

#[tokio::test]
async fn events_since_counts_from_when_they_happened_not_changed() {
    let cli = Cli::logged_in(quiet_config()).await;
    let now = jiff::Timestamp::now();
    let (two_hours_ago, two_days_ago) =
        (now - jiff::SignedDuration::from_hours(2), now - jiff::SignedDuration::from_hours(48));
    let old = cli.world(|w| {
        w.media
            .iter()
            .find(|m| !m.deleted && !m.watched && (two_days_ago..two_hours_ago).contains(&m.created_at.at))
            .map(|m| m.id)
            .expect("an old unwatched event")
    });
    assert_exit(&cli.run(&["watched", &old.to_string()]).await, 0);
    let output = cli.run(&["events", "--since", "1h", "--json"]).await;
    assert_exit(&output, 0);
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(events.iter().all(|e| e["id"] != old), "an old event changed within the hour is not new");
    let output = cli.run(&["events", "--since", "3d", "--json"]).await;
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(events.iter().any(|e| e["id"] == old));
}

#[tokio::test]
async fn a_session_that_cannot_be_saved_is_reported_on_stderr() {
    let cli = Cli::logged_in(quiet_config()).await;
    let before = cli.h.store.load().expect("load").expect("saved");
    cli.h.sim.with_oauth(|o| o.expire_access_tokens());
    // The refresh is held for a while, so the disk is "full" before the child saves.
    let hold = Fault::Latency(std::time::Duration::from_millis(500));
    cli.h.sim.faults().inject(Some("POST"), "/oauth/token", hold, Some(1));
    let child =
        cli.command(&["status"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id().expect("pid");
    // A directory where the child writes its session: every save fails, even for root (who
    // writes into read-only directories).
    let temp = cli.h.store.dir().join(format!(".session.json.{pid}.tmp"));
    std::fs::create_dir(&temp).expect("in the way");
    let output = child.wait_with_output().await.expect("wait");
    assert_exit(&output, 0);
    assert!(stderr(&output).contains("could not save the Blink session"), "{}", stderr(&output));
    assert!(stderr(&output).contains("blinktui login"), "{}", stderr(&output));
    assert_eq!(cli.h.count("POST", "/oauth/token"), 2, "login and the refresh");
    assert_eq!(cli.h.store.load().expect("load"), Some(before), "the previous session is intact");
    let files: Vec<_> = std::fs::read_dir(cli.h.store.dir())
        .expect("list")
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().all(|name| !name.ends_with(".tmp")), "{files:?}");
}

#[tokio::test]
async fn the_next_download_removes_what_a_killed_one_left_but_not_a_running_ones() {
    let cli = Cli::logged_in(quiet_config()).await;
    let dir = cli.h.dir.path().join("clips");
    std::fs::create_dir_all(&dir).expect("dir");
    // Another blinktui writing there: it holds its part file locked.
    let running = dir.join(".blinktui-XyZ789.part");
    std::fs::write(&running, b"a third of a clip").expect("part");
    let held = std::fs::File::open(&running).expect("open");
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).expect("lock");

    let stall = Fault::StallBody { start: Fault::mp4_start(), bytes: 1 << 20 };
    cli.h.sim.faults().inject(Some("GET"), "*.mp4", stall, None);
    let mut killed = cli.command(&["download", "--since", "12h", "-o", "clips"]).spawn().expect("spawn");
    let parts = || {
        std::fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "part") && *p != running)
            .collect::<Vec<_>>()
    };
    assert!(common::eventually(std::time::Duration::from_secs(30), || !parts().is_empty()).await);
    killed.start_kill().expect("kill -9");
    killed.wait().await.expect("killed");
    let left = parts();
    assert_eq!(left.len(), 1, "{left:?}");

    cli.h.sim.faults().clear();
    let output = cli.run(&["download", "--since", "12h", "-o", "clips"]).await;
    assert_exit(&output, 0);
    assert!(!left[0].exists(), "the killed download's part file is removed at once");
    assert!(running.exists(), "a running download's is left alone");
}

#[tokio::test]
async fn a_damaged_session_file_exits_3_and_login_replaces_it() {
    let cli = Cli::logged_in(quiet_config()).await;
    std::fs::write(cli.h.store.session_path(), b"{\"access_token\": \"half a fi").expect("damage it");
    for command in [&["status"][..], &["watch", "--interval", "200ms"]] {
        let output = cli.run(command).await;
        assert_exit(&output, 3);
        let said = stderr(&output);
        assert!(said.contains("damaged") && said.contains("blinktui login"), "{command:?}: {said}");
        assert!(!said.contains("half a fi"), "the file's content is not shown: {said}");
    }
    let login = cli
        .run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], &format!("{}\n", demo::DEMO_PASSWORD))
        .await;
    assert_exit(&login, 0);
    assert_exit(&cli.run(&["status"]).await, 0);
}

#[tokio::test]
async fn login_replaces_a_garbage_hardware_id_and_says_so() {
    let cli = Cli::new(quiet_config()).await;
    std::fs::create_dir_all(cli.h.store.dir()).expect("state dir");
    let id_file = cli.h.store.dir().join("hardware_id");
    std::fs::write(&id_file, b"\xff\xfe\x00 not an id").expect("garbage");
    let login = cli
        .run_with_stdin(&["login", "--email", demo::DEMO_EMAIL], &format!("{}\n", demo::DEMO_PASSWORD))
        .await;
    assert_exit(&login, 0);
    assert!(stderr(&login).contains("new device"), "{}", stderr(&login));
    let id = std::fs::read_to_string(&id_file).expect("a new id");
    assert!(uuid::Uuid::parse_str(id.trim()).is_ok(), "{id:?}");
    assert_exit(&cli.run(&["status"]).await, 0);
}

#[tokio::test]
async fn a_homescreen_without_its_lists_is_an_error_not_an_empty_account() {
    let cli = Cli::logged_in(quiet_config()).await;
    let caught = Fault::Respond {
        status: 200,
        content_type: "application/json".into(),
        body: br#"{"message":"caught"}"#.to_vec(),
    };
    cli.h.sim.faults().inject(Some("GET"), "/api/v3/accounts/*/homescreen", caught, None);
    let output = cli.run(&["status"]).await;
    assert_exit(&output, 1);
    assert!(stdout(&output).is_empty(), "no empty tables: {}", stdout(&output));
    assert!(stderr(&output).contains("networks"), "{}", stderr(&output));
}

#[tokio::test]
async fn a_read_only_state_directory_refreshes_in_memory_and_warns() {
    let cli = Cli::logged_in(quiet_config()).await;
    let disk = common::disk::SmallDisk::new(cli.h.dir.path().join("read-only-state"));
    disk.copy_state_from(cli.h.store.dir());
    if !disk.read_only() {
        return;
    }
    cli.h.sim.with_oauth(|o| o.expire_access_tokens());
    let mut status = cli.command(&["status"]);
    status.env("BLINKTUI_STATE_DIR", &disk.dir);
    let output = status.output().await.expect("status");
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("Driveway"), "{}", stdout(&output));
    assert!(stderr(&output).contains("could not save the Blink session since"), "{}", stderr(&output));
    assert_eq!(cli.h.count("POST", "/oauth/token"), 2, "login and the refresh");
}
