//! Every endpoint of the client against the simulator, each device family at its own paths.

mod common;

use std::time::Duration;

use blinktui::api::models::{MediaItem, NotificationConfig, ThumbnailRef};
use blinktui::api::{
    ApiError, BlinkClient, DEFAULT_USER_AGENT, DeviceConfig, DeviceKind, DeviceRef, MediaKind, Started,
};
use blinktui::sim::Fault;
use blinktui::sim::SimConfig;
use blinktui::sim::demo::{CABIN_NETWORK, HOME_NETWORK};
use common::{Harness, quiet_config, start};
use jiff::{SignedDuration, Timestamp};

const FRONT_DOOR: u64 = 400101; // doorbell, timestamp thumbnail
const DRIVEWAY: u64 = 400102; // catalina, new-style path
const LIVING_ROOM: u64 = 400104; // Mini, timestamp
const GARAGE: u64 = 400105; // white, old-style path, Cabin
const DOCK: u64 = 400106; // offline
const PORCH: u64 = 400107; // Mini, old-style path, Cabin

async fn device(client: &BlinkClient, id: u64) -> DeviceRef {
    let home = client.homescreen().await.expect("homescreen");
    let (kind, device) = home.device(id).expect("demo device");
    DeviceRef::new(kind, device)
}

async fn setup() -> (Harness, BlinkClient) {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    (h, client)
}

#[tokio::test]
async fn homescreen_lists_every_family_and_remembers_the_client_id() {
    let (_h, client) = setup().await;
    let home = client.homescreen().await.expect("homescreen");
    let count = |kind| home.devices().filter(|(k, _)| *k == kind).count();
    assert_eq!((count(DeviceKind::Camera), count(DeviceKind::Mini), count(DeviceKind::Doorbell)), (4, 2, 1));
    assert_eq!(home.sync_modules.len(), 2);
    assert!(home.networks.iter().any(|n| n.armed) && home.networks.iter().any(|n| !n.armed));
    assert!(home.devices().any(|(_, d)| !d.is_online()), "one camera offline");
    assert!(home.devices().any(|(_, d)| d.battery_low()), "one battery low");
    assert_eq!(client.session().await.client_id, Some(772211), "from the Client-Id header");
}

#[tokio::test]
async fn networks_sync_modules_and_usage() {
    let (_h, client) = setup().await;
    let networks = client.networks().await.expect("networks");
    assert_eq!(networks.summary.len(), 2);
    assert_eq!(
        networks.networks.iter().find(|n| n.id == HOME_NETWORK).and_then(|n| n.arm_string.clone()).as_deref(),
        Some("Armed")
    );
    let sync = client.sync_module(CABIN_NETWORK).await.expect("sync").expect("present");
    assert_eq!((sync.network_id, sync.module_type.as_deref()), (CABIN_NETWORK, Some("sm1")));
    let usage = client.camera_usage().await.expect("usage");
    let cameras: usize = usage.networks.iter().map(|n| n.cameras.len()).sum();
    assert_eq!(cameras, 4, "regular cameras only");
    let err = client.sync_module(999).await.expect_err("unknown network");
    assert!(matches!(err, ApiError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn arming_takes_effect_only_when_the_command_is_done() {
    let h = start(SimConfig { command_delay: Duration::from_millis(400), ..quiet_config() }).await;
    let client = h.login().await;
    let started = client.arm(CABIN_NETWORK).await.expect("arm accepted");
    let Started::Command(command) = started else { panic!("arm is a command") };
    assert_eq!(command.network_id, CABIN_NETWORK);
    let home = client.homescreen().await.expect("homescreen");
    assert!(!home.networks.iter().any(|n| n.id == CABIN_NETWORK && n.armed), "not yet");
    let mut polls = 0;
    let status = client.wait_for_command(command, |_| polls += 1).await.expect("done");
    assert!(status.complete && polls >= 2, "polled {polls} times");
    let home = client.homescreen().await.expect("homescreen");
    assert!(home.networks.iter().any(|n| n.id == CABIN_NETWORK && n.armed));

    let started = client.disarm(CABIN_NETWORK).await.expect("disarm");
    client.wait_for_command(started.command().expect("command"), |_| {}).await.expect("done");
    let home = client.homescreen().await.expect("homescreen");
    assert!(!home.networks.iter().any(|n| n.id == CABIN_NETWORK && n.armed));
    assert_eq!(h.count("POST", "/api/v1/accounts/104583/networks/200102/state/arm"), 1);
    assert_eq!(h.count("POST", "/api/v1/accounts/104583/networks/200102/state/disarm"), 1);
}

#[tokio::test]
async fn a_command_sent_while_the_network_is_busy_goes_through_once_it_is_free() {
    let h = start(SimConfig { command_delay: Duration::from_millis(600), ..quiet_config() }).await;
    let client = h.login().await;
    client.arm(CABIN_NETWORK).await.expect("first");
    let second = client.disarm(CABIN_NETWORK).await.expect("waits, then is accepted");
    client.wait_for_command(second.command().expect("command"), |_| {}).await.expect("done");
    let disarms: Vec<u16> = h
        .sim
        .faults()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/state/disarm"))
        .map(|r| r.status)
        .collect();
    assert_eq!(disarms.first(), Some(&409), "Blink said busy first: {disarms:?}");
    assert_eq!(disarms.last(), Some(&200), "{disarms:?}");
}

#[tokio::test]
async fn a_network_that_stays_busy_and_arming_without_cameras_are_refused() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let busy = serde_json::json!({"message": "System is busy, please try again", "code": 307}).to_string();
    let fault = Fault::Respond { status: 409, content_type: "application/json".into(), body: busy.into() };
    h.sim.faults().inject(Some("POST"), "*/state/disarm", fault, None);
    let err = client.disarm(CABIN_NETWORK).await.expect_err("busy");
    assert!(matches!(&err, ApiError::CommandFailed { code: 307, .. }), "{err:?}");
    assert_eq!(h.count("POST", "*/state/disarm"), 6, "sent once and again five times, then reported");
    h.sim.faults().clear();

    h.sim.with_world(|w| {
        w.devices
            .iter_mut()
            .filter(|d| d.device.network_id == HOME_NETWORK)
            .for_each(|d| d.device.enabled = false)
    });
    let err = client.arm(HOME_NETWORK).await.expect_err("no cameras");
    assert!(
        matches!(&err, ApiError::CommandFailed { code: 304, message } if message == "No Cameras Enabled for Motion"),
        "{err:?}"
    );
}

#[tokio::test]
async fn motion_detection_per_family() {
    let (h, client) = setup().await;
    for (id, path) in [
        (DRIVEWAY, "/network/200101/camera/400102/disable"),
        (LIVING_ROOM, "/api/v1/accounts/104583/networks/200101/owls/400104/config"),
        (FRONT_DOOR, "/api/v1/accounts/104583/networks/200101/doorbells/400101/disable"),
    ] {
        let device = device(&client, id).await;
        let started = client.set_motion(&device, false).await.expect("motion off");
        client.run_to_end(started).await;
        let home = client.homescreen().await.expect("homescreen");
        assert!(!home.device(id).expect("device").1.enabled, "{id} disabled");
        assert_eq!(h.count("POST", path), 1, "{path}");
    }
    let porch = device(&client, PORCH).await;
    client.run_to_end(client.set_motion(&porch, true).await.expect("on")).await;
    let camera = device(&client, GARAGE).await;
    client.run_to_end(client.set_motion(&camera, true).await.expect("on")).await;
    assert_eq!(h.count("POST", "/network/200102/camera/400105/enable"), 1);
}

#[tokio::test]
async fn snapshots_per_family_end_with_a_new_picture() {
    let (h, client) = setup().await;
    for (id, path) in [
        (DRIVEWAY, "/network/200101/camera/400102/thumbnail"),
        (LIVING_ROOM, "/api/v1/accounts/104583/networks/200101/owls/400104/thumbnail"),
        (FRONT_DOOR, "/api/v1/accounts/104583/networks/200101/doorbells/400101/thumbnail"),
        (GARAGE, "/network/200102/camera/400105/thumbnail"),
        (PORCH, "/api/v1/accounts/104583/networks/200102/owls/400107/thumbnail"),
    ] {
        let device = device(&client, id).await;
        let home = client.homescreen().await.expect("homescreen");
        let before = home.device(id).expect("device").1.thumbnail.clone().expect("thumbnail");
        let old_jpeg = client.thumbnail(&device, &before).await.expect("old picture");
        let snapshot = client.take_snapshot(&device, Some(before.clone())).await.expect("snapshot");
        assert_ne!(snapshot.thumbnail, before, "{id}: the thumbnail changed");
        assert!(snapshot.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), "{id}: a JPEG");
        assert_ne!(snapshot.jpeg, old_jpeg, "{id}: a different picture");
        assert_eq!(h.count("POST", path), 1, "{path}");
    }
}

#[tokio::test]
async fn thumbnails_download_in_all_three_url_shapes() {
    let (_h, client) = setup().await;
    let home = client.homescreen().await.expect("homescreen");
    let mut shapes = std::collections::BTreeSet::new();
    for (kind, device) in home.devices() {
        let thumbnail = device.thumbnail.clone().expect("every demo device has one");
        shapes.insert(match &thumbnail {
            ThumbnailRef::Timestamp(_) => "timestamp",
            ThumbnailRef::Path(p) if p.contains("&ext=") => "new path",
            ThumbnailRef::Path(_) => "old path",
        });
        let jpeg = client.thumbnail(&DeviceRef::new(kind, device), &thumbnail).await.expect("download");
        assert!(jpeg.len() > 1000, "{}: {} bytes", device.name, jpeg.len());
    }
    assert_eq!(shapes.len(), 3, "{shapes:?}");
}

#[tokio::test]
async fn a_command_for_an_offline_camera_fails_like_blink() {
    let (_h, client) = setup().await;
    let dock = device(&client, DOCK).await;
    let err = client.take_snapshot(&dock, None).await.expect_err("offline");
    assert!(
        matches!(&err, ApiError::CommandFailed { code: 905, message } if message == "Camera is offline"),
        "{err:?}"
    );
}

#[tokio::test]
async fn record_clip_per_family_adds_an_event() {
    let (h, client) = setup().await;
    let since = Timestamp::now() - SignedDuration::from_secs(5);
    for (id, path) in [
        (DRIVEWAY, "/network/200101/camera/400102/clip"),
        (LIVING_ROOM, "/api/v1/accounts/104583/networks/200101/owls/400104/clip"),
        (FRONT_DOOR, "/api/v1/accounts/104583/networks/200101/doorbells/400101/clip"),
    ] {
        let device = device(&client, id).await;
        client.run_to_end(client.record_clip(&device).await.expect("clip")).await;
        assert_eq!(h.count("POST", path), 1, "{path}");
    }
    let events = client.media_since(since, 5).await.expect("media");
    let mut devices: Vec<u64> = events.iter().map(|e| e.device_id).collect();
    devices.sort_unstable();
    assert_eq!(devices, [FRONT_DOOR, DRIVEWAY, LIVING_ROOM]);
}

#[tokio::test]
async fn liveview_per_family_runs_until_done() {
    let (h, client) = setup().await;
    for (id, path) in [
        (DRIVEWAY, "/api/v6/accounts/104583/networks/200101/cameras/400102/liveview"),
        (LIVING_ROOM, "/api/v2/accounts/104583/networks/200101/owls/400104/liveview"),
        (FRONT_DOOR, "/api/v2/accounts/104583/networks/200101/doorbells/400101/liveview"),
    ] {
        let device = device(&client, id).await;
        let live = client.liveview(&device).await.expect("liveview");
        assert_eq!((live.scheme.as_str(), live.host.as_str()), ("immis", "127.0.0.1"));
        assert_eq!(live.client_id, Some(772211));
        assert!(live.serial.is_some() && live.token.is_some());
        tokio::time::sleep(Duration::from_millis(300)).await;
        let status = client.command_status(live.command).await.expect("status");
        assert!(!status.complete, "liveview keeps running");
        let done = client.command_done(live.command).await.expect("done");
        assert_eq!(done.code, Some(902));
        assert!(client.command_status(live.command).await.expect("status").complete);
        assert_eq!(h.count("POST", path), 1, "{path}");
    }
}

#[tokio::test]
async fn config_signals_and_updates_per_family() {
    let (_h, client) = setup().await;
    let driveway = device(&client, DRIVEWAY).await;
    let DeviceConfig::Camera(config) = client.device_config(&driveway).await.expect("config") else {
        panic!("camera")
    };
    assert_eq!(config.camera[0].illuminator_enable, Some(2));
    client
        .run_to_end(
            client
                .update_config(&driveway, serde_json::json!({"illuminator_enable": 0}))
                .await
                .expect("update"),
        )
        .await;
    let DeviceConfig::Camera(config) = client.device_config(&driveway).await.expect("config") else {
        panic!("camera")
    };
    assert_eq!(config.camera[0].illuminator_enable, Some(0));
    let signals = client.signals(&driveway).await.expect("signals");
    assert!(signals.wifi.is_some() && signals.temp.is_some());

    let mini = device(&client, LIVING_ROOM).await;
    client
        .run_to_end(
            client
                .update_config(&mini, serde_json::json!({"illuminator_enable": "on"}))
                .await
                .expect("update"),
        )
        .await;
    let DeviceConfig::Mini(config) = client.device_config(&mini).await.expect("config") else {
        panic!("mini")
    };
    assert_eq!(config.illuminator_enable.as_deref(), Some("on"));
    assert!(client.signals(&mini).await.expect("signals").wifi.is_some());

    let bell = device(&client, FRONT_DOOR).await;
    let DeviceConfig::Doorbell(config) = client.device_config(&bell).await.expect("config") else {
        panic!("bell")
    };
    assert!(config.wifi_rssi.is_some());
    let signals = client.signals(&bell).await.expect("signals");
    assert!(signals.temp.is_some() && signals.wifi.is_some());
}

#[tokio::test]
async fn media_pages_download_and_delete() {
    let h = start(SimConfig { page_size: 4, ..quiet_config() }).await;
    let client = h.login().await;
    let all = client.media_since(Timestamp::UNIX_EPOCH, 100).await.expect("media");
    assert!(all.len() > 12, "three days of history: {}", all.len());
    assert!(h.count("GET", "/api/v1/accounts/104583/media/changed") > 3, "paged");
    assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    let first_page = client.media_changed(Timestamp::UNIX_EPOCH, 1).await.expect("page 1");
    assert_eq!((first_page.media.len(), first_page.limit), (4, Some(4)));
    let recent =
        client.media_since(Timestamp::now() - SignedDuration::from_hours(6), 100).await.expect("recent");
    assert!(recent.len() < all.len(), "since filters");
    let capped = client.media_since(Timestamp::UNIX_EPOCH, 2).await.expect("two pages");
    assert_eq!(capped.len(), 8, "max pages honoured");

    let event = &all[0];
    let clip =
        client.download(event.media.as_deref().expect("clip path"), MediaKind::Mp4).await.expect("clip");
    assert_eq!(&clip[4..8], b"ftyp");
    let picture =
        client.download(event.thumbnail.as_deref().expect("thumb"), MediaKind::Jpeg).await.expect("jpeg");
    assert!(picture.starts_with(&[0xFF, 0xD8]));

    client.delete_media(&[event.id]).await.expect("delete");
    assert_eq!(h.count("POST", "/api/v1/accounts/104583/media/delete"), 1);
    let after = client.media_since(Timestamp::UNIX_EPOCH, 100).await.expect("media");
    assert!(after.iter().all(|e| e.id != event.id || e.deleted), "listed only as a deletion");
    let page =
        client.media_changed(Timestamp::now() - SignedDuration::from_secs(60), 1).await.expect("changed");
    assert!(page.media.iter().any(|m| m.id == event.id && m.deleted), "deletion reported as a change");
    let err = client.delete_media(&[event.id]).await.expect_err("already gone").error;
    assert!(matches!(err, ApiError::NotFound(ref m) if m == "Media not found"), "{err:?}");
    let err = client.download(event.media.as_deref().expect("path"), MediaKind::Mp4).await.expect_err("gone");
    assert!(matches!(err, ApiError::NotFound(_)), "{err:?}");
}

/// Adds `n` fresh events to the Driveway camera.
fn add_events(h: &Harness, n: usize) -> Vec<u64> {
    h.sim.with_world(|w| (0..n).filter_map(|_| w.add_media(DRIVEWAY, Timestamp::now(), "pir")).collect())
}

fn deleted(h: &Harness, ids: &[u64]) -> usize {
    h.sim.with_world(|w| w.media.iter().filter(|m| m.deleted && ids.contains(&m.id)).count())
}

#[tokio::test]
async fn bulk_delete_sends_fifty_at_a_time_and_stops_at_a_refusal() {
    let (h, client) = setup().await;
    let path = "/api/v1/accounts/104583/media/delete";
    let ids = add_events(&h, 120);
    client.delete_media(&ids).await.expect("delete 120");
    assert_eq!(h.count("POST", path), 3, "50 + 50 + 20");
    assert_eq!(deleted(&h, &ids), 120);

    // The middle slice names only events already gone, so Blink refuses it.
    let (first, last) = (add_events(&h, 50), add_events(&h, 20));
    let list = [first.as_slice(), &ids[..50], last.as_slice()].concat();
    let err = client.delete_media(&list).await.expect_err("second slice refused");
    assert_eq!((err.done, err.total), (50, 120));
    assert!(matches!(err.error, ApiError::NotFound(_)), "{:?}", err.error);
    assert_eq!(h.count("POST", path), 5, "the third slice is not sent");
    assert_eq!((deleted(&h, &first), deleted(&h, &last)), (50, 0));
    assert!(err.to_string().ends_with("(50 of 120 deleted before that)"), "{err}");
}

fn updated(event: &MediaItem) -> Timestamp {
    event.updated_at.as_ref().expect("updated_at").at
}

/// Events older than an hour that are not watched yet, oldest first.
async fn old_unwatched(client: &BlinkClient) -> Vec<MediaItem> {
    let hour_ago = Timestamp::now() - SignedDuration::from_hours(1);
    let mut events: Vec<_> = client
        .media_since(Timestamp::UNIX_EPOCH, 100)
        .await
        .expect("media")
        .into_iter()
        .filter(|e| !e.watched && !e.deleted && updated(e) < hour_ago)
        .collect();
    events.reverse();
    events
}

#[tokio::test]
async fn marked_events_come_back_watched_as_changes() {
    let (h, client) = setup().await;
    let events = old_unwatched(&client).await;
    assert!(events.len() >= 3, "the demo history has unwatched events: {}", events.len());
    let (marked, untouched) = (&events[..2], &events[2]);
    let ids: Vec<u64> = marked.iter().map(|e| e.id).collect();
    client.mark_watched(&ids).await.expect("mark");
    assert_eq!(h.count("POST", "/api/v4/accounts/104583/media/mark_as_viewed"), 1);

    let page =
        client.media_changed(Timestamp::now() - SignedDuration::from_secs(60), 1).await.expect("changed");
    for event in marked {
        let now = page.media.iter().find(|m| m.id == event.id).expect("reported as changed");
        assert!(now.watched, "{} watched", event.id);
        assert!(updated(now) > updated(event), "updated_at moved for {}", event.id);
    }
    assert!(page.media.iter().all(|m| m.id != untouched.id), "unmarked events are not changes");
    let all = client.media_since(Timestamp::UNIX_EPOCH, 100).await.expect("media");
    assert!(!all.iter().find(|m| m.id == untouched.id).expect("listed").watched);
}

#[tokio::test]
async fn mark_all_watches_every_event_and_long_lists_go_in_slices() {
    let (h, client) = setup().await;
    let ids = add_events(&h, 70);
    client.mark_watched(&ids).await.expect("mark 70");
    assert_eq!(h.count("POST", "/api/v4/accounts/104583/media/mark_as_viewed"), 2, "50 + 20");
    assert!(h.sim.with_world(|w| w.media.iter().filter(|m| ids.contains(&m.id)).all(|m| m.watched)));

    let unwatched = old_unwatched(&client).await;
    assert!(!unwatched.is_empty());
    client.mark_all_watched().await.expect("mark all");
    assert_eq!(h.count("POST", "/api/v4/accounts/104583/media/mark_all_as_viewed"), 1);
    let all = client.media_since(Timestamp::UNIX_EPOCH, 100).await.expect("media");
    assert!(all.iter().filter(|m| !m.deleted).all(|m| m.watched), "every event watched");
    let changed =
        client.media_since(Timestamp::now() - SignedDuration::from_secs(60), 100).await.expect("changed");
    assert!(
        unwatched.iter().all(|e| changed.iter().any(|m| m.id == e.id && m.watched)),
        "reported as changes"
    );
}

#[tokio::test]
async fn mark_as_viewed_refuses_bad_bodies_unknown_events_and_other_accounts() {
    let (h, client) = setup().await;
    let token = client.session().await.access_token;
    let post = |account: u64, body: String| {
        let url = format!("{}/api/v4/accounts/{account}/media/mark_as_viewed", h.sim.url());
        let token = token.expose().to_owned();
        async move {
            let response =
                reqwest::Client::new().post(url).bearer_auth(token).body(body).send().await.expect("send");
            let status = response.status().as_u16();
            let answer: serde_json::Value = response.json().await.expect("json");
            (status, answer["code"].as_i64())
        }
    };
    for body in ["", "not json", r#"{"media":[1]}"#, r#"{"media_list":[]}"#, r#"{"media_list":"1"}"#] {
        assert_eq!(post(104583, body.to_owned()).await, (400, Some(706)), "body {body:?}");
    }
    let event = old_unwatched(&client).await.remove(0);
    let body = format!(r#"{{"media_list":[{}]}}"#, event.id);
    assert_eq!(post(1, body).await, (403, Some(101)), "another account");
    assert!(!h.sim.with_world(|w| w.media.iter().any(|m| m.id == event.id && m.watched)));

    let err = client.mark_watched(&[1]).await.expect_err("no such event");
    assert!(matches!(err.error, ApiError::NotFound(ref m) if m == "Media not found"), "{:?}", err.error);
    assert_eq!((err.done, err.total), (0, 1));
    assert_eq!(h.count("POST", "/api/v4/accounts/*/media/mark_as_viewed"), 7, "every request logged");
}

#[tokio::test]
async fn programs_list_enable_disable() {
    let (_h, client) = setup().await;
    let programs = client.programs(HOME_NETWORK).await.expect("programs");
    assert_eq!(programs.len(), 2);
    let weekend = programs.iter().find(|p| !p.is_enabled()).expect("a disabled program");
    let answer = client.set_program_enabled(HOME_NETWORK, weekend.id, true).await.expect("enable");
    assert_eq!(answer.code, Some(802));
    assert!(client.programs(HOME_NETWORK).await.expect("programs").iter().all(|p| p.is_enabled()));
    client.set_program_enabled(HOME_NETWORK, weekend.id, false).await.expect("disable");
    let again = client.programs(HOME_NETWORK).await.expect("programs");
    assert!(!again.iter().find(|p| p.id == weekend.id).expect("program").is_enabled());
    let err = client.set_program_enabled(HOME_NETWORK, 1, true).await.expect_err("unknown");
    assert!(matches!(err, ApiError::NotFound(_)));
}

#[tokio::test]
async fn notifications_account_and_logout() {
    let (h, client) = setup().await;
    let flags = client.notifications().await.expect("flags");
    assert_eq!(flags.notifications.get("motion"), Some(&true));
    let change = NotificationConfig { notifications: [("motion".to_owned(), false)].into() };
    let answer = client.set_notifications(&change).await.expect("set");
    assert_eq!(answer.message.as_deref(), Some("Client Notification Configure Update Successful"));
    let flags = client.notifications().await.expect("flags");
    assert_eq!(
        (flags.notifications.get("motion"), flags.notifications.get("wifi")),
        (Some(&false), Some(&true))
    );

    assert!(!client.version().await.expect("version").update_required);
    let regions = client.regions().await.expect("regions");
    assert!(regions.regions.values().any(|r| r.dns == "u011"));
    assert_eq!(client.account_options().await.expect("options").flag("owl_app_enabled"), Some(true));
    assert_eq!(client.user().await.expect("user").email.as_deref(), Some(blinktui::sim::demo::DEMO_EMAIL));

    client.homescreen().await.expect("learn the client id");
    let answer = client.logout().await.expect("logout").expect("client id known");
    assert_eq!(answer.message.as_deref(), Some("logout"));
    assert_eq!(h.count("POST", "/api/v4/account/104583/client/772211/logout"), 1);
}

/// Small helper: start a command and wait for it (or accept an immediate change).
trait RunToEnd {
    async fn run_to_end(&self, started: Started);
}

impl RunToEnd for BlinkClient {
    async fn run_to_end(&self, started: Started) {
        if let Some(command) = started.command() {
            self.wait_for_command(command, |_| {}).await.expect("command completes");
        }
    }
}

#[tokio::test]
async fn motion_keeps_arriving_where_a_site_is_armed() {
    let h = start(SimConfig { motion_interval: Some(Duration::from_millis(150)), ..quiet_config() }).await;
    let before = h.sim.with_world(|w| w.media.len());
    let grew =
        common::eventually(Duration::from_secs(10), || h.sim.with_world(|w| w.media.len()) >= before + 6)
            .await;
    assert!(grew, "new events keep coming");
    let (home, cabin) = h.sim.with_world(|w| {
        let fresh = &w.media[before..];
        (
            fresh.iter().filter(|m| m.network_id == HOME_NETWORK).count(),
            fresh.iter().filter(|m| m.network_id == CABIN_NETWORK).count(),
        )
    });
    assert!(home >= 6, "armed Home records motion");
    assert_eq!(cabin, 0, "disarmed Cabin does not");
    let disabled = h.sim.with_world(|w| {
        w.media[before..].iter().any(|m| !w.device(m.device_id).is_some_and(|d| d.device.enabled))
    });
    assert!(!disabled, "only cameras with motion detection on");
}

#[tokio::test]
async fn rest_requests_and_tier_discovery_carry_the_user_agent() {
    let (h, client) = setup().await;
    client.homescreen().await.expect("homescreen");
    client.networks().await.expect("networks");
    let requests = h.sim.faults().requests();
    let rest: Vec<_> = requests.iter().filter(|r| !r.path.starts_with("/oauth/")).collect();
    assert!(rest.iter().any(|r| r.path == "/api/v1/users/tier_info"), "tier discovery was seen");
    for request in &rest {
        assert_eq!(
            request.user_agent.as_deref(),
            Some(DEFAULT_USER_AGENT),
            "{} {}",
            request.method,
            request.path
        );
    }
    // The OAuth host keeps the iOS sign-in's own agents.
    let token = requests.iter().find(|r| r.path == "/oauth/token").expect("token request");
    assert_eq!(token.user_agent.as_deref(), Some(blinktui::api::oauth::TOKEN_USER_AGENT));

    let mut options = h.options.clone();
    options.user_agent = "Blink/52.0 (test)".into();
    let custom = BlinkClient::new(options, client.session().await, None).expect("client");
    custom.networks().await.expect("networks");
    let last = h.sim.faults().requests().pop().expect("request");
    assert_eq!(last.user_agent.as_deref(), Some("Blink/52.0 (test)"));
}

#[tokio::test]
async fn waiting_for_a_snapshot_reads_homescreen_at_most_once_per_interval() {
    let (h, client) = setup().await;
    let mut options = h.options.clone();
    options.snapshot_poll_interval = Duration::from_millis(400);
    options.snapshot_timeout = Duration::from_secs(2);
    let client = BlinkClient::new(options, client.session().await, None).expect("client");
    let driveway = device(&client, DRIVEWAY).await;
    // Homescreen keeps showing the old picture: the snapshot waits until it gives up.
    let frozen = serde_json::to_vec(&client.homescreen().await.expect("homescreen")).expect("encode");
    let homescreen = "/api/v3/accounts/*/homescreen";
    h.sim.faults().inject(
        Some("GET"),
        homescreen,
        Fault::Respond { status: 200, content_type: "application/json".into(), body: frozen },
        None,
    );
    let first = h.sim.faults().requests().len();
    let err = client.take_snapshot(&driveway, None).await.expect_err("no new picture");
    assert!(matches!(err, ApiError::CommandFailed { .. }), "{err:?}");
    let reads: Vec<_> = h.sim.faults().requests()[first..]
        .iter()
        .filter(|r| r.path.ends_with("/homescreen"))
        .map(|r| r.at)
        .collect();
    assert!(reads.len() >= 2, "{} reads", reads.len());
    for pair in reads.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(390), "homescreen read again after {gap:?}");
    }
}
