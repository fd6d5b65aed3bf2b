//! The saved login: tokens, expiry, tier and account, in a 0600 file in the state directory,
//! plus the installation's `hardware_id`, which outlives logouts.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use crate::secret::Secret;

const SESSION_FILE: &str = "session.json";
const LOCK_FILE: &str = "session.lock";
const HARDWARE_ID_FILE: &str = "hardware_id";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: Secret,
    pub refresh_token: Secret,
    /// Unix seconds.
    pub expires_at: i64,
    pub tier: String,
    pub account_id: u64,
    pub hardware_id: String,
    /// From homescreen's `Client-Id` header; only the legacy logout URL needs it.
    #[serde(default)]
    pub client_id: Option<u64>,
    #[serde(default)]
    pub user_id: Option<u64>,
    #[serde(default)]
    pub email: Option<String>,
    /// Unix milliseconds when these tokens were issued; 0 in files written before it was kept.
    #[serde(default)]
    pub issued_at_ms: i64,
}

impl Session {
    /// True when `self` holds tokens issued after `other`'s: by issue time where both know
    /// it, else by expiry.
    pub fn is_newer_than(&self, other: &Session) -> bool {
        if self.issued_at_ms > 0 && other.issued_at_ms > 0 {
            self.issued_at_ms > other.issued_at_ms
        } else {
            self.expires_at > other.expires_at
        }
    }

    /// True when fewer than `margin_secs` remain (blinkpy refreshes at 60 s).
    pub fn expires_within(&self, margin_secs: i64) -> bool {
        self.expires_at - Timestamp::now().as_second() < margin_secs
    }
}

/// The session could not be written to disk (a full disk, a read-only state directory). The
/// file keeps the previous session; after a token refresh that one holds a refresh token Blink
/// has already replaced, so unless a later save succeeds the next start needs a login.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not save the Blink session since {} ({reason}); blinktui keeps the newest tokens in \
     memory and tries again, but unless the state directory becomes writable the next start \
     will need `blinktui login`", local_time(*since)
)]
pub struct SessionSaveFailed {
    pub reason: String,
    /// When the saves began to fail (the first failure of this run of them).
    pub since: Timestamp,
}

/// `2026-12-07 14:02:03` in the local time zone, for messages.
pub fn local_time(at: Timestamp) -> String {
    at.to_zoned_datetime(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

#[derive(Debug, Clone)]
pub struct SessionStore {
    dir: PathBuf,
}

impl SessionStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn session_path(&self) -> PathBuf {
        self.dir.join(SESSION_FILE)
    }

    /// Where this process writes the session before renaming it into place.
    pub fn temp_path(&self) -> PathBuf {
        temp_path_for(&self.session_path())
    }

    pub fn load(&self) -> Result<Option<Session>, ApiError> {
        let path = self.session_path();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(store_error("read", &path, &err)),
        };
        tighten_permissions(&path);
        // A damaged file is as good as none: a login replaces it. The parser's own words may
        // quote the file, tokens included: only where it broke is said.
        serde_json::from_str(&text).map(Some).map_err(|err| {
            ApiError::LoginRequired(format!(
                "{} is damaged at line {}, column {}",
                path.display(),
                err.line(),
                err.column()
            ))
        })
    }

    pub fn save(&self, session: &Session) -> Result<(), ApiError> {
        let json = serde_json::to_vec_pretty(session)
            .map_err(|err| ApiError::Store(format!("cannot encode the session: {err}")))?;
        write_private(&self.session_path(), &json)
    }

    /// Removes the saved session; the hardware id stays. Returns whether there was one.
    pub fn clear(&self) -> Result<bool, ApiError> {
        let path = self.session_path();
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(store_error("remove", &path, &err)),
        }
    }

    /// The installation's hardware id: a random upper-case UUID made on first use and kept
    /// forever, because Blink ties refresh tokens to it.
    pub fn hardware_id(&self) -> Result<String, ApiError> {
        self.hardware_id_noting_replacement().map(|(id, _)| id)
    }

    /// [`SessionStore::hardware_id`], and a warning for the user when the file held something
    /// other than an id and was replaced. Replacing is all a user could do with it: nothing
    /// else reads the file, and a session made with the old id is refused without it anyway.
    pub fn hardware_id_noting_replacement(&self) -> Result<(String, Option<String>), ApiError> {
        let path = self.dir.join(HARDWARE_ID_FILE);
        let replaced = match fs::read(&path) {
            Ok(bytes) => match std::str::from_utf8(&bytes).ok().map(str::trim) {
                Some(text) if uuid::Uuid::parse_str(text).is_ok() => return Ok((text.to_owned(), None)),
                _ => Some(format!(
                    "{} did not hold a hardware id; it now holds a new one, so Blink sees a new \
                     device (it may ask for a verification code)",
                    path.display()
                )),
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                return Err(ApiError::Store(format!(
                    "cannot read {}: {err}; remove it to have a new one made",
                    path.display()
                )));
            }
        };
        if let Some(warning) = &replaced {
            tracing::warn!("{warning}");
        }
        let id = new_hardware_id();
        write_private(&path, id.as_bytes())?;
        Ok((id, replaced))
    }
}

/// Held while refreshing, so two blinktui processes sharing a session (the UI and a cron job)
/// never both spend the same rotating refresh token. Released when dropped.
pub struct SessionLock {
    _file: fs::File,
}

impl SessionStore {
    /// Waits for the exclusive session lock (blocking: call it off the async threads).
    pub fn lock(&self) -> Result<SessionLock, ApiError> {
        fs::create_dir_all(&self.dir).map_err(|err| store_error("create", &self.dir, &err))?;
        let path = self.dir.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|err| store_error("open", &path, &err))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|err| store_error("lock", &path, &err.into()))?;
        Ok(SessionLock { _file: file })
    }
}

pub fn new_hardware_id() -> String {
    uuid::Uuid::new_v4().to_string().to_uppercase()
}

/// One save at a time in this process: they share the temporary file's name.
static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Where [`write_private`] puts `path`'s new content before renaming it over `path`: next to
/// it, named for this process.
fn temp_path_for(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    dir.join(format!("{}{}.tmp", temp_prefix(path), std::process::id()))
}

fn temp_prefix(path: &Path) -> String {
    format!(".{}.", path.file_name().and_then(|n| n.to_str()).unwrap_or("session"))
}

/// Writes `bytes` to `path` atomically, never letting the file exist with wider permissions
/// than 0600 (the temporary file is created with them). A write that fails (a full disk, a
/// read-only directory) leaves the previous file as it was and no temporary file behind.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|err| store_error("create", dir, &err))?;
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    crate::sweep::remove_stale(dir, &temp_prefix(path), ".tmp", crate::sweep::STALE_AFTER);
    let _one_at_a_time = WRITING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let tmp = temp_path_for(path);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|err| store_error("create", &tmp, &err))?;
    // A leftover temporary file from a crash may have been created with other permissions.
    let written = file
        .set_permissions(fs::Permissions::from_mode(0o600))
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .map_err(|err| store_error("write", &tmp, &err))
        .and_then(|()| fs::rename(&tmp, path).map_err(|err| store_error("replace", path, &err)));
    if written.is_err()
        && let Err(err) = fs::remove_file(&tmp)
    {
        tracing::warn!("cannot remove {} after a failed save: {err}", tmp.display());
    }
    written
}

fn tighten_permissions(path: &Path) {
    if let Ok(meta) = fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!("{} was readable by others; setting it to 0600", path.display());
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
}

fn store_error(action: &str, path: &Path, err: &std::io::Error) -> ApiError {
    ApiError::Store(format!("cannot {action} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(hardware_id: &str) -> Session {
        Session {
            access_token: Secret::new("access-abc"),
            refresh_token: Secret::new("refresh-def"),
            expires_at: Timestamp::now().as_second() + 3600,
            tier: "u014".into(),
            account_id: 42,
            hardware_id: hardware_id.into(),
            client_id: None,
            user_id: None,
            email: Some("me@example.com".into()),
            issued_at_ms: 0,
        }
    }

    #[test]
    fn session_round_trips_in_a_0600_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().join("state"));
        assert_eq!(store.load().expect("load"), None);
        let session = sample("HW");
        store.save(&session).expect("save");
        assert_eq!(store.load().expect("load"), Some(session));
        let mode = fs::metadata(store.session_path()).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(store.dir()).expect("meta").permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }

    #[test]
    fn clear_keeps_the_hardware_id() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        let id = store.hardware_id().expect("id");
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        assert_eq!(id, id.to_uppercase());
        store.save(&sample(&id)).expect("save");
        assert!(store.clear().expect("clear"));
        assert!(!store.clear().expect("clear twice"));
        assert_eq!(store.hardware_id().expect("id again"), id);
    }

    #[test]
    fn a_corrupt_file_needs_a_login_and_its_content_is_not_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        fs::write(store.session_path(), r#"{"access_token": "tok-secret", "expires_at": "tok-2"}"#)
            .expect("write");
        let err = store.load().expect_err("corrupt");
        assert!(matches!(err, ApiError::LoginRequired(_)), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("blinktui login") && text.contains("damaged"), "{text}");
        assert!(!text.contains("tok-"), "{text}");
    }

    #[test]
    fn a_garbage_hardware_id_is_replaced_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        fs::write(dir.path().join(HARDWARE_ID_FILE), b"\xff\xfe garbage").expect("garbage");
        let (id, warning) = store.hardware_id_noting_replacement().expect("replaced");
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        assert!(warning.is_some_and(|w| w.contains("new device")));
        assert_eq!(store.hardware_id_noting_replacement().expect("kept"), (id, None));
    }

    #[test]
    fn loose_permissions_are_tightened_on_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        store.save(&sample("HW")).expect("save");
        fs::set_permissions(store.session_path(), fs::Permissions::from_mode(0o644)).expect("chmod");
        store.load().expect("load");
        let mode = fs::metadata(store.session_path()).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    /// A save that fails keeps the previous file and leaves no temporary file.
    fn assert_failed_save_keeps(store: &SessionStore, previous: &Session) {
        let mut newer = previous.clone();
        newer.refresh_token = Secret::new("refresh-rotated");
        let err = store.save(&newer).expect_err("the save fails");
        assert!(matches!(err, ApiError::Store(_)), "{err:?}");
        assert_eq!(store.load().expect("load").as_ref(), Some(previous), "the previous session stays");
        // Directories are not temporary files this store made.
        let left: Vec<_> = fs::read_dir(store.dir())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    #[test]
    fn a_full_disk_keeps_the_previous_session_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        let previous = sample("HW");
        store.save(&previous).expect("save");
        // Writes to /dev/full fail with ENOSPC, as on a full disk, even for root.
        std::os::unix::fs::symlink("/dev/full", store.temp_path()).expect("symlink");
        assert_failed_save_keeps(&store, &previous);
        assert!(fs::symlink_metadata(store.temp_path()).is_err(), "the temporary path is gone");
        store.save(&sample("HW")).expect("saves work again");
    }

    #[test]
    fn an_unwritable_temporary_path_keeps_the_previous_session() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        let previous = sample("HW");
        store.save(&previous).expect("save");
        fs::create_dir(store.temp_path()).expect("a directory in the way");
        assert_failed_save_keeps(&store, &previous);
    }

    #[test]
    fn a_read_only_directory_keeps_the_previous_session() {
        if rustix::process::geteuid().is_root() {
            // Root writes into read-only directories: the full-disk test covers this case.
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path().join("state"));
        let previous = sample("HW");
        store.save(&previous).expect("save");
        fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o500)).expect("chmod");
        let mut newer = previous.clone();
        newer.refresh_token = Secret::new("refresh-rotated");
        let result = store.save(&newer);
        fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o700)).expect("chmod back");
        assert!(result.is_err());
        assert_eq!(store.load().expect("load"), Some(previous));
    }

    #[test]
    fn temporary_files_of_killed_saves_are_removed_when_old() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SessionStore::new(dir.path());
        let old = dir.path().join(".session.json.99999999.tmp");
        let recent = dir.path().join(".session.json.99999998.tmp");
        for path in [&old, &recent] {
            fs::write(path, "{").expect("leftover");
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options()
            .write(true)
            .open(&old)
            .and_then(|f| f.set_modified(two_hours_ago))
            .expect("age it");
        store.save(&sample("HW")).expect("save");
        assert!(!old.exists(), "an old leftover goes");
        assert!(recent.exists(), "a recent one may be another process's save in progress");
    }

    #[test]
    fn expiry_margin() {
        let mut session = sample("HW");
        assert!(!session.expires_within(60));
        session.expires_at = Timestamp::now().as_second() + 30;
        assert!(session.expires_within(60));
    }
}
