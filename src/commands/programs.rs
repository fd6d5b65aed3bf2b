//! `blinktui programs` and `blinktui program enable|disable`.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::control::make;
use super::resolve;
use crate::api::change::Change;
use crate::api::models::Program;
use crate::app::clocks::{zone_named, zoned_text};
use crate::cli::ProgramAction;
use crate::context::{CliError, Context};
use crate::output::{print_json, say, table};
use crate::schedule::{describe, next_action};

#[derive(Serialize)]
struct ProgramDocument<'a> {
    id: u64,
    name: &'a str,
    network_id: u64,
    network: &'a str,
    enabled: bool,
    next_action: Option<String>,
    next_at: Option<String>,
    schedule: &'a [crate::api::models::ScheduleEntry],
}

/// Every network's programs, with the network's name.
async fn all_programs(
    ctx: &Context,
) -> Result<(crate::api::BlinkClient, Vec<(String, Option<String>, Program)>), CliError> {
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let mut programs = Vec::new();
    for network in &home.networks {
        for program in client.programs(network.id).await? {
            programs.push((network.name.clone(), network.time_zone.clone(), program));
        }
    }
    Ok((client, programs))
}

pub async fn list(ctx: &Context, json: bool) -> Result<(), CliError> {
    let (_, programs) = all_programs(ctx).await?;
    let now = Timestamp::now();
    if json {
        let documents: Vec<_> = programs
            .iter()
            .map(|(network, _, p)| {
                let next = next_action(p, now);
                ProgramDocument {
                    id: p.id,
                    name: &p.name,
                    network_id: p.network_id,
                    network,
                    enabled: p.is_enabled(),
                    next_action: next.as_ref().map(|n| n.action.clone()),
                    next_at: next.map(|n| n.at.to_string()),
                    schedule: &p.schedule,
                }
            })
            .collect();
        return print_json(&documents);
    }
    // In the network's zone, labelled when it is not this machine's, as the UI shows them.
    let machine = TimeZone::system();
    let rows = programs.iter().map(|(network, zone, p)| {
        let zone = zone_named(zone.as_deref());
        let next = next_action(p, now).map_or_else(
            || "-".to_owned(),
            |n| format!("{} {}", n.action, zoned_text(n.at, &zone, &machine, "%a %H:%M")),
        );
        vec![
            p.name.clone(),
            p.id.to_string(),
            network.clone(),
            if p.is_enabled() { "enabled" } else { "disabled" }.to_owned(),
            next,
            describe(p, &zone),
        ]
    });
    say!("{}", table(&["PROGRAM", "ID", "NETWORK", "STATE", "NEXT", "SCHEDULE"], rows));
    Ok(())
}

pub async fn set(
    ctx: &Context,
    action: ProgramAction,
    query: &str,
    network: Option<&str>,
) -> Result<(), CliError> {
    let enable = action == ProgramAction::Enable;
    ctx.refuse_in_read_only(if enable { "enabling a program" } else { "disabling a program" })?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let networks = match network {
        Some(query) => vec![resolve::network(&home, query)?],
        None => home.networks.iter().collect(),
    };
    let mut programs = Vec::new();
    for network in networks {
        programs.extend(client.programs(network.id).await?);
    }
    let program = resolve::program(&programs, query)?;
    let change = Change::Program { network: program.network_id, program: program.id, enable };
    make(&client, &change, &program.name, false).await
}
