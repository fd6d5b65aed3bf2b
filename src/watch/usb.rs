//! The sync modules' USB sticks in `watch`: their clips are events too (source `usb`), so they
//! are reported, handed to `--exec` and archived like the others. A manifest is a command on the
//! sync module, so the sticks are read every few minutes, not every poll.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crate::api::models::MediaItem;
use crate::api::{ApiError, BlinkClient, LocalStorage};
use crate::local_clips::LocalClipRef;

/// How often the sticks' manifests are read, as the TUI does.
pub const USB_EVERY: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct UsbSticks {
    read_at: Option<Instant>,
    /// A read of every stick has succeeded in this run: a clip missing from it is gone.
    read_whole: bool,
    /// The clips of the last manifests, by id: archiving one needs its stick and manifest.
    clips: HashMap<u64, LocalClipRef>,
}

/// What one read of the sticks found.
pub struct StickRead {
    pub events: Vec<MediaItem>,
    /// Every clip id listed, when every stick could be read (`None` otherwise).
    pub listed: Option<BTreeSet<u64>>,
}

impl UsbSticks {
    pub fn clip(&self, id: u64) -> Option<&LocalClipRef> {
        self.clips.get(&id)
    }

    /// Whether a clip the last whole read did not list is known to be gone from its stick.
    pub fn knows_gone(&self, id: u64) -> bool {
        self.read_whole && !self.clips.contains_key(&id)
    }

    /// The clips on every active stick, when a read is due (`None` otherwise). A stick that
    /// cannot be read is logged and tried again at the next read; only a refused session is
    /// an error.
    pub async fn poll(&mut self, client: &BlinkClient) -> Result<Option<StickRead>, ApiError> {
        if self.read_at.is_some_and(|at| at.elapsed() < USB_EVERY) {
            return Ok(None);
        }
        self.read_at = Some(Instant::now());
        let home = match client.homescreen().await {
            Ok(home) => home,
            Err(err) if err.needs_login() => return Err(err),
            Err(err) => {
                super::report::log(&format!("USB storage not read: {err}"));
                return Ok(Some(StickRead { events: Vec::new(), listed: None }));
            }
        };
        let mut read = StickRead { events: Vec::new(), listed: Some(BTreeSet::new()) };
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
                        let id = clip.id;
                        let clip = LocalClipRef {
                            storage: list.storage,
                            manifest_id: list.manifest_id.clone(),
                            clip,
                        };
                        read.listed.as_mut().map(|listed| listed.insert(id));
                        match clip.as_event(&network) {
                            Some(event) => read.events.push(event),
                            None => tracing::warn!(clip = id, "a USB clip's time cannot be read; skipped"),
                        }
                        clips.insert(id, clip);
                    }
                }
                Err(err) if err.needs_login() => return Err(err),
                Err(err) => {
                    super::report::log(&format!("USB storage of {network} not read: {err}"));
                    read.listed = None;
                }
            }
        }
        if read.listed.is_some() {
            self.clips = clips;
            self.read_whole = true;
        } else {
            // Keep what a failed stick listed before, for retries.
            self.clips.extend(clips);
        }
        Ok(Some(read))
    }
}
