//! Commands from several blinktui processes at once (the UI and a cron job, two scripts):
//! Blink runs one command per sync module at a time and refuses the next one ("busy"), so
//! the spacing between command-starting requests holds across processes through a small
//! file next to the session, and a one-shot command can hold off the others until its
//! outcome is known.

use std::fs;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustix::fs::FlockOperation;

use super::error::ApiError;
use super::session::SessionStore;

/// When the latest command-starting request of any process was (or will be) sent, in
/// milliseconds since the epoch.
const SLOT_FILE: &str = "commands.slot";
/// Held by a one-shot command from reading the state to reporting the outcome.
const HOLD_FILE: &str = "commands.lock";

/// Released when dropped.
pub struct CommandHold {
    _file: fs::File,
}

impl SessionStore {
    /// Reserves the next moment a command-starting request may be sent, at least `spacing`
    /// after the one any blinktui process reserved last, and returns how long to wait for
    /// it. Blocking: call it off the async threads.
    pub fn reserve_command_slot(&self, spacing: Duration) -> Result<Duration, ApiError> {
        let path = self.dir().join(SLOT_FILE);
        let mut file = open_locked(&path, FlockOperation::LockExclusive)?;
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let last = text.trim().parse::<u64>().ok();
        let now = millis_now();
        let spacing_ms = u64::try_from(spacing.as_millis()).unwrap_or(u64::MAX);
        // A slot far ahead (the clock went back) never makes anyone wait longer than spacing.
        let wait = last.map_or(0, |last| last.saturating_add(spacing_ms).saturating_sub(now).min(spacing_ms));
        let write =
            file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", now + wait));
        if let Err(err) = write {
            tracing::warn!("cannot record the command slot in {}: {err}", path.display());
        }
        Ok(Duration::from_millis(wait))
    }

    /// Holds off every other blinktui's one-shot command until dropped, or returns `None` at
    /// once when another holds it.
    pub fn try_hold_commands(&self) -> Result<Option<CommandHold>, ApiError> {
        match open_locked(&self.dir().join(HOLD_FILE), FlockOperation::NonBlockingLockExclusive) {
            Ok(file) => Ok(Some(CommandHold { _file: file })),
            Err(ApiError::Store(message)) if message.contains(WOULD_BLOCK) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// [`SessionStore::try_hold_commands`], waiting for the other to finish. Blocking.
    pub fn hold_commands(&self) -> Result<CommandHold, ApiError> {
        open_locked(&self.dir().join(HOLD_FILE), FlockOperation::LockExclusive)
            .map(|file| CommandHold { _file: file })
    }
}

const WOULD_BLOCK: &str = "held by another process";

fn open_locked(path: &Path, operation: FlockOperation) -> Result<fs::File, ApiError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|err| store_error("create", dir, &err))?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|err| store_error("open", path, &err))?;
    match rustix::fs::flock(&file, operation) {
        Ok(()) => Ok(file),
        Err(rustix::io::Errno::WOULDBLOCK) => {
            Err(ApiError::Store(format!("{} is {WOULD_BLOCK}", path.display())))
        }
        Err(err) => Err(store_error("lock", path, &err.into())),
    }
}

fn store_error(what: &str, path: &Path, err: &std::io::Error) -> ApiError {
    ApiError::Store(format!("cannot {what} {}: {err}", path.display()))
}

fn millis_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_across_stores_of_one_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, second) = (SessionStore::new(dir.path()), SessionStore::new(dir.path()));
        let spacing = Duration::from_secs(5);
        assert_eq!(first.reserve_command_slot(spacing).expect("slot"), Duration::ZERO);
        let wait = second.reserve_command_slot(spacing).expect("slot");
        assert!(wait > Duration::from_millis(4900) && wait <= spacing, "{wait:?}");
        let third = first.reserve_command_slot(spacing).expect("slot");
        assert!(third > Duration::from_millis(9900) - spacing && third <= spacing, "{third:?}");
    }

    #[test]
    fn a_slot_far_ahead_costs_at_most_the_spacing() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(SLOT_FILE), format!("{}", millis_now() + 3_600_000)).expect("write");
        let wait = SessionStore::new(dir.path()).reserve_command_slot(Duration::from_secs(5)).expect("slot");
        assert_eq!(wait, Duration::from_secs(5));
    }

    #[test]
    fn one_hold_at_a_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, second) = (SessionStore::new(dir.path()), SessionStore::new(dir.path()));
        let held = first.try_hold_commands().expect("hold").expect("free");
        assert!(second.try_hold_commands().expect("hold").is_none(), "held by the first");
        drop(held);
        assert!(second.try_hold_commands().expect("hold").is_some(), "free again");
    }
}
