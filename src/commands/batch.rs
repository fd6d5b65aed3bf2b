//! A batch of clip downloads on the command line, shared by `download` and `local download`:
//! a bar that counts clips, the pause between two downloads, and the tally said at the end. A
//! rate limit or a refused session ends the batch; other failures are counted and the rest go on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::api::ApiError;
use crate::context::CliError;
use crate::files::ClipError;
use crate::output::{say, stderr_is_terminal, warn};

pub struct Batch {
    bar: ProgressBar,
    dir: PathBuf,
    delay: Duration,
    fetched: usize,
    skipped: usize,
    failed: usize,
}

impl Batch {
    /// `clips` downloads into `dir`, `delay` apart.
    pub fn new(dir: &Path, clips: usize, delay: Duration) -> Self {
        let bar = if stderr_is_terminal() { ProgressBar::new(clips as u64) } else { ProgressBar::hidden() };
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Self { bar, dir: dir.to_owned(), delay, fetched: 0, skipped: 0, failed: 0 }
    }

    /// The bar, for the clip's name and bytes in its message.
    pub fn bar(&self) -> &ProgressBar {
        &self.bar
    }

    /// A clip already there.
    pub fn skip(&mut self) {
        self.skipped += 1;
        self.bar.inc(1);
    }

    /// The pause before every download but the first (politeness).
    pub async fn pace(&self) {
        if self.fetched + self.failed > 0 {
            tokio::time::sleep(self.delay).await;
        }
    }

    /// Counts one download into `path`; `Err` ends the batch.
    pub fn done(&mut self, path: &Path, result: Result<(), ClipError>) -> Result<(), CliError> {
        match result {
            Ok(()) => self.fetched += 1,
            Err(ClipError::Api(
                err @ (ApiError::RateLimited { .. } | ApiError::LoginRequired(_) | ApiError::Unauthorized),
            )) => {
                self.bar.finish_and_clear();
                self.report();
                return Err(err.into());
            }
            Err(err) => {
                self.bar.suspend(|| warn(&format!("{}: {err}", path.display())));
                self.failed += 1;
            }
        }
        self.bar.inc(1);
        Ok(())
    }

    /// Says the tally; a batch with failures fails, so a script runs it again.
    pub fn finish(self) -> Result<(), CliError> {
        self.bar.finish_and_clear();
        self.report();
        if self.failed > 0 {
            return Err(CliError::Failed(format!(
                "{} clip(s) could not be downloaded; run again to retry them",
                self.failed
            )));
        }
        Ok(())
    }

    fn report(&self) {
        let (fetched, skipped, failed) = (self.fetched, self.skipped, self.failed);
        say!("{fetched} downloaded, {skipped} already there, {failed} failed, in {}", self.dir.display());
    }
}
