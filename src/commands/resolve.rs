//! Finding the network, camera or program a user named: by id, by name ignoring case, or by the
//! start of a name when only one name starts that way. A name that matches several is an error
//! that lists them, so nothing is sent to the wrong one.

use crate::api::DeviceKind;
use crate::api::models::{Device, Homescreen, Network, Program};

use crate::context::CliError;

pub fn network<'a>(home: &'a Homescreen, query: &str) -> Result<&'a Network, CliError> {
    pick("network", query, home.networks.iter().map(|n| (n.id, n.name.as_str(), n)))
}

pub fn device<'a>(home: &'a Homescreen, query: &str) -> Result<(DeviceKind, &'a Device), CliError> {
    pick("camera", query, home.devices().map(|(kind, d)| (d.id, d.name.as_str(), (kind, d))))
}

pub fn program<'a>(programs: &'a [Program], query: &str) -> Result<&'a Program, CliError> {
    pick("program", query, programs.iter().map(|p| (p.id, p.name.as_str(), p)))
}

/// An id wins, then a whole name, then the start of a name. Each step that finds several
/// stops there with an error, so a longer name never hides behind a shorter one.
fn pick<'a, T: Copy + 'a>(
    what: &str,
    query: &str,
    candidates: impl Iterator<Item = (u64, &'a str, T)>,
) -> Result<T, CliError> {
    let candidates: Vec<_> = candidates.collect();
    let wanted = query.trim();
    if let Ok(id) = wanted.parse::<u64>()
        && let Some((_, _, item)) = candidates.iter().find(|(candidate, _, _)| *candidate == id)
    {
        return Ok(*item);
    }
    let folded = wanted.to_lowercase();
    let whole: Vec<_> = candidates.iter().filter(|(_, name, _)| name.to_lowercase() == folded).collect();
    // An empty query starts every name: it must not pick the only network of an account.
    let by_prefix = whole.is_empty() && !folded.is_empty();
    let matches = if by_prefix {
        candidates.iter().filter(|(_, name, _)| name.to_lowercase().starts_with(&folded)).collect()
    } else {
        whole
    };
    match matches.as_slice() {
        [(_, _, item)] => Ok(*item),
        [] => {
            let known: Vec<String> =
                candidates.iter().map(|(id, name, _)| format!("{name} ({id})")).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            Err(CliError::Usage(format!("no {what} called {wanted:?}; known: {known}")))
        }
        several => {
            let listed: Vec<String> =
                several.iter().map(|(id, name, _)| format!("{name} (id {id})")).collect();
            let remedy = if by_prefix { "type more of the name or use the id" } else { "use the id instead" };
            Err(CliError::Usage(format!(
                "{wanted:?} matches {} {what}s: {}; {remedy}",
                several.len(),
                listed.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> Homescreen {
        let network = |id, name: &str| Network { id, name: name.into(), ..Network::default() };
        let camera = |id, name: &str| Device { id, name: name.into(), network_id: 1, ..Device::default() };
        Homescreen {
            networks: vec![network(1, "Home"), network(2, "Cabin"), network(3, "cabin")],
            cameras: vec![
                camera(10, "Front Door"),
                camera(11, "Driveway"),
                camera(12, "Dock"),
                camera(13, "Porch"),
                camera(14, "Porch Light"),
                camera(15, "10 Mile Road"),
            ],
            ..Homescreen::default()
        }
    }

    fn camera_id(query: &str) -> Result<u64, CliError> {
        device(&home(), query).map(|(_, d)| d.id)
    }

    #[test]
    fn by_id_or_by_name_ignoring_case() {
        let home = home();
        assert_eq!(network(&home, "1").expect("id").name, "Home");
        assert_eq!(network(&home, "HOME").expect("name").id, 1);
        assert_eq!(camera_id("front door").expect("camera"), 10);
    }

    #[test]
    fn a_unique_start_of_a_name_is_enough() {
        assert_eq!(camera_id("dr").expect("Driveway"), 11);
        assert_eq!(camera_id("DO").expect("Dock"), 12);
        assert_eq!(camera_id("  front ").expect("trimmed"), 10);
        assert_eq!(network(&home(), "ho").expect("Home").id, 1);
        let programs = [
            Program { id: 7, name: "Weeknights".into(), ..Program::default() },
            Program { id: 8, name: "Weekend away".into(), ..Program::default() },
        ];
        assert_eq!(program(&programs, "weeke").expect("Weekend away").id, 8);
        assert!(program(&programs, "week").is_err(), "both start that way");
    }

    #[test]
    fn a_whole_name_beats_a_longer_one_it_starts_and_an_id_beats_both() {
        assert_eq!(camera_id("porch").expect("exact"), 13);
        assert_eq!(camera_id("porch l").expect("prefix"), 14);
        assert_eq!(camera_id("10").expect("id 10, not 10 Mile Road"), 10);
        assert_eq!(camera_id("10 m").expect("prefix"), 15);
        assert_eq!(network(&home(), "2").expect("id beats name").name, "Cabin");
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let err = network(&home(), "CABIN").expect_err("two match");
        let message = err.to_string();
        assert!(message.contains("Cabin (id 2)") && message.contains("cabin (id 3)"), "{message}");
        assert!(message.ends_with("use the id instead"), "{message}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn ambiguous_prefixes_list_the_candidates() {
        let err = camera_id("d").expect_err("Driveway and Dock");
        let message = err.to_string();
        assert!(message.starts_with("\"d\" matches 2 cameras: "), "{message}");
        assert!(message.contains("Driveway (id 11)") && message.contains("Dock (id 12)"), "{message}");
        assert!(message.ends_with("type more of the name or use the id"), "{message}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn unknown_names_list_what_exists() {
        let err = camera_id("Garage").expect_err("none");
        assert!(err.to_string().contains("Front Door (10)"), "{err}");
        assert!(err.to_string().starts_with("no camera called \"Garage\""), "{err}");
    }

    #[test]
    fn an_empty_name_matches_nothing() {
        let single = Homescreen {
            networks: vec![Network { id: 1, name: "Home".into(), ..Network::default() }],
            ..Homescreen::default()
        };
        assert!(network(&single, "").is_err(), "not the only network");
        assert!(network(&single, "   ").is_err());
    }
}
