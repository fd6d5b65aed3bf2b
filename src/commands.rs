//! One-shot subcommands for scripts: thin over the client, sharing the session with the UI.

mod account;
mod control;
mod events;
mod output;
mod play;
mod programs;
pub mod resolve;
mod simulate;
mod status;
mod watched;
pub mod when;

use crate::api::{ApiError, BatchError, BlinkClient, ClientOptions, LoginFailure, SessionStore};
use crate::cli::Command;
use crate::config::{Config, ConfigError};
use crate::paths::Paths;

pub use simulate::run_simulator;

/// Everything a subcommand needs, resolved from config, environment and flags.
pub struct Context {
    pub config: Config,
    pub paths: Paths,
    pub options: ClientOptions,
    pub read_only: bool,
}

impl Context {
    pub fn store(&self) -> SessionStore {
        SessionStore::new(&self.paths.state_dir)
    }

    pub fn client(&self) -> Result<BlinkClient, CliError> {
        Ok(BlinkClient::from_store(self.options.clone(), self.store())?)
    }

    fn refuse_in_read_only(&self, what: &str) -> Result<(), CliError> {
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
    /// 0 ok, 1 failure, 2 usage, 3 login needed, 4 rate limited, 5 Blink command failed.
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
        ApiError::CommandFailed { .. } | ApiError::CommandTimedOut { .. } => 5,
        _ => 1,
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        Self::Failed(err.to_string())
    }
}

pub async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Login { email } => account::login(ctx, email).await,
        Command::Logout => account::logout(ctx).await,
        Command::Info => account::info(ctx).await,
        Command::Status { json } => status::status(ctx, json).await,
        Command::Arm(args) => control::arm(ctx, &args, true).await,
        Command::Disarm(args) => control::arm(ctx, &args, false).await,
        Command::Motion { camera, state, no_wait } => control::motion(ctx, &camera, state, no_wait).await,
        Command::Snapshot { camera, output } => control::snapshot(ctx, &camera, output).await,
        Command::Clip { camera, no_wait } => control::clip(ctx, &camera, no_wait).await,
        Command::Events { since, camera, json } => events::list(ctx, &since, camera.as_deref(), json).await,
        Command::Download { since, camera, output } => {
            events::download(ctx, &since, camera.as_deref(), output).await
        }
        Command::Play { target } => play::play(ctx, &target).await,
        Command::Watched { ids, all } => watched::mark(ctx, &ids, all).await,
        Command::Programs { json } => programs::list(ctx, json).await,
        Command::Program { action, program, network } => {
            programs::set(ctx, action, &program, network.as_deref()).await
        }
        Command::Completions { .. } | Command::Sim(_) => {
            Err(CliError::Failed("handled before the client starts".into()))
        }
    }
}
