//! One watch at a time per account and per archive: two would report the same events twice
//! and race each other's files. The lock is an advisory `flock`, released by the kernel
//! whenever the process ends, `kill -9` included, so it never goes stale.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{FlockOperation, flock};
use rustix::io::Errno;

/// Held for as long as it lives.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock at `path`, or says that `holder` has it.
pub fn acquire(path: &Path, holder: &str) -> Result<Lock, String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|err| format!("cannot open {}: {err}", path.display()))?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Lock { _file: file }),
        Err(Errno::WOULDBLOCK) => Err(format!("{holder} (it holds {})", path.display())),
        Err(err) => Err(format!("cannot lock {}: {err}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/watch.lock");
        let first = acquire(&path, "another watch runs").expect("first");
        let err = acquire(&path, "another watch runs").expect_err("second");
        assert!(err.starts_with("another watch runs"), "{err}");
        drop(first);
        acquire(&path, "another watch runs").expect("free again");
    }
}
