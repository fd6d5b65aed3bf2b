//! What the app knows about the account, derived from Blink's answers: networks, cameras,
//! programs and recent events, plus what changed at the last refresh.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::api::device::thumbnail_path;
use crate::api::models::{Homescreen, MediaItem, Program, Signals, ThumbnailRef};
use crate::schedule::{NextAction, next_action};
use crate::summary::{self, CameraSummary, NetworkSummary};

/// Events older than this many are dropped from memory (the newest are kept).
pub const EVENT_LIMIT: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct ProgramRow {
    pub program: Program,
    pub network: String,
    pub next: Option<NextAction>,
}

#[derive(Debug, Clone, Default)]
pub struct DataStore {
    pub account_id: u64,
    pub networks: Vec<NetworkSummary>,
    pub cameras: Vec<CameraSummary>,
    /// Homescreen thumbnail of each camera.
    pub thumbnails: HashMap<u64, ThumbnailRef>,
    pub programs: Vec<ProgramRow>,
    /// Newest first.
    pub events: Vec<MediaItem>,
    /// Events that arrived with the latest refresh (highlighted).
    pub new_events: HashSet<u64>,
    /// Newest event time per camera.
    pub last_motion: HashMap<u64, Timestamp>,
    /// Each network's own time zone (homescreen's `time_zone`), when it names a known one.
    pub zones: HashMap<u64, TimeZone>,
    /// Signals read with a camera's details, kept across refreshes: homescreen has none for
    /// doorbells and Minis.
    pub signals: HashMap<u64, Signals>,
    /// How far back the events go: the first load's `since`, the pages of it read so far,
    /// and whether the last one came back empty (nothing older).
    pub events_since: Option<Timestamp>,
    pub event_pages: u32,
    pub older_exhausted: bool,
    pub home_loaded: bool,
    pub events_loaded: bool,
    pub programs_loaded: bool,
    /// When programs were last read: they change only in the app, so they are read again at
    /// most every few minutes rather than with every refresh.
    pub programs_read_at: Option<Timestamp>,
    pub last_refresh: Option<Timestamp>,
    /// Sync modules with an active USB stick, and the stick clips among `events`.
    pub usb: super::usb::UsbData,
    /// Bumped whenever `events` or `zones` change, so what is derived from them for drawing
    /// (`EventClocks`) is made again only then.
    pub generation: u64,
}

impl DataStore {
    pub fn apply_home(&mut self, home: &Homescreen) {
        self.networks = summary::networks(home);
        self.zones = self
            .networks
            .iter()
            .filter_map(|n| Some((n.id, TimeZone::get(n.time_zone.as_deref()?).ok()?)))
            .collect();
        self.cameras = summary::cameras(home);
        // Grouped by network, in the networks' order (homescreen lists them by family).
        let order = |id: u64| self.networks.iter().position(|n| n.id == id).unwrap_or(usize::MAX);
        self.cameras.sort_by_key(|camera| order(camera.network_id));
        for camera in &mut self.cameras {
            if let Some(signals) = self.signals.get(&camera.id) {
                camera.fill_from(signals);
            }
        }
        self.thumbnails = home.devices().filter_map(|(_, d)| Some((d.id, d.thumbnail.clone()?))).collect();
        self.usb.storages = crate::api::LocalStorage::all(home);
        self.home_loaded = true;
        self.generation += 1;
    }

    pub fn apply_programs(&mut self, programs: Vec<Program>, now: Timestamp) {
        self.programs = programs
            .into_iter()
            .map(|program| ProgramRow {
                network: self.network_name(program.network_id),
                next: next_action(&program, now),
                program,
            })
            .collect();
        self.programs_loaded = true;
        self.programs_read_at = Some(now);
    }

    /// Next actions move as time passes.
    pub fn recompute_next_actions(&mut self, now: Timestamp) {
        for row in &mut self.programs {
            row.next = next_action(&row.program, now);
        }
    }

    /// Merges a batch of changed events: new ones are added (and, unless this is the first
    /// load, reported as new), changed ones replaced, deleted ones removed. Returns how many
    /// are new.
    pub fn merge_events(&mut self, batch: Vec<MediaItem>, initial: bool) -> usize {
        let index: HashMap<u64, usize> = self.events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let mut removed = HashSet::new();
        let mut fresh = Vec::new();
        for item in batch {
            match index.get(&item.id) {
                Some(_) if item.deleted => {
                    removed.insert(item.id);
                }
                Some(position) => self.events[*position] = item,
                None if item.deleted => {}
                None => fresh.push(item),
            }
        }
        self.new_events = if initial { HashSet::new() } else { fresh.iter().map(|e| e.id).collect() };
        let added = fresh.len();
        if !removed.is_empty() {
            self.events.retain(|e| !removed.contains(&e.id));
        }
        self.events.extend(fresh);
        // By time, not by text: Blink's offsets and fractions need not sort as strings.
        self.events.sort_by(|a, b| b.created_at.at.cmp(&a.created_at.at).then(b.id.cmp(&a.id)));
        self.events.truncate(EVENT_LIMIT);
        self.recompute_last_motion();
        self.events_loaded = true;
        self.generation += 1;
        // The cloud's span changed: the stick's clips within it join the list.
        if self.usb.loaded {
            self.place_usb_clips();
        }
        added
    }

    /// Signals read for one camera (with its details).
    pub fn remember_signals(&mut self, camera: u64, signals: Signals) {
        if let Some(summary) = self.cameras.iter_mut().find(|c| c.id == camera) {
            summary.fill_from(&signals);
        }
        self.signals.insert(camera, signals);
    }

    /// Adds an older page: nothing in it is "new".
    pub fn merge_older(&mut self, batch: Vec<MediaItem>) {
        let new_events = std::mem::take(&mut self.new_events);
        self.merge_events(batch, true);
        self.new_events = new_events;
    }

    pub fn remove_event(&mut self, id: u64) {
        self.events.retain(|e| e.id != id);
        self.new_events.remove(&id);
        self.recompute_last_motion();
        self.generation += 1;
    }

    pub(super) fn recompute_last_motion(&mut self) {
        self.last_motion.clear();
        // Newest first: the first event seen per camera is its latest. A clip someone asked
        // for (or a saved live view) is not motion.
        for event in self.events.iter().filter(|e| is_motion(e.source.as_deref())) {
            self.last_motion.entry(event.device_id).or_insert(event.created_at.at);
        }
    }

    pub fn network_name(&self, id: u64) -> String {
        self.networks.iter().find(|n| n.id == id).map_or_else(|| id.to_string(), |n| n.name.clone())
    }

    pub fn camera(&self, id: u64) -> Option<&CameraSummary> {
        self.cameras.iter().find(|c| c.id == id)
    }

    /// Where a camera's current picture is.
    pub fn camera_thumbnail_path(&self, camera: &CameraSummary) -> Option<String> {
        thumbnail_path(self.account_id, &camera.device_ref(), self.thumbnails.get(&camera.id)?)
    }

    /// The time zone a network's times are shown in: its own, else this machine's.
    pub fn zone_of<'a>(&'a self, network: u64, machine: &'a TimeZone) -> &'a TimeZone {
        self.zones.get(&network).unwrap_or(machine)
    }

    /// A time in a network's zone, labelled when that differs from this machine's.
    pub fn network_time(&self, network: u64, at: Timestamp, machine: &TimeZone, format: &str) -> String {
        super::clocks::zoned_text(at, self.zone_of(network, machine), machine, format)
    }

    pub fn armed_count(&self) -> usize {
        self.networks.iter().filter(|n| n.armed).count()
    }
}

/// What started an event, in words: Blink says `pir` for motion and `snapshot` for a clip
/// recorded on request.
pub fn source_label(source: Option<&str>) -> &str {
    match source {
        Some("pir") => "motion",
        Some("snapshot") => "manual clip",
        Some("liveview" | "lv") => "live view",
        Some("doorbell" | "button" | "ring") => "doorbell",
        Some(super::usb::USB_SOURCE) => "usb",
        Some(other) => other,
        None => "-",
    }
}

/// Events that count as motion (and as a doorbell press).
pub fn is_motion(source: Option<&str>) -> bool {
    matches!(source, Some("pir" | "doorbell" | "button" | "ring" | super::usb::USB_SOURCE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, device: u64, at: &str) -> MediaItem {
        MediaItem {
            id,
            device_id: device,
            created_at: at.parse().expect("time"),
            source: Some("pir".into()),
            ..MediaItem::default()
        }
    }

    #[test]
    fn a_clip_recorded_on_request_is_not_motion() {
        let mut data = DataStore::default();
        let mut manual = event(2, 10, "2026-11-26T12:00:00+00:00");
        manual.source = Some("snapshot".into());
        data.merge_events(vec![event(1, 10, "2026-11-26T10:00:00+00:00"), manual], true);
        assert_eq!(
            data.last_motion.get(&10).map(ToString::to_string).as_deref(),
            Some("2026-11-26T10:00:00Z")
        );
        assert_eq!(source_label(Some("snapshot")), "manual clip");
        assert_eq!(source_label(Some("pir")), "motion");
    }

    #[test]
    fn merging_adds_replaces_and_deletes() {
        let mut data = DataStore::default();
        let added = data.merge_events(
            vec![event(1, 10, "2026-11-26T10:00:00+00:00"), event(2, 11, "2026-11-26T11:00:00+00:00")],
            true,
        );
        assert_eq!((added, data.new_events.len()), (2, 0), "the first load is not 'new'");
        assert_eq!(data.events[0].id, 2, "newest first");

        let mut watched = event(1, 10, "2026-11-26T10:00:00+00:00");
        watched.watched = true;
        let mut gone = event(2, 11, "2026-11-26T11:00:00+00:00");
        gone.deleted = true;
        let added = data.merge_events(vec![watched, gone, event(3, 10, "2026-11-26T12:00:00+00:00")], false);
        assert_eq!(added, 1);
        assert_eq!(data.new_events, HashSet::from([3]));
        assert_eq!(data.events.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 1]);
        assert!(data.events[1].watched);
        assert_eq!(
            data.last_motion.get(&10).map(ToString::to_string).as_deref(),
            Some("2026-11-26T12:00:00Z")
        );
        assert!(!data.last_motion.contains_key(&11));
    }

    #[test]
    fn events_sort_by_time_not_by_text() {
        let mut data = DataStore::default();
        // 15:00 UTC written with its offset sorts after 12:00 UTC as text, before it as time.
        data.merge_events(
            vec![event(1, 10, "2026-11-26T12:00:00+00:00"), event(2, 10, "2026-11-26T10:00:00-05:00")],
            true,
        );
        assert_eq!(data.events.iter().map(|e| e.id).collect::<Vec<_>>(), [2, 1], "newest first");
    }

    #[test]
    fn memory_is_bounded() {
        let mut data = DataStore::default();
        let batch =
            (0..EVENT_LIMIT as u64 + 50).map(|id| event(id, 1, "2026-11-26T10:00:00+00:00")).collect();
        data.merge_events(batch, true);
        assert_eq!(data.events.len(), EVENT_LIMIT);
    }
}
