//! Where blinktui keeps things: config, state (session, hardware id, log) and cache.

use std::path::PathBuf;

use directories::ProjectDirs;

use crate::config::ConfigError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub state_dir: PathBuf,
    pub cache_dir: PathBuf,
}

impl Paths {
    /// Platform directories, each overridable: `BLINKTUI_CONFIG` (a file), `BLINKTUI_STATE_DIR`,
    /// `BLINKTUI_CACHE_DIR` (handy for a second Blink account).
    pub fn discover(config_file: Option<PathBuf>) -> Result<Self, ConfigError> {
        let env_dir = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dirs = ProjectDirs::from("", "", "blinktui");
        let from_dirs =
            |pick: fn(&ProjectDirs) -> PathBuf| dirs.as_ref().map(pick).ok_or(ConfigError::NoHome);
        Ok(Self {
            config_file: match config_file.or_else(|| env_dir("BLINKTUI_CONFIG")) {
                Some(file) => file,
                None => from_dirs(|d| d.config_dir().join("config.toml"))?,
            },
            state_dir: match env_dir("BLINKTUI_STATE_DIR") {
                Some(dir) => dir,
                // macOS and Windows have no state directory: keep state with local data.
                None => from_dirs(|d| d.state_dir().unwrap_or_else(|| d.data_local_dir()).to_owned())?,
            },
            cache_dir: match env_dir("BLINKTUI_CACHE_DIR") {
                Some(dir) => dir,
                None => from_dirs(|d| d.cache_dir().to_owned())?,
            },
        })
    }

    pub fn log_file(&self) -> PathBuf {
        self.state_dir.join("blinktui.log")
    }

    pub fn clips_dir(&self) -> PathBuf {
        self.cache_dir.join("clips")
    }
}
