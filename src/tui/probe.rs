//! Asking the terminal which graphics it supports. The answer comes back on stdin, so this
//! runs before the event reader starts, reads with `poll` and a deadline, and leaves no
//! thread behind that could swallow the user's first key press.

use std::io::Write;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use ratatui_image::FontSize;
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use ratatui_image::picker::{Picker, ProtocolType};

/// Enough for a terminal across an SSH link; a terminal that never answers costs this once.
const ANSWER_TIMEOUT: Duration = Duration::from_millis(1200);
/// Inside tmux, after tmux itself answered, how long the outer terminal gets.
const OUTER_GRACE: Duration = Duration::from_millis(400);
const FALLBACK_FONT: FontSize = FontSize::new(10, 20);

#[derive(Debug, Clone, Copy)]
pub struct Probe {
    pub protocol: Option<ProtocolType>,
    pub font: Option<FontSize>,
}

fn inside_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|term| term.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|program| program == "tmux")
}

/// Sends the capability queries and reads the answers until the terminal's status report,
/// or the deadline. The terminal must be in raw mode.
pub fn query_terminal() -> Probe {
    let tmux = inside_tmux();
    if tmux {
        // Graphics inside tmux only pass through with this pane option.
        let _ = std::process::Command::new("tmux")
            .args(["set", "-p", "allow-passthrough", "on"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    let mut query = Parser::query(tmux, QueryStdioOptions::default());
    if tmux {
        // tmux answers this one itself at once: the outer terminal's answers, if any, follow.
        query.push_str("\x1b[5n");
    }
    let mut out = std::io::stdout();
    if out.write_all(query.as_bytes()).and_then(|()| out.flush()).is_err() {
        return Probe { protocol: None, font: None };
    }
    let responses = read_answers(if tmux { 2 } else { 1 });
    let mut probe = interpret(&responses);
    if tmux && probe.protocol == Some(ProtocolType::Sixel) {
        // tmux repaints over sixel images passed through to the outer terminal, so they
        // flicker away; half blocks always work. `--graphics sixel` still forces it (tmux 3.4
        // built with sixel support draws them itself).
        tracing::info!("sixel detected inside tmux: using half blocks");
        probe.protocol = None;
    }
    probe
}

fn read_answers(statuses_expected: usize) -> Vec<Response> {
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut parser = Parser::new();
    let mut responses = Vec::new();
    let mut statuses = 0;
    let mut deadline = Instant::now() + ANSWER_TIMEOUT;
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
        for byte in &buffer[..read] {
            for response in parser.push(char::from(*byte)) {
                if response == Response::Status {
                    statuses += 1;
                    deadline = deadline.min(Instant::now() + OUTER_GRACE);
                } else {
                    responses.push(response);
                }
            }
        }
    }
    responses
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
    Probe { protocol, font: font.or_else(font_from_window_size) }
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
pub fn picker_for(probe: Probe) -> Picker {
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
}
