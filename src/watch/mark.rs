//! The high-water mark: what watch has reported, kept in the state directory so that a
//! restart neither repeats an event nor misses one that happened while it was down.
//!
//! Blink lists events *changed* since a time, and an event can show up a little after the
//! moment it was recorded (the clip uploads first). So the mark is an interval of event times
//! reported in full, `covered_from .. watermark - OVERLAP`, plus the ids reported near its
//! edges; each poll asks for everything changed since `watermark - OVERLAP`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::api::models::MediaItem;
use crate::files::write_atomic;

/// How late an event may appear in Blink's list and still be reported.
pub const OVERLAP: SignedDuration = SignedDuration::from_mins(30);
/// Clips waiting for a retry, at most; past that the oldest are given up.
const MAX_PENDING: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// Every event recorded from this time ...
    #[serde(with = "rfc3339")]
    covered_from: Timestamp,
    /// ... to this one, less [`OVERLAP`], has been reported.
    #[serde(with = "rfc3339")]
    watermark: Timestamp,
    /// Reported events the interval does not cover yet: id and time recorded.
    #[serde(default)]
    recent: BTreeMap<u64, i64>,
    /// Clips reported whose download failed, to try again.
    #[serde(default)]
    pub pending: Vec<PendingClip>,
    /// USB stick clips reported, by id. A stick's manifest is read every few minutes and a
    /// clip recorded while the site was offline shows up hours late, so the interval above
    /// cannot vouch for them.
    #[serde(default)]
    stick: BTreeSet<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingClip {
    pub event: MediaItem,
    pub attempts: u32,
    /// Unix seconds of the next attempt.
    pub next_try: i64,
    /// Its event is not announced yet: it waits for the clip (`watch --download`).
    #[serde(default)]
    pub held: bool,
}

pub fn is_stick_clip(event: &MediaItem) -> bool {
    event.source.as_deref() == Some(crate::local_clips::USB_SOURCE)
}

/// When an event was recorded: Blink's `created_at` (an event without one is never read).
pub fn recorded_at(event: &MediaItem) -> Timestamp {
    event.created_at.at
}

impl Mark {
    /// A mark that has reported nothing, starting at `from`.
    pub fn new(from: Timestamp) -> Self {
        Self {
            covered_from: from,
            watermark: from,
            recent: BTreeMap::new(),
            pending: Vec::new(),
            stick: BTreeSet::new(),
        }
    }

    pub fn covered_from(&self) -> Timestamp {
        self.covered_from
    }

    /// What the next poll asks Blink for: everything changed since then.
    pub fn query_since(&self) -> Timestamp {
        self.watermark.saturating_sub(OVERLAP).unwrap_or(Timestamp::MIN)
    }

    /// Whether `event` was reported: a stick clip by its id, a cloud event by the interval.
    pub fn reported_event(&self, event: &MediaItem) -> bool {
        match is_stick_clip(event) {
            true => self.stick.contains(&event.id),
            false => self.reported(event.id, recorded_at(event)),
        }
    }

    /// Notes `event` as reported; a stick clip leaves the interval alone.
    pub fn record_event(&mut self, event: &MediaItem) {
        match is_stick_clip(event) {
            true => {
                self.stick.insert(event.id);
            }
            false => self.record(event.id, recorded_at(event)),
        }
    }

    /// Forgets the stick clips that are no longer on any stick (after a read of every stick).
    pub fn keep_stick_clips(&mut self, listed: &BTreeSet<u64>) {
        self.stick.retain(|id| listed.contains(id));
    }

    pub fn reported(&self, id: u64, at: Timestamp) -> bool {
        self.covers(at) || self.recent.contains_key(&id)
    }

    fn covers(&self, at: Timestamp) -> bool {
        at >= self.covered_from && at < self.query_since()
    }

    /// Notes an event as reported.
    pub fn record(&mut self, id: u64, at: Timestamp) {
        self.recent.insert(id, at.as_second());
        self.watermark = self.watermark.max(at);
        self.prune();
    }

    /// Everything recorded since `from` has now been reported (a backfill finished).
    pub fn cover_from(&mut self, from: Timestamp) {
        self.covered_from = self.covered_from.min(from);
        self.prune();
    }

    fn prune(&mut self) {
        let covered = |seconds: i64| Timestamp::from_second(seconds).is_ok_and(|at| self.covers(at));
        let implied: Vec<u64> =
            self.recent.iter().filter(|(_, at)| covered(**at)).map(|(id, _)| *id).collect();
        for id in implied {
            self.recent.remove(&id);
        }
    }

    /// Queues a clip for another try; returns the clips given up to stay within bounds.
    pub fn defer(&mut self, clip: PendingClip) -> Vec<PendingClip> {
        self.pending.retain(|p| p.event.id != clip.event.id);
        self.pending.push(clip);
        let excess = self.pending.len().saturating_sub(MAX_PENDING);
        self.pending.drain(..excess).collect()
    }
}

/// The mark's file: one per account in the state directory.
#[derive(Debug, Clone)]
pub struct MarkFile {
    path: PathBuf,
}

impl MarkFile {
    pub fn new(state_dir: &Path, account_id: u64) -> Self {
        Self { path: state_dir.join("watch").join(format!("account-{account_id}.json")) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved mark; `None` when there is none yet. A damaged file is an error, not a
    /// silent restart that would report everything again.
    pub fn load(&self) -> Result<Option<Mark>, String> {
        let text = match std::fs::read(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(format!("cannot read {}: {err}", self.path.display())),
        };
        serde_json::from_slice(&text).map(Some).map_err(|err| {
            format!("{} is damaged ({err}); move it away to start watching afresh", self.path.display())
        })
    }

    pub fn save(&self, mark: &Mark) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(mark).map_err(std::io::Error::other)?;
        write_atomic(&self.path, &text)
    }
}

mod rfc3339 {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(at)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn reported_events_stay_reported_as_the_window_moves() {
        let mut mark = Mark::new(at("2026-12-01T10:00:00Z"));
        assert!(!mark.reported(1, at("2026-12-01T10:05:00Z")));
        mark.record(1, at("2026-12-01T10:05:00Z"));
        assert!(mark.reported(1, at("2026-12-01T10:05:00Z")));
        assert!(!mark.reported(2, at("2026-12-01T10:04:00Z")), "late, but inside the overlap");
        mark.record(3, at("2026-12-01T12:00:00Z"));
        assert!(mark.reported(1, at("2026-12-01T10:05:00Z")), "now implied by the interval");
        assert!(mark.reported(2, at("2026-12-01T10:04:00Z")), "too late to be reported");
        assert_eq!(mark.recent.keys().copied().collect::<Vec<_>>(), [3], "only the edge is listed");
        assert_eq!(mark.query_since(), at("2026-12-01T11:30:00Z"));
    }

    #[test]
    fn a_backfill_before_the_interval_counts_once_finished() {
        let mut mark = Mark::new(at("2026-12-01T10:00:00Z"));
        mark.record(7, at("2026-12-01T11:00:00Z"));
        mark.record(5, at("2026-11-28T09:00:00Z"));
        assert!(mark.reported(5, at("2026-11-28T09:00:00Z")), "listed until the backfill is done");
        assert!(!mark.reported(4, at("2026-11-28T08:00:00Z")));
        mark.cover_from(at("2026-11-27T00:00:00Z"));
        assert!(mark.reported(4, at("2026-11-28T08:00:00Z")));
        assert!(!mark.recent.contains_key(&5));
    }

    #[test]
    fn the_file_round_trips_and_damage_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = MarkFile::new(dir.path(), 42);
        assert_eq!(file.load(), Ok(None));
        let mut mark = Mark::new(at("2026-12-01T10:00:00Z"));
        mark.record(9, at("2026-12-01T10:01:00Z"));
        mark.defer(PendingClip {
            event: MediaItem { id: 9, ..MediaItem::default() },
            attempts: 1,
            next_try: 5,
            held: true,
        });
        file.save(&mark).expect("save");
        assert_eq!(file.load(), Ok(Some(mark)));
        std::fs::write(file.path(), "{").expect("damage");
        assert!(file.load().expect_err("damaged").contains("move it away"));
    }
}
