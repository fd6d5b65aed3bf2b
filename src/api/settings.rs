//! Camera settings Blink lets a client change (blink-api.md §2.10): night vision, motion
//! sensitivity, clip length, retrigger time and video quality. Regular cameras and Minis name
//! and write them differently; doorbells document none of them, so they are not offered there.

use super::cameras::DeviceConfig;
use super::client::BlinkClient;
use super::commands::Started;
use super::device::{DeviceKind, DeviceRef};
use super::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    NightVision,
    MotionSensitivity,
    ClipLength,
    Retrigger,
    VideoQuality,
}

impl Setting {
    pub const ALL: [Setting; 5] =
        [Self::NightVision, Self::MotionSensitivity, Self::ClipLength, Self::Retrigger, Self::VideoQuality];

    pub fn label(self) -> &'static str {
        match self {
            Self::NightVision => "Night vision",
            Self::MotionSensitivity => "Motion sensitivity",
            Self::ClipLength => "Clip length",
            Self::Retrigger => "Retrigger time",
            Self::VideoQuality => "Video quality",
        }
    }

    /// The values offered, as Blink's app offers them.
    pub fn choices(self) -> Vec<SettingValue> {
        let numbers = |values: &[i64]| values.iter().map(|v| SettingValue::Number(*v)).collect();
        let words = |values: &[&str]| values.iter().map(|v| SettingValue::Word((*v).to_owned())).collect();
        match self {
            Self::NightVision => words(&["off", "auto", "on"]),
            Self::MotionSensitivity => numbers(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
            Self::ClipLength => numbers(&[5, 10, 15, 20, 30, 45, 60]),
            Self::Retrigger => numbers(&[10, 20, 30, 40, 50, 60]),
            Self::VideoQuality => words(&["saver", "standard", "best"]),
        }
    }

    /// The JSON field this setting has in a family's config.
    fn field(self, kind: DeviceKind) -> &'static str {
        match (self, kind) {
            (Self::NightVision, _) => "illuminator_enable",
            (Self::MotionSensitivity, _) => "motion_sensitivity",
            (Self::ClipLength, DeviceKind::Mini) => "clip_length",
            (Self::ClipLength, _) => "video_length",
            (Self::Retrigger, DeviceKind::Mini) => "retrigger_time",
            (Self::Retrigger, _) => "alert_interval",
            (Self::VideoQuality, _) => "video_quality",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SettingValue {
    Number(i64),
    Word(String),
}

impl SettingValue {
    /// How the value reads on screen: `30 s`, `auto`, `5`.
    pub fn label(&self, setting: Setting) -> String {
        match (self, setting) {
            (Self::Number(n), Setting::ClipLength | Setting::Retrigger) => format!("{n} s"),
            (Self::Number(n), _) => n.to_string(),
            (Self::Word(word), _) => word.clone(),
        }
    }
}

/// One change to send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SettingChange {
    pub setting: Setting,
    pub value: SettingValue,
}

/// Regular cameras write night vision as 0 off / 1 on / 2 auto; Minis as the word.
fn night_vision_number(word: &str) -> i64 {
    match word {
        "on" => 1,
        "auto" => 2,
        _ => 0,
    }
}

fn night_vision_word(number: i64) -> &'static str {
    match number {
        1 => "on",
        2 => "auto",
        _ => "off",
    }
}

/// The body that makes `change` on a device of `kind`; `None` where Blink offers no such setting.
pub fn change_body(kind: DeviceKind, change: &SettingChange) -> Option<serde_json::Value> {
    if kind == DeviceKind::Doorbell {
        return None;
    }
    let value = match (&change.value, change.setting, kind) {
        (SettingValue::Word(word), Setting::NightVision, DeviceKind::Camera) => {
            night_vision_number(word).into()
        }
        (SettingValue::Word(word), _, _) => word.clone().into(),
        (SettingValue::Number(n), _, _) => (*n).into(),
    };
    let mut body = serde_json::Map::new();
    body.insert(change.setting.field(kind).to_owned(), value);
    Some(serde_json::Value::Object(body))
}

/// The current value of each setting, read from a config; `None` for doorbells, and a `None`
/// value for a setting the config does not carry.
pub fn current(config: &DeviceConfig) -> Option<Vec<(Setting, Option<SettingValue>)>> {
    let number = |value: Option<i64>| value.map(SettingValue::Number);
    let word = |value: Option<&str>| value.map(|w| SettingValue::Word(w.to_ascii_lowercase()));
    let extra_number = |extra: &std::collections::BTreeMap<String, serde_json::Value>, key: &str| {
        extra.get(key).and_then(serde_json::Value::as_i64)
    };
    let values = match config {
        DeviceConfig::Camera(response) => {
            let camera = response.camera.first()?;
            [
                word(camera.illuminator_enable.map(night_vision_word)),
                number(camera.motion_sensitivity),
                number(camera.video_length),
                number(extra_number(&camera.extra, "alert_interval")),
                word(camera.video_quality.as_deref()),
            ]
        }
        DeviceConfig::Mini(owl) => {
            let v2 = owl.extra.get("illuminator_enable_v2").and_then(serde_json::Value::as_str);
            [
                word(owl.illuminator_enable.as_deref().or(v2)),
                number(owl.motion_sensitivity),
                number(owl.clip_length),
                number(extra_number(&owl.extra, "retrigger_time")),
                word(owl.video_quality.as_deref()),
            ]
        }
        DeviceConfig::Doorbell(_) => return None,
    };
    Some(Setting::ALL.into_iter().zip(values).collect())
}

impl BlinkClient {
    /// Sends one setting change (a command on Blink's side).
    pub async fn change_setting(
        &self,
        device: &DeviceRef,
        change: &SettingChange,
    ) -> Result<Started, ApiError> {
        let body = change_body(device.kind, change).ok_or_else(|| {
            ApiError::NotFound(format!("{} has no {} setting", device.kind.label(), change.setting.label()))
        })?;
        self.update_config(device, body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(setting: Setting, value: SettingValue) -> SettingChange {
        SettingChange { setting, value }
    }

    #[test]
    fn bodies_per_family() {
        let night = change(Setting::NightVision, SettingValue::Word("auto".into()));
        assert_eq!(
            change_body(DeviceKind::Camera, &night),
            Some(serde_json::json!({"illuminator_enable": 2}))
        );
        assert_eq!(
            change_body(DeviceKind::Mini, &night),
            Some(serde_json::json!({"illuminator_enable": "auto"}))
        );
        assert_eq!(change_body(DeviceKind::Doorbell, &night), None);
        let clip = change(Setting::ClipLength, SettingValue::Number(30));
        assert_eq!(change_body(DeviceKind::Camera, &clip), Some(serde_json::json!({"video_length": 30})));
        assert_eq!(change_body(DeviceKind::Mini, &clip), Some(serde_json::json!({"clip_length": 30})));
        let retrigger = change(Setting::Retrigger, SettingValue::Number(20));
        assert_eq!(
            change_body(DeviceKind::Camera, &retrigger),
            Some(serde_json::json!({"alert_interval": 20}))
        );
        assert_eq!(
            change_body(DeviceKind::Mini, &retrigger),
            Some(serde_json::json!({"retrigger_time": 20}))
        );
    }

    #[test]
    fn labels() {
        assert_eq!(SettingValue::Number(30).label(Setting::ClipLength), "30 s");
        assert_eq!(SettingValue::Number(7).label(Setting::MotionSensitivity), "7");
        assert_eq!(SettingValue::Word("best".into()).label(Setting::VideoQuality), "best");
    }
}
