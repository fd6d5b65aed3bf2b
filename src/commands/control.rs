//! Commands that change Blink: arm, disarm, motion, snapshot, clip.

use std::path::PathBuf;

use jiff::Timestamp;

use super::resolve;
use crate::api::{ApiError, BlinkClient, CommandHold, CommandRef, DeviceRef, Expected, Started};
use crate::cli::{ArmArgs, OnOff};
use crate::context::{CliError, Context};
use crate::files::{slug, write_atomic};
use crate::output::{progress, say};
use crate::sanitize::clean;

pub async fn arm(ctx: &Context, args: &ArmArgs, armed: bool) -> Result<(), CliError> {
    let verb = if armed { "arm" } else { "disarm" };
    ctx.refuse_in_read_only(verb)?;
    let client = ctx.client()?;
    // Another blinktui arming at the same moment goes first; this one then reads its result.
    let _hold = hold_commands(&client).await?;
    let home = client.homescreen().await?;
    let network = resolve::network(&home, &args.network)?;
    if network.armed == armed {
        // As in the UI: nothing to change, so no command goes to the sync module.
        say!("{} is already {}", clean(&network.name), if armed { "armed" } else { "disarmed" });
        return Ok(());
    }
    let sent = async {
        let started = if armed { client.arm(network.id).await? } else { client.disarm(network.id).await? };
        follow(&client, started, args.no_wait).await
    };
    let expected = Expected::Armed { network: network.id, armed };
    let sent = client.settled(sent.await, expected, Followed::Done).await?;
    report(sent, &format!("{} {}", if armed { "Armed" } else { "Disarmed" }, clean(&network.name)));
    Ok(())
}

pub async fn motion(ctx: &Context, camera: &str, state: OnOff, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("changing motion detection")?;
    let client = ctx.client()?;
    let _hold = hold_commands(&client).await?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let on = state == OnOff::On;
    let sent =
        async { follow(&client, client.set_motion(&DeviceRef::new(kind, device), on).await?, no_wait).await };
    let sent = client.settled(sent.await, Expected::Motion { device: device.id, on }, Followed::Done).await?;
    report(sent, &format!("Motion detection {} for {}", if on { "on" } else { "off" }, clean(&device.name)));
    Ok(())
}

pub async fn clip(ctx: &Context, camera: &str, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("recording a clip")?;
    let client = ctx.client()?;
    let _hold = hold_commands(&client).await?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let started = client.record_clip(&DeviceRef::new(kind, device)).await?;
    let message = format!("{} recorded a clip; it appears in `blinktui events` shortly", clean(&device.name));
    report(follow(&client, started, no_wait).await?, &message);
    Ok(())
}

/// Takes a new picture, waits until Blink really shows it, and saves it.
pub async fn snapshot(ctx: &Context, camera: &str, output: Option<PathBuf>) -> Result<(), CliError> {
    ctx.refuse_in_read_only("taking a snapshot")?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    progress(&format!("Asking {} for a new picture...", clean(&device.name)));
    let snapshot = client.take_snapshot(&DeviceRef::new(kind, device), device.thumbnail.clone()).await?;
    let path = output.unwrap_or_else(|| {
        PathBuf::from(format!("{}-{}.jpg", slug(&device.name), Timestamp::now().strftime("%Y%m%d-%H%M%S")))
    });
    write_atomic(&path, &snapshot.jpeg)
        .map_err(|err| CliError::Failed(format!("cannot write {}: {err}", path.display())))?;
    say!("{}", path.display());
    Ok(())
}

/// How far a sent command was followed.
enum Followed {
    Done,
    Sent(CommandRef),
}

async fn follow(client: &BlinkClient, started: Started, no_wait: bool) -> Result<Followed, ApiError> {
    match started {
        Started::Command(command) if no_wait => Ok(Followed::Sent(command)),
        Started::Command(command) => {
            progress("Waiting for Blink to confirm...");
            client.wait_for_command(command, |_| {}).await?;
            Ok(Followed::Done)
        }
        Started::Applied => Ok(Followed::Done),
    }
}

fn report(followed: Followed, done: &str) {
    match followed {
        Followed::Done => say!("{done}"),
        Followed::Sent(command) => say!("Sent (command {} on network {})", command.id, command.network_id),
    }
}

/// Waits for any other blinktui's one-shot command to end first, saying so.
async fn hold_commands(client: &BlinkClient) -> Result<Option<CommandHold>, ApiError> {
    client.hold_commands(|| progress("Waiting for another blinktui command to finish...")).await
}
