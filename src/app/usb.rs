//! Clips on sync modules' USB sticks in the app: they join the events pane as events whose
//! source is `usb`, and getting one (to play or save) is a run, since the sync module must
//! first upload it. The state side lives here; the runtime fetches (`runtime::usb`).

use std::collections::HashMap;

use jiff::Timestamp;

use super::data::DataStore;
use crate::api::models::MediaItem;
use crate::api::{LocalClips, LocalStorage};
use crate::local_clips::LocalClipRef;

pub use crate::local_clips::USB_SOURCE;

/// What the sticks hold, as far as the app knows.
#[derive(Debug, Clone, Default)]
pub struct UsbData {
    /// Sync modules whose stick is active (from homescreen).
    pub storages: Vec<LocalStorage>,
    /// The stick clips shown among the events, by event id.
    pub clips: HashMap<u64, LocalClipRef>,
    /// When the lists were last asked for: a manifest request is a command on the sync
    /// module, so it is not repeated with every refresh.
    pub requested_at: Option<Timestamp>,
    pub loaded: bool,
    /// Stick clips older than the oldest cloud event loaded: a stick's clip of Thursday under
    /// Saturday's cloud events would hide Friday's, not loaded yet. They join the list once
    /// the cloud's pages reach their time, or end.
    pub held: Vec<MediaItem>,
}

/// What to do with a stick's clip once it is here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsbThen {
    /// Play it inside blinktui.
    Play,
    /// Hand it to the external player.
    PlayOutside,
    /// Keep it in the save directory.
    Save,
}

impl DataStore {
    /// Replaces the stick clips among the events with these lists. A clip whose id is a cloud
    /// event's already is left out rather than confused with it.
    pub fn apply_usb(&mut self, lists: Vec<LocalClips>) {
        let old = std::mem::take(&mut self.usb.clips);
        self.events.retain(|event| !old.contains_key(&event.id));
        self.usb.held.clear();
        let taken: std::collections::HashSet<u64> = self.events.iter().map(|e| e.id).collect();
        for list in lists {
            let network = self.network_name(list.storage.network_id);
            for clip in &list.clips {
                if taken.contains(&clip.id) || self.usb.clips.contains_key(&clip.id) {
                    tracing::warn!(clip = clip.id, "a USB clip has the id of another event; not shown");
                    continue;
                }
                let clip = LocalClipRef {
                    storage: list.storage,
                    manifest_id: list.manifest_id.clone(),
                    clip: clip.clone(),
                };
                let Some(event) = clip.as_event(&network) else {
                    tracing::warn!(clip = clip.clip.id, "a USB clip's time cannot be read; not shown");
                    continue;
                };
                self.usb.held.push(event);
                self.usb.clips.insert(clip.clip.id, clip);
            }
        }
        self.usb.loaded = true;
        self.place_usb_clips();
    }

    /// Puts the stick's clips that fall within the span of the cloud's events loaded among
    /// them, and holds back the older ones (all of them go in once the cloud's list is whole).
    pub(super) fn place_usb_clips(&mut self) {
        let clips = &self.usb.clips;
        let (shown, cloud): (Vec<MediaItem>, Vec<MediaItem>) =
            std::mem::take(&mut self.events).into_iter().partition(|e| clips.contains_key(&e.id));
        let oldest_cloud = cloud.iter().map(|e| e.created_at.at).min();
        let floor = oldest_cloud.filter(|_| !self.older_exhausted);
        self.events = cloud;
        let stick = shown.into_iter().chain(std::mem::take(&mut self.usb.held));
        for clip in stick {
            if floor.is_some_and(|floor| clip.created_at.at < floor) {
                self.usb.held.push(clip);
            } else {
                self.events.push(clip);
            }
        }
        self.events.sort_by(|a, b| b.created_at.at.cmp(&a.created_at.at).then(b.id.cmp(&a.id)));
        self.events.truncate(super::data::EVENT_LIMIT);
        let (events, held) = (&self.events, &self.usb.held);
        self.usb.clips.retain(|id, _| events.iter().chain(held).any(|e| e.id == *id));
        self.recompute_last_motion();
        self.generation += 1;
    }

    /// The stick clip behind an event, if it is one.
    pub fn usb_clip(&self, event: u64) -> Option<&LocalClipRef> {
        self.usb.clips.get(&event)
    }
}
