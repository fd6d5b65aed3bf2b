//! Terminal set-up and the graphics probe.

use crate::config::GraphicsMode;

/// What `blinktui info` says about graphics.
pub fn graphics_report(mode: GraphicsMode) -> String {
    format!("{mode:?} (configured)").to_lowercase()
}
