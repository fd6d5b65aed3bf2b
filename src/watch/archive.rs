//! `watch --download DIR`: every clip and its thumbnail under
//! `DIR/{network}/{camera}/{YYYY-MM-DD}/{HH-MM-SS}_{id}.mp4` (and `.jpg`), in local time, names
//! built only from sanitised server data. Files are written to a temporary file, synced and
//! renamed, so a killed run never leaves a partial file under a final name.
//!
//! The archive takes [`MediaItem`]s; a clip from a sync module's USB stick comes with its
//! [`LocalClipRef`] and is fetched the stick's way (an upload command, then the download).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::mark::recorded_at;
use crate::api::models::MediaItem;
use crate::api::{BlinkClient, MediaKind};
use crate::files::{ClipError, already_saved, download_clip, slug, write_atomic};
use crate::local_clips::{LocalClipRef, download_local_clip};
use crate::sweep::remove_stale;

const DATE_FORMAT: &str = "%Y-%m-%d";
const TIME_FORMAT: &str = "%H-%M-%S";

#[derive(Debug, Clone)]
pub struct Archive {
    root: PathBuf,
    zone: TimeZone,
}

impl Archive {
    pub fn new(root: PathBuf, zone: TimeZone) -> Self {
        Self { root, zone }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The event's files without their extension.
    fn stem(&self, event: &MediaItem) -> PathBuf {
        let network = match event.network_name.as_deref() {
            Some(name) if !name.trim().is_empty() => slug(name),
            _ => event.network_id.to_string(),
        };
        let local = recorded_at(event).to_zoned_datetime(self.zone.clone());
        self.root
            .join(network)
            .join(slug(&event.device_name))
            .join(local.strftime(DATE_FORMAT).to_string())
            .join(format!("{}_{}", local.strftime(TIME_FORMAT), event.id))
    }

    pub fn clip_path(&self, event: &MediaItem) -> PathBuf {
        self.stem(event).with_extension("mp4")
    }

    pub fn thumbnail_path(&self, event: &MediaItem) -> PathBuf {
        self.stem(event).with_extension("jpg")
    }

    /// Downloads what of the event is not there yet: the clip (checked to be an MP4 of the
    /// announced size), then the thumbnail, even when the clip failed (a notification can use
    /// it). Each download waits its turn on `pacer`; the first error is returned.
    pub async fn save(
        &self,
        client: &BlinkClient,
        event: &MediaItem,
        usb: Option<&LocalClipRef>,
        pacer: &mut Pacer,
    ) -> Result<(), ClipError> {
        let clip = self.clip_path(event);
        let mut saved = Ok(());
        if (event.media.is_some() || usb.is_some()) && !already_saved(&clip) {
            pacer.wait().await;
            let progress = SlowProgress::new(event.id);
            let progress = |p| progress.note(p);
            saved = match usb {
                Some(usb) => download_local_clip(client, usb, &clip, &progress, |_| {}).await,
                None => download_clip(client, event, &clip, &progress).await,
            };
            pacer.done();
            if saved.is_ok() {
                sync_dir(&clip);
                tracing::info!("archived {}", clip.display());
            }
        }
        if matches!(&saved, Err(ClipError::Api(err)) if err.needs_login()) {
            return saved;
        }
        let picture = self.thumbnail_path(event);
        if let Some(thumbnail) = event.thumbnail.as_deref().filter(|_| !already_saved(&picture)) {
            let pictured = save_picture(client, thumbnail, &picture, pacer).await;
            saved = saved.and(pictured);
        }
        saved
    }

    /// Removes the temporary files a killed run left in the archive. Only with the archive's
    /// lock held: then no other blinktui is writing there.
    pub fn remove_leftovers(&self) -> usize {
        self.day_dirs().iter().map(|day| remove_stale(day, ".blinktui-", ".part", Duration::ZERO)).sum()
    }

    fn day_dirs(&self) -> Vec<PathBuf> {
        subdirs(&self.root).iter().flat_map(|n| subdirs(n)).flat_map(|c| subdirs(&c)).collect()
    }

    /// Deletes archived clips and thumbnails whose event is older than `keep`, and the day
    /// directories that leaves empty. Only files named as the archive names them are touched.
    pub fn prune(&self, keep: Duration, now: Timestamp) -> usize {
        let Ok(keep) = jiff::SignedDuration::try_from(keep) else { return 0 };
        let cutoff = now.saturating_sub(keep).unwrap_or(Timestamp::MIN);
        let mut removed = 0;
        for day_dir in self.day_dirs() {
            let Some(date) = name_of(&day_dir).and_then(|name| Date::strptime(DATE_FORMAT, name).ok()) else {
                continue;
            };
            let Ok(entries) = std::fs::read_dir(&day_dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(time) = name_of(&path).and_then(archived_time) else { continue };
                let Ok(at) = date.to_datetime(time).to_zoned_datetime(self.zone.clone()) else { continue };
                if at.timestamp() >= cutoff || !entry.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                match std::fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(err) => tracing::warn!("cannot remove {}: {err}", path.display()),
                }
            }
            // Fails, as it should, while the directory holds anything else.
            let _ = std::fs::remove_dir(&day_dir);
        }
        removed
    }
}

/// Downloads a thumbnail into `path`, atomically; each download waits its turn on `pacer`.
pub async fn save_picture(
    client: &BlinkClient,
    thumbnail: &str,
    path: &Path,
    pacer: &mut Pacer,
) -> Result<(), ClipError> {
    pacer.wait().await;
    let bytes = client.download(thumbnail, MediaKind::Jpeg).await;
    pacer.done();
    let bytes = bytes?;
    let path_owned = path.to_owned();
    tokio::task::spawn_blocking(move || write_atomic(&path_owned, &bytes))
        .await
        .map_err(|err| std::io::Error::other(err.to_string()))
        .and_then(|written| written)
        .map_err(|source| ClipError::Write { path: path.display().to_string(), source })?;
    sync_dir(path);
    Ok(())
}

/// The time in an archived file's name (`HH-MM-SS_ID.mp4` or `.jpg`), if it is one.
fn archived_time(name: &str) -> Option<Time> {
    let stem = name.strip_suffix(".mp4").or_else(|| name.strip_suffix(".jpg"))?;
    let (time, id) = stem.split_once('_')?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || time.len() != 8 {
        return None;
    }
    Time::strptime(TIME_FORMAT, time).ok()
}

fn name_of(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| {
            e.file_type().is_ok_and(|t| t.is_dir()) && !e.file_name().to_string_lossy().starts_with('.')
        })
        .map(|e| e.path())
        .collect()
}

/// Makes a rename into the directory durable; a failure only costs durability, so it is logged.
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent()
        && let Err(err) = std::fs::File::open(dir).and_then(|d| d.sync_all())
    {
        tracing::warn!("cannot sync {}: {err}", dir.display());
    }
}

/// One download at a time with a pause between two (`download_delay_ms`).
#[derive(Debug)]
pub struct Pacer {
    delay: Duration,
    last: Option<Instant>,
}

impl Pacer {
    pub fn new(delay: Duration) -> Self {
        Self { delay, last: None }
    }

    pub fn set_delay(&mut self, delay: Duration) {
        self.delay = delay;
    }

    async fn wait(&self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until((last + self.delay).into()).await;
        }
    }

    fn done(&mut self) {
        self.last = Some(Instant::now());
    }
}

/// Logs how far a long clip download is, every [`SlowProgress::EVERY`]: a large clip over a
/// slow link takes minutes, and the log should show it moving.
struct SlowProgress {
    event: u64,
    next: std::sync::Mutex<std::time::Instant>,
}

impl SlowProgress {
    const EVERY: Duration = Duration::from_secs(30);

    fn new(event: u64) -> Self {
        Self { event, next: std::sync::Mutex::new(std::time::Instant::now() + Self::EVERY) }
    }

    fn note(&self, progress: crate::files::Progress) {
        let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if std::time::Instant::now() < *next {
            return;
        }
        *next = std::time::Instant::now() + Self::EVERY;
        let mb = |bytes: u64| format!("{:.1} MB", bytes as f64 / 1e6);
        let of = progress.total.map(|total| format!(" of {}", mb(total))).unwrap_or_default();
        super::report::log(&format!(
            "event {}: clip downloading, {}{of} so far",
            self.event,
            mb(progress.received)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, at: &str) -> MediaItem {
        MediaItem {
            id,
            created_at: at.parse().expect("time"),
            device_name: "../Front Door".into(),
            network_name: Some("Home/Main".into()),
            network_id: 7,
            ..MediaItem::default()
        }
    }

    #[test]
    fn files_go_by_network_camera_and_local_day() {
        let archive = Archive::new(PathBuf::from("/archive"), TimeZone::fixed(jiff::tz::offset(1)));
        let e = event(42, "2026-11-26T23:30:05+00:00");
        assert_eq!(
            archive.clip_path(&e),
            Path::new("/archive/home-main/front-door/2026-11-27/00-30-05_42.mp4")
        );
        assert_eq!(archive.thumbnail_path(&e).extension().and_then(|e| e.to_str()), Some("jpg"));
        let unnamed = MediaItem { network_name: None, ..e };
        assert!(archive.clip_path(&unnamed).starts_with("/archive/7/front-door"));
    }

    #[test]
    fn pruning_removes_only_old_archive_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = Archive::new(dir.path().to_owned(), TimeZone::UTC);
        let old = event(1, "2026-10-01T08:00:00Z");
        let new = event(2, "2026-11-30T08:00:00Z");
        for path in [archive.clip_path(&old), archive.thumbnail_path(&old), archive.clip_path(&new)] {
            write_atomic(&path, b"x").expect("write");
        }
        let old_day = archive.clip_path(&old).parent().expect("day").to_owned();
        let stranger = old_day.parent().expect("camera").join("2026-09-01").join("notes.txt");
        write_atomic(&stranger, b"mine").expect("write");
        write_atomic(&dir.path().join("10-00-00_5.mp4"), b"not in a day directory").expect("write");
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().expect("now");
        assert_eq!(archive.prune(Duration::from_secs(30 * 86_400), now), 2);
        assert!(!old_day.exists(), "the emptied day goes");
        assert!(archive.clip_path(&new).exists() && stranger.exists());
        assert!(dir.path().join("10-00-00_5.mp4").exists());
    }

    #[test]
    fn archive_names_are_recognised_strictly() {
        assert!(archived_time("08-00-00_12.mp4").is_some());
        assert!(archived_time("08-00-00_12.jpg").is_some());
        assert!(archived_time("08-00-00_12.txt").is_none());
        assert!(archived_time("08-00-00_x.mp4").is_none());
        assert!(archived_time("holiday_12.mp4").is_none());
    }
}
