//! `blinktui local list|download|delete NETWORK`: clips on a sync module's USB stick.

use std::path::PathBuf;

use indicatif::HumanBytes;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::batch::Batch;
use super::resolve;
use crate::api::models::time::parse_timestamp;
use crate::api::{ApiError, BlinkClient, LocalClip, LocalClips, LocalStorage};
use crate::cli::LocalAction;
use crate::context::{CliError, Context};
use crate::files::{Progress, already_saved};
use crate::local_clips::{LocalClipRef, download_local_clip, local_clip_path};
use crate::output::{print_json, progress, say, table};
use crate::sanitize::clean;
use crate::when::{local_now, parse_since};

#[derive(Serialize)]
struct ClipDocument<'a> {
    id: u64,
    created_at: &'a str,
    camera: &'a str,
    camera_id: Option<u64>,
    network_id: u64,
    network: &'a str,
    size: u64,
}

pub async fn run(ctx: &Context, action: LocalAction) -> Result<(), CliError> {
    match action {
        LocalAction::List { network, json } => list(ctx, &network, json).await,
        LocalAction::Download { network, since, output } => {
            download(ctx, &network, since.as_deref(), output).await
        }
        LocalAction::Delete { network, ids } => delete(ctx, &network, &ids).await,
    }
}

/// The stick's manifest, read fresh, and the network's name.
async fn manifest(ctx: &Context, network: &str) -> Result<(BlinkClient, LocalClips, String), CliError> {
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let found = resolve::network(&home, network)?;
    let name = found.name.clone();
    let storage = LocalStorage::of(&home, found.id).map_err(|err| match err {
        ApiError::NotFound(what) => CliError::Failed(format!("{name} has no USB storage to read ({what})")),
        other => other.into(),
    })?;
    progress(&format!("Asking the {name} sync module for its list of clips..."));
    let clips = client.local_clips(&home, storage).await?;
    Ok((client, clips, name))
}

async fn list(ctx: &Context, network: &str, json: bool) -> Result<(), CliError> {
    let (_, listed, name) = manifest(ctx, network).await?;
    if json {
        let documents: Vec<_> = listed
            .clips
            .iter()
            .map(|clip| ClipDocument {
                id: clip.id,
                created_at: &clip.created_at,
                camera: &clip.camera,
                camera_id: clip.camera_id,
                network_id: listed.storage.network_id,
                network: &name,
                size: clip.size,
            })
            .collect();
        return print_json(&documents);
    }
    if listed.clips.is_empty() {
        say!("No clips on the USB storage of {name}.");
        return Ok(());
    }
    let zone = TimeZone::system();
    let rows = listed.clips.iter().map(|clip| {
        let time = parse_timestamp(&clip.created_at)
            .map(|ts| ts.to_zoned_datetime(zone.clone()).strftime("%a %Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| clip.created_at.clone());
        vec![clip.id.to_string(), clip.camera.clone(), time, HumanBytes(clip.size).to_string()]
    });
    say!("{}", table(&["ID", "CAMERA", "TIME", "SIZE"], rows));
    Ok(())
}

async fn download(
    ctx: &Context,
    network: &str,
    since: Option<&str>,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let since = since.map(|since| parse_since(since, &local_now())).transpose()?;
    let (client, listed, name) = manifest(ctx, network).await?;
    let dir = output.or_else(|| ctx.config.download_dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .map_err(|err| CliError::Failed(format!("cannot create {}: {err}", dir.display())))?;
    // Oldest first: an interrupted run has the older clips, which the stick overwrites first.
    let wanted: Vec<&LocalClip> = listed
        .clips
        .iter()
        .rev()
        .filter(|clip| {
            since.is_none_or(|since| parse_timestamp(&clip.created_at).is_none_or(|at| at >= since))
        })
        .collect();
    let mut batch = Batch::new(&dir, wanted.len(), ctx.config.download_delay());
    for clip in wanted {
        let path = local_clip_path(&dir, &name, clip);
        if already_saved(&path) {
            batch.skip();
            continue;
        }
        batch.pace().await;
        let camera = clean(&clip.camera).into_owned();
        let bar = batch.bar().clone();
        bar.set_message(format!("{camera} uploading from the stick"));
        let shown = |p: Progress| bar.set_message(format!("{camera} {}", HumanBytes(p.received)));
        let target = LocalClipRef {
            storage: listed.storage,
            manifest_id: listed.manifest_id.clone(),
            clip: clip.clone(),
        };
        let result = download_local_clip(&client, &target, &path, &shown, |_| {}).await;
        batch.done(&path, result)?;
    }
    batch.finish()
}

/// Deletes the clips named, each a command the sync module confirms. Ids not on the stick are
/// refused before anything is deleted.
async fn delete(ctx: &Context, network: &str, ids: &[u64]) -> Result<(), CliError> {
    ctx.refuse_in_read_only("deleting clips from USB storage")?;
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<u64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let (client, listed, name) = manifest(ctx, network).await?;
    let unknown: Vec<String> =
        ids.iter().filter(|id| listed.clip(**id).is_none()).map(u64::to_string).collect();
    if !unknown.is_empty() {
        return Err(CliError::Usage(format!(
            "not on the USB storage of {name}: {}; see `blinktui local list {}`",
            unknown.join(", "),
            listed.storage.network_id
        )));
    }
    let mut deleted = 0;
    for id in &ids {
        if let Err(err) = client.delete_local_clip(listed.storage, &listed.manifest_id, *id).await {
            say!("Deleted {deleted} of {} clips", ids.len());
            return Err(err.into());
        }
        deleted += 1;
    }
    say!(
        "Deleted {} from the USB storage of {name}",
        if deleted == 1 { "1 clip".to_owned() } else { format!("{deleted} clips") }
    );
    Ok(())
}
