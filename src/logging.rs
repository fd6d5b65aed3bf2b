//! Logs go to a file in the state directory, never to the terminal (the UI owns it). The level
//! comes from `BLINKTUI_LOG` (an `EnvFilter` directive) or `-v`. Records are cleaned of control
//! characters, so server text cannot forge log lines or act on a terminal showing the log.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::sanitize::CleanWriter;

pub fn init(log_file: &Path, verbosity: u8) -> std::io::Result<()> {
    if let Some(dir) = log_file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new().create(true).append(true).mode(0o600).open(log_file)?;
    let default = match verbosity {
        0 => "blinktui=info",
        1 => "blinktui=debug",
        _ => "blinktui=trace,axum=debug",
    };
    let filter = EnvFilter::try_from_env("BLINKTUI_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    // A second init (tests, demo re-entry) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(CleanWriter::new(file)))
        .with_ansi(false)
        .with_target(true)
        .try_init();
    Ok(())
}
