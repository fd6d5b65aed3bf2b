//! Splits what the terminal sends back into whole control sequences, so each answer can be
//! read on its own. Anything else (stray bytes, a sequence cut short, one too long) is dropped:
//! a string that never ends must not swallow the status report that ends the probe.

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
/// Longer than any answer asked for; the bound keeps a hostile terminal from growing it.
const MAX_BODY: usize = 512;

/// One complete answer, without its introducer and terminator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `ESC [` … final byte (the final byte included).
    Csi(String),
    /// `ESC ]` … BEL or ST.
    Osc(String),
    /// `ESC P` … ST (or BEL, which some terminals send).
    Dcs(String),
    /// `ESC _` … ST: kitty graphics replies.
    Apc(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Osc,
    Dcs,
    Apc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ground,
    Escape,
    Csi,
    Text(Kind),
    /// An ESC inside a string: ST when a backslash follows, else the start of the next sequence.
    TextEscape(Kind),
}

#[derive(Debug)]
pub struct Scanner {
    state: State,
    body: Vec<u8>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self { state: State::Ground, body: Vec::new() }
    }
}

impl Scanner {
    pub fn push(&mut self, byte: u8) -> Option<Answer> {
        match self.state {
            State::Ground => {
                if byte == ESC {
                    self.state = State::Escape;
                }
                None
            }
            State::Escape => {
                self.body.clear();
                self.state = match byte {
                    b'[' => State::Csi,
                    b']' => State::Text(Kind::Osc),
                    b'P' => State::Text(Kind::Dcs),
                    b'_' => State::Text(Kind::Apc),
                    ESC => State::Escape,
                    _ => State::Ground,
                };
                None
            }
            State::Csi => match byte {
                0x40..=0x7e => {
                    self.body.push(byte);
                    self.state = State::Ground;
                    Some(Answer::Csi(self.take()))
                }
                0x20..=0x3f => {
                    self.keep(byte);
                    None
                }
                ESC => {
                    self.state = State::Escape;
                    None
                }
                _ => {
                    self.state = State::Ground;
                    None
                }
            },
            State::Text(kind) => match byte {
                BEL => Some(self.finish(kind)),
                ESC => {
                    self.state = State::TextEscape(kind);
                    None
                }
                _ => {
                    self.keep(byte);
                    None
                }
            },
            State::TextEscape(kind) => {
                if byte == b'\\' {
                    return Some(self.finish(kind));
                }
                self.state = State::Escape;
                self.push(byte)
            }
        }
    }

    fn keep(&mut self, byte: u8) {
        if self.body.len() < MAX_BODY {
            self.body.push(byte);
        } else {
            self.state = State::Ground;
        }
    }

    fn take(&mut self) -> String {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        self.body.clear();
        body
    }

    fn finish(&mut self, kind: Kind) -> Answer {
        self.state = State::Ground;
        let body = self.take();
        match kind {
            Kind::Osc => Answer::Osc(body),
            Kind::Dcs => Answer::Dcs(body),
            Kind::Apc => Answer::Apc(body),
        }
    }
}

#[cfg(test)]
pub fn scan(bytes: &[u8]) -> Vec<Answer> {
    let mut scanner = Scanner::default();
    bytes.iter().filter_map(|byte| scanner.push(*byte)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_answer_is_cut_out_whole() {
        let answers = scan(
            b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c\x1bP>|XTerm(390)\x1b\\\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[0n",
        );
        assert_eq!(
            answers,
            [
                Answer::Apc("Gi=31;OK".into()),
                Answer::Csi("?62;4c".into()),
                Answer::Dcs(">|XTerm(390)".into()),
                Answer::Osc("11;rgb:ffff/ffff/ffff".into()),
                Answer::Csi("0n".into()),
            ]
        );
    }

    #[test]
    fn an_unterminated_string_does_not_swallow_the_next_answer() {
        let answers = scan(b"\x1b]11;rgb:ff\x1b[0n");
        assert_eq!(answers, [Answer::Csi("0n".into())]);
    }

    #[test]
    fn stray_bytes_and_oversized_strings_are_dropped() {
        let mut bytes = b"junk\x07\x1bQ\x1b]".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_BODY + 10));
        bytes.extend(b"\x07\x1b[0n");
        assert_eq!(scan(&bytes), [Answer::Csi("0n".into())]);
    }
}
