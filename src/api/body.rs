//! Reading answers with a size limit. A hostile or broken server can send a body that never
//! ends; every body is read chunk by chunk into a [`BodySink`] and reading stops at the limit
//! for its kind, so nothing is buffered past it. Clips go to disk this way, not to memory.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::future::BoxFuture;

use super::error::ApiError;
use super::http::transport_error;

pub const MIB: u64 = 1024 * 1024;

/// An error status's body only matters for Blink's short message; the rest is dropped.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Memory reserved up front at most: a declared length is a claim, not a promise.
const INITIAL_RESERVE: u64 = MIB;

/// The kinds of answer, each with its own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// API answers (JSON), and the pages of the login flow.
    Json,
    /// Thumbnails and snapshots.
    Image,
    /// Event clips.
    Clip,
}

impl BodyKind {
    /// The `[http]` key in the config that sets this limit.
    pub fn config_key(self) -> &'static str {
        match self {
            Self::Json => "max_json_mb",
            Self::Image => "max_image_mb",
            Self::Clip => "max_clip_mb",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Json => "an answer",
            Self::Image => "a picture",
            Self::Clip => "a clip",
        }
    }
}

/// The largest body of each kind blinktui reads, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    pub json: u64,
    pub image: u64,
    pub clip: u64,
}

impl Default for BodyLimits {
    /// Blink's largest answers (a page of 500 events, a big homescreen) are well under 1 MiB,
    /// its pictures under 1 MiB, its clips (60 s at most) tens of MiB.
    fn default() -> Self {
        Self { json: 8 * MIB, image: 20 * MIB, clip: 200 * MIB }
    }
}

impl BodyLimits {
    pub fn of(&self, kind: BodyKind) -> u64 {
        match kind {
            BodyKind::Json => self.json,
            BodyKind::Image => self.image,
            BodyKind::Clip => self.clip,
        }
    }
}

pub(crate) fn too_large(endpoint: &str, kind: BodyKind, limit: u64) -> ApiError {
    ApiError::TooLarge { endpoint: endpoint.to_owned(), kind, limit }
}

/// Names the limit and the setting that changes it, for [`ApiError::TooLarge`].
pub(crate) fn describe_limit(kind: BodyKind, limit: u64) -> String {
    format!(
        "more than {}, the limit for {} (`{}` under [http] in the config)",
        human_size(limit),
        kind.noun(),
        kind.config_key()
    )
}

/// `8 MiB`, `512 KiB`, `100 bytes`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b if b >= 1024 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// Where a body goes, chunk by chunk.
pub trait BodySink: Send {
    /// An attempt starts (a retry starts over): forget what an earlier one wrote. `total` is
    /// the length the server announced, if any.
    fn begin(&mut self, total: Option<u64>) -> BoxFuture<'_, Result<(), ApiError>>;
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), ApiError>>;
    /// The whole body arrived.
    fn end(&mut self) -> BoxFuture<'_, Result<(), ApiError>> {
        Box::pin(async { Ok(()) })
    }
}

/// A body kept in memory; the limit bounds it.
#[derive(Debug, Default)]
pub struct MemorySink {
    body: BytesMut,
}

impl MemorySink {
    pub fn into_bytes(self) -> Bytes {
        self.body.freeze()
    }
}

impl BodySink for MemorySink {
    fn begin(&mut self, total: Option<u64>) -> BoxFuture<'_, Result<(), ApiError>> {
        self.body.clear();
        self.body.reserve(total.unwrap_or(0).min(INITIAL_RESERVE) as usize);
        Box::pin(async { Ok(()) })
    }

    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), ApiError>> {
        self.body.extend_from_slice(chunk);
        Box::pin(async { Ok(()) })
    }
}

/// What a read needs besides the response: what it is, its limit, and names for errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadLimit<'a> {
    pub kind: BodyKind,
    pub limit: u64,
    /// Names the endpoint in error messages.
    pub endpoint: &'a str,
    pub host: &'a str,
    pub timeout: Duration,
    /// `timeout` is the longest wait for each piece of the body, not for all of it.
    pub idle: bool,
}

/// Feeds the body of `response` into `sink`; fails with [`ApiError::TooLarge`] as soon as it
/// is over the limit (at once when the announced length is), before the chunk is taken.
/// Returns the bytes read.
pub(crate) async fn read_into(
    mut response: reqwest::Response,
    read: ReadLimit<'_>,
    sink: &mut dyn BodySink,
) -> Result<u64, ApiError> {
    let total = response.content_length();
    if total.is_some_and(|total| total > read.limit) {
        return Err(too_large(read.endpoint, read.kind, read.limit));
    }
    sink.begin(total).await?;
    let mut received = 0u64;
    loop {
        let next = response.chunk();
        let chunk = if read.idle {
            tokio::time::timeout(read.timeout, next).await.map_err(|_| ApiError::Stalled {
                what: read.endpoint.to_owned(),
                host: read.host.to_owned(),
                after: read.timeout,
                received,
                total,
            })?
        } else {
            next.await
        };
        let Some(chunk) = chunk.map_err(|err| transport_error(read.host, err, read.timeout))? else { break };
        received += chunk.len() as u64;
        if received > read.limit {
            tracing::warn!(endpoint = read.endpoint, limit = read.limit, "body over its limit");
            return Err(too_large(read.endpoint, read.kind, read.limit));
        }
        sink.write(&chunk).await?;
    }
    sink.end().await?;
    Ok(received)
}

/// The whole body in memory, within the limit.
pub(crate) async fn read_limited(
    response: reqwest::Response,
    read: ReadLimit<'_>,
) -> Result<Bytes, ApiError> {
    let mut sink = MemorySink::default();
    read_into(response, read, &mut sink).await?;
    Ok(sink.into_bytes())
}

/// At most the first `limit` bytes, for an error page's message; the rest is not read, and a
/// broken connection leaves what came before it.
pub(crate) async fn read_prefix(mut response: reqwest::Response, limit: usize) -> Bytes {
    let mut body = BytesMut::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())]),
            Ok(None) | Err(_) => break,
        }
    }
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named_with_their_setting() {
        let err = too_large("homescreen", BodyKind::Json, 8 * MIB);
        let text = err.to_string();
        assert!(
            text.contains("homescreen") && text.contains("8 MiB") && text.contains("max_json_mb"),
            "{text}"
        );
        assert!(!err.is_transient(), "an oversized answer is not worth repeating");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(8 * MIB), "8 MiB");
        assert_eq!(human_size(3 * MIB / 2), "1.5 MiB");
        assert_eq!(human_size(64 * 1024), "64 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn defaults_and_lookup() {
        let limits = BodyLimits::default();
        assert_eq!(limits.of(BodyKind::Json), 8 * MIB);
        assert_eq!(limits.of(BodyKind::Image), 20 * MIB);
        assert_eq!(limits.of(BodyKind::Clip), 200 * MIB);
    }
}
