//! Reading programs: when a schedule next arms or disarms, and a short description of it in
//! local time. Blink writes each entry as weekdays plus a UTC time of day
//! (`2016-06-02 14:45:00 +0000`; only the time counts), so weekdays are taken in UTC too.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::api::models::Program;
use crate::api::models::time::parse_timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextAction {
    /// `arm` or `disarm`.
    pub action: String,
    pub at: Timestamp,
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

fn weekday(name: &str) -> Option<Weekday> {
    let name = name.trim().to_ascii_lowercase();
    DAYS.iter().find(|(short, _)| name.starts_with(short)).map(|(_, day)| *day)
}

/// The soonest scheduled action after `now`, if the program is enabled and readable.
pub fn next_action(program: &Program, now: Timestamp) -> Option<NextAction> {
    if !program.is_enabled() {
        return None;
    }
    let today = now.to_zoned_datetime(TimeZone::UTC).date();
    program
        .schedule
        .iter()
        .filter_map(|entry| {
            let time = parse_timestamp(&entry.time)?.to_zoned_datetime(TimeZone::UTC).time();
            let days: Vec<Weekday> = entry.dow.iter().filter_map(|d| weekday(d)).collect();
            (0..8)
                .filter_map(|offset| today.checked_add(SignedDuration::from_hours(24 * offset)).ok())
                .filter(|date| days.contains(&date.weekday()))
                .filter_map(|date| date.to_datetime(time).to_zoned_datetime(TimeZone::UTC).ok())
                .map(|z| z.timestamp())
                .find(|at| *at > now)
                .map(|at| NextAction { action: entry.action.clone(), at })
        })
        .min_by_key(|next| next.at)
}

/// e.g. `arm weekdays 21:00, disarm weekdays 05:30` in the given zone.
pub fn describe(program: &Program, zone: &TimeZone) -> String {
    // A fixed reference week (2024-01-01 is a Monday) turns UTC weekday + time into local ones.
    let reference = Date::new(2024, 1, 1).unwrap_or_default();
    let parts: Vec<String> = program
        .schedule
        .iter()
        .filter_map(|entry| {
            let time = parse_timestamp(&entry.time)?.to_zoned_datetime(TimeZone::UTC).time();
            let mut local_days = Vec::new();
            let mut local_time = None;
            for day in entry.dow.iter().filter_map(|d| weekday(d)) {
                let date = reference
                    .checked_add(SignedDuration::from_hours(24 * i64::from(day.to_monday_zero_offset())))
                    .ok()?;
                let local = date
                    .to_datetime(time)
                    .to_zoned_datetime(TimeZone::UTC)
                    .ok()?
                    .timestamp()
                    .to_zoned_datetime(zone.clone());
                local_days.push(local.weekday());
                local_time = Some(local.time());
            }
            let time = local_time?;
            Some(format!("{} {} {}", entry.action, day_set(&local_days), time.strftime("%H:%M")))
        })
        .collect();
    if parts.is_empty() { "no schedule".to_owned() } else { parts.join(", ") }
}

fn day_set(days: &[Weekday]) -> String {
    let mut sorted: Vec<i8> = days.iter().map(|d| d.to_monday_zero_offset()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    match sorted.as_slice() {
        [0, 1, 2, 3, 4, 5, 6] => "daily".to_owned(),
        [0, 1, 2, 3, 4] => "weekdays".to_owned(),
        [5, 6] => "weekends".to_owned(),
        _ => sorted.iter().map(|i| DAYS[*i as usize].0).collect::<Vec<_>>().join(","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simulator's demo programs are built the same way Blink writes them.
    fn program(enabled: bool, days: &[&str], arm: &str, disarm: &str) -> Program {
        crate::sim::demo::program(1, 1, "p", enabled, days, arm, disarm)
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn next_action_is_the_soonest_future_entry() {
        let weekdays = program(true, &["mon", "tue", "wed", "thu", "fri"], "22:00", "06:30");
        // Wednesday 2026-11-25 12:00 UTC: next is arm at 22:00 the same day.
        let next = next_action(&weekdays, at("2026-11-25T12:00:00Z")).expect("next");
        assert_eq!((next.action.as_str(), next.at), ("arm", at("2026-11-25T22:00:00Z")));
        // Friday 23:00: the weekend has no entries, so Monday 06:30 disarms.
        let next = next_action(&weekdays, at("2026-11-27T23:00:00Z")).expect("next");
        assert_eq!((next.action.as_str(), next.at), ("disarm", at("2026-11-30T06:30:00Z")));
    }

    #[test]
    fn disabled_or_empty_programs_have_no_next_action() {
        assert_eq!(
            next_action(&program(false, &["mon"], "01:00", "02:00"), at("2026-11-25T12:00:00Z")),
            None
        );
        assert_eq!(next_action(&program(true, &[], "01:00", "02:00"), at("2026-11-25T12:00:00Z")), None);
    }

    #[test]
    fn descriptions_use_local_days_and_times() {
        let weekdays = program(true, &["mon", "tue", "wed", "thu", "fri"], "22:00", "06:30");
        assert_eq!(describe(&weekdays, &TimeZone::UTC), "arm weekdays 22:00, disarm weekdays 06:30");
        // 02:00 UTC Monday-Friday is 21:00 Sunday-Thursday in New York (EST).
        let late = program(true, &["mon", "tue", "wed", "thu", "fri"], "02:00", "14:00");
        let new_york = TimeZone::get("America/New_York").expect("tzdb");
        assert_eq!(describe(&late, &new_york), "arm mon,tue,wed,thu,sun 21:00, disarm weekdays 09:00");
        assert_eq!(
            describe(&program(true, &["sat", "sun"], "09:00", "18:00"), &TimeZone::UTC),
            "arm weekends 09:00, disarm weekends 18:00"
        );
    }
}
