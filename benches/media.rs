//! The playback figures in the README: decoding speed, what a frame costs to reach the
//! terminal with each picture protocol, the time from `o` to the first frame, and memory.
//! Run with `cargo bench --bench media`; it prints one table (medians of several runs).

use std::path::Path;
use std::time::{Duration, Instant};

use blinktui::app::Pane;
use blinktui::app::layout::{details_layout, main_layout, picture_inner, play_layout};
use blinktui::media::{FrameSource, open_clip_with};
use blinktui::runtime::frames::{encode, pixel_bounds};
use image::{DynamicImage, RgbImage};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Rect, Size};
use ratatui_image::FontSize;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::sixel::Sixel;

const CLIP_720P: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/clips/outdoor-720p.mp4");
const RUNS: usize = 5;

fn open(path: &str) -> Box<dyn FrameSource> {
    open_clip_with(Path::new(path), None).expect("the benchmark clip opens")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn picker(protocol: ProtocolType) -> Picker {
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(FontSize::new(10, 20));
    picker.set_protocol_type(protocol);
    picker
}

/// The picture area of the event details view at 120x36, in cells.
fn details_area() -> (u16, u16) {
    let layout =
        main_layout(Rect::new(0, 0, 120, 36), Some(Pane::Events), [2, 7, 3, 40], true).expect("fits");
    let inner = picture_inner(details_layout(layout.body).1);
    (inner.width, inner.height)
}

fn main() {
    // Words after `--` keep only the sections whose names contain one (`-- frames`).
    let filters: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    println!("blinktui playback figures (one core, {RUNS} runs, medians)\n");
    let sections: [(&str, fn()); 5] = [
        ("decoding", decoding),
        ("frames", to_the_terminal),
        ("first-frame", first_frame),
        ("memory", memory),
        ("terminal", in_a_terminal),
    ];
    for (name, section) in sections {
        if wanted(name) {
            section();
            println!();
        }
    }
}

/// The real binary playing the 720p clip in a 120x36 pseudo-terminal read by a terminal
/// emulator (vt100): the frame rate the progress line reports, and the bytes sent a second.
fn in_a_terminal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    for mode in ["halfblocks", "sixel"] {
        let pair = native_pty_system()
            .openpty(PtySize { rows: 36, cols: 120, pixel_width: 1200, pixel_height: 720 })
            .expect("pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_blinktui"));
        command.args(["--graphics", mode, "play", CLIP_720P]);
        let home = tempfile::tempdir().expect("home");
        command.env("HOME", home.path());
        command.env("TERM", "xterm-256color");
        let mut child = pair.slave.spawn_command(command).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::MIN.saturating_add(35),
            std::num::NonZeroU16::MIN.saturating_add(119),
            0,
        )));
        let (feed, total) = (screen.clone(), Arc::new(Mutex::new(0usize)));
        let counted = total.clone();
        let started = Instant::now();
        let pump = std::thread::spawn(move || {
            let mut buffer = [0u8; 65536];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                *counted.lock().expect("count") += read;
                feed.lock().expect("screen").process(&buffer[..read]);
            }
        });
        let mut rates = Vec::new();
        while child.try_wait().expect("wait").is_none() && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(500));
            let text = screen.lock().expect("screen").screen().contents();
            if let Some(fps) =
                text.split(" fps").next().and_then(|head| head.rsplit(' ').next()?.parse::<f64>().ok())
            {
                rates.push(fps);
            }
        }
        let took = started.elapsed();
        drop(pair.master);
        let _ = pump.join();
        rates.sort_by(f64::total_cmp);
        let fps = rates.get(rates.len() / 2).copied().unwrap_or(0.0);
        let bytes = *total.lock().expect("count");
        println!(
            "blinktui play in a 120x36 terminal, {mode:<10} {fps:>5.1} fps shown (of 15), {:>6.0} KiB/s to the terminal",
            bytes as f64 / 1024.0 / took.as_secs_f64()
        );
    }
}

/// Decode and scale every frame of the 1280x720 15 fps clip (Main profile, 6 s).
fn decoding() {
    let probe = open(CLIP_720P);
    let info = probe.info().clone();
    let frames = (info.duration.as_secs_f64() * info.frame_rate).round();
    for (label, size) in [("decode only", None), ("decode + scale to 600x338", Some((600, 338)))] {
        let took = median(
            (0..RUNS)
                .map(|_| {
                    let mut clip = open(CLIP_720P);
                    let started = Instant::now();
                    while clip.next_frame(size).expect("decodes").is_some() {}
                    started.elapsed()
                })
                .collect(),
        );
        let fps = frames / took.as_secs_f64();
        println!(
            "1280x720 {label:<28} {:>6.1} fps  {:>5.1}x real time  ({:.1} ms a frame)",
            fps,
            fps / info.frame_rate,
            took.as_secs_f64() * 1000.0 / frames
        );
    }
}

/// What a frame costs from a decoded picture to bytes for the terminal: encoding in the
/// picture protocol, drawing the screen, and the diff ratatui writes.
fn to_the_terminal() {
    let screen = play_layout(Rect::new(0, 0, 120, 36)).picture;
    let whole = (screen.width, screen.height);
    let project: Encoder = encode;
    let cases: [(&str, ProtocolType, (u16, u16), Encoder); 9] = [
        ("half blocks, 120x36 details view", ProtocolType::Halfblocks, details_area(), project),
        ("half blocks, whole 120x36 screen", ProtocolType::Halfblocks, whole, project),
        ("sixel, 60x20 cells", ProtocolType::Sixel, (60, 20), project),
        ("sixel, 60x20, library defaults", ProtocolType::Sixel, (60, 20), library_sixel),
        ("sixel, whole 120x36 screen", ProtocolType::Sixel, whole, project),
        ("sixel, whole, library defaults", ProtocolType::Sixel, whole, library_sixel),
        ("kitty, 60x20 cells", ProtocolType::Kitty, (60, 20), project),
        ("kitty, whole 120x36 screen", ProtocolType::Kitty, whole, project),
        ("iTerm2, 60x20 cells", ProtocolType::Iterm2, (60, 20), project),
    ];
    for (label, protocol, area, encode) in cases {
        let picker = picker(protocol);
        let bounds = pixel_bounds(&picker, area);
        let mut clip = open(CLIP_720P);
        let size = clip.info().fit(bounds);
        let pictures: Vec<_> =
            (0..30).filter_map(|_| clip.next_frame(Some(size)).ok().flatten()?.image).collect();
        let written = std::rc::Rc::new(std::cell::Cell::new(0usize));
        let sink = Sink(written.clone());
        let mut terminal = Terminal::new(CrosstermBackend::new(sink)).expect("terminal");
        terminal.resize(Rect::new(0, 0, 120, 36)).expect("size");
        let mut times = Vec::new();
        let mut bytes = Vec::new();
        for picture in pictures {
            let started = Instant::now();
            let protocol = encode(&picker, picture, 7).expect("encodes");
            terminal
                .draw(|frame| {
                    let cells = protocol.size();
                    let area = Rect::new(1, 1, cells.width, cells.height);
                    frame.render_widget(ratatui_image::Image::new(&protocol), area);
                })
                .expect("draw");
            times.push(started.elapsed());
            bytes.push(written.replace(0));
        }
        // The first frame draws everything; the rest are what playing costs.
        let steady: Vec<usize> = bytes[1..].to_vec();
        let mean_bytes = steady.iter().sum::<usize>() / steady.len().max(1);
        let took = median(times[1..].to_vec());
        println!(
            "{label:<34} {:>6.1} ms a frame ({:>5.0} fps)  {:>7} bytes a frame  ({size:?} px)",
            took.as_secs_f64() * 1000.0,
            1.0 / took.as_secs_f64(),
            mean_bytes,
        );
    }
}

type Encoder = fn(&Picker, RgbImage, u32) -> Option<Box<Protocol>>;

/// A frame as sixel with the picture library's encoder defaults (256 colours, full dithering),
/// as blinktui made frames before it encoded them itself: what its choice saves.
fn library_sixel(picker: &Picker, image: RgbImage, _: u32) -> Option<Box<Protocol>> {
    let font = picker.font_size();
    let cells = Size::new(
        image.width().div_ceil(u32::from(font.width)) as u16,
        image.height().div_ceil(u32::from(font.height)) as u16,
    );
    let mut sixel = Sixel::new(DynamicImage::ImageRgb8(image), cells, false).ok()?;
    // Without the erase of its area, as blinktui sent them.
    let start = sixel.data.find("\x1bP").unwrap_or(0);
    sixel.data = sixel.data[start..].to_owned();
    Some(Box::new(Protocol::Sixel(sixel)))
}

/// From `o` on a cached clip to the first frame ready to draw: open, decode, scale, encode.
fn first_frame() {
    for (label, protocol, area) in [
        ("half blocks", ProtocolType::Halfblocks, details_area()),
        ("sixel", ProtocolType::Sixel, details_area()),
    ] {
        let picker = picker(protocol);
        let took = median(
            (0..RUNS)
                .map(|_| {
                    let started = Instant::now();
                    let mut clip = open(CLIP_720P);
                    let size = clip.info().fit(pixel_bounds(&picker, area));
                    let picture =
                        clip.next_frame(Some(size)).expect("decodes").and_then(|f| f.image).expect("frame");
                    encode(&picker, picture, 7).expect("encodes");
                    started.elapsed()
                })
                .collect(),
        );
        println!("open to first frame (1280x720 clip, {label:<11}) {:>6.1} ms", took.as_secs_f64() * 1000.0);
    }
}

/// Peak memory while 60 s of 1280x720 video go through decode, scale and encode (the clip ten
/// times over): it must not grow with the length.
fn memory() {
    let picker = picker(ProtocolType::Sixel);
    let bounds = pixel_bounds(&picker, details_area());
    let mut after_first = 0;
    for pass in 0..10 {
        let mut clip = open(CLIP_720P);
        let size = clip.info().fit(bounds);
        while let Some(frame) = clip.next_frame(Some(size)).expect("decodes") {
            if let Some(picture) = frame.image {
                drop(encode(&picker, picture, 7));
            }
        }
        if pass == 0 {
            after_first = peak_rss_kib();
        }
    }
    println!(
        "peak RSS, 60 s of 1280x720 decoded, scaled and encoded as sixel: {} MiB (after the first 6 s: {} MiB)",
        peak_rss_kib() / 1024,
        after_first / 1024
    );
}

/// Counts what would reach the terminal.
struct Sink(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
