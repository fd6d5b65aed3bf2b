//! `blinktui play` of the 1280x720 clip behind a slow link (tests/common/slow_link.rs: SSH's
//! 1 MiB window, the link's rate, 25 ms each way, a far terminal answering in order), for each
//! picture protocol: how long the clip took, how long Space took to show the paused mark and q
//! to leave, the frame rate on the progress line, and the bytes a second the link carried.
//!
//! `scripts/slow-link-bench.sh` runs it with a 20 s clip (made from the 6 s one with ffmpeg);
//! `cargo bench --bench link` alone uses the 6 s clip; `BLINKTUI_BENCH_CLIP=FILE.mp4` another.
//! Words after `--` keep only the rows whose link and protocol contain them all
//! (`cargo bench --bench link -- 2Mbit sixel`).

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

use common::far_terminal::Answers;
use common::slow_link::{Link, SlowLink, bytes_text, fps, position, seconds_text};

const CLIP_6S: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/clips/outdoor-720p.mp4");
const ONE_WAY: Duration = Duration::from_millis(25);
/// Space presses per row, for a median.
const PRESSES: usize = 3;
/// Only to end a stuck run.
const LIMIT: Duration = Duration::from_secs(60);

const LINKS: [(&str, Option<u64>); 3] =
    [("unlimited", None), ("10 Mbit/s", Some(1_250_000)), ("2 Mbit/s", Some(250_000))];
const PROTOCOLS: [&str; 3] = ["halfblocks", "sixel", "kitty"];

fn main() {
    let clip = std::env::var("BLINKTUI_BENCH_CLIP").unwrap_or_else(|_| CLIP_6S.to_owned());
    let length = blinktui::media::open_clip_with(Path::new(&clip), None)
        .map(|clip| clip.info().duration)
        .unwrap_or_else(|err| panic!("{clip}: {err}"));
    let started = Instant::now();
    println!(
        "`blinktui play` of {clip} ({:.0} s) in a 120x36 terminal, 50 ms round trip\n",
        length.as_secs_f64()
    );
    println!(
        "| link | protocol | clip of {:.0} s took | Space → paused shown (median of {PRESSES}) | q → blinktui gone | fps shown | bytes/s | frame size each second (%) |",
        length.as_secs_f64()
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (label, protocol, link) in common::slow_link::bench_rows(&LINKS, &PROTOCOLS, ONE_WAY) {
        let args = ["--graphics", protocol, "play", clip.as_str()];
        let whole = play_through(link, &args, length);
        let keys = press_keys(link, &args, length);
        println!(
            "| {label} | {protocol} | {} | {} | {} | {} | {} | {} |",
            whole.took.map_or("did not end".into(), seconds_text),
            keys.paused,
            keys.quit,
            whole.fps.map_or("-".into(), |fps| format!("{fps:.0}")),
            whole.bytes_per_second.map_or("-".into(), bytes_text),
            whole.sizes.iter().map(u32::to_string).collect::<Vec<_>>().join(" "),
        );
    }
    println!("\n({:.0} s in all)", started.elapsed().as_secs_f64());
}

struct Whole {
    /// The frame size on the progress line each second, in percent of the area.
    sizes: Vec<u32>,
    took: Option<Duration>,
    fps: Option<f64>,
    bytes_per_second: Option<f64>,
}

/// The frame size on the progress line (`· 55% size`; none at full size), in percent.
fn size(text: &str) -> u32 {
    let line = common::slow_link::progress_line(text).unwrap_or_default();
    line.split("% size")
        .next()
        .filter(|_| line.contains("% size"))
        .and_then(|head| head.rsplit(' ').next()?.parse().ok())
        .unwrap_or(100)
}

/// The clip played through untouched: how long until blinktui was gone and the far terminal
/// had drawn everything; the frame rate the far screen showed each second while playing.
fn play_through(link: Link, args: &[&str], length: Duration) -> Whole {
    let session = SlowLink::start(link, Answers::default(), args);
    let start = session.mark();
    let Some(gone) = session.wait_gone(start, length * 5 + LIMIT) else {
        return Whole { took: None, fps: None, bytes_per_second: None, sizes: Vec::new() };
    };
    let (mut rates, sizes): (Vec<f64>, Vec<u32>) = session.timeline(|timeline| {
        let (mut rates, mut sizes) = (Vec::new(), Vec::new());
        let mut second = start.at + Duration::from_secs(1);
        while second < start.at + gone.took {
            let shown = timeline.iter().take_while(|shown| shown.at <= second).last();
            if let Some(text) = shown.map(|shown| &shown.text)
                && position(text, "▶").is_some()
                && let Some(rate) = fps(text)
            {
                rates.push(rate);
                sizes.push(size(text));
            }
            second += Duration::from_secs(1);
        }
        (rates, sizes)
    });
    rates.sort_by(f64::total_cmp);
    Whole {
        sizes,
        took: Some(gone.took),
        fps: rates.get(rates.len() / 2).copied(),
        bytes_per_second: Some(gone.bytes as f64 / gone.took.as_secs_f64()),
    }
}

struct Keys {
    paused: String,
    quit: String,
}

/// Space while the clip plays (up to [`PRESSES`] times, Space again in between), then q; each
/// key once the far screen has shown a second more of playing. Stops pressing Space when the
/// clip nears its end so that q still finds it playing.
fn press_keys(link: Link, args: &[&str], length: Duration) -> Keys {
    let session = SlowLink::start(link, Answers::default(), args);
    let near_end = length.as_secs().saturating_sub(5) as u32;
    let mut pauses = Vec::new();
    let mut playing = session.play_a_while(session.mark(), LIMIT).is_some();
    let mut missed = None;
    while playing && pauses.len() < PRESSES && position(&session.contents(), "▶") < Some(near_end) {
        let space = session.press(" ");
        let Some(paused) = session.wait_for(space, LIMIT, |s| position(&s.text, "‖").is_some()) else {
            missed = Some(space);
            break;
        };
        pauses.push(paused);
        playing = session.play_a_while(session.press(" "), LIMIT).is_some();
    }
    pauses.sort_by_key(|reaction| reaction.took);
    let paused = match (pauses.get(pauses.len() / 2), missed) {
        (Some(median), None) if pauses.len() == PRESSES => median.text(),
        (Some(median), _) => format!("{} (of {})", median.text(), pauses.len()),
        // blinktui read the key only after the clip's end: the whole queue drained first.
        (None, Some(space)) if session.gone() => match session.wait_gone(space, Duration::ZERO) {
            Some(gone) => format!("never: the clip ended first, {} later", gone.text()),
            None => "never: the clip ended first".into(),
        },
        (None, _) => "not shown".into(),
    };
    let quit = if session.gone() {
        "clip ended first".into()
    } else {
        let q = session.press("q");
        match session.wait_gone(q, LIMIT) {
            // Gone before q could reach it: the clip ended on its own.
            Some(gone) if gone.took < link.one_way => "clip ended first".into(),
            Some(gone) => gone.text(),
            None => "not gone".into(),
        }
    };
    Keys { paused, quit }
}
