//! Logs go to a file in the state directory, never to the terminal (the UI owns it). The level
//! comes from `BLINKTUI_LOG` (an `EnvFilter` directive) or `-v`. Records are cleaned of control
//! characters, so server text cannot forge log lines or act on a terminal showing the log.
//! They are written by a thread of their own (a slow disk never stalls the UI), and the file
//! is capped: past [`MAX_LOG_BYTES`] it becomes `blinktui.log.1` and a new one starts, so a
//! `blinktui watch` running for months keeps at most twice that on disk.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::sanitize::CleanWriter;

pub const MAX_LOG_BYTES: u64 = 10 * 1024 * 1024;

/// Starts logging to `log_file`. Keep the guard until the program ends: dropping it writes
/// out what is still queued.
pub fn init(log_file: &Path, verbosity: u8) -> io::Result<WorkerGuard> {
    let file = CappedFile::open(log_file.to_owned(), MAX_LOG_BYTES)?;
    let default = match verbosity {
        0 => "blinktui=info",
        1 => "blinktui=debug",
        _ => "blinktui=trace,axum=debug",
    };
    let filter = EnvFilter::try_from_env("BLINKTUI_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let (writer, guard) = tracing_appender::non_blocking(CleanWriter::new(file));
    // A second init (tests, demo re-entry) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init();
    Ok(guard)
}

/// An append-only file that starts over (keeping one previous file) once it holds `limit`
/// bytes.
pub struct CappedFile {
    path: PathBuf,
    file: File,
    written: u64,
    limit: u64,
}

impl CappedFile {
    pub fn open(path: PathBuf, limit: u64) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = open_append(&path)?;
        let written = file.metadata()?.len();
        let mut capped = Self { path, file, written, limit };
        if capped.written >= limit {
            capped.rotate()?;
        }
        Ok(capped)
    }

    fn rotate(&mut self) -> io::Result<()> {
        let mut previous = self.path.clone().into_os_string();
        previous.push(".1");
        std::fs::rename(&self.path, previous)?;
        self.file = open_append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).mode(0o600).open(path)
}

impl Write for CappedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.limit {
            // Keep logging even if the old file cannot be moved aside.
            if let Err(err) = self.rotate() {
                self.written = 0;
                let _ = writeln!(self.file, "blinktui: cannot rotate the log: {err}");
            }
        }
        let written = self.file.write(buf)?;
        self.written += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_starts_over_past_its_limit_keeping_one_previous_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blinktui.log");
        let mut log = CappedFile::open(path.clone(), 100).expect("open");
        for n in 0..30 {
            log.write_all(format!("record {n:02}\n").as_bytes()).expect("write");
        }
        let current = std::fs::read_to_string(&path).expect("current");
        let previous = std::fs::read_to_string(dir.path().join("blinktui.log.1")).expect("previous");
        assert!(current.len() <= 100 && previous.len() <= 100, "{} {}", current.len(), previous.len());
        assert!(current.ends_with("record 29\n"), "{current}");
        assert!(previous.lines().all(|line| line.starts_with("record ")), "whole records only: {previous}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2, "never more than two files");
    }

    #[test]
    fn a_full_log_from_an_earlier_run_is_moved_aside_at_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blinktui.log");
        std::fs::write(&path, "x".repeat(200)).expect("write");
        let mut log = CappedFile::open(path.clone(), 100).expect("open");
        writeln!(log, "fresh").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("current"), "fresh\n");
    }
}
