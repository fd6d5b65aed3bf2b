//! Writing downloads safely: names built only from sanitised server data, written to a
//! temporary file and renamed, so an interrupted run never leaves a half file under the real
//! name. Clips stream to that file chunk by chunk: memory stays flat whatever their size.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use futures::future::BoxFuture;
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

use crate::api::models::MediaItem;
use crate::api::{ApiError, BlinkClient, BodySink, MediaKind};

/// Lower-case ASCII letters, digits and single dashes, at most 40 characters; never empty,
/// never a path.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() { "camera".to_owned() } else { out.to_owned() }
}

/// Temporary files of [`write_atomic`]: `.blinktui-XXXXXX.part` next to the target.
const PART_PREFIX: &str = ".blinktui-";
const PART_SUFFIX: &str = ".part";

/// Directories this process already cleaned of stale `.part` files.
static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Writes through a temporary file renamed into place (removed if anything fails). The first
/// write into a directory also removes `.part` files a killed blinktui left there (those no
/// running blinktui holds locked).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = part_file(path)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Removes the `.part` files in `dir` that a killed blinktui left (once per process).
pub fn sweep_parts(dir: &Path) {
    if SWEPT.lock().unwrap_or_else(PoisonError::into_inner).insert(dir.to_owned()) {
        crate::sweep::remove_abandoned(dir, PART_PREFIX, PART_SUFFIX);
    }
}

/// A hidden temporary file beside `path`, removed when dropped unless persisted.
fn part_file(path: &Path) -> std::io::Result<NamedTempFile> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    sweep_parts(dir);
    let file = tempfile::Builder::new().prefix(PART_PREFIX).suffix(PART_SUFFIX).tempfile_in(dir)?;
    // Locked before its first byte, so another blinktui's sweep leaves it alone.
    crate::sweep::hold_while_writing(file.as_file())?;
    Ok(file)
}

/// `dir/name`, refusing anything that is not a plain file name.
pub fn inside(dir: &Path, name: &str) -> PathBuf {
    let plain: String = name.chars().filter(|c| *c != '/' && *c != '\\' && *c != '\0').collect();
    let plain = plain.trim_start_matches('.');
    dir.join(if plain.is_empty() { "file" } else { plain })
}

/// The file name of an event's clip: time, network, camera and id, all sanitised.
pub fn clip_file_name(event: &MediaItem) -> String {
    let time = event.created_at.at.strftime("%Y%m%dT%H%M%SZ").to_string();
    let network = event.network_name.as_deref().map(slug).unwrap_or_else(|| event.network_id.to_string());
    format!("{time}_{network}_{}_{}.mp4", slug(&event.device_name), event.id)
}

/// Where an event's clip is saved in `dir`.
pub fn clip_path(dir: &Path, event: &MediaItem) -> PathBuf {
    inside(dir, &clip_file_name(event))
}

/// A file that is there and not empty (downloads are atomic, so it is whole).
pub fn already_saved(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("the event has no clip")]
    NoClip,
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// How far a download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub received: u64,
    /// The length the server announced, if it did.
    pub total: Option<u64>,
}

/// Called as a download advances.
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// Downloads an event's clip (checked to be an MP4, held to the clip limit) straight to a
/// temporary file beside `path`, renamed to `path` once whole and synced.
pub async fn download_clip(
    client: &BlinkClient,
    event: &MediaItem,
    path: &Path,
    progress: OnProgress<'_>,
) -> Result<(), ClipError> {
    let media = event.media.as_deref().ok_or(ClipError::NoClip)?;
    let mut file = ClipFile::new(path, progress);
    let result = client.download_into(media, MediaKind::Mp4, file.sink()).await;
    file.finish(result).await
}

/// A clip on its way to `path`: give [`ClipFile::sink`] to a download, then
/// [`ClipFile::finish`] with its result. Only a whole, synced clip gets the name.
pub struct ClipFile<'p> {
    sink: FileSink<'p>,
}

impl<'p> ClipFile<'p> {
    pub fn new(path: &Path, progress: OnProgress<'p>) -> Self {
        Self { sink: FileSink::new(path, progress) }
    }

    pub fn sink(&mut self) -> &mut dyn BodySink {
        &mut self.sink
    }

    /// Renames the part file into place after a successful download; after a failed one the
    /// part file goes, and a disk error is reported as such rather than as Blink's fault.
    pub async fn finish(mut self, result: Result<(), ApiError>) -> Result<(), ClipError> {
        let path = self.sink.target.clone();
        let write_error = |source| ClipError::Write { path: path.display().to_string(), source };
        if let Err(err) = result {
            return Err(self.sink.failure.take().map_or(ClipError::Api(err), write_error));
        }
        let Some((part, file)) = self.sink.part.take() else {
            return Err(write_error(std::io::Error::other("the download never started")));
        };
        drop(file);
        let target = path.clone();
        tokio::task::spawn_blocking(move || part.persist(target).map(drop).map_err(|err| err.error))
            .await
            .map_err(|err| std::io::Error::other(err.to_string()))
            .and_then(|persisted| persisted)
            .map_err(write_error)
    }
}

/// A download written to a fresh part file per attempt; dropping it removes what is not
/// persisted, so a failed, over-limit or cancelled download leaves nothing.
struct FileSink<'p> {
    target: PathBuf,
    part: Option<(NamedTempFile, tokio::fs::File)>,
    /// The disk error behind a failed write, reported as such rather than as Blink's fault.
    failure: Option<std::io::Error>,
    received: u64,
    total: Option<u64>,
    progress: OnProgress<'p>,
}

impl<'p> FileSink<'p> {
    fn new(target: &Path, progress: OnProgress<'p>) -> Self {
        Self { target: target.to_owned(), part: None, failure: None, received: 0, total: None, progress }
    }

    fn fail(&mut self, err: std::io::Error) -> ApiError {
        let shown = ApiError::Sink(err.to_string());
        self.failure = Some(err);
        shown
    }

    fn open(&self) -> std::io::Result<(NamedTempFile, tokio::fs::File)> {
        let part = part_file(&self.target)?;
        let file = tokio::fs::File::from_std(part.as_file().try_clone()?);
        Ok((part, file))
    }
}

impl BodySink for FileSink<'_> {
    fn begin(&mut self, total: Option<u64>) -> BoxFuture<'_, Result<(), ApiError>> {
        Box::pin(async move {
            self.part = None;
            (self.received, self.total) = (0, total);
            (self.progress)(Progress { received: 0, total });
            match self.open() {
                Ok(part) => self.part = Some(part),
                Err(err) => return Err(self.fail(err)),
            }
            Ok(())
        })
    }

    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), ApiError>> {
        Box::pin(async move {
            let written = match &mut self.part {
                Some((_, file)) => file.write_all(chunk).await,
                None => Err(std::io::Error::other("write before the download started")),
            };
            if let Err(err) = written {
                return Err(self.fail(err));
            }
            self.received += chunk.len() as u64;
            (self.progress)(Progress { received: self.received, total: self.total });
            Ok(())
        })
    }

    fn end(&mut self) -> BoxFuture<'_, Result<(), ApiError>> {
        Box::pin(async move {
            // A body shorter than announced is a broken transfer, never a clip to keep.
            if let Some(total) = self.total.filter(|total| *total != self.received) {
                return Err(ApiError::Network {
                    host: "Blink".into(),
                    detail: format!("the clip ended after {} of {total} bytes", self.received),
                });
            }
            let synced = match &mut self.part {
                Some((_, file)) => match file.flush().await {
                    Ok(()) => file.sync_all().await,
                    Err(err) => Err(err),
                },
                None => Err(std::io::Error::other("the download never started")),
            };
            synced.map_err(|err| self.fail(err))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_names_come_from_sanitised_fields() {
        let event = MediaItem {
            id: 42,
            created_at: "2026-11-26T14:03:07+00:00".parse().expect("time"),
            device_name: "../Front Door".into(),
            network_name: Some("Home/Main".into()),
            ..MediaItem::default()
        };
        assert_eq!(clip_file_name(&event), "20261126T140307Z_home-main_front-door_42.mp4");
    }

    #[test]
    fn slugs_are_safe_file_name_parts() {
        assert_eq!(slug("Front Door"), "front-door");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Café – Süd"), "caf-s-d");
        assert_eq!(slug("////"), "camera");
        assert_eq!(slug(&"x".repeat(100)).len(), 40);
    }

    #[test]
    fn inside_keeps_files_in_their_directory() {
        let dir = Path::new("/downloads");
        assert_eq!(inside(dir, "../evil.mp4"), Path::new("/downloads/evil.mp4"));
        assert_eq!(inside(dir, "a/b.mp4"), Path::new("/downloads/ab.mp4"));
        assert_eq!(inside(dir, ""), Path::new("/downloads/file"));
    }

    #[tokio::test]
    async fn a_download_keeps_one_part_file_and_an_abandoned_one_leaves_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let count = || std::fs::read_dir(dir.path()).expect("list").count();
        let mut sink = FileSink::new(&dir.path().join("clip.mp4"), &|_| {});
        sink.begin(Some(10)).await.expect("begin");
        sink.write(b"some bytes").await.expect("write");
        sink.begin(Some(10)).await.expect("a retry starts over");
        assert_eq!(count(), 1, "one part file at a time");
        drop(sink);
        assert_eq!(count(), 0);
    }

    #[tokio::test]
    async fn a_clip_shorter_than_announced_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut sink = FileSink::new(&dir.path().join("clip.mp4"), &|_| {});
        sink.begin(Some(10)).await.expect("begin");
        sink.write(b"four").await.expect("write");
        let err = sink.end().await.expect_err("short");
        assert!(err.to_string().contains("4 of 10 bytes"), "{err}");
        sink.begin(Some(4)).await.expect("again");
        sink.write(b"four").await.expect("write");
        sink.end().await.expect("whole");
    }

    #[test]
    fn atomic_writes_leave_only_the_final_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/clip.mp4");
        write_atomic(&path, b"data").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"data");
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("dir")).expect("list").collect();
        assert_eq!(names.len(), 1);
    }
}
