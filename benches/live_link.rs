//! `blinktui live` behind a slow link (tests/common/slow_link.rs: SSH's 1 MiB window, the
//! link's rate, 25 ms each way, a far terminal answering in order), against the simulator's
//! relay running in this process, so that the relay's clock and the far screen's are one. For
//! each picture protocol: how old the picture on the far screen is over a whole session, the
//! frame rate shown, the most bytes blinktui ever queued in front of the link, and q → gone.
//!
//! `scripts/slow-link-bench.sh live` runs it: five minutes a protocol, Blink's session length.
//! `BLINKTUI_BENCH_LIVE_SECONDS=60` makes each run shorter. Words after `--` keep only the rows
//! whose link and protocol contain them all (`cargo bench --bench live_link -- 2mbit sixel`).
//!
//! The picture's age: the progress line's clock (`● LIVE 00:12 / 05:00`) is when the picture on
//! screen arrived, counted from when blinktui began waiting for the stream, which is after it
//! asked for live view. When the clock turns to second `s` at the far end at time `t`, the
//! picture drawn then arrived at least `s` after the request, so it is at most
//! `t - (request + s)` old: one figure a second, from the picture's arrival to the far screen
//! (an upper bound, by the few milliseconds between the request and the wait).

use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

use common::far_terminal::Answers;
use common::slow_link::{Link, SlowLink, bytes_text, fps, live_clock, seconds_text};

const ONE_WAY: Duration = Duration::from_millis(25);
/// Only to end a stuck run.
const LIMIT: Duration = Duration::from_secs(60);
/// Blink's session length, and the simulator's.
const SESSION: u64 = 300;

const LINKS: [(&str, Option<u64>); 3] =
    [("2 Mbit/s", Some(250_000)), ("10 Mbit/s", Some(1_250_000)), ("unlimited", None)];
const PROTOCOLS: [&str; 3] = ["halfblocks", "sixel", "kitty"];

fn main() {
    let seconds = std::env::var("BLINKTUI_BENCH_LIVE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(SESSION)
        .clamp(10, SESSION);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(common::start(common::quiet_config()));
    runtime.block_on(h.login());
    // The session runs a little past the measure, so q ends it rather than its length.
    h.sim.relay().set_length(Duration::from_secs(seconds + 20));
    let started = Instant::now();
    println!("`blinktui live Driveway` for {seconds} s in a 120x36 terminal, 50 ms round trip\n");
    println!(
        "| link | protocol | picture age: median | 95th pct | max | max each minute | fps shown | most queued | q → gone | bytes/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (label, protocol, link) in common::slow_link::bench_rows(&LINKS, &PROTOCOLS, ONE_WAY) {
        println!("| {label} | {protocol} | {} |", watch(&h, link, protocol, seconds));
    }
    println!("\n({:.0} s in all)", started.elapsed().as_secs_f64());
}

/// One session: live view for `seconds` of the live clock, then q.
fn watch(h: &common::Harness, link: Link, protocol: &str, seconds: u64) -> String {
    let state = h.store.dir().display().to_string();
    let url = h.sim.url();
    let env =
        [("BLINKTUI_STATE_DIR", state.as_str()), ("BLINKTUI_OAUTH_URL", &url), ("BLINKTUI_REST_URL", &url)];
    let args = ["--graphics", protocol, "live", "Driveway"];
    let session = SlowLink::start_with_env(link, Answers::default(), &args, &env);
    let start = session.mark();
    let end = u32::try_from(seconds).unwrap_or(u32::MAX);
    let Some(_) =
        session.wait_for(start, LIMIT + Duration::from_secs(seconds), |s| live_clock(&s.text) >= Some(end))
    else {
        return format!("the live clock did not reach {seconds} s; the screen shows: {}", session.contents());
    };
    let q = session.press("q");
    let gone = session.wait_gone(q, LIMIT);
    let Some(asked) = h.sim.relay().last_request() else {
        return "live view was not asked for".into();
    };
    let (ages, rates) = session.timeline(|timeline| {
        let (mut ages, mut rates) = (Vec::new(), Vec::new());
        let mut last = None;
        for shown in timeline.iter().filter(|shown| shown.at <= q.at) {
            let Some(clock) = live_clock(&shown.text) else { continue };
            if last.is_some_and(|last| clock > last) {
                let sent = asked + Duration::from_secs(u64::from(clock));
                ages.push((clock, shown.at.saturating_duration_since(sent)));
                if let Some(rate) = fps(&shown.text) {
                    rates.push(rate);
                }
            }
            last = Some(clock);
        }
        (ages, rates)
    });
    if ages.is_empty() {
        return "no picture drawn".into();
    }
    let mut sorted: Vec<Duration> = ages.iter().map(|(_, age)| *age).collect();
    sorted.sort();
    let pick = |fraction: f64| sorted[((sorted.len() - 1) as f64 * fraction).round() as usize];
    let minutes: Vec<String> = ages
        .chunk_by(|a, b| a.0 / 60 == b.0 / 60)
        .map(|minute| {
            format!("{:.2}", minute.iter().map(|(_, age)| *age).max().unwrap_or_default().as_secs_f64())
        })
        .collect();
    let mut rates = rates;
    rates.sort_by(f64::total_cmp);
    let watched = q.at - start.at;
    format!(
        "{} | {} | {} | {} | {} | {} | {} | {}",
        seconds_text(pick(0.5)),
        seconds_text(pick(0.95)),
        seconds_text(pick(1.0)),
        minutes.join(" "),
        rates.get(rates.len() / 2).map_or("-".into(), |rate| format!("{rate:.0}")),
        bytes_text(session.peak_window() as f64),
        gone.map_or("not gone".into(), |gone| gone.text()),
        bytes_text(q.bytes as f64 / watched.as_secs_f64()),
    )
}
