//! Asking the terminal which graphics it supports, its name and version, and its background
//! colour. The answers come back on stdin, so this runs before the event reader starts, reads
//! with `poll` and a deadline, and leaves no thread behind that could swallow the user's first
//! key press.

use std::io::Write;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use ratatui_image::FontSize;
use ratatui_image::picker::cap_parser::{Parser, Response};
use ratatui_image::picker::{Picker, ProtocolType};

use super::answers::{Answer, Scanner};
use super::background::{Rgb, parse_background};
use super::xtversion::{kitty_without_placeholders, parse_xtversion};

/// Enough for a terminal across an SSH link; a terminal that never answers costs this once.
const ANSWER_TIMEOUT: Duration = Duration::from_millis(1200);
/// Inside tmux, after tmux itself answered, how long the outer terminal gets.
const OUTER_GRACE: Duration = Duration::from_millis(400);
const FALLBACK_FONT: FontSize = FontSize::new(10, 20);
/// XTVERSION answers kept: the terminal's, and tmux's own inside tmux.
const MAX_NAMES: usize = 4;

/// A kitty graphics query for a 1x1 image, DA1 (sixel support), the cell size in pixels,
/// XTVERSION and the background colour (OSC 11). Terminals answer in order, so the status
/// report sent after these (which every terminal answers) ends the wait: one that ignores
/// some of them costs nothing more.
const QUERIES: [&str; 5] =
    ["\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\", "\x1b[c", "\x1b[16t", "\x1b[>0q", "\x1b]11;?\x1b\\"];
const STATUS: &str = "\x1b[5n";

#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub protocol: Option<ProtocolType>,
    pub font: Option<FontSize>,
    pub background: Option<Rgb>,
    /// What the terminal calls itself (XTVERSION), as sent: clean it before printing.
    pub names: Vec<String>,
    /// Why the protocol the terminal offered is not used.
    pub downgrade: Option<&'static str>,
    /// It answered DA1: it answers that question in order, which paces pictures.
    pub answers: bool,
    /// How long its first answer took: over SSH, about the link's round trip.
    pub round_trip: Option<Duration>,
}

fn inside_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|term| term.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|program| program == "tmux")
}

/// What is written to the terminal. Inside tmux, everything goes to the outer terminal
/// wrapped for passthrough (escapes doubled), then XTVERSION, OSC 11 and the status report
/// go to tmux itself, which answers them at once (OSC 11 from tmux 3.3 on, with the outer
/// terminal's colour); the outer terminal's answers, if any, follow.
fn query(tmux: bool) -> String {
    let direct: String = QUERIES.concat() + STATUS;
    if !tmux {
        return direct;
    }
    format!("\x1bPtmux;{}\x1b\\\x1b[>0q\x1b]11;?\x1b\\{STATUS}", direct.replace('\x1b', "\x1b\x1b"))
}

/// Sends the queries and reads the answers until the terminal's status report, or the
/// deadline. The terminal must be in raw mode.
pub fn query_terminal() -> Probe {
    let tmux = inside_tmux();
    let mut outer = false;
    if tmux {
        // Graphics inside tmux only pass through with this pane option.
        let _ = tmux_command(&["set", "-p", "allow-passthrough", "on"]);
        outer = tmux_command(&["display-message", "-p", "#{session_attached}"])
            .is_none_or(|attached| attached.trim() != "0");
    }
    let mut out = std::io::stdout();
    if out.write_all(query(tmux).as_bytes()).and_then(|()| out.flush()).is_err() {
        return Probe::default();
    }
    let mut probe = read_answers(status_reports_expected(tmux, outer));
    if tmux && probe.protocol == Some(ProtocolType::Sixel) {
        // tmux repaints over sixel images passed through to the outer terminal, so they
        // flicker away; half blocks always work. `--graphics sixel` still forces it (tmux 3.4
        // built with sixel support draws them itself).
        tracing::info!("sixel detected inside tmux: using half blocks");
        probe.protocol = None;
        probe.downgrade = Some("tmux repaints over sixel images");
    }
    avoid_placeholders_on_old_kitty(&mut probe);
    probe
}

/// How many status reports end the wait: the terminal's; inside tmux, tmux's own and, when a
/// terminal is attached to the session, that terminal's. A detached session has no terminal
/// behind tmux to answer, so tmux's report is the last answer that can come.
fn status_reports_expected(tmux: bool, outer_terminal: bool) -> usize {
    1 + usize::from(tmux && outer_terminal)
}

/// Runs `tmux ARGS`; its output, if it ran.
fn tmux_command(args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("tmux")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// ratatui-image draws kitty images only through Unicode placeholders (kitty 0.28 and later);
/// it has no direct-placement mode that could be chosen instead, so an older kitty, which
/// would show the placeholders as boxes, gets half blocks. `--graphics kitty` still forces it.
fn avoid_placeholders_on_old_kitty(probe: &mut Probe) {
    if probe.protocol != Some(ProtocolType::Kitty) {
        return;
    }
    if let Some(name) = probe.names.iter().find(|name| kitty_without_placeholders(name)) {
        tracing::info!(terminal = %name, "kitty older than 0.28 shows Unicode-placeholder images as boxes: using half blocks");
        probe.protocol = Some(ProtocolType::Halfblocks);
        probe.downgrade = Some("kitty older than 0.28 has no Unicode placeholders");
    }
}

fn read_answers(statuses_expected: usize) -> Probe {
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut scanner = Scanner::default();
    let mut answers = Answers::default();
    let mut statuses = 0;
    let asked = Instant::now();
    let mut first_answer = None;
    let mut deadline = asked + ANSWER_TIMEOUT;
    let mut buffer = [0u8; 256];
    while statuses < statuses_expected {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let timeout =
            rustix::time::Timespec { tv_sec: left.as_secs() as i64, tv_nsec: i64::from(left.subsec_nanos()) };
        let mut fds = [rustix::event::PollFd::new(&fd, rustix::event::PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let Ok(read) = rustix::io::read(fd, &mut buffer) else {
            break;
        };
        if read == 0 {
            break;
        }
        first_answer.get_or_insert_with(|| asked.elapsed());
        for answer in buffer[..read].iter().filter_map(|byte| scanner.push(*byte)) {
            if answers.take(answer) {
                statuses += 1;
                deadline = deadline.min(Instant::now() + OUTER_GRACE);
            }
        }
    }
    Probe { round_trip: first_answer, ..answers.into_probe() }
}

/// The answers read so far.
#[derive(Debug, Default)]
struct Answers {
    responses: Vec<Response>,
    background: Option<Rgb>,
    names: Vec<String>,
    /// It answered DA1, the question that paces pictures later.
    device_attributes: bool,
}

impl Answers {
    /// Keeps what `answer` says; true when it is the status report.
    fn take(&mut self, answer: Answer) -> bool {
        match answer {
            Answer::Osc(body) => self.background = parse_background(&body).or(self.background),
            Answer::Dcs(body) => {
                if let Some(name) = parse_xtversion(&body).filter(|_| self.names.len() < MAX_NAMES) {
                    self.names.push(name);
                }
            }
            Answer::Csi(_) | Answer::Apc(_) => {
                if matches!(&answer, Answer::Csi(body) if body.starts_with('?') && body.ends_with('c')) {
                    self.device_attributes = true;
                }
                let mut status = false;
                for response in capabilities(&answer) {
                    if response == Response::Status {
                        status = true;
                    } else {
                        self.responses.push(response);
                    }
                }
                return status;
            }
        }
        false
    }

    fn into_probe(self) -> Probe {
        Probe {
            background: self.background,
            names: self.names,
            answers: self.device_attributes,
            ..interpret(&self.responses)
        }
    }
}

/// The graphics answers, read by ratatui-image's parser one whole sequence at a time (so a
/// string it does not know cannot carry it past the status report).
fn capabilities(answer: &Answer) -> Vec<Response> {
    let text = match answer {
        Answer::Csi(body) => format!("\x1b[{body}"),
        Answer::Apc(body) => format!("\x1b_{body}\x1b\\"),
        Answer::Osc(_) | Answer::Dcs(_) => return Vec::new(),
    };
    let mut parser = Parser::new();
    text.chars().flat_map(|c| parser.push(c)).collect()
}

fn interpret(responses: &[Response]) -> Probe {
    let mut protocol = None;
    let mut font = None;
    for response in responses {
        match response {
            Response::Kitty => protocol = Some(ProtocolType::Kitty),
            Response::Sixel => protocol = protocol.or(Some(ProtocolType::Sixel)),
            Response::CellSize(Some((w, h))) if *w > 0 && *h > 0 => font = Some(FontSize::new(*w, *h)),
            _ => {}
        }
    }
    Probe { protocol, font: font.or_else(font_from_window_size), ..Probe::default() }
}

/// Pixel size of the window divided by its cells, when the terminal reports it.
fn font_from_window_size() -> Option<FontSize> {
    let size = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if size.ws_xpixel == 0 || size.ws_ypixel == 0 || size.ws_col == 0 || size.ws_row == 0 {
        return None;
    }
    Some(FontSize::new(size.ws_xpixel / size.ws_col, size.ws_ypixel / size.ws_row))
}

/// A picker for what the probe found (environment hints for iTerm2-style terminals apply
/// when the terminal named nothing).
pub fn picker_for(probe: &Probe) -> Picker {
    #[allow(deprecated)] // The library's own probe is avoided on purpose (see the module doc).
    let mut picker = Picker::from_fontsize(probe.font.unwrap_or(FALLBACK_FONT));
    if let Some(protocol) = probe.protocol {
        picker.set_protocol_type(protocol);
    }
    picker
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kitty_wins_over_sixel_and_cell_size_is_read() {
        let probe = interpret(&[Response::Sixel, Response::CellSize(Some((9, 18))), Response::Kitty]);
        assert_eq!(probe.protocol, Some(ProtocolType::Kitty));
        assert_eq!(probe.font.map(|f| (f.width, f.height)), Some((9, 18)));
        assert_eq!(interpret(&[Response::Sixel]).protocol, Some(ProtocolType::Sixel));
        assert_eq!(interpret(&[]).protocol, None);
    }

    #[test]
    fn answers_are_parsed_from_raw_bytes() {
        let mut parser = Parser::new();
        let bytes = "\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n";
        let responses: Vec<Response> = bytes.chars().flat_map(|c| parser.push(c)).collect();
        assert!(responses.contains(&Response::Sixel), "{responses:?}");
        assert!(responses.contains(&Response::Status));
        assert_eq!(interpret(&responses).font.map(|f| (f.width, f.height)), Some((10, 20)));
    }

    /// What a terminal sends back, read as the probe reads it; `None` if no status report came.
    fn probe_from(bytes: &[u8]) -> Option<Probe> {
        let mut scanner = Scanner::default();
        let mut answers = Answers::default();
        let mut status = false;
        for answer in bytes.iter().filter_map(|byte| scanner.push(*byte)) {
            status |= answers.take(answer);
        }
        let mut probe = answers.into_probe();
        avoid_placeholders_on_old_kitty(&mut probe);
        status.then_some(probe)
    }

    #[test]
    fn kitty_older_than_0_28_gets_half_blocks() {
        let old = probe_from(
            b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c\x1bP>|kitty(0.26.5)\x1b\\\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[0n",
        )
        .expect("status");
        assert_eq!(old.protocol, Some(ProtocolType::Halfblocks));
        assert_eq!(old.names, ["kitty(0.26.5)"]);
        assert!(old.downgrade.is_some_and(|why| why.contains("0.28")));
        assert!(old.background.is_some_and(|rgb| !rgb.is_light()));

        let new =
            probe_from(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c\x1bP>|kitty(0.35.2)\x1b\\\x1b[0n").expect("status");
        assert_eq!((new.protocol, new.downgrade), (Some(ProtocolType::Kitty), None));
        let unnamed = probe_from(b"\x1b_Gi=31;OK\x1b\\\x1b[0n").expect("status");
        assert_eq!(unnamed.protocol, Some(ProtocolType::Kitty), "no XTVERSION answer: kept");
    }

    #[test]
    fn xterm_answers_give_sixel_its_name_and_a_light_background() {
        let probe = probe_from(
            b"\x1b[?63;1;2;4;6;9;15;16;22;28c\x1b[6;17;8t\x1bP>|XTerm(379)\x1b\\\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[0n",
        )
        .expect("status");
        assert_eq!(probe.protocol, Some(ProtocolType::Sixel));
        assert_eq!(probe.names, ["XTerm(379)"]);
        assert!(probe.background.is_some_and(|rgb| rgb.is_light()));
    }

    #[test]
    fn a_terminal_that_answers_da1_paces_pictures_by_it() {
        assert!(probe_from(b"\x1b[?62;4;22c\x1b[0n").expect("status").answers);
    }

    #[test]
    fn a_terminal_that_answers_only_the_status_report_still_ends_the_wait() {
        let probe = probe_from(b"\x1b[0n").expect("status");
        assert_eq!((probe.protocol, probe.background, probe.names.len()), (None, None, 0));
        assert!(!probe.answers, "no DA1 answer: pictures are not paced by one");
        assert!(probe_from(b"\x1b]11;rgb:ff\x1b[0n").is_some(), "a cut-short colour does not hide it");
    }

    #[test]
    fn a_detached_tmux_session_ends_the_wait_at_tmux_own_status_report() {
        assert_eq!(status_reports_expected(false, false), 1);
        assert_eq!(status_reports_expected(false, true), 1);
        assert_eq!(status_reports_expected(true, false), 1, "no terminal behind tmux to answer");
        assert_eq!(status_reports_expected(true, true), 2);
    }

    #[test]
    fn the_colour_query_comes_before_the_status_report() {
        let direct = query(false);
        assert!(direct.ends_with("\x1b]11;?\x1b\\\x1b[5n"), "{direct:?}");
        assert!(direct.contains("\x1b[>0q"));
        let tmux = query(true);
        assert!(tmux.starts_with("\x1bPtmux;\x1b\x1b_G"), "{tmux:?}");
        assert!(tmux.contains("\x1b\x1b]11;?\x1b\x1b\\\x1b\x1b[5n\x1b\\"), "passed through: {tmux:?}");
        assert!(tmux.ends_with("\x1b\\\x1b[>0q\x1b]11;?\x1b\\\x1b[5n"), "asked of tmux itself: {tmux:?}");
    }
}
