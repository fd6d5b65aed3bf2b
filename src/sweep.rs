//! Temporary files a killed blinktui left behind (the session's `.tmp`, a download's `.part`):
//! removed on a later run once no running blinktui can still be writing them (a download's
//! are locked while written; the session's go by age).

use std::path::Path;
use std::time::Duration;

/// Older than this, a temporary file belongs to no running write: every write blinktui makes
/// takes seconds.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Removes the files (or symbolic links) in `dir` named `prefix*suffix` that were last
/// modified more than `older_than` ago. Returns how many went; failures are only logged.
pub fn remove_stale(dir: &Path, prefix: &str, suffix: &str, older_than: Duration) -> usize {
    remove_where(dir, prefix, suffix, |_, meta| !meta.is_dir() && older(meta, older_than))
}

/// Removes the files in `dir` named `prefix*suffix` that no running write holds: each write
/// keeps an exclusive `flock` on its file (see [`hold_while_writing`]), which the kernel drops
/// when the writer ends, `kill -9` included. An empty file may be a write that has not taken
/// its lock yet: it goes only once older than [`STALE_AFTER`]. Returns how many went.
pub fn remove_abandoned(dir: &Path, prefix: &str, suffix: &str) -> usize {
    remove_where(dir, prefix, suffix, |path, meta| {
        if !meta.is_file() || (meta.len() == 0 && !older(meta, STALE_AFTER)) {
            return false;
        }
        // A running download's file is locked.
        std::fs::File::open(path).is_ok_and(|file| {
            rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
        })
    })
}

fn older(meta: &std::fs::Metadata, than: Duration) -> bool {
    meta.modified().is_ok_and(|at| at.elapsed().is_ok_and(|age| age > than))
}

/// Removes the entries of `dir` named `prefix*suffix` for which `abandoned` holds. Entries are
/// judged by `DirEntry::metadata`, which does not follow links: a link is judged, and removed,
/// itself.
fn remove_where(
    dir: &Path,
    prefix: &str,
    suffix: &str,
    abandoned: impl Fn(&Path, &std::fs::Metadata) -> bool,
) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(prefix) && name.ends_with(suffix) && name.len() > prefix.len() + suffix.len()) {
            continue;
        }
        if !entry.metadata().is_ok_and(|meta| abandoned(&entry.path(), &meta)) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => {
                tracing::info!("removed {name}, left behind by an interrupted write");
                removed += 1;
            }
            Err(err) => tracing::warn!("cannot remove the leftover {name}: {err}"),
        }
    }
    removed
}

/// Marks `file` as being written, for [`remove_abandoned`] in other processes, until it is
/// closed.
pub fn hold_while_writing(file: &std::fs::File) -> std::io::Result<()> {
    rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{File, FileTimes};
    use std::time::SystemTime;

    fn touch(path: &Path, age: Duration) {
        let file = File::create(path).expect("create");
        let at = SystemTime::now() - age;
        file.set_times(FileTimes::new().set_modified(at).set_accessed(at)).expect("times");
    }

    #[test]
    fn only_old_matching_files_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let hour = Duration::from_secs(3600);
        touch(&dir.path().join(".blinktui-old.part"), 2 * hour);
        touch(&dir.path().join(".blinktui-new.part"), Duration::ZERO);
        touch(&dir.path().join("clip.part"), 2 * hour);
        touch(&dir.path().join(".blinktui-old.mp4"), 2 * hour);
        std::fs::create_dir(dir.path().join(".blinktui-dir.part")).expect("dir");
        assert_eq!(remove_stale(dir.path(), ".blinktui-", ".part", hour), 1);
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".blinktui-dir.part", ".blinktui-new.part", ".blinktui-old.mp4", "clip.part"]);
        assert_eq!(remove_stale(&dir.path().join("missing"), ".", ".part", hour), 0);
    }

    #[test]
    fn abandoned_files_go_at_once_but_not_one_being_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let abandoned = dir.path().join(".blinktui-killed.part");
        std::fs::write(&abandoned, b"half a clip").expect("leftover");
        let writing = dir.path().join(".blinktui-writing.part");
        std::fs::write(&writing, b"a third of a clip").expect("in progress");
        let held = File::open(&writing).expect("open");
        hold_while_writing(&held).expect("lock");
        let just_made = dir.path().join(".blinktui-new.part");
        touch(&just_made, Duration::ZERO);
        assert_eq!(remove_abandoned(dir.path(), ".blinktui-", ".part"), 1);
        assert!(!abandoned.exists());
        assert!(writing.exists() && just_made.exists());
        drop(held);
        assert_eq!(remove_abandoned(dir.path(), ".blinktui-", ".part"), 1, "its writer is gone");
    }
}
