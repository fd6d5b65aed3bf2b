//! `blinktui snooze TARGET DURATION` and `blinktui unsnooze TARGET`: a network or a camera,
//! named as everywhere else; a name that fits both a network and a camera is refused.

use super::resolve;
use crate::api::models::Homescreen;
use crate::api::snooze::{SnoozeTarget, UNTIL_UNSNOOZED_MINUTES, parse_duration};
use crate::api::{BlinkClient, DeviceRef, Started};
use crate::context::{CliError, Context};
use crate::output::say;
use crate::sanitize::clean;

pub async fn snooze(ctx: &Context, target: &str, duration: &str) -> Result<(), CliError> {
    ctx.refuse_in_read_only("snoozing")?;
    let minutes = parse_duration(duration).ok_or_else(|| {
        CliError::Usage(format!("cannot read {duration:?} as a duration: use 30m, 1h, 4h, 2d or forever"))
    })?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (target, name) = resolve_target(&home, target)?;
    let started = client.snooze(&target, minutes).await?;
    let how_long = if minutes == UNTIL_UNSNOOZED_MINUTES {
        "until unsnoozed".to_owned()
    } else {
        format!("for {}", words(minutes))
    };
    finish(&client, started, &format!("{} snoozed {how_long}", clean(&name))).await
}

pub async fn unsnooze(ctx: &Context, target: &str) -> Result<(), CliError> {
    ctx.refuse_in_read_only("unsnoozing")?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (target, name) = resolve_target(&home, target)?;
    let started = client.unsnooze(&target).await?;
    finish(&client, started, &format!("{} is no longer snoozed", clean(&name))).await
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

async fn finish(client: &BlinkClient, started: Started, done: &str) -> Result<(), CliError> {
    if let Started::Command(command) = started {
        client.wait_for_command(command, |_| {}).await?;
    }
    say!("{done}");
    Ok(())
}

/// `30 minutes`, `1 hour`, `4 hours`, `1 day 2 hours`.
fn words(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let parts: Vec<String> = [(days, "day"), (hours, "hour"), (rest, "minute")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| plural(n, unit))
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_words() {
        assert_eq!(words(30), "30 minutes");
        assert_eq!(words(60), "1 hour");
        assert_eq!(words(240), "4 hours");
        assert_eq!(words(1561), "1 day 2 hours 1 minute");
    }
}
