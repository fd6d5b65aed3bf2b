//! Writing downloads safely: names built only from sanitised server data, written to a
//! temporary file and renamed, so an interrupted run never leaves a half file under the real
//! name.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use jiff::Timestamp;

use crate::api::models::MediaItem;
use crate::api::models::time::parse_timestamp;
use crate::api::{ApiError, BlinkClient, MediaKind};

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
/// write into a directory also removes `.part` files a killed blinktui left there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    if SWEPT.lock().unwrap_or_else(PoisonError::into_inner).insert(dir.to_owned()) {
        crate::sweep::remove_stale(dir, PART_PREFIX, PART_SUFFIX, crate::sweep::STALE_AFTER);
    }
    let mut tmp = tempfile::Builder::new().prefix(PART_PREFIX).suffix(PART_SUFFIX).tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// `dir/name`, refusing anything that is not a plain file name.
pub fn inside(dir: &Path, name: &str) -> PathBuf {
    let plain: String = name.chars().filter(|c| *c != '/' && *c != '\\' && *c != '\0').collect();
    let plain = plain.trim_start_matches('.');
    dir.join(if plain.is_empty() { "file" } else { plain })
}

/// The file name of an event's clip: time, network, camera and id, all sanitised.
pub fn clip_file_name(event: &MediaItem) -> String {
    let time = parse_timestamp(&event.created_at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
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

/// Downloads an event's clip (checked to be an MP4) and writes it atomically to `path`.
pub async fn download_clip(client: &BlinkClient, event: &MediaItem, path: &Path) -> Result<(), ClipError> {
    let media = event.media.as_deref().ok_or(ClipError::NoClip)?;
    let bytes = client.download(media, MediaKind::Mp4).await?;
    let target = path.to_owned();
    tokio::task::spawn_blocking(move || write_atomic(&target, &bytes))
        .await
        .map_err(|err| std::io::Error::other(err.to_string()))
        .and_then(|written| written)
        .map_err(|source| ClipError::Write { path: path.display().to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_names_come_from_sanitised_fields() {
        let event = MediaItem {
            id: 42,
            created_at: "2026-11-26T14:03:07+00:00".into(),
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
