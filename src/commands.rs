//! One-shot subcommands for scripts: thin over the client, sharing the session with the UI.

mod account;
mod batch;
mod control;
mod events;
mod live;
mod local;
mod notifications;
pub(crate) mod output;
mod play;
mod programs;
pub mod resolve;
mod simulate;
mod snooze;
mod status;
mod watch;
mod watched;
pub mod when;

use std::sync::{Mutex, PoisonError};

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

/// Runs `command`; a session that could not be saved meanwhile is reported on stderr whether
/// the command worked or not.
pub async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    let result = run_command(command, ctx).await;
    for warning in ctx.session_warnings() {
        output::warn(&warning);
    }
    result
}

async fn run_command(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Login { email } => account::login(ctx, email).await,
        Command::Logout => account::logout(ctx).await,
        Command::Info { blink } => account::info(ctx, blink).await,
        Command::Notifications { set, json } => notifications::notifications(ctx, &set, json).await,
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
        Command::Play { target, .. } => play::play(ctx, &target).await,
        Command::Watched { ids, all } => watched::mark(ctx, &ids, all).await,
        Command::Programs { json } => programs::list(ctx, json).await,
        Command::Program { action, program, network } => {
            programs::set(ctx, action, &program, network.as_deref()).await
        }
        Command::Snooze { target, duration } => snooze::snooze(ctx, &target, &duration).await,
        Command::Unsnooze { target } => snooze::unsnooze(ctx, &target).await,
        Command::Watch(args) => watch::watch(ctx, *args).await,
        Command::Local { action } => local::run(ctx, action).await,
        Command::Live { camera, seconds, output, .. } => live::live(ctx, &camera, seconds, output).await,
        Command::Completions { .. } | Command::Sim(_) => {
            Err(CliError::Failed("handled before the client starts".into()))
        }
    }
}
