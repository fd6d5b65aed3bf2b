//! The OAuth host as Blink runs it: a browser-style sign-in with a session cookie and CSRF
//! token, an optional second factor, PKCE-checked code exchange bound to the `hardware_id`,
//! and rotating refresh tokens.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde_json::json;

use crate::api::models::{TokenResponse, TwoFactorChallenge};
use crate::api::oauth::{CLIENT_ID, REDIRECT_URI};
use crate::api::pkce::challenge_for;
use crate::secret::Secret;

use super::SimState;

const COOKIE: &str = "_blink_session";
/// `hardware_id` values Blink answers with 406 (seen July 2026).
const BLOCKED_HARDWARE_IDS: &[&str] = &["Home Assistant", "Blinkpy"];
const CODE_LIFETIME: SignedDuration = SignedDuration::from_secs(600);
/// The client id of the Android app's old flow, which blinkpy still refreshes with.
const LEGACY_CLIENT_ID: &str = "android";

/// How the sign-in asks for a second factor: the 202 with `tsv_*` fields of today, or the
/// older 412.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorStyle {
    Accepted202,
    Precondition412,
}

#[derive(Debug, Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    Started,
    AwaitingCode,
    SignedIn,
}

#[derive(Debug, Clone)]
struct BrowserSession {
    challenge: String,
    hardware_id: String,
    csrf: String,
    stage: Stage,
}

#[derive(Debug, Clone)]
struct CodeGrant {
    challenge: String,
    hardware_id: String,
    issued: Timestamp,
}

#[derive(Debug, Clone)]
struct AccessGrant {
    expires: Timestamp,
}

#[derive(Debug, Clone)]
struct RefreshGrant {
    hardware_id: String,
}

pub struct OAuthServer {
    pub credentials: Credentials,
    pub two_factor: Option<TwoFactorStyle>,
    pub token_lifetime: Duration,
    sessions: HashMap<String, BrowserSession>,
    codes: HashMap<String, CodeGrant>,
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    /// Codes sent by the second factor so far (tests check none are sent needlessly).
    pub codes_sent: u32,
}

impl OAuthServer {
    pub fn new(
        credentials: Credentials,
        two_factor: Option<TwoFactorStyle>,
        token_lifetime: Duration,
    ) -> Self {
        Self {
            credentials,
            two_factor,
            token_lifetime,
            sessions: HashMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes_sent: 0,
        }
    }

    /// Whether a bearer token is valid now.
    pub fn access_valid(&self, token: &str, now: Timestamp) -> bool {
        self.access.get(token).is_some_and(|grant| grant.expires > now)
    }

    pub fn revoke_access(&mut self, token: &str) {
        self.access.remove(token);
    }

    /// Makes every access token expire now (refresh tokens stay valid).
    pub fn expire_access_tokens(&mut self) {
        let past = Timestamp::now() - SignedDuration::from_secs(1);
        for grant in self.access.values_mut() {
            grant.expires = past;
        }
    }

    /// Revokes everything, as removing the device in the Blink app does.
    pub fn revoke_all(&mut self) {
        self.access.clear();
        self.refresh.clear();
    }

    /// Issues a token pair directly, for tests that start logged in.
    pub fn issue_tokens(&mut self, hardware_id: &str) -> TokenResponse {
        let access = random_token();
        let refresh = random_token();
        let lifetime = SignedDuration::try_from(self.token_lifetime).unwrap_or(SignedDuration::from_hours(4));
        self.access.insert(access.clone(), AccessGrant { expires: Timestamp::now() + lifetime });
        self.refresh.insert(refresh.clone(), RefreshGrant { hardware_id: hardware_id.to_owned() });
        TokenResponse {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            expires_in: Some(self.token_lifetime.as_secs()),
            scope: Some("client".into()),
            token_type: Some("Bearer".into()),
        }
    }
}

type Shared = State<Arc<SimState>>;
type Params = HashMap<String, String>;

/// `GET /oauth/v2/authorize`: with a query it starts a sign-in (sets the session cookie and
/// redirects to the sign-in page); without one it continues a finished sign-in and redirects
/// to the app with the authorization code.
pub async fn authorize(State(sim): Shared, headers: HeaderMap, Query(params): Query<Params>) -> Response {
    let mut oauth = sim.oauth();
    if params.is_empty() {
        let Some(id) = session_cookie(&headers) else {
            return empty_cookies();
        };
        let Some(session) = oauth.sessions.get(&id).cloned() else {
            return empty_cookies();
        };
        if session.stage != Stage::SignedIn {
            return redirect("/oauth/v2/signin");
        }
        oauth.sessions.remove(&id);
        let code = random_token();
        oauth.codes.insert(
            code.clone(),
            CodeGrant {
                challenge: session.challenge,
                hardware_id: session.hardware_id,
                issued: Timestamp::now(),
            },
        );
        return redirect(&format!("{REDIRECT_URI}?code={code}&state={}", random_token()));
    }
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let hardware_id = param("hardware_id");
    if BLOCKED_HARDWARE_IDS.contains(&hardware_id) {
        return not_acceptable();
    }
    let problem = if param("client_id") != CLIENT_ID {
        Some("unknown client_id")
    } else if param("response_type") != "code" {
        Some("response_type must be code")
    } else if param("code_challenge_method") != "S256" || param("code_challenge").is_empty() {
        Some("PKCE with S256 is required")
    } else if param("redirect_uri") != REDIRECT_URI {
        Some("redirect_uri mismatch")
    } else if hardware_id.is_empty() {
        Some("hardware_id is required")
    } else {
        None
    };
    if let Some(problem) = problem {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", problem);
    }
    let id = random_token();
    oauth.sessions.insert(
        id.clone(),
        BrowserSession {
            challenge: param("code_challenge").to_owned(),
            hardware_id: hardware_id.to_owned(),
            csrf: random_token(),
            stage: Stage::Started,
        },
    );
    let mut response = redirect("/oauth/v2/signin");
    if let Ok(value) = format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax").parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `GET /oauth/v2/signin`: the sign-in page, with the CSRF token in `oauth-args`.
pub async fn signin_page(State(sim): Shared, headers: HeaderMap) -> Response {
    let oauth = sim.oauth();
    let Some(session) = session_cookie(&headers).and_then(|id| oauth.sessions.get(&id)) else {
        return empty_cookies();
    };
    let args = json!({ "csrf-token": session.csrf, "app_brand": "blink", "locale": "en_US" });
    let html = format!(
        "<!DOCTYPE html><html><head><title>Blink - Sign In</title>\
         <script id=\"oauth-args\" type=\"application/json\">{args}</script></head>\
         <body><form method=\"post\" action=\"/oauth/v2/signin\"><input name=\"username\">\
         <input name=\"password\" type=\"password\"></form></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// `POST /oauth/v2/signin`: checks cookie, CSRF and credentials.
pub async fn signin_submit(State(sim): Shared, headers: HeaderMap, Form(form): Form<Params>) -> Response {
    let mut oauth = sim.oauth();
    let Some(id) = session_cookie(&headers) else {
        return empty_cookies();
    };
    let credentials = oauth.credentials.clone();
    let two_factor = oauth.two_factor;
    let Some(session) = oauth.sessions.get_mut(&id) else {
        return empty_cookies();
    };
    if form.get("csrf-token") != Some(&session.csrf) {
        return csrf_error();
    }
    let email_ok = form.get("username").is_some_and(|u| u.eq_ignore_ascii_case(&credentials.email));
    if !email_ok || form.get("password") != Some(&credentials.password) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_credentials", "Invalid username or password");
    }
    match two_factor {
        None => {
            session.stage = Stage::SignedIn;
            redirect_with(StatusCode::SEE_OTHER, "/oauth/v2/authorize")
        }
        Some(style) => {
            session.stage = Stage::AwaitingCode;
            oauth.codes_sent += 1;
            let challenge = TwoFactorChallenge {
                next_time_in_secs: Some(60),
                phone: Some("+1******0123".into()),
                tsv_methods: vec!["sms".into(), "email".into()],
                tsv_state: Some("sms".into()),
                user_id: Some(98231),
            };
            let status = match style {
                TwoFactorStyle::Accepted202 => StatusCode::ACCEPTED,
                TwoFactorStyle::Precondition412 => StatusCode::PRECONDITION_FAILED,
            };
            (status, axum::Json(challenge)).into_response()
        }
    }
}

/// `POST /oauth/v2/2fa/verify`.
pub async fn verify_code(State(sim): Shared, headers: HeaderMap, Form(form): Form<Params>) -> Response {
    let mut oauth = sim.oauth();
    let Some(id) = session_cookie(&headers) else {
        return empty_cookies();
    };
    let expected = oauth.credentials.code.clone();
    let Some(session) = oauth.sessions.get_mut(&id) else {
        return empty_cookies();
    };
    if form.get("csrf-token") != Some(&session.csrf) {
        return csrf_error();
    }
    if session.stage != Stage::AwaitingCode {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "no verification pending");
    }
    if form.get("2fa_code").map(|c| c.trim()) != Some(expected.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_code", "The code is not valid");
    }
    session.stage = Stage::SignedIn;
    (StatusCode::CREATED, axum::Json(json!({ "status": "auth-completed" }))).into_response()
}

/// `POST /oauth/token`: the code exchange (PKCE and `hardware_id` checked) and refresh
/// (rotating the refresh token). The retired password grant is refused whoever asks.
pub async fn token(State(sim): Shared, headers: HeaderMap, Form(form): Form<Params>) -> Response {
    let mut oauth = sim.oauth();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let mut hardware_id = field("hardware_id");
    if BLOCKED_HARDWARE_IDS.contains(&hardware_id) {
        return not_acceptable();
    }
    let grant_type = field("grant_type");
    if grant_type == "password" {
        return oauth_error(StatusCode::UNAUTHORIZED, "unsupported_grant_type", "password grant retired");
    }
    // blinkpy's in-session refresh: client "android", hardware_id as a header (`--lenient`).
    let android_refresh = sim.lenient.refresh_client_id
        && grant_type == "refresh_token"
        && field("client_id") == LEGACY_CLIENT_ID;
    if android_refresh && hardware_id.is_empty() {
        hardware_id = headers.get("hardware_id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    }
    if field("client_id") != CLIENT_ID && !android_refresh {
        return oauth_error(StatusCode::UNAUTHORIZED, "unauthorized_client", "client is not authorized");
    }
    match grant_type {
        "authorization_code" => {
            let Some(grant) = oauth.codes.remove(field("code")) else {
                return invalid_grant("unknown or used authorization code");
            };
            if Timestamp::now() - grant.issued > CODE_LIFETIME {
                return invalid_grant("authorization code expired");
            }
            if challenge_for(field("code_verifier")) != grant.challenge {
                return invalid_grant("code_verifier does not match the challenge");
            }
            if grant.hardware_id != hardware_id || field("redirect_uri") != REDIRECT_URI {
                return invalid_grant("hardware_id or redirect_uri mismatch");
            }
            axum::Json(oauth.issue_tokens(hardware_id)).into_response()
        }
        "refresh_token" => {
            let Some(grant) = oauth.refresh.get(field("refresh_token")).cloned() else {
                return invalid_grant("refresh token is invalid or revoked");
            };
            if grant.hardware_id != hardware_id {
                return invalid_grant("hardware_id mismatch");
            }
            oauth.refresh.remove(field("refresh_token"));
            axum::Json(oauth.issue_tokens(hardware_id)).into_response()
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "unknown grant_type"),
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('=').map(str::to_owned))
}

fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn redirect(location: &str) -> Response {
    redirect_with(StatusCode::FOUND, location)
}

fn redirect_with(status: StatusCode, location: &str) -> Response {
    (status, [(header::LOCATION, location.to_owned())]).into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, axum::Json(json!({ "error": error, "error_description": description }))).into_response()
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

fn empty_cookies() -> Response {
    let body =
        json!({ "error": "bad_request", "error_cause": "empty_cookies", "error_description": "Bad Request" });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn csrf_error() -> Response {
    let body = json!({ "error": "bad_request", "error_cause": "invalid_csrf_token" });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn not_acceptable() -> Response {
    (StatusCode::NOT_ACCEPTABLE, "Not Acceptable").into_response()
}
