//! Server-supplied text made safe for a terminal or a log file. A camera name, a program name
//! or Blink's error message can carry escape sequences (clipboard writes, title changes, screen
//! clears, hyperlinks), bare C1 controls, or bidi overrides that reorder what a reader sees.
//! Every such character is shown escaped instead of being interpreted.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Characters a terminal or a reader would interpret rather than show: C0 controls, DEL, C1
/// controls, and the Unicode bidi and line-breaking format characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'  // Arabic letter mark
                | '\u{200E}' | '\u{200F}' // left-to-right / right-to-left marks
                | '\u{2028}' | '\u{2029}' // line / paragraph separators
                | '\u{202A}'..='\u{202E}' // embeddings and overrides
                | '\u{2066}'..='\u{2069}' // isolates
        )
}

/// `text` with every unsafe character written as an escape (`\e`, `\n`, `\u{9b}`, ...), on one
/// line. Borrowed when there was nothing to escape.
pub fn clean(text: &str) -> Cow<'_, str> {
    clean_with(text, false)
}

/// Like [`clean`], but line feeds stay: for whole blocks of output that are several lines on
/// purpose (tables), where every field in them was cleaned already.
pub fn clean_lines(text: &str) -> Cow<'_, str> {
    clean_with(text, true)
}

fn clean_with(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let keep = |c: char| !is_unsafe(c) || (keep_newlines && c == '\n');
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// A JSON formatter that writes what `serde_json` leaves raw but a terminal would interpret
/// (DEL, C1 controls, bidi and line separators) as `\uXXXX` escapes. The output is the same
/// JSON value, byte for byte readable by any parser.
pub struct TerminalSafeJson<F> {
    inner: F,
}

impl<F> TerminalSafeJson<F> {
    pub fn new(inner: F) -> Self {
        Self { inner }
    }
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafeJson<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = index + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Everything else is the inner formatter's (indentation, separators).
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_value(w)
    }
}

/// `value` as pretty JSON that is safe to print on a terminal.
pub fn to_json_pretty(value: &impl serde::Serialize) -> serde_json::Result<String> {
    to_json_with(value, TerminalSafeJson::new(serde_json::ser::PrettyFormatter::new()))
}

/// `value` as one line of JSON that is safe to print on a terminal.
pub fn to_json_line(value: &impl serde::Serialize) -> serde_json::Result<String> {
    to_json_with(value, TerminalSafeJson::new(serde_json::ser::CompactFormatter))
}

fn to_json_with<F: serde_json::ser::Formatter>(
    value: &impl serde::Serialize,
    formatter: F,
) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer)?;
    // The serializer writes UTF-8 text only.
    String::from_utf8(out).map_err(|err| serde::ser::Error::custom(err.to_string()))
}

/// A log writer that escapes unsafe characters inside each record, so a name with a line feed
/// cannot forge a log line and an escape sequence cannot act on whoever reads the log with
/// `cat` or `tail -f`. The line feed that ends a record stays.
pub struct CleanWriter<W> {
    inner: W,
}

impl<W> CleanWriter<W> {
    pub fn new(inner: W) -> Self {
        Self { inner }
    }
}

impl<W: io::Write> io::Write for CleanWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (body, end) = match text.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (&*text, ""),
        };
        let cleaned = clean(body);
        self.inner.write_all(cleaned.as_bytes())?;
        self.inner.write_all(end.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "Front\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}kcab\u{0}\u{7f}\nDoor";

    #[test]
    fn every_interpreted_character_is_escaped() {
        let shown = clean(HOSTILE);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert_eq!(
            shown,
            "Front\\e]52;c;ZXZpbA==\\x07\\e]0;owned\\x07\\e[2J\\u{9b}31m\\u{202e}kcab\\x00\\x7f\\nDoor"
        );
        assert!(matches!(clean("Front Door · Café 🚪"), Cow::Borrowed(_)), "plain text is untouched");
        assert_eq!(clean_lines("a\nb\u{1b}"), "a\nb\\e");
    }

    #[test]
    fn json_stays_the_same_value_with_nothing_raw() {
        let value = serde_json::json!({ "name": HOSTILE, "n": 1, "list": ["\u{85}x", "é"] });
        for text in [to_json_pretty(&value).expect("json"), to_json_line(&value).expect("json")] {
            assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
            let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(back, value);
        }
        assert_eq!(to_json_line(&"\u{9b}\u{202e}").expect("json"), "\"\\u009b\\u202e\"");
    }

    #[test]
    fn log_records_keep_one_line_each() {
        let mut out = Vec::new();
        let mut writer = CleanWriter::new(&mut out);
        io::Write::write_all(&mut writer, b"INFO camera renamed to evil\nFAKE ERROR line\x1b[2J\n")
            .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "INFO camera renamed to evil\\nFAKE ERROR line\\e[2J\n"
        );
    }
}
