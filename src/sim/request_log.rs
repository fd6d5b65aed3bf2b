//! `blinktui sim --log FILE`: one JSON line per request, for checking what a client sends.
//! Only query parameters known to carry no secret are written as they are; every other value
//! (codes, challenges, hardware ids, tokens) is replaced, so a log can be shared.

use std::io::Write;
use std::sync::Mutex;

use jiff::Timestamp;
use serde::Serialize;

/// Query parameters whose values are written as sent.
const PLAIN_PARAMETERS: &[&str] = &[
    "since",
    "page",
    "ts",
    "ext",
    "locale",
    "app_brand",
    "app_version",
    "client_id",
    "device_brand",
    "device_model",
    "device_os_version",
    "redirect_uri",
    "response_type",
    "scope",
    "code_challenge_method",
];

const HIDDEN: &str = "(hidden)";

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    method: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    status: u16,
    millis: u64,
}

/// Where the lines go; writes are serialised so lines never interleave.
pub struct RequestLog {
    out: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestLog")
    }
}

impl RequestLog {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Self { out: Mutex::new(out) }
    }

    /// Writes one request. A failed write is dropped: the log must never stop the server.
    pub fn write(
        &self,
        at: Timestamp,
        method: &str,
        path: &str,
        query: Option<&str>,
        status: u16,
        millis: u64,
    ) {
        let line =
            Line { time: at.to_string(), method, path, query: query.map(redact_query), status, millis };
        let Ok(mut text) = serde_json::to_string(&line) else { return };
        text.push('\n');
        let mut out = self.out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
}

/// The query with the value of every parameter not in [`PLAIN_PARAMETERS`] hidden.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if PLAIN_PARAMETERS.contains(&name) => format!("{name}={value}"),
            Some((name, _)) => format!("{name}={HIDDEN}"),
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_the_query_are_hidden_and_the_rest_kept() {
        let query =
            "client_id=ios&code_challenge=abc&hardware_id=UUID&since=2024-01-01T00:00:00+0000&code=xyz";
        assert_eq!(
            redact_query(query),
            "client_id=ios&code_challenge=(hidden)&hardware_id=(hidden)&since=2024-01-01T00:00:00+0000&code=(hidden)"
        );
    }

    #[test]
    fn lines_are_json_with_the_request_facts() {
        #[derive(Clone, Default)]
        struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("sink").extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Shared::default();
        let log = RequestLog::new(Box::new(sink.clone()));
        log.write(Timestamp::UNIX_EPOCH, "GET", "/networks", Some("refresh_token=secret"), 200, 3);
        log.write(Timestamp::UNIX_EPOCH, "POST", "/oauth/token", None, 401, 1);
        let text = String::from_utf8(sink.0.lock().expect("sink").clone()).expect("UTF-8");
        let lines: Vec<serde_json::Value> =
            text.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["method"], "GET");
        assert_eq!(lines[0]["path"], "/networks");
        assert_eq!(lines[0]["query"], "refresh_token=(hidden)");
        assert_eq!(lines[0]["status"], 200);
        assert_eq!(lines[0]["time"], "1970-01-01T00:00:00Z");
        assert!(lines[1].get("query").is_none());
        assert!(!text.contains("secret"));
    }
}
