//! The real binary with `--demo` in a pseudo-terminal: keys in, screen out, and the terminal
//! restored when it quits or is told to stop.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Kept open for the session's lifetime.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl Session {
    fn start(args: &[&str]) -> Self {
        Self::start_with_config(args, None)
    }

    /// With `config` written to the config file first.
    fn start_with_config(args: &[&str], config: Option<&str>) -> Self {
        Self::spawn(env!("CARGO_BIN_EXE_blinktui"), args, config)
    }

    /// `program` (blinktui, or a wrapper around it) in the pseudo-terminal.
    fn spawn(program: &str, args: &[&str], config: Option<&str>) -> Self {
        Self::spawn_with_env(program, args, config, &[])
    }

    /// [`Session::spawn`] with more environment variables.
    fn spawn_with_env(program: &str, args: &[&str], config: Option<&str>, env: &[(&str, String)]) -> Self {
        Self::spawn_sized(program, args, config, env, (120, 36))
    }

    /// [`Session::spawn_with_env`] in a terminal of `size` cells (columns, rows).
    fn spawn_sized(
        program: &str,
        args: &[&str],
        config: Option<&str>,
        env: &[(&str, String)],
        size: (u16, u16),
    ) -> Self {
        let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let spawned = common::pty::spawn_sized(program, args, config, &env, size);
        let mut reader = spawned.reader;
        let screen = Arc::new(Mutex::new(common::pty::screen()));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                feed.lock().expect("screen").process(&buffer[..read]);
            }
        });
        Self {
            screen,
            writer: spawned.writer,
            child: spawned.child,
            _master: spawned.master,
            _home: spawned.home,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if check(&self.contents()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; the screen shows:\n{}", self.contents());
    }

    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
        // Give the app a moment so separate keys are not read as one escape sequence.
        std::thread::sleep(Duration::from_millis(150));
    }

    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("blinktui did not exit; the screen shows:\n{}", self.contents());
    }

    fn in_alternate_screen(&self) -> bool {
        self.screen.lock().expect("screen").screen().alternate_screen()
    }

    /// What a rectangle of the screen shows, colours included (pictures are colours).
    fn region(&self, rows: std::ops::Range<u16>, cols: std::ops::Range<u16>) -> String {
        let parser = self.screen.lock().expect("screen");
        let screen = parser.screen();
        let mut out = String::new();
        for row in rows {
            for col in cols.clone() {
                if let Some(cell) = screen.cell(row, col) {
                    out.push_str(&format!("{}{:?}{:?}|", cell.contents(), cell.fgcolor(), cell.bgcolor()));
                }
            }
        }
        out
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

/// The picture area of the event details view at 120x36.
const PICTURE_ROWS: std::ops::Range<u16> = 2..33;
const PICTURE_COLS: std::ops::Range<u16> = 45..118;

#[test]
fn demo_runs_keys_commands_and_quits_cleanly() {
    let mut session = Session::start(&["--demo"]);
    session.wait_for("the main screen", |s| {
        s.contains("1 Networks") && s.contains("Home") && s.contains("Front Door")
    });
    assert!(session.in_alternate_screen());

    session.press("2");
    session.press("j");
    session.wait_for("the second camera's details", |s| s.contains("Backyard  XT2"));
    session.press("s");
    session.wait_for("the snapshot to finish", |s| s.contains("Backyard: new picture"));

    session.press("1");
    session.press("j");
    session.press("a");
    session.wait_for("Cabin armed", |s| s.contains("Cabin armed") && s.contains("all armed"));

    session.press("?");
    session.wait_for("help", |s| s.contains("Keys") && s.contains("motion on/off"));
    session.press("\x1b");
    session.wait_for("help closed", |s| !s.contains("Change keys in the config"));

    session.press("q");
    assert_eq!(session.exit_code(), 0);
    assert!(!session.in_alternate_screen(), "the terminal is restored");
}

#[test]
fn every_quit_signal_restores_the_terminal() {
    use rustix::process::Signal;
    for signal in [Signal::TERM, Signal::HUP, Signal::INT, Signal::QUIT] {
        let mut session = Session::start(&["--demo", "--graphics", "none"]);
        session.wait_for("the main screen", |s| s.contains("1 Networks") && s.contains("Cabin"));
        let pid = session.child.process_id().expect("pid");
        let pid = rustix::process::Pid::from_raw(pid as i32).expect("valid pid");
        rustix::process::kill_process(pid, signal).expect("signal");
        assert_eq!(session.exit_code(), 0, "{signal:?}: a clean exit");
        assert!(!session.in_alternate_screen(), "{signal:?}: the terminal is restored");
        assert!(
            !session.screen.lock().expect("screen").screen().hide_cursor(),
            "{signal:?}: the cursor is back"
        );
    }
}

#[test]
fn the_demo_login_screen_shows_the_demo_account() {
    let mut session = Session::start(&["--demo", "--login", "--graphics", "none"]);
    session.wait_for("the login screen", |s| s.contains("Log in to Blink") && s.contains("Demo account"));
    session.press("demo@blinktui.example\t");
    session.press("demo-password\r");
    session.wait_for("the main screen after login", |s| s.contains("1 Networks") && s.contains("Front Door"));
    session.press("\x03");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_clip_plays_in_the_event_details_and_space_freezes_it() {
    let mut session = Session::start(&["--demo", "--graphics", "halfblocks"]);
    session.wait_for("the main screen", |s| s.contains("4 Events") && s.contains("Front Door"));
    session.press("4");
    session.press("o");
    session.wait_for("the clip playing", |s| s.contains("▶ 00:"));
    let picture = |session: &Session| session.region(PICTURE_ROWS, PICTURE_COLS);
    let first = picture(&session);
    let deadline = Instant::now() + Duration::from_secs(5);
    while picture(&session) == first && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_ne!(picture(&session), first, "the picture moves while the clip plays");
    session.press(" ");
    session.wait_for("paused", |s| s.contains("‖ 00:"));
    std::thread::sleep(Duration::from_millis(300));
    let frozen = picture(&session);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(picture(&session), frozen, "a paused clip stands still");
    session.press("\x1b");
    session.wait_for("the event details without the player", |s| {
        !s.contains("‖ 00:") && s.contains("o play") && s.contains("Event id")
    });
    session.press("\x1b");
    session.wait_for("the panes", |s| s.contains("1 Networks"));
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

/// The id the event details show (`Event id`, or `Clip id` for a stick's clip).
fn details_id(screen: &str) -> Option<String> {
    screen.lines().find_map(|line| {
        let rest = line.split("Event id").nth(1).or_else(|| line.split("Clip id").nth(1))?;
        rest.split_whitespace().next().map(str::to_owned)
    })
}

/// Polls the screen until `done` says the ids of the events seen playing are enough, and
/// returns them in the order they played.
fn events_played(session: &Session, limit: Duration, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + limit;
    let mut played: Vec<String> = Vec::new();
    while !done(&played) && Instant::now() < deadline {
        let screen = session.contents();
        if let (true, Some(id)) = (screen.contains("▶"), details_id(&screen))
            && played.last() != Some(&id)
        {
            played.push(id);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    played
}

#[test]
fn ten_events_play_one_after_another_with_two_keys() {
    let mut session = Session::start(&["--demo", "--graphics", "halfblocks"]);
    session.wait_for("the main screen", |s| s.contains("4 Events") && s.contains("Front Door"));
    session.press("4");
    // The review: `o`, ten clips of 6 to 8 s one after another, `esc`.
    session.press("o");
    let played = events_played(&session, Duration::from_secs(150), |played| played.len() >= 10);
    assert_eq!(played.len(), 10, "ten events played, each once: {played:?}\n{}", session.contents());
    let mut distinct = played.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "{played:?}");
    session.press("\x1b");
    session.wait_for("the clip stopped, its details kept", |s| !s.contains("▶") && s.contains(" id "));
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn ten_events_reviewed_three_seconds_each_at_twice_the_speed() {
    let mut session = Session::start(&["--demo", "--graphics", "halfblocks"]);
    session.wait_for("the main screen", |s| s.contains("4 Events") && s.contains("Front Door"));
    session.press("4");
    // The user's time: from `o` to the tenth event's third second, `j` at each third second.
    let started = Instant::now();
    session.press("o");
    session.press("]");
    let mut reviewed: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while reviewed.len() < 10 && Instant::now() < deadline {
        let screen = session.contents();
        match details_id(&screen) {
            Some(id) if screen.contains("▶ 2x 00:03") && !reviewed.contains(&id) => {
                reviewed.push(id);
                if reviewed.len() < 10 {
                    session.press("j");
                }
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    let took = started.elapsed();
    assert_eq!(reviewed.len(), 10, "{reviewed:?}\n{}", session.contents());
    eprintln!("ten events, three seconds each at 2x: {took:?} with 12 keys");
    // Three seconds of each clip at 2x is 15 s of clip time; each start adds its download
    // (fetched ahead) and its first frame.
    assert!(took < Duration::from_secs(20), "{took:?}");
    session.press("\x1b");
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn the_external_player_gets_the_terminal_and_gives_it_back() {
    let config = "player = \"sh -c 'sleep 1'\"\n";
    let mut session = Session::start_with_config(&["--demo", "--graphics", "none"], Some(config));
    session.wait_for("the main screen", |s| s.contains("4 Events") && s.contains("Front Door"));
    session.press("4");
    session.press("O");
    session.wait_for("the terminal handed over", |s| !s.contains("4 Events"));
    session.wait_for("the terminal taken back", |s| s.contains("4 Events") && s.contains("1 Networks"));
    std::thread::sleep(Duration::from_millis(2500));
    assert!(session.running(), "blinktui goes on after the player: {}", session.contents());
    assert!(session.in_alternate_screen());
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn play_shows_one_clip_full_screen_and_ends_with_it() {
    let clip = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media/baseline.mp4");
    let mut session = Session::start(&["--graphics", "halfblocks", "play", clip]);
    assert_eq!(session.exit_code(), 0, "{}", session.contents());
    assert!(!session.in_alternate_screen(), "the terminal is restored");

    let page = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media/login-page.html");
    let mut session = Session::start(&["--graphics", "halfblocks", "play", page]);
    assert_eq!(session.exit_code(), 1);
    session.wait_for("the reason", |s| s.contains("cannot play the clip: this is not an MP4 video"));
}

#[test]
fn play_of_a_truncated_clip_plays_what_is_there_then_says_it_is_cut_short() {
    let whole =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/clips/outdoor.mp4")).expect("clip");
    let dir = tempfile::tempdir().expect("dir");
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &whole[..30_000]).expect("write");
    let cut = cut.to_string_lossy().into_owned();
    let mut session = Session::start(&["--graphics", "halfblocks", "play", &cut]);
    assert_eq!(session.exit_code(), 1, "{}", session.contents());
    session
        .wait_for("the reason", |s| s.contains("The clip is cut short") && s.contains("only its first 00:0"));
}

#[test]
fn play_in_a_terminal_of_no_size_says_so_and_exits_2() {
    let clip = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media/baseline.mp4");
    let args = ["--graphics", "halfblocks", "play", clip];
    let mut session = Session::spawn_sized(env!("CARGO_BIN_EXE_blinktui"), &args, None, &[], (0, 0));
    assert_eq!(session.exit_code(), 2, "{}", session.contents());
    session.wait_for("the reason", |s| s.contains("the terminal has no size (0x0)"));
}

#[test]
fn the_mouse_is_on_without_a_config() {
    let mut session = Session::start(&["--demo", "--graphics", "none"]);
    session.wait_for("the main screen", |s| s.contains("1 Networks") && s.contains("Front Door"));
    let mode = session.screen.lock().expect("screen").screen().mouse_protocol_mode();
    assert_ne!(mode, vt100::MouseProtocolMode::None, "clicks and the wheel reach blinktui");
    session.press("q");
    assert_eq!(session.exit_code(), 0);

    let mut session = Session::start_with_config(&["--demo", "--graphics", "none"], Some("mouse = false\n"));
    session.wait_for("the main screen", |s| s.contains("1 Networks") && s.contains("Front Door"));
    let mode = session.screen.lock().expect("screen").screen().mouse_protocol_mode();
    assert_eq!(mode, vt100::MouseProtocolMode::None, "`mouse = false` leaves the mouse to the terminal");
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn watch_in_a_terminal_prints_each_event_once() {
    let home = tempfile::tempdir().expect("dir");
    let errors = home.path().join("stderr.txt");
    let script =
        format!("exec {} --demo watch --since 1d 2>{}", env!("CARGO_BIN_EXE_blinktui"), errors.display());
    let mut session = Session::spawn("sh", &["-c", &script], None);
    // Each line is printed, then logged: once two are on screen the first has had its log line.
    session.wait_for("two events", |s| s.matches("  event 10000").count() >= 2);
    let _ = session.child.kill();
    let logged = std::fs::read_to_string(&errors).unwrap_or_default();
    assert!(!logged.contains("blinktui: event 10000"), "events repeated on stderr:\n{logged}");
}

#[test]
fn play_finds_a_demo_event_by_id_and_q_quits_it() {
    let mut session = Session::start(&["--demo", "--graphics", "halfblocks", "play", "1000000168"]);
    session.wait_for("the clip playing", |s| s.contains("▶ 00:") && s.contains("space pause"));
    session.press("q");
    assert_eq!(session.exit_code(), 0);
    assert!(!session.in_alternate_screen());
}

#[test]
fn reviewing_events_marks_filters_and_follows_the_selection() {
    let config = "mouse = true\n";
    let mut session = Session::start_with_config(&["--demo", "--graphics", "none"], Some(config));
    session.wait_for("the main screen", |s| s.contains("4 Events") && s.contains("Front Door"));
    session.press("4");
    session.press(" ");
    session.press(" ");
    session.wait_for("two marks in the title", |s| s.contains("Events · 2 marked"));
    session.press("/");
    session.press("cam:porch");
    session.press("\r");
    session.wait_for("the filter in the title", |s| s.contains("/cam:porch"));
    // Esc clears the marks first (the filter hides them), then the filter.
    session.press("\x1b");
    session.wait_for("the marks cleared", |s| !s.contains("marked") && s.contains("/cam:porch"));
    session.press("\x1b");
    session.wait_for("the filter cleared", |s| !s.contains("/cam:porch"));
    session.press("g");
    session.press("\r");
    session.wait_for("the first event's details", |s| s.contains("Event id"));
    let first = session.contents();
    session.press("j");
    session.wait_for("the details of the next event", |s| s.contains("Event id") && s != first);
    session.press("\x1b");
    session.wait_for("the panes", |s| s.contains("1 Networks"));
    // A double click on a camera row opens its details (SGR mouse reports, 1-based).
    session.press("2");
    let row = session.contents().lines().position(|l| l.contains("Backyard")).expect("a Backyard row") + 1;
    let click = format!("\x1b[<0;10;{row}M\x1b[<0;10;{row}m");
    session.press(&click);
    session.press(&click);
    session.wait_for("the camera's details", |s| s.contains("Backyard") && s.contains("current picture"));
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn ctrl_z_stops_a_wrapper_script_too() {
    // A shell with job control runs a script that runs blinktui and then goes on. Ctrl-Z must
    // stop the script too (its process group), or the script would wait on a stopped child
    // while the shell waits on the script.
    let script = format!(
        "set -m; sh -c '{} --demo --graphics none; echo AFTER-BLINKTUI'; echo SHELL-BACK; sleep 30",
        env!("CARGO_BIN_EXE_blinktui")
    );
    let mut session = Session::spawn("bash", &["--norc", "-c", &script], None);
    session.wait_for("the main screen", |s| s.contains("1 Networks"));
    let shell = session.child.process_id().expect("pid");
    let children = |pid: u32| -> Vec<u32> {
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect()
    };
    let state = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| stat.rsplit(')').next()?.split_whitespace().next().map(str::to_owned))
    };
    let wrapper = *children(shell).first().expect("the script");
    assert_eq!(children(wrapper).len(), 1, "blinktui runs under the script");
    session.press("\x1a");
    session.wait_for("the shell noticing the job stopped", |s| s.contains("SHELL-BACK"));
    assert_eq!(state(wrapper).as_deref(), Some("T"), "the script is stopped with blinktui");
    // Clean up: the stopped job and the shell.
    let group = rustix::process::Pid::from_raw(wrapper as i32).expect("pid");
    let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    let _ = session.child.kill();
}

/// blinktui logged in to `h`'s simulator, `v` pressed on the first camera (Driveway).
fn live_view_of_driveway(h: &common::Harness) -> Session {
    let env = [
        ("BLINKTUI_STATE_DIR", h.store.dir().display().to_string()),
        ("BLINKTUI_OAUTH_URL", h.sim.url()),
        ("BLINKTUI_REST_URL", h.sim.url()),
    ];
    let program = env!("CARGO_BIN_EXE_blinktui");
    let mut session = Session::spawn_with_env(program, &["--graphics", "halfblocks"], None, &env);
    session.wait_for("the main screen", |s| s.contains("2 Cameras") && s.contains("Driveway"));
    session.press("2");
    session.press("v");
    session
}

/// Live view against a simulator outside the process, so the test sees what reached it.
#[test]
fn v_shows_a_camera_live_and_esc_ends_it_with_done_posted() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(common::start(common::quiet_config()));
    runtime.block_on(h.login());
    let mut session = live_view_of_driveway(&h);
    session.wait_for("live view", |s| s.contains("● LIVE") && s.contains("Driveway · live"));
    let picture = |session: &Session| session.region(PICTURE_ROWS, PICTURE_COLS);
    let first = picture(&session);
    let deadline = Instant::now() + Duration::from_secs(5);
    while picture(&session) == first && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_ne!(picture(&session), first, "the live picture moves");
    session.wait_for("bytes received", |s| s.contains(" KB"));
    session.press("\x1b");
    session.wait_for("the camera details without live view", |s| !s.contains("● LIVE"));
    let done = || h.sim.faults().count("POST", "/network/*/command/*/done/");
    let deadline = Instant::now() + Duration::from_secs(5);
    while done() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(done(), 1, "Esc ended the liveview command");
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn live_shows_a_camera_full_screen_and_q_ends_it() {
    let mut session = Session::start(&["--demo", "--graphics", "halfblocks", "live", "drive"]);
    session
        .wait_for("live view", |s| s.contains("● LIVE") && s.contains("/ 05:00") && s.contains("esc quit"));
    session.wait_for("frames arriving", |s| s.contains(" fps · ") && s.contains(" KB"));
    session.press("q");
    assert_eq!(session.exit_code(), 0);
    assert!(!session.in_alternate_screen(), "the terminal is restored");

    let mut session = Session::start(&["--demo", "--graphics", "halfblocks", "live", "dock"]);
    assert_eq!(session.exit_code(), 1);
    session.wait_for("the reason", |s| s.contains("Dock is offline"));
}

/// The UI against a simulator outside the process, with its state in `state`.
fn ui_with_state(h: &common::Harness, state: &std::path::Path) -> Session {
    let env = [
        ("BLINKTUI_STATE_DIR", state.display().to_string()),
        ("BLINKTUI_OAUTH_URL", h.sim.url()),
        ("BLINKTUI_REST_URL", h.sim.url()),
    ];
    Session::spawn_with_env(env!("CARGO_BIN_EXE_blinktui"), &["--graphics", "none"], None, &env)
}

#[test]
fn a_read_only_state_directory_still_shows_the_account_after_a_refresh() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(common::start(common::quiet_config()));
    runtime.block_on(h.login());
    let disk = common::disk::SmallDisk::new(h.dir.path().join("read-only-state"));
    disk.copy_state_from(h.store.dir());
    if !disk.read_only() {
        return;
    }
    h.sim.with_oauth(|o| o.expire_access_tokens());
    let mut session = ui_with_state(&h, &disk.dir);
    session.wait_for("the main screen", |s| s.contains("2 Cameras") && s.contains("Driveway"));
    session.wait_for("the warning", |s| s.contains("could not be saved"));
    assert_eq!(h.sim.faults().count("POST", "/oauth/token"), 2, "login and a refresh in memory");
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_damaged_session_file_opens_the_login_screen() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(common::start(common::quiet_config()));
    runtime.block_on(h.login());
    std::fs::write(h.store.session_path(), b"{\"access_token\": \"cut sh").expect("damage it");
    let mut session = ui_with_state(&h, h.store.dir());
    session.wait_for("the login screen", |s| s.contains("Log in to Blink") && s.contains("damaged"));
    session.press("\x03");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn live_view_names_the_size_limit_when_the_first_frame_is_over_it() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(common::start(common::quiet_config()));
    runtime.block_on(h.login());
    h.sim.relay().inject(blinktui::sim::relay::RelayFault::HugeFirstPayload);
    let mut session = live_view_of_driveway(&h);
    session.wait_for("the limit named", |s| s.contains("the limit is"));
    assert!(!session.contents().contains("before its first picture"), "{}", session.contents());
    session.press("\x1b");
    session.press("q");
    assert_eq!(session.exit_code(), 0);
}
