//! `blinktui sim --fault SPEC`: a fault rule written on the command line, so that a client
//! under test can meet Blink's bad days without a line of Rust.
//!
//! `SPEC` is `[METHOD ]PATTERN=KIND`: `PATTERN` a path where `*` matches any run of
//! characters, `KIND` one of `500` (any status from 400 to 599, with Blink's JSON error body),
//! `latency:MS`, `rate-limit:SECS` (429 with `Retry-After`), `unauthorized` (401 as for a
//! revoked token), `malformed-json`, `drop` (the connection drops mid-answer).

use std::time::Duration;

use super::Fault;

/// One rule from the command line; it holds until the simulator stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpec {
    pub method: Option<String>,
    pub pattern: String,
    pub fault: Fault,
}

const KINDS: &str = "a status 400-599, latency:MS, rate-limit:SECS, unauthorized, malformed-json or drop";

/// Parses `[METHOD ]PATTERN=KIND`; the error says what was expected.
pub fn parse(spec: &str) -> Result<FaultSpec, String> {
    let Some((target, kind)) = spec.rsplit_once('=') else {
        return Err(format!("`{spec}`: expected [METHOD ]PATTERN=KIND, e.g. `GET /networks=503`"));
    };
    let (method, pattern) = match target.trim().split_once(' ') {
        Some((method, pattern)) => (Some(method.to_ascii_uppercase()), pattern.trim()),
        None => (None, target.trim()),
    };
    if !pattern.starts_with('/') && !pattern.starts_with('*') {
        return Err(format!("`{spec}`: the pattern is a path, starting with / or *"));
    }
    let number = |text: &str| text.parse::<u64>().map_err(|_| format!("`{spec}`: `{text}` is not a number"));
    let fault = match kind.trim().split_once(':') {
        Some(("latency", ms)) => Fault::Latency(Duration::from_millis(number(ms)?)),
        Some(("rate-limit", secs)) => Fault::RateLimit { retry_after_secs: number(secs)? },
        None if kind.trim() == "unauthorized" => Fault::Unauthorized,
        None if kind.trim() == "malformed-json" => Fault::MalformedJson,
        None if kind.trim() == "drop" => Fault::DropConnection,
        None => match kind.trim().parse::<u16>() {
            Ok(status @ 400..=599) => Fault::Status(status),
            _ => return Err(format!("`{spec}`: the kind is {KINDS}")),
        },
        Some(_) => return Err(format!("`{spec}`: the kind is {KINDS}")),
    };
    Ok(FaultSpec { method, pattern: pattern.to_owned(), fault })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_into_rules() {
        assert_eq!(
            parse("GET /networks=503"),
            Ok(FaultSpec {
                method: Some("GET".into()),
                pattern: "/networks".into(),
                fault: Fault::Status(503)
            })
        );
        assert_eq!(
            parse("post /network/*/camera/*/thumbnail=latency:2500").map(|s| (s.method, s.fault)),
            Ok((Some("POST".into()), Fault::Latency(Duration::from_millis(2500))))
        );
        assert_eq!(
            parse("*/homescreen=rate-limit:30").map(|s| s.fault),
            Ok(Fault::RateLimit { retry_after_secs: 30 })
        );
        assert_eq!(parse("/user=unauthorized").map(|s| (s.method, s.fault)), Ok((None, Fault::Unauthorized)));
        assert_eq!(parse("/networks=malformed-json").map(|s| s.fault), Ok(Fault::MalformedJson));
        assert_eq!(parse("/networks=drop").map(|s| s.fault), Ok(Fault::DropConnection));
    }

    #[test]
    fn bad_specs_say_what_was_expected() {
        for (spec, said) in [
            ("/networks", "PATTERN=KIND"),
            ("networks=500", "starting with /"),
            ("/networks=200", "the kind is"),
            ("/networks=latency:soon", "not a number"),
            ("/networks=explode", "the kind is"),
        ] {
            let err = parse(spec).expect_err(spec);
            assert!(err.contains(said), "{spec}: {err}");
        }
    }
}
