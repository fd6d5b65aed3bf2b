//! One watch at a time per account and per archive: two would report the same events twice
//! and race each other's files. The lock is an advisory `flock`, released by the kernel
//! whenever the process ends, `kill -9` included, so it never goes stale. The holder writes
//! its pid into the file, so that whoever is refused can be told which process to stop.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{FlockOperation, flock};
use rustix::io::Errno;

/// Held for as long as it lives.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it: the message names it.
    #[error("{0}")]
    Held(String),
    /// The lock file cannot be made or locked (a read-only or full directory).
    #[error("{0}")]
    Unavailable(String),
}

/// Takes the lock at `path`, or says that `holder` has it (with its pid when known).
pub fn acquire(path: &Path, holder: &str) -> Result<Lock, LockError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| LockError::Unavailable(format!("cannot create {}: {err}", dir.display())))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|err| LockError::Unavailable(format!("cannot open {}: {err}", path.display())))?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {
            // Best effort: the pid only makes the refusal of a second watch more helpful.
            let pid = std::process::id().to_string();
            let _ =
                file.set_len(0).and_then(|()| file.rewind()).and_then(|()| file.write_all(pid.as_bytes()));
            Ok(Lock { _file: file })
        }
        Err(Errno::WOULDBLOCK) => {
            let mut text = String::new();
            let pid = file.read_to_string(&mut text).ok().and_then(|_| text.trim().parse::<u32>().ok());
            let by = pid.map(|pid| format!("pid {pid}, ")).unwrap_or_default();
            Err(LockError::Held(format!("{holder} ({by}it holds {})", path.display())))
        }
        Err(err) => Err(LockError::Unavailable(format!("cannot lock {}: {err}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid_until_it_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/watch.lock");
        let first = acquire(&path, "another watch runs").expect("first");
        let err = acquire(&path, "another watch runs").expect_err("second");
        assert!(matches!(err, LockError::Held(_)), "{err:?}");
        let text = err.to_string();
        assert!(text.starts_with("another watch runs"), "{text}");
        assert!(text.contains(&format!("pid {}", std::process::id())), "{text}");
        drop(first);
        acquire(&path, "another watch runs").expect("free again");
    }

    #[test]
    fn a_lock_that_cannot_be_made_is_unavailable_not_held() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("file"), b"").expect("a file");
        let err = acquire(&dir.path().join("file/watch.lock"), "held").expect_err("not a directory");
        assert!(matches!(err, LockError::Unavailable(_)), "{err:?}");
    }
}
