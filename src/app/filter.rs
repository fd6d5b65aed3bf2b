//! What `/` understands in the events pane: plain words (camera, network or source), and
//! `cam:NAME`, `net:NAME`, `src:SOURCE`, `unwatched`, `since:2h|1d|2026-12-01`. Every term must
//! match. Other panes match plain text against their names.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::data::source_label;
use crate::api::models::MediaItem;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    words: Vec<String>,
    cameras: Vec<String>,
    networks: Vec<String>,
    sources: Vec<String>,
    unwatched: bool,
    since: Option<Timestamp>,
    /// Terms that did not parse (`since:yesterday`): they match nothing, so a typo never
    /// shows everything, and the pane says which they are.
    invalid: Vec<String>,
}

/// The term `u` adds and removes.
pub const UNWATCHED: &str = "unwatched";

impl EventFilter {
    pub fn parse(text: &str, now: Timestamp, zone: &TimeZone) -> Self {
        let mut filter = Self::default();
        for term in text.split_whitespace() {
            let lower = term.to_lowercase();
            match lower.split_once(':') {
                Some(("cam" | "camera", value)) => filter.cameras.push(value.to_owned()),
                Some(("net" | "network", value)) => filter.networks.push(value.to_owned()),
                Some(("src" | "source", value)) => filter.sources.push(value.to_owned()),
                Some(("since", value)) => match since(value, now, zone) {
                    Some(at) => filter.since = Some(at),
                    None => filter.invalid.push(term.to_owned()),
                },
                _ if lower == UNWATCHED => filter.unwatched = true,
                _ => filter.words.push(lower),
            }
        }
        filter
    }

    pub fn matches(&self, event: &MediaItem) -> bool {
        let camera = event.device_name.to_lowercase();
        let network = event.network_name.as_deref().unwrap_or("").to_lowercase();
        let source = event.source.as_deref().unwrap_or("").to_lowercase();
        let label = source_label(event.source.as_deref()).to_lowercase();
        let created = || Some(event.created_at.at);
        self.invalid.is_empty()
            && self.cameras.iter().all(|c| camera.contains(c.as_str()))
            && self.networks.iter().all(|n| network.contains(n.as_str()))
            && self.sources.iter().all(|s| source.contains(s.as_str()) || label.contains(s.as_str()))
            && (!self.unwatched || !event.watched)
            && self.since.is_none_or(|since| created().is_some_and(|at| at >= since))
            && self.words.iter().all(|w| {
                camera.contains(w.as_str())
                    || network.contains(w.as_str())
                    || source.contains(w.as_str())
                    || label.contains(w.as_str())
            })
    }
}

/// What is wrong with the filter, if a term was not understood: the term and what is accepted.
pub fn problem(text: &str, now: Timestamp, zone: &TimeZone) -> Option<String> {
    let filter = EventFilter::parse(text, now, zone);
    let term = filter.invalid.first()?;
    Some(format!("{term} is not understood: since: takes 2h, 1d, 1w, a date (2026-12-01) or a time"))
}

/// The shared reading of a starting time (`2h`, `3d`, a date, a time), in `zone`.
fn since(text: &str, now: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
    crate::when::parse_since(text, &now.to_zoned_datetime(zone.clone())).ok()
}

/// `text` with the `unwatched` term added, or removed when it was there.
pub fn toggle_unwatched(text: &str) -> String {
    let terms: Vec<&str> = text.split_whitespace().collect();
    if terms.iter().any(|t| t.eq_ignore_ascii_case(UNWATCHED)) {
        terms.into_iter().filter(|t| !t.eq_ignore_ascii_case(UNWATCHED)).collect::<Vec<_>>().join(" ")
    } else {
        terms.into_iter().chain([UNWATCHED]).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(camera: &str, network: &str, source: &str, watched: bool, at: &str) -> MediaItem {
        MediaItem {
            device_name: camera.into(),
            network_name: Some(network.into()),
            source: Some(source.into()),
            watched,
            created_at: at.parse().expect("time"),
            ..MediaItem::default()
        }
    }

    fn now() -> Timestamp {
        "2026-12-03T12:00:00Z".parse().expect("now")
    }

    fn shown(text: &str, events: &[MediaItem]) -> Vec<usize> {
        let filter = EventFilter::parse(text, now(), &TimeZone::UTC);
        events.iter().enumerate().filter(|(_, e)| filter.matches(e)).map(|(i, _)| i).collect()
    }

    #[test]
    fn terms_narrow_by_camera_network_source_watched_and_time() {
        let events = [
            event("Front Door", "Home", "pir", false, "2026-12-03T11:00:00Z"),
            event("Driveway", "Home", "snapshot", true, "2026-12-02T09:00:00Z"),
            event("Dock", "Cabin", "pir", true, "2026-11-20T09:00:00Z"),
        ];
        assert_eq!(shown("", &events), [0, 1, 2]);
        assert_eq!(shown("cam:front", &events), [0]);
        assert_eq!(shown("net:cabin", &events), [2]);
        assert_eq!(shown("src:manual", &events), [1], "the words shown match too");
        assert_eq!(shown("src:pir net:home", &events), [0]);
        assert_eq!(shown("unwatched", &events), [0]);
        assert_eq!(shown("since:2h", &events), [0]);
        assert_eq!(shown("since:1d", &events), [0]);
        assert_eq!(shown("since:2d", &events), [0, 1]);
        assert_eq!(shown("since:2026-12-01", &events), [0, 1]);
        assert_eq!(shown("home motion", &events), [0], "plain words match any field");
        assert_eq!(shown("since:yesterday", &events), Vec::<usize>::new(), "a bad term shows nothing");
        let said = problem("cam:front since:yesterday", now(), &TimeZone::UTC).expect("a problem");
        assert!(said.starts_with("since:yesterday is not understood") && said.contains("2h"), "{said}");
        assert_eq!(problem("cam:front since:2h", now(), &TimeZone::UTC), None);
    }

    #[test]
    fn u_adds_and_removes_the_unwatched_term() {
        assert_eq!(toggle_unwatched("cam:front"), "cam:front unwatched");
        assert_eq!(toggle_unwatched("cam:front Unwatched"), "cam:front");
        assert_eq!(toggle_unwatched(""), "unwatched");
    }
}
