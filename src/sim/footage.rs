//! What each simulated camera sees: its own scene (one place per camera, day or night by the
//! local time of its site), stamped with its clock. Snapshots, event pictures, clips and live
//! view all come from here, so they show the same spot at the same time.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use jiff::{Timestamp, ZonedDateTime};

use super::images::{Scene, SceneKind, encode_jpeg, render_jpeg, render_motion_frame};
use super::video;
use super::world::{SimDevice, World};
use crate::api::DeviceKind;

/// How far through an event's clip its picture is taken: the visitor is in view.
const EVENT_PICTURE_AT: f32 = 0.5;
/// Clips kept once made: enough for a list being browsed, a few MB at most.
const CACHED_CLIPS: usize = 12;

/// A camera at a moment: its scene and its local time.
#[derive(Debug, Clone)]
pub struct Shot {
    pub scene: Scene,
    pub local: ZonedDateTime,
}

impl Shot {
    /// What `device` sees at `at`; `moment` varies what comes and goes (clouds, a visitor).
    pub fn of(world: &World, device: &SimDevice, at: Timestamp, moment: u64) -> Self {
        let zone = world.network(device.device.network_id).and_then(|n| n.network.time_zone.clone());
        let local = zone
            .and_then(|zone| at.in_tz(&zone).ok())
            .unwrap_or_else(|| at.to_zoned_datetime(jiff::tz::TimeZone::UTC));
        let kind = match device.kind {
            DeviceKind::Camera => SceneKind::Outdoor,
            DeviceKind::Mini => SceneKind::Indoor,
            DeviceKind::Doorbell => SceneKind::Doorstep,
        };
        let scene = Scene {
            kind,
            title: device.device.name.clone(),
            caption: video::stamp("", &local),
            place: place_of(device.device.id),
            seed: moment ^ device.device.id.rotate_left(17),
            night: is_night(&local),
        };
        Self { scene, local }
    }

    /// A still picture (a snapshot), stamped with the time.
    pub fn snapshot_jpeg(&self) -> Vec<u8> {
        render_jpeg(&self.scene)
    }

    /// An event's picture: a frame of its clip, stamped as the event.
    pub fn event_jpeg(&self) -> Vec<u8> {
        let scene = Scene { caption: video::stamp(MOTION, &self.local), ..self.scene.clone() };
        encode_jpeg(&render_motion_frame(&scene, EVENT_PICTURE_AT))
    }

    /// An event's clip (MP4), its clock starting at the event's time.
    pub fn event_clip(&self) -> Result<Vec<u8>, String> {
        video::motion_clip(&self.scene, MOTION, &self.local)
    }

    /// Live view from here on, the clock running in the camera's zone.
    pub fn live_feed(&self) -> Result<video::LiveFeed, String> {
        video::LiveFeed::new(&self.scene, self.local.time_zone().clone())
    }
}

/// What a camera writes before the time on a motion event's pictures.
pub const MOTION: &str = "MOTION ";

/// Night: the camera's infrared picture, from 19:00 to 06:00 local time.
pub fn is_night(local: &ZonedDateTime) -> bool {
    !(6..19).contains(&local.hour())
}

/// The seed of a camera's view: fixed for the camera, different between cameras.
fn place_of(device_id: u64) -> u64 {
    device_id.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)
}

/// Clips made recently, by event id: made once, served many times.
#[derive(Debug, Default)]
pub struct ClipCache {
    clips: Mutex<VecDeque<(u64, Arc<[u8]>)>>,
}

impl ClipCache {
    /// The clip of event `id`, made by `make` unless it is cached.
    pub fn get_or_make(
        &self,
        id: u64,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Arc<[u8]>, String> {
        if let Some(clip) = self.lock().iter().find(|(cached, _)| *cached == id).map(|(_, clip)| clip.clone())
        {
            return Ok(clip);
        }
        // Made without the lock held: another clip can be made or served meanwhile.
        let clip: Arc<[u8]> = make()?.into();
        let mut clips = self.lock();
        if clips.len() >= CACHED_CLIPS {
            clips.pop_front();
        }
        clips.push_back((id, clip.clone()));
        Ok(clip)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(u64, Arc<[u8]>)>> {
        self.clips.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
