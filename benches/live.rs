//! The live-view figures in the README: from asking Blink for live view to the first frame
//! ready to draw (against the simulator's relay), and what blinktui adds between a picture's
//! data arriving and the picture drawn at 120x36 in half blocks; and what the simulator takes
//! to make an event's clip and a live-view frame.
//! Run with `cargo bench --bench live`; it prints one table (medians of several runs).

use std::time::{Duration, Instant};

use blinktui::api::immi::{LiveCounters, SessionOptions, run_session};
use blinktui::api::{BlinkClient, ClientOptions, DeviceRef, Endpoints, LoginFlow, SignInOutcome};
use blinktui::app::Pane;
use blinktui::app::layout::{details_layout, main_layout, picture_inner};
use blinktui::media::live::{LiveSource, chunk_channel};
use blinktui::media::scale::fit;
use blinktui::media::ts::TsDemuxer;
use blinktui::media::{FrameSource, decode::H264Decoder};
use blinktui::runtime::frames::{encode, pixel_bounds};
use blinktui::secret::Secret;
use blinktui::sim::{SimConfig, Simulator, demo};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui_image::FontSize;
use ratatui_image::picker::{Picker, ProtocolType};
use tokio_util::sync::CancellationToken;

const SAMPLE: &[u8] = include_bytes!("../tests/fixtures/media/sample.ts");
const RUNS: usize = 5;
const DRIVEWAY: u64 = 400102;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn halfblocks() -> Picker {
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(FontSize::new(10, 20));
    picker.set_protocol_type(ProtocolType::Halfblocks);
    picker
}

/// The picture area of the camera details view at 120x36, in cells.
fn details_area() -> (u16, u16) {
    let layout =
        main_layout(Rect::new(0, 0, 120, 36), Some(Pane::Cameras), [2, 7, 3, 40], true).expect("fits");
    let inner = picture_inner(details_layout(layout.body).1);
    (inner.width, inner.height)
}

fn main() {
    println!("blinktui live-view figures ({RUNS} runs, medians)\n");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(first_frame());
    received_to_drawn();
    simulator_footage();
}

/// The simulator's own work: an event's clip (drawn, encoded and written as MP4 on its first
/// request) and one live-view frame (drawn, encoded and written as MPEG-TS).
fn simulator_footage() {
    use blinktui::sim::images::{Scene, SceneKind};
    use blinktui::sim::video::{CLIP_SECONDS, FPS, LiveFeed, motion_clip};
    let scene = Scene {
        kind: SceneKind::Outdoor,
        title: "Driveway".into(),
        caption: String::new(),
        place: 1,
        seed: 2,
        night: false,
    };
    let start = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let clip = median(
        (0..RUNS)
            .map(|_| {
                let began = Instant::now();
                motion_clip(&scene, "MOTION ", &start).expect("clip");
                began.elapsed()
            })
            .collect(),
    );
    println!(
        "an event's clip made by the simulator ({CLIP_SECONDS} s, {} frames): {clip:.1?}",
        CLIP_SECONDS * FPS
    );
    let mut feed = LiveFeed::new(&scene, jiff::tz::TimeZone::UTC).expect("feed");
    let frames: Vec<Duration> = (0..FPS * 4)
        .map(|_| {
            let began = Instant::now();
            feed.next_frame(jiff::Timestamp::now()).expect("frame");
            began.elapsed()
        })
        .collect();
    println!("a live-view frame made by the simulator: {:.1?}", median(frames));
}

async fn client(sim: &Simulator) -> BlinkClient {
    let options = ClientOptions {
        endpoints: Endpoints::new(&sim.url(), &sim.url()).expect("endpoints"),
        command_spacing: Duration::ZERO,
        ..ClientOptions::default()
    };
    let mut flow = LoginFlow::new(&options, uuid::Uuid::new_v4().to_string()).expect("flow");
    let SignInOutcome::LoggedIn(session) =
        flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect("sign in")
    else {
        panic!("the demo account has no second factor by default");
    };
    BlinkClient::new(options, session, None).expect("client")
}

/// `v` to the first frame ready to draw: the liveview request, TLS and the auth header, the
/// relay's first picture, demuxing, decoding and half-block encoding. The simulator's
/// liveview command answers at once, as Blink's does; its command delay is not in the way.
async fn first_frame() {
    let sim =
        Simulator::start(SimConfig { motion_interval: None, ..SimConfig::default() }, 0).await.expect("sim");
    let client = client(&sim).await;
    let home = client.homescreen().await.expect("homescreen");
    let (kind, device) = home.device(DRIVEWAY).expect("driveway");
    let (device, serial) = (DeviceRef::new(kind, device), device.serial.clone());
    let picker = halfblocks();
    let bounds = pixel_bounds(&picker, details_area());
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let live = client.liveview(&device).await.expect("liveview");
        let (mut chunks, rx) = chunk_channel();
        let drawer_picker = picker.clone();
        let drawer = tokio::task::spawn_blocking(move || {
            let mut source =
                LiveSource::open(rx, Duration::from_secs(300), Duration::from_secs(10)).expect("open");
            let size = fit(source.info().width, source.info().height, bounds);
            let frame = source.next_frame(Some(size)).expect("decode").expect("a frame");
            encode(&drawer_picker, frame.image.expect("picture"), 1).expect("encodes");
            Instant::now()
        });
        let stop = CancellationToken::new();
        let counters = LiveCounters::default();
        let mut on_ts = |ts: &[u8]| chunks.send(ts);
        let options = SessionOptions::default();
        let session = run_session(&client, &live, serial.as_deref(), &options, &counters, &stop, &mut on_ts);
        let stopper = stop.clone();
        let (_, drawn) = tokio::join!(session, async move {
            let drawn = drawer.await.expect("drawer");
            stopper.cancel();
            drawn
        });
        times.push(drawn.duration_since(started));
    }
    let took = median(times);
    println!("v to the first frame (simulator, half blocks)     {:>6.0} ms", took.as_secs_f64() * 1000.0);
}

/// A picture's data arrived → the picture drawn at 120x36 in half blocks: demuxing,
/// decoding, scaling, encoding and drawing, per frame of the demo stream. The demuxer hands a
/// picture over when the next one starts (the PES packets of video state no length), so the
/// clock starts when those packets arrive; the wait for them is one frame interval.
fn received_to_drawn() {
    let picker = halfblocks();
    let bounds = pixel_bounds(&picker, details_area());
    let starts: Vec<usize> = blinktui::media::ts::unit_starts(SAMPLE).into_iter().map(|(at, _)| at).collect();
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::sink())).expect("terminal");
    terminal.resize(Rect::new(0, 0, 120, 36)).expect("size");
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let mut decoder = H264Decoder::new(false).expect("decoder");
        let mut demuxer = TsDemuxer::new();
        let mut units = Vec::new();
        for (n, start) in starts.iter().enumerate() {
            let begin = if n == 0 { 0 } else { *start };
            let end = starts.get(n + 1).copied().unwrap_or(SAMPLE.len());
            let started = Instant::now();
            demuxer.push(&SAMPLE[begin..end], &mut units);
            for unit in units.drain(..) {
                let Some(picture) = decoder.decode(&unit.data, Some(fit(384, 216, bounds))).expect("decode")
                else {
                    continue;
                };
                let protocol = encode(&picker, picture, 1).expect("encodes");
                terminal
                    .draw(|frame| {
                        let cells = protocol.size();
                        let area = Rect::new(1, 1, cells.width, cells.height);
                        frame.render_widget(ratatui_image::Image::new(&protocol), area);
                    })
                    .expect("draw");
                times.push(started.elapsed());
            }
        }
    }
    let took = median(times);
    println!(
        "frame received -> drawn, 120x36 half blocks      {:>6.1} ms (+ {} ms until the next picture starts, at 15 fps)",
        took.as_secs_f64() * 1000.0,
        1000 / 15
    );
}
