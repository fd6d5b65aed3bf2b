//! Tokens: the code exchange and refresh at `/oauth/token`, and tier discovery.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, USER_AGENT};

use super::body::{self, BodyKind, ReadLimit};
use super::endpoints::{DISCOVERY_TIER, Endpoints};
use super::error::{ApiError, LoginFailure};
use super::http::{error_for, transport_error};
use super::models::{OAuthError, TierInfo, TokenResponse};
use super::oauth::{CLIENT_ID, FORM, SCOPE, TOKEN_USER_AGENT, other_status};
use super::session::Session;
use crate::secret::Secret;

/// blinkpy's assumption when `expires_in` is missing.
const DEFAULT_EXPIRES_IN: u64 = 3600;

/// Exchanges the refresh token for new tokens, with the client id and hardware id that
/// obtained it. A refusal means the user must log in again.
pub async fn refresh(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    session: &Session,
    timeout: Duration,
    limit: u64,
) -> Result<TokenResponse, ApiError> {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", session.refresh_token.expose()),
        ("client_id", CLIENT_ID),
        ("scope", SCOPE),
        ("hardware_id", session.hardware_id.as_str()),
    ];
    token_request(http, endpoints, &form, timeout, limit).await
}

/// Copies new tokens into the session. A refresh answer without a refresh token keeps the old
/// one rather than losing the session.
pub fn apply_tokens(session: &mut Session, tokens: TokenResponse) {
    session.access_token = tokens.access_token;
    if let Some(refresh) = tokens.refresh_token.filter(|t| !t.is_empty()) {
        session.refresh_token = refresh;
    }
    let lifetime = tokens.expires_in.unwrap_or(DEFAULT_EXPIRES_IN).min(i64::MAX as u64 / 2) as i64;
    let now = Timestamp::now();
    session.expires_at = now.as_second().saturating_add(lifetime);
    session.issued_at_ms = now.as_millisecond();
}

pub(super) async fn token_request(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    form: &[(&str, &str)],
    timeout: Duration,
    limit: u64,
) -> Result<TokenResponse, ApiError> {
    let host = endpoints.oauth_base().host_str().unwrap_or("?").to_owned();
    let response = http
        .post(endpoints.oauth_url("/oauth/token"))
        .header(USER_AGENT, TOKEN_USER_AGENT)
        .header(ACCEPT, "*/*")
        .header(CONTENT_TYPE, FORM)
        .form(form)
        .timeout(timeout)
        .send()
        .await
        .map_err(|err| transport_error(&host, err, timeout))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = if status.is_success() {
        let read = ReadLimit {
            kind: BodyKind::Json,
            limit,
            endpoint: "oauth token",
            host: &host,
            timeout,
            idle: false,
        };
        body::read_limited(response, read).await?
    } else {
        body::read_prefix(response, body::ERROR_BODY_LIMIT).await
    };
    match status.as_u16() {
        200 => {
            let tokens: TokenResponse = serde_json::from_slice(&body).map_err(|err| ApiError::Decode {
                endpoint: "oauth token".into(),
                detail: err.to_string(),
                // The body may hold tokens: never show it.
                excerpt: "[not shown: may contain credentials]".into(),
            })?;
            if tokens.access_token.is_empty() {
                return Err(LoginFailure::Protocol("the token answer has no access token".into()).into());
            }
            Ok(tokens)
        }
        // Only an OAuth answer (`{"error": "invalid_grant", ...}`) means the session is dead. An
        // HTML page from the firewall in front of Blink is not a verdict on the session: keep it.
        400 | 401 | 403 => match serde_json::from_slice::<OAuthError>(&body) {
            Ok(OAuthError { error: Some(error), error_description, .. }) => {
                tracing::warn!(status = status.as_u16(), %error, "token request refused");
                let reason = error_description.unwrap_or(error);
                Err(ApiError::LoginRequired(format!("Blink refused the saved session: {reason}")))
            }
            _ => Err(other_status(status, &headers, &body)),
        },
        _ => Err(other_status(status, &headers, &body)),
    }
}

/// `GET rest-prod/api/v1/users/tier_info`: which tier (host) serves this account. `headers` are
/// the REST headers (user agent, configured extras): this is a REST host too.
pub async fn tier_info(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    headers: &HeaderMap,
    access_token: &Secret,
    timeout: Duration,
    limit: u64,
) -> Result<TierInfo, ApiError> {
    let base = endpoints.rest_base(DISCOVERY_TIER)?;
    let url = format!("{}/api/v1/users/tier_info", base.as_str().trim_end_matches('/'));
    let host = base.host_str().unwrap_or("?").to_owned();
    let response = http
        .get(url)
        .headers(headers.clone())
        .header(AUTHORIZATION, format!("Bearer {}", access_token.expose()))
        .header(CONTENT_TYPE, "application/json")
        .timeout(timeout)
        .send()
        .await
        .map_err(|err| transport_error(&host, err, timeout))?;
    let status = response.status();
    if !status.is_success() {
        let headers = response.headers().clone();
        let body = body::read_prefix(response, body::ERROR_BODY_LIMIT).await;
        return Err(error_for(status, &headers, &body));
    }
    let read =
        ReadLimit { kind: BodyKind::Json, limit, endpoint: "tier_info", host: &host, timeout, idle: false };
    let body = body::read_limited(response, read).await?;
    let info: TierInfo =
        serde_json::from_slice(&body).map_err(|err| ApiError::decode("tier_info", &err, &body))?;
    if info.tier.is_empty() || info.account_id == 0 {
        return Err(LoginFailure::Protocol("tier_info has no tier or account id".into()).into());
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_refresh_token_keeps_the_old_one() {
        let mut session = Session {
            access_token: Secret::new("old-access"),
            refresh_token: Secret::new("old-refresh"),
            expires_at: 0,
            tier: "prod".into(),
            account_id: 1,
            hardware_id: "HW".into(),
            client_id: None,
            user_id: None,
            email: None,
            issued_at_ms: 0,
        };
        apply_tokens(
            &mut session,
            TokenResponse { access_token: Secret::new("new"), expires_in: Some(14400), ..Default::default() },
        );
        assert_eq!(session.access_token.expose(), "new");
        assert_eq!(session.refresh_token.expose(), "old-refresh");
        assert!(!session.expires_within(14000));
        apply_tokens(
            &mut session,
            TokenResponse {
                access_token: Secret::new("n2"),
                refresh_token: Some(Secret::new("r2")),
                ..Default::default()
            },
        );
        assert_eq!(session.refresh_token.expose(), "r2");
        assert!(session.expires_within(3700) && !session.expires_within(3500));
    }
}
