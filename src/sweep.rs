//! Temporary files a killed blinktui left behind (the session's `.tmp`, a download's `.part`):
//! removed on a later run once they are old enough that no running blinktui can still be
//! writing them.

use std::path::Path;
use std::time::Duration;

/// Older than this, a temporary file belongs to no running write: every write blinktui makes
/// takes seconds.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Removes the files (or symbolic links) in `dir` named `prefix*suffix` that were last
/// modified more than `older_than` ago. Returns how many went; failures are only logged.
pub fn remove_stale(dir: &Path, prefix: &str, suffix: &str, older_than: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(prefix) && name.ends_with(suffix) && name.len() > prefix.len() + suffix.len()) {
            continue;
        }
        // `DirEntry::metadata` does not follow links: a link is judged, and removed, itself.
        let stale = entry.metadata().is_ok_and(|meta| {
            !meta.is_dir() && meta.modified().is_ok_and(|at| at.elapsed().is_ok_and(|age| age > older_than))
        });
        if !stale {
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
}
