//! Finding the network, camera or program a user named: by id, or by name ignoring case. A
//! name that matches several is an error that lists them, so nothing is sent to the wrong one.

use crate::api::DeviceKind;
use crate::api::models::{Device, Homescreen, Network, Program};

use super::CliError;

pub fn network<'a>(home: &'a Homescreen, query: &str) -> Result<&'a Network, CliError> {
    pick("network", query, home.networks.iter().map(|n| (n.id, n.name.as_str(), n)))
}

pub fn device<'a>(home: &'a Homescreen, query: &str) -> Result<(DeviceKind, &'a Device), CliError> {
    pick("camera", query, home.devices().map(|(kind, d)| (d.id, d.name.as_str(), (kind, d))))
}

pub fn program<'a>(programs: &'a [Program], query: &str) -> Result<&'a Program, CliError> {
    pick("program", query, programs.iter().map(|p| (p.id, p.name.as_str(), p)))
}

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
    let matches: Vec<_> =
        candidates.iter().filter(|(_, name, _)| name.eq_ignore_ascii_case(wanted)).collect();
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
            Err(CliError::Usage(format!(
                "{wanted:?} matches {} {what}s: {}; use the id instead",
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
        Homescreen {
            networks: vec![network(1, "Home"), network(2, "Cabin"), network(3, "cabin")],
            cameras: vec![Device { id: 10, name: "Front Door".into(), network_id: 1, ..Device::default() }],
            ..Homescreen::default()
        }
    }

    #[test]
    fn by_id_or_by_name_ignoring_case() {
        let home = home();
        assert_eq!(network(&home, "1").expect("id").name, "Home");
        assert_eq!(network(&home, "HOME").expect("name").id, 1);
        assert_eq!(device(&home, "front door").expect("camera").1.id, 10);
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let err = network(&home(), "CABIN").expect_err("two match");
        let message = err.to_string();
        assert!(message.contains("Cabin (id 2)") && message.contains("cabin (id 3)"), "{message}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn unknown_names_list_what_exists() {
        let err = device(&home(), "Garage").expect_err("none");
        assert!(err.to_string().contains("Front Door (10)"), "{err}");
        assert_eq!(network(&home(), "2").expect("id beats name").name, "Cabin");
    }
}
