//! Motion events (media): listing, downloading, deleting.

mod batch;

use std::collections::HashSet;

use jiff::Timestamp;

use super::client::BlinkClient;
use super::error::ApiError;
use super::models::time::format_since;
use super::models::{MediaItem, MediaListRequest, MediaPage, MessageResponse};

pub use batch::{BatchError, MAX_IDS_PER_REQUEST};

/// Blink's code for a successful delete.
const DELETED: i64 = 711;

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
}
