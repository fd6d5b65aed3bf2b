//! Redirects, which blinktui follows only where no credential can leak: a GET for data may
//! move to another host (without the bearer token), never from https to plain http off
//! loopback; anything that carries a credential or changes state is not followed at all.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use url::Url;

use super::endpoints::is_loopback;
use super::error::ApiError;

/// Hops a GET may take before blinktui gives up.
pub const MAX_HOPS: usize = 5;

/// The host a redirect points to, for messages (never the path or query).
pub fn target_host(current: &Url, headers: &HeaderMap) -> String {
    location(current, headers)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_else(|| "an unreadable location".into())
}

/// A redirect answered to a request that must not follow it.
pub fn refused(current: &Url, status: StatusCode, headers: &HeaderMap) -> ApiError {
    ApiError::Redirected { status: status.as_u16(), to: target_host(current, headers) }
}

/// Where a redirect of a GET leads, if it may be followed there: never from https down to
/// plain http (not even to this machine, whose services a remote host must not reach through
/// blinktui), and plain http only between loopback addresses (the simulator).
pub fn next_hop(current: &Url, status: StatusCode, headers: &HeaderMap) -> Result<Url, ApiError> {
    let next = location(current, headers).map_err(|()| refused(current, status, headers))?;
    let downgrade = next.scheme() == "http" && (current.scheme() == "https" || !is_loopback(&next));
    if !matches!(next.scheme(), "http" | "https") || downgrade {
        return Err(refused(current, status, headers));
    }
    Ok(next)
}

fn location(current: &Url, headers: &HeaderMap) -> Result<Url, ()> {
    let value = headers.get(LOCATION).and_then(|v| v.to_str().ok()).ok_or(())?;
    current.join(value).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(location: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).expect("header"));
        headers
    }

    fn hop(from: &str, to: &str) -> Result<Url, ApiError> {
        next_hop(&Url::parse(from).expect("url"), StatusCode::FOUND, &headers(to))
    }

    #[test]
    fn data_may_move_to_another_https_host() {
        let next = hop("https://rest-u1.immedia-semi.com/a/clip.mp4", "https://cdn.example.com/x.mp4");
        assert_eq!(next.expect("followed").as_str(), "https://cdn.example.com/x.mp4");
        let relative = hop("https://rest-u1.immedia-semi.com/a/b", "/c?d=1").expect("relative");
        assert_eq!(relative.as_str(), "https://rest-u1.immedia-semi.com/c?d=1");
    }

    #[test]
    fn never_down_to_plain_http_off_loopback() {
        let err =
            hop("https://rest-u1.immedia-semi.com/a", "http://evil.example.com/steal").expect_err("refused");
        assert!(
            matches!(&err, ApiError::Redirected { status: 302, to } if to == "evil.example.com"),
            "{err}"
        );
        assert!(hop("http://127.0.0.1:9/a", "http://127.0.0.1:10/b").is_ok(), "loopback tests");
        assert!(hop("https://a.example/x", "http://127.0.0.1:10/b").is_err(), "no way in to local services");
        assert!(hop("http://127.0.0.1:9/a", "http://10.0.0.2/b").is_err());
        assert!(hop("https://a.example/x", "file:///etc/passwd").is_err());
        assert!(hop("https://a.example/x", "immedia-blink://x").is_err());
        let none =
            next_hop(&Url::parse("https://a.example").expect("url"), StatusCode::FOUND, &HeaderMap::new());
        assert!(none.is_err());
    }
}
