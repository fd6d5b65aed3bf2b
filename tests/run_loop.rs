//! The real loop (`run_loop`) headless: when it draws, how it ends on a signal, how it hands
//! the terminal to the external player, and remapped keys on screen. Counts, never times.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use blinktui::api::{BlinkClient, ClientOptions, SessionStore};
use blinktui::app::colours::Colours;
use blinktui::app::keymap::Keymap;
use blinktui::app::login::LoginState;
use blinktui::app::{AppState, Screen, UiOptions};
use blinktui::config::KeySpec;
use blinktui::tui::runner::App;
use common::looped::{FakeHost, Seen, run, run_with, seen};
use common::{Harness, quiet_config, start};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui_image::picker::Picker;

const WAIT: Duration = Duration::from_secs(10);
const SIZE: (u16, u16) = (120, 36);

fn options() -> UiOptions {
    UiOptions { pictures: false, colours: Colours::Mono, ..UiOptions::default() }
}

fn app(
    client: Option<BlinkClient>,
    client_options: ClientOptions,
    dir: &std::path::Path,
    options: UiOptions,
    keymap: Keymap,
    screen: Screen,
) -> App {
    let store = SessionStore::new(dir.join("state"));
    common::build_app(
        client,
        client_options,
        store,
        dir,
        (options, keymap, screen),
        Some(Picker::halfblocks()),
    )
}

/// The login screen: nothing to load, nothing due, no network.
fn login_app(dir: &std::path::Path) -> App {
    let screen = Screen::Login(LoginState::new(None, None));
    app(None, ClientOptions::default(), dir, options(), Keymap::default(), screen)
}

/// Logged in to the simulator, with the first load done (the loop's start refreshes again).
async fn loaded_app(h: &Harness, options: UiOptions, keymap: Keymap) -> App {
    let client = h.login().await;
    let mut app = app(Some(client), h.options.clone(), h.dir.path(), options, keymap, Screen::Main);
    app.start();
    let loaded = app.pump_until(WAIT, |s| s.data.home_loaded && s.data.events_loaded && settled(s)).await;
    assert!(loaded, "initial load");
    app
}

fn settled(state: &AppState) -> bool {
    state.runs_in_flight().next().is_none()
        && !state.remote.loading.home.in_flight
        && !state.remote.loading.events.in_flight
        && !state.remote.loading.programs.in_flight
        && !state.remote.loading.usb.in_flight
}

/// The main screen with its data and nothing loading.
fn main_screen_settled(seen: &Seen) -> bool {
    let screen = seen.screen();
    screen.contains("Front Door") && screen.contains("refreshed") && !screen.contains("refreshing")
}

/// Each key drawn just before `label` (`K save` in a footer, `K    save` in help), with the
/// spaces between them and whether it is inside a box.
fn keys_before(screen: &str, label: &str) -> Vec<(String, usize, bool)> {
    let mut keys = Vec::new();
    for line in screen.lines() {
        for (at, _) in line.match_indices(label) {
            let whole_word = !line[at + label.len()..].starts_with(char::is_alphanumeric);
            let key_end = line[..at].trim_end();
            let gap = at - key_end.len();
            // A key hidden under a popup leaves only a border before the label.
            let key = key_end.split([' ', '│']).next_back().filter(|key| !key.is_empty());
            if let (true, true, Some(key)) = (whole_word, gap > 0, key) {
                keys.push((key.to_owned(), gap, key_end.contains('│')));
            }
        }
    }
    keys
}

/// Every `save` on screen is keyed `K`, and `shown` holds for one of them.
fn saves_with_k(seen: &Seen, shown: impl Fn(usize, bool) -> bool) -> bool {
    let keys = keys_before(&seen.screen(), "save");
    keys.iter().all(|(key, _, _)| key == "K") && keys.iter().any(|(_, gap, boxed)| shown(*gap, *boxed))
}

#[tokio::test]
async fn an_idle_loop_draws_nothing_until_something_happens() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, shared) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await, "the loop's own refresh ends");
        // Whatever the start-up still reads (older pages, the stick) ends first: on a loaded
        // machine it may come after the screen looks settled.
        let quiet = driver.quiet(WAIT, Duration::from_millis(300)).await;
        assert!(quiet, "the start-up ends");
        // From here on time only moves when every task waits: what the loop wakes for now, it
        // wakes for within the next 30 s (the refresh is a minute away).
        tokio::time::pause();
        let before = driver.seen().draws;
        tokio::time::sleep(Duration::from_secs(30)).await;
        assert_eq!(driver.seen().draws, before, "no draw while nothing happens");
        driver.key(KeyCode::Char('j'));
        assert!(driver.drawn(WAIT, |s| s.draws > before).await, "a key is drawn");
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(driver.seen().draws, before + 1, "and once");
    })
    .await;
    result.expect("the loop ends cleanly");
    assert!(seen(&shared).draws > 1);
}

#[tokio::test(start_paused = true)]
async fn keys_typed_ahead_are_drawn_in_one_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = login_app(dir.path());
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, |s| s.draws == 1).await, "the first frame");
        driver.type_keys("me@home.example");
        assert!(driver.drawn(WAIT, |s| s.screen().contains("me@home.example")).await);
        // Every task waits before time moves: nothing more is coming.
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(driver.seen().draws, 2, "fifteen keys, one frame");
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test(start_paused = true)]
async fn a_quit_signal_ends_the_loop_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = login_app(dir.path());
    let looped = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, |s| s.draws == 1).await, "the first frame");
        driver.signals.unbounded_send(()).expect("the loop listens");
        // The input stays open: only the signal can end the loop.
        std::future::pending::<()>().await;
    });
    let (result, _) = tokio::time::timeout(Duration::from_secs(60), looped).await.expect("the loop ends");
    result.expect("cleanly");
    assert!(app.state.quit);
}

#[tokio::test(start_paused = true)]
async fn ctrl_z_hands_the_terminal_back_to_the_shell_and_repaints_on_resume() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = login_app(dir.path());
    let (result, shared) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, |s| s.draws == 1).await, "the first frame");
        driver.chord(KeyCode::Char('z'), KeyModifiers::CONTROL);
        let back = driver.drawn(WAIT, |s| s.host.len() >= 3 && s.screen().contains("E-mail")).await;
        assert!(back, "{:?}\n{}", driver.seen().host, driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
    let seen = seen(&shared);
    assert_eq!(seen.host, ["suspend", "stop", "resume"], "the terminal is restored before the stop");
    assert!(seen.clears >= 1, "the screen is cleared on resume");
}

#[tokio::test]
async fn the_external_player_gets_the_terminal_and_the_screen_comes_back() {
    let h = start(quiet_config()).await;
    let played = h.dir.path().join("played");
    let player = format!("sh -c 'cp \"$1\" {}' sh {{file}}", played.display());
    let options = UiOptions { player: Some(player.clone()), ..options() };
    let mut app = loaded_app(&h, options, Keymap::default()).await;
    let host = {
        let played = played.clone();
        move |shared: &common::looped::Shared| {
            FakeHost::new(shared, move || format!(" played={}", played.exists()))
        }
    };
    let (result, shared) = run_with(&mut app, SIZE, Some(&player), host, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4O");
        let back = driver.drawn(WAIT, |s| s.host.len() >= 2 && s.screen().contains("Events")).await;
        assert!(back, "{:?}", driver.seen().host);
    })
    .await;
    result.expect("the loop ends cleanly");
    let seen = seen(&shared);
    assert_eq!(seen.host, ["suspend played=false", "resume played=true"], "handed over around the player");
    assert!(seen.clears >= 1, "the screen is cleared after the player");
    assert!(played.exists());
}

#[tokio::test]
async fn a_remapped_key_shows_in_the_footer_the_help_and_the_details_hints() {
    let h = start(quiet_config()).await;
    let keys = BTreeMap::from([("save_clip".to_owned(), KeySpec::One("K".into()))]);
    let keymap = Keymap::from_config(&keys).expect("keymap");
    let mut app = loaded_app(&h, options(), keymap).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        driver.type_keys("4");
        let footer = driver.drawn(WAIT, |s| saves_with_k(s, |gap, boxed| gap == 1 && !boxed)).await;
        assert!(footer, "footer:\n{}", driver.seen().screen());
        driver.type_keys("?");
        let help = driver.drawn(WAIT, |s| saves_with_k(s, |gap, boxed| gap > 1 && boxed)).await;
        assert!(help, "help:\n{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        driver.key(KeyCode::Enter);
        let hints = driver
            .drawn(WAIT, |s| {
                s.screen().contains("Event ·") && saves_with_k(s, |gap, boxed| gap == 1 && boxed)
            })
            .await;
        assert!(hints, "details:\n{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn help_scrolls_on_a_short_screen_and_says_there_is_more() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    app.dispatch(blinktui::app::action::Action::Resize(80, 24));
    let (result, _) = run(&mut app, (80, 24), |driver| async move {
        driver.type_keys("?");
        let top = driver
            .drawn(WAIT, |s| {
                s.screen().contains("↓ more: j/k scroll") && !s.screen().contains("frame forward")
            })
            .await;
        assert!(top, "the first keys, and a note that more are below:\n{}", driver.seen().screen());
        driver.type_keys("G");
        let bottom = driver
            .drawn(WAIT, |s| {
                s.screen().contains("frame forward") && s.screen().contains("↑ more: j/k scroll")
            })
            .await;
        assert!(bottom, "the last keys, scrolled to:\n{}", driver.seen().screen());
        driver.type_keys("k");
        let between = driver.drawn(WAIT, |s| s.screen().contains("↑↓ more")).await;
        assert!(between, "one line back up, more both ways:\n{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        assert!(driver.drawn(WAIT, |s| !s.screen().contains("more: j/k")).await, "Esc closes help");
    })
    .await;
    result.expect("the loop ends cleanly");
}

/// The line of the screen that contains `text`.
fn line_with(seen: &Seen, text: &str) -> Option<String> {
    seen.screen().lines().find(|line| line.contains(text)).map(str::to_owned)
}

#[tokio::test]
async fn a_filter_term_not_understood_is_named_and_the_filter_opens_for_editing() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4/since:yesterday");
        let named = driver
            .drawn(WAIT, |s| {
                s.screen().contains("since:yesterday is not understood") && s.screen().contains("2h")
            })
            .await;
        assert!(named, "the term and what is accepted:\n{}", driver.seen().screen());
        let nothing = driver.seen().screen();
        assert!(nothing.contains("No event selected"), "no camera while nothing matches:\n{nothing}");
        assert!(!nothing.contains("detection on"), "no camera's facts:\n{nothing}");

        driver.chord(KeyCode::Char('u'), KeyModifiers::CONTROL);
        let cleared =
            driver.drawn(WAIT, |s| s.screen().contains("/▏") && !s.screen().contains("yesterday")).await;
        assert!(cleared, "Ctrl-U empties the line:\n{}", driver.seen().screen());
        driver.type_keys("cam:drive");
        driver.key(KeyCode::Enter);
        driver.type_keys("/since:2d");
        driver.key(KeyCode::Enter);
        let both = driver.drawn(WAIT, |s| s.screen().contains("/cam:drive since:2d ")).await;
        assert!(both, "`/` opens the filter in force; a new term starts apart:\n{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn a_stick_clips_summary_offers_its_clip() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4/src:usb");
        driver.key(KeyCode::Enter);
        let shown = driver.drawn(WAIT, |s| line_with(s, "Clip").is_some_and(|l| l.contains("o play"))).await;
        assert!(shown, "a stick clip plays and saves:\n{}", driver.seen().screen());
        let screen = driver.seen().screen();
        assert!(!screen.contains("Clip        none") && screen.contains("Size"), "{screen}");
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn a_snoozed_camera_says_so_beside_its_motion_detection() {
    let h = start(quiet_config()).await;
    h.sim.with_world(|w| {
        let until = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(59);
        w.devices
            .iter_mut()
            .filter(|d| d.device.name == "Driveway")
            .for_each(|d| d.snoozed_until = Some(until));
    });
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("2/driveway");
        driver.key(KeyCode::Enter);
        let said = driver
            .drawn(WAIT, |s| line_with(s, "Motion").is_some_and(|l| l.contains("detection on, snoozed 5")))
            .await;
        assert!(said, "{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn mark_watched_is_offered_only_on_an_unwatched_event() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let watched = app.state.data.events.iter().position(|e| e.watched && e.source.as_deref() != Some("usb"));
    let unwatched =
        app.state.data.events.iter().position(|e| !e.watched && e.source.as_deref() != Some("usb"));
    let (Some(watched), Some(unwatched)) = (watched, unwatched) else { panic!("the demo has both") };
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4g");
        driver.type_keys(&"j".repeat(watched));
        driver.key(KeyCode::Enter);
        let watched_yes = |s: &Seen| line_with(s, "Watched").is_some_and(|l| l.contains(" yes"));
        let details = driver.drawn(WAIT, watched_yes).await;
        assert!(details, "{}", driver.seen().screen());
        assert!(!driver.seen().screen().contains("mark watched"), "{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        driver.type_keys("g");
        driver.type_keys(&"j".repeat(unwatched));
        driver.key(KeyCode::Enter);
        // Opening it marks it watched on Blink: the hint goes with it once Blink agrees.
        let gone = driver.drawn(WAIT, |s| watched_yes(s) && !s.screen().contains("mark watched")).await;
        assert!(gone, "{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn two_commands_running_keep_apart_from_the_picture_protocol_in_the_status_line() {
    let config = blinktui::sim::SimConfig { command_delay: Duration::from_secs(3), ..quiet_config() };
    let h = start(config).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("2gmjm");
        let both = driver.drawn(WAIT, |s| s.screen().contains("(waiting for Home)")).await;
        assert!(both, "{}", driver.seen().screen());
        let line = line_with(&driver.seen(), "(waiting for Home)").expect("the status line");
        assert!(!line.contains(")pictures"), "{line:?}");
        if let Some(at) = line.find("pictures:") {
            assert!(line[..at].ends_with(' '), "{line:?}");
        }
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn the_account_view_shows_the_account_and_switches_a_notification_through_the_queue() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("A");
        let shown = driver
            .drawn(WAIT, |s| {
                let screen = s.screen();
                screen.contains("demo@blinktui.example")
                    && screen.contains("u011 (United States - EAST)")
                    && line_with(s, "camera usage").is_some_and(|l| l.contains(" off"))
                    && line_with(s, "sync module offline").is_some_and(|l| l.contains(" on"))
                    && screen.contains("owl app enabled")
            })
            .await;
        assert!(shown, "{}", driver.seen().screen());
        // Down to "camera usage" and switch it on.
        let rows: Vec<String> = driver.seen().screen().lines().map(str::to_owned).collect();
        let first = rows.iter().position(|l| l.contains("E-mail")).expect("the first row");
        let usage = rows.iter().position(|l| l.contains("camera usage")).expect("the row");
        driver.type_keys(&"j".repeat(usage - first));
        driver.key(KeyCode::Enter);
        let switched = driver
            .drawn(WAIT, |s| {
                line_with(s, "camera usage").is_some_and(|l| l.contains(" on"))
                    && s.screen().contains("Account")
            })
            .await;
        assert!(switched, "switched, read again, still open:\n{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        assert!(driver.drawn(WAIT, |s| !s.screen().contains("owl app enabled")).await, "Esc closes it");
    })
    .await;
    result.expect("the loop ends cleanly");
    assert!(h.sim.with_world(|w| w.notifications["camera_usage"]), "Blink has it on");
    assert!(app.state.toasts.log().any(|t| t.text.contains("Camera usage notifications on")), "said");
    assert_eq!(h.count("POST", "/api/v1/accounts/*/notifications/configuration"), 1);
    assert_eq!(h.count("GET", "/api/v1/accounts/*/notifications/configuration"), 2, "read on open and after");
}

#[tokio::test]
async fn at_80_columns_two_commands_running_are_shown_whole() {
    let config = blinktui::sim::SimConfig { command_delay: Duration::from_secs(3), ..quiet_config() };
    let h = start(config).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    app.dispatch(blinktui::app::action::Action::Resize(80, 24));
    let (result, _) = run(&mut app, (80, 24), |driver| async move {
        driver.type_keys("2gmjm");
        let both = driver
            .drawn(WAIT, |s| {
                line_with(s, "(waiting for Home)").is_some_and(|l| {
                    l.contains("Motion off Driveway (") && l.contains("Motion off Backyard (")
                })
            })
            .await;
        assert!(both, "{}", driver.seen().screen());
    })
    .await;
    result.expect("the loop ends cleanly");
}

/// The picture area of the event details at 120x36.
fn picture(screen: &str) -> String {
    screen
        .lines()
        .skip(2)
        .take(30)
        .map(|line| line.chars().skip(45).take(73).collect::<String>() + "\n")
        .collect()
}

/// The number before `dropped` in the player's progress line.
fn dropped(screen: &str) -> u64 {
    screen
        .split(" dropped")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn frames_and_keys_wait_only_for_what_the_terminal_has_not_answered() {
    let h = start(quiet_config()).await;
    let options = UiOptions { pictures: true, ..options() };
    let mut app = loaded_app(&h, options, Keymap::default()).await;
    let (result, shared) = run_with(&mut app, SIZE, None, FakeHost::answering, |driver| async move {
        assert!(driver.drawn_answering(WAIT, main_screen_settled).await);
        driver.type_keys("4o");
        let playing = driver
            .drawn_answering(WAIT, |s| s.screen().contains("▶") && picture(&s.screen()).contains('▀'))
            .await;
        assert!(playing, "{}", driver.seen().screen());
        // The terminal stops answering (a slow link): what was drawn last stays, nothing more
        // is sent for a second (the window in which nothing must happen), and the clip keeps
        // its time by dropping that second's frames.
        let asked = driver.drawn(WAIT, |s| s.questions > s.answered).await;
        assert!(asked, "a frame is followed by a question");
        let draws = driver.seen().draws;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(driver.seen().draws, draws, "nothing drawn before the answer");
        // A key waits only for what is already on its way: once the terminal has answered
        // for it, the key is drawn.
        driver.key(KeyCode::Char(' '));
        let paused =
            driver.drawn_answering(WAIT, |s| s.screen().contains("‖") && dropped(&s.screen()) >= 10).await;
        assert!(paused, "paused once answered, the second's frames dropped: {}", driver.seen().screen());
        let still = picture(&driver.seen().screen());
        // Paused, no frame follows, whatever the terminal answers.
        let answered = driver.drawn_answering(WAIT, |s| s.answered == s.questions).await;
        assert!(answered);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(picture(&driver.seen().screen()), still, "paused");
        // Playing again with the terminal answering, frames flow (as many as the slow link
        // carries), each followed by a question.
        let questions = driver.seen().questions;
        driver.key(KeyCode::Char(' '));
        let flowing = driver.drawn_answering(WAIT, |s| s.questions >= questions + 5).await;
        assert!(flowing, "frames flow once answered");
        assert_ne!(picture(&driver.seen().screen()), still, "the clip moved on");
    })
    .await;
    result.expect("the loop ends cleanly");
    assert!(seen(&shared).questions >= 6);
}

/// Rows of the screen with half-block picture cells in them.
fn picture_rows(screen: &str) -> usize {
    screen.lines().filter(|line| line.contains('▀') || line.contains('▄')).count()
}

#[tokio::test]
async fn f_gives_a_playing_clip_the_whole_screen_and_esc_gives_it_back() {
    let h = start(quiet_config()).await;
    let options = UiOptions { pictures: true, ..options() };
    let mut app = loaded_app(&h, options, Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4o");
        let boxed = |s: &Seen| {
            let screen = s.screen();
            screen.contains("▶") && screen.contains("Event id") && picture_rows(&screen) > 10
        };
        assert!(driver.drawn(WAIT, boxed).await, "{}", driver.seen().screen());
        let rows = picture_rows(&driver.seen().screen());
        assert!(rows < 30, "the details' picture: {rows} rows");
        driver.key(KeyCode::Char('f'));
        // The frames are made again for the whole screen: a 16:9 clip at 120x35 cells takes 34
        // rows; the facts, panes and bars are gone and the progress line is the last row.
        let full = |s: &Seen| {
            let screen = s.screen();
            let last = screen.lines().last().unwrap_or_default().to_owned();
            picture_rows(&screen) >= 33
                && !screen.contains("Event id")
                && last.contains("▶")
                && last.contains("back")
        };
        assert!(driver.drawn(WAIT, full).await, "{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        assert!(
            driver.drawn(WAIT, boxed).await,
            "back to the details, still playing: {}",
            driver.seen().screen()
        );
        driver.key(KeyCode::Char('f'));
        assert!(driver.drawn(WAIT, full).await);
        driver.key(KeyCode::Char('f'));
        assert!(driver.drawn(WAIT, boxed).await, "f gives it back too");
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn marks_a_filter_hides_are_named_and_esc_clears_them() {
    let h = start(quiet_config()).await;
    let mut app = loaded_app(&h, options(), Keymap::default()).await;
    let (result, _) = run(&mut app, SIZE, |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4  ");
        assert!(driver.drawn(WAIT, |s| s.screen().contains("2 marked")).await, "{}", driver.seen().screen());
        driver.type_keys("/usb");
        driver.key(KeyCode::Enter);
        let hidden =
            driver.drawn(WAIT, |s| s.screen().contains("2 marked, ") && s.screen().contains(" hidden")).await;
        assert!(hidden, "{}", driver.seen().screen());
        driver.key(KeyCode::Char('x'));
        let asked = driver.drawn(WAIT, |s| s.screen().contains("hidden by")).await;
        assert!(asked, "the question names the hidden marks: {}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        driver.key(KeyCode::Esc);
        let cleared =
            driver.drawn(WAIT, |s| !s.screen().contains("marked") && s.screen().contains("usb")).await;
        assert!(cleared, "Esc clears the marks, the filter stays: {}", driver.seen().screen());
        driver.key(KeyCode::Char('*'));
        assert!(driver.drawn(WAIT, |s| s.screen().contains(" marked")).await, "* marks every event shown");
    })
    .await;
    result.expect("the loop ends cleanly");
}

#[tokio::test]
async fn t_shows_a_grid_of_thumbnails_that_keys_move_through_and_fetches_only_those_on_screen() {
    let h = start(quiet_config()).await;
    let options = UiOptions { pictures: true, ..options() };
    let mut app = loaded_app(&h, options, Keymap::default()).await;
    app.state.size = (140, 45);
    let before = h.sim.faults().requests().len();
    let (result, _) = run(&mut app, (140, 45), |driver| async move {
        assert!(driver.drawn(WAIT, main_screen_settled).await);
        driver.type_keys("4t");
        // 140x45 holds 5 by 4 tiles, each picture 7 rows of half blocks.
        let filled = |s: &Seen| s.screen().contains("Events · thumbnails") && picture_rows(&s.screen()) >= 28;
        assert!(driver.drawn(WAIT, filled).await, "{}", driver.seen().screen());
        // Right, then down a row: the seventh event, as the pane's counter says.
        driver.type_keys("lj");
        assert!(driver.drawn(WAIT, |s| s.screen().contains(" 7/")).await, "{}", driver.seen().screen());
        // `o` plays it in its details; stopping and closing them comes back to the grid.
        driver.key(KeyCode::Char('o'));
        assert!(driver.drawn(WAIT, |s| s.screen().contains("▶")).await, "{}", driver.seen().screen());
        driver.key(KeyCode::Esc);
        driver.key(KeyCode::Esc);
        let back = |s: &Seen| s.screen().contains("Events · thumbnails") && s.screen().contains(" 7/");
        assert!(driver.drawn(WAIT, back).await, "{}", driver.seen().screen());
        // `t` again: the list, with the same event selected.
        driver.key(KeyCode::Char('t'));
        assert!(driver.drawn(WAIT, |s| !s.screen().contains("Events · thumbnails")).await);
    })
    .await;
    result.expect("the loop ends cleanly");
    // Of the events' thumbnails, only the 20 on the grid's screen were asked for, once each.
    let list = app.state.list(blinktui::app::Pane::Events);
    let path = |key: &str| key.split('?').next().unwrap_or_default().to_owned();
    let thumbnail_of = |i: usize| app.state.data.events[i].thumbnail.as_deref().map(path);
    let on_screen: Vec<String> = list.visible.iter().take(20).filter_map(|i| thumbnail_of(*i)).collect();
    let all: Vec<String> = list.visible.iter().filter_map(|i| thumbnail_of(*i)).collect();
    assert!(all.len() > 20, "more events than a screen: {}", all.len());
    let asked: Vec<String> = h.sim.faults().requests()[before..]
        .iter()
        .map(|r| path(&r.path))
        .filter(|p| all.contains(p))
        .collect();
    let mut unique = asked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), asked.len(), "each once: {asked:?}");
    assert!(asked.iter().all(|p| on_screen.contains(p)), "{asked:?}");
    assert_eq!(asked.len(), on_screen.len());
}
