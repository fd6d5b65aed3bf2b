//! `blinktui snooze TARGET DURATION` and `blinktui unsnooze TARGET`: a network or a camera,
//! named as everywhere else; a name that fits both a network and a camera is refused.

use super::control::make;
use super::resolve;
use crate::api::DeviceRef;
use crate::api::change::Change;
use crate::api::models::Homescreen;
use crate::api::snooze::{SnoozeTarget, parse_duration};
use crate::context::{CliError, Context};

pub async fn snooze(ctx: &Context, target: &str, duration: &str) -> Result<(), CliError> {
    ctx.refuse_in_read_only("snoozing")?;
    let minutes = parse_duration(duration).ok_or_else(|| {
        CliError::Usage(format!("cannot read {duration:?} as a duration: use 30m, 1h, 4h, 2d or forever"))
    })?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (target, name) = resolve_target(&home, target)?;
    make(&client, &Change::Snooze { target, minutes: Some(minutes) }, &name, false).await
}

pub async fn unsnooze(ctx: &Context, target: &str) -> Result<(), CliError> {
    ctx.refuse_in_read_only("unsnoozing")?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (target, name) = resolve_target(&home, target)?;
    make(&client, &Change::Snooze { target, minutes: None }, &name, false).await
}

/// A network or a device by id or name; both matching is an error naming the two.
fn resolve_target(home: &Homescreen, query: &str) -> Result<(SnoozeTarget, String), CliError> {
    match (resolve::network(home, query), resolve::device(home, query)) {
        (Ok(network), Err(_)) => Ok((SnoozeTarget::Network(network.id), network.name.clone())),
        (Err(_), Ok((kind, device))) => {
            Ok((SnoozeTarget::Device(DeviceRef::new(kind, device)), device.name.clone()))
        }
        (Ok(network), Ok((_, device))) => Err(CliError::Usage(format!(
            "{query:?} names the network {} (id {}) and the camera {} (id {}); use the id",
            network.name, network.id, device.name, device.id
        ))),
        (Err(CliError::Usage(network)), Err(CliError::Usage(device))) => {
            Err(CliError::Usage(format!("{network}; {device}")))
        }
        (Err(err), Err(_)) => Err(err),
    }
}
