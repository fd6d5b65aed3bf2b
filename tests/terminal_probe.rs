//! The real binary in a pseudo-terminal that answers the start-up probe as a given terminal
//! would: the colours follow the background it reports, and `blinktui info` names it safely.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

/// xterm's default black on white: DA1 with sixel, XTVERSION, OSC 11, status report.
const XTERM_WHITE: &[u8] =
    b"\x1b[?63;1;2;4;6;9;15;16;22;28c\x1bP>|XTerm(379)\x1b\\\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[0n";
/// A dark terminal that answers OSC 11 with two digits per channel and BEL.
const DARK_BEL: &[u8] = b"\x1b[?62;22c\x1b]11;rgb:1e/1e/2e\x07\x1b[0n";

struct FakeTerminal {
    screen: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Kept open for the program's lifetime.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl FakeTerminal {
    /// Runs blinktui with `args`; `answer` is sent back once the status query is seen.
    fn start(args: &[&str], env: &[(&str, &str)], config: Option<&str>, answer: &'static [u8]) -> Self {
        let spawned = common::pty::spawn(env!("CARGO_BIN_EXE_blinktui"), args, config, env);
        let mut reader = spawned.reader;
        let writer = Arc::new(Mutex::new(spawned.writer));
        let screen = Arc::new(Mutex::new(common::pty::screen()));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (feed, log, answer_to) = (screen.clone(), output.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            let mut answered = false;
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let mut log = log.lock().expect("output");
                log.extend_from_slice(&buffer[..read]);
                if !answered && log.windows(4).any(|w| w == b"\x1b[5n") {
                    answered = true;
                    let mut writer = answer_to.lock().expect("writer");
                    writer.write_all(answer).and_then(|()| writer.flush()).expect("answer");
                }
                feed.lock().expect("screen").process(&buffer[..read]);
            }
        });
        Self { screen, output, writer, child: spawned.child, _master: spawned.master, _home: spawned.home }
    }

    fn wait_for(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if check(self.screen.lock().expect("screen").screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; the screen shows:\n{}", self.contents());
    }

    fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn header_cell(&self) -> (vt100::Color, bool) {
        let parser = self.screen.lock().expect("screen");
        let cell = parser.screen().cell(0, 0).expect("a cell");
        (cell.bgcolor(), cell.inverse())
    }

    fn quit(&mut self) {
        let mut writer = self.writer.lock().expect("writer");
        writer.write_all(b"q").and_then(|()| writer.flush()).expect("q");
        drop(writer);
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.child.try_wait().expect("wait").is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("blinktui did not quit");
    }

    fn exited(&mut self) -> Option<u32> {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status.exit_code());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

fn main_screen(screen: &vt100::Screen) -> bool {
    let text = screen.contents();
    text.contains("1 Networks") && text.contains("Front Door")
}

#[test]
fn a_white_background_gets_the_light_theme() {
    let mut terminal = FakeTerminal::start(&["--demo", "--graphics", "none"], &[], None, XTERM_WHITE);
    terminal.wait_for("the main screen", main_screen);
    assert_eq!(terminal.header_cell().0, vt100::Color::Rgb(224, 232, 242), "a light header");
    terminal.quit();
}

#[test]
fn a_dark_background_keeps_the_dark_theme() {
    let mut terminal = FakeTerminal::start(&["--demo", "--graphics", "none"], &[], None, DARK_BEL);
    terminal.wait_for("the main screen", main_screen);
    assert_eq!(terminal.header_cell().0, vt100::Color::Rgb(24, 30, 44), "a dark header");
    terminal.quit();
}

#[test]
fn the_configured_theme_and_no_color_win_over_the_answer() {
    let config = Some("theme = \"dark\"\n");
    let mut terminal = FakeTerminal::start(&["--demo", "--graphics", "none"], &[], config, XTERM_WHITE);
    terminal.wait_for("the main screen", main_screen);
    assert_eq!(terminal.header_cell().0, vt100::Color::Rgb(24, 30, 44), "dark as configured");
    terminal.quit();

    let env = [("NO_COLOR", "1")];
    let mut terminal = FakeTerminal::start(&["--demo", "--graphics", "none"], &env, None, XTERM_WHITE);
    terminal.wait_for("the main screen", main_screen);
    assert_eq!(terminal.header_cell(), (vt100::Color::Default, true), "no colour, reverse video");
    terminal.quit();
}

#[test]
fn info_names_an_old_kitty_cleaned_and_says_why_it_gets_half_blocks() {
    const OLD_KITTY: &[u8] = "\x1b_Gi=31;OK\x1b\\\x1b[?62;c\x1bP>|kitty(0.26.5)\u{202e}\x08\x1b\\\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[0n"
        .as_bytes();
    let mut terminal = FakeTerminal::start(&["info"], &[], None, OLD_KITTY);
    assert_eq!(terminal.exited(), Some(0), "{}", terminal.contents());
    let output = String::from_utf8_lossy(&terminal.output.lock().expect("output")).into_owned();
    // The queries are written just before the lines are printed: look from the label on.
    let line = |label: &str| {
        let label = format!("{label:<13} ");
        let found =
            output.lines().find_map(|line| line.find(&label).map(|at| line[at..].trim_end().to_owned()));
        found.unwrap_or_default()
    };
    assert!(line("terminal").contains(r"kitty(0.26.5)\u{202e}\x08"), "escaped: {output:?}");
    assert!(!output.contains('\u{202e}') && !output.contains('\x08'), "nothing raw: {output:?}");
    let graphics = line("graphics");
    assert!(graphics.starts_with("graphics      halfblocks") && graphics.contains("0.28"), "{graphics:?}");
    assert!(line("theme").contains("light (configured auto; background #ffffff)"), "{output:?}");
}
