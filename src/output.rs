//! Plain tables for people, JSON for scripts; progress only on a terminal.

use std::io::IsTerminal;

use comfy_table::{Table, presets};
use serde::Serialize;

use crate::context::CliError;
use crate::sanitize::{clean, clean_lines, to_json_pretty};

/// `println!` for command output: when the reader has gone away (`blinktui events | head -1`),
/// the program ends quietly with success instead of panicking on the broken pipe.
macro_rules! say {
    () => {
        $crate::output::say_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::say_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Every line goes through [`clean_lines`]: whatever a server string carried, no escape
/// sequence reaches the terminal (fields are cleaned one by one too, so a line feed inside a
/// name cannot start a forged line either).
pub fn say_line(line: std::fmt::Arguments) {
    use std::io::Write;
    let text = line.to_string();
    let mut out = std::io::stdout().lock();
    if let Err(err) = out.write_all(clean_lines(&text).as_bytes()).and_then(|()| out.write_all(b"\n"))
        && err.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

pub fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut table = Table::new();
    table.load_style(presets::NOTHING).set_header(header.to_vec());
    for row in rows {
        table.add_row(row.iter().map(|cell| clean(cell).into_owned()).collect::<Vec<_>>());
    }
    // comfy-table pads every line with a leading space; scripts grepping output prefer none.
    table
        .lines()
        .map(|line| line.trim_end().strip_prefix(' ').unwrap_or(&line).to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let text = to_json_pretty(value).map_err(|err| CliError::Failed(err.to_string()))?;
    say!("{text}");
    Ok(())
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A note on stderr while waiting, only when someone is watching.
pub fn progress(message: &str) {
    if stderr_is_terminal() {
        eprintln!("{}", clean(message));
    }
}

/// A problem on stderr, prefixed with the program's name; server text in it is shown escaped.
pub fn warn(message: &str) {
    eprintln!("blinktui: {}", clean(message));
}

pub fn on_off(value: bool) -> String {
    if value { "on" } else { "off" }.to_owned()
}

pub fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}
