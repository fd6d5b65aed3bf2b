//! What watch says: one line per new event on stdout (JSON for scripts, or a readable line),
//! the environment of `--exec`, and one line per event and per problem on stderr.

use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::mark::recorded_at;
use crate::api::models::MediaItem;
use crate::app::clocks::{zone_named, zoned_text};
use crate::output::say;
use crate::sanitize::{clean, to_json_line};

/// An event as reported, with the files it has on this machine.
#[derive(Debug, Serialize)]
pub struct EventReport<'a> {
    pub id: u64,
    pub camera: &'a str,
    pub camera_id: u64,
    pub network: Option<&'a str>,
    pub network_id: u64,
    /// When it was recorded, RFC 3339 in UTC.
    pub time: String,
    pub source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The network's time zone, for the readable line.
    #[serde(skip)]
    pub zone: Option<&'a str>,
    /// The event was announced before without its clip; this announces the clip.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub clip_late: bool,
}

impl<'a> EventReport<'a> {
    pub fn new(event: &'a MediaItem, clip: Option<&Path>, thumbnail: Option<&Path>) -> Self {
        let path = |p: Option<&Path>| p.map(|p| p.to_string_lossy().into_owned());
        Self {
            id: event.id,
            camera: &event.device_name,
            camera_id: event.device_id,
            network: event.network_name.as_deref(),
            network_id: event.network_id,
            time: recorded_at(event).to_string(),
            source: event.source.as_deref(),
            clip: path(clip),
            thumbnail: path(thumbnail),
            zone: event.time_zone.as_deref(),
            clip_late: false,
        }
    }

    /// Prints the event on stdout.
    pub fn print(&self, json: bool) {
        if json {
            match to_json_line(self) {
                Ok(line) => say!("{line}"),
                Err(err) => log(&format!("event {}: cannot write JSON: {err}", self.id)),
            }
        } else {
            say!("{}", self.human_line());
        }
    }

    fn human_line(&self) -> String {
        let time = self
            .time
            .parse::<Timestamp>()
            .map(|at| zoned_text(at, &zone_named(self.zone), &TimeZone::system(), "%Y-%m-%d %H:%M:%S"))
            .unwrap_or_else(|_| self.time.clone());
        let mut line = format!(
            "{time}  {}  ({})  {}  event {}",
            clean(self.camera),
            clean(self.network.unwrap_or("-")),
            clean(crate::app::data::source_label(Some(self.source.unwrap_or("pir")))),
            self.id
        );
        if let Some(clip) = &self.clip {
            line.push_str(&format!("  clip {}", clean(clip)));
        }
        if self.clip_late {
            line.push_str("  (clip archived late)");
        }
        line
    }

    /// The variables `--exec` sees; server text in them is cleaned of control characters.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        let text = |value: Option<&str>| clean(value.unwrap_or_default()).into_owned();
        vec![
            ("BLINK_EVENT_ID", self.id.to_string()),
            ("BLINK_CAMERA", text(Some(self.camera))),
            ("BLINK_CAMERA_ID", self.camera_id.to_string()),
            ("BLINK_NETWORK", text(self.network)),
            ("BLINK_NETWORK_ID", self.network_id.to_string()),
            ("BLINK_TIME", self.time.clone()),
            ("BLINK_SOURCE", text(self.source)),
            ("BLINK_THUMBNAIL", text(self.thumbnail.as_deref())),
            ("BLINK_CLIP", text(self.clip.as_deref())),
            ("BLINK_CLIP_LATE", if self.clip_late { "1" } else { "" }.to_owned()),
        ]
    }
}

/// One line on stderr (never waiting for it: see [`super::stderr`]), with the local time (for `nohup` logs; the journal adds its own), and
/// the same in the log file.
pub fn log(message: &str) {
    tracing::info!("{message}");
    let now = Timestamp::now().to_zoned_datetime(TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S");
    super::stderr::line(format!("{now} blinktui: {}", clean(message)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_carry_the_documented_fields_and_clean_variables() {
        let event = MediaItem {
            id: 5,
            created_at: "2026-12-01T10:00:00+00:00".parse().expect("time"),
            device_id: 3,
            device_name: "Door\u{1b}[2J".into(),
            network_id: 2,
            network_name: Some("Home".into()),
            source: Some("pir".into()),
            ..MediaItem::default()
        };
        let report = EventReport::new(&event, Some(Path::new("/a/b.mp4")), None);
        let line = to_json_line(&report).expect("json");
        let doc: serde_json::Value = serde_json::from_str(&line).expect("parse");
        assert_eq!(doc["time"], "2026-12-01T10:00:00Z");
        assert_eq!(doc["clip"], "/a/b.mp4");
        assert!(doc.get("thumbnail").is_none());
        for field in ["id", "camera", "camera_id", "network", "network_id", "source"] {
            assert!(doc.get(field).is_some(), "{field}");
        }
        let env = report.environment();
        let camera = env.iter().find(|(k, _)| *k == "BLINK_CAMERA").expect("camera");
        assert_eq!(camera.1, "Door\\e[2J");
        assert!(!report.human_line().contains('\u{1b}'));
    }
}
