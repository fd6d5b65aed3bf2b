//! blinktui: the terminal UI, one-shot commands, and the simulator, in one binary.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use blinktui::cli::{Cli, Command};
use blinktui::commands;
use blinktui::config::{Config, Overrides};
use blinktui::context::{CliError, Context};
use blinktui::demo::DemoEnv;
use blinktui::paths::Paths;
use blinktui::sim::demo;
use blinktui::{logging, output, tui, watch};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Completions { shell }) = &cli.command {
        clap_complete::generate(*shell, &mut Cli::command(), "blinktui", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("blinktui: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    // Work still running on blocking threads (a clip's decoder, a file write) gets a moment to
    // end; quitting never waits on it longer.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors carry Blink's own messages: never let them act on the terminal.
            eprintln!("blinktui: {}", blinktui::sanitize::clean(&err.to_string()));
            ExitCode::from(err.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let global = &cli.global;
    let mut paths = Paths::discover(global.config.clone())?;
    // A file the user named must exist; only the default one may be absent.
    let mut config = match global.config {
        Some(_) => Config::load_named(&paths.config_file)?,
        None => Config::load(&paths.config_file)?,
    };
    config.apply(&Overrides {
        oauth_url: global.oauth_url.clone(),
        rest_url: global.rest_url.clone(),
        graphics: cli.graphics(),
        bell: global.bell,
    })?;
    if let Some(Command::Sim(args)) = &cli.command {
        let _log = init_logging(&paths, global.verbose);
        return commands::run_simulator(args).await;
    }
    let log_in = !global.login && !matches!(cli.command, Some(Command::Login { .. }));
    let _demo = match global.demo {
        true => Some(DemoEnv::start(&mut config, &mut paths, log_in).await?),
        false => None,
    };
    let _log = init_logging(&paths, global.verbose);
    let options = config.client_options()?;
    let ctx = Context::new(config, paths, options, global.read_only);
    match cli.command {
        Some(command) => {
            let result = run_command(command, &ctx).await;
            // A refreshed token that is not on disk means a login at the next run, which a
            // script must hear about whether the command worked or not.
            for warning in ctx.session_warnings() {
                output::warn(&warning);
            }
            result
        }
        None => {
            let hint = (global.demo && global.login).then(|| {
                format!(
                    "Demo account: {} / {} (code {})",
                    demo::DEMO_EMAIL,
                    demo::DEMO_PASSWORD,
                    demo::DEMO_2FA_CODE
                )
            });
            tui::launch::run_tui(&ctx, hint).await
        }
    }
}

/// Starts the entry point of `command`: the terminal UI for what it draws, watch, or a
/// one-shot command.
async fn run_command(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Play { target, .. } => {
            let (request, title) = commands::play::play_target(ctx, &target).await?;
            tui::launch::run_play(ctx, request, title).await
        }
        Command::Live { camera, seconds, output, .. } => {
            match commands::live::live(ctx, &camera, seconds, output).await? {
                Some((request, title)) => tui::launch::run_play(ctx, request, title).await,
                None => Ok(()),
            }
        }
        Command::Info { blink } => commands::account::info(ctx, blink, &tui::info_lines(&ctx.config)).await,
        Command::Watch(args) => watch::watch(ctx, *args).await,
        other => commands::run(other, ctx).await,
    }
}

/// Starts logging; the guard writes out what is queued when dropped at the end of `run`.
fn init_logging(paths: &Paths, verbosity: u8) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    logging::init(&paths.log_file(), verbosity)
        .inspect_err(|err| {
            eprintln!("blinktui: logging disabled, cannot open {}: {err}", paths.log_file().display());
        })
        .ok()
}
