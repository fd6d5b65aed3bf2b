//! `blinktui sim`: the simulated Blink cloud as a standalone server.

use std::time::Duration;

use crate::cli::{SimArgs, SimLenientRule};
use crate::context::CliError;
use crate::output::say;
use crate::sim::request_log::RequestLog;
use crate::sim::{Leniency, LenientRule, SimConfig, Simulator, TwoFactorStyle, demo};

pub async fn run_simulator(args: &SimArgs) -> Result<(), CliError> {
    let config = SimConfig {
        seed: args.seed,
        two_factor: args.two_factor.then_some(TwoFactorStyle::Accepted202),
        token_lifetime: Duration::from_secs(args.token_lifetime.max(1)),
        command_delay: Duration::from_millis(args.command_delay),
        motion_interval: (args.motion_every > 0).then(|| Duration::from_secs(args.motion_every)),
        lenient: leniency(args.lenient.as_deref()),
        ..SimConfig::default()
    };
    let lenient = config.lenient;
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
    for rule in &args.faults {
        sim.faults().inject(rule.method.as_deref(), &rule.pattern, rule.fault.clone(), None);
    }
    let url = sim.url();
    say!("Simulated Blink cloud on {url} (OAuth and REST hosts on one port)");
    say!();
    say!("  e-mail    {}", demo::DEMO_EMAIL);
    say!("  password  {}", demo::DEMO_PASSWORD);
    if args.two_factor {
        say!("  2FA code  {}", demo::DEMO_2FA_CODE);
    }
    if !lenient.is_strict() {
        say!();
        say!("Lenient, unlike Blink: {}", relaxed(&lenient).join(", "));
    }
    for rule in &args.faults {
        let method = rule.method.as_deref().unwrap_or("any method");
        say!("Fault: {method} {} gets {:?}", rule.pattern, rule.fault);
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

/// `--lenient` alone relaxes every rule; with names, only those.
fn leniency(rules: Option<&[SimLenientRule]>) -> Leniency {
    match rules {
        None => Leniency::default(),
        Some([]) => Leniency::all(),
        Some(named) => Leniency::only(
            &named
                .iter()
                .map(|rule| match rule {
                    SimLenientRule::LiveviewToken => LenientRule::LiveviewToken,
                    SimLenientRule::RefreshClientId => LenientRule::RefreshClientId,
                    SimLenientRule::UsbPreviousManifest => LenientRule::UsbPreviousManifest,
                })
                .collect::<Vec<_>>(),
        ),
    }
}

fn relaxed(lenient: &Leniency) -> Vec<&'static str> {
    [
        (lenient.liveview_token, "a zero liveview token at the relay"),
        (lenient.refresh_client_id, "refresh with client id android"),
        (lenient.usb_previous_manifest, "USB clips under an earlier manifest id"),
    ]
    .into_iter()
    .filter_map(|(on, what)| on.then_some(what))
    .collect()
}
