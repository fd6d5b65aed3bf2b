//! Requests that carry a list of event ids, sent in slices so no single request grows without
//! bound, and the error that says how far a list got before Blink refused a slice.

use std::future::Future;

use crate::api::error::ApiError;

/// Most ids sent in one `media_list`. Blink documents no limit; slices keep every request small
/// however many events an account holds (thousands, over 60 days), and make a refusal cost
/// one slice rather than the whole list.
pub const MAX_IDS_PER_REQUEST: usize = 50;

/// A list of events that Blink refused part of. The requests before the refused one were
/// accepted; the refused one and those after it were not (the latter were never sent).
#[derive(Debug, thiserror::Error)]
#[error("{error} ({done} of {total} {action} before that)")]
pub struct BatchError {
    /// Ids in the requests Blink accepted.
    pub done: usize,
    pub total: usize,
    /// Past tense, for messages: "deleted", "marked watched".
    pub action: &'static str,
    pub error: ApiError,
}

/// Calls `send` with consecutive slices of at most [`MAX_IDS_PER_REQUEST`] ids, stopping at the
/// first error. An empty list sends nothing.
pub async fn in_batches<F, Fut>(ids: &[u64], action: &'static str, mut send: F) -> Result<(), BatchError>
where
    F: FnMut(&[u64]) -> Fut,
    Fut: Future<Output = Result<(), ApiError>>,
{
    let mut done = 0;
    for slice in ids.chunks(MAX_IDS_PER_REQUEST) {
        if let Err(error) = send(slice).await {
            return Err(BatchError { done, total: ids.len(), action, error });
        }
        done += slice.len();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// Runs [`in_batches`] over `total` ids, refusing the request numbered `refuse` (0-based).
    fn run(total: u64, refuse: Option<usize>) -> (Vec<Vec<u64>>, Result<(), BatchError>) {
        let ids: Vec<u64> = (1..=total).collect();
        let sent = RefCell::new(Vec::new());
        let result = futures::executor::block_on(in_batches(&ids, "deleted", |slice| {
            let index = sent.borrow().len();
            sent.borrow_mut().push(slice.to_vec());
            async move {
                if Some(index) == refuse {
                    return Err(ApiError::NotFound("Media not found".into()));
                }
                Ok(())
            }
        }));
        (sent.into_inner(), result)
    }

    #[test]
    fn long_lists_go_in_slices_of_at_most_fifty_in_order() {
        let (sent, result) = run(120, None);
        assert!(result.is_ok());
        assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [50, 50, 20]);
        assert_eq!(sent.concat(), (1..=120).collect::<Vec<_>>(), "every id once, in order");
        let (sent, _) = run(50, None);
        assert_eq!(sent.len(), 1, "exactly fifty fit in one request");
    }

    #[test]
    fn a_refusal_stops_the_rest_and_says_how_many_were_done() {
        let (sent, result) = run(130, Some(1));
        assert_eq!(sent.len(), 2, "nothing sent after the refused slice");
        let err = result.expect_err("second slice refused");
        assert_eq!((err.done, err.total), (50, 130));
        assert!(matches!(err.error, ApiError::NotFound(_)));
        assert_eq!(err.to_string(), "not found: Media not found (50 of 130 deleted before that)");
    }

    #[test]
    fn an_empty_list_sends_nothing() {
        let (sent, result) = run(0, None);
        assert!(sent.is_empty() && result.is_ok());
    }
}
