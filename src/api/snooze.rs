//! Snoozing: Blink stops motion notifications of a network, a camera, a Mini or a doorbell for
//! a number of minutes (`{"snooze_time": minutes}`), or until unsnoozed. Paths from the app's
//! own calls (blink-api.md §7); the answer is read as a command or as applied at once.

use super::client::BlinkClient;
use super::commands::Started;
use super::device::{DeviceKind, DeviceRef};
use super::error::ApiError;

/// What a snooze applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SnoozeTarget {
    Network(u64),
    Device(DeviceRef),
}

impl SnoozeTarget {
    pub fn network_id(&self) -> u64 {
        match self {
            Self::Network(id) => *id,
            Self::Device(device) => device.network_id,
        }
    }

    /// `/api/v1/accounts/{a}/networks/{n}[/{family}/{c}]/{verb}`.
    pub fn path(&self, account: u64, verb: &str) -> String {
        match self {
            Self::Network(n) => format!("/api/v1/accounts/{account}/networks/{n}/{verb}"),
            Self::Device(device) => {
                let family = match device.kind {
                    DeviceKind::Camera => "cameras",
                    DeviceKind::Mini => "owls",
                    DeviceKind::Doorbell => "doorbells",
                };
                format!(
                    "/api/v1/accounts/{account}/networks/{}/{family}/{}/{verb}",
                    device.network_id, device.id
                )
            }
        }
    }
}

/// Blink documents no "until I turn it off"; this long a snooze stands for it.
pub const UNTIL_UNSNOOZED_MINUTES: u32 = 365 * 24 * 60;

impl BlinkClient {
    /// Snoozes `target` for `minutes` (at least 1).
    pub async fn snooze(&self, target: &SnoozeTarget, minutes: u32) -> Result<Started, ApiError> {
        let body = serde_json::json!({ "snooze_time": minutes.max(1) });
        let path = target.path(self.account_id(), "snooze");
        self.start_command(&path, Some(body), target.network_id(), true, "snooze").await
    }

    /// Ends a snooze.
    pub async fn unsnooze(&self, target: &SnoozeTarget) -> Result<Started, ApiError> {
        let path = target.path(self.account_id(), "unsnooze");
        self.start_command(&path, None, target.network_id(), true, "unsnooze").await
    }
}

/// Remaining snooze in words for the lists: `45s`, `29m`, `3h59m`, `2d`, `on` when Blink says
/// snoozed without a time; `None` when not snoozed.
pub fn remaining_label(snoozed: Option<bool>, remaining_secs: Option<i64>) -> Option<String> {
    match (snoozed, remaining_secs) {
        (_, Some(secs)) if secs > 0 => {
            // Rounded up: a snooze of an hour reads `1h` for all of its first minute.
            let minutes = (secs + 59) / 60;
            Some(match minutes {
                _ if secs < 60 => format!("{secs}s"),
                m if m < 60 => format!("{m}m"),
                m if m < 48 * 60 && m % 60 == 0 => format!("{}h", m / 60),
                m if m < 48 * 60 => format!("{}h{:02}m", m / 60, m % 60),
                _ => format!("{}d", secs / 86_400),
            })
        }
        (Some(true), _) => Some("on".to_owned()),
        _ => None,
    }
}

/// `30m`, `1h`, `4h`, `90m`, `2d`, `forever` → minutes. Refuses zero, garbage, and more than a year.
pub fn parse_duration(text: &str) -> Option<u32> {
    let text = text.trim().to_ascii_lowercase();
    if matches!(text.as_str(), "forever" | "until-unsnoozed") {
        return Some(UNTIL_UNSNOOZED_MINUTES);
    }
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let minutes = match unit {
        "m" | "min" | "" => number,
        "h" => number.checked_mul(60)?,
        "d" => number.checked_mul(24 * 60)?,
        _ => return None,
    };
    u32::try_from(minutes).ok().filter(|m| (1..=UNTIL_UNSNOOZED_MINUTES).contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_per_target() {
        let device = |kind| DeviceRef { kind, id: 7, network_id: 3, device_type: String::new() };
        assert_eq!(SnoozeTarget::Network(3).path(1, "snooze"), "/api/v1/accounts/1/networks/3/snooze");
        assert_eq!(
            SnoozeTarget::Device(device(DeviceKind::Camera)).path(1, "unsnooze"),
            "/api/v1/accounts/1/networks/3/cameras/7/unsnooze"
        );
        assert_eq!(
            SnoozeTarget::Device(device(DeviceKind::Mini)).path(1, "snooze"),
            "/api/v1/accounts/1/networks/3/owls/7/snooze"
        );
        assert_eq!(
            SnoozeTarget::Device(device(DeviceKind::Doorbell)).path(1, "snooze"),
            "/api/v1/accounts/1/networks/3/doorbells/7/snooze"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Some(30));
        assert_eq!(parse_duration("1h"), Some(60));
        assert_eq!(parse_duration("4H"), Some(240));
        assert_eq!(parse_duration("2d"), Some(2880));
        assert_eq!(parse_duration("45"), Some(45));
        assert_eq!(parse_duration("forever"), Some(UNTIL_UNSNOOZED_MINUTES));
        for bad in ["0m", "", "h", "1w", "-5m", "99999999999h", "400d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn remaining_labels() {
        assert_eq!(remaining_label(Some(true), Some(1740)), Some("29m".into()));
        assert_eq!(remaining_label(Some(true), Some(14_399)), Some("4h".into()));
        assert_eq!(remaining_label(Some(true), Some(5_400)), Some("1h30m".into()));
        assert_eq!(remaining_label(Some(true), Some(30)), Some("30s".into()));
        assert_eq!(remaining_label(Some(true), Some(3599)), Some("1h".into()));
        assert_eq!(remaining_label(Some(true), Some(3540)), Some("59m".into()));
        assert_eq!(remaining_label(Some(true), Some(31_536_000)), Some("365d".into()));
        assert_eq!(remaining_label(Some(true), None), Some("on".into()));
        assert_eq!(remaining_label(Some(false), None), None);
        assert_eq!(remaining_label(None, Some(0)), None);
    }
}
