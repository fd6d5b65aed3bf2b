//! Device families and the per-family paths of every camera action. Blink gives regular
//! cameras, Minis and doorbells different URLs for the same action.

use serde::{Deserialize, Serialize};

use super::models::{Device, Homescreen, ThumbnailRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// Homescreen `cameras`: `white`, `xt`, `xt2`, `catalina`.
    Camera,
    /// Homescreen `owls`: Blink Mini and other wired cameras.
    Mini,
    /// Homescreen `doorbells`: `lotus` and newer.
    Doorbell,
}

impl DeviceKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::Mini => "mini",
            Self::Doorbell => "doorbell",
        }
    }
}

/// Enough to address a device in any request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeviceRef {
    pub kind: DeviceKind,
    pub id: u64,
    pub network_id: u64,
    /// Blink's type string, which appears in some media paths.
    pub device_type: String,
}

impl DeviceRef {
    pub fn new(kind: DeviceKind, device: &Device) -> Self {
        Self { kind, id: device.id, network_id: device.network_id, device_type: device.device_type.clone() }
    }
}

impl Homescreen {
    /// Every camera, Mini and doorbell with its kind, in homescreen order.
    pub fn devices(&self) -> impl Iterator<Item = (DeviceKind, &Device)> {
        let tag = |kind| move |device| (kind, device);
        self.cameras
            .iter()
            .map(tag(DeviceKind::Camera))
            .chain(self.owls.iter().map(tag(DeviceKind::Mini)))
            .chain(self.doorbells.iter().map(tag(DeviceKind::Doorbell)))
    }

    pub fn device(&self, id: u64) -> Option<(DeviceKind, &Device)> {
        self.devices().find(|(_, device)| device.id == id)
    }
}

/// Paths of the device actions, relative to the REST base.
pub mod paths {
    use super::{DeviceKind, DeviceRef};

    fn owl_or_doorbell(account: u64, device: &DeviceRef) -> String {
        let family = if device.kind == DeviceKind::Mini { "owls" } else { "doorbells" };
        format!("/api/v1/accounts/{account}/networks/{}/{family}/{}", device.network_id, device.id)
    }

    fn camera(device: &DeviceRef) -> String {
        format!("/network/{}/camera/{}", device.network_id, device.id)
    }

    /// Motion detection on or off. Minis have no enable endpoint: their config takes
    /// `{"enabled": bool}`, which is why the body is returned too.
    pub fn motion(account: u64, device: &DeviceRef, on: bool) -> (String, Option<serde_json::Value>) {
        let verb = if on { "enable" } else { "disable" };
        match device.kind {
            DeviceKind::Camera => (format!("{}/{verb}", camera(device)), None),
            DeviceKind::Mini => (config(account, device), Some(serde_json::json!({ "enabled": on }))),
            DeviceKind::Doorbell => (format!("{}/{verb}", owl_or_doorbell(account, device)), None),
        }
    }

    pub fn thumbnail(account: u64, device: &DeviceRef) -> String {
        match device.kind {
            DeviceKind::Camera => format!("{}/thumbnail", camera(device)),
            DeviceKind::Mini | DeviceKind::Doorbell => {
                format!("{}/thumbnail", owl_or_doorbell(account, device))
            }
        }
    }

    pub fn clip(account: u64, device: &DeviceRef) -> String {
        match device.kind {
            DeviceKind::Camera => format!("{}/clip", camera(device)),
            DeviceKind::Mini | DeviceKind::Doorbell => format!("{}/clip", owl_or_doorbell(account, device)),
        }
    }

    /// Liveview moved to v6 (cameras) and v2 (Minis, doorbells) in May 2026.
    pub fn liveview(account: u64, device: &DeviceRef) -> String {
        let (n, c) = (device.network_id, device.id);
        match device.kind {
            DeviceKind::Camera => format!("/api/v6/accounts/{account}/networks/{n}/cameras/{c}/liveview"),
            DeviceKind::Mini => format!("/api/v2/accounts/{account}/networks/{n}/owls/{c}/liveview"),
            DeviceKind::Doorbell => format!("/api/v2/accounts/{account}/networks/{n}/doorbells/{c}/liveview"),
        }
    }

    /// Reading the configuration.
    pub fn config(account: u64, device: &DeviceRef) -> String {
        match device.kind {
            DeviceKind::Camera => format!("{}/config", camera(device)),
            DeviceKind::Mini | DeviceKind::Doorbell => format!("{}/config", owl_or_doorbell(account, device)),
        }
    }

    /// Changing the configuration: regular cameras have `/update`; Minis (and, by the same
    /// pattern, doorbells) take a POST to their config path.
    pub fn config_update(account: u64, device: &DeviceRef) -> String {
        match device.kind {
            DeviceKind::Camera => format!("{}/update", camera(device)),
            DeviceKind::Mini | DeviceKind::Doorbell => config(account, device),
        }
    }

    /// Only regular cameras have a signals endpoint.
    pub fn signals(device: &DeviceRef) -> Option<String> {
        (device.kind == DeviceKind::Camera).then(|| format!("{}/signals", camera(device)))
    }
}

/// The path of a device's current thumbnail, from whichever of the three shapes Blink sent.
pub fn thumbnail_path(account: u64, device: &DeviceRef, thumbnail: &ThumbnailRef) -> Option<String> {
    match thumbnail {
        ThumbnailRef::Timestamp(ts) => Some(format!(
            "/api/v3/media/accounts/{account}/networks/{}/{}/{}/thumbnail/thumbnail.jpg?ts={ts}&ext=",
            device.network_id, device.device_type, device.id
        )),
        ThumbnailRef::Path(path) if path.trim().is_empty() => None,
        // Some answers quote the timestamp: treat a string of digits as one, as blinkpy does.
        ThumbnailRef::Path(path) if path.bytes().all(|b| b.is_ascii_digit()) => {
            let ts = path.parse().ok()?;
            thumbnail_path(account, device, &ThumbnailRef::Timestamp(ts))
        }
        // New style (`...thumbnail.jpg?ts=N&ext=`) or anything already naming its format.
        ThumbnailRef::Path(path)
            if path.contains("&ext=") || path.contains('?') || path.ends_with(".jpg") =>
        {
            Some(path.clone())
        }
        // Old style: `/media/production/.../clip_xxx_2020_10_02__00_28AM` needs `.jpg`.
        ThumbnailRef::Path(path) => Some(format!("{path}.jpg")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(kind: DeviceKind, device_type: &str) -> DeviceRef {
        DeviceRef { kind, id: 30, network_id: 20, device_type: device_type.into() }
    }

    #[test]
    fn motion_paths_per_family() {
        let (path, body) = paths::motion(10, &device(DeviceKind::Camera, "catalina"), true);
        assert_eq!((path.as_str(), body), ("/network/20/camera/30/enable", None));
        let (path, body) = paths::motion(10, &device(DeviceKind::Camera, "catalina"), false);
        assert_eq!((path.as_str(), body), ("/network/20/camera/30/disable", None));
        let (path, body) = paths::motion(10, &device(DeviceKind::Mini, "owl"), false);
        assert_eq!(path, "/api/v1/accounts/10/networks/20/owls/30/config");
        assert_eq!(body, Some(serde_json::json!({"enabled": false})));
        let (path, _) = paths::motion(10, &device(DeviceKind::Doorbell, "lotus"), true);
        assert_eq!(path, "/api/v1/accounts/10/networks/20/doorbells/30/enable");
    }

    #[test]
    fn snapshot_clip_and_liveview_paths_per_family() {
        let cam = device(DeviceKind::Camera, "white");
        let mini = device(DeviceKind::Mini, "owl");
        let bell = device(DeviceKind::Doorbell, "lotus");
        assert_eq!(paths::thumbnail(10, &cam), "/network/20/camera/30/thumbnail");
        assert_eq!(paths::thumbnail(10, &mini), "/api/v1/accounts/10/networks/20/owls/30/thumbnail");
        assert_eq!(paths::thumbnail(10, &bell), "/api/v1/accounts/10/networks/20/doorbells/30/thumbnail");
        assert_eq!(paths::clip(10, &cam), "/network/20/camera/30/clip");
        assert_eq!(paths::clip(10, &mini), "/api/v1/accounts/10/networks/20/owls/30/clip");
        assert_eq!(paths::clip(10, &bell), "/api/v1/accounts/10/networks/20/doorbells/30/clip");
        assert_eq!(paths::liveview(10, &cam), "/api/v6/accounts/10/networks/20/cameras/30/liveview");
        assert_eq!(paths::liveview(10, &mini), "/api/v2/accounts/10/networks/20/owls/30/liveview");
        assert_eq!(paths::liveview(10, &bell), "/api/v2/accounts/10/networks/20/doorbells/30/liveview");
    }

    #[test]
    fn config_and_signals_paths_per_family() {
        let cam = device(DeviceKind::Camera, "catalina");
        let mini = device(DeviceKind::Mini, "owl");
        let bell = device(DeviceKind::Doorbell, "lotus");
        assert_eq!(paths::config(10, &cam), "/network/20/camera/30/config");
        assert_eq!(paths::config_update(10, &cam), "/network/20/camera/30/update");
        assert_eq!(paths::config(10, &mini), "/api/v1/accounts/10/networks/20/owls/30/config");
        assert_eq!(paths::config_update(10, &mini), paths::config(10, &mini));
        assert_eq!(paths::config(10, &bell), "/api/v1/accounts/10/networks/20/doorbells/30/config");
        assert_eq!(paths::signals(&cam).as_deref(), Some("/network/20/camera/30/signals"));
        assert_eq!(paths::signals(&mini), None);
    }

    #[test]
    fn thumbnail_shapes() {
        let bell = device(DeviceKind::Doorbell, "lotus");
        assert_eq!(
            thumbnail_path(10, &bell, &ThumbnailRef::Timestamp(1698141602)).as_deref(),
            Some("/api/v3/media/accounts/10/networks/20/lotus/30/thumbnail/thumbnail.jpg?ts=1698141602&ext=")
        );
        let new_style =
            "/api/v3/media/accounts/10/networks/20/catalina/30/thumbnail/thumbnail.jpg?ts=1648473188&ext=";
        assert_eq!(
            thumbnail_path(10, &bell, &ThumbnailRef::Path(new_style.into())).as_deref(),
            Some(new_style)
        );
        let old_style = "/media/production/account/10/network/20/camera/30/clip_8mpxqvts_2020_01_01__01_01AM";
        assert_eq!(
            thumbnail_path(10, &bell, &ThumbnailRef::Path(old_style.into())),
            Some(format!("{old_style}.jpg"))
        );
        assert_eq!(thumbnail_path(10, &bell, &ThumbnailRef::Path(String::new())), None);
        assert_eq!(
            thumbnail_path(10, &bell, &ThumbnailRef::Path("1698141602".into())),
            thumbnail_path(10, &bell, &ThumbnailRef::Timestamp(1698141602)),
            "a quoted timestamp"
        );
    }
}
