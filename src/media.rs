//! Moving pictures: clips (MP4) decoded to RGB frames of the size they are drawn at, and
//! played against the clock. It knows nothing of the terminal or of Blink, so it is tested on
//! files alone.

pub mod clip;
pub mod decode;
mod error;
pub mod ffmpeg;
pub mod h264;
pub mod live;
pub mod mp4;
pub mod picture;
pub mod playback;
pub mod scale;
pub mod sixel;
pub mod ts;

pub use clip::{ClipInfo, FrameSource, VideoFrame, open_clip, open_clip_with};
pub use error::MediaError;
