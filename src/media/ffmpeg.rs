//! The fallback decoder: `ffmpeg` run as a child process (no shell), writing raw RGB frames of
//! the wanted size to a pipe. Used for what OpenH264 cannot decode (B-frames, H.265).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use image::RgbImage;

use super::MediaError;

/// `ffmpeg` on `PATH`, if there is one.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("ffmpeg")).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `size` made even (at least 2x2): ffmpeg's scaler wants even sizes for 4:2:0 video.
pub fn even(size: (u32, u32)) -> (u32, u32) {
    (size.0.max(2) & !1, size.1.max(2) & !1)
}

/// One `ffmpeg` process decoding from `start` at a fixed frame rate and size.
pub struct FfmpegFrames {
    child: Child,
    stdout: ChildStdout,
    size: (u32, u32),
    frame_rate: f64,
    start: Duration,
    index: u64,
    buffer: Vec<u8>,
}

impl FfmpegFrames {
    pub fn spawn(
        ffmpeg: &Path,
        clip: &Path,
        start: Duration,
        size: (u32, u32),
        frame_rate: f64,
    ) -> Result<Self, MediaError> {
        let (w, h) = even(size);
        let mut command = Command::new(ffmpeg);
        command.args(["-nostdin", "-hide_banner", "-loglevel", "error"]);
        if !start.is_zero() {
            command.arg("-ss").arg(format!("{:.3}", start.as_secs_f64()));
        }
        command
            .arg("-i")
            .arg(clip)
            .args(["-an", "-sn", "-dn", "-vf"])
            .arg(format!("fps={frame_rate:.3},scale={w}:{h}:flags=bilinear"))
            .args(["-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child =
            command.spawn().map_err(|err| MediaError::Decode(format!("cannot run ffmpeg: {err}")))?;
        let stdout = child.stdout.take().ok_or_else(|| MediaError::Decode("ffmpeg has no output".into()))?;
        Ok(Self { child, stdout, size: (w, h), frame_rate, start, index: 0, buffer: Vec::new() })
    }

    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// The next frame and its time, or `None` at the end.
    pub fn next_frame(&mut self) -> Result<Option<(Duration, RgbImage)>, MediaError> {
        let (w, h) = self.size;
        self.buffer.resize(w as usize * h as usize * 3, 0);
        match self.stdout.read_exact(&mut self.buffer) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => {
                let status = self.child.wait().map_err(|err| MediaError::Decode(err.to_string()))?;
                return match (status.success(), self.index) {
                    (true, _) => Ok(None),
                    (false, 0) => {
                        Err(MediaError::Decode(format!("ffmpeg could not decode the clip ({status})")))
                    }
                    // A damaged end after good frames: the clip simply ends there.
                    (false, _) => Ok(None),
                };
            }
            Err(err) => return Err(MediaError::Decode(format!("reading from ffmpeg: {err}"))),
        }
        let pts = self.start + Duration::from_secs_f64(self.index as f64 / self.frame_rate);
        self.index += 1;
        let image = RgbImage::from_raw(w, h, std::mem::take(&mut self.buffer))
            .ok_or_else(|| MediaError::Decode("frame size".into()))?;
        Ok(Some((pts, image)))
    }
}

impl Drop for FfmpegFrames {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
