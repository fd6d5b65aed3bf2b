//! Downloads of pictures and clips: the first bytes are checked to be what they should be
//! before anything is kept, and the size is held to the limit for the kind.

use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::Method;

use super::body::{BodyKind, BodySink, MemorySink};
use super::client::{BlinkClient, Request};
use super::error::{ApiError, excerpt};

/// What the bytes of a download must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Jpeg,
    Mp4,
}

impl MediaKind {
    /// Throttled downloads come back as tiny or empty bodies; an error page is not an image.
    pub(crate) fn check(self, body: &[u8]) -> Result<(), String> {
        if body.len() >= self.signature_len() && self.matches(body) {
            return Ok(());
        }
        let expected = match self {
            Self::Jpeg => "a JPEG image",
            Self::Mp4 => "an MP4 video",
        };
        Err(format!("expected {expected}, got {} bytes of something else", body.len()))
    }

    /// How many bytes [`MediaKind::check`] needs.
    fn signature_len(self) -> usize {
        match self {
            Self::Jpeg => 3,
            Self::Mp4 => 12,
        }
    }

    fn matches(self, body: &[u8]) -> bool {
        match self {
            Self::Jpeg => body.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Mp4 => &body[4..8] == b"ftyp",
        }
    }

    fn body_kind(self) -> BodyKind {
        match self {
            Self::Jpeg => BodyKind::Image,
            Self::Mp4 => BodyKind::Clip,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Jpeg => "image",
            Self::Mp4 => "clip",
        }
    }
}

/// Holds the first chunks back until they show the right signature, then passes everything
/// through: a wrong body fails at its start, and nothing of it reaches the sink.
struct Checked<'s> {
    kind: MediaKind,
    head: Vec<u8>,
    passed: bool,
    inner: &'s mut dyn BodySink,
}

impl Checked<'_> {
    /// Checks the head once it is long enough (or the body ended) and hands it on.
    async fn settle(&mut self, ended: bool) -> Result<(), ApiError> {
        if self.passed || (self.head.len() < self.kind.signature_len() && !ended) {
            return Ok(());
        }
        self.kind.check(&self.head).map_err(|detail| ApiError::Decode {
            endpoint: self.kind.label().into(),
            detail,
            excerpt: excerpt(&self.head),
        })?;
        self.passed = true;
        let head = std::mem::take(&mut self.head);
        self.inner.write(&head).await
    }
}

impl BodySink for Checked<'_> {
    fn begin(&mut self, total: Option<u64>) -> BoxFuture<'_, Result<(), ApiError>> {
        self.head.clear();
        self.passed = false;
        self.inner.begin(total)
    }

    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), ApiError>> {
        Box::pin(async move {
            if self.passed {
                return self.inner.write(chunk).await;
            }
            self.head.extend_from_slice(chunk);
            self.settle(false).await
        })
    }

    fn end(&mut self) -> BoxFuture<'_, Result<(), ApiError>> {
        Box::pin(async move {
            self.settle(true).await?;
            self.inner.end().await
        })
    }
}

impl BlinkClient {
    /// GETs a media path (thumbnail or clip) into memory, checked to be what it should be and
    /// no larger than the limit for its kind. Clips are better streamed with
    /// [`BlinkClient::download_into`].
    pub async fn download(&self, path: &str, kind: MediaKind) -> Result<Bytes, ApiError> {
        let mut memory = MemorySink::default();
        self.download_into(path, kind, &mut memory).await?;
        Ok(memory.into_bytes())
    }

    /// GETs a media path into `sink`, chunk by chunk: checked at its start, stopped at the
    /// limit for its kind, started over when a transient failure is retried.
    pub async fn download_into(
        &self,
        path: &str,
        kind: MediaKind,
        sink: &mut dyn BodySink,
    ) -> Result<(), ApiError> {
        let mut checked = Checked { kind, head: Vec::new(), passed: false, inner: sink };
        let request = Request {
            method: Method::GET,
            target: path,
            body: None,
            idempotent: true,
            timeout: self.options().media_idle_timeout,
            idle: true,
            kind: kind.body_kind(),
            label: kind.label(),
        };
        self.send_into(request, &mut checked).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_checks_reject_throttled_bodies() {
        assert!(MediaKind::Jpeg.check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).is_ok());
        assert!(MediaKind::Jpeg.check(b"{\"message\":\"x\"}").is_err());
        assert!(MediaKind::Jpeg.check(b"").is_err());
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\0\0");
        assert!(MediaKind::Mp4.check(&mp4).is_ok());
        assert!(MediaKind::Mp4.check(&mp4[..6]).is_err(), "too short to tell");
        let err = MediaKind::Mp4.check(&[0u8; 20]).expect_err("20 zero bytes");
        assert!(err.contains("20 bytes"), "{err}");
    }

    /// Chunks as small as one byte still make a whole signature before anything is passed on.
    #[tokio::test]
    async fn the_head_is_held_until_it_can_be_checked() {
        let mut memory = MemorySink::default();
        let mut checked =
            Checked { kind: MediaKind::Mp4, head: Vec::new(), passed: false, inner: &mut memory };
        checked.begin(None).await.expect("begin");
        let clip = b"\0\0\0\x20ftypisom-and-the-rest";
        for byte in clip.chunks(1) {
            checked.write(byte).await.expect("write");
        }
        checked.end().await.expect("end");
        assert_eq!(&memory.into_bytes()[..], clip);

        let mut memory = MemorySink::default();
        let mut checked =
            Checked { kind: MediaKind::Mp4, head: Vec::new(), passed: false, inner: &mut memory };
        checked.begin(None).await.expect("begin");
        checked.write(b"<html>").await.expect("still too short to judge");
        let err = checked.end().await.expect_err("an HTML page is no clip");
        assert!(err.to_string().contains("MP4"), "{err}");
        assert!(memory.into_bytes().is_empty(), "nothing of it was passed on");
    }
}
