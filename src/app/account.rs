//! The account view (`A`): who is logged in, where the account lives, its notification flags
//! (each toggled as a run through the command queue, then read again) and the feature flags
//! Blink keeps for it. The rows are built from the state each time, like the other menus.

use std::collections::BTreeMap;

use super::AppState;
use super::choose::{Choice, Pick};
use super::command_run::Operation;
use crate::api::change::Change;

/// What was read for the view: the notification flags, the account's options, the region.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountOverview {
    pub tier: String,
    /// Blink's name for the tier's region (`United States - EAST`), when its list has it.
    pub region: Option<String>,
    pub notifications: BTreeMap<String, bool>,
    /// The boolean feature flags of `/api/v1/account/options`.
    pub options: BTreeMap<String, bool>,
}

/// Where the view's reading stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum AccountRead {
    #[default]
    NotRead,
    Reading,
    Read(AccountOverview),
    Failed(String),
}

/// A notification flag as people say it: `low_battery` → `low battery`.
pub fn flag_label(name: &str) -> String {
    name.replace('_', " ")
}

/// The rows of the account view.
pub fn rows(state: &AppState) -> Vec<Choice> {
    let info = |label: String| Choice { label, current: false, pick: Pick::Nothing };
    let mut rows = vec![
        info(format!("{:<12}{}", "E-mail", state.session.account)),
        info(format!("{:<12}{}", "Account id", state.data.account_id)),
    ];
    let overview = match &state.session.account_read {
        AccountRead::Read(overview) => overview,
        AccountRead::NotRead | AccountRead::Reading => {
            rows.push(info("reading the account…".into()));
            return rows;
        }
        AccountRead::Failed(error) => {
            rows.push(info(format!("could not read the account: {error}")));
            return rows;
        }
    };
    let region = overview.region.as_deref().unwrap_or("not in Blink's list");
    rows.push(info(format!("{:<12}{} ({region})", "Tier", overview.tier)));
    rows.push(info("Notifications (Enter switches)".into()));
    for (name, on) in &overview.notifications {
        let verb = if *on { "off" } else { "on" };
        rows.push(Choice {
            label: format!("  {:<31}{}", flag_label(name), if *on { "on" } else { "off" }),
            current: *on,
            pick: Pick::Run {
                op: Operation::Change(Change::Notification { name: name.clone(), on: !on }),
                label: format!("{} notifications {verb}", capitalised(&flag_label(name))),
            },
        });
    }
    if !overview.options.is_empty() {
        rows.push(info("Account options (Blink's)".into()));
        for (name, on) in &overview.options {
            rows.push(info(format!("  {:<31}{}", flag_label(name), if *on { "yes" } else { "no" })));
        }
    }
    rows
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_as_words() {
        assert_eq!(flag_label("sync_module_offline"), "sync module offline");
        assert_eq!(capitalised("low battery"), "Low battery");
    }
}
