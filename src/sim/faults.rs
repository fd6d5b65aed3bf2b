//! Fault injection and the request log, for tests: a rule makes requests whose path matches a
//! pattern slow, fail, or break, a given number of times or until cleared.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::request_log::RequestLog;

const LOG_LIMIT: usize = 20_000;

/// Endless and huge bodies go out in chunks of this size.
const CHUNK: usize = 64 * 1024;
static ZEROS: [u8; CHUNK] = [0; CHUNK];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Waits, then handles the request normally.
    Latency(Duration),
    /// Answers with this status and a Blink-style error body.
    Status(u16),
    /// 429 with `Retry-After`.
    RateLimit { retry_after_secs: u64 },
    /// 401 as for a revoked token.
    Unauthorized,
    /// 200 with a truncated JSON body.
    MalformedJson,
    /// Starts a 200 answer and drops the connection mid-body.
    DropConnection,
    /// Handles the request (a command is started, a change made), then drops the connection
    /// mid-answer: the change happened but its answer was lost.
    AnswerLost,
    /// Answers with this status, content type and body (hostile or odd answers).
    Respond { status: u16, content_type: String, body: Vec<u8> },
    /// Redirects (`301`, `302`, `307`, ...) to `location`.
    Redirect { status: u16, location: String },
    /// 200 with a body that never ends, without a length: `start`, then zeros.
    EndlessBody { start: Vec<u8> },
    /// 200 with a body of `bytes` bytes, announced in `Content-Length`: `start`, then zeros.
    HugeBody { start: Vec<u8>, bytes: u64 },
    /// 200 announcing `bytes` bytes that sends `start` and then nothing, for ever: a download
    /// caught halfway.
    StallBody { start: Vec<u8>, bytes: u64 },
}

impl Fault {
    /// The first bytes of an MP4, so that a body passes the check for a clip.
    pub fn mp4_start() -> Vec<u8> {
        b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41".to_vec()
    }
}

#[derive(Debug, Clone)]
struct Rule {
    method: Option<String>,
    pattern: String,
    fault: Fault,
    /// `None`: until cleared.
    remaining: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// Whether the request carried an `Authorization` header.
    pub authorized: bool,
    /// The `User-Agent` header, when there was one.
    pub user_agent: Option<String>,
    /// When the request arrived.
    pub at: Instant,
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    log: Mutex<Vec<RequestRecord>>,
    /// Bytes of endless and huge bodies handed to the server so far.
    streamed: Arc<AtomicU64>,
    /// `blinktui sim --log`: every request also goes there as a JSON line.
    file_log: std::sync::OnceLock<RequestLog>,
}

impl Faults {
    /// Injects `fault` into requests whose path matches `pattern` (`*` matches any run of
    /// characters), for the next `times` requests or, with `None`, until [`Faults::clear`].
    pub fn inject(&self, method: Option<&str>, pattern: &str, fault: Fault, times: Option<u32>) {
        lock(&self.rules).push(Rule {
            method: method.map(str::to_ascii_uppercase),
            pattern: pattern.to_owned(),
            fault,
            remaining: times,
        });
    }

    /// Writes every request from now on to `log` too (once; later calls are ignored).
    pub fn log_to(&self, log: RequestLog) {
        let _ = self.file_log.set(log);
    }

    pub fn clear(&self) {
        lock(&self.rules).clear();
    }

    /// How many bytes of endless and huge bodies the server took so far: a client that stops
    /// reading stops this too, give or take what the connection buffers.
    pub fn streamed_bytes(&self) -> u64 {
        self.streamed.load(Ordering::Relaxed)
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.log).clone()
    }

    /// How many requests matched `method` and `pattern` so far.
    pub fn count(&self, method: &str, pattern: &str) -> usize {
        lock(&self.log)
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && glob_match(pattern, &r.path))
            .count()
    }

    fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut rules = lock(&self.rules);
        let index = rules.iter().position(|rule| {
            rule.method.as_deref().is_none_or(|m| m == method) && glob_match(&rule.pattern, path)
        })?;
        let fault = rules[index].fault.clone();
        if let Some(remaining) = &mut rules[index].remaining {
            *remaining -= 1;
            if *remaining == 0 {
                rules.remove(index);
            }
        }
        Some(fault)
    }

    fn record(&self, record: RequestRecord) {
        let mut log = lock(&self.log);
        if log.len() >= LOG_LIMIT {
            log.drain(..LOG_LIMIT / 10);
        }
        log.push(record);
    }
}

/// The middleware: logs every request and applies the first matching fault.
pub async fn apply(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let authorized = request.headers().contains_key(header::AUTHORIZATION);
    let user_agent =
        request.headers().get(header::USER_AGENT).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let at = Instant::now();
    let wall_clock = jiff::Timestamp::now();
    let response = match faults.take(&method, &path) {
        Some(Fault::Latency(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Some(Fault::AnswerLost) => {
            let _applied = next.run(request).await;
            fault_response(&Fault::DropConnection, &faults.streamed)
        }
        Some(fault) => fault_response(&fault, &faults.streamed),
        None => next.run(request).await,
    };
    let status = response.status().as_u16();
    if let Some(log) = faults.file_log.get() {
        let millis = u64::try_from(at.elapsed().as_millis()).unwrap_or(u64::MAX);
        log.write(wall_clock, &method, &path, query.as_deref(), status, millis);
    }
    faults.record(RequestRecord { method, path, query, status, authorized, user_agent, at });
    response
}

fn fault_response(fault: &Fault, streamed: &Arc<AtomicU64>) -> Response {
    let json = |status: StatusCode, body: &'static str| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    match fault {
        Fault::Latency(_) => StatusCode::OK.into_response(),
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            json(status, r#"{"message":"Simulated failure","code":999}"#)
        }
        Fault::RateLimit { retry_after_secs } => {
            let mut response = json(StatusCode::TOO_MANY_REQUESTS, r#"{"message":"Too many requests"}"#);
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::Unauthorized => {
            json(StatusCode::UNAUTHORIZED, r#"{"message":"Unauthorized Access","error":null,"code":101}"#)
        }
        Fault::MalformedJson => json(StatusCode::OK, r#"{"networks": [{"id": 1, "name": "Ho"#),
        Fault::DropConnection | Fault::AnswerLost => {
            let stream = futures::stream::iter([
                Ok(Bytes::from_static(b"{\"partial\":")),
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "simulated drop")),
            ]);
            let mut response = Response::new(Body::from_stream(stream));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("4096"));
            response
        }
        Fault::Respond { status, content_type, body } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
            let mut response = (status, body.clone()).into_response();
            if let Ok(value) = HeaderValue::from_str(content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        Fault::Redirect { status, location } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::FOUND);
            let mut response = status.into_response();
            if let Ok(value) = HeaderValue::from_str(location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Fault::EndlessBody { start } => streaming(start, None, streamed),
        Fault::HugeBody { start, bytes } => {
            let mut response = streaming(start, Some(*bytes), streamed);
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(*bytes));
            response
        }
        Fault::StallBody { start, bytes } => {
            let head = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::copy_from_slice(start))]);
            let stalled = futures::StreamExt::chain(head, futures::stream::pending());
            let mut response = Response::new(Body::from_stream(stalled));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(*bytes));
            response
        }
    }
}

/// `start`, then zeros up to `length` bytes in all, or for ever; each chunk is produced only
/// when the server asks for it, so a client that stops reading stops the stream.
fn streaming(start: &[u8], length: Option<u64>, streamed: &Arc<AtomicU64>) -> Response {
    let start = Bytes::copy_from_slice(start);
    let counter = streamed.clone();
    let chunks = futures::stream::unfold(0u64, move |sent| {
        let left = length.map_or(u64::MAX, |length| length.saturating_sub(sent));
        let chunk = if sent == 0 && !start.is_empty() {
            start.slice(..start.len().min(left as usize))
        } else {
            Bytes::from_static(&ZEROS[..CHUNK.min(left as usize)])
        };
        counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        let next = sent + chunk.len() as u64;
        std::future::ready((left > 0).then_some((Ok::<_, std::io::Error>(chunk), next)))
    });
    let mut response = Response::new(Body::from_stream(chunks));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    response
}

/// `*` matches any run of characters, everything else itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    if pieces.is_empty() {
        return rest.is_empty();
    }
    for (index, piece) in pieces.iter().enumerate() {
        let last = index == pieces.len() - 1;
        if last {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob_match("/networks", "/networks"));
        assert!(!glob_match("/networks", "/networks/1"));
        assert!(glob_match("/api/v3/accounts/*/homescreen", "/api/v3/accounts/12/homescreen"));
        assert!(glob_match("*", "/anything"));
        assert!(glob_match("/network/*/command/*", "/network/1/command/2"));
        assert!(!glob_match("/network/*/command/*", "/networks"));
        assert!(glob_match("*/thumbnail", "/network/1/camera/2/thumbnail"));
    }

    #[tokio::test]
    async fn huge_bodies_have_their_length_and_endless_ones_go_on() {
        use futures::StreamExt;
        let streamed = Arc::new(AtomicU64::new(0));
        let fault = Fault::HugeBody { start: b"head".to_vec(), bytes: 200_000 };
        let response = fault_response(&fault, &streamed);
        assert_eq!(response.headers()[header::CONTENT_LENGTH], "200000");
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("whole body");
        assert_eq!((body.len(), &body[..4]), (200_000, &b"head"[..]));
        assert_eq!(streamed.load(Ordering::Relaxed), 200_000);

        let endless = fault_response(&Fault::EndlessBody { start: Fault::mp4_start() }, &streamed);
        let mut stream = endless.into_body().into_data_stream();
        let mut read = 0;
        while read < 10 * CHUNK {
            read += stream.next().await.expect("never ends").expect("chunk").len();
        }
        assert_eq!(streamed.load(Ordering::Relaxed), 200_000 + read as u64, "only what was asked for");
    }

    #[test]
    fn counted_rules_expire() {
        let faults = Faults::default();
        faults.inject(Some("get"), "/networks", Fault::Status(500), Some(2));
        assert_eq!(faults.take("POST", "/networks"), None);
        assert_eq!(faults.take("GET", "/networks"), Some(Fault::Status(500)));
        assert_eq!(faults.take("GET", "/networks"), Some(Fault::Status(500)));
        assert_eq!(faults.take("GET", "/networks"), None);
        faults.inject(None, "*", Fault::Unauthorized, None);
        for _ in 0..5 {
            assert_eq!(faults.take("GET", "/x"), Some(Fault::Unauthorized));
        }
        faults.clear();
        assert_eq!(faults.take("GET", "/x"), None);
    }
}
