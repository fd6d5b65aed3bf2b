//! One-shot subcommands for scripts: thin over the client, sharing the session with the UI.

pub mod account;
mod batch;
mod control;
mod events;
pub mod live;
mod local;
mod notifications;
pub mod play;
mod programs;
pub mod resolve;
mod simulate;
mod snooze;
mod status;
mod watched;

use crate::cli::Command;
pub use crate::context::{CliError, Context};

pub use simulate::run_simulator;

/// Runs a one-shot `command`.
pub async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Login { email } => account::login(ctx, email).await,
        Command::Logout => account::logout(ctx).await,
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
        Command::Watched { ids, all } => watched::mark(ctx, &ids, all).await,
        Command::Programs { json } => programs::list(ctx, json).await,
        Command::Program { action, program, network } => {
            programs::set(ctx, action, &program, network.as_deref()).await
        }
        Command::Snooze { target, duration } => snooze::snooze(ctx, &target, &duration).await,
        Command::Unsnooze { target } => snooze::unsnooze(ctx, &target).await,
        Command::Local { action } => local::run(ctx, action).await,
        Command::Info { .. }
        | Command::Play { .. }
        | Command::Live { .. }
        | Command::Watch(_)
        | Command::Completions { .. }
        | Command::Sim(_) => Err(CliError::Failed("started by main, not here".into())),
    }
}
