//! `blinktui notifications [--set NAME=on|off]... [--json]`: the account's notification flags,
//! and switching them. Blink applies a change at once; the flags are read again after it, so
//! what is printed is what Blink now has.

use std::collections::BTreeMap;

use crate::api::models::NotificationConfig;
use crate::app::account::flag_label;
use crate::context::{CliError, Context};
use crate::output::{print_json, say, table};

pub async fn notifications(ctx: &Context, set: &[String], json: bool) -> Result<(), CliError> {
    let changes = parse_changes(set)?;
    if !changes.is_empty() {
        ctx.refuse_in_read_only("changing notifications")?;
    }
    let client = ctx.client()?;
    let mut flags = client.notifications().await?.notifications;
    if !changes.is_empty() {
        let unknown: Vec<&str> =
            changes.keys().map(String::as_str).filter(|n| !flags.contains_key(*n)).collect();
        if !unknown.is_empty() {
            let known: Vec<&str> = flags.keys().map(String::as_str).collect();
            return Err(CliError::Usage(format!(
                "no such notification: {}; the account has: {}",
                unknown.join(", "),
                known.join(", ")
            )));
        }
        client.set_notifications(&NotificationConfig { notifications: changes }).await?;
        flags = client.notifications().await?.notifications;
    }
    if json {
        return print_json(&flags);
    }
    let rows = flags
        .iter()
        .map(|(name, on)| vec![name.clone(), flag_label(name), if *on { "on" } else { "off" }.to_owned()]);
    say!("{}", table(&["NAME", "NOTIFICATION", "STATE"], rows));
    Ok(())
}

/// `motion=off low_battery=on` into the flags to send; anything else is a usage error.
fn parse_changes(set: &[String]) -> Result<BTreeMap<String, bool>, CliError> {
    let mut changes = BTreeMap::new();
    for item in set {
        let bad = || CliError::Usage(format!("--set {item:?}: write NAME=on or NAME=off (e.g. motion=off)"));
        let (name, state) = item.split_once('=').ok_or_else(bad)?;
        let on = match state.trim().to_ascii_lowercase().as_str() {
            "on" | "true" => true,
            "off" | "false" => false,
            _ => return Err(bad()),
        };
        let name = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if name.is_empty() {
            return Err(bad());
        }
        changes.insert(name, on);
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_name_equals_on_or_off() {
        let set = ["motion=off".to_owned(), "Low-Battery=ON".to_owned()];
        let changes = parse_changes(&set).expect("parse");
        assert_eq!(changes, BTreeMap::from([("low_battery".into(), true), ("motion".into(), false)]));
        for bad in ["motion", "motion=maybe", "=on"] {
            assert!(matches!(parse_changes(&[bad.to_owned()]), Err(CliError::Usage(_))), "{bad}");
        }
    }
}
