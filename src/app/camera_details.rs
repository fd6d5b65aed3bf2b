//! A camera's own config and signals, read when its details open: where that read stands.

use crate::api::DeviceConfig;
use crate::api::models::Signals;

#[derive(Debug)]
pub enum CameraDetails {
    /// Being read for the first time since the details opened.
    Loading,
    /// Read again (after a setting changed); what was read before stays on screen meanwhile.
    Reloading(Box<CameraConfig>),
    Loaded(Box<CameraConfig>),
    Failed(String),
}

/// What one read of a camera's details brings: its config, and its signals (from their own
/// endpoint for regular cameras, from the config for Minis and doorbells).
#[derive(Debug)]
pub struct CameraConfig {
    pub config: DeviceConfig,
    pub signals: Signals,
}

impl CameraDetails {
    /// The config read last, while it is the one to show.
    pub fn loaded(&self) -> Option<&CameraConfig> {
        match self {
            Self::Loaded(read) | Self::Reloading(read) => Some(read),
            Self::Loading | Self::Failed(_) => None,
        }
    }

    pub fn config(&self) -> Option<&DeviceConfig> {
        self.loaded().map(|read| &read.config)
    }

    pub fn is_loading(&self) -> bool {
        match self {
            Self::Loading | Self::Reloading(_) => true,
            Self::Loaded(_) | Self::Failed(_) => false,
        }
    }

    /// Asks for a fresh read, keeping what was read meanwhile.
    pub fn reload(&mut self) {
        *self = match std::mem::replace(self, Self::Loading) {
            Self::Loaded(read) | Self::Reloading(read) => Self::Reloading(read),
            Self::Loading | Self::Failed(_) => Self::Loading,
        };
    }
}
