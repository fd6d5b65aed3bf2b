//! Live view against the simulator's IMMI relay: whole sessions, and every relay fault ending
//! cleanly with a message and `done/` posted.

mod common;

use std::time::Duration;

use blinktui::api::immi::{LiveCounters, LiveEnd, LiveError, SessionOptions, run_session};
use blinktui::api::{BlinkClient, DeviceRef};
use blinktui::media::decode::H264Decoder;
use blinktui::media::ts::TsDemuxer;
use blinktui::sim::images::{HEIGHT, WIDTH};
use blinktui::sim::relay::RelayFault;
use common::{Harness, quiet_config, start};
use tokio_util::sync::CancellationToken;

const DRIVEWAY: u64 = 400102;
const BACKYARD: u64 = 400103;
const LIVING_ROOM: u64 = 400104;
const DOCK: u64 = 400106; // offline
const DONE: &str = "/network/*/command/*/done/";

/// The device and its serial, as homescreen names them.
async fn device(client: &BlinkClient, id: u64) -> (DeviceRef, Option<String>) {
    let home = client.homescreen().await.expect("homescreen");
    let (kind, device) = home.device(id).expect("demo device");
    (DeviceRef::new(kind, device), device.serial.clone())
}

struct Outcome {
    result: Result<LiveEnd, LiveError>,
    pictures: usize,
    /// The last picture, at the stream's own size.
    last: Option<image::RgbImage>,
    ts_bytes: u64,
    counters: LiveCounters,
}

/// Runs a session on `id` to its end, decoding what arrives.
async fn session(h: &Harness, client: &BlinkClient, id: u64, options: SessionOptions) -> Outcome {
    let (device, serial) = device(client, id).await;
    let live = client.liveview(&device).await.expect("liveview");
    let counters = LiveCounters::default();
    let mut demuxer = TsDemuxer::new();
    let mut decoder = H264Decoder::new(false).expect("decoder");
    let (mut pictures, mut ts_bytes, mut units, mut last) = (0, 0, Vec::new(), None);
    let mut on_ts = |ts: &[u8]| {
        ts_bytes += ts.len() as u64;
        demuxer.push(ts, &mut units);
        for unit in units.drain(..) {
            if let Ok(Some(picture)) = decoder.decode(&unit.data, Some((WIDTH, HEIGHT))) {
                pictures += 1;
                last = Some(picture);
            }
        }
        true
    };
    let stop = CancellationToken::new();
    let result = run_session(client, &live, serial.as_deref(), &options, &counters, &stop, &mut on_ts).await;
    let _ = h;
    Outcome { result, pictures, last, ts_bytes, counters }
}

fn quick() -> SessionOptions {
    SessionOptions { stall_timeout: Duration::from_millis(1500), ..SessionOptions::default() }
}

async fn setup(length: Duration) -> (Harness, BlinkClient) {
    let h = start(quiet_config()).await;
    h.sim.relay().set_length(length);
    let client = h.login().await;
    (h, client)
}

#[tokio::test]
async fn a_whole_session_streams_decodable_video_and_ends_with_done() {
    let (h, client) = setup(Duration::from_secs(3)).await;
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    assert_eq!(outcome.result.expect("session"), LiveEnd::LengthReached);
    // Three seconds of the 15 fps demo clip.
    assert!(outcome.pictures >= 35, "pictures decoded: {}", outcome.pictures);
    assert_eq!(LiveCounters::get(&outcome.counters.ts_bytes), outcome.ts_bytes);
    assert!(LiveCounters::get(&outcome.counters.other_frames) >= 2, "other frame types were skipped");
    let relay = h.sim.relay().sessions();
    assert_eq!(relay.len(), 1);
    assert!(relay[0].auth_accepted, "the relay accepted the auth header byte for byte");
    assert!(relay[0].latency_stats >= 2, "latency stats every second: {}", relay[0].latency_stats);
    assert_eq!(relay[0].keepalives.first(), Some(&1), "a keep-alive at the start");
    assert!(common::eventually(Duration::from_secs(3), || h.count("POST", DONE) == 1).await, "done/ posted");
}

/// What the camera's clock reads at `at` in the zone of the demo's Home site.
fn clock(at: jiff::Timestamp) -> String {
    at.in_tz("America/New_York").expect("zone").strftime("%Y-%m-%d %H:%M:%S").to_string()
}

#[tokio::test]
async fn live_view_shows_each_cameras_own_scene_stamped_with_now() {
    let (h, client) = setup(Duration::from_secs(2)).await;
    let before = jiff::Timestamp::now();
    let driveway = session(&h, &client, DRIVEWAY, quick()).await.last.expect("a picture of Driveway");
    let backyard = session(&h, &client, BACKYARD, quick()).await.last.expect("a picture of Backyard");
    let after = jiff::Timestamp::now();
    let apart = common::footage::difference(&driveway, &backyard);
    assert!(apart > 12.0, "two cameras' live views look alike: {apart:.1}");
    assert!(common::footage::legibility(&backyard, 0, "BACKYARD") > 60.0, "the camera name is on it");
    // The last picture's clock: a second of the session, not an hour or a day away.
    let seconds = (before.as_second() - 1..=after.as_second() + 1)
        .map(|second| jiff::Timestamp::from_second(second).expect("time"));
    let now =
        seconds.map(|at| common::footage::legibility(&backyard, 1, &clock(at))).fold(f64::MIN, f64::max);
    for other in [before - jiff::SignedDuration::from_hours(1), before - jiff::SignedDuration::from_hours(24)]
    {
        let score = common::footage::legibility(&backyard, 1, &clock(other));
        assert!(now > score, "the clock reads {score:.0} as {}, {now:.0} as now", clock(other));
    }
    assert!(now > common::footage::legibility(&backyard, 1, "2026-11-26 14:03:07"), "an old recording");
}

#[tokio::test]
async fn stopping_a_session_posts_done_and_the_relay_stops_streaming() {
    let (h, client) = setup(Duration::from_secs(60)).await;
    let (device, serial) = device(&client, LIVING_ROOM).await;
    let live = client.liveview(&device).await.expect("liveview");
    let counters = LiveCounters::default();
    let stop = CancellationToken::new();
    let stopper = stop.clone();
    let mut seen = 0u64;
    let mut on_ts = |ts: &[u8]| {
        seen += ts.len() as u64;
        if seen > 20_000 {
            stopper.cancel();
        }
        true
    };
    let result = run_session(&client, &live, serial.as_deref(), &quick(), &counters, &stop, &mut on_ts).await;
    assert_eq!(result.expect("session"), LiveEnd::Stopped);
    assert_eq!(h.count("POST", DONE), 1);
    let ended = common::eventually(Duration::from_secs(5), || {
        h.sim.relay().sessions().first().is_some_and(|s| !s.ended.is_empty())
    })
    .await;
    assert!(ended, "the relay ended the session: {:?}", h.sim.relay().sessions());
}

#[tokio::test]
async fn a_wrong_token_is_refused_by_the_relay() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    h.sim.relay().inject(RelayFault::WrongToken);
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    let err = outcome.result.expect_err("refused");
    assert!(matches!(err, LiveError::Closed { .. }), "{err}");
    assert!(err.to_string().contains("closed the connection"), "{err}");
    assert_eq!(h.sim.relay().sessions()[0].ended, "auth header rejected");
    assert_eq!(h.count("POST", DONE), 1);
}

#[tokio::test]
async fn a_stalled_relay_times_out_with_a_message() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    h.sim.relay().inject(RelayFault::Stall);
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    let err = outcome.result.expect_err("stalled");
    assert!(matches!(err, LiveError::Stalled { .. }), "{err}");
    assert!(err.to_string().contains("no video from the live-view relay"), "{err}");
    assert!(outcome.pictures > 0, "video came before the stall");
    assert_eq!(h.count("POST", DONE), 1);
}

#[tokio::test]
async fn a_huge_payload_length_is_refused_without_allocating_it() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    h.sim.relay().inject(RelayFault::HugePayload);
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    let err = outcome.result.expect_err("refused");
    assert!(matches!(err, LiveError::FrameTooLarge { length: 0xffff_fff0, .. }), "{err}");
    assert_eq!(h.count("POST", DONE), 1);
}

#[tokio::test]
async fn garbage_instead_of_ts_is_skipped_counted_and_ends_as_a_stall() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    h.sim.relay().inject(RelayFault::Garbage);
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    let err = outcome.result.expect_err("no video");
    assert!(err.to_string().contains("were not MPEG-TS"), "{err}");
    assert_eq!((outcome.pictures, outcome.ts_bytes), (0, 0));
    assert!(LiveCounters::get(&outcome.counters.not_ts_frames) > 10);
    assert_eq!(h.count("POST", DONE), 1);
}

#[tokio::test]
async fn a_disconnect_mid_stream_ends_with_a_message() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    h.sim.relay().inject(RelayFault::Disconnect);
    let outcome = session(&h, &client, DRIVEWAY, quick()).await;
    let err = outcome.result.expect_err("closed");
    assert!(matches!(err, LiveError::Closed { after } if after < Duration::from_secs(5)), "{err}");
    assert!(outcome.pictures > 0);
    assert_eq!(h.count("POST", DONE), 1);
}

#[tokio::test]
async fn an_offline_camera_ends_with_blinks_reason() {
    let (h, client) = setup(Duration::from_secs(30)).await;
    let outcome = session(&h, &client, DOCK, quick()).await;
    let err = outcome.result.expect_err("offline");
    assert!(err.to_string().contains("Camera is offline"), "{err}");
    assert_eq!(h.count("POST", DONE), 1);
}

mod cli {
    use super::*;
    use blinktui::sim::Fault;
    use common::cli::{Cli, assert_exit, stderr};

    async fn cli(length: Duration) -> Cli {
        let cli = Cli::logged_in(quiet_config()).await;
        cli.h.sim.relay().set_length(length);
        cli
    }

    #[tokio::test]
    async fn output_dash_writes_the_raw_stream_to_stdout_and_ends_the_command() {
        let cli = cli(Duration::from_secs(60)).await;
        let output = cli.run(&["live", "drive", "--seconds", "2", "--output", "-"]).await;
        assert_exit(&output, 0);
        let ts = &output.stdout;
        assert!(ts.len() > 10_000 && ts[0] == 0x47, "{} bytes", ts.len());
        let mut demuxer = TsDemuxer::new();
        let mut units = Vec::new();
        demuxer.push(ts, &mut units);
        demuxer.finish(&mut units);
        assert!(units.len() >= 20, "two seconds of pictures: {}", units.len());
        assert_eq!(demuxer.stats().resync_bytes, 0, "only TS on stdout, nothing else");
        assert_eq!(cli.h.count("POST", DONE), 1);
    }

    #[tokio::test]
    async fn failures_exit_1_with_the_reason() {
        let cli = cli(Duration::from_secs(60)).await;
        let output = cli.run(&["live", "dock", "--output", "-"]).await;
        assert_exit(&output, 1);
        assert!(stderr(&output).contains("Dock is offline"), "{}", stderr(&output));

        cli.h.sim.relay().inject(RelayFault::Disconnect);
        let output = cli.run(&["live", "drive", "--output", "-"]).await;
        assert_exit(&output, 1);
        assert!(stderr(&output).contains("closed the connection"), "{}", stderr(&output));
        assert_eq!(cli.h.count("POST", DONE), 1, "done/ after an early close");

        // A network busy with another command refuses live view.
        let pattern = "/api/v6/accounts/*/networks/*/cameras/*/liveview";
        let busy = Fault::Respond {
            status: 409,
            content_type: "application/json".into(),
            body: br#"{"message":"System is busy, please try again","code":307}"#.to_vec(),
        };
        cli.h.sim.faults().inject(Some("POST"), pattern, busy, Some(1));
        let output = cli.run(&["live", "drive", "--output", "-"]).await;
        assert_exit(&output, 1);
        let said = stderr(&output);
        assert!(said.contains("Blink did not start live view") && said.contains("busy"), "{said}");
    }
}
