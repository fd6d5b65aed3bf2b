//! Why a clip or a stream cannot be shown, in words for the person who asked.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Not a clip at all: empty, truncated, another kind of file (an HTML error page).
    #[error("{0}")]
    Invalid(String),
    /// A real video the built-in decoder cannot play (H.265, B-frames, fragments); `ffmpeg` can.
    #[error("{reason}; with ffmpeg installed (on PATH), blinktui plays it through ffmpeg")]
    Unsupported { reason: String },
    #[error("cannot read {path}: {detail}")]
    Io { path: PathBuf, detail: String },
    /// The decoder or `ffmpeg` failed on data that looked right.
    #[error("the video could not be decoded: {0}")]
    Decode(String),
}

impl MediaError {
    pub(crate) fn invalid(text: impl Into<String>) -> Self {
        Self::Invalid(text.into())
    }

    pub(crate) fn unsupported(reason: impl Into<String>) -> Self {
        Self::Unsupported { reason: reason.into() }
    }

    /// Whether `ffmpeg` might play what the built-in decoder could not.
    pub fn ffmpeg_may_help(&self) -> bool {
        matches!(self, Self::Unsupported { .. } | Self::Decode(_))
    }
}
