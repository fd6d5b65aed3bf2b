//! Each event's time as its row shows it, in its network's zone, made when the events or the
//! zones change rather than with every frame: drawing a row then formats nothing.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::data::DataStore;
use crate::api::models::MediaItem;

/// `at` in `zone` as `format` gives it, followed by the zone's abbreviation when its clock
/// differs from this machine's (`05:22 EST`): how every time of a network is written, on
/// screen and by the commands.
pub fn zoned_text(at: Timestamp, zone: &TimeZone, machine: &TimeZone, format: &str) -> String {
    let zoned = at.to_zoned_datetime(zone.clone());
    let text = zoned.strftime(format).to_string();
    if zone.to_offset(at) == machine.to_offset(at) {
        return text;
    }
    format!("{text} {}", zoned.strftime("%Z"))
}

/// A network's zone from Blink's name for it (`America/New_York`), else this machine's.
pub fn zone_named(name: Option<&str>) -> TimeZone {
    name.and_then(|name| TimeZone::get(name).ok()).unwrap_or_else(TimeZone::system)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventClock {
    /// The day in the network's zone: a row names the weekday unless it is today there.
    pub day: Date,
    /// `    14:03` (today) and `Tue 14:03`, followed by the zone's abbreviation when the
    /// network's clock differs from this machine's.
    pub today: String,
    pub other_day: String,
    pub labelled: bool,
}

impl EventClock {
    pub fn new(at: Timestamp, zone: &TimeZone, machine: &TimeZone) -> Self {
        let zoned = at.to_zoned_datetime(zone.clone());
        let labelled = zone.to_offset(at) != machine.to_offset(at);
        let label = if labelled { format!(" {}", zoned.strftime("%Z")) } else { String::new() };
        let clock = zoned.strftime("%H:%M");
        Self {
            day: zoned.date(),
            today: format!("    {clock}{label}"),
            other_day: format!("{} {clock}{label}", zoned.strftime("%a")),
            labelled,
        }
    }

    /// The text for a frame drawn at `now`.
    pub fn text(&self, now: Timestamp, zone: &TimeZone) -> &str {
        if zone.to_datetime(now).date() == self.day { &self.today } else { &self.other_day }
    }
}

/// The clocks of the events in a [`DataStore`], by event id.
#[derive(Debug, Default)]
pub struct EventClocks {
    /// What they were made for: the store's generation, this machine's zone and the
    /// networks' zones.
    made_for: Option<(u64, TimeZone, HashMap<u64, TimeZone>)>,
    clocks: HashMap<u64, (Timestamp, u64, EventClock)>,
}

impl EventClocks {
    /// Makes the clocks of new or changed events and forgets those of events gone; all of
    /// them again when a zone changed. Costs nothing when nothing did.
    pub fn refresh(&mut self, data: &DataStore, machine: &TimeZone) {
        if self.made_for.as_ref().is_some_and(|(generation, zone, zones)| {
            (*generation, zone, zones) == (data.generation, machine, &data.zones)
        }) {
            return;
        }
        let zones_changed =
            self.made_for.as_ref().is_none_or(|(_, zone, zones)| zone != machine || zones != &data.zones);
        if zones_changed {
            self.clocks.clear();
        }
        let mut clocks = HashMap::with_capacity(data.events.len());
        for event in &data.events {
            let key = (event.created_at.at, event.network_id);
            let clock = match self.clocks.remove(&event.id) {
                Some((at, network, clock)) if (at, network) == key => clock,
                _ => EventClock::new(key.0, data.zone_of(key.1, machine), machine),
            };
            clocks.insert(event.id, (key.0, key.1, clock));
        }
        self.clocks = clocks;
        self.made_for = Some((data.generation, machine.clone(), data.zones.clone()));
    }

    /// An event's time as its row shows it: made when it arrived, or now (in `zone`, its
    /// network's) if it was not.
    pub fn clock(&self, event: &MediaItem, zone: &TimeZone, machine: &TimeZone) -> Cow<'_, EventClock> {
        match self.get(event) {
            Some(clock) => Cow::Borrowed(clock),
            None => Cow::Owned(EventClock::new(event.created_at.at, zone, machine)),
        }
    }

    /// The clock made for `event`, if it is still the event's.
    pub fn get(&self, event: &MediaItem) -> Option<&EventClock> {
        self.clocks
            .get(&event.id)
            .filter(|(at, network, _)| (*at, *network) == (event.created_at.at, event.network_id))
            .map(|(_, _, clock)| clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, network: u64, at: &str) -> MediaItem {
        MediaItem { id, network_id: network, created_at: at.parse().expect("time"), ..MediaItem::default() }
    }

    #[test]
    fn rows_read_in_the_networks_zone_labelled_when_not_this_machines() {
        let new_york = TimeZone::get("America/New_York").expect("zone");
        let mut data = DataStore::default();
        data.zones.insert(1, new_york.clone());
        data.merge_events(
            vec![event(10, 1, "2026-11-26T19:00:00+00:00"), event(11, 2, "2026-11-25T19:00:00+00:00")],
            true,
        );
        let mut clocks = EventClocks::default();
        clocks.refresh(&data, &TimeZone::UTC);
        let now: Timestamp = "2026-11-26T20:00:00Z".parse().expect("now");
        let text = |clocks: &EventClocks, id: usize, zone: &TimeZone| {
            clocks.get(&data.events[id]).expect("made").text(now, zone).to_owned()
        };
        assert_eq!(text(&clocks, 0, &new_york), "    14:00 EST");
        assert_eq!(text(&clocks, 1, &TimeZone::UTC), "Wed 19:00", "another day, this machine's zone");
        // This machine moves to New York: the label goes.
        clocks.refresh(&data, &new_york);
        assert_eq!(text(&clocks, 0, &new_york), "    14:00");
    }

    #[test]
    fn clocks_follow_the_events() {
        let mut data = DataStore::default();
        data.merge_events(vec![event(10, 1, "2026-11-26T19:00:00+00:00")], true);
        let mut clocks = EventClocks::default();
        clocks.refresh(&data, &TimeZone::UTC);
        data.merge_events(vec![event(10, 1, "2026-11-26T18:00:00+00:00")], false);
        assert!(clocks.get(&data.events[0]).is_none(), "a changed time is not shown from the old clock");
        clocks.refresh(&data, &TimeZone::UTC);
        let now: Timestamp = "2026-11-26T20:00:00Z".parse().expect("now");
        assert_eq!(clocks.get(&data.events[0]).map(|c| c.text(now, &TimeZone::UTC)), Some("    18:00"));
        let current = data.events[0].clone();
        data.remove_event(10);
        clocks.refresh(&data, &TimeZone::UTC);
        assert!(clocks.get(&current).is_none(), "gone with its event");
    }
}
