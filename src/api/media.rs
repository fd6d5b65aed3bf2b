//! Motion events (media): listing, deleting, marking watched.

mod batch;

use std::collections::HashSet;

use jiff::Timestamp;
use reqwest::Method;

use super::body::BodyKind;
use super::client::{BlinkClient, Request};
use super::error::ApiError;
use super::models::time::format_since;
use super::models::{MediaItem, MediaListRequest, MediaPage, MessageResponse};

pub use batch::{BatchError, MAX_IDS_PER_REQUEST};

/// Blink's code for a successful delete.
const DELETED: i64 = 711;

/// Blink's codes for "Media not found" and "Invalid Media List Format": refusals even when they
/// come with a 2xx status.
const REFUSED: [i64; 2] = [700, 706];

/// Paging stops here even if Blink keeps sending full pages.
pub const DEFAULT_MAX_PAGES: u32 = 10;

impl BlinkClient {
    /// `GET /api/v1/accounts/{a}/media/changed?since=...&page=N` (pages start at 1).
    pub async fn media_changed(&self, since: Timestamp, page: u32) -> Result<MediaPage, ApiError> {
        let since = url::form_urlencoded::byte_serialize(format_since(since).as_bytes()).collect::<String>();
        let path = format!("/api/v1/accounts/{}/media/changed?since={since}&page={page}", self.account_id());
        self.get_json(&path, "media").await
    }

    /// Every event changed since `since`, newest first, following pages until an empty one
    /// (or `max_pages`). Deletions come too (`deleted: true`), so a list kept up to date can
    /// drop them.
    pub async fn media_since(&self, since: Timestamp, max_pages: u32) -> Result<Vec<MediaItem>, ApiError> {
        let mut seen = HashSet::new();
        let mut items = Vec::new();
        for page in 1..=max_pages.max(1) {
            let batch = self.media_changed(since, page).await?;
            if batch.media.is_empty() {
                break;
            }
            items.extend(batch.media.into_iter().filter(|item| seen.insert(item.id)));
        }
        items.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(items)
    }

    /// `POST /api/v1/accounts/{a}/media/delete` with `{"media_list": [...]}`, at most
    /// [`MAX_IDS_PER_REQUEST`] ids per request. A 200 whose code is not 711 ("Successfully
    /// deleted media") is a refusal; the first refusal stops the rest.
    pub async fn delete_media(&self, ids: &[u64]) -> Result<(), BatchError> {
        let path = format!("/api/v1/accounts/{}/media/delete", self.account_id());
        batch::in_batches(ids, "deleted", |slice| {
            let request = MediaListRequest { media_list: slice.to_vec() };
            let path = &path;
            async move {
                let answer: MessageResponse = self.post_json(path, Some(&request), "media delete").await?;
                match answer.code {
                    Some(code) if code != DELETED => {
                        Err(ApiError::Rejected { status: 200, code: Some(code), message: answer.message })
                    }
                    _ => Ok(()),
                }
            }
        })
        .await
    }

    /// `POST /api/v4/accounts/{a}/media/mark_as_viewed` with `{"media_list": [...]}`, at most
    /// [`MAX_IDS_PER_REQUEST`] ids per request; the first refusal stops the rest.
    pub async fn mark_watched(&self, ids: &[u64]) -> Result<(), BatchError> {
        let path = format!("/api/v4/accounts/{}/media/mark_as_viewed", self.account_id());
        batch::in_batches(ids, "marked watched", |slice| {
            let request = MediaListRequest { media_list: slice.to_vec() };
            let path = &path;
            async move { self.post_acknowledged(path, Some(&request), "mark watched").await }
        })
        .await
    }

    /// `POST /api/v4/accounts/{a}/media/mark_all_as_viewed` (no body): every event of the account.
    pub async fn mark_all_watched(&self) -> Result<(), ApiError> {
        let path = format!("/api/v4/accounts/{}/media/mark_all_as_viewed", self.account_id());
        self.post_acknowledged(&path, None, "mark all watched").await
    }

    /// A POST whose answer is Blink's `{message, code}` or nothing: the success code of these
    /// newer calls is not documented, so any 2xx is success unless it carries a known refusal.
    /// Marking watched only sets a flag, so unlike other POSTs it is safe to retry.
    async fn post_acknowledged(
        &self,
        path: &str,
        request: Option<&MediaListRequest>,
        label: &str,
    ) -> Result<(), ApiError> {
        let body = request
            .map(serde_json::to_value)
            .transpose()
            .map_err(|err| ApiError::decode(label, &err, b""))?;
        let raw = self
            .send(Request {
                method: Method::POST,
                target: path,
                body,
                idempotent: true,
                timeout: self.options().request_timeout,
                idle: false,
                kind: BodyKind::Json,
                label,
            })
            .await?;
        let answer: MessageResponse = serde_json::from_slice(&raw.body).unwrap_or_default();
        match answer.code {
            Some(code) if REFUSED.contains(&code) => {
                Err(ApiError::Rejected { status: 200, code: Some(code), message: answer.message })
            }
            _ => Ok(()),
        }
    }
}
