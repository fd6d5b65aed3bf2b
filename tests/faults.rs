//! Each injected fault and what the client does about it: idempotent requests retry with
//! backoff, command-starting POSTs never do, 401 refreshes once, bad bodies are decode errors.

mod common;

use std::time::{Duration, Instant};

use blinktui::api::body::MIB;
use blinktui::api::{ApiError, BlinkClient, BodyKind, BodyLimits, ClientOptions, LoginFlow, MediaKind};
use blinktui::files::{ClipError, Progress, download_clip};
use blinktui::secret::Secret;
use blinktui::sim::Fault;
use blinktui::sim::demo::CABIN_NETWORK;
use common::{Harness, quiet_config, start};

const NETWORKS: &str = "/networks";
const ARM: &str = "/api/v1/accounts/*/networks/*/state/arm";

async fn setup() -> (Harness, BlinkClient) {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    (h, client)
}

#[tokio::test]
async fn server_errors_on_a_get_are_retried_then_succeed() {
    let (h, client) = setup().await;
    h.sim.faults().inject(Some("GET"), NETWORKS, Fault::Status(500), Some(2));
    client.networks().await.expect("third attempt succeeds");
    assert_eq!(h.count("GET", NETWORKS), 3);
}

#[tokio::test]
async fn persistent_server_errors_give_up_after_the_retry_budget() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::Status(503), None);
    let err = client.networks().await.expect_err("never recovers");
    assert!(matches!(err, ApiError::Server { status: 503, .. }), "{err:?}");
    assert_eq!(h.count("GET", NETWORKS), 4, "one try and three retries");
}

#[tokio::test]
async fn a_command_post_is_never_retried() {
    let (h, client) = setup().await;
    h.sim.faults().inject(Some("POST"), ARM, Fault::Status(500), Some(1));
    // Neither answer says whether Blink took the command: its outcome is open, never retried.
    let err = client.arm(CABIN_NETWORK).await.expect_err("500");
    assert!(
        matches!(&err, ApiError::OutcomeUnknown { reason, .. } if reason.contains("HTTP 500")),
        "{err:?}"
    );
    assert_eq!(h.count("POST", ARM), 1);

    h.sim.faults().inject(Some("POST"), ARM, Fault::DropConnection, Some(1));
    let err = client.arm(CABIN_NETWORK).await.expect_err("dropped");
    assert!(
        matches!(&err, ApiError::OutcomeUnknown { reason, .. } if reason.contains("network error")),
        "{err:?}"
    );
    assert_eq!(h.count("POST", ARM), 2);
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::RateLimit { retry_after_secs: 1 }, Some(1));
    let started = Instant::now();
    client.networks().await.expect("after waiting");
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured");
    assert_eq!(h.count("GET", NETWORKS), 2);
}

#[tokio::test]
async fn a_long_rate_limit_is_reported_with_its_retry_after() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::RateLimit { retry_after_secs: 600 }, None);
    let err = client.networks().await.expect_err("too long to wait");
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(600)),
        "{err:?}"
    );
    assert_eq!(h.count("GET", NETWORKS), 1);
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once_and_the_request_repeated() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::Unauthorized, Some(1));
    client.networks().await.expect("after refresh");
    assert_eq!(h.count("POST", "/oauth/token"), 2, "login exchange and one refresh");

    // Even a command POST is repeated after a 401: Blink refused it before acting on it.
    h.sim.faults().inject(Some("POST"), ARM, Fault::Unauthorized, Some(1));
    client.arm(CABIN_NETWORK).await.expect("arm after refresh");
    assert_eq!(h.count("POST", ARM), 2);
}

#[tokio::test]
async fn a_401_that_persists_after_refresh_needs_a_login() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::Unauthorized, None);
    let err = client.networks().await.expect_err("still 401");
    assert!(matches!(err, ApiError::Unauthorized), "{err:?}");
    assert!(err.needs_login());
    assert_eq!(h.count("POST", "/oauth/token"), 2, "exactly one refresh");
    assert_eq!(h.count("GET", NETWORKS), 2);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::MalformedJson, Some(1));
    let err = client.networks().await.expect_err("truncated body");
    let ApiError::Decode { endpoint, excerpt, .. } = &err else { panic!("{err:?}") };
    assert_eq!(endpoint, "networks");
    assert!(excerpt.starts_with("{\"networks\""), "{excerpt}");
    assert!(err.to_string().contains("unexpected answer"), "{err}");
}

#[tokio::test]
async fn a_dropped_connection_on_a_get_is_retried() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, NETWORKS, Fault::DropConnection, Some(1));
    client.networks().await.expect("retried");
    assert_eq!(h.count("GET", NETWORKS), 2);
}

#[tokio::test]
async fn latency_within_the_timeout_is_tolerated_and_beyond_it_times_out() {
    let (h, _) = setup().await;
    let mut options = h.options.clone();
    options.request_timeout = Duration::from_millis(300);
    options.retry.max_retries = 0;
    let client =
        BlinkClient::new(options, h.store.load().expect("load").expect("session"), None).expect("client");
    h.sim.faults().inject(None, NETWORKS, Fault::Latency(Duration::from_millis(50)), Some(1));
    client.networks().await.expect("slow but in time");
    h.sim.faults().inject(None, NETWORKS, Fault::Latency(Duration::from_secs(2)), Some(1));
    let err = client.networks().await.expect_err("too slow");
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("127.0.0.1"), "names the host: {err}");
}

#[tokio::test]
async fn network_errors_never_show_tokens() {
    let (h, client) = setup().await;
    let token = client.session().await.access_token;
    for fault in [Fault::DropConnection, Fault::MalformedJson, Fault::Status(500), Fault::Unauthorized] {
        h.sim.faults().inject(None, NETWORKS, fault, None);
        let err = client.networks().await.expect_err("fault");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(token.expose()), "{shown}");
        h.sim.faults().clear();
    }
}

#[tokio::test]
async fn a_delete_answered_with_another_code_is_a_refusal() {
    let (h, client) = setup().await;
    h.sim.faults().inject(None, "/api/v1/accounts/*/media/delete", Fault::Status(200), Some(1));
    let err = client.delete_media(&[1]).await.expect_err("code 999, not 711").error;
    assert!(matches!(err, ApiError::Rejected { status: 200, code: Some(999), .. }), "{err:?}");
}

#[tokio::test]
async fn marking_watched_accepts_any_2xx_but_a_known_refusal() {
    let (h, client) = setup().await;
    let path = "/api/v4/accounts/*/media/mark_all_as_viewed";
    let respond = |body: &str| Fault::Respond {
        status: 200,
        content_type: "application/json".into(),
        body: body.as_bytes().to_vec(),
    };
    h.sim.faults().inject(None, path, respond(""), Some(1));
    client.mark_all_watched().await.expect("an empty 200 is success");
    h.sim.faults().inject(
        None,
        path,
        respond(r#"{"message":"Invalid Media List Format","code":706}"#),
        Some(1),
    );
    let err = client.mark_all_watched().await.expect_err("706 in a 200");
    assert!(matches!(err, ApiError::Rejected { status: 200, code: Some(706), .. }), "{err:?}");
    // Setting a flag twice changes nothing, so a server error is retried like a GET's.
    h.sim.faults().inject(None, path, Fault::Status(503), Some(1));
    client.mark_all_watched().await.expect("retried after a 503");
    assert_eq!(h.count("POST", path), 4);
}

fn respond_json(body: &str) -> Fault {
    Fault::Respond { status: 200, content_type: "application/json".into(), body: body.as_bytes().to_vec() }
}

const COMMAND_POLL: &str = "/network/*/command/*";

/// A client that gives up on a command after 2 s, so a poll that never ends fails fast.
fn impatient(h: &Harness, client_session: blinktui::api::Session) -> BlinkClient {
    let mut options = h.options.clone();
    options.command_timeout = Duration::from_secs(2);
    BlinkClient::new(options, client_session, None).expect("client")
}

#[tokio::test]
async fn odd_field_types_cost_a_field_or_a_record_never_the_document() {
    let (h, client) = setup().await;
    let homescreen = "/api/v3/accounts/*/homescreen";
    h.sim.faults().inject(
        None,
        homescreen,
        respond_json(include_str!("fixtures/variants/homescreen_odd_types.json")),
        Some(1),
    );
    let home = client.homescreen().await.expect("one odd field does not reject homescreen");
    let ids: Vec<_> = home.devices().map(|(_, d)| d.id).collect();
    assert_eq!(ids, [7141005, 7141006, 8141002], "only the records without a readable id are gone");

    let media = "/api/v1/accounts/*/media/changed";
    h.sim.faults().inject(
        None,
        media,
        respond_json(include_str!("fixtures/variants/media_odd_types.json")),
        Some(1),
    );
    let page = client.media_changed(jiff::Timestamp::UNIX_EPOCH, 1).await.expect("media page");
    assert_eq!(page.media.iter().map(|m| m.id).collect::<Vec<_>>(), [7000101, 7000102]);
}

#[tokio::test]
async fn a_command_accepted_with_string_ids_is_followed() {
    let (h, client) = setup().await;
    h.sim.faults().inject(
        Some("POST"),
        ARM,
        respond_json(include_str!("fixtures/variants/command_string_ids.json")),
        Some(1),
    );
    let started = client.arm(CABIN_NETWORK).await.expect("Blink accepted it");
    let command = started.command().expect("a command to poll");
    assert_eq!((command.id, command.network_id), (999990002, 5141001));
}

#[tokio::test]
async fn a_sub_command_in_error_ends_the_poll_as_failed() {
    let (h, client) = setup().await;
    let client = impatient(&h, client.session().await);
    let started = client.arm(CABIN_NETWORK).await.expect("arm");
    let command = started.command().expect("command");
    h.sim.faults().inject(
        Some("GET"),
        COMMAND_POLL,
        respond_json(include_str!("fixtures/variants/command_poll_error_state.json")),
        None,
    );
    let err = client.wait_for_command(command, |_| {}).await.expect_err("failed");
    assert!(
        matches!(&err, ApiError::CommandFailed { code: 908, message } if message.contains("\"error\"")),
        "{err:?}"
    );
    assert_eq!(h.count("GET", COMMAND_POLL), 1, "the first answer in error ends it");
}

#[tokio::test]
async fn a_poll_answer_without_a_status_code_is_a_failure() {
    let (h, client) = setup().await;
    let client = impatient(&h, client.session().await);
    let started = client.arm(CABIN_NETWORK).await.expect("arm");
    let command = started.command().expect("command");
    h.sim.faults().inject(
        Some("GET"),
        COMMAND_POLL,
        respond_json(include_str!("fixtures/variants/command_poll_no_status_code.json")),
        Some(1),
    );
    let err = client.wait_for_command(command, |_| {}).await.expect_err("no status code");
    assert!(matches!(err, ApiError::CommandFailed { code: 0, .. }), "{err:?}");
}

/// What a connection can hold between the simulator and the client besides what the client
/// took: kernel socket buffers and the HTTP stacks' own. A client that kept reading would be
/// far past it.
const IN_FLIGHT: u64 = 32 * MIB;

async fn an_event_with_a_clip(client: &BlinkClient) -> blinktui::api::models::MediaItem {
    let events = client.media_since(jiff::Timestamp::UNIX_EPOCH, 1).await.expect("events");
    events.into_iter().find(|e| e.media.is_some()).expect("an event with a clip")
}

fn limited(h: &Harness, limits: BodyLimits) -> BlinkClient {
    let options = ClientOptions { limits, ..h.options.clone() };
    BlinkClient::new(options, h.store.load().expect("load").expect("session"), None).expect("client")
}

#[tokio::test]
async fn an_endless_json_answer_stops_at_the_limit() {
    let (h, _) = setup().await;
    let client = limited(&h, BodyLimits { json: MIB, ..BodyLimits::default() });
    h.sim.faults().inject(None, NETWORKS, Fault::EndlessBody { start: b"{\"networks\":[".to_vec() }, None);
    let err = client.networks().await.expect_err("never ends");
    assert!(
        matches!(&err, ApiError::TooLarge { endpoint, kind: BodyKind::Json, limit } if endpoint == "networks" && *limit == MIB),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(shown.contains("1 MiB") && shown.contains("max_json_mb"), "{shown}");
    assert_eq!(h.count("GET", NETWORKS), 1, "not worth repeating");
    let streamed = h.sim.faults().streamed_bytes();
    assert!(streamed > MIB && streamed < MIB + IN_FLIGHT, "the client stopped reading: {streamed}");
}

#[tokio::test]
async fn a_huge_json_answer_is_refused_by_its_announced_length() {
    let (h, client) = setup().await;
    let huge = Fault::HugeBody { start: b"[".to_vec(), bytes: 200 * MIB };
    h.sim.faults().inject(None, NETWORKS, huge, None);
    let err = client.networks().await.expect_err("200 MiB");
    assert!(
        matches!(err, ApiError::TooLarge { limit, .. } if limit == BodyLimits::default().json),
        "{err:?}"
    );
    assert!(h.sim.faults().streamed_bytes() < IN_FLIGHT, "refused before reading");
}

#[tokio::test]
async fn an_endless_picture_stops_at_the_image_limit() {
    let (h, _) = setup().await;
    let client = limited(&h, BodyLimits { image: 2 * MIB, ..BodyLimits::default() });
    let jpeg_start = vec![0xFF, 0xD8, 0xFF, 0xE0];
    h.sim.faults().inject(None, "*.jpg", Fault::EndlessBody { start: jpeg_start }, None);
    let err = client.download("/api/v3/media/x.jpg", MediaKind::Jpeg).await.expect_err("never ends");
    assert!(matches!(err, ApiError::TooLarge { kind: BodyKind::Image, .. }), "{err:?}");
    assert!(err.to_string().contains("max_image_mb"), "{err}");
    assert!(h.sim.faults().streamed_bytes() < 2 * MIB + IN_FLIGHT);
}

#[tokio::test]
async fn an_endless_clip_stops_at_the_clip_limit_and_leaves_no_file() {
    let (h, _) = setup().await;
    let client = limited(&h, BodyLimits { clip: 3 * MIB, ..BodyLimits::default() });
    let event = an_event_with_a_clip(&client).await;
    h.sim.faults().inject(None, "*.mp4", Fault::EndlessBody { start: Fault::mp4_start() }, None);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clip.mp4");
    let received = std::sync::atomic::AtomicU64::new(0);
    let progress = |p: Progress| received.store(p.received, std::sync::atomic::Ordering::Relaxed);
    let err = download_clip(&client, &event, &path, &progress).await.expect_err("never ends");
    assert!(
        matches!(&err, ClipError::Api(ApiError::TooLarge { kind: BodyKind::Clip, limit, .. }) if *limit == 3 * MIB),
        "{err:?}"
    );
    let written = received.load(std::sync::atomic::Ordering::Relaxed);
    assert!(written <= 3 * MIB && written > 2 * MIB, "written up to the limit, not past it: {written}");
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0, "no clip and no part file left");
    assert!(h.sim.faults().streamed_bytes() < 3 * MIB + IN_FLIGHT);
}

#[tokio::test]
async fn a_clip_streams_to_its_file_and_a_dropped_download_is_retried() {
    let (h, client) = setup().await;
    let event = an_event_with_a_clip(&client).await;
    let whole = client.download(event.media.as_deref().expect("clip"), MediaKind::Mp4).await.expect("clip");
    h.sim.faults().inject(None, "*.mp4", Fault::DropConnection, Some(1));
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clip.mp4");
    let last = std::sync::Mutex::new(None);
    let progress = |p: Progress| *last.lock().expect("lock") = Some(p);
    download_clip(&client, &event, &path, &progress).await.expect("retried");
    assert_eq!(std::fs::read(&path).expect("saved"), whole.as_ref(), "the retry wrote the whole clip");
    let last = last.lock().expect("lock").expect("progress was reported");
    assert_eq!(last.received, whole.len() as u64);
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1, "only the clip");
}

#[tokio::test]
async fn an_endless_sign_in_page_stops_the_login_at_the_limit() {
    let h = start(quiet_config()).await;
    h.sim.faults().inject(
        Some("GET"),
        "/oauth/v2/signin",
        Fault::EndlessBody { start: b"<html>".to_vec() },
        None,
    );
    let hardware_id = h.store.hardware_id().expect("hardware id");
    let mut flow = LoginFlow::new(&h.options, hardware_id).expect("flow");
    let password = Secret::new(blinktui::sim::demo::DEMO_PASSWORD);
    let err = flow.sign_in(blinktui::sim::demo::DEMO_EMAIL, &password).await.expect_err("never ends");
    assert!(matches!(err, ApiError::TooLarge { kind: BodyKind::Json, .. }), "{err:?}");
    assert!(h.sim.faults().streamed_bytes() < BodyLimits::default().json + IN_FLIGHT);
}

/// A client whose media downloads give up after `idle` without a byte, and are not retried.
fn waits_for_data(h: &Harness, idle: Duration) -> BlinkClient {
    let retry = blinktui::api::RetryPolicy { max_retries: 0, ..h.options.retry };
    let options = ClientOptions { media_idle_timeout: idle, retry, ..h.options.clone() };
    BlinkClient::new(options, h.store.load().expect("load").expect("session"), None).expect("client")
}

/// A server on 127.0.0.1 that sends one clip slowly: its start, then a piece every `every`,
/// `pieces` times. Returns its URL.
async fn trickling_server(pieces: usize, every: Duration) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/slow.mp4", listener.local_addr().expect("addr"));
    let mut clip = Fault::mp4_start();
    let piece = vec![7u8; 1000];
    let start = clip.len();
    clip.extend(std::iter::repeat_n(&piece, pieces).flatten());
    let body = clip.clone();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&body[..start]).await;
        for chunk in body[start..].chunks(1000) {
            tokio::time::sleep(every).await;
            let _ = socket.write_all(chunk).await;
        }
    });
    (url, clip)
}

#[tokio::test]
async fn a_slow_clip_that_keeps_coming_is_downloaded_whatever_it_takes() {
    let (h, _) = setup().await;
    let client = waits_for_data(&h, Duration::from_millis(800));
    let event = an_event_with_a_clip(&client).await;
    // Four pieces 400 ms apart: the whole takes longer than the idle timeout, each piece not.
    let (url, clip) = trickling_server(4, Duration::from_millis(400)).await;
    h.sim.faults().inject(Some("GET"), "*.mp4", Fault::Redirect { status: 302, location: url }, Some(1));
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clip.mp4");
    let started = Instant::now();
    download_clip(&client, &event, &path, &|_| {}).await.expect("downloaded while data flows");
    assert!(started.elapsed() > Duration::from_millis(800), "longer than the idle timeout");
    assert_eq!(std::fs::read(&path).expect("saved"), clip);
}

#[tokio::test]
async fn a_clip_that_stops_coming_fails_saying_what_it_waited_for() {
    let (h, _) = setup().await;
    let client = waits_for_data(&h, Duration::from_secs(1));
    let event = an_event_with_a_clip(&client).await;
    let stall = Fault::StallBody { start: Fault::mp4_start(), bytes: 1 << 20 };
    h.sim.faults().inject(Some("GET"), "*.mp4", stall, None);
    let dir = tempfile::tempdir().expect("dir");
    let err =
        download_clip(&client, &event, &dir.path().join("clip.mp4"), &|_| {}).await.expect_err("stalled");
    let ClipError::Api(err @ ApiError::Stalled { .. }) = err else { panic!("{err:?}") };
    let text = err.to_string();
    assert!(text.contains("clip download") && text.contains("no data for 1s"), "{text}");
    assert!(text.contains("of 1.0 MB"), "how far it got: {text}");
}
