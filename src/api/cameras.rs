//! Camera, Mini and doorbell actions, each sent to its family's path.

use bytes::Bytes;

use super::client::BlinkClient;
use super::commands::Started;
use super::device::{DeviceKind, DeviceRef, paths, thumbnail_path};
use super::download::MediaKind;
use super::error::ApiError;
use super::liveview::Liveview;
use super::models::{
    CameraConfigResponse, DoorbellConfig, LiveviewRequest, LiveviewResponse, OwlConfig, Signals, ThumbnailRef,
};

/// A device's configuration in its family's shape.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceConfig {
    Camera(CameraConfigResponse),
    Mini(OwlConfig),
    Doorbell(DoorbellConfig),
}

impl BlinkClient {
    /// Motion detection on or off (a command; Minis may apply it at once).
    pub async fn set_motion(&self, device: &DeviceRef, on: bool) -> Result<Started, ApiError> {
        let (path, body) = paths::motion(self.account_id(), device, on);
        let label = if on { "motion on" } else { "motion off" };
        self.start_command(&path, body, device.network_id, device.kind != DeviceKind::Camera, label).await
    }

    /// Asks the camera for a new picture (a command).
    pub async fn request_thumbnail(&self, device: &DeviceRef) -> Result<Started, ApiError> {
        self.start_command(
            &paths::thumbnail(self.account_id(), device),
            None,
            device.network_id,
            false,
            "snapshot",
        )
        .await
    }

    /// Asks the camera to record a clip now (a command).
    pub async fn record_clip(&self, device: &DeviceRef) -> Result<Started, ApiError> {
        self.start_command(
            &paths::clip(self.account_id(), device),
            None,
            device.network_id,
            false,
            "record clip",
        )
        .await
    }

    /// Requests a liveview session and returns where to connect. Streaming itself is not done
    /// here; end the session with [`BlinkClient::command_done`].
    pub async fn liveview(&self, device: &DeviceRef) -> Result<Liveview, ApiError> {
        self.pace_command().await;
        let response: LiveviewResponse = self
            .post_json(
                &paths::liveview(self.account_id(), device),
                Some(&LiveviewRequest::default()),
                "liveview",
            )
            .await?;
        Liveview::from_response(response, device.network_id)
    }

    pub async fn device_config(&self, device: &DeviceRef) -> Result<DeviceConfig, ApiError> {
        let path = paths::config(self.account_id(), device);
        Ok(match device.kind {
            DeviceKind::Camera => DeviceConfig::Camera(self.get_json(&path, "camera config").await?),
            DeviceKind::Mini => DeviceConfig::Mini(self.get_json(&path, "mini config").await?),
            DeviceKind::Doorbell => DeviceConfig::Doorbell(self.get_json(&path, "doorbell config").await?),
        })
    }

    /// Changes settings, e.g. `{"illuminator_enable": 2}` (regular) or
    /// `{"illuminator_enable": "auto"}` (Mini).
    pub async fn update_config(
        &self,
        device: &DeviceRef,
        changes: serde_json::Value,
    ) -> Result<Started, ApiError> {
        let path = paths::config_update(self.account_id(), device);
        self.start_command(&path, Some(changes), device.network_id, true, "config update").await
    }

    /// Signal strengths and temperature. Regular cameras have an endpoint for it; for Minis and
    /// doorbells the same figures are read from their config.
    pub async fn signals(&self, device: &DeviceRef) -> Result<Signals, ApiError> {
        match paths::signals(device) {
            Some(path) => self.get_json(&path, "signals").await,
            None => Ok(signals_in(&self.device_config(device).await?)),
        }
    }

    /// A device's config and signals, reading the config once: Minis and doorbells carry
    /// their signals in it.
    pub async fn config_and_signals(&self, device: &DeviceRef) -> Result<(DeviceConfig, Signals), ApiError> {
        let config = self.device_config(device).await?;
        let signals = match paths::signals(device) {
            Some(path) => self.get_json(&path, "signals").await?,
            None => signals_in(&config),
        };
        Ok((config, signals))
    }

    /// Downloads a device's current thumbnail (any of the three URL shapes).
    pub async fn thumbnail(&self, device: &DeviceRef, thumbnail: &ThumbnailRef) -> Result<Bytes, ApiError> {
        let path = thumbnail_path(self.account_id(), device, thumbnail)
            .ok_or_else(|| ApiError::NotFound(format!("camera {} has no thumbnail yet", device.id)))?;
        self.download(&path, MediaKind::Jpeg).await
    }
}

/// The signals a config carries (regular cameras' come from their own endpoint instead).
fn signals_in(config: &DeviceConfig) -> Signals {
    match config {
        DeviceConfig::Camera(config) => config.signals.clone().unwrap_or_default(),
        DeviceConfig::Mini(config) => Signals { wifi: config.wifi, ..Signals::default() },
        DeviceConfig::Doorbell(config) => Signals {
            temp: config.temp,
            wifi: config.wifi_rssi.map(rssi_to_bars),
            lfr: config.lfr_rssi.map(rssi_to_bars),
            battery_state: config.battery_state.clone(),
            ..Signals::default()
        },
    }
}

/// Doorbells report dBm; the rest of the app speaks in Blink's 0-5 bars.
fn rssi_to_bars(rssi: i64) -> i64 {
    match rssi {
        r if r >= -55 => 5,
        r if r >= -65 => 4,
        r if r >= -75 => 3,
        r if r >= -85 => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rssi_bars() {
        assert_eq!(rssi_to_bars(-40), 5);
        assert_eq!(rssi_to_bars(-70), 3);
        assert_eq!(rssi_to_bars(-100), 1);
    }
}
