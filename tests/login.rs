//! The login flow against the simulator: plain, with a second factor (both ways Blink asks
//! for it), wrong password, wrong code, refresh after expiry, refresh rejected.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use blinktui::api::{ApiError, BlinkClient, LoginFailure, LoginFlow, SessionStore, SignInOutcome};
use blinktui::secret::Secret;
use blinktui::sim::{Fault, SimConfig, TwoFactorStyle, demo};
use common::{quiet_config, start};

#[tokio::test]
async fn plain_login_saves_a_private_session_without_the_password() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let session = client.session().await;
    assert_eq!((session.tier.as_str(), session.account_id), ("u011", 104583));
    assert_eq!(session.hardware_id, h.store.hardware_id().expect("id"));
    assert_eq!(session.email.as_deref(), Some(demo::DEMO_EMAIL));

    let path = h.store.session_path();
    let text = std::fs::read_to_string(&path).expect("session file");
    assert!(!text.contains(demo::DEMO_PASSWORD), "the password is never stored");
    assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
    assert!(!format!("{session:?}").contains(session.access_token.expose()), "Debug hides tokens");

    let home = client.homescreen().await.expect("homescreen with the new token");
    assert_eq!(home.networks.len(), 2);
    // The flow used every OAuth step once, in order, and discovered the tier.
    let steps: Vec<_> =
        h.sim.faults().requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(
        steps[..7],
        [
            "GET /oauth/v2/authorize",
            "GET /oauth/v2/signin",
            "GET /oauth/v2/signin",
            "POST /oauth/v2/signin",
            "GET /oauth/v2/authorize",
            "POST /oauth/token",
            "GET /api/v1/users/tier_info",
        ]
    );
}

#[tokio::test]
async fn the_authorize_request_carries_pkce_and_the_hardware_id() {
    let h = start(quiet_config()).await;
    h.login().await;
    let hardware_id = h.store.hardware_id().expect("id");
    let authorize = h.sim.faults().requests().into_iter().next().expect("first request");
    let query = authorize.query.expect("query");
    for expected in [
        "client_id=ios".to_owned(),
        "code_challenge_method=S256".to_owned(),
        "response_type=code".to_owned(),
        "scope=client".to_owned(),
        format!("hardware_id={hardware_id}"),
    ] {
        assert!(query.contains(&expected), "{expected} missing from {query}");
    }
}

async fn login_with_code(style: TwoFactorStyle) {
    let h = start(SimConfig { two_factor: Some(style), ..quiet_config() }).await;
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let outcome = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect("sign in");
    let SignInOutcome::NeedsCode(prompt) = outcome else {
        panic!("expected a code request, got {outcome:?}")
    };
    assert_eq!(prompt.destination.as_deref(), Some("+1******0123"));
    assert_eq!(h.sim.with_oauth(|o| o.codes_sent), 1);

    let session = flow.verify_code(&format!(" {}\n", demo::DEMO_2FA_CODE)).await.expect("code accepted");
    let client = BlinkClient::new(h.options.clone(), session, None).expect("client");
    client.homescreen().await.expect("logged in");
    assert_eq!(h.count("POST", "/oauth/v2/2fa/verify"), 1);
}

#[tokio::test]
async fn two_factor_asked_with_202() {
    login_with_code(TwoFactorStyle::Accepted202).await;
}

#[tokio::test]
async fn two_factor_asked_with_412() {
    login_with_code(TwoFactorStyle::Precondition412).await;
}

#[tokio::test]
async fn wrong_password_is_refused_without_sending_a_code() {
    let h = start(SimConfig { two_factor: Some(TwoFactorStyle::Accepted202), ..quiet_config() }).await;
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let err = flow.sign_in(demo::DEMO_EMAIL, &Secret::new("not-the-password")).await.expect_err("refused");
    assert!(matches!(err, ApiError::Login(LoginFailure::InvalidCredentials)), "{err:?}");
    assert!(!err.to_string().contains("not-the-password"));
    assert_eq!(h.sim.with_oauth(|o| o.codes_sent), 0);
    assert_eq!(h.count("POST", "/oauth/token"), 0);
}

#[tokio::test]
async fn wrong_code_is_refused_and_the_right_one_still_works() {
    let h = start(SimConfig { two_factor: Some(TwoFactorStyle::Accepted202), ..quiet_config() }).await;
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect("sign in");
    let err = flow.verify_code("000000").await.expect_err("wrong code");
    assert!(matches!(err, ApiError::Login(LoginFailure::InvalidCode)), "{err:?}");
    assert_eq!(h.count("POST", "/oauth/token"), 0);
    flow.verify_code(demo::DEMO_2FA_CODE).await.expect("right code after a wrong one");
    assert_eq!(h.sim.with_oauth(|o| o.codes_sent), 1, "no second code was sent");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_rotation_persisted() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let before = client.session().await;
    h.sim.with_oauth(|o| o.expire_access_tokens());

    let home = client.homescreen().await.expect("request after expiry");
    assert_eq!(home.networks.len(), 2);
    assert_eq!(h.count("POST", "/oauth/token"), 2, "one exchange at login, one refresh");
    let after = client.session().await;
    assert_ne!(after.access_token, before.access_token);
    assert_ne!(after.refresh_token, before.refresh_token, "refresh tokens rotate");
    assert_eq!(h.store.load().expect("load"), Some(after), "the rotated token is saved");
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_before_the_request() {
    let h = start(SimConfig { token_lifetime: Duration::from_secs(30), ..quiet_config() }).await;
    let client = h.login().await;
    client.networks().await.expect("networks");
    // Less than 60 s left: refreshed proactively, so the sim never answered 401.
    assert_eq!(h.count("POST", "/oauth/token"), 2);
    assert!(h.sim.faults().requests().iter().all(|r| r.status != 401));
}

#[tokio::test]
async fn a_rejected_refresh_requires_a_new_login_and_never_loops() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    h.sim.with_oauth(|o| o.revoke_all());
    let signins_before = h.count("POST", "/oauth/v2/signin");

    let err = client.homescreen().await.expect_err("session revoked");
    assert!(matches!(err, ApiError::LoginRequired(_)), "{err:?}");
    assert!(err.to_string().contains("blinktui login"), "{err}");
    assert_eq!(h.count("POST", "/oauth/token"), 2, "exactly one refresh attempt");
    assert_eq!(h.count("POST", "/oauth/v2/signin"), signins_before, "no automatic login");
    assert_eq!(h.store.load().expect("load"), None, "the dead session is forgotten");
    assert!(h.store.hardware_id().is_ok());
}

#[tokio::test]
async fn refresh_with_another_hardware_id_is_refused() {
    let h = start(quiet_config()).await;
    let mut session = h.sign_in().await;
    session.hardware_id = blinktui::api::session::new_hardware_id();
    session.expires_at = 0;
    let client = BlinkClient::new(h.options.clone(), session, None).expect("client");
    let err = client.networks().await.expect_err("hardware id mismatch");
    assert!(err.needs_login(), "{err:?}");
}

#[tokio::test]
async fn a_blocklisted_hardware_id_gets_a_clear_error() {
    let h = start(quiet_config()).await;
    let mut flow = LoginFlow::new(&h.options, "Blinkpy".into()).expect("flow");
    let err = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect_err("406");
    assert!(matches!(err, ApiError::Login(LoginFailure::Blocked)), "{err:?}");
}

/// The simulator enforces what Blink enforces, so a client that skips a step fails here too.
mod protocol {
    use super::*;
    use blinktui::api::oauth::{CLIENT_ID, REDIRECT_URI, scrape_csrf};
    use blinktui::api::pkce::Pkce;

    fn authorize_url(base: &str, challenge: &str) -> String {
        format!(
            "{base}/oauth/v2/authorize?client_id={CLIENT_ID}&response_type=code&scope=client&code_challenge={challenge}\
             &code_challenge_method=S256&hardware_id=HW-1&redirect_uri={}",
            url::form_urlencoded::byte_serialize(REDIRECT_URI.as_bytes()).collect::<String>()
        )
    }

    #[tokio::test]
    async fn a_client_without_cookies_gets_empty_cookies() {
        let h = start(quiet_config()).await;
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http");
        let first = http.get(authorize_url(&h.sim.url(), "abc")).send().await.expect("authorize");
        assert_eq!(first.status(), 302);
        let signin = http.get(format!("{}/oauth/v2/signin", h.sim.url())).send().await.expect("signin");
        assert_eq!(signin.status(), 400);
        assert!(signin.text().await.expect("body").contains("empty_cookies"));
    }

    #[tokio::test]
    async fn the_code_needs_the_matching_verifier_and_works_once() {
        let h = start(quiet_config()).await;
        let base = h.sim.url();
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http");
        let pkce = Pkce::generate();
        http.get(authorize_url(&base, &pkce.challenge)).send().await.expect("authorize");
        let page = http
            .get(format!("{base}/oauth/v2/signin"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let csrf = scrape_csrf(&page).expect("csrf");
        let wrong_csrf = http
            .post(format!("{base}/oauth/v2/signin"))
            .form(&[
                ("username", demo::DEMO_EMAIL),
                ("password", demo::DEMO_PASSWORD),
                ("csrf-token", "forged"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(wrong_csrf.status(), 400, "CSRF token checked");
        let signed_in = http
            .post(format!("{base}/oauth/v2/signin"))
            .form(&[
                ("username", demo::DEMO_EMAIL),
                ("password", demo::DEMO_PASSWORD),
                ("csrf-token", csrf.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert!(signed_in.status().is_redirection());
        let redirect = http.get(format!("{base}/oauth/v2/authorize")).send().await.expect("code");
        let location = redirect.headers()["location"].to_str().expect("location").to_owned();
        assert!(location.starts_with(REDIRECT_URI), "{location}");
        let code = url::Url::parse(&location)
            .expect("url")
            .query_pairs()
            .find(|(k, _)| k == "code")
            .expect("code")
            .1
            .into_owned();
        let exchange = |verifier: &str| {
            http.post(format!("{base}/oauth/token")).form(&[
                ("grant_type", "authorization_code"),
                ("client_id", CLIENT_ID),
                ("code", code.as_str()),
                ("code_verifier", verifier),
                ("hardware_id", "HW-1"),
                ("redirect_uri", REDIRECT_URI),
            ])
        };
        let wrong = exchange("a-different-verifier-of-sufficient-length-000").send().await.expect("token");
        assert_eq!(wrong.status(), 400, "PKCE verifier checked");
        // A failed exchange burns the code, as single-use codes should.
        let again = exchange(pkce.verifier.expose()).send().await.expect("token");
        assert_eq!(again.status(), 400);
    }
}

#[tokio::test]
async fn a_firewall_page_at_refresh_time_keeps_the_session() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    h.sim.with_oauth(|o| o.expire_access_tokens());
    // Not an OAuth answer: a 403 page from whatever stands in front of Blink.
    h.sim.faults().inject(Some("POST"), "/oauth/token", blinktui::sim::Fault::Status(403), Some(1));
    let err = client.networks().await.expect_err("refresh blocked once");
    assert!(!err.needs_login(), "{err:?}");
    assert!(h.store.load().expect("load").is_some(), "the session file is kept");
    client.networks().await.expect("the next attempt refreshes with the same token");
}

#[tokio::test]
async fn two_processes_sharing_a_session_never_spend_the_same_refresh_token() {
    let h = start(quiet_config()).await;
    let first = h.login().await;
    let session = h.store.load().expect("load").expect("saved");
    let second = BlinkClient::new(h.options.clone(), session, Some(h.store.clone())).expect("client");
    h.sim.with_oauth(|o| o.expire_access_tokens());
    first.networks().await.expect("first refreshes and rotates");
    // The second still holds the old, now spent, refresh token: it must take the new one.
    second.networks().await.expect("second adopts the rotated tokens");
    assert_eq!(h.count("POST", "/oauth/token"), 2, "one exchange at login, one refresh in all");
    assert_eq!(second.session().await.refresh_token, first.session().await.refresh_token);
    assert!(h.store.load().expect("load").is_some());
}

#[tokio::test]
async fn a_201_without_auth_completed_is_not_a_verified_code() {
    let h = start(SimConfig { two_factor: Some(TwoFactorStyle::Accepted202), ..quiet_config() }).await;
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect("sign in");
    let verify = "/oauth/v2/2fa/verify";
    let body = br#"{"status":"auth-pending"}"#.to_vec();
    let fault = Fault::Respond { status: 201, content_type: "application/json".into(), body };
    h.sim.faults().inject(Some("POST"), verify, fault, Some(1));
    let authorizations = h.count("GET", "/oauth/v2/authorize");
    let err = flow.verify_code(demo::DEMO_2FA_CODE).await.expect_err("not completed");
    assert!(matches!(err, ApiError::Login(LoginFailure::InvalidCode)), "{err:?}");
    assert_eq!(h.count("GET", "/oauth/v2/authorize"), authorizations, "no code was asked for");
    flow.verify_code(demo::DEMO_2FA_CODE).await.expect("a real auth-completed still works");
}

/// Makes every save of `store` by this process fail, whoever runs the tests (root writes into
/// read-only directories): a directory stands where the new session is written. Removing it
/// is the disk having room again.
fn break_saves(store: &SessionStore) -> impl FnOnce() {
    std::fs::create_dir(store.temp_path()).expect("a directory in the way");
    let path = store.temp_path();
    move || std::fs::remove_dir(path).expect("out of the way")
}

/// Files (not directories) in `dir` named `*.tmp`.
fn temporary_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[tokio::test]
async fn a_refresh_that_cannot_be_saved_is_reported_and_saved_when_possible() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let before = h.store.load().expect("load").expect("saved");
    assert_eq!(client.session_save_failure(), None);
    let saves = client.watch_session_saves();
    let repair = break_saves(&h.store);
    h.sim.with_oauth(|o| o.expire_access_tokens());

    client.networks().await.expect("the request itself works");
    assert_eq!(h.count("POST", "/oauth/token"), 2, "login and the refresh");
    let failure = client.session_save_failure().expect("the failed save is reported");
    assert!(failure.to_string().contains("blinktui login"), "{failure}");
    assert!(saves.has_changed().expect("open"), "watchers hear of it");
    client.networks().await.expect("still working");
    assert!(client.session_save_failure().is_some(), "still not saved");
    assert_eq!(h.store.load().expect("load"), Some(before.clone()), "the previous file is intact");
    assert_eq!(temporary_files(h.store.dir()), Vec::<String>::new());

    // Room again: the next request saves the rotated tokens.
    repair();
    client.networks().await.expect("networks");
    assert_eq!(client.session_save_failure(), None);
    let saved = h.store.load().expect("load").expect("saved");
    assert_ne!(saved.refresh_token, before.refresh_token);
    assert_eq!(saved, client.session().await);
}

#[tokio::test]
async fn a_full_disk_across_two_refreshes_keeps_the_newest_tokens_and_the_session_file() {
    // Under a minute of life: every request refreshes first.
    let h = start(SimConfig { token_lifetime: Duration::from_secs(30), ..quiet_config() }).await;
    let client = h.login().await;
    let at_login = h.store.load().expect("load").expect("saved");
    let room_again = break_saves(&h.store);

    client.networks().await.expect("works after the first refresh");
    let first = client.session().await;
    client.networks().await.expect("works after the second refresh");
    let second = client.session().await;
    assert_eq!(h.count("POST", "/oauth/token"), 3, "the exchange at login and two refreshes");
    assert_ne!(first.refresh_token, second.refresh_token, "the second refresh spent the newest token");
    let failure = client.session_save_failure().expect("the failed saves are reported");
    assert!(failure.to_string().contains(&blinktui::api::session::local_time(failure.since)), "{failure}");
    assert_eq!(h.store.load().expect("load"), Some(at_login), "session.json is kept as it was");

    room_again();
    client.networks().await.expect("works with room again");
    assert_eq!(client.session_save_failure(), None);
    let saved = h.store.load().expect("load").expect("saved");
    assert_eq!(saved, client.session().await, "the file holds the newest tokens");
}

#[tokio::test]
async fn a_newer_session_saved_by_another_process_is_adopted_but_an_older_one_is_not() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let ours = client.session().await;
    // Another blinktui refreshed: its tokens on disk expire later.
    let other = BlinkClient::from_store(h.options.clone(), h.store.clone()).expect("other");
    h.sim.with_oauth(|o| o.expire_access_tokens());
    other.networks().await.expect("the other refreshes");
    let newer = h.store.load().expect("load").expect("saved");
    assert_ne!(newer.refresh_token, ours.refresh_token);
    client.networks().await.expect("ours adopts the other's tokens after a 401");
    assert_eq!(h.count("POST", "/oauth/token"), 2, "no refresh of our own: the newer tokens were taken");
    assert_eq!(client.session().await.refresh_token, newer.refresh_token);

    // An older copy on disk (say a save failed) is not taken over ours.
    h.store.save(&ours).expect("an old copy");
    h.sim.with_oauth(|o| o.expire_access_tokens());
    client.networks().await.expect("refreshes with the newest token");
    assert_eq!(h.count("POST", "/oauth/token"), 3);
    assert_eq!(h.store.load().expect("load"), Some(client.session().await));
}

#[tokio::test]
async fn a_refusal_from_the_token_endpoint_keeps_its_retry_after_and_location() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    h.sim.with_oauth(|o| o.expire_access_tokens());
    h.sim.faults().inject(Some("POST"), "/oauth/token", Fault::RateLimit { retry_after_secs: 7 }, Some(1));
    let err = client.networks().await.expect_err("rate limited");
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(wait) } if wait == Duration::from_secs(7)),
        "{err:?}"
    );

    let moved = Fault::Redirect { status: 307, location: "https://elsewhere.example/oauth/token".into() };
    h.sim.faults().inject(Some("POST"), "/oauth/token", moved, Some(1));
    let err = client.networks().await.expect_err("redirected");
    assert!(matches!(&err, ApiError::Redirected { status: 307, to } if to == "elsewhere.example"), "{err:?}");
    client.networks().await.expect("the session survives both");
}

#[tokio::test]
async fn a_refusal_of_the_sign_in_keeps_its_retry_after() {
    let h = start(quiet_config()).await;
    h.sim.faults().inject(
        Some("POST"),
        "/oauth/v2/signin",
        Fault::RateLimit { retry_after_secs: 9 },
        Some(1),
    );
    let mut flow = LoginFlow::new(&h.options, h.store.hardware_id().expect("id")).expect("flow");
    let err = flow.sign_in(demo::DEMO_EMAIL, &Secret::new(demo::DEMO_PASSWORD)).await.expect_err("limited");
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(wait) } if wait == Duration::from_secs(9)),
        "{err:?}"
    );
}
