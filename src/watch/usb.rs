//! The sync modules' USB sticks in `watch`: their clips join the cloud's events (source
//! `usb`), so they are reported, handed to `--exec` and archived like the others. A manifest
//! is a command on the sync module, so the sticks are read every few minutes, not every poll.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::api::models::MediaItem;
use crate::api::{ApiError, BlinkClient, LocalStorage};
use crate::local_clips::LocalClipRef;

/// How often the sticks' manifests are read, as the TUI does.
pub const USB_EVERY: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct UsbSticks {
    read_at: Option<Instant>,
    /// The clips of the last manifests, by id: archiving one needs its stick and manifest.
    clips: HashMap<u64, LocalClipRef>,
}

impl UsbSticks {
    pub fn clip(&self, id: u64) -> Option<&LocalClipRef> {
        self.clips.get(&id)
    }

    /// The clips on every active stick as events, when a read is due (none otherwise). A stick
    /// that cannot be read is logged and tried again at the next read; only a refused session
    /// is an error.
    pub async fn poll(&mut self, client: &BlinkClient) -> Result<Vec<MediaItem>, ApiError> {
        if self.read_at.is_some_and(|at| at.elapsed() < USB_EVERY) {
            return Ok(Vec::new());
        }
        self.read_at = Some(Instant::now());
        let home = client.homescreen().await?;
        let mut events = Vec::new();
        let mut clips = HashMap::new();
        for storage in LocalStorage::all(&home) {
            let network = home
                .networks
                .iter()
                .find(|n| n.id == storage.network_id)
                .map_or_else(|| storage.network_id.to_string(), |n| n.name.clone());
            match client.local_clips(&home, storage).await {
                Ok(list) => {
                    for clip in list.clips {
                        let clip = LocalClipRef {
                            storage: list.storage,
                            manifest_id: list.manifest_id.clone(),
                            clip,
                        };
                        if let Some(event) = clip.as_event(&network) {
                            events.push(event);
                            clips.insert(clip.clip.id, clip);
                        }
                    }
                }
                Err(err) if err.needs_login() => return Err(err),
                Err(err) => super::report::log(&format!("USB storage of {network} not read: {err}")),
            }
        }
        self.clips = clips;
        Ok(events)
    }
}
