//! A hostile or compromised server: escape sequences in every string it sends must never reach
//! the terminal raw, and no redirect may carry a credential or a command anywhere else.

mod common;

use blinktui::api::{ApiError, BlinkClient, DeviceKind, DeviceRef, LoginFlow, MediaKind, SignInOutcome};
use blinktui::sanitize::is_unsafe;
use blinktui::secret::Secret;
use blinktui::sim::Fault;
use blinktui::sim::demo::{self, CABIN_NETWORK};
use common::cli::{Cli, assert_exit, stderr, stdout};
use common::recorder::Recorder;
use common::{quiet_config, start};

/// Clipboard write, title change, screen clear, a bare C1 CSI, a bidi override, BEL, NUL, DEL
/// and a line feed that would start a forged line.
const HOSTILE: &str = "Evil\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}1m\u{202e}kcab\u{0}\u{7f}\nFAKE LINE\u{1b}]8;;http://x\u{1b}\\";

fn make_world_hostile(cli: &Cli) {
    cli.world(|world| {
        for network in &mut world.networks {
            network.network.name = format!("{HOSTILE} net {}", network.network.id);
            for program in &mut network.programs {
                program.name = format!("{HOSTILE} program");
            }
        }
        for device in &mut world.devices {
            device.device.name = format!("{HOSTILE} cam {}", device.device.id);
        }
        for item in &mut world.media {
            item.device_name = format!("{HOSTILE} cam");
            item.network_name = Some(HOSTILE.into());
            item.source = Some(HOSTILE.into());
        }
    });
}

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    let raw: Vec<char> = text.chars().filter(|c| is_unsafe(*c) && *c != '\n').collect();
    assert!(raw.is_empty(), "{what} printed raw {raw:?}:\n{text}");
    assert!(!text.contains("\nFAKE LINE"), "{what} let a server string start a line:\n{text}");
}

#[tokio::test]
async fn cli_tables_and_messages_show_server_strings_escaped() {
    let cli = Cli::logged_in(quiet_config()).await;
    make_world_hostile(&cli);
    for args in [&["status"][..], &["events", "--since", "7d"], &["programs"]] {
        let output = cli.run(args).await;
        assert_exit(&output, 0);
        assert_clean(&format!("{args:?} stdout"), &stdout(&output));
        assert_clean(&format!("{args:?} stderr"), &stderr(&output));
        assert!(stdout(&output).contains("Evil\\e]52;"), "{args:?} shows the name, escaped");
    }
    let output = cli.run(&["arm", &CABIN_NETWORK.to_string()]).await;
    assert_exit(&output, 0);
    assert_clean("arm", &stdout(&output));

    // Blink's own error message, as an error on stderr.
    let body = serde_json::json!({ "message": HOSTILE, "code": 304 }).to_string();
    cli.h.sim.faults().inject(
        Some("POST"),
        "/api/v1/accounts/*/networks/*/state/disarm",
        Fault::Respond { status: 409, content_type: "application/json".into(), body: body.into() },
        Some(1),
    );
    let output = cli.run(&["disarm", &CABIN_NETWORK.to_string()]).await;
    assert_exit(&output, 5);
    assert_clean("an error", &stderr(&output));
    assert!(stderr(&output).contains("Evil\\e]52;"), "{}", stderr(&output));

    // An unknown name lists the known ones: escaped too.
    let output = cli.run(&["motion", "no such camera", "on"]).await;
    assert_exit(&output, 2);
    assert_clean("a usage error", &stderr(&output));

    let log = std::fs::read_to_string(cli.h.store.dir().join("blinktui.log")).unwrap_or_default();
    assert_clean("the log file", &log);
}

#[tokio::test]
async fn json_output_is_exact_and_escapes_what_serde_leaves_raw() {
    let cli = Cli::logged_in(quiet_config()).await;
    make_world_hostile(&cli);
    for args in [&["status", "--json"][..], &["events", "--since", "7d", "--json"], &["programs", "--json"]] {
        let output = cli.run(args).await;
        assert_exit(&output, 0);
        let text = stdout(&output);
        assert_clean(&format!("{args:?}"), &text);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(doc.to_string().contains("\\u001b]52;"), "the exact value survives: {args:?}");
        assert!(text.contains("\\u009b") && text.contains("\\u202e") && text.contains("\\u007f"), "{text}");
    }
    let output = cli.run(&["status", "--json"]).await;
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    assert_eq!(doc["networks"][0]["name"].as_str(), Some(format!("{HOSTILE} net 200101").as_str()));
}

#[tokio::test]
async fn a_redirected_token_refresh_sends_the_refresh_token_nowhere() {
    let h = start(quiet_config()).await;
    let thief = Recorder::start("application/json", br#"{"access_token":"stolen"}"#.to_vec()).await;
    let mut session = h.sign_in().await;
    session.expires_at = 0; // the next request refreshes first
    h.store.save(&session).expect("save");
    let client = BlinkClient::new(h.options.clone(), session, Some(h.store.clone())).expect("client");
    for status in [301, 302, 307, 308] {
        let location = format!("{}/oauth/token", thief.url);
        h.sim.faults().inject(Some("POST"), "/oauth/token", Fault::Redirect { status, location }, Some(1));
        let err = client.homescreen().await.expect_err("refresh refused");
        assert!(matches!(err, ApiError::Redirected { status: s, .. } if s == status), "{err:?}");
        assert!(err.to_string().contains("redirect"), "{err}");
    }
    assert!(thief.seen().is_empty(), "the other host got {:?}", thief.seen());
    assert!(h.store.load().expect("load").is_some(), "a redirect is no verdict on the session");
}

#[tokio::test]
async fn a_redirected_login_step_carries_no_token_elsewhere() {
    let h = start(quiet_config()).await;
    let thief = Recorder::start("application/json", br#"{"tier":"x","account_id":1}"#.to_vec()).await;
    let location = format!("{}/api/v1/users/tier_info", thief.url);
    h.sim.faults().inject(None, "/api/v1/users/tier_info", Fault::Redirect { status: 302, location }, None);
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let result = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await;
    assert!(matches!(result, Err(ApiError::Redirected { status: 302, .. })), "{result:?}");
    let location = format!("{}/oauth/v2/2fa/verify", thief.url);
    h.sim.faults().inject(None, "/oauth/v2/signin", Fault::Redirect { status: 307, location }, Some(1));
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let _ = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await;
    assert!(thief.seen().is_empty(), "the other host got {:?}", thief.seen());
}

#[tokio::test]
async fn a_redirected_command_is_not_followed_nor_read_as_its_answer() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let decoy =
        Recorder::start("application/json", br#"{"id":999,"network_id":1,"state":"new"}"#.to_vec()).await;
    let location = format!("{}/fake-command", decoy.url);
    let arm = "/api/v1/accounts/*/networks/*/state/arm";
    h.sim.faults().inject(Some("POST"), arm, Fault::Redirect { status: 302, location }, Some(1));
    let err = client.arm(CABIN_NETWORK).await.expect_err("not followed");
    assert!(matches!(err, ApiError::Redirected { status: 302, .. }), "{err:?}");
    assert!(decoy.seen().is_empty(), "the decoy got {:?}", decoy.seen());
}

#[tokio::test]
async fn a_media_redirect_to_another_host_is_followed_without_the_token() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1];
    let cdn = Recorder::start("image/jpeg", jpeg.clone()).await;
    let device = DeviceRef {
        kind: DeviceKind::Camera,
        id: 400102,
        network_id: 200101,
        device_type: "catalina".into(),
    };
    let home = client.homescreen().await.expect("home");
    let thumbnail = home.device(device.id).and_then(|(_, d)| d.thumbnail.clone()).expect("thumbnail");
    let location = format!("{}/cdn/picture.jpg", cdn.url);
    h.sim.faults().inject(Some("GET"), "/api/v3/media/*", Fault::Redirect { status: 302, location }, Some(1));
    let bytes = client.thumbnail(&device, &thumbnail).await.expect("followed");
    assert_eq!(bytes.as_ref(), jpeg.as_slice());
    let seen = cdn.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(!seen[0].authorization, "the bearer token stays with Blink");
    let _ = client.download("/api/v3/media/x.jpg", MediaKind::Jpeg).await;
}

#[tokio::test]
async fn an_unusable_sign_in_redirect_is_no_login() {
    let h = start(quiet_config()).await;
    h.sim.faults().inject(
        Some("GET"),
        "/oauth/v2/authorize",
        Fault::Redirect { status: 302, location: "file:///etc/passwd".into() },
        Some(1),
    );
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let result = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await;
    assert!(result.is_err() && !matches!(result, Ok(SignInOutcome::LoggedIn(_))));
}
