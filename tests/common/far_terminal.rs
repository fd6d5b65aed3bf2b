//! The terminal at the far end of a slow link: a vt100 screen that answers the queries blinktui
//! sends (the start-up probe's, and DA1 or a status report asked at any time) in order, as it
//! processes them, and counts the bytes each draw took. vt100 shows text and colours only:
//! sixel and kitty pictures pass through it unseen, but their bytes count.

/// How the far terminal answers.
#[derive(Debug, Clone)]
pub struct Answers {
    /// The answer to DA1 (`CSI c`, `CSI 0 c`).
    pub da1: Vec<u8>,
    /// The answer to XTVERSION (`CSI > 0 q`), from `DCS >|` to `ST`.
    pub version: Vec<u8>,
    /// The answer to OSC 11 (the background colour).
    pub background: Vec<u8>,
    /// A cell's size in pixels, (width, height), the answer to `CSI 16 t`.
    pub cell: (u16, u16),
}

impl Answers {
    /// An xterm with sixel on a black background (DA1 attribute 4 is sixel).
    pub fn xterm_sixel() -> Self {
        Self {
            da1: b"\x1b[?62;4;22c".to_vec(),
            version: b"\x1bP>|XTerm(379)\x1b\\".to_vec(),
            background: b"\x1b]11;rgb:0000/0000/0000\x1b\\".to_vec(),
            cell: (10, 20),
        }
    }
}

impl Default for Answers {
    fn default() -> Self {
        Self::xterm_sixel()
    }
}

/// vt100's hook for what it does not handle itself: the queries. Answers collect in `out`, in
/// the order their queries were processed.
pub struct Responder {
    answers: Answers,
    pub out: Vec<u8>,
}

impl Responder {
    pub fn new(answers: Answers) -> Self {
        Self { answers, out: Vec::new() }
    }
}

fn first(params: &[&[u16]]) -> Option<u16> {
    params.first().and_then(|param| param.first().copied())
}

impl vt100::Callbacks for Responder {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        match (i1, c, first(params)) {
            (None, 'c', None | Some(0)) => self.out.extend_from_slice(&self.answers.da1),
            (None, 'n', Some(5)) => self.out.extend_from_slice(b"\x1b[0n"),
            (None, 'n', Some(6)) => {
                let (row, col) = screen.cursor_position();
                self.out.extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
            }
            (None, 't', Some(16)) => {
                let (width, height) = self.answers.cell;
                self.out.extend_from_slice(format!("\x1b[6;{height};{width}t").as_bytes());
            }
            (Some(b'>'), 'q', None | Some(0)) => self.out.extend_from_slice(&self.answers.version),
            _ => {}
        }
    }

    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        if params == [b"11".as_slice(), b"?".as_slice()] {
            self.out.extend_from_slice(&self.answers.background);
        }
    }
}

/// Every draw of a ratatui program ends by hiding the cursor (`CSI ? 25 l`), so the bytes from
/// one of those to the next are one draw: a frame of a clip and whatever changed with it.
#[derive(Debug, Default)]
pub struct Draws {
    matched: usize,
    current: u64,
    /// Draws completed.
    pub count: u64,
    /// The bytes of the largest draw so far.
    pub largest: u64,
}

const END_OF_DRAW: &[u8] = b"\x1b[?25l";

impl Draws {
    pub fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.current += 1;
            // The marker's first byte (ESC) occurs in it only once, so a mismatch restarts it.
            self.matched = if byte == END_OF_DRAW[self.matched] {
                self.matched + 1
            } else {
                usize::from(byte == END_OF_DRAW[0])
            };
            if self.matched == END_OF_DRAW.len() {
                self.matched = 0;
                self.count += 1;
                self.largest = self.largest.max(self.current);
                self.current = 0;
            }
        }
    }
}
