//! `blinktui sim`: the simulated Blink cloud as a standalone server.

use std::time::Duration;

use super::CliError;
use super::output::say;
use crate::cli::SimArgs;
use crate::sim::request_log::RequestLog;
use crate::sim::{SimConfig, Simulator, TwoFactorStyle, demo};

pub async fn run_simulator(args: &SimArgs) -> Result<(), CliError> {
    let config = SimConfig {
        seed: args.seed,
        two_factor: args.two_factor.then_some(TwoFactorStyle::Accepted202),
        token_lifetime: Duration::from_secs(args.token_lifetime.max(1)),
        command_delay: Duration::from_millis(args.command_delay),
        motion_interval: (args.motion_every > 0).then(|| Duration::from_secs(args.motion_every)),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config, args.port)
        .await
        .map_err(|err| CliError::Failed(format!("cannot listen on 127.0.0.1:{}: {err}", args.port)))?;
    if let Some(path) = &args.log {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|err| CliError::Failed(format!("cannot open {}: {err}", path.display())))?;
        sim.faults().log_to(RequestLog::new(Box::new(file)));
    }
    let url = sim.url();
    say!("Simulated Blink cloud on {url} (OAuth and REST hosts on one port)");
    say!();
    say!("  e-mail    {}", demo::DEMO_EMAIL);
    say!("  password  {}", demo::DEMO_PASSWORD);
    if args.two_factor {
        say!("  2FA code  {}", demo::DEMO_2FA_CODE);
    }
    say!();
    say!("Point blinktui at it from another terminal:");
    say!("  export BLINKTUI_OAUTH_URL={url} BLINKTUI_REST_URL={url}");
    say!("  blinktui login --email {}", demo::DEMO_EMAIL);
    say!();
    say!("Ctrl-C stops it.");
    tokio::signal::ctrl_c().await?;
    sim.stop().await;
    Ok(())
}
