//! Commands that change Blink: arm, disarm, motion, snapshot, clip.

use std::path::PathBuf;

use jiff::Timestamp;

use super::resolve;
use crate::api::change::{Change, Follow, Made};
use crate::api::{ApiError, BlinkClient, CommandHold, DeviceRef};
use crate::cli::{ArmArgs, OnOff};
use crate::context::{CliError, Context};
use crate::files::{slug, write_atomic};
use crate::output::{progress, say};
use crate::sanitize::clean;

pub async fn arm(ctx: &Context, args: &ArmArgs, armed: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only(if armed { "arm" } else { "disarm" })?;
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
    make(&client, &Change::Arm { network: network.id, armed }, &network.name, args.no_wait).await
}

pub async fn motion(ctx: &Context, camera: &str, state: OnOff, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("changing motion detection")?;
    let client = ctx.client()?;
    let _hold = hold_commands(&client).await?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let change = Change::Motion { device: DeviceRef::new(kind, device), on: state == OnOff::On };
    make(&client, &change, &device.name, no_wait).await
}

pub async fn clip(ctx: &Context, camera: &str, no_wait: bool) -> Result<(), CliError> {
    ctx.refuse_in_read_only("recording a clip")?;
    let client = ctx.client()?;
    let _hold = hold_commands(&client).await?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    make(&client, &Change::RecordClip { device: DeviceRef::new(kind, device) }, &device.name, no_wait)
        .await?;
    if !no_wait {
        say!("It appears in `blinktui events` shortly.");
    }
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

/// Makes `change` on what is called `name`, saying how far it went: its outcome, or the
/// command sent (`--no-wait`).
pub async fn make(client: &BlinkClient, change: &Change, name: &str, no_wait: bool) -> Result<(), CliError> {
    let follow = if no_wait { Follow::UntilSent } else { Follow::ToTheEnd };
    let mut told = false;
    let made = client
        .make_change(change, follow, |_| {
            if !std::mem::replace(&mut told, true) {
                progress("Waiting for Blink to confirm...");
            }
        })
        .await?;
    match made {
        Made::Done => say!("{}", change.outcome(&clean(name))),
        Made::Sent(command) => say!("Sent (command {} on network {})", command.id, command.network_id),
    }
    Ok(())
}

/// Waits for any other blinktui's one-shot command to end first, saying so.
async fn hold_commands(client: &BlinkClient) -> Result<Option<CommandHold>, ApiError> {
    client.hold_commands(|| progress("Waiting for another blinktui command to finish...")).await
}
