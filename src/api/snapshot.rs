//! Taking a new picture and getting it: request a thumbnail, wait for the command, then wait
//! until homescreen really shows a new thumbnail (downloading at once returns the old one).

use std::time::{Duration, Instant};

use bytes::Bytes;

use super::client::BlinkClient;
use super::device::{DeviceRef, thumbnail_path};
use super::download::MediaKind;
use super::error::ApiError;
use super::models::{Homescreen, ThumbnailRef};

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub thumbnail: ThumbnailRef,
    /// The path the JPEG was downloaded from.
    pub path: String,
    pub jpeg: Bytes,
    /// The homescreen that showed the new thumbnail.
    pub homescreen: Homescreen,
}

impl BlinkClient {
    /// `before` is the thumbnail the caller last saw (read from homescreen when `None`).
    /// Homescreen is read at most once per [`ClientOptions::snapshot_poll_interval`]
    /// meanwhile, the pace blinkpy keeps it to.
    ///
    /// [`ClientOptions::snapshot_poll_interval`]: super::ClientOptions::snapshot_poll_interval
    pub async fn take_snapshot(
        &self,
        device: &DeviceRef,
        before: Option<ThumbnailRef>,
    ) -> Result<Snapshot, ApiError> {
        let mut reads = HomescreenReads::new(self.options().snapshot_poll_interval);
        let before = match before {
            Some(thumbnail) => Some(thumbnail),
            None => current_thumbnail(&reads.read(self).await?, device.id)?,
        };
        let started = self.request_thumbnail(device).await?;
        self.run_command(started).await?;
        let (thumbnail, homescreen) = self.wait_for_new_thumbnail(device.id, before.as_ref(), reads).await?;
        let path = thumbnail_path(self.account_id(), device, &thumbnail)
            .ok_or_else(|| ApiError::NotFound("the new thumbnail has no path".into()))?;
        let jpeg = self.download(&path, MediaKind::Jpeg).await?;
        Ok(Snapshot { thumbnail, path, jpeg, homescreen })
    }

    /// Re-reads homescreen, backing off, until the device's thumbnail differs from `before`.
    async fn wait_for_new_thumbnail(
        &self,
        device_id: u64,
        before: Option<&ThumbnailRef>,
        mut reads: HomescreenReads,
    ) -> Result<(ThumbnailRef, Homescreen), ApiError> {
        let started = Instant::now();
        let limit = self.options().snapshot_timeout;
        loop {
            if started.elapsed() + reads.wait_before_next() > limit {
                return Err(ApiError::CommandFailed {
                    code: 0,
                    message: format!(
                        "the camera took the picture but Blink showed no new thumbnail within {}s",
                        limit.as_secs()
                    ),
                });
            }
            let homescreen = reads.read(self).await?;
            if let Some(now) = current_thumbnail(&homescreen, device_id)?
                && Some(&now) != before
            {
                return Ok((now, homescreen));
            }
        }
    }
}

/// Spaces homescreen reads: at least `spacing` apart, growing to [`MAX_SPACING`] while the
/// new picture does not show.
struct HomescreenReads {
    spacing: Duration,
    last: Option<Instant>,
}

/// The longest pause between two reads while waiting.
const MAX_SPACING: Duration = Duration::from_secs(10);

impl HomescreenReads {
    fn new(spacing: Duration) -> Self {
        Self { spacing, last: None }
    }

    fn wait_before_next(&self) -> Duration {
        self.last.map_or(Duration::ZERO, |last| self.spacing.saturating_sub(last.elapsed()))
    }

    async fn read(&mut self, client: &BlinkClient) -> Result<Homescreen, ApiError> {
        if let Some(last) = self.last {
            tokio::time::sleep_until((last + self.spacing).into()).await;
            self.spacing = (self.spacing * 2).min(MAX_SPACING.max(self.spacing));
        }
        self.last = Some(Instant::now());
        client.homescreen().await
    }
}

fn current_thumbnail(homescreen: &Homescreen, device_id: u64) -> Result<Option<ThumbnailRef>, ApiError> {
    homescreen
        .device(device_id)
        .map(|(_, device)| device.thumbnail.clone())
        .ok_or_else(|| ApiError::NotFound(format!("camera {device_id} is no longer on the account")))
}
