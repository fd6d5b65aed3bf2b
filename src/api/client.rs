//! [`BlinkClient`]: an authenticated, cheaply clonable handle on the REST API. It refreshes the
//! token before it expires and once on a 401, retries idempotent requests, paces commands, and
//! turns every answer into data or an [`ApiError`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::body::{self, BodyKind, BodySink, MemorySink, ReadLimit};
use super::command_gate::CommandHold;
use super::error::ApiError;
use super::http::{RawResponse, check_success, error_for, transport_error};
use super::options::ClientOptions;
use super::redirect;
use super::session::{Session, SessionLock, SessionSaveFailed, SessionStore};
use super::tokens;
use crate::secret::Secret;

/// Refresh when fewer than this many seconds of the access token remain.
const REFRESH_MARGIN_SECS: i64 = 60;

#[derive(Clone)]
pub struct BlinkClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Extra headers from the config, for the REST host only.
    headers: HeaderMap,
    options: ClientOptions,
    rest_base: Url,
    account_id: u64,
    session: tokio::sync::Mutex<Session>,
    store: Option<SessionStore>,
    /// The last failed save, until a save succeeds again.
    save_failed: tokio::sync::watch::Sender<Option<SessionSaveFailed>>,
    last_command: tokio::sync::Mutex<Option<Instant>>,
    /// Whether the session lock's absence was reported.
    lock_warned: std::sync::atomic::AtomicBool,
}

/// One request as the client sends it.
pub(crate) struct Request<'a> {
    pub method: Method,
    /// A path below the REST base, or an absolute URL on the same host.
    pub target: &'a str,
    pub body: Option<serde_json::Value>,
    /// Safe to repeat: only these are retried on transient errors.
    pub idempotent: bool,
    /// For the whole exchange; with `idle`, for the answer to start and then between any two
    /// pieces of the body (a large download takes as long as it needs while data flows).
    pub timeout: Duration,
    pub idle: bool,
    /// What the answer is, for its size limit.
    pub kind: BodyKind,
    /// Names the endpoint in error messages.
    pub label: &'a str,
}

impl BlinkClient {
    /// A client for an existing session. `store`, when given, receives rotated tokens.
    pub fn new(
        options: ClientOptions,
        session: Session,
        store: Option<SessionStore>,
    ) -> Result<Self, ApiError> {
        let http = options.build_http()?;
        let headers = options.headers()?;
        let rest_base = options.endpoints.rest_base(&session.tier)?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                headers,
                rest_base,
                account_id: session.account_id,
                session: tokio::sync::Mutex::new(session),
                store,
                save_failed: tokio::sync::watch::Sender::new(None),
                last_command: tokio::sync::Mutex::new(None),
                lock_warned: std::sync::atomic::AtomicBool::new(false),
                options,
            }),
        })
    }

    /// A client for the session saved in `store`, or [`ApiError::LoginRequired`].
    pub fn from_store(options: ClientOptions, store: SessionStore) -> Result<Self, ApiError> {
        match store.load()? {
            Some(session) => Self::new(options, session, Some(store)),
            None => Err(ApiError::LoginRequired("no saved session".into())),
        }
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    pub fn account_id(&self) -> u64 {
        self.inner.account_id
    }

    pub fn rest_base(&self) -> &Url {
        &self.inner.rest_base
    }

    /// Why the session could not be saved, while it cannot: the UI and the CLI must say so,
    /// since the next start may need a login.
    pub fn session_save_failure(&self) -> Option<SessionSaveFailed> {
        self.inner.save_failed.borrow().clone()
    }

    /// Follows [`BlinkClient::session_save_failure`] as it changes.
    pub fn watch_session_saves(&self) -> tokio::sync::watch::Receiver<Option<SessionSaveFailed>> {
        self.inner.save_failed.subscribe()
    }

    /// A copy of the current session (tokens included: handle with care).
    pub async fn session(&self) -> Session {
        self.inner.session.lock().await.clone()
    }

    /// Takes `previous`'s tokens when they are newer than this client's (a client made from
    /// the file while saves fail would otherwise go back to tokens Blink has rotated), and
    /// saves them.
    pub async fn keep_newer_session(&self, previous: &BlinkClient) {
        let theirs = previous.session().await;
        let mut session = self.inner.session.lock().await;
        if theirs.is_newer_than(&session)
            && theirs.account_id == session.account_id
            && theirs.hardware_id == session.hardware_id
        {
            *session = theirs;
            self.persist(&session).await;
        }
    }

    pub(crate) async fn update_session(&self, change: impl FnOnce(&mut Session) -> bool) {
        let mut session = self.inner.session.lock().await;
        if change(&mut session) {
            self.persist(&session).await;
        }
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str, label: &str) -> Result<T, ApiError> {
        self.send(Request {
            method: Method::GET,
            target: path,
            body: None,
            idempotent: true,
            timeout: self.inner.options.request_timeout,
            idle: false,
            kind: BodyKind::Json,
            label,
        })
        .await?
        .json(label)
    }

    /// A POST that is not retried on transient errors (it may have taken effect).
    pub(crate) async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
        label: &str,
    ) -> Result<T, ApiError> {
        let body = body.map(serde_json::to_value).transpose().map_err(|err| ApiError::Decode {
            endpoint: label.into(),
            detail: err.to_string(),
            excerpt: String::new(),
        })?;
        self.send(Request {
            method: Method::POST,
            target: path,
            body,
            idempotent: false,
            timeout: self.inner.options.request_timeout,
            idle: false,
            kind: BodyKind::Json,
            label,
        })
        .await?
        .json(label)
    }

    /// Waits until the configured spacing since the previous command-starting request has
    /// passed, in this process and (through the session directory) in every other blinktui.
    /// Holding the lock while waiting queues commands in order.
    pub(crate) async fn pace_command(&self) {
        let mut last = self.inner.last_command.lock().await;
        let spacing = self.inner.options.command_spacing;
        let mut wait = last.map_or(Duration::ZERO, |previous| spacing.saturating_sub(previous.elapsed()));
        if let Some(store) = self.inner.store.clone() {
            let elsewhere = tokio::task::spawn_blocking(move || store.reserve_command_slot(spacing)).await;
            match elsewhere {
                Ok(Ok(other)) => wait = wait.max(other),
                Ok(Err(err)) => tracing::warn!("command spacing holds in this process only: {err}"),
                Err(err) => tracing::warn!("command spacing holds in this process only: {err}"),
            }
        }
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        *last = Some(Instant::now());
    }

    /// Holds off the one-shot commands of every other blinktui sharing this session until the
    /// hold is dropped (no-op without a session store, or where its file cannot be opened, as
    /// in a read-only state directory). `on_wait` runs once if another holds it.
    pub async fn hold_commands(&self, on_wait: impl FnOnce()) -> Result<Option<CommandHold>, ApiError> {
        let Some(store) = self.inner.store.clone() else { return Ok(None) };
        let attempt = store.clone();
        let held = tokio::task::spawn_blocking(move || attempt.try_hold_commands())
            .await
            .map_err(|err| ApiError::Store(err.to_string()))?;
        let held = match held {
            Ok(held) => held,
            Err(err) => {
                tracing::warn!("commands are not held off in other blinktui processes: {err}");
                return Ok(None);
            }
        };
        if held.is_some() {
            return Ok(held);
        }
        on_wait();
        tokio::task::spawn_blocking(move || store.hold_commands())
            .await
            .map_err(|err| ApiError::Store(err.to_string()))?
            .map(Some)
    }

    /// Sends with the current token, refreshing once on 401 and retrying idempotent requests.
    /// The answer is read into memory, up to the limit for its kind.
    pub(crate) async fn send(&self, request: Request<'_>) -> Result<RawResponse, ApiError> {
        let mut sink = MemorySink::default();
        let headers = self.send_into(request, &mut sink).await?;
        let body = sink.into_bytes();
        check_success(&body)?;
        Ok(RawResponse { headers, body })
    }

    /// [`BlinkClient::send`] with the body of a successful answer written to `sink`, chunk by
    /// chunk, never more than the limit for its kind. A retry starts the sink over.
    pub(crate) async fn send_into(
        &self,
        request: Request<'_>,
        sink: &mut dyn BodySink,
    ) -> Result<HeaderMap, ApiError> {
        let url = self.resolve(request.target)?;
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            let token = self.bearer().await?;
            match self.send_once(&request, &url, &token, sink).await {
                Err(ApiError::Unauthorized) if !refreshed => {
                    tracing::info!(endpoint = request.label, "401: refreshing the token once");
                    self.refresh_after_rejection(&token).await?;
                    refreshed = true;
                }
                Err(err) if request.idempotent => {
                    match self.inner.options.retry.delay_before_retry(attempt, &err) {
                        Some(delay) => {
                            tracing::warn!(endpoint = request.label, attempt, ?delay, "retrying: {err}");
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                        }
                        None => return Err(err),
                    }
                }
                result => return result,
            }
        }
    }

    /// One attempt. A GET follows redirects by hand (see [`redirect`]); the bearer token goes
    /// only to the REST host, whatever a redirect says. Other methods follow none.
    async fn send_once(
        &self,
        request: &Request<'_>,
        url: &Url,
        token: &Secret,
        sink: &mut dyn BodySink,
    ) -> Result<HeaderMap, ApiError> {
        let mut url = url.clone();
        for _ in 0..=redirect::MAX_HOPS {
            let mut builder = self.inner.http.request(request.method.clone(), url.clone());
            if !request.idle {
                builder = builder.timeout(request.timeout);
            }
            let blink = url.origin() == self.inner.rest_base.origin();
            if blink {
                builder = builder
                    .headers(self.inner.headers.clone())
                    .header(AUTHORIZATION, format!("Bearer {}", token.expose()));
            }
            builder = builder.header(CONTENT_TYPE, "application/json");
            if let Some(body) = &request.body {
                builder = builder.body(body.to_string());
            }
            let host = host_and_port(&url);
            let response = tokio::time::timeout(request.timeout, builder.send())
                .await
                .map_err(|_| ApiError::Timeout { host: host.clone(), after: request.timeout })?
                .map_err(|err| transport_error(&host, err, request.timeout))?;
            let status = response.status();
            if status.is_redirection() && request.method == Method::GET {
                url = redirect::next_hop(&url, status, response.headers())?;
                tracing::debug!(endpoint = request.label, to = url.host_str(), "following a redirect");
                continue;
            }
            let headers = response.headers().clone();
            if !status.is_success() {
                let prefix = body::read_prefix(response, body::ERROR_BODY_LIMIT);
                let body = tokio::time::timeout(request.timeout, prefix).await.unwrap_or_default();
                tracing::debug!(endpoint = request.label, status = status.as_u16(), "error response");
                // A 401 from where a redirect led is that host's refusal, not Blink rejecting
                // the session: no token refresh for it.
                if !blink && status == reqwest::StatusCode::UNAUTHORIZED {
                    return Err(ApiError::Rejected { status: 401, code: None, message: None });
                }
                return Err(error_for(status, &headers, &body));
            }
            let read = ReadLimit {
                kind: request.kind,
                limit: self.inner.options.limits.of(request.kind),
                endpoint: request.label,
                host: &host,
                timeout: request.timeout,
                idle: request.idle,
            };
            let bytes = body::read_into(response, read, sink).await?;
            tracing::debug!(endpoint = request.label, status = status.as_u16(), bytes, "response");
            return Ok(headers);
        }
        Err(ApiError::Network {
            host: host_and_port(&url),
            detail: format!("more than {} redirects", redirect::MAX_HOPS),
        })
    }

    /// Paths become URLs below the REST base. Absolute URLs are accepted only on the REST host:
    /// the bearer token must never go anywhere else, whatever a response says.
    pub(crate) fn resolve(&self, target: &str) -> Result<Url, ApiError> {
        let base = &self.inner.rest_base;
        if target.starts_with("http://") || target.starts_with("https://") {
            let url = Url::parse(target)
                .map_err(|err| ApiError::BadUrl(format!("Blink sent an invalid URL: {err}")))?;
            if url.origin() != base.origin() {
                return Err(ApiError::BadUrl(format!(
                    "refusing to send Blink credentials to {}, which is not the Blink API host",
                    url.host_str().unwrap_or("an unknown host")
                )));
            }
            return Ok(url);
        }
        let separator = if target.starts_with('/') { "" } else { "/" };
        let joined = format!("{}{separator}{target}", base.as_str().trim_end_matches('/'));
        Url::parse(&joined)
            .map_err(|err| ApiError::BadUrl(format!("cannot build a URL from {target:?}: {err}")))
    }

    async fn bearer(&self) -> Result<Secret, ApiError> {
        let mut session = self.inner.session.lock().await;
        if session.expires_within(REFRESH_MARGIN_SECS) {
            self.refresh_locked(&mut session).await?;
        } else if self.inner.save_failed.borrow().is_some() {
            // The tokens on disk are stale: try again, the disk may have room by now.
            self.persist(&session).await;
        }
        Ok(session.access_token.clone())
    }

    async fn refresh_after_rejection(&self, rejected: &Secret) -> Result<(), ApiError> {
        let mut session = self.inner.session.lock().await;
        if session.access_token != *rejected {
            return Ok(()); // another request refreshed it meanwhile
        }
        self.refresh_locked(&mut session).await
    }

    async fn refresh_locked(&self, session: &mut Session) -> Result<(), ApiError> {
        let store = self.inner.store.clone();
        let _lock = self.session_lock().await;
        if let Some(store) = &store
            && adopt_newer(store, session)
        {
            tracing::info!("another blinktui refreshed the session; using its tokens");
            return Ok(());
        }
        let options = &self.inner.options;
        let limit = options.limits.json;
        match tokens::refresh(&self.inner.http, &options.endpoints, session, options.request_timeout, limit)
            .await
        {
            Ok(tokens) => {
                tokens::apply_tokens(session, tokens);
                tracing::info!("access token refreshed");
                self.persist(session).await;
                Ok(())
            }
            Err(err @ ApiError::LoginRequired(_)) => {
                // Forget the file only if it still holds the token Blink refused, the newest
                // known: an older one on disk (a save failed) is not what was refused.
                if let Some(store) = &store
                    && store
                        .load()
                        .ok()
                        .flatten()
                        .is_some_and(|disk| disk.refresh_token == session.refresh_token)
                    && let Err(clear_err) = store.clear()
                {
                    tracing::warn!("could not remove the rejected session: {clear_err}");
                }
                Err(err)
            }
            Err(err) => Err(err),
        }
    }

    /// The lock other blinktui processes sharing the session honour while refreshing. Where it
    /// cannot be had (a read-only state directory) the refresh goes on without it, in memory,
    /// as on a full disk: said once.
    async fn session_lock(&self) -> Option<SessionLock> {
        let store = self.inner.store.clone()?;
        let locked = tokio::task::spawn_blocking(move || store.lock())
            .await
            .unwrap_or_else(|err| Err(ApiError::Store(format!("the session lock stopped: {err}"))));
        match locked {
            Ok(lock) => Some(lock),
            Err(err) => {
                if !self.inner.lock_warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    tracing::warn!("refreshing without the lock shared with other blinktui processes: {err}");
                }
                None
            }
        }
    }

    /// Saves the session; a failure is kept for [`BlinkClient::session_save_failure`], since
    /// a rotated refresh token that is not on disk means a new login at the next start. The
    /// write and its fsync run on the blocking pool, never on the threads that draw the UI.
    async fn persist(&self, session: &Session) {
        let Some(store) = self.inner.store.clone() else { return };
        let saving = session.clone();
        let saved = tokio::task::spawn_blocking(move || store.save(&saving))
            .await
            .unwrap_or_else(|err| Err(ApiError::Store(format!("the save stopped: {err}"))));
        match saved {
            Ok(()) => {
                if self.inner.save_failed.send_if_modified(|failed| failed.take().is_some()) {
                    tracing::info!("the session is saved again");
                }
            }
            Err(err) => {
                tracing::error!("could not save the session: {err}");
                let reason = match err {
                    ApiError::Store(reason) => reason,
                    other => other.to_string(),
                };
                let since = self.inner.save_failed.borrow().as_ref().map_or_else(Timestamp::now, |f| f.since);
                self.inner.save_failed.send_replace(Some(SessionSaveFailed { reason, since }));
            }
        }
    }
}

/// `host[:port]`, for messages.
fn host_and_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Takes the tokens another process saved after rotating them, when they belong to the same
/// installation and account and are newer than ours. A copy that is merely different is older
/// when our own last save failed: its refresh token is one Blink has already rotated, and
/// spending it would end the session. True when they make a refresh unnecessary.
fn adopt_newer(store: &SessionStore, session: &mut Session) -> bool {
    let Ok(Some(disk)) = store.load() else { return false };
    if !disk.is_newer_than(session)
        || disk.refresh_token == session.refresh_token
        || disk.account_id != session.account_id
        || disk.hardware_id != session.hardware_id
    {
        return false;
    }
    *session = disk;
    !session.expires_within(REFRESH_MARGIN_SECS)
}

impl std::fmt::Debug for BlinkClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlinkClient")
            .field("rest_base", &self.inner.rest_base.as_str())
            .field("account_id", &self.inner.account_id)
            .finish_non_exhaustive()
    }
}
