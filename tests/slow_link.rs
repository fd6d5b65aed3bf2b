//! blinktui behind a slow link (tests/common/slow_link.rs): a key is answered after a bounded
//! number of bytes, not after whatever the link still holds. The bound follows the promise
//! "drawn within one round trip plus at most one frame's bytes": the largest draw the far
//! terminal saw, what the link carries in a round trip, and 64 KiB for the answer's own draw.
//! Bytes, not seconds, are asserted; the time limits are only there to end a stuck test.

use std::time::Duration;

mod common;

use common::far_terminal::{Answers, Draws, Responder};
use common::slow_link::{Link, Reaction, SlowLink, live_clock, position};

const CLIP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/clips/outdoor-720p.mp4");
/// 2 Mbit/s.
const SLOW: u64 = 250_000;
const ONE_WAY: Duration = Duration::from_millis(25);
/// Only to end a stuck test.
const LIMIT: Duration = Duration::from_secs(60);
const SLACK: u64 = 64 * 1024;

/// What a key may cost on `link`: one frame (the largest draw so far), a round trip, the slack.
fn allowed(session: &SlowLink) -> u64 {
    session.largest_draw() + session.link().round_trip_bytes() + SLACK
}

/// Plays the 720p clip with `graphics` behind `link`: Space once it has played a while, Space
/// again, and `q` once it has played a while more. Returns Space → paused shown and q →
/// blinktui gone, each with the bytes allowed then.
fn pause_and_quit(link: Link, graphics: &str) -> [(Reaction, u64); 2] {
    let args = ["--demo", "--graphics", graphics, "play", CLIP];
    let mut session = SlowLink::start(link, Answers::default(), &args);
    let shown = |what: &str, reaction: Option<Reaction>| {
        reaction.unwrap_or_else(|| {
            let why = if session.gone() { "blinktui is gone (the clip ended first)" } else { "timed out" };
            panic!(
                "{graphics}: no {what}: {why} after {} bytes; the screen shows:\n{}",
                session.bytes(),
                session.contents()
            )
        })
    };
    shown("clip playing", session.play_a_while(session.mark(), LIMIT));
    let space = session.press(" ");
    let paused = shown("paused mark", session.wait_for(space, LIMIT, |s| position(&s.text, "‖").is_some()));
    let allowed_pause = allowed(&session);
    eprintln!("{graphics}: Space → paused shown after {} bytes ({:?})", paused.bytes, paused.took);

    shown("clip playing again", session.play_a_while(session.press(" "), LIMIT));
    let q = session.press("q");
    let gone = shown("end", session.wait_gone(q, LIMIT));
    assert!(gone.took >= link.one_way, "{graphics}: the clip ended before q reached blinktui");
    assert_eq!(session.exit_code(LIMIT), Some(0), "{graphics}: a clean exit");
    [(paused, allowed_pause), (gone, allowed(&session))]
}

fn keys_cost_at_most_a_frame(link: Link, graphics: &str) {
    let [(paused, pause_allowed), (gone, quit_allowed)] = pause_and_quit(link, graphics);
    let report = format!(
        "{graphics}: Space → paused shown after {} bytes ({:?}; allowed {pause_allowed}), q → gone after \
         {} bytes ({:?}; allowed {quit_allowed}); allowed is a frame + a round trip + 64 KiB",
        paused.bytes, paused.took, gone.bytes, gone.took
    );
    eprintln!("{report}");
    assert!(paused.bytes <= pause_allowed && gone.bytes <= quit_allowed, "{report}");
}

#[test]
fn the_far_terminal_answers_queries_in_the_order_they_arrive() {
    let mut screen = common::pty::screen_with(Responder::new(Answers::default()));
    screen.process(b"hi\x1b[5n\x1b[c\x1b]11;?\x1b\\\x1b[16t\x1b[>0q\x1b[6n\x1b[0c\x1b[?25l");
    let out = String::from_utf8_lossy(&screen.callbacks().out).into_owned();
    let expected = "\x1b[0n\x1b[?62;4;22c\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[6;20;10t\x1bP>|XTerm(379)\x1b\\\x1b[1;3R\x1b[?62;4;22c";
    assert_eq!(out, expected);
}

#[test]
fn a_draw_is_counted_from_one_cursor_hide_to_the_next() {
    let mut draws = Draws::default();
    draws.feed(b"abc\x1b[?2");
    draws.feed(b"5l0123456789\x1b\x1b[?25lxy");
    assert_eq!((draws.count, draws.largest), (2, 17));
}

/// The probe's queries cross the link and the answers come back: blinktui sees a sixel xterm
/// on a black background.
#[test]
fn the_start_up_probe_is_answered_across_the_link() {
    let mut session = SlowLink::start(Link::limited(SLOW, ONE_WAY), Answers::default(), &["info"]);
    let start = session.mark();
    session.wait_gone(start, LIMIT).expect("info ends");
    assert_eq!(session.exit_code(LIMIT), Some(0));
    let text = session.contents();
    assert!(text.contains("graphics      sixel (cell 10x20 px"), "{text}");
    assert!(text.contains("terminal      XTerm(379)"), "{text}");
    assert!(text.contains("background #000000"), "{text}");
}

/// Over a fast link nothing queues: keys cost at most a frame today.
#[test]
fn over_an_unlimited_link_keys_cost_at_most_a_frame() {
    keys_cost_at_most_a_frame(Link::unlimited(ONE_WAY), "halfblocks");
}

#[test]
fn over_2_mbit_keys_cost_at_most_a_frame_in_half_blocks() {
    keys_cost_at_most_a_frame(Link::limited(SLOW, ONE_WAY), "halfblocks");
}

#[test]
fn over_2_mbit_keys_cost_at_most_a_frame_in_sixel() {
    keys_cost_at_most_a_frame(Link::limited(SLOW, ONE_WAY), "sixel");
}

#[test]
fn over_2_mbit_keys_cost_at_most_a_frame_in_kitty() {
    keys_cost_at_most_a_frame(Link::limited(SLOW, ONE_WAY), "kitty");
}

/// Live view in sixel over half a megabit for 12 s of the live clock: the camera sends more
/// than the link carries in any build (unpaced, the frames would fill SSH's 1 MiB window), so
/// frames must be dropped to the link's pace, never queued. What blinktui ever has waiting in
/// front of the link stays within one frame and a round trip, and q is answered after no more
/// than that.
#[test]
fn over_a_slow_link_live_view_queues_no_frames_and_q_is_answered() {
    let args = ["--demo", "--graphics", "sixel", "live", "drive"];
    let link = Link::limited(SLOW / 4, ONE_WAY);
    let mut session = SlowLink::start(link, Answers::default(), &args);
    let live = session.wait_for(session.mark(), LIMIT, |s| live_clock(&s.text) >= Some(12));
    assert!(live.is_some(), "no live picture 12 s in; the screen shows:\n{}", session.contents());
    let queued = session.peak_window() as u64;
    let allowed_queue = allowed(&session);
    eprintln!("live view: at most {queued} bytes queued in front of the link (allowed {allowed_queue})");
    assert!(queued <= allowed_queue, "{queued} bytes queued in front of the link; allowed {allowed_queue}");
    assert!(session.bytes() > 200_000, "pictures were drawn: {} bytes", session.bytes());

    let q = session.press("q");
    let gone = session.wait_gone(q, LIMIT).expect("blinktui ends");
    let allowed_quit = allowed(&session);
    eprintln!("live view: q → gone after {} bytes ({:?}; allowed {allowed_quit})", gone.bytes, gone.took);
    assert!(gone.bytes <= allowed_quit, "q → gone after {} bytes; allowed {allowed_quit}", gone.bytes);
    assert_eq!(session.exit_code(LIMIT), Some(0), "a clean exit");
}

#[test]
fn over_a_slow_link_the_grid_sends_thumbnails_as_they_are_drawn_and_keys_go_first_in_sixel() {
    grid_keys_go_first("sixel");
}

#[test]
fn over_a_slow_link_the_grid_sends_thumbnails_as_they_are_drawn_and_keys_go_first_in_kitty() {
    grid_keys_go_first("kitty");
}

/// The grid of thumbnails over 2 Mbit/s. A screen of thumbnails is hundreds of kilobytes,
/// seconds of this link: they go as the far terminal draws them, a thumbnail or two a draw, so
/// a key pressed while they fill is answered after about a thumbnail's bytes and a round trip,
/// never behind the whole screen.
fn grid_keys_go_first(graphics: &str) {
    let args = ["--demo", "--graphics", graphics];
    let mut session = SlowLink::start(Link::limited(SLOW, ONE_WAY), Answers::default(), &args);
    let main = session.wait_for_text(session.mark(), LIMIT, "Front Door");
    assert!(main.is_some(), "no main screen; it shows:\n{}", session.contents());
    let start = session.press("4t");
    let grid = session.wait_for_text(start, LIMIT, "Events · thumbnails");
    assert!(grid.is_some(), "no grid; the screen shows:\n{}", session.contents());
    // Pictures are on their way: a key now.
    let filling = session.wait_for(start, LIMIT, |s| s.bytes > start.bytes + 40_000);
    assert!(filling.is_some(), "no thumbnails drawn");
    let right = session.press("l");
    let moved = session.wait_for(right, LIMIT, |s| s.text.contains(" 2/")).expect("l is answered");
    let allowed_key = allowed(&session);
    // The screen fills (twelve thumbnails at 120x36), then the link falls quiet.
    let deadline = std::time::Instant::now() + LIMIT;
    let mut sent = session.bytes();
    loop {
        std::thread::sleep(Duration::from_secs(2));
        let now = session.bytes();
        if now == sent || std::time::Instant::now() > deadline {
            break;
        }
        sent = now;
    }
    let screenful = session.bytes() - start.bytes;
    let largest = session.largest_draw();
    eprintln!(
        "grid in {graphics}: {screenful} bytes of thumbnails, the largest draw {largest}; l → moved after {} \
         bytes ({:?}; allowed {allowed_key})",
        moved.bytes, moved.took
    );
    assert!(
        largest * 4 <= screenful,
        "{graphics}: the screen went in a few large draws: {largest} of {screenful}"
    );
    assert!(
        moved.bytes <= allowed_key,
        "{graphics}: l → moved after {} bytes; allowed {allowed_key}",
        moved.bytes
    );
    let q = session.press("q");
    session.wait_gone(q, LIMIT).expect("blinktui ends");
    assert_eq!(session.exit_code(LIMIT), Some(0), "a clean exit");
}
