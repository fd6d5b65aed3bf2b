//! Getting a clip off a sync module's USB stick onto this machine: the upload request (a
//! Blink command), then the download, streamed to a part file renamed into place once whole.
//! The CLI, the TUI and unattended archiving share this.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::api::models::time::BlinkTime;
use crate::api::models::time::parse_timestamp;
use crate::api::models::{CommandStatus, MediaItem};
use crate::api::{ApiError, BlinkClient, LocalClip, LocalStorage};
use crate::files::{ClipError, ClipFile, OnProgress, inside, slug};

/// How often a download that answers "Media not found" right after the upload is tried again:
/// the cloud may take a moment to serve what the sync module just sent.
const NOT_THERE_YET_RETRIES: u32 = 3;

/// The `source` of an event that is a USB stick's clip.
pub const USB_SOURCE: &str = "usb";

/// A stick's clip as one request needs it: where the stick is and the manifest naming it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalClipRef {
    pub storage: LocalStorage,
    pub manifest_id: String,
    pub clip: LocalClip,
}

impl LocalClipRef {
    /// The clip as an event (source `usb`): no thumbnail, no cloud clip, nothing to mark
    /// watched. The events pane and `watch` list it among the cloud's events. `None` when its
    /// time cannot be read.
    pub fn as_event(&self, network: &str) -> Option<MediaItem> {
        Some(MediaItem {
            id: self.clip.id,
            created_at: BlinkTime::parse(&self.clip.created_at)?,
            device_id: self.clip.camera_id.unwrap_or_default(),
            device_name: self.clip.camera.clone(),
            network_id: self.storage.network_id,
            network_name: Some(network.to_owned()),
            media_type: Some("video".into()),
            source: Some(USB_SOURCE.into()),
            watched: true,
            ..MediaItem::default()
        })
    }
}

/// The file name of a stick's clip: time, network, camera and id, all sanitised; `usb` tells
/// it apart from a cloud clip of the same camera.
pub fn local_clip_file_name(network: &str, clip: &LocalClip) -> String {
    let time = parse_timestamp(&clip.created_at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    format!("{time}_{}_{}_usb{}.mp4", slug(network), slug(&clip.camera), clip.id)
}

/// Where a stick's clip is saved in `dir`.
pub fn local_clip_path(dir: &Path, network: &str, clip: &LocalClip) -> PathBuf {
    inside(dir, &local_clip_file_name(network, clip))
}

/// Asks the sync module to upload the clip, follows that command (`on_status` sees each
/// poll), then downloads the clip to `path`, atomically.
pub async fn download_local_clip(
    client: &BlinkClient,
    clip: &LocalClipRef,
    path: &Path,
    progress: OnProgress<'_>,
    on_status: impl FnMut(&CommandStatus),
) -> Result<(), ClipError> {
    let command = client.request_local_clip(clip.storage, &clip.manifest_id, clip.clip.id).await?;
    client.wait_for_command(command, on_status).await?;
    let mut attempt = 0;
    loop {
        let mut file = ClipFile::new(path, progress);
        let result =
            client.download_local_clip_into(clip.storage, &clip.manifest_id, clip.clip.id, file.sink()).await;
        match result {
            Err(ApiError::NotFound(_)) if attempt < NOT_THERE_YET_RETRIES => {
                attempt += 1;
                tracing::info!(clip = clip.clip.id, attempt, "uploaded clip not served yet");
                drop(file);
                tokio::time::sleep(client.options().command_poll_interval * attempt).await;
            }
            result => return file.finish(result).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_sanitised_and_marked_usb() {
        let clip = LocalClip {
            id: 866333964,
            camera: "../Back Door".into(),
            camera_id: None,
            created_at: "2022-12-01T21:11:50+00:00".into(),
            size: 234,
        };
        assert_eq!(
            local_clip_file_name("Home/Main", &clip),
            "20221201T211150Z_home-main_back-door_usb866333964.mp4"
        );
        assert_eq!(
            local_clip_path(Path::new("/d"), "Home", &clip),
            Path::new("/d/20221201T211150Z_home_back-door_usb866333964.mp4")
        );
    }
}
