//! The watch loop: poll, report what is new, archive, run commands; back off through outages;
//! stop cleanly or reload the config on the signals [`super::signals`] describes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::archive::{Archive, Pacer, save_picture};
use super::exec::ExecRunner;
use super::mark::{Mark, MarkFile, PendingClip, is_stick_clip, recorded_at};
use super::pace::{Backoff, jittered, retry_wait};
use super::report::{EventReport, log};
use super::signals::{Hangup, Signals};
use super::usb::UsbSticks;
use crate::api::models::MediaItem;
use crate::api::session::local_time;
use crate::api::{ApiError, BlinkClient};
use crate::files::{ClipError, already_saved};
use crate::local_clips::LocalClipRef;

/// Pages of changes read per poll, at most (Blink has sent 25 and 500 events a page).
const MAX_PAGES: u32 = 50;
/// Download attempts of a clip before it is given up.
const MAX_ATTEMPTS: u32 = 10;
/// Tries of a clip (a poll interval apart) its event waits for before it is announced without.
const HOLD_ATTEMPTS: u32 = 3;
/// How often old archive files and cached thumbnails are looked for.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Cached thumbnails for `--exec` are kept this long.
const THUMBNAIL_LIFE: Duration = Duration::from_secs(2 * 86_400);
/// How long running commands may finish when watch stops.
const EXEC_GRACE: Duration = Duration::from_secs(5);
/// How long the last lines may take to reach stderr when watch stops.
const STDERR_GRACE: Duration = Duration::from_secs(2);

/// What a SIGHUP changes: a client with the new politeness and limits, the poll interval
/// (unless `--interval` fixed it) and the pause between downloads.
pub struct Reloaded {
    pub client: BlinkClient,
    pub interval: Option<Duration>,
    pub download_delay: Duration,
}

pub type Reload = Box<dyn Fn() -> Result<Reloaded, String> + Send>;

pub struct Watcher {
    pub client: BlinkClient,
    pub json: bool,
    pub interval: Duration,
    /// Events recorded before this are not reported in this run.
    pub floor: Timestamp,
    pub mark: Mark,
    pub mark_file: MarkFile,
    pub archive: Option<Archive>,
    pub keep: Option<Duration>,
    pub exec: Option<ExecRunner>,
    /// Where thumbnails for `--exec` go when nothing is archived.
    pub thumbnail_cache: PathBuf,
    pub pacer: Pacer,
    pub reload: Reload,
    pub usb: UsbSticks,
    /// What SIGHUP does.
    pub hangup: Hangup,
}

impl Watcher {
    /// Runs until a signal stops it (`Ok`; see [`super::signals`]) or until Blink refuses the
    /// session (`Err`).
    pub async fn run(mut self) -> Result<(), ApiError> {
        let mut signals = Signals::new(self.hangup)
            .map_err(|err| ApiError::Store(format!("cannot catch signals: {err}")))?;
        // A backfill reaching before what the mark covers is finished by the first full poll.
        let mut backfill = self.floor < self.mark.covered_from();
        let mut backoff = Backoff::default();
        let mut last_prune: Option<Instant> = None;
        let mut saves_failing = None;
        let result = loop {
            if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                self.prune();
                last_prune = Some(Instant::now());
            }
            let outcome = tokio::select! {
                () = signals.stop.stopped() => break Ok(()),
                outcome = self.cycle(backfill) => outcome,
            };
            saves_failing = self.note_session_saves(saves_failing);
            let wait = match outcome {
                Ok(()) => {
                    if backoff.failures() > 0 {
                        log("Blink answers again; resuming");
                    }
                    backoff.reset();
                    backfill = false;
                    jittered(self.interval)
                }
                Err(err) if err.needs_login() => break Err(err),
                Err(err) => {
                    let wait = backoff.after_failure(self.interval, &err);
                    log(&format!("{err}; next try in {}s", wait.as_secs_f64().ceil()));
                    wait
                }
            };
            let deadline = tokio::time::Instant::now() + wait;
            loop {
                tokio::select! {
                    () = signals.stop.stopped() => return self.finish(Ok(())).await,
                    () = Signals::reload(&mut signals.reload) => self.reload().await,
                    () = tokio::time::sleep_until(deadline) => break,
                }
            }
        };
        self.finish(result).await
    }

    async fn finish(self, result: Result<(), ApiError>) -> Result<(), ApiError> {
        if let Err(err) = &result {
            log(&format!("watch stopped: {err}"));
        }
        if let Some(exec) = self.exec {
            exec.shutdown(EXEC_GRACE).await;
        }
        super::stderr::flush(STDERR_GRACE);
        result
    }

    async fn reload(&mut self) {
        match (self.reload)() {
            Ok(reloaded) => {
                reloaded.client.keep_newer_session(&self.client).await;
                self.client = reloaded.client;
                if let Some(interval) = reloaded.interval {
                    self.interval = interval;
                }
                self.pacer.set_delay(reloaded.download_delay);
                log(&format!("config reloaded; polling every {}s", self.interval.as_secs_f64()));
            }
            Err(err) => log(&format!("config not reloaded: {err}")),
        }
    }

    /// Logs when the session file stops being written and when it is again (every request
    /// retries the save); `failing_since` is what the previous call returned.
    fn note_session_saves(&self, failing_since: Option<Timestamp>) -> Option<Timestamp> {
        match (self.client.session_save_failure(), failing_since) {
            (Some(failure), None) => {
                log(&failure.to_string());
                Some(failure.since)
            }
            (None, Some(since)) => {
                log(&format!("the session is saved again (saves had failed since {})", local_time(since)));
                None
            }
            (Some(failure), Some(_)) => Some(failure.since),
            (None, None) => None,
        }
    }

    /// One poll: retries of clips that failed before, then what is new since the mark.
    async fn cycle(&mut self, backfill: bool) -> Result<(), ApiError> {
        self.retry_pending().await?;
        let since = if backfill { self.floor.min(self.mark.query_since()) } else { self.mark.query_since() };
        let events = self.client.media_since(since, MAX_PAGES).await?;
        self.report_new(events).await?;
        if backfill {
            self.mark.cover_from(self.floor);
            self.save_mark();
        }
        // The sticks after the cloud: a manifest takes a command and polls, which must not
        // hold up the cloud's events.
        if let Some(read) = self.usb.poll(&self.client).await? {
            self.report_new(read.events).await?;
            if let Some(listed) = read.listed {
                self.mark.keep_stick_clips(&listed);
                self.save_mark();
            }
        }
        Ok(())
    }

    /// Reports, oldest first, the events not reported before and recorded since the floor.
    async fn report_new(&mut self, mut events: Vec<MediaItem>) -> Result<(), ApiError> {
        events.retain(|event| {
            !event.deleted && recorded_at(event) >= self.floor && !self.mark.reported_event(event)
        });
        events.sort_by_key(|event| (recorded_at(event), event.id));
        for event in &events {
            self.report(event).await?;
        }
        Ok(())
    }

    /// A stick clip's stick and manifest; `None` for a cloud event.
    fn stick_clip(&self, event: &MediaItem) -> Option<LocalClipRef> {
        is_stick_clip(event).then(|| self.usb.clip(event.id).cloned()).flatten()
    }

    /// Archives, prints, hands to `--exec` and records one new event, in that order: a run
    /// killed before the end reports the event again rather than never. An event whose clip
    /// cannot be archived yet is held (recorded, with its clip pending) until it is, for up to
    /// [`HOLD_ATTEMPTS`] tries, so that a hook gets the file.
    async fn report(&mut self, event: &MediaItem) -> Result<(), ApiError> {
        let thumbnail = match self.archive.clone() {
            Some(archive) => {
                if self.worth_archiving(event)
                    && let Err(err) = archive
                        .save(&self.client, event, self.stick_clip(event).as_ref(), &mut self.pacer)
                        .await
                {
                    self.failed_download(event, err, 0, true)?;
                    self.mark.record_event(event);
                    self.save_mark();
                    return Ok(());
                }
                None
            }
            None if self.exec.is_some() => self.cached_thumbnail(event).await?,
            None => None,
        };
        self.announce(event, thumbnail.as_deref(), false);
        self.mark.record_event(event);
        self.save_mark();
        Ok(())
    }

    /// Prints an event and hands it to `--exec`, with the files the archive has of it (or
    /// `thumbnail` without an archive). `late`: announced before without its clip.
    fn announce(&mut self, event: &MediaItem, thumbnail: Option<&Path>, late: bool) {
        let (clip, thumbnail) = match &self.archive {
            Some(archive) => (existing(archive.clip_path(event)), existing(archive.thumbnail_path(event))),
            None => (None, thumbnail.map(Path::to_path_buf)),
        };
        let mut report = EventReport::new(event, clip.as_deref(), thumbnail.as_deref());
        report.clip_late = late;
        report.print(self.json);
        let line = format!(
            "event {} on {} ({}): {}{}",
            event.id,
            event.device_name,
            event.network_name.as_deref().unwrap_or("-"),
            crate::app::data::source_label(Some(event.source.as_deref().unwrap_or("pir"))),
            if late { "; its clip, archived late" } else { "" }
        );
        // On a terminal the event was just printed for the person reading it; a second line on
        // stderr (the same terminal) would only repeat it. The log file keeps it either way.
        if std::io::stdout().is_terminal() {
            tracing::info!("{}", crate::sanitize::clean(&line));
        } else {
            log(&line);
        }
        if let Some(exec) = &mut self.exec {
            exec.spawn(report.environment(), format!("event {}", event.id));
        }
    }

    /// Announces a held event without its clip (it is announced again if the clip comes).
    fn release(&mut self, event: &MediaItem, why: &str) {
        log(&format!("event {}: announced without its clip ({why})", event.id));
        self.announce(event, None, false);
    }

    fn worth_archiving(&self, event: &MediaItem) -> bool {
        self.keep.and_then(|keep| jiff::SignedDuration::try_from(keep).ok()).is_none_or(|keep| {
            recorded_at(event) >= Timestamp::now().saturating_sub(keep).unwrap_or(Timestamp::MIN)
        })
    }

    /// Queues a clip that could not be archived for a later try; a refused session ends watch.
    /// `held`: its event is not announced yet.
    fn failed_download(
        &mut self,
        event: &MediaItem,
        err: ClipError,
        attempts: u32,
        held: bool,
    ) -> Result<(), ApiError> {
        let err = match err {
            ClipError::Api(api) if api.needs_login() => return Err(api),
            other => other,
        };
        let asked = match &err {
            ClipError::Api(ApiError::RateLimited { retry_after }) => *retry_after,
            _ => None,
        };
        self.defer(event, err.to_string(), attempts, asked.unwrap_or_default(), held);
        Ok(())
    }

    /// Schedules the next try, no sooner than `at_least` (Blink's `Retry-After`). A held event
    /// is tried again a poll interval later, and announced without its clip after
    /// [`HOLD_ATTEMPTS`] tries.
    fn defer(&mut self, event: &MediaItem, why: String, attempts: u32, at_least: Duration, held: bool) {
        let attempts = attempts + 1;
        let still_held = held && attempts < HOLD_ATTEMPTS;
        if held && !still_held {
            self.release(event, &format!("{attempts} tries failed; it is announced again if it is archived"));
        }
        if attempts >= MAX_ATTEMPTS {
            log(&format!("event {}: giving up on its clip after {attempts} attempts: {why}", event.id));
            self.mark.pending.retain(|p| p.event.id != event.id);
            self.save_mark();
            return;
        }
        let wait =
            if still_held { self.interval } else { retry_wait(self.interval, attempts - 1) }.max(at_least);
        log(&format!(
            "event {}: clip not archived ({why}); next try in {}s",
            event.id,
            wait.as_secs_f64().ceil()
        ));
        let next_try = Timestamp::now().as_second().saturating_add(wait.as_secs().max(1) as i64);
        let pending = PendingClip { event: event.clone(), attempts, next_try, held: still_held };
        for given_up in self.mark.defer(pending) {
            log(&format!("event {}: too many clips waiting; this one is given up", given_up.event.id));
            if given_up.held {
                self.release(&given_up.event, "too many clips waiting");
            }
        }
        self.save_mark();
    }

    /// Clips whose retry is due, one by one. The mark keeps each until it is done, so a run
    /// stopped halfway retries the rest next time.
    async fn retry_pending(&mut self) -> Result<(), ApiError> {
        let Some(archive) = self.archive.clone() else { return Ok(()) };
        let now = Timestamp::now().as_second();
        let due: Vec<PendingClip> = self.mark.pending.iter().filter(|p| p.next_try <= now).cloned().collect();
        for pending in due {
            let usb = self.stick_clip(&pending.event);
            if usb.is_none() && is_stick_clip(&pending.event) {
                if self.usb.knows_gone(pending.event.id) {
                    log(&format!("event {}: no longer on the USB stick; not archived", pending.event.id));
                    if pending.held {
                        self.release(&pending.event, "no longer on the USB stick");
                    }
                    self.mark.pending.retain(|p| p.event.id != pending.event.id || !is_stick_clip(&p.event));
                    self.save_mark();
                }
                // Otherwise its stick and manifest are known once the sticks are read.
                continue;
            }
            match archive.save(&self.client, &pending.event, usb.as_ref(), &mut self.pacer).await {
                Ok(()) => {
                    log(&format!(
                        "event {}: archived {}",
                        pending.event.id,
                        archive.clip_path(&pending.event).display()
                    ));
                    self.announce(&pending.event, None, !pending.held);
                    self.mark.pending.retain(|p| p.event.id != pending.event.id);
                    self.save_mark();
                }
                Err(err) => self.failed_download(&pending.event, err, pending.attempts, pending.held)?,
            }
        }
        Ok(())
    }

    /// The event's thumbnail for `--exec`, downloaded into the cache; a failure only costs
    /// the variable.
    async fn cached_thumbnail(&mut self, event: &MediaItem) -> Result<Option<PathBuf>, ApiError> {
        let Some(thumbnail) = event.thumbnail.as_deref() else { return Ok(None) };
        let path = self.thumbnail_cache.join(format!("{}.jpg", event.id));
        if already_saved(&path) {
            return Ok(Some(path));
        }
        match save_picture(&self.client, thumbnail, &path, &mut self.pacer).await {
            Ok(()) => Ok(Some(path)),
            Err(ClipError::Api(err)) if err.needs_login() => Err(err),
            Err(err) => {
                log(&format!("event {}: no thumbnail: {err}", event.id));
                Ok(None)
            }
        }
    }

    fn save_mark(&self) {
        if let Err(err) = self.mark_file.save(&self.mark) {
            log(&format!(
                "cannot save {}: {err}; a restart may report events again",
                self.mark_file.path().display()
            ));
        }
    }

    fn prune(&self) {
        if let (Some(archive), Some(keep)) = (&self.archive, self.keep) {
            let removed = archive.prune(keep, Timestamp::now());
            if removed > 0 {
                log(&format!("removed {removed} archived files older than {}d", keep.as_secs() / 86_400));
            }
        }
        remove_older(&self.thumbnail_cache, THUMBNAIL_LIFE);
    }
}

fn existing(path: PathBuf) -> Option<PathBuf> {
    already_saved(&path).then_some(path)
}

/// Removes the `.jpg` files in `dir` last changed longer ago than `age`.
fn remove_older(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let old = entry.metadata().is_ok_and(|m| {
            m.is_file() && m.modified().is_ok_and(|at| at.elapsed().is_ok_and(|elapsed| elapsed > age))
        });
        if old && entry.path().extension().is_some_and(|e| e == "jpg") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
