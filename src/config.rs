//! Configuration: a TOML file in the platform config directory, overlaid by environment
//! variables and command-line flags. Every default lives here, in [`Config::default`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::body::MIB;
use crate::api::endpoints::{DEFAULT_OAUTH_URL, DEFAULT_REST_URL};
use crate::api::{BodyLimits, ClientOptions, Endpoints, RetryPolicy};

/// The shortest automatic refresh allowed: Blink flags accounts that poll faster.
pub const MIN_REFRESH_SECS: u64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is invalid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config: {0}")]
    Invalid(String),
    #[error("cannot find a home directory for config and state files; set HOME")]
    NoHome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GraphicsMode {
    /// Ask the terminal what it supports.
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    /// Unicode half blocks: works everywhere with colour.
    Halfblocks,
    /// No pictures.
    None,
}

/// Colours for the terminal's background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeMode {
    /// Ask the terminal for its background colour; dark when it does not say.
    #[default]
    Auto,
    Dark,
    Light,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Used by `blinktui login` when `--email` is not given.
    pub email: Option<String>,
    pub oauth_url: String,
    /// `{tier}` is replaced by the account's tier; without it every call goes to this base.
    pub rest_url: String,
    /// Automatic refresh of the screen, in seconds (at least 30).
    pub refresh_interval_secs: u64,
    pub graphics: GraphicsMode,
    /// `auto`, `dark` or `light` (colours for a dark or a light terminal background); `auto`
    /// asks the terminal. `NO_COLOR` wins over it.
    pub theme: ThemeMode,
    /// Command that plays a clip; `{file}` is replaced by the path (appended when absent).
    pub player: Option<String>,
    /// Where clips are saved (default: the current directory for `download`, the cache for
    /// the UI).
    pub download_dir: Option<PathBuf>,
    /// Ring the terminal bell on new motion.
    pub bell: bool,
    /// Clicks select and the wheel scrolls (on by default, as in k9s and lazygit; terminals
    /// then select text with Shift held).
    pub mouse: bool,
    /// Ask before disarming, deleting, and switching programs.
    pub confirm: bool,
    /// At the end of a clip played with `o`, the next event of the list plays.
    pub autoplay: bool,
    /// Key bindings: action name to one key or a list of keys, e.g. `arm = "a"`.
    pub keys: BTreeMap<String, KeySpec>,
    pub politeness: Politeness,
    pub http: HttpConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl KeySpec {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Self::One(key) => vec![key.as_str()],
            Self::Many(keys) => keys.iter().map(String::as_str).collect(),
        }
    }
}

/// How hard blinktui leans on Blink's servers. The defaults follow what keeps accounts from
/// being throttled or locked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Politeness {
    pub request_timeout_secs: u64,
    pub command_poll_ms: u64,
    pub command_timeout_secs: u64,
    /// Pause between two commands (arm, snapshot, ...).
    pub command_spacing_ms: u64,
    /// Pause between two clip downloads.
    pub download_delay_ms: u64,
    /// Pictures (thumbnails) fetched at once: the grid fetches those on screen this many at a
    /// time.
    pub picture_fetches: usize,
    /// Retries of a failed read (never of a command).
    pub max_retries: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// `User-Agent` of REST requests (default: modelled on Blink's Android app); `""` sends
    /// none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The largest answer, picture and clip read, in MiB: a server that sends more is cut off
    /// there, so an endless or huge body cannot fill memory or disk.
    pub max_json_mb: u64,
    pub max_image_mb: u64,
    pub max_clip_mb: u64,
    /// Extra headers on every REST request, e.g. `APP-BUILD`.
    pub headers: BTreeMap<String, String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        let limits = BodyLimits::default();
        Self {
            user_agent: None,
            max_json_mb: limits.json / MIB,
            max_image_mb: limits.image / MIB,
            max_clip_mb: limits.clip / MIB,
            headers: BTreeMap::new(),
        }
    }
}

impl HttpConfig {
    pub fn limits(&self) -> BodyLimits {
        let bytes = |mb: u64| mb.saturating_mul(MIB);
        BodyLimits {
            json: bytes(self.max_json_mb),
            image: bytes(self.max_image_mb),
            clip: bytes(self.max_clip_mb),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            email: None,
            oauth_url: DEFAULT_OAUTH_URL.into(),
            rest_url: DEFAULT_REST_URL.into(),
            refresh_interval_secs: 60,
            graphics: GraphicsMode::Auto,
            theme: ThemeMode::Auto,
            player: None,
            download_dir: None,
            bell: false,
            mouse: true,
            confirm: true,
            autoplay: true,
            keys: BTreeMap::new(),
            politeness: Politeness::default(),
            http: HttpConfig::default(),
        }
    }
}

impl Default for Politeness {
    fn default() -> Self {
        Self {
            request_timeout_secs: 10,
            command_poll_ms: 1000,
            command_timeout_secs: 120,
            command_spacing_ms: 5000,
            download_delay_ms: 1000,
            picture_fetches: 3,
            max_retries: 3,
        }
    }
}

/// Overrides from the environment and the command line, applied over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub oauth_url: Option<String>,
    pub rest_url: Option<String>,
    pub graphics: Option<GraphicsMode>,
    pub bell: bool,
}

impl Config {
    /// Reads the file at the default place; a missing one means the defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        Self::read(path, false)
    }

    /// Reads a file the user named (`--config`, `BLINKTUI_CONFIG`): it must exist, or a typo
    /// in its name would silently run with the defaults.
    pub fn load_named(path: &Path) -> Result<Self, ConfigError> {
        Self::read(path, true)
    }

    fn read(path: &Path, must_exist: bool) -> Result<Self, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Self::default());
            }
            Err(source) => {
                return Err(ConfigError::Read { path: path.to_owned(), source });
            }
        };
        let config: Self = toml::from_str(&text).map_err(|err| ConfigError::Parse {
            path: path.to_owned(),
            message: err.to_string().trim().to_owned(),
        })?;
        let mut config = config;
        config.download_dir = config.download_dir.map(|dir| expand_home(&dir));
        config.validate()?;
        Ok(config)
    }

    pub fn apply(&mut self, overrides: &Overrides) -> Result<(), ConfigError> {
        if let Some(url) = &overrides.oauth_url {
            self.oauth_url.clone_from(url);
        }
        if let Some(url) = &overrides.rest_url {
            self.rest_url.clone_from(url);
        }
        if let Some(graphics) = overrides.graphics {
            self.graphics = graphics;
        }
        self.bell |= overrides.bell;
        self.validate()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        Endpoints::new(&self.oauth_url, &self.rest_url)
            .map_err(|err| ConfigError::Invalid(err.to_string()))?;
        if self.refresh_interval_secs < MIN_REFRESH_SECS {
            return Err(ConfigError::Invalid(format!(
                "refresh_interval_secs = {} is below the minimum of {MIN_REFRESH_SECS} (faster polling gets \
                 Blink accounts throttled); press r to refresh on demand",
                self.refresh_interval_secs
            )));
        }
        let p = &self.politeness;
        if p.command_poll_ms < 100 || p.command_timeout_secs == 0 || p.request_timeout_secs == 0 {
            return Err(ConfigError::Invalid(
                "politeness: command_poll_ms must be at least 100 and the timeouts above 0".into(),
            ));
        }
        if !(1..=8).contains(&p.picture_fetches) {
            return Err(ConfigError::Invalid(format!(
                "politeness: picture_fetches = {} must be between 1 and 8 (more at once is a burst \
                 Blink may throttle)",
                p.picture_fetches
            )));
        }
        let h = &self.http;
        if h.max_json_mb == 0 || h.max_image_mb == 0 || h.max_clip_mb == 0 {
            return Err(ConfigError::Invalid(
                "http: max_json_mb, max_image_mb and max_clip_mb must be at least 1".into(),
            ));
        }
        if let Some(email) = &self.email
            && !email.contains('@')
        {
            return Err(ConfigError::Invalid(format!("email {email:?} is not an e-mail address")));
        }
        self.validate_http()
    }

    /// Header names and values are checked here, so a mistake is a config error at start and
    /// not a failure of the first request.
    fn validate_http(&self) -> Result<(), ConfigError> {
        if self.http.user_agent.is_some()
            && self.http.headers.keys().any(|name| name.eq_ignore_ascii_case("user-agent"))
        {
            return Err(ConfigError::Invalid(
                "http: the User-Agent is set twice, in user_agent and in [http.headers]; keep one".into(),
            ));
        }
        self.client_options()?.headers().map_err(|err| ConfigError::Invalid(format!("http: {err}")))?;
        Ok(())
    }

    pub fn endpoints(&self) -> Result<Endpoints, ConfigError> {
        Endpoints::new(&self.oauth_url, &self.rest_url).map_err(|err| ConfigError::Invalid(err.to_string()))
    }

    pub fn client_options(&self) -> Result<ClientOptions, ConfigError> {
        let p = &self.politeness;
        let defaults = ClientOptions::default();
        Ok(ClientOptions {
            endpoints: self.endpoints()?,
            request_timeout: Duration::from_secs(p.request_timeout_secs),
            command_poll_interval: Duration::from_millis(p.command_poll_ms),
            command_timeout: Duration::from_secs(p.command_timeout_secs),
            command_spacing: Duration::from_millis(p.command_spacing_ms),
            retry: RetryPolicy { max_retries: p.max_retries, ..RetryPolicy::default() },
            user_agent: self.http.user_agent.clone().unwrap_or_else(|| defaults.user_agent.clone()),
            extra_headers: self.http.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            limits: self.http.limits(),
            ..defaults
        })
    }

    pub fn refresh_interval(&self) -> Duration {
        Duration::from_secs(self.refresh_interval_secs)
    }

    pub fn download_delay(&self) -> Duration {
        Duration::from_millis(self.politeness.download_delay_ms)
    }

    /// The defaults as a commented TOML document, for `blinktui info --default-config`.
    pub fn default_toml() -> String {
        toml::to_string_pretty(&Self::default()).unwrap_or_default()
    }
}

/// `~/x` means the home directory's `x`, as in a shell.
fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write");
        Config::load(&path)
    }

    #[test]
    fn the_mouse_is_on_unless_the_config_turns_it_off() {
        assert!(load_text("").expect("empty").mouse);
        assert!(!load_text("mouse = false").expect("off").mouse);
    }

    #[test]
    fn a_missing_file_means_defaults() {
        let config = Config::load(Path::new("/nonexistent/blinktui/config.toml")).expect("defaults");
        assert_eq!(config, Config::default());
        assert_eq!(config.refresh_interval(), Duration::from_secs(60));
    }

    #[test]
    fn a_named_file_must_exist() {
        let err = Config::load_named(Path::new("/nonexistent/blinktui/config.toml")).expect_err("named");
        assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
        assert!(err.to_string().contains("/nonexistent/blinktui/config.toml"), "{err}");
    }

    #[test]
    fn headers_are_checked_when_the_config_is_read() {
        let err = load_text("[http.headers]\n\"Bad Header\" = \"x\"\n").expect_err("bad name");
        assert!(err.to_string().contains("Bad Header"), "{err}");
        let err = load_text("[http]\nuser_agent = \"a\\nb\"\n").expect_err("bad value");
        assert!(err.to_string().contains("user agent"), "{err}");
        let err = load_text("[http]\nuser_agent = \"A/1\"\n[http.headers]\n\"user-agent\" = \"B/2\"\n")
            .expect_err("twice");
        assert!(err.to_string().contains("twice"), "{err}");
        let config = load_text("[http]\nuser_agent = \"Blink/52.0\"\n").expect("valid");
        assert_eq!(config.client_options().expect("options").user_agent, "Blink/52.0");
        assert_eq!(
            Config::default().client_options().expect("options").user_agent,
            crate::api::DEFAULT_USER_AGENT
        );
    }

    #[test]
    fn reads_every_section() {
        let config = load_text(
            r#"
            email = "me@example.com"
            refresh_interval_secs = 120
            graphics = "sixel"
            theme = "light"
            player = "mpv --really-quiet {file}"
            bell = true
            [keys]
            arm = "A"
            quit = ["q", "ctrl-c"]
            [politeness]
            command_spacing_ms = 8000
            [http]
            max_clip_mb = 50
            [http.headers]
            "User-Agent" = "Blink/50.1"
            "#,
        )
        .expect("valid");
        assert_eq!(config.graphics, GraphicsMode::Sixel);
        assert_eq!(config.theme, ThemeMode::Light);
        assert_eq!(config.keys["quit"].keys(), ["q", "ctrl-c"]);
        let options = config.client_options().expect("options");
        assert_eq!(options.command_spacing, Duration::from_secs(8));
        assert_eq!(options.extra_headers, [("User-Agent".to_owned(), "Blink/50.1".to_owned())]);
        assert_eq!(options.limits, BodyLimits { clip: 50 * MIB, ..BodyLimits::default() });
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let err = load_text("refresh_intervl_secs = 60\n").expect_err("typo");
        let message = err.to_string();
        assert!(message.contains("refresh_intervl_secs") && message.contains("config.toml"), "{message}");
        let err = load_text("graphics = \"pixels\"\n").expect_err("bad value");
        assert!(err.to_string().contains("pixels"), "{err}");
        let err = load_text("theme = \"solarized\"\n").expect_err("bad theme");
        assert!(err.to_string().contains("solarized"), "{err}");
        let err = load_text("refresh_interval_secs = 5\n").expect_err("too fast");
        assert!(err.to_string().contains("minimum"), "{err}");
        let err = load_text("rest_url = \"http://blink.example.com\"\n").expect_err("plain http");
        assert!(err.to_string().contains("plain http"), "{err}");
        let err = load_text("[http]\nmax_json_mb = 0\n").expect_err("no answer could be read");
        assert!(err.to_string().contains("max_json_mb"), "{err}");
        let err = load_text("[politeness]\npicture_fetches = 20\n").expect_err("a burst");
        assert!(err.to_string().contains("picture_fetches = 20"), "{err}");
        let config = load_text("[politeness]\npicture_fetches = 2\n").expect("two at once");
        assert_eq!(config.politeness.picture_fetches, 2);
    }

    #[test]
    fn overrides_win_over_the_file() {
        let mut config = load_text("rest_url = \"https://a.example.com\"\n").expect("valid");
        config
            .apply(&Overrides {
                rest_url: Some("http://127.0.0.1:9".into()),
                bell: true,
                ..Overrides::default()
            })
            .expect("valid");
        assert_eq!((config.rest_url.as_str(), config.bell), ("http://127.0.0.1:9", true));
    }

    #[test]
    fn a_tilde_means_home() {
        let config = load_text("download_dir = \"~/Videos/blink\"\n").expect("valid");
        let dir = config.download_dir.expect("set");
        assert!(!dir.starts_with("~") && dir.ends_with("Videos/blink"), "{}", dir.display());
    }

    #[test]
    fn the_default_document_loads_back() {
        let text = Config::default_toml();
        assert!(text.contains("refresh_interval_secs = 60") && text.contains("theme = \"auto\""), "{text}");
        assert_eq!(load_text(&text).expect("valid"), Config::default());
    }
}
