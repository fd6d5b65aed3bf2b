//! What every entry point (the UI, the one-shot commands, watch) shares: the context resolved
//! from config, environment and flags, and the error they end with, with its exit code.

use std::sync::{Mutex, PoisonError};

use crate::api::{ApiError, BatchError, BlinkClient, ClientOptions, LoginFailure, SessionStore};
use crate::config::{Config, ConfigError};
use crate::paths::Paths;
use crate::when::SinceError;

/// Everything a subcommand needs, resolved from config, environment and flags.
pub struct Context {
    pub config: Config,
    pub paths: Paths,
    pub options: ClientOptions,
    pub read_only: bool,
    /// Every client handed out, to report a session that could not be saved.
    clients: Mutex<Vec<BlinkClient>>,
}

impl Context {
    pub fn new(config: Config, paths: Paths, options: ClientOptions, read_only: bool) -> Self {
        Self { config, paths, options, read_only, clients: Mutex::default() }
    }

    pub fn store(&self) -> SessionStore {
        SessionStore::new(&self.paths.state_dir)
    }

    pub fn client(&self) -> Result<BlinkClient, CliError> {
        let client = BlinkClient::from_store(self.options.clone(), self.store())?;
        self.clients.lock().unwrap_or_else(PoisonError::into_inner).push(client.clone());
        Ok(client)
    }

    /// What went wrong saving the session during the command, for stderr: a refreshed token
    /// that is not on disk means a login at the next run, which a script must hear about.
    pub fn session_warnings(&self) -> Vec<String> {
        let clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let mut warnings: Vec<String> =
            clients.iter().filter_map(BlinkClient::session_save_failure).map(|f| f.to_string()).collect();
        warnings.dedup();
        warnings
    }

    pub fn refuse_in_read_only(&self, what: &str) -> Result<(), CliError> {
        if self.read_only {
            return Err(CliError::Usage(format!(
                "--read-only: {what} would change Blink, so it is not sent"
            )));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line asked for something impossible: exit code 2.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A list of events Blink refused part of; the message says how far it got.
    #[error(transparent)]
    Batch(#[from] BatchError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// 0 ok, 1 failure, 2 usage, 3 login needed, 4 rate limited, 5 Blink command failed,
    /// 6 outcome unknown (the change may or may not have been made).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) | Self::Config(_) => 2,
            Self::Failed(_) => 1,
            Self::Api(err) | Self::Batch(BatchError { error: err, .. }) => api_exit_code(err),
        }
    }
}

fn api_exit_code(err: &ApiError) -> u8 {
    match err {
        ApiError::LoginRequired(_) | ApiError::Unauthorized => 3,
        ApiError::Login(LoginFailure::InvalidCredentials | LoginFailure::InvalidCode) => 3,
        ApiError::RateLimited { .. } => 4,
        ApiError::CommandFailed { .. } => 5,
        ApiError::OutcomeUnknown { .. } | ApiError::CommandTimedOut { .. } => 6,
        _ => 1,
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        Self::Failed(err.to_string())
    }
}

impl From<SinceError> for CliError {
    fn from(err: SinceError) -> Self {
        Self::Usage(format!("--since {err}"))
    }
}
