//! The liveview answer and its relay URL.

use url::Url;

use super::commands::CommandRef;
use super::error::ApiError;
use super::models::LiveviewResponse;
use crate::secret::Secret;

/// A liveview session Blink opened: where the relay is and which command to end afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Liveview {
    pub command: CommandRef,
    /// The URL as Blink sent it (`immis://` or `rtsps://`).
    pub server: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// The path segment before `__IMDS_`.
    pub connection_id: String,
    /// The camera serial after `__IMDS_`, when present.
    pub serial: Option<String>,
    /// `?client_id=` of the URL.
    pub client_id: Option<u64>,
    pub duration_secs: Option<i64>,
    pub polling_interval_secs: Option<i64>,
    pub token: Option<Secret>,
}

impl Liveview {
    pub fn from_response(response: LiveviewResponse, network_id: u64) -> Result<Self, ApiError> {
        let bad = |detail: &str| ApiError::Decode {
            endpoint: "liveview".into(),
            detail: detail.into(),
            excerpt: response.server.clone(),
        };
        if response.command_id == 0 {
            return Err(bad("no command id"));
        }
        let url = Url::parse(&response.server).map_err(|_| bad("the relay URL is not a URL"))?;
        let host = url.host_str().ok_or_else(|| bad("the relay URL has no host"))?.to_owned();
        let port = url.port().unwrap_or(443);
        let segment = url.path().trim_start_matches('/').to_owned();
        let (connection_id, serial) = match segment.split_once("__IMDS_") {
            Some((connection, serial)) => (connection.to_owned(), Some(serial.to_owned())),
            None => (segment, None),
        };
        let client_id =
            url.query_pairs().find(|(key, _)| key == "client_id").and_then(|(_, value)| value.parse().ok());
        Ok(Self {
            command: CommandRef {
                id: response.command_id,
                network_id: response.network_id.unwrap_or(network_id),
            },
            scheme: url.scheme().to_owned(),
            host,
            port,
            connection_id,
            serial,
            client_id,
            duration_secs: response.duration,
            polling_interval_secs: response.polling_interval,
            token: response.liveview_token,
            server: response.server,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_immis_relay_url() {
        let response = LiveviewResponse {
            command_id: 987654321,
            server: "immis://1.2.3.4:443/ABCDEFGHIJKML__IMDS_PONLMKJIHGFED?client_id=123456".into(),
            polling_interval: Some(15),
            ..Default::default()
        };
        let live = Liveview::from_response(response, 7).expect("parse");
        assert_eq!(live.command, CommandRef { id: 987654321, network_id: 7 });
        assert_eq!((live.scheme.as_str(), live.host.as_str(), live.port), ("immis", "1.2.3.4", 443));
        assert_eq!(live.connection_id, "ABCDEFGHIJKML");
        assert_eq!(live.serial.as_deref(), Some("PONLMKJIHGFED"));
        assert_eq!(live.client_id, Some(123456));
    }

    #[test]
    fn parses_an_rtsps_relay_url_and_rejects_junk() {
        let response = LiveviewResponse {
            command_id: 1,
            network_id: Some(9),
            server: "rtsps://lv2-app-prod.immedia-semi.com:443/NIE5YSJGOOOn__IMDS_B0000001?client_id=208&blinkRTSP=true".into(),
            ..Default::default()
        };
        let live = Liveview::from_response(response, 7).expect("parse");
        assert_eq!(live.command.network_id, 9);
        assert_eq!(live.serial.as_deref(), Some("B0000001"));
        assert_eq!(live.client_id, Some(208));
        let junk = LiveviewResponse { command_id: 1, server: "not a url".into(), ..Default::default() };
        assert!(Liveview::from_response(junk, 7).is_err());
    }
}
