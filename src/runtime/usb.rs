//! Fetching what sync modules' USB sticks hold: a clip (the upload command, then the
//! download) and the sticks' manifests.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiError, BlinkClient, LocalClips, LocalStorage};
use crate::app::action::{Action, RunOutcome};
use crate::app::command_run::{RunId, RunPhase};
use crate::files::{ClipError, already_saved};
use crate::local_clips::{LocalClipRef, download_local_clip, local_clip_path};

/// The run that gets a stick's clip: the upload command (its stages reported as the run's
/// progress), then the download into `dir`. A clip already there is not fetched again.
pub async fn fetch(
    client: &BlinkClient,
    id: RunId,
    clip: &LocalClipRef,
    network: &str,
    dir: &Path,
    tx: &UnboundedSender<Action>,
) -> Result<RunOutcome, ApiError> {
    let path: PathBuf = local_clip_path(dir, network, &clip.clip);
    if already_saved(&path) {
        return Ok(RunOutcome::UsbClip { path });
    }
    let _ = tx.send(Action::RunProgress { id, phase: RunPhase::Sent });
    let on_status = |status: &crate::api::models::CommandStatus| {
        let stage = status.stage().map(str::to_owned);
        let _ = tx.send(Action::RunProgress { id, phase: RunPhase::Polling { stage } });
    };
    match download_local_clip(client, clip, &path, &|_| {}, on_status).await {
        Ok(()) => Ok(RunOutcome::UsbClip { path }),
        Err(ClipError::Api(err)) => Err(err),
        Err(other) => Err(ApiError::Sink(other.to_string())),
    }
}

/// Reads each stick's manifest, camera names mapped back with `cameras`.
pub async fn load(
    client: &BlinkClient,
    storages: Vec<LocalStorage>,
    cameras: &[crate::api::NamedCamera],
) -> Result<Vec<LocalClips>, ApiError> {
    let mut lists = Vec::new();
    for storage in storages {
        let (manifest_id, entries) = client.local_manifest(storage).await?;
        lists.push(LocalClips::new(storage, manifest_id, entries, cameras));
    }
    Ok(lists)
}
