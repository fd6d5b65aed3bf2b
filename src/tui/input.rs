//! Terminal input, read by blinktui itself: keys, the mouse and resizes as crossterm events, and
//! the terminal's answers to the query that paces pictures over a slow link (DA1). crossterm's
//! own reader cannot be used for this: it drops every terminal answer it does not use itself.
//!
//! A thread reads stdin with `poll` and a short timeout, so that it can be told to stop reading
//! while the terminal belongs to someone else (Ctrl-Z, the external player), and splits the bytes
//! with termina's parser (crossterm's, with the terminal's answers kept).

use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};
use futures::Stream;
use termina::escape::csi::{Csi, Device};

/// What the loop reads from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key, the mouse, a resize.
    Event(Event),
    /// The terminal answered the pacing query: it has drawn everything written before it.
    Drained,
}

impl From<Event> for Input {
    fn from(event: Event) -> Self {
        Self::Event(event)
    }
}

/// How long the reader waits in `poll` before it looks whether it should pause.
const POLL: Duration = Duration::from_millis(50);

/// Lets the loop pause the reader while another program owns the terminal.
#[derive(Clone, Debug, Default)]
pub struct ReaderSwitch {
    paused: Arc<AtomicBool>,
}

impl ReaderSwitch {
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }

    fn paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }
}

/// Terminal input as a stream, with its resizes; start it after the start-up probe. The
/// reading thread ends when the stream is dropped (at its next look, within [`POLL`]).
pub fn terminal_input(
    switch: ReaderSwitch,
) -> std::io::Result<impl Stream<Item = std::io::Result<Input>> + Unpin> {
    use tokio::signal::unix::{SignalKind, signal};
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let reader_tx = tx.clone();
    std::thread::Builder::new()
        .name("terminal input".into())
        .spawn(move || read_stdin(&switch, &reader_tx))?;
    let mut resizes = signal(SignalKind::window_change())?;
    tokio::spawn(async move {
        while resizes.recv().await.is_some() {
            let Ok((width, height)) = crossterm::terminal::size() else { continue };
            if tx.send(Ok(Input::Event(Event::Resize(width, height)))).is_err() {
                break;
            }
        }
    });
    Ok(tokio_stream_of(rx))
}

fn tokio_stream_of<T>(mut rx: tokio::sync::mpsc::UnboundedReceiver<T>) -> impl Stream<Item = T> + Unpin {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn read_stdin(switch: &ReaderSwitch, tx: &tokio::sync::mpsc::UnboundedSender<std::io::Result<Input>>) {
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut parser = termina::Parser::default();
    let mut buffer = [0u8; 4096];
    let timeout = rustix::time::Timespec { tv_sec: 0, tv_nsec: POLL.as_nanos() as i64 };
    loop {
        if tx.is_closed() {
            return;
        }
        if switch.paused() {
            std::thread::sleep(POLL);
            continue;
        }
        let mut fds = [rustix::event::PollFd::new(&fd, rustix::event::PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(err) => {
                let _ = tx.send(Err(err.into()));
                return;
            }
        }
        // Paused while waiting: the bytes are the other program's.
        if switch.paused() {
            continue;
        }
        let read = match rustix::io::read(fd, &mut buffer) {
            Ok(0) => return, // the terminal is gone: the stream ends, the loop quits
            Ok(read) => read,
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(err) => {
                let _ = tx.send(Err(err.into()));
                return;
            }
        };
        // What one read brought is complete for now: a lone ESC is the Esc key, as crossterm
        // reads it.
        parser.parse(&buffer[..read], false);
        while let Some(event) = parser.pop() {
            if let Some(input) = translate(event)
                && tx.send(Ok(input)).is_err()
            {
                return;
            }
        }
    }
}

/// termina's events as the app knows them (crossterm's types); answers other than DA1 are
/// ignored, never taken as keys.
pub fn translate(event: termina::Event) -> Option<Input> {
    use termina::Event as T;
    Some(match event {
        T::Key(key) => Input::Event(Event::Key(key_event(key)?)),
        T::Mouse(mouse) => Input::Event(Event::Mouse(mouse_event(mouse)?)),
        T::WindowResized(size) => Input::Event(Event::Resize(size.cols, size.rows)),
        T::FocusIn => Input::Event(Event::FocusGained),
        T::FocusOut => Input::Event(Event::FocusLost),
        T::Paste(text) => Input::Event(Event::Paste(text)),
        T::Csi(Csi::Device(Device::DeviceAttributes(()))) => Input::Drained,
        T::Csi(_) | T::Osc(_) | T::Dcs(_) => return None,
    })
}

fn modifiers(from: termina::event::Modifiers) -> KeyModifiers {
    use termina::event::Modifiers as M;
    let pairs = [
        (M::SHIFT, KeyModifiers::SHIFT),
        (M::ALT, KeyModifiers::ALT),
        (M::CONTROL, KeyModifiers::CONTROL),
        (M::SUPER, KeyModifiers::SUPER),
        (M::HYPER, KeyModifiers::HYPER),
        (M::META, KeyModifiers::META),
    ];
    pairs
        .into_iter()
        .filter(|(theirs, _)| from.contains(*theirs))
        .fold(KeyModifiers::NONE, |all, (_, ours)| all | ours)
}

fn key_event(key: termina::event::KeyEvent) -> Option<KeyEvent> {
    use termina::event::KeyCode as T;
    let code = match key.code {
        T::Char(c) => KeyCode::Char(c),
        T::Enter => KeyCode::Enter,
        T::Backspace => KeyCode::Backspace,
        T::Tab => KeyCode::Tab,
        T::Escape => KeyCode::Esc,
        T::Left => KeyCode::Left,
        T::Right => KeyCode::Right,
        T::Up => KeyCode::Up,
        T::Down => KeyCode::Down,
        T::Home => KeyCode::Home,
        T::End => KeyCode::End,
        T::BackTab => KeyCode::BackTab,
        T::PageUp => KeyCode::PageUp,
        T::PageDown => KeyCode::PageDown,
        T::Insert => KeyCode::Insert,
        T::Delete => KeyCode::Delete,
        T::KeypadBegin => KeyCode::KeypadBegin,
        T::CapsLock => KeyCode::CapsLock,
        T::ScrollLock => KeyCode::ScrollLock,
        T::NumLock => KeyCode::NumLock,
        T::PrintScreen => KeyCode::PrintScreen,
        T::Pause => KeyCode::Pause,
        T::Menu => KeyCode::Menu,
        T::Null => KeyCode::Null,
        T::Function(n) => KeyCode::F(n),
        // Keys alone (Shift, media keys) do nothing in blinktui.
        T::Modifier(_) | T::Media(_) => return None,
    };
    let kind = match key.kind {
        termina::event::KeyEventKind::Press => KeyEventKind::Press,
        termina::event::KeyEventKind::Release => KeyEventKind::Release,
        termina::event::KeyEventKind::Repeat => KeyEventKind::Repeat,
    };
    let mut state = KeyEventState::NONE;
    if key.state.contains(termina::event::KeyEventState::KEYPAD) {
        state |= KeyEventState::KEYPAD;
    }
    Some(KeyEvent { code, modifiers: modifiers(key.modifiers), kind, state })
}

fn mouse_event(mouse: termina::event::MouseEvent) -> Option<MouseEvent> {
    use termina::event::MouseEventKind as T;
    let button = |b: termina::event::MouseButton| match b {
        termina::event::MouseButton::Left => MouseButton::Left,
        termina::event::MouseButton::Right => MouseButton::Right,
        termina::event::MouseButton::Middle => MouseButton::Middle,
    };
    let kind = match mouse.kind {
        T::Down(b) => MouseEventKind::Down(button(b)),
        T::Up(b) => MouseEventKind::Up(button(b)),
        T::Drag(b) => MouseEventKind::Drag(button(b)),
        T::Moved => MouseEventKind::Moved,
        T::ScrollDown => MouseEventKind::ScrollDown,
        T::ScrollUp => MouseEventKind::ScrollUp,
        T::ScrollLeft => MouseEventKind::ScrollLeft,
        T::ScrollRight => MouseEventKind::ScrollRight,
    };
    Some(MouseEvent { kind, column: mouse.column, row: mouse.row, modifiers: modifiers(mouse.modifiers) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Vec<Input> {
        let mut parser = termina::Parser::default();
        parser.parse(bytes, false);
        std::iter::from_fn(|| parser.pop()).filter_map(translate).collect()
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Input {
        Input::Event(Event::Key(KeyEvent::new(code, modifiers)))
    }

    #[test]
    fn keys_read_as_crossterm_reads_them() {
        assert_eq!(parse(b"q"), [key(KeyCode::Char('q'), KeyModifiers::NONE)]);
        assert_eq!(parse(b"\x1b"), [key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert_eq!(parse(b" "), [key(KeyCode::Char(' '), KeyModifiers::NONE)]);
        assert_eq!(parse(b"\r"), [key(KeyCode::Enter, KeyModifiers::NONE)]);
        assert_eq!(parse(b"\x03"), [key(KeyCode::Char('c'), KeyModifiers::CONTROL)]);
        assert_eq!(
            parse(b"\x1b[A\x1b[1;5C"),
            [key(KeyCode::Up, KeyModifiers::NONE), key(KeyCode::Right, KeyModifiers::CONTROL)]
        );
        assert_eq!(parse(b"\x1b[5~"), [key(KeyCode::PageUp, KeyModifiers::NONE)]);
        assert_eq!(parse(b"\x1b[Z"), [key(KeyCode::BackTab, KeyModifiers::SHIFT)]);
    }

    #[test]
    fn the_pacing_answer_is_never_a_key() {
        // A sixel-capable xterm's DA1 answer between two keys.
        assert_eq!(
            parse(b"j\x1b[?62;4;22cq"),
            [
                key(KeyCode::Char('j'), KeyModifiers::NONE),
                Input::Drained,
                key(KeyCode::Char('q'), KeyModifiers::NONE)
            ]
        );
        // Other answers (a status report, the background colour) are dropped.
        assert_eq!(
            parse(b"\x1b[0n\x1b]11;rgb:0000/0000/0000\x1b\\k"),
            [key(KeyCode::Char('k'), KeyModifiers::NONE)]
        );
    }

    #[test]
    fn the_mouse_reads_as_crossterm_reads_it() {
        let mouse = |bytes: &[u8]| match parse(bytes).as_slice() {
            [Input::Event(Event::Mouse(mouse))] => *mouse,
            other => panic!("not one mouse event: {other:?}"),
        };
        let click = mouse(b"\x1b[<0;10;5M");
        assert_eq!((click.kind, click.column, click.row), (MouseEventKind::Down(MouseButton::Left), 9, 4));
        assert_eq!(mouse(b"\x1b[<65;3;3M").kind, MouseEventKind::ScrollDown);
    }
}
