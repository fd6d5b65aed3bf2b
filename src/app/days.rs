//! Day separators in the events pane. Events of networks in different zones are listed by
//! the instant they happened; a day line above each day's events, taken in this machine's
//! zone (the user's own day), keeps that order from looking wrong. Separators are lines on
//! screen only: the selection, marks and filters still address events.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::lists::ListView;
use super::{AppState, Pane};
use crate::api::models::MediaItem;

/// One line of the events pane, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventLine {
    /// The day of the events below it.
    Day(Date),
    /// The event at this position of the pane's visible list.
    Event(usize),
}

pub fn day_of(at: Timestamp, zone: &TimeZone) -> Date {
    zone.to_datetime(at).date()
}

/// "Today", "Yesterday", or the date ("Sat 5 Dec"); the year only when it is not this one.
pub fn day_label(day: Date, today: Date) -> String {
    if day == today {
        "Today".into()
    } else if today.yesterday().ok() == Some(day) {
        "Yesterday".into()
    } else if day.year() == today.year() {
        day.strftime("%a %-d %b").to_string()
    } else {
        day.strftime("%a %-d %b %Y").to_string()
    }
}

/// The lines the events pane shows in `height` rows from its scroll offset: a day line on
/// top and wherever the day changes, never one as the last line (it would head nothing).
/// Days are `zone`'s, this machine's.
pub fn event_lines(list: &ListView, events: &[MediaItem], zone: &TimeZone, height: usize) -> Vec<EventLine> {
    let mut lines = Vec::with_capacity(height);
    let mut last = None;
    for (position, index) in list.visible.iter().copied().enumerate().skip(list.offset) {
        let Some(event) = events.get(index) else { break };
        let day = day_of(event.created_at.at, zone);
        let needs_day = last != Some(day);
        if lines.len() + 1 + usize::from(needs_day) > height {
            break;
        }
        if needs_day {
            lines.push(EventLine::Day(day));
            last = Some(day);
        }
        lines.push(EventLine::Event(position));
    }
    lines
}

/// Scrolls the events pane further when day lines push the selected event below its
/// bottom (the list scrolls by events; the lines between them are not counted there).
pub fn keep_selection_on_screen(state: &mut AppState, height: usize) {
    let selected = state.list(Pane::Events).selected;
    while state.list(Pane::Events).offset < selected
        && !state_lines(state, height).contains(&EventLine::Event(selected))
    {
        state.list_mut(Pane::Events).offset += 1;
    }
}

/// The event a click on line `row` of the events pane lands on: a day line stands for the
/// first event under it.
pub fn event_at_line(state: &AppState, height: usize, row: usize) -> Option<usize> {
    state_lines(state, height).into_iter().skip(row).find_map(|line| match line {
        EventLine::Event(position) => Some(position),
        EventLine::Day(_) => None,
    })
}

fn state_lines(state: &AppState, height: usize) -> Vec<EventLine> {
    event_lines(state.list(Pane::Events), &state.data.events, &state.session.zone, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_as_people_say_them() {
        let today = jiff::civil::date(2026, 12, 7);
        assert_eq!(day_label(today, today), "Today");
        assert_eq!(day_label(jiff::civil::date(2026, 12, 6), today), "Yesterday");
        assert_eq!(day_label(jiff::civil::date(2026, 12, 5), today), "Sat 5 Dec");
        assert_eq!(day_label(jiff::civil::date(2025, 12, 5), today), "Fri 5 Dec 2025");
    }

    #[test]
    fn the_day_is_the_users_not_the_networks() {
        // 23:30 in New York on the 4th is the 5th in Berlin.
        let at: Timestamp = "2026-12-05T04:30:00Z".parse().expect("time");
        let berlin = TimeZone::get("Europe/Berlin").expect("zone");
        assert_eq!(day_of(at, &berlin), jiff::civil::date(2026, 12, 5));
        let new_york = TimeZone::get("America/New_York").expect("zone");
        assert_eq!(day_of(at, &new_york), jiff::civil::date(2026, 12, 4));
    }
}
