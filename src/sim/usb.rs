//! USB sticks in sync modules (Sync Module 2 local storage). Like Blink's, the simulated stick
//! is slow to answer: a manifest is built by a command and still takes a few polls after it,
//! and a clip is "Media not found" until an upload command for it has finished.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::api::models::time::format_blink;
use crate::api::models::{LocalClipEntry, LocalManifest, alphanumeric_name};

use super::world::World;

/// Polls of a manifest request that answer "not built yet" after its command is done.
pub const MANIFEST_POLLS: u32 = 2;

#[derive(Debug, Clone, Default)]
pub struct UsbStick {
    pub sync_module_id: u64,
    /// Oldest first.
    pub clips: Vec<UsbClip>,
    /// The manifest last built: clip requests must name it.
    pub manifest_id: Option<u64>,
    /// Manifest requests by id: polls so far, and the manifest once built.
    pub requests: BTreeMap<u64, ManifestRequest>,
    /// Clips uploaded to the cloud, which can be downloaded now.
    pub uploaded: BTreeSet<u64>,
}

#[derive(Debug, Clone)]
pub struct UsbClip {
    pub id: u64,
    pub device_id: u64,
    pub created_at: Timestamp,
    pub size: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ManifestRequest {
    pub polls: u32,
    pub manifest_id: Option<u64>,
}

/// What a finished stick command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsbEffect {
    /// Nothing until polled: the manifest is built on the polls that follow.
    Manifest,
    Upload {
        clip: u64,
    },
    Delete {
        clip: u64,
    },
}

/// What a manifest poll finds.
#[derive(Debug, Clone, PartialEq)]
pub enum ManifestPoll {
    Unknown,
    NotReady,
    Ready(LocalManifest),
}

impl World {
    pub fn usb(&self, network_id: u64, sync_module_id: u64) -> Option<&UsbStick> {
        self.usb.get(&network_id).filter(|stick| stick.sync_module_id == sync_module_id)
    }

    fn usb_mut(&mut self, network_id: u64) -> Option<&mut UsbStick> {
        self.usb.get_mut(&network_id)
    }

    /// Puts a clip on a network's stick; its size is that of the clip the device records.
    pub fn add_usb_clip(&mut self, device_id: u64, at: Timestamp) -> Option<u64> {
        let id = self.next_id();
        let device = self.device(device_id)?;
        let (network, size) = (device.device.network_id, super::routes::clip_bytes(device.kind).len() as u64);
        let stick = self.usb_mut(network)?;
        stick.clips.push(UsbClip { id, device_id, created_at: at, size });
        stick.clips.sort_by_key(|clip| clip.created_at);
        Some(id)
    }

    /// One poll of a manifest request: not ready until its command is done and a few polls
    /// have passed, then the manifest, built once (a new manifest id each time).
    pub fn poll_manifest(
        &mut self,
        network_id: u64,
        sync_module_id: u64,
        request: u64,
        now: Timestamp,
    ) -> ManifestPoll {
        let command_done =
            self.commands.get(&request).is_some_and(|c| c.network_id == network_id && c.finished_by(now));
        if self.usb(network_id, sync_module_id).is_none_or(|s| !s.requests.contains_key(&request)) {
            return ManifestPoll::Unknown;
        }
        let fresh_id = self.next_id();
        let Some(stick) = self.usb_mut(network_id) else { return ManifestPoll::Unknown };
        let Some(pending) = stick.requests.get_mut(&request) else { return ManifestPoll::Unknown };
        if pending.manifest_id.is_none() {
            if !command_done || pending.polls < MANIFEST_POLLS {
                pending.polls += 1;
                return ManifestPoll::NotReady;
            }
            pending.manifest_id = Some(fresh_id);
            stick.manifest_id = Some(fresh_id);
        }
        let manifest_id = pending.manifest_id;
        let clips: Vec<UsbClip> = stick.clips.iter().rev().cloned().collect();
        let clips = clips
            .into_iter()
            .map(|clip| LocalClipEntry {
                id: clip.id,
                size: clip.size,
                camera_name: self
                    .device(clip.device_id)
                    .map(|d| alphanumeric_name(&d.device.name))
                    .unwrap_or_default(),
                created_at: format_blink(clip.created_at),
            })
            .collect();
        ManifestPoll::Ready(LocalManifest {
            version: Some("1.0".into()),
            manifest_id: manifest_id.map(|id| id.to_string()),
            clips: Some(clips),
        })
    }

    /// The clip if it is on the stick under the current manifest or, with `earlier` (`sim
    /// --lenient`), under any manifest of a request the stick still remembers.
    pub fn usb_clip(
        &self,
        network_id: u64,
        sync_module_id: u64,
        manifest_id: &str,
        clip: u64,
        earlier: bool,
    ) -> Option<&UsbClip> {
        let stick = self.usb(network_id, sync_module_id)?;
        let named = |id: Option<u64>| id.is_some_and(|id| id.to_string() == manifest_id);
        let known = named(stick.manifest_id)
            || (earlier && stick.requests.values().any(|request| named(request.manifest_id)));
        known.then(|| stick.clips.iter().find(|c| c.id == clip)).flatten()
    }

    pub(super) fn finish_usb(&mut self, network_id: u64, effect: &UsbEffect) {
        let Some(stick) = self.usb_mut(network_id) else { return };
        match effect {
            UsbEffect::Manifest => {}
            UsbEffect::Upload { clip } => {
                stick.uploaded.insert(*clip);
            }
            UsbEffect::Delete { clip } => {
                stick.clips.retain(|c| c.id != *clip);
                stick.uploaded.remove(clip);
            }
        }
    }
}

/// The demo's stick: in `network`'s sync module, with clips from its cameras older than the
/// cloud history (a few days before it), as on a site whose subscription ended.
pub fn demo_stick(world: &mut World, network_id: u64, now: Timestamp) {
    let Some(sync) = world.network_mut(network_id).and_then(|n| n.sync_module.as_mut()) else { return };
    sync.local_storage_enabled = Some(true);
    sync.local_storage_status = Some("active".into());
    let sync_module_id = sync.id;
    world.usb.insert(network_id, UsbStick { sync_module_id, ..UsbStick::default() });
    let cameras: Vec<u64> = world
        .devices
        .iter()
        .filter(|d| d.device.network_id == network_id && d.device.local_storage_compatible == Some(true))
        .map(|d| d.device.id)
        .collect();
    for (n, hours) in [98, 105, 121, 140, 147].into_iter().enumerate() {
        if let Some(device) = cameras.get(n % cameras.len().max(1)) {
            world.add_usb_clip(*device, now - jiff::SignedDuration::from_hours(hours));
        }
    }
}
