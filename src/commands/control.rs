//! Commands that change Blink: arm, disarm, motion, snapshot, clip.

use std::path::PathBuf;

use jiff::Timestamp;

use super::output::{progress, say};
use super::{CliError, Context, resolve};
use crate::api::{BlinkClient, DeviceRef, Started};
use crate::cli::{ArmArgs, OnOff};
use crate::files::{slug, write_atomic};
use crate::sanitize::clean;

pub async fn arm(ctx: &Context, args: &ArmArgs, armed: bool) -> Result<(), CliError> {
    let verb = if armed { "arm" } else { "disarm" };
    ctx.refuse_in_read_only(verb)?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let network = resolve::network(&home, &args.network)?;
    if network.armed == armed {
        // As in the UI: nothing to change, so no command goes to the sync module.
        say!("{} is already {}", clean(&network.name), if armed { "armed" } else { "disarmed" });
        return Ok(());
    }
    let started = if armed { client.arm(network.id).await? } else { client.disarm(network.id).await? };
    finish(
        &client,
        started,
        args.no_wait,
        &format!("{} {}", if armed { "Armed" } else { "Disarmed" }, clean(&network.name)),
    )
    .await
}

pub async fn motion(ctx: &Context, camera: &str, state: OnOff, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("changing motion detection")?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let on = state == OnOff::On;
    let started = client.set_motion(&DeviceRef::new(kind, device), on).await?;
    let message = format!("Motion detection {} for {}", if on { "on" } else { "off" }, clean(&device.name));
    finish(&client, started, no_wait, &message).await
}

pub async fn clip(ctx: &Context, camera: &str, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("recording a clip")?;
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let started = client.record_clip(&DeviceRef::new(kind, device)).await?;
    let message = format!("{} recorded a clip; it appears in `blinktui events` shortly", clean(&device.name));
    finish(&client, started, no_wait, &message).await
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

async fn finish(client: &BlinkClient, started: Started, no_wait: bool, done: &str) -> Result<(), CliError> {
    match started {
        Started::Command(command) if no_wait => {
            say!("Sent (command {} on network {})", command.id, command.network_id);
        }
        Started::Command(command) => {
            progress("Waiting for Blink to confirm...");
            client.wait_for_command(command, |_| {}).await?;
            say!("{done}");
        }
        Started::Applied => say!("{done}"),
    }
    Ok(())
}
