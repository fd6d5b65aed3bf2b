//! Blink's login as it runs today: OAuth 2.0 authorization code with PKCE, imitating the iOS
//! app's web sign-in (cookie jar, CSRF token from the sign-in page, manual redirects, optional
//! second factor), then token refresh and tier discovery.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, HeaderMap, LOCATION, ORIGIN, REFERER, USER_AGENT,
};
use url::Url;

use super::body::{self, BodyKind, ReadLimit};
use super::endpoints::Endpoints;
use super::error::{ApiError, LoginFailure};
use super::http::{classify, transport_error};
use super::models::{OAuthError, TwoFactorChallenge, TwoFactorVerified};
use super::options::ClientOptions;
use super::pkce::Pkce;
use super::redirect;
use super::session::Session;
use super::tokens::{apply_tokens, tier_info, token_request};
use crate::secret::Secret;

pub const CLIENT_ID: &str = "ios";
pub const REDIRECT_URI: &str = "immedia-blink://applinks.blink.com/signin/callback";
pub const SCOPE: &str = "client";
pub const APP_BRAND: &str = "blink";
pub const BROWSER_USER_AGENT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1";
pub const TOKEN_USER_AGENT: &str = "Blink/2511191620 CFNetwork/3860.200.71 Darwin/25.1.0";
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
pub(super) const FORM: &str = "application/x-www-form-urlencoded";
const MAX_REDIRECTS: usize = 10;

/// Where a sign-in stands after the password was accepted.
#[derive(Debug)]
pub enum SignInOutcome {
    LoggedIn(Session),
    /// Blink sent a code (SMS, e-mail, ...); call [`LoginFlow::verify_code`] with it.
    NeedsCode(TwoFactorPrompt),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwoFactorPrompt {
    /// Masked phone number or address the code went to, when Blink says.
    pub destination: Option<String>,
    pub methods: Vec<String>,
    pub resend_after_secs: Option<u64>,
}

/// One login attempt. It keeps the cookie jar, PKCE verifier and CSRF token in memory between
/// the password and the code, so the prompt for the code can take as long as the user needs.
pub struct LoginFlow {
    http: reqwest::Client,
    endpoints: Endpoints,
    timeout: Duration,
    hardware_id: String,
    /// For tier discovery, a REST request.
    rest_headers: HeaderMap,
    pkce: Pkce,
    csrf: Option<Secret>,
    email: Option<String>,
    /// The largest page or answer read.
    body_limit: u64,
}

impl LoginFlow {
    pub fn new(options: &ClientOptions, hardware_id: String) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.request_timeout.max(Duration::from_secs(20)))
            .build()
            .map_err(|err| ApiError::Network { host: "local".into(), detail: err.to_string() })?;
        Ok(Self {
            http,
            endpoints: options.endpoints.clone(),
            timeout: options.request_timeout.max(Duration::from_secs(20)),
            hardware_id,
            rest_headers: options.headers()?,
            pkce: Pkce::generate(),
            csrf: None,
            email: None,
            body_limit: options.limits.json,
        })
    }

    /// Steps 1-3: authorize, read the CSRF token, submit the credentials. Never repeated
    /// automatically: every attempt may send the user another code.
    pub async fn sign_in(&mut self, email: &str, password: &Secret) -> Result<SignInOutcome, ApiError> {
        self.authorize().await?;
        let csrf = self.fetch_csrf().await?;
        self.email = Some(email.to_owned());
        let form = [("username", email), ("password", password.expose()), ("csrf-token", csrf.expose())];
        self.csrf = Some(csrf.clone());
        let response = self.post_form("/oauth/v2/signin", &form).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read(response, "sign-in").await?;
        tracing::info!(status = status.as_u16(), "sign-in answered");
        match status.as_u16() {
            300..=399 => self.finish().await.map(SignInOutcome::LoggedIn),
            412 => Ok(SignInOutcome::NeedsCode(prompt_from(&body))),
            202 => {
                let challenge: TwoFactorChallenge = serde_json::from_slice(&body).unwrap_or_default();
                if challenge.is_challenge() {
                    Ok(SignInOutcome::NeedsCode(prompt_from(&body)))
                } else {
                    Err(LoginFailure::Protocol("sign-in answered 202 without a verification request".into())
                        .into())
                }
            }
            200 | 401 | 403 => Err(LoginFailure::InvalidCredentials.into()),
            400 => Err(bad_request(&body, LoginFailure::InvalidCredentials)),
            _ => Err(other_status(status, &headers, &body)),
        }
    }

    /// Step 4 and the rest: submit the code Blink sent, then get the tokens.
    pub async fn verify_code(&mut self, code: &str) -> Result<Session, ApiError> {
        let csrf = self
            .csrf
            .clone()
            .ok_or_else(|| LoginFailure::Protocol("no sign-in is waiting for a code".into()))?;
        let code = code.trim();
        let form = [("2fa_code", code), ("csrf-token", csrf.expose()), ("remember_me", "false")];
        let response = self.post_form("/oauth/v2/2fa/verify", &form).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read(response, "verification").await?;
        tracing::info!(status = status.as_u16(), "verification answered");
        match status.as_u16() {
            // Blink answers 201 `{"status": "auth-completed"}`; a success status alone, with
            // any other body, has not completed the sign-in.
            200 | 201 => {
                let verified: TwoFactorVerified = serde_json::from_slice(&body).unwrap_or_default();
                if verified.status.as_deref() == Some("auth-completed") {
                    self.finish().await
                } else {
                    tracing::warn!(status = status.as_u16(), "verification answered without auth-completed");
                    Err(LoginFailure::InvalidCode.into())
                }
            }
            401 | 403 | 422 => Err(LoginFailure::InvalidCode.into()),
            400 => Err(bad_request(&body, LoginFailure::InvalidCode)),
            _ => Err(other_status(status, &headers, &body)),
        }
    }

    /// Step 1: start the authorization, following redirects by hand so the cookie jar sees
    /// every hop. It must end on a page (200).
    async fn authorize(&self) -> Result<(), ApiError> {
        let mut url = Url::parse(&self.endpoints.oauth_url("/oauth/v2/authorize"))
            .map_err(|err| ApiError::BadUrl(err.to_string()))?;
        url.query_pairs_mut()
            .append_pair("app_brand", APP_BRAND)
            .append_pair("app_version", "50.1")
            .append_pair("client_id", CLIENT_ID)
            .append_pair("code_challenge", &self.pkce.challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("device_brand", "Apple")
            .append_pair("device_model", "iPhone16,1")
            .append_pair("device_os_version", "26.1")
            .append_pair("hardware_id", &self.hardware_id)
            .append_pair("redirect_uri", REDIRECT_URI)
            .append_pair("response_type", "code")
            .append_pair("scope", SCOPE);
        for _ in 0..MAX_REDIRECTS {
            let response = self.browser_get(url.clone(), BROWSER_ACCEPT, None).await?;
            let status = response.status();
            let headers = response.headers().clone();
            if status.is_redirection() {
                // The web flow stays on the OAuth host: its cookies and the CSRF token that
                // comes with the sign-in page must not be handed to anyone else.
                let next = redirect::next_hop(&url, status, response.headers()).ok();
                url = next.filter(|next| next.origin() == self.endpoints.oauth_base().origin()).ok_or_else(
                    || LoginFailure::Protocol("authorization redirected out of the web flow".into()),
                )?;
                continue;
            }
            if status == StatusCode::OK {
                return Ok(());
            }
            let body = body::read_prefix(response, body::ERROR_BODY_LIMIT).await;
            return Err(other_status(status, &headers, &body));
        }
        Err(LoginFailure::Protocol("too many redirects while authorizing".into()).into())
    }

    /// Step 2: the sign-in page carries the CSRF token in `<script id="oauth-args">`.
    async fn fetch_csrf(&self) -> Result<Secret, ApiError> {
        let url = Url::parse(&self.endpoints.oauth_url("/oauth/v2/signin"))
            .map_err(|err| ApiError::BadUrl(err.to_string()))?;
        let response = self.browser_get(url, BROWSER_ACCEPT, None).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read(response, "sign-in page").await?;
        if status != StatusCode::OK {
            return Err(other_status(status, &headers, &body));
        }
        scrape_csrf(&String::from_utf8_lossy(&body))
            .map(Secret::new)
            .ok_or_else(|| LoginFailure::Protocol("the sign-in page has no CSRF token".into()).into())
    }

    /// Steps 5 and 6, then tier discovery.
    async fn finish(&mut self) -> Result<Session, ApiError> {
        let code = self.authorization_code().await?;
        let form = [
            ("app_brand", APP_BRAND),
            ("client_id", CLIENT_ID),
            ("code", code.expose()),
            ("code_verifier", self.pkce.verifier.expose()),
            ("grant_type", "authorization_code"),
            ("hardware_id", self.hardware_id.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", SCOPE),
        ];
        let limit = self.body_limit;
        let tokens =
            token_request(&self.http, &self.endpoints, &form, self.timeout, limit).await.map_err(|err| {
                match err {
                    ApiError::LoginRequired(reason) => {
                        LoginFailure::Protocol(format!("code exchange refused: {reason}")).into()
                    }
                    other => other,
                }
            })?;
        let tier = tier_info(
            &self.http,
            &self.endpoints,
            &self.rest_headers,
            &tokens.access_token,
            self.timeout,
            limit,
        )
        .await?;
        // A tier that makes no usable host would only fail later, after the session was saved.
        self.endpoints.rest_base(&tier.tier)?;
        let mut session = Session {
            access_token: Secret::default(),
            refresh_token: Secret::default(),
            expires_at: 0,
            tier: tier.tier,
            account_id: tier.account_id,
            hardware_id: self.hardware_id.clone(),
            client_id: None,
            user_id: None,
            email: self.email.clone(),
            issued_at_ms: 0,
        };
        apply_tokens(&mut session, tokens);
        if session.refresh_token.is_empty() {
            return Err(LoginFailure::Protocol("Blink sent no refresh token".into()).into());
        }
        self.csrf = None;
        Ok(session)
    }

    /// Step 5: `GET /oauth/v2/authorize` without a query continues from the session and
    /// redirects to the app's custom scheme with `?code=...`. That redirect is never followed.
    async fn authorization_code(&self) -> Result<Secret, ApiError> {
        let url = Url::parse(&self.endpoints.oauth_url("/oauth/v2/authorize"))
            .map_err(|err| ApiError::BadUrl(err.to_string()))?;
        let referer = self.endpoints.oauth_url("/oauth/v2/signin");
        let response = self.browser_get(url.clone(), "*/*", Some(&referer)).await?;
        let status = response.status();
        let headers = response.headers().clone();
        if !status.is_redirection() {
            let body = body::read_prefix(response, body::ERROR_BODY_LIMIT).await;
            return Err(match status.as_u16() {
                200 => LoginFailure::Protocol("authorization did not redirect with a code".into()).into(),
                _ => other_status(status, &headers, &body),
            });
        }
        let location = next_location(&url, response.headers())?;
        location
            .query_pairs()
            .find(|(key, _)| key == "code")
            .map(|(_, code)| Secret::new(code.into_owned()))
            .filter(|code| !code.is_empty())
            .ok_or_else(|| LoginFailure::Protocol("the authorization redirect carries no code".into()).into())
    }

    async fn browser_get(
        &self,
        url: Url,
        accept: &str,
        referer: Option<&str>,
    ) -> Result<reqwest::Response, ApiError> {
        let mut request = self
            .http
            .get(url)
            .header(USER_AGENT, BROWSER_USER_AGENT)
            .header(ACCEPT, accept)
            .header(ACCEPT_LANGUAGE, "en-US,en;q=0.9");
        if let Some(referer) = referer {
            request = request.header(REFERER, referer);
        }
        request.send().await.map_err(|err| self.transport(err))
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Result<reqwest::Response, ApiError> {
        self.http
            .post(self.endpoints.oauth_url(path))
            .header(USER_AGENT, BROWSER_USER_AGENT)
            .header(ACCEPT, "*/*")
            .header(CONTENT_TYPE, FORM)
            .header(ORIGIN, self.endpoints.oauth_origin())
            .header(REFERER, self.endpoints.oauth_url("/oauth/v2/signin"))
            .form(form)
            .send()
            .await
            .map_err(|err| self.transport(err))
    }

    /// A page or answer of the flow, within the limit.
    async fn read(&self, response: reqwest::Response, endpoint: &str) -> Result<bytes::Bytes, ApiError> {
        let host = self.endpoints.oauth_base().host_str().unwrap_or("?").to_owned();
        let read = ReadLimit {
            kind: BodyKind::Json,
            limit: self.body_limit,
            endpoint,
            host: &host,
            timeout: self.timeout,
            idle: false,
        };
        body::read_limited(response, read).await
    }

    fn transport(&self, err: reqwest::Error) -> ApiError {
        transport_error(self.endpoints.oauth_base().host_str().unwrap_or("?"), err, self.timeout)
    }
}

/// Reads `csrf-token` from `<script id="oauth-args" type="application/json">{...}</script>`.
pub fn scrape_csrf(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_and_more = &rest[start..];
        let tag_end = tag_and_more.find('>')?;
        let tag = &tag_and_more[..tag_end];
        let content = &tag_and_more[tag_end + 1..];
        let content_end = content.find("</script")?;
        if tag.contains("\"oauth-args\"") || tag.contains("'oauth-args'") || tag.contains("id=oauth-args") {
            let args: serde_json::Value = serde_json::from_str(content[..content_end].trim()).ok()?;
            return args.get("csrf-token")?.as_str().map(str::to_owned);
        }
        rest = &content[content_end..];
    }
    None
}

fn next_location(current: &Url, headers: &reqwest::header::HeaderMap) -> Result<Url, ApiError> {
    let location = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| LoginFailure::Protocol("a redirect without a Location".into()))?;
    current
        .join(location)
        .map_err(|_| LoginFailure::Protocol("a redirect to an invalid location".into()).into())
}

fn prompt_from(body: &[u8]) -> TwoFactorPrompt {
    let challenge: TwoFactorChallenge = serde_json::from_slice(body).unwrap_or_default();
    TwoFactorPrompt {
        destination: challenge.phone,
        methods: challenge.tsv_methods,
        resend_after_secs: challenge.next_time_in_secs,
    }
}

/// A 400 is either a protocol problem Blink names (`empty_cookies`, a bad CSRF token) or the
/// form being refused.
fn bad_request(body: &[u8], otherwise: LoginFailure) -> ApiError {
    let error: OAuthError = serde_json::from_slice(body).unwrap_or_default();
    match error.error_cause.as_deref() {
        Some(cause) if cause.contains("cookie") || cause.contains("csrf") => {
            LoginFailure::Protocol(format!("Blink refused the sign-in session ({cause})")).into()
        }
        _ => otherwise.into(),
    }
}

pub(super) fn other_status(
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> ApiError {
    if status == StatusCode::NOT_ACCEPTABLE {
        return LoginFailure::Blocked.into();
    }
    // The headers say where a redirect leads and when to try again after a 429.
    match classify(status, headers.clone(), bytes::Bytes::copy_from_slice(body)) {
        Err(err) => err,
        Ok(_) => LoginFailure::Protocol(format!("unexpected HTTP {status}")).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_is_read_from_the_oauth_args_script() {
        let html = r#"<html><head><script src="/a.js"></script>
            <script type="application/json" id="oauth-args">{"csrf-token": "tok-123", "x": 1}</script>
            </head><body>Sign in</body></html>"#;
        assert_eq!(scrape_csrf(html).as_deref(), Some("tok-123"));
    }

    #[test]
    fn csrf_absent_or_broken_is_none() {
        assert_eq!(scrape_csrf("<html><script>var a = 1;</script></html>"), None);
        assert_eq!(scrape_csrf(r#"<script id="oauth-args">{not json</script>"#), None);
        assert_eq!(scrape_csrf(r#"<script id="oauth-args">{"other": 1}</script>"#), None);
        assert_eq!(scrape_csrf(r#"<script id="oauth-args">{"csrf-token""#), None);
        assert_eq!(scrape_csrf(""), None);
    }
}
