//! State transitions, without I/O: actions in, state and effects out.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};

use super::{start, update};
use crate::api::change::Change;
use crate::api::models::{Homescreen, MediaItem};
use crate::api::{ApiError, LoginFailure};
use crate::app::action::{Action, PlayerFailed, RunOutcome};
use crate::app::command_run::{Operation, RunPhase};
use crate::app::effect::Effect;
use crate::app::sample::{fixed_now, sample_state};
use crate::app::toasts::Level;
use crate::app::{AppState, Details, Overlay, Pane, Screen, UiOptions};

fn now() -> Timestamp {
    fixed_now()
}

fn loaded() -> AppState {
    sample_state((120, 36), UiOptions { pictures: false, ..UiOptions::default() })
}

fn key(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(state, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)), now())
}

fn chars(state: &mut AppState, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| key(state, KeyCode::Char(c))).collect()
}

fn names(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .map(|effect| match effect {
            Effect::LoadHome => "LoadHome",
            Effect::LoadEvents { initial: true, .. } => "LoadEvents(initial)",
            Effect::LoadEvents { .. } => "LoadEvents",
            Effect::LoadPrograms { .. } => "LoadPrograms",
            Effect::Run { .. } => "Run",
            Effect::FetchImage { .. } => "FetchImage",
            Effect::EncodeImage { .. } => "EncodeImage",
            Effect::LoadDetails { .. } => "LoadDetails",
            Effect::LoadAccount => "LoadAccount",
            Effect::FetchClip { .. } => "FetchClip",
            Effect::Play { .. } => "Play",
            Effect::Bell => "Bell",
            Effect::SignIn { .. } => "SignIn",
            Effect::VerifyCode { .. } => "VerifyCode",
            Effect::UseSession(_) => "UseSession",
            Effect::DropSession => "DropSession",
            Effect::CancelAll { .. } => "CancelAll",
            Effect::StartPlayback { .. } => "StartPlayback",
            Effect::ControlPlayback { .. } => "ControlPlayback",
            Effect::FetchAhead { event: Some(_) } => "FetchAhead",
            Effect::FetchAhead { event: None } => "FetchAhead(none)",
            Effect::ResizePlayback { .. } => "ResizePlayback",
            Effect::StopPlayback { .. } => "StopPlayback",
            Effect::LoadOlderEvents { .. } => "LoadOlderEvents",
            Effect::SaveClips { .. } => "SaveClips",
            Effect::MarkWatched { .. } => "MarkWatched",
            Effect::MarkAllWatched => "MarkAllWatched",
            Effect::LoadUsbClips { .. } => "LoadUsbClips",
        })
        .collect()
}

fn has_toast(state: &AppState, level: Level, text: &str) -> bool {
    state.toasts.log().any(|t| t.level == level && t.text.contains(text))
}

#[test]
fn a_failed_player_says_why() {
    let mut state = loaded();
    update(&mut state, Action::PlayerDone(Err(PlayerFailed::Empty)), now());
    assert!(has_toast(&state, Level::Error, "The player failed: the player command is empty"));
}

#[test]
fn startup_loads_everything_once() {
    let mut state = AppState::new(UiOptions::default(), Default::default(), Screen::Main, (120, 36));
    let effects = start(&mut state, now());
    assert_eq!(names(&effects), ["LoadHome", "LoadEvents(initial)"], "programs wait for the network list");
    assert!(state.animating(), "a spinner runs while loading");
    let effects = update(&mut state, Action::HomeLoaded(Ok(Homescreen::default())), now());
    assert!(names(&effects).is_empty(), "no networks: nothing to ask programs for");
}

#[test]
fn a_refresh_asked_for_while_one_runs_happens_once_afterwards() {
    let mut state = loaded();
    let first = chars(&mut state, "r");
    assert_eq!(names(&first), ["LoadHome", "LoadEvents", "LoadPrograms"]);
    let second = chars(&mut state, "r");
    assert!(names(&second).is_empty(), "nothing doubled while in flight");
    let after = update(&mut state, Action::HomeLoaded(Ok(Homescreen::default())), now());
    assert_eq!(names(&after), ["LoadHome"], "the newer request runs once the first is back");
    let again = update(&mut state, Action::HomeLoaded(Ok(Homescreen::default())), now());
    assert!(names(&again).is_empty());
}

#[test]
fn the_timer_refreshes_only_when_due_and_without_programs() {
    let mut state = loaded();
    assert!(names(&update(&mut state, Action::Wake, now())).is_empty(), "not due yet");
    let later = now() + SignedDuration::from_secs(61);
    let effects = update(&mut state, Action::Wake, later);
    assert_eq!(names(&effects), ["LoadHome", "LoadEvents"]);
    assert!(state.remote.next_refresh.is_some_and(|next| next > later));
}

#[test]
fn focus_moves_by_tab_numbers_and_wraps() {
    let mut state = loaded();
    assert_eq!(state.view.focus, Pane::Networks);
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.view.focus, Pane::Cameras);
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::BackTab);
    assert_eq!(state.view.focus, Pane::Events);
    chars(&mut state, "3");
    assert_eq!(state.view.focus, Pane::Programs);
}

#[test]
fn movement_keys() {
    let mut state = loaded();
    chars(&mut state, "4G");
    assert_eq!(state.list(Pane::Events).selected, state.list(Pane::Events).len() - 1);
    chars(&mut state, "g");
    assert_eq!(state.list(Pane::Events).selected, 0);
    key(&mut state, KeyCode::PageDown);
    let page = state.list(Pane::Events).selected;
    assert!(page > 5, "a page is the pane's height: {page}");
    key(&mut state, KeyCode::Up);
    assert_eq!(state.list(Pane::Events).selected, page - 1);
    assert!(state.list(Pane::Events).offset <= state.list(Pane::Events).selected);
}

#[test]
fn pane_keys_only_act_in_their_pane() {
    let mut state = loaded();
    chars(&mut state, "2");
    let effects = chars(&mut state, "a");
    assert!(effects.is_empty());
    assert!(has_toast(&state, Level::Info, "works in the networks pane"));
}

#[test]
fn arming_an_armed_network_sends_nothing() {
    let mut state = loaded();
    assert!(state.selected_network().is_some_and(|n| n.armed));
    assert!(chars(&mut state, "a").is_empty());
    assert!(has_toast(&state, Level::Info, "already armed"));
}

#[test]
fn disarm_waits_for_a_yes() {
    let mut state = loaded();
    assert!(chars(&mut state, "d").is_empty());
    assert!(matches!(state.view.overlay, Some(Overlay::Confirm(_))));
    assert!(chars(&mut state, "x").is_empty(), "other keys do nothing while asking");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Run { op: Operation::Change(Change::Arm { armed: false, .. }), .. }]
    ));
    assert_eq!(state.runs_in_flight().next().map(|r| r.phase.clone()), Some(RunPhase::Queued));
}

#[test]
fn without_confirmations_disarm_goes_at_once() {
    let mut state =
        sample_state((120, 36), UiOptions { confirm: false, pictures: false, ..UiOptions::default() });
    assert_eq!(names(&chars(&mut state, "d")), ["Run"]);
}

#[test]
fn read_only_blocks_commands() {
    let mut state =
        sample_state((120, 36), UiOptions { read_only: true, pictures: false, ..UiOptions::default() });
    chars(&mut state, "j");
    assert!(chars(&mut state, "ad").is_empty());
    assert!(state.view.overlay.is_none());
    assert!(has_toast(&state, Level::Warning, "Read-only mode"));
}

#[test]
fn a_run_reports_progress_then_blinks_message_on_failure() {
    let mut state = loaded();
    chars(&mut state, "2");
    let effects = chars(&mut state, "s");
    let Some(Effect::Run { id, .. }) = effects.first() else { panic!("a run") };
    let id = *id;
    update(
        &mut state,
        Action::RunProgress { id, phase: RunPhase::Polling { stage: Some("dev".into()) } },
        now(),
    );
    assert_eq!(state.runs[0].phase, RunPhase::Polling { stage: Some("dev".into()) });
    let failure = Err(ApiError::CommandFailed { code: 905, message: "Camera is offline".into() });
    let effects = update(&mut state, Action::RunFinished { id, result: failure }, now());
    assert!(names(&effects).is_empty());
    assert!(state.runs.is_empty());
    assert!(has_toast(&state, Level::Error, "Snapshot Driveway failed: Camera is offline"));
}

#[test]
fn a_finished_arm_refreshes_homescreen() {
    let mut state = loaded();
    chars(&mut state, "j");
    let effects = chars(&mut state, "a");
    let Some(Effect::Run { id, .. }) = effects.first() else { panic!("a run") };
    let effects = update(&mut state, Action::RunFinished { id: *id, result: Ok(RunOutcome::Done) }, now());
    assert_eq!(names(&effects), ["LoadHome"]);
    assert!(has_toast(&state, Level::Success, "Cabin armed"));
}

#[test]
fn an_ended_session_goes_back_to_login_and_stops_everything() {
    let mut state = loaded();
    let effects =
        update(&mut state, Action::HomeLoaded(Err(ApiError::LoginRequired("revoked".into()))), now());
    assert_eq!(names(&effects), ["CancelAll", "DropSession"]);
    assert!(matches!(state.screen, Screen::Login(_)));
    assert!(!state.animating());
    assert_eq!(state.remote.next_refresh, None, "no timer keeps firing on the login screen");
}

#[test]
fn a_session_refused_while_marking_watched_or_getting_a_clip_goes_back_to_login() {
    let mut state = loaded();
    let result = Err(ApiError::Unauthorized);
    let effects = update(&mut state, Action::WatchedMarked { ids: Some(vec![1]), result }, now());
    assert_eq!(names(&effects), ["CancelAll", "DropSession"]);
    assert!(matches!(state.screen, Screen::Login(_)));

    let mut state = loaded();
    let result = Err(crate::files::ClipError::Api(ApiError::LoginRequired("revoked".into())));
    let effects = update(&mut state, Action::ClipReady { event: 1, play: false, result }, now());
    assert_eq!(names(&effects), ["CancelAll", "DropSession"]);
    assert!(matches!(state.screen, Screen::Login(_)), "not a toast saying the clip failed");
}

#[test]
fn results_of_work_started_before_the_session_ended_are_dropped() {
    let mut state = loaded();
    let before = state.generation;
    let stale_home = state.data.networks.len();
    update(&mut state, Action::HomeLoaded(Err(ApiError::LoginRequired("revoked".into()))), now());
    assert_eq!(state.generation, before + 1);
    // A load of the old session that was already on its way when everything was cancelled.
    let late = Action::FromTask {
        generation: before,
        action: Box::new(Action::EventsLoaded { initial: false, result: Err(ApiError::Unauthorized) }),
    };
    assert!(update(&mut state, late, now()).is_empty(), "dropped, not another logout");
    assert_eq!(state.data.networks.len(), stale_home);
    // One of the current generation is handled.
    let current = Action::FromTask {
        generation: state.generation,
        action: Box::new(Action::CodeRequested(crate::api::TwoFactorPrompt::default())),
    };
    update(&mut state, current, now());
    let Screen::Login(login) = &state.screen else { panic!("login screen") };
    assert!(matches!(login.stage, crate::app::login::LoginStage::Code { .. }), "the code prompt was handled");
}

#[test]
fn signing_in_as_another_account_forgets_the_previous_one() {
    let mut state = loaded();
    state.view.marked.insert(state.data.events[0].id);
    update(&mut state, Action::HomeLoaded(Err(ApiError::LoginRequired("revoked".into()))), now());
    let session = crate::api::Session {
        access_token: crate::secret::Secret::new("access"),
        refresh_token: crate::secret::Secret::new("refresh"),
        expires_at: 0,
        tier: "u011".into(),
        account_id: state.data.account_id + 1,
        hardware_id: "hw".into(),
        client_id: None,
        user_id: None,
        email: Some("other@blinktui.example".into()),
        issued_at_ms: 0,
    };
    update(&mut state, Action::SignedIn(Ok(session)), now());
    assert!(state.data.networks.is_empty() && state.data.events.is_empty() && state.view.marked.is_empty());
    assert!(state.list(Pane::Events).is_empty());
    assert_eq!(state.session.account, "other@blinktui.example");
}

#[test]
fn a_failed_picture_is_asked_for_again_at_the_next_refresh() {
    let mut state = sample_state((120, 36), UiOptions::default());
    let effects = update(&mut state, Action::Resize(120, 36), now());
    let [Effect::FetchImage { key }] = effects.as_slice() else { panic!("{:?}", names(&effects)) };
    let key = key.clone();
    let effects = update(
        &mut state,
        Action::ImageLoaded {
            key: key.clone(),
            result: Err(crate::api::ApiError::Timeout {
                host: "rest".into(),
                after: std::time::Duration::from_secs(5),
            }
            .into()),
        },
        now(),
    );
    assert!(names(&effects).is_empty(), "no retry loop");
    let effects = chars(&mut state, "r");
    assert!(effects.iter().any(|e| matches!(e, Effect::FetchImage { key: again } if *again == key)));
}

#[test]
fn a_task_that_failed_releases_what_waited_for_it() {
    let mut state = loaded();
    chars(&mut state, "r");
    assert!(state.remote.loading.home.in_flight);
    update(&mut state, Action::TaskFailed("panicked".into()), now());
    assert!(!state.animating(), "nothing spins for a job that will never report");
    assert!(has_toast(&state, Level::Error, "Internal error"));
    assert_eq!(names(&chars(&mut state, "r")), ["LoadHome", "LoadEvents", "LoadPrograms"]);
}

#[test]
fn typing_a_password_is_not_logged() {
    let mut state = loaded();
    let key = |c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    assert!(super::loggable(&state, &key('j')), "keys are logged on the main screen");
    assert!(!super::loggable(&state, &Action::Tick));
    state.screen = Screen::Login(crate::app::login::LoginState::new(Some("me@example.com".into()), None));
    assert!(!super::loggable(&state, &key('h')), "not while a password is typed");
    assert!(super::loggable(&state, &Action::CodeRequested(Default::default())));
}

#[test]
fn a_rate_limit_pushes_the_next_refresh_back() {
    let mut state = loaded();
    let error = ApiError::RateLimited { retry_after: Some(Duration::from_secs(600)) };
    update(&mut state, Action::HomeLoaded(Err(error)), now());
    assert_eq!(state.remote.next_refresh, Some(now() + SignedDuration::from_secs(600)));
    assert!(state.remote.connection_problem.as_deref().is_some_and(|p| p.contains("rate limited")));
    let repeat = ApiError::RateLimited { retry_after: Some(Duration::from_secs(600)) };
    let toasts_before = state.toasts.log_len();
    update(&mut state, Action::EventsLoaded { initial: false, result: Err(repeat) }, now());
    assert!(state.toasts.log_len() <= toasts_before + 1, "no flood of identical warnings");
}

#[test]
fn filter_narrows_and_escape_clears() {
    let mut state = loaded();
    chars(&mut state, "2/gar");
    assert!(state.view.filter_editing);
    assert_eq!(state.list(Pane::Cameras).len(), 1);
    assert_eq!(state.selected_camera().map(|c| c.name.as_str()), Some("Garage"));
    key(&mut state, KeyCode::Enter);
    assert!(!state.view.filter_editing && state.list(Pane::Cameras).len() == 1, "Enter keeps it");
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.list(Pane::Cameras).len(), 7, "Esc clears it");
}

#[test]
fn new_events_ring_the_bell_when_asked() {
    let mut state =
        sample_state((120, 36), UiOptions { bell: true, pictures: false, ..UiOptions::default() });
    let event = MediaItem {
        id: 77,
        created_at: "2026-11-26T13:59:00+00:00".parse().expect("time"),
        device_id: 400102,
        ..MediaItem::default()
    };
    let effects = update(&mut state, Action::EventsLoaded { initial: false, result: Ok(vec![event]) }, now());
    assert_eq!(names(&effects), ["Bell"]);
    assert!(state.data.new_events.contains(&77));
    assert!(has_toast(&state, Level::Info, "1 new motion event"));
}

#[test]
fn the_selected_picture_is_fetched_then_encoded_for_its_area() {
    let mut state = sample_state((120, 36), UiOptions::default());
    let effects = update(&mut state, Action::Resize(120, 36), now());
    let [Effect::FetchImage { key }] = effects.as_slice() else { panic!("{:?}", names(&effects)) };
    let key = key.clone();
    assert!(names(&update(&mut state, Action::Resize(120, 36), now())).is_empty(), "fetched once");
    let image = Arc::new(image::DynamicImage::new_rgb8(8, 8));
    let effects = update(&mut state, Action::ImageLoaded { key: key.clone(), result: Ok(image) }, now());
    let [Effect::EncodeImage { key: encoding, size, .. }] = effects.as_slice() else {
        panic!("{:?}", names(&effects))
    };
    assert_eq!(encoding, &key);
    assert!(size.0 > 20 && size.1 > 5, "{size:?}");
    assert!(state.animating(), "the spinner runs while encoding");
}

/// A resize storm: one encode runs, only the newest size waits, the superseded result is
/// dropped and the newest is encoded next.
#[test]
fn a_resize_storm_encodes_the_first_and_the_newest_size_only() {
    use ratatui_image::picker::Picker;
    let mut state = sample_state((100, 36), UiOptions::default());
    let effects = update(&mut state, Action::Resize(100, 36), now());
    let [Effect::FetchImage { key }] = effects.as_slice() else { panic!("{:?}", names(&effects)) };
    let key = key.clone();
    let image = Arc::new(image::DynamicImage::new_rgb8(8, 8));
    let effects =
        update(&mut state, Action::ImageLoaded { key: key.clone(), result: Ok(image.clone()) }, now());
    let [Effect::EncodeImage { size: first, .. }] = effects.as_slice() else {
        panic!("{:?}", names(&effects))
    };
    let first = *first;
    let storm: Vec<Effect> =
        (101..=140).flat_map(|width| update(&mut state, Action::Resize(width, 36), now())).collect();
    assert!(names(&storm).is_empty(), "no encode starts while one runs: {:?}", names(&storm));
    let (_, newest) = super::wanted_picture(&state).expect("a picture");
    assert_ne!(first, newest);
    let encode = |size| {
        Picker::halfblocks()
            .new_protocol(
                (*image).clone(),
                ratatui::layout::Size::new(8, 4),
                ratatui_image::Resize::Scale(None),
            )
            .map(|protocol| Action::ImageEncoded { key: key.clone(), size, result: Ok(protocol) })
            .expect("encode")
    };
    let effects = update(&mut state, encode(first), now());
    let [Effect::EncodeImage { size, .. }] = effects.as_slice() else { panic!("{:?}", names(&effects)) };
    assert_eq!(*size, newest, "the newest size is encoded next");
    assert!(state.images.encoded(&key, first).is_none(), "the superseded result is dropped");
    assert!(names(&update(&mut state, encode(newest), now())).is_empty());
    assert!(state.images.encoded(&key, newest).is_some());
    assert_eq!(state.images.encodes_started(), 2);
    assert!(!state.animating(), "nothing left to encode");
}

#[test]
fn a_wrong_code_keeps_the_code_step() {
    let mut state = loaded();
    state.screen = Screen::Login(crate::app::login::LoginState::new(Some("me@example.com".into()), None));
    chars(&mut state, "pw");
    assert_eq!(names(&key(&mut state, KeyCode::Enter)), ["SignIn"]);
    update(&mut state, Action::CodeRequested(Default::default()), now());
    chars(&mut state, "123");
    assert_eq!(names(&key(&mut state, KeyCode::Enter)), ["VerifyCode"]);
    update(&mut state, Action::SignedIn(Err(LoginFailure::InvalidCode.into())), now());
    let Screen::Login(login) = &state.screen else { panic!("still logging in") };
    assert_eq!(login.field, crate::app::login::LoginField::Code);
    assert!(login.error.as_deref().is_some_and(|e| e.contains("verification code")));
    assert!(!format!("{login:?}").contains("pw"), "Debug hides what was typed");
}

#[test]
fn a_failed_first_load_is_retried_by_the_timer() {
    let mut state = AppState::new(UiOptions::default(), Default::default(), Screen::Main, (120, 36));
    start(&mut state, now());
    let offline = || ApiError::Network { host: "rest".into(), detail: "connection refused".into() };
    update(&mut state, Action::HomeLoaded(Err(offline())), now());
    update(&mut state, Action::EventsLoaded { initial: true, result: Err(offline()) }, now());
    assert!(state.remote.connection_problem.is_some());
    assert!(!state.animating(), "nothing spins while waiting to retry");
    let effects = update(&mut state, Action::Wake, now() + SignedDuration::from_secs(61));
    assert_eq!(names(&effects), ["LoadHome", "LoadEvents(initial)"]);
}

mod playing {
    use super::*;
    use crate::app::Details;
    use crate::app::player::{PlayPhase, PlayerUpdate};
    use crate::media::ClipInfo;
    use crate::media::playback::{Control, PlaybackEvent};

    fn with_pictures() -> AppState {
        sample_state((120, 36), UiOptions::default())
    }

    pub(super) fn report(
        state: &mut AppState,
        player: u64,
        event: PlaybackEvent<Box<ratatui_image::protocol::Protocol>>,
    ) -> Vec<Effect> {
        update(state, Action::Playback { player, update: PlayerUpdate::Playback(event) }, now())
    }

    pub(super) fn opened(state: &mut AppState) -> u64 {
        let id = state.player.as_ref().expect("player").id;
        update(state, Action::Playback { player: id, update: PlayerUpdate::Fetched }, now());
        let info = ClipInfo {
            duration: Duration::from_secs(8),
            frame_rate: 15.0,
            width: 384,
            height: 216,
            decoder: "OpenH264",
            cut_short: false,
        };
        report(state, id, PlaybackEvent::Opened(info));
        id
    }

    pub(super) fn controls(effects: &[Effect]) -> Vec<Control> {
        effects
            .iter()
            .filter_map(
                |e| if let Effect::ControlPlayback { control, .. } = e { Some(*control) } else { None },
            )
            .collect()
    }

    #[test]
    fn o_opens_the_event_and_plays_its_clip_in_the_picture_area() {
        let mut state = with_pictures();
        chars(&mut state, "4");
        let event = state.selected_event().expect("an event").id;
        let effects = chars(&mut state, "o");
        assert!(names(&effects).contains(&"StartPlayback"), "{:?}", names(&effects));
        assert!(matches!(state.view.details, Some(Details::Event { id }) if id == event));
        let player = state.player.as_ref().expect("player");
        assert_eq!((player.phase.clone(), player.event()), (PlayPhase::Fetching, Some(event)));
        let area = super::super::player_area(&state).expect("an area");
        assert_eq!(player.area, area);
        let Some(Effect::StartPlayback { area: asked, .. }) =
            effects.iter().find(|e| matches!(e, Effect::StartPlayback { .. }))
        else {
            unreachable!()
        };
        assert_eq!(*asked, area, "frames are made for the area they are drawn in");
    }

    #[test]
    fn the_player_keys_control_it_and_esc_stops_it_but_keeps_the_details() {
        let mut state = with_pictures();
        chars(&mut state, "4o");
        assert!(controls(&chars(&mut state, " ")).is_empty(), "nothing to pause before the clip is open");
        let id = opened(&mut state);
        assert_eq!(controls(&chars(&mut state, " ")), [Control::TogglePause]);
        assert_eq!(controls(&key(&mut state, KeyCode::Right)), [Control::SeekBy(5_000)]);
        assert_eq!(controls(&key(&mut state, KeyCode::Left)), [Control::SeekBy(-5_000)]);
        assert_eq!(controls(&chars(&mut state, ",.")), [Control::Step(-1), Control::Step(1)]);
        report(&mut state, id, PlaybackEvent::Paused { position: Duration::from_secs(2) });
        assert_eq!(state.player.as_ref().map(|p| p.progress()).as_deref(), Some("‖ 00:02 / 00:08"));
        let effects = key(&mut state, KeyCode::Esc);
        assert_eq!(
            names(&effects),
            ["StopPlayback", "FetchAhead(none)"],
            "the next one is not fetched ahead"
        );
        assert!(state.player.is_none() && state.view.details.is_some(), "back to the event's picture");
        assert_eq!(names(&chars(&mut state, " ")), Vec::<&str>::new(), "space is no longer the player's");
        key(&mut state, KeyCode::Esc);
        assert!(state.view.details.is_none());
    }

    #[test]
    fn leaving_the_view_stops_the_clip_and_stale_reports_are_ignored() {
        let mut state = with_pictures();
        chars(&mut state, "4o");
        let first = opened(&mut state);
        let effects = chars(&mut state, "2");
        assert!(names(&effects).contains(&"StopPlayback"), "another pane: the clip stops");
        assert!(state.player.is_none());
        report(&mut state, first, PlaybackEvent::Ended { position: Duration::from_secs(8) });
        assert!(state.player.is_none(), "a report of the stopped playback changes nothing");
        chars(&mut state, "4o");
        let second = state.player.as_ref().expect("player").id;
        assert_ne!(first, second);
        let effects = update(&mut state, Action::Resize(140, 40), now());
        assert!(names(&effects).contains(&"ResizePlayback"), "frames follow the picture area");
        assert_eq!(state.player.as_ref().map(|p| p.area), super::super::player_area(&state));
    }

    #[test]
    fn a_clip_that_cannot_play_says_why() {
        let mut state = with_pictures();
        chars(&mut state, "4o");
        let id = state.player.as_ref().expect("player").id;
        let reason = "this is not an MP4 video: it is an HTML page".to_owned();
        update(&mut state, Action::Playback { player: id, update: PlayerUpdate::FetchFailed(reason) }, now());
        assert!(matches!(state.player.as_ref().map(|p| &p.phase), Some(PlayPhase::Failed(_))));
        assert!(has_toast(
            &state,
            Level::Error,
            "Cannot play the clip: could not download the clip: this is not"
        ));
    }

    #[test]
    fn without_pictures_o_explains_and_o_upper_case_says_how_to_set_a_player() {
        let mut state = loaded();
        chars(&mut state, "4o");
        assert!(state.player.is_none());
        assert!(has_toast(&state, Level::Warning, "Pictures are off"));
        assert!(chars(&mut state, "O").is_empty());
        assert!(has_toast(&state, Level::Info, "No external player is set: add player = \"mpv {file}\""));
        state.options.player = Some("mpv".into());
        assert!(names(&chars(&mut state, "O")).contains(&"FetchClip"));
    }

    #[test]
    fn blinktui_play_ends_with_the_clip_or_its_failure() {
        for ending in [
            PlaybackEvent::Ended { position: Duration::from_secs(8) },
            PlaybackEvent::Failed(crate::media::MediaError::Decode("broken".into())),
        ] {
            let mut state = AppState::new(UiOptions::default(), Default::default(), Screen::Play, (80, 24));
            let source = crate::app::player::PlaySource::File("clip.mp4".into());
            let request = crate::app::effect::PlayRequest::File("clip.mp4".into());
            let effects = super::super::start_playback(&mut state, source, "clip.mp4".into(), request, now());
            assert_eq!(names(&effects), ["StartPlayback"]);
            let id = opened(&mut state);
            assert!(!state.quit);
            report(&mut state, id, ending);
            assert!(state.quit);
        }
        let mut state = AppState::new(UiOptions::default(), Default::default(), Screen::Play, (80, 24));
        let request = crate::app::effect::PlayRequest::File("clip.mp4".into());
        super::super::start_playback(
            &mut state,
            crate::app::player::PlaySource::File("c".into()),
            "c".into(),
            request,
            now(),
        );
        opened(&mut state);
        assert_eq!(names(&chars(&mut state, "q")), ["StopPlayback"]);
        assert!(state.quit, "q ends `blinktui play`");
    }
}

mod continuous {
    //! Continuous review: the next event plays at a clip's end, `j`/`k` while playing, speed,
    //! full screen.
    use super::playing::{controls, opened, report};
    use super::*;
    use crate::app::Details;
    use crate::app::player::{PlayPhase, PlayerUpdate, Speed};
    use crate::media::playback::{Control, PlaybackEvent};

    fn with_pictures(options: UiOptions) -> AppState {
        sample_state((120, 36), options)
    }

    fn ended(state: &mut AppState, id: u64) -> Vec<Effect> {
        report(state, id, PlaybackEvent::Ended { position: Duration::from_secs(8) })
    }

    fn shown(state: &AppState) -> Vec<u64> {
        state.list(Pane::Events).visible.iter().map(|i| state.data.events[*i].id).collect()
    }

    fn playing(state: &AppState) -> Option<u64> {
        state.player.as_ref().and_then(|p| p.event())
    }

    #[test]
    fn at_a_clips_end_the_next_event_of_the_filtered_list_plays_and_is_marked_watched() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4");
        let camera = state.data.events[0].device_name.clone();
        chars(&mut state, &format!("/cam:{}", camera.to_lowercase().replace(' ', "")));
        key(&mut state, KeyCode::Enter);
        let list = shown(&state);
        assert!(list.len() >= 3, "{list:?}");
        assert!(state.data.events.len() > list.len(), "the filter hides some");
        chars(&mut state, "o");
        let first = opened(&mut state);
        assert_eq!(playing(&state), Some(list[0]));
        let effects = ended(&mut state, first);
        assert!(names(&effects).contains(&"StartPlayback"), "{:?}", names(&effects));
        assert_eq!(playing(&state), Some(list[1]), "the next of the list as shown");
        assert_eq!(state.selected_event().map(|e| e.id), Some(list[1]), "the selection follows");
        assert!(
            matches!(state.view.details, Some(Details::Event { id }) if id == list[1]),
            "the details follow"
        );
        let next = state.data.events.iter().find(|e| e.id == list[1]).expect("event");
        let marks = effects.iter().any(|e| matches!(e, Effect::MarkWatched { ids } if ids == &vec![list[1]]));
        assert_eq!(marks, !next.watched, "marked watched as it plays (when it was not)");
    }

    #[test]
    fn the_last_event_ends_the_review_and_says_so_and_autoplay_off_stops_at_each_end() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4G");
        chars(&mut state, "o");
        let id = opened(&mut state);
        let effects = ended(&mut state, id);
        assert!(!names(&effects).contains(&"StartPlayback"));
        let player = state.player.as_ref().expect("the last frame stays");
        assert_eq!(
            (player.phase.clone(), player.progress()),
            (PlayPhase::Ended, "■ last event 00:08 / 00:08".into())
        );

        let mut state = with_pictures(UiOptions { autoplay: false, ..UiOptions::default() });
        chars(&mut state, "4o");
        let id = opened(&mut state);
        let effects = ended(&mut state, id);
        assert!(!names(&effects).contains(&"StartPlayback"), "autoplay = false");
        assert_eq!(state.player.as_ref().map(|p| p.progress()).as_deref(), Some("■ ended 00:08 / 00:08"));
    }

    #[test]
    fn j_and_k_while_a_clip_plays_play_the_next_and_previous_event() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        let list = shown(&state);
        opened(&mut state);
        let effects = chars(&mut state, "j");
        assert_eq!(names(&effects).iter().filter(|n| **n == "StartPlayback").count(), 1);
        assert!(names(&effects).contains(&"StopPlayback"), "the clip before stops");
        assert_eq!((playing(&state), state.selected_event().map(|e| e.id)), (Some(list[1]), Some(list[1])));
        chars(&mut state, "n");
        assert_eq!(playing(&state), Some(list[2]), "n is next too");
        key(&mut state, KeyCode::Up);
        chars(&mut state, "k");
        assert_eq!(playing(&state), Some(list[0]));
        let effects = chars(&mut state, "k");
        assert!(!names(&effects).contains(&"StartPlayback"));
        assert_eq!(playing(&state), Some(list[0]), "the first keeps playing");
        assert!(has_toast(&state, Level::Info, "First event"));
    }

    /// Pictures on, the events pane focused, and a USB stick's clip (id 11) listed beside the
    /// second cloud event.
    fn with_a_stick_clip_second() -> AppState {
        let mut state = with_pictures(UiOptions::default());
        let storage = state.data.usb.storages[0];
        state.data.older_exhausted = true;
        let clip = crate::api::LocalClip {
            id: 11,
            camera: "Driveway".into(),
            camera_id: Some(400102),
            created_at: state.data.events[1].created_at.at.to_string(),
            size: 10,
        };
        let list = crate::api::LocalClips { storage, manifest_id: "77".into(), clips: vec![clip] };
        state.data.apply_usb(vec![list]);
        crate::app::update::rebuild_list(&mut state, Pane::Events);
        chars(&mut state, "4");
        state
    }

    #[test]
    fn a_stick_clip_next_in_the_list_is_fetched_when_its_turn_comes() {
        let mut state = with_a_stick_clip_second();
        let position = shown(&state).iter().position(|id| *id == 11).expect("the stick clip is listed");
        state.list_mut(Pane::Events).selected = position - 1;
        chars(&mut state, "o");
        let id = opened(&mut state);
        let effects = ended(&mut state, id);
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Run { op: Operation::FetchUsbClip { event: 11, .. }, .. })),
            "{:?}",
            names(&effects)
        );
        assert!(
            matches!(state.view.details, Some(Details::Event { id: 11 })),
            "its details, with the run's spinner"
        );
    }

    /// The clip of the event playing could not be downloaded.
    fn unfetched(state: &mut AppState) -> Vec<Effect> {
        let player = state.player.as_ref().expect("player").id;
        let update = PlayerUpdate::FetchFailed("HTTP 404".into());
        super::update(state, Action::Playback { player, update }, now())
    }

    fn label(state: &AppState, id: u64) -> String {
        let event = state.data.events.iter().find(|e| e.id == id).expect("event");
        format!("{} {}", event.device_name, super::super::input::short_time(state, event))
    }

    fn failed(state: &AppState) -> bool {
        matches!(state.player.as_ref().map(|p| &p.phase), Some(PlayPhase::Failed(_)))
    }

    #[test]
    fn the_review_skips_a_clip_it_cannot_fetch_and_stops_at_three_in_a_row() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        let list = shown(&state);
        assert!(list.len() >= 6, "{list:?}");
        let id = opened(&mut state);
        ended(&mut state, id);
        assert_eq!(playing(&state), Some(list[1]));
        let effects = unfetched(&mut state);
        assert!(names(&effects).contains(&"StartPlayback"), "{:?}", names(&effects));
        assert_eq!(playing(&state), Some(list[2]), "the next event plays");
        let skipped =
            format!("{}: clip could not be fetched (HTTP 404); playing the next", label(&state, list[1]));
        assert!(has_toast(&state, Level::Warning, &skipped), "{skipped}");
        assert!(!has_toast(&state, Level::Error, "Cannot play the clip"), "a warning, not a stop");
        unfetched(&mut state);
        assert_eq!(playing(&state), Some(list[3]), "a second in a row is skipped too");
        let effects = unfetched(&mut state);
        assert!(!names(&effects).contains(&"StartPlayback"), "{:?}", names(&effects));
        assert_eq!(playing(&state), Some(list[3]), "the third in a row stops the review");
        assert!(failed(&state));
        assert!(has_toast(&state, Level::Warning, "3 clips in a row could not be fetched: the review stops"));
        assert!(has_toast(
            &state,
            Level::Error,
            "Cannot play the clip: could not download the clip: HTTP 404"
        ));
    }

    #[test]
    fn a_clip_that_plays_starts_the_count_of_failures_again() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        let list = shown(&state);
        let id = opened(&mut state);
        ended(&mut state, id);
        unfetched(&mut state);
        let id = opened(&mut state);
        assert_eq!(playing(&state), Some(list[2]));
        ended(&mut state, id);
        unfetched(&mut state);
        unfetched(&mut state);
        assert_eq!(playing(&state), Some(list[5]), "two in a row since the last clip that played");
        assert!(!failed(&state));
    }

    #[test]
    fn a_clip_the_user_asked_for_that_cannot_be_fetched_stops_as_before() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        let list = shown(&state);
        let effects = unfetched(&mut state);
        assert!(!names(&effects).contains(&"StartPlayback"), "o: {:?}", names(&effects));
        assert_eq!((playing(&state), failed(&state)), (Some(list[0]), true));
        chars(&mut state, "j");
        let effects = unfetched(&mut state);
        assert!(!names(&effects).contains(&"StartPlayback"), "j: {:?}", names(&effects));
        assert_eq!((playing(&state), failed(&state)), (Some(list[1]), true));
        assert!(!has_toast(&state, Level::Warning, "playing the next"));
    }

    #[test]
    fn a_stick_clip_the_review_cannot_get_is_skipped_too() {
        let mut state = with_a_stick_clip_second();
        let list = shown(&state);
        let position = list.iter().position(|id| *id == 11).expect("the stick clip is listed");
        state.list_mut(Pane::Events).selected = position - 1;
        chars(&mut state, "o");
        let id = opened(&mut state);
        ended(&mut state, id);
        let run = state.runs.iter().find(|r| matches!(r.op, Operation::FetchUsbClip { event: 11, .. }));
        let run = run.expect("the stick clip's run").id;
        let failure = Err(ApiError::CommandFailed { message: "no clip".into(), code: 1 });
        let effects = update(&mut state, Action::RunFinished { id: run, result: failure }, now());
        assert!(names(&effects).contains(&"StartPlayback"), "{:?}", names(&effects));
        assert_eq!(playing(&state), Some(list[position + 1]));
        assert!(has_toast(&state, Level::Warning, "clip could not be fetched"));
    }

    fn ahead_of(effects: &[Effect]) -> Vec<Option<u64>> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::FetchAhead { event } => Some(event.as_ref().map(|e| e.id)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_next_clip_downloads_ahead_one_at_a_time_and_is_let_go_when_the_player_stops() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4");
        let list = shown(&state);
        assert_eq!(ahead_of(&chars(&mut state, "o")), [Some(list[1])], "the next, while this one plays");
        opened(&mut state);
        assert!(ahead_of(&chars(&mut state, " ")).is_empty(), "asked once");
        assert_eq!(ahead_of(&chars(&mut state, "j")), [Some(list[2])], "one ahead, the one before let go");
        assert_eq!(ahead_of(&key(&mut state, KeyCode::Esc)), [None], "the player stopped: abandoned");
        assert!(ahead_of(&key(&mut state, KeyCode::Esc)).is_empty());
    }

    #[test]
    fn speed_steps_between_half_and_four_times_and_holds_for_the_next_clip() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        let id = opened(&mut state);
        assert_eq!(controls(&chars(&mut state, "]")), [Control::Speed(2.0)]);
        assert_eq!(state.player.as_ref().map(|p| p.progress()).as_deref(), Some("▶ 2x 00:00 / 00:08"));
        assert_eq!(controls(&chars(&mut state, "]]")), [Control::Speed(4.0), Control::Speed(4.0)]);
        assert_eq!(controls(&chars(&mut state, "[[[[")), [2.0, 1.0, 0.5, 0.5].map(Control::Speed));
        chars(&mut state, "]]");
        assert_eq!(state.viewing.speed, Speed::Double);
        let effects = ended(&mut state, id);
        assert_eq!(controls(&effects), [Control::Speed(2.0)], "the next clip starts at the same speed");
        assert_eq!(state.player.as_ref().map(|p| p.speed), Some(Speed::Double));
    }

    #[test]
    fn f_gives_the_picture_the_whole_terminal_and_f_or_esc_gives_it_back() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "4o");
        opened(&mut state);
        let boxed = state.player.as_ref().map(|p| p.area).expect("player");
        let effects = chars(&mut state, "f");
        assert!(names(&effects).contains(&"ResizePlayback"), "{:?}", names(&effects));
        assert_eq!(state.player.as_ref().map(|p| p.area), Some((120, 35)), "all but the progress line");
        chars(&mut state, "f");
        assert_eq!(state.player.as_ref().map(|p| p.area), Some(boxed));
        chars(&mut state, "fj");
        assert_eq!(state.player.as_ref().map(|p| p.area), Some((120, 35)), "the next clip stays full screen");
        let effects = key(&mut state, KeyCode::Esc);
        assert!(!names(&effects).contains(&"StopPlayback"), "Esc leaves full screen first");
        assert_eq!(state.player.as_ref().map(|p| p.area), Some(boxed));
        assert_eq!(names(&key(&mut state, KeyCode::Esc)), ["StopPlayback", "FetchAhead(none)"]);
        assert!(!state.viewing.full_screen);
    }

    #[test]
    fn live_view_goes_full_screen_too_and_its_j_still_moves_among_cameras() {
        let mut state = with_pictures(UiOptions::default());
        chars(&mut state, "2");
        let online = state.data.cameras.iter().position(|c| c.online).expect("an online camera");
        state.list_mut(Pane::Cameras).selected = online;
        chars(&mut state, "v");
        assert!(state.player.as_ref().is_some_and(|p| p.live_camera().is_some()));
        let boxed = state.player.as_ref().map(|p| p.area).expect("player");
        assert!(controls(&chars(&mut state, "]")).is_empty(), "live view has no speed");
        chars(&mut state, "f");
        assert_eq!(state.player.as_ref().map(|p| p.area), Some((120, 35)));
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.player.as_ref().map(|p| p.area), Some(boxed), "Esc: back to the details");
        chars(&mut state, "j");
        assert!(state.player.is_none(), "j moves to the next camera, as without a player");
    }

    #[test]
    fn at_80x24_full_screen_gives_the_clip_the_whole_terminal() {
        let mut state = sample_state((80, 24), UiOptions::default());
        chars(&mut state, "4o");
        let boxed = state.player.as_ref().map(|p| p.area).expect("player");
        chars(&mut state, "f");
        let full = state.player.as_ref().map(|p| p.area).expect("player");
        assert_eq!((boxed, full), ((78, 9), (80, 23)), "the facts no longer take the rows above it");
        // A 16:9 clip in cells of 8x16 pixels: its height is the limit in both.
        let fit =
            |(w, h): (u16, u16)| crate::media::scale::fit(1920, 1080, (u32::from(w) * 8, u32::from(h) * 16));
        assert_eq!((fit(boxed), fit(full)), ((256, 144), (640, 360)));
    }
}

mod review {
    use super::*;
    use crate::app::{Confirmed, Details};

    fn events_pane() -> AppState {
        let mut state = loaded();
        chars(&mut state, "4");
        state
    }

    fn confirm_then(state: &AppState) -> Option<Confirmed> {
        match &state.view.overlay {
            Some(Overlay::Confirm(confirm)) => Some(confirm.then.clone()),
            _ => None,
        }
    }

    #[test]
    fn the_details_view_follows_the_selection() {
        let mut state = events_pane();
        key(&mut state, KeyCode::Enter);
        let first = state.selected_event().map(|e| e.id);
        chars(&mut state, "jj");
        let third = state.selected_event().map(|e| e.id);
        assert_ne!(first, third);
        assert!(
            matches!(state.view.details, Some(Details::Event { id }) if Some(id) == third),
            "what is shown is what keys act on"
        );
        let effects = chars(&mut state, "x");
        assert!(effects.is_empty());
        let Some(Confirmed::Run { op: Operation::DeleteEvents { media }, .. }) = confirm_then(&state) else {
            panic!("a question")
        };
        assert_eq!(Some(media[0]), third);

        let mut state = loaded();
        chars(&mut state, "2");
        key(&mut state, KeyCode::Enter);
        let effects = chars(&mut state, "j");
        assert_eq!(names(&effects), ["LoadDetails"], "the next camera's settings are read");
        assert!(
            matches!(state.view.details, Some(Details::Camera { id, read: crate::app::camera_details::CameraDetails::Loading }) if Some(id) == state.selected_camera().map(|c| c.id))
        );
    }

    #[test]
    fn slash_in_a_details_view_filters_the_list_on_screen() {
        let mut state = events_pane();
        key(&mut state, KeyCode::Enter);
        chars(&mut state, "/");
        assert!(state.view.details.is_none() && state.view.filter_editing);
    }

    #[test]
    fn a_second_command_on_a_network_waits_for_the_first() {
        let mut state = loaded();
        chars(&mut state, "2");
        let first = chars(&mut state, "m");
        assert_eq!(names(&first), ["Run"]);
        let Some(Effect::Run { id: first_id, .. }) = first.first() else { unreachable!() };
        let second = chars(&mut state, "jm");
        assert!(names(&second).is_empty(), "Blink would answer busy: it waits");
        let waiting = state.runs.iter().find(|r| r.phase == RunPhase::Waiting).expect("a waiting run");
        assert_eq!(state.run_status(waiting), "waiting for Home");
        let done =
            update(&mut state, Action::RunFinished { id: *first_id, result: Ok(RunOutcome::Done) }, now());
        assert!(names(&done).contains(&"Run"), "the next one goes once the first is done");
        assert!(state.runs.iter().all(|r| r.phase != RunPhase::Waiting));
    }

    #[test]
    fn space_marks_and_bulk_actions_ask_once_with_the_count() {
        let mut state = events_pane();
        chars(&mut state, "   ");
        assert_eq!(state.view.marked.len(), 3);
        assert_eq!(state.list(Pane::Events).selected, 3, "marking moves on");
        chars(&mut state, "k ");
        assert_eq!(state.view.marked.len(), 2, "space again unmarks");
        assert!(chars(&mut state, "x").is_empty());
        let Some(Overlay::Confirm(confirm)) = &state.view.overlay else { panic!("asks") };
        assert!(confirm.question.contains("the 2 marked clips"), "{}", confirm.question);
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Run { op: Operation::DeleteEvents { media }, .. }) = effects.first() else {
            panic!("{:?}", names(&effects))
        };
        assert_eq!(media.len(), 2);
        let id = state.runs[0].id;
        update(&mut state, Action::RunFinished { id, result: Ok(RunOutcome::Done) }, now());
        assert!(state.view.marked.is_empty() && has_toast(&state, Level::Success, "2 events deleted"));

        chars(&mut state, "  S");
        assert!(matches!(confirm_then(&state), Some(Confirmed::SaveClips(events)) if events.len() == 2));
        assert_eq!(names(&key(&mut state, KeyCode::Enter)), ["SaveClips"]);
    }

    #[test]
    fn marks_the_filter_hides_are_never_acted_on_and_esc_clears_them() {
        let mut state = events_pane();
        chars(&mut state, "   ");
        let marked = state.view.marked.clone();
        // A camera some marked events are not of: filtered to it, those are hidden.
        let first = state.data.events[0].device_name.clone();
        chars(&mut state, &format!("/cam:{first}"));
        key(&mut state, KeyCode::Enter);
        let shown: Vec<u64> =
            state.list(Pane::Events).visible.iter().map(|i| state.data.events[*i].id).collect();
        let visible_marked: Vec<u64> = shown.iter().copied().filter(|id| marked.contains(id)).collect();
        let hidden = marked.len() - visible_marked.len();
        assert!(hidden > 0 && !visible_marked.is_empty(), "the sample has marks on both sides");
        chars(&mut state, "x");
        let Some(Overlay::Confirm(confirm)) = &state.view.overlay else { panic!("asks") };
        let note = format!("3 marked, {hidden} hidden by the filter and left alone");
        assert!(confirm.question.contains(&note), "{}", confirm.question);
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Run { op: Operation::DeleteEvents { media }, .. }) = effects.first() else {
            panic!("{:?}", names(&effects))
        };
        assert_eq!(media, &visible_marked, "only the marks on screen");

        // Esc clears the marks first, then the filter; `*` marks every event shown.
        chars(&mut state, " ");
        assert!(!state.view.marked.is_empty());
        key(&mut state, KeyCode::Esc);
        assert!(state.view.marked.is_empty(), "Esc clears the marks");
        assert!(!state.list(Pane::Events).filter.is_empty(), "and keeps the filter");
        chars(&mut state, "*");
        assert_eq!(state.view.marked.len(), state.list(Pane::Events).visible.len(), "every event shown");
        chars(&mut state, "*");
        assert!(state.view.marked.is_empty(), "again: none");
        key(&mut state, KeyCode::Esc);
        assert!(state.list(Pane::Events).filter.is_empty(), "a second Esc clears the filter");
    }

    #[test]
    fn w_marks_watched_and_w_upper_case_marks_everything_shown() {
        let mut state = events_pane();
        let unwatched = state.data.events.iter().position(|e| !e.watched).expect("an unwatched event");
        state.list_mut(Pane::Events).selected = unwatched;
        let effects = chars(&mut state, "w");
        let Some(Effect::MarkWatched { ids }) = effects.first() else { panic!("{:?}", names(&effects)) };
        update(&mut state, Action::WatchedMarked { ids: Some(ids.clone()), result: Ok(()) }, now());
        assert!(state.data.events[unwatched].watched);
        assert!(chars(&mut state, "w").is_empty());
        assert!(has_toast(&state, Level::Info, "Already watched"));

        chars(&mut state, "W");
        assert_eq!(confirm_then(&state), Some(Confirmed::MarkAllWatched), "no filter: the whole account");
        key(&mut state, KeyCode::Esc);
        chars(&mut state, "/net:cabin");
        key(&mut state, KeyCode::Enter);
        chars(&mut state, "W");
        let Some(Confirmed::MarkWatched(ids)) = confirm_then(&state) else { panic!("the events shown") };
        assert!(ids.iter().all(|id| {
            state.data.events.iter().any(|e| e.id == *id && e.network_name.as_deref() == Some("Cabin"))
        }));
    }

    #[test]
    fn opening_an_event_marks_it_watched_except_in_read_only_mode() {
        let mut state = events_pane();
        let unwatched = state.data.events.iter().position(|e| !e.watched).expect("an unwatched event");
        state.list_mut(Pane::Events).selected = unwatched;
        assert_eq!(names(&key(&mut state, KeyCode::Enter)), ["MarkWatched"]);

        let mut state =
            sample_state((120, 36), UiOptions { read_only: true, pictures: false, ..UiOptions::default() });
        chars(&mut state, "4");
        state.list_mut(Pane::Events).selected = unwatched;
        assert!(key(&mut state, KeyCode::Enter).is_empty());
    }

    #[test]
    fn filters_understand_event_terms_and_u_toggles_unwatched_only() {
        let mut state = events_pane();
        let total = state.list(Pane::Events).len();
        chars(&mut state, "/cam:porch");
        key(&mut state, KeyCode::Enter);
        let porch = state.list(Pane::Events).len();
        assert!(porch > 0 && porch < total);
        assert!(
            state.list(Pane::Events).visible.iter().all(|i| state.data.events[*i].device_name == "Porch")
        );
        chars(&mut state, "u");
        assert_eq!(state.list(Pane::Events).filter, "cam:porch unwatched");
        assert!(state.list(Pane::Events).visible.iter().all(|i| !state.data.events[*i].watched));
        chars(&mut state, "u");
        assert_eq!(state.list(Pane::Events).len(), porch);
    }

    #[test]
    fn the_end_of_the_list_loads_the_next_older_page_once() {
        let mut state = events_pane();
        state.data.events_since = Some(now() - SignedDuration::from_hours(24 * 60));
        state.data.event_pages = 1;
        let effects = chars(&mut state, "G");
        assert_eq!(names(&effects), ["LoadOlderEvents"]);
        assert!(names(&chars(&mut state, "kj")).is_empty(), "one page at a time");
        let older = MediaItem {
            id: 1,
            created_at: "2026-10-01T10:00:00+00:00".parse().expect("time"),
            device_name: "Dock".into(),
            ..MediaItem::default()
        };
        let before = state.data.events.len();
        update(&mut state, Action::OlderEventsLoaded { page: 2, result: Ok(vec![older]) }, now());
        assert_eq!(state.data.events.len(), before + 1);
        assert!(state.data.new_events.is_empty(), "older events are not new");
        update(&mut state, Action::OlderEventsLoaded { page: 3, result: Ok(Vec::new()) }, now());
        assert!(state.data.older_exhausted);
        assert!(names(&chars(&mut state, "G")).is_empty(), "nothing older");
    }

    #[test]
    fn times_are_in_each_networks_zone_labelled_when_different() {
        let state = loaded();
        let home = state.data.networks.iter().find(|n| n.name == "Home").expect("home").id;
        let at: Timestamp = "2026-11-26T19:00:00Z".parse().expect("ts");
        assert_eq!(
            state.network_time(home, at, "%H:%M"),
            "14:00 EST",
            "New York, labelled (this machine is on UTC)"
        );
        let mut local = loaded();
        local.session.zone = jiff::tz::TimeZone::get("America/New_York").expect("zone");
        assert_eq!(local.network_time(home, at, "%H:%M"), "14:00", "no label in the same zone");
        // The player's title and the delete question say the time as the events pane does.
        let event = MediaItem {
            network_id: home,
            created_at: "2026-11-26T19:00:00+00:00".parse().expect("time"),
            ..MediaItem::default()
        };
        assert_eq!(crate::app::update::input::short_time(&state, &event), "Thu 14:00 EST");
    }

    #[test]
    fn a_double_click_opens_a_row_and_a_click_never_moves_the_panes() {
        use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        let mut state =
            sample_state((120, 36), UiOptions { mouse: true, pictures: false, ..UiOptions::default() });
        let before = state.layout().expect("fits");
        let events = before.panes[Pane::Events as usize];
        let click = |row: u16| MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: events.x + 5,
            row,
            modifiers: KeyModifiers::NONE,
        };
        // Under the border, the column headers and the day line: the third event.
        update(&mut state, Action::Mouse(click(events.y + 5)), now());
        assert_eq!(state.view.focus, Pane::Events);
        assert_eq!(state.layout().expect("fits").panes, before.panes, "focus moved, the panes did not");
        assert_eq!(state.list(Pane::Events).selected, 2);
        assert!(state.view.details.is_none());
        update(&mut state, Action::Mouse(click(events.y + 5)), now() + SignedDuration::from_millis(200));
        assert!(matches!(state.view.details, Some(Details::Event { .. })), "double click opens");
    }
}

#[test]
fn r_during_a_rate_limit_says_when_instead_of_asking() {
    let mut state = loaded();
    chars(&mut state, "r");
    let limited = Err(ApiError::RateLimited { retry_after: Some(Duration::from_secs(30)) });
    update(&mut state, Action::HomeLoaded(limited), now());
    let effects = chars(&mut state, "r");
    assert!(names(&effects).is_empty(), "{:?}", names(&effects));
    assert!(has_toast(
        &state,
        Level::Warning,
        "Blink asked to wait: the next request goes at 14:00:30 (in 30 s)"
    ));
    let later = now() + SignedDuration::from_secs(31);
    let effects =
        update(&mut state, Action::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)), later);
    assert!(names(&effects).contains(&"LoadHome"), "after the wait, r refreshes");
}

mod grid {
    use super::*;
    use crate::app::sample::large_state;

    /// 140x45 with 100 events, the events pane focused and shown as a grid.
    fn grid_state() -> AppState {
        let mut state = large_state((140, 45), 6, 100);
        key(&mut state, KeyCode::Char('4'));
        key(&mut state, KeyCode::Char('t'));
        state
    }

    fn fetched(effects: &[Effect]) -> Vec<String> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::FetchImage { key } => Some(key.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn t_shows_the_events_as_a_grid_and_again_or_esc_goes_back_to_the_list() {
        let mut state = grid_state();
        let layout = state.grid_layout().expect("a grid");
        assert_eq!(layout.capacity(), 20);
        key(&mut state, KeyCode::Char('t'));
        assert!(state.grid_layout().is_none(), "t again: the list");
        key(&mut state, KeyCode::Char('t'));
        key(&mut state, KeyCode::Esc);
        assert!(state.grid_layout().is_none(), "Esc with nothing to clear: the list");
        // In another pane `t` says where it works.
        key(&mut state, KeyCode::Char('2'));
        key(&mut state, KeyCode::Char('t'));
        assert!(state.view.grid.is_none() && has_toast(&state, Level::Info, "events pane"));
        // `h`, `l` and the arrows elsewhere do nothing, quietly.
        let toasts = state.toasts.log().count();
        chars(&mut state, "hl");
        key(&mut state, KeyCode::Left);
        assert_eq!(state.toasts.log().count(), toasts, "no hint for the grid's left and right");
        // From an event's details, `t` shows the grid at once.
        key(&mut state, KeyCode::Char('4'));
        key(&mut state, KeyCode::Enter);
        assert!(state.view.details.is_some());
        key(&mut state, KeyCode::Char('t'));
        assert!(state.view.details.is_none() && state.grid_layout().is_some());
        // Without pictures there is nothing to show as a grid, and it says so.
        let mut state = loaded();
        chars(&mut state, "4t");
        assert!(state.grid_layout().is_none() && has_toast(&state, Level::Warning, "the grid needs them"));
    }

    #[test]
    fn the_grid_keys_move_in_two_dimensions_over_the_lists_selection() {
        let mut state = grid_state();
        let selected = |state: &AppState| state.list(Pane::Events).selected;
        key(&mut state, KeyCode::Char('l'));
        key(&mut state, KeyCode::Char('l'));
        assert_eq!(selected(&state), 2);
        key(&mut state, KeyCode::Char('j'));
        assert_eq!(selected(&state), 7, "down a row of five");
        key(&mut state, KeyCode::Left);
        key(&mut state, KeyCode::Up);
        assert_eq!(selected(&state), 1);
        // Paging a screen down scrolls by rows, keeping the selection on screen.
        key(&mut state, KeyCode::PageDown);
        assert_eq!(selected(&state), 21);
        assert_eq!(state.view.grid.expect("grid").top_row, 1);
        // One list, two views: the list shows the same event selected.
        key(&mut state, KeyCode::Char('t'));
        assert_eq!(state.selected_event().map(|e| e.id), Some(5_000_021));
    }

    #[test]
    fn only_the_thumbnails_on_screen_are_fetched_three_at_a_time_selected_first() {
        let mut state = large_state((140, 45), 6, 100);
        // The list's picture of the selected event, then the grid's next two.
        let mut effects = key(&mut state, KeyCode::Char('4'));
        effects.extend(key(&mut state, KeyCode::Char('t')));
        effects.extend(update(&mut state, Action::Resize(140, 45), now()));
        assert_eq!(fetched(&effects), ["/thumb/0.jpg", "/thumb/1.jpg", "/thumb/2.jpg"]);
        let mut asked = fetched(&effects);
        // Each picture that arrives lets the next one go, until the screen's 20 are asked for.
        let image = Arc::new(image::DynamicImage::new_rgb8(64, 36));
        while let Some(key) = asked
            .iter()
            .find(|k| matches!(state.images.slot(k), Some(crate::app::images::ImageSlot::Loading)))
            .cloned()
        {
            let effects = update(&mut state, Action::ImageLoaded { key, result: Ok(image.clone()) }, now());
            assert!(state.images.loading() <= 3);
            asked.extend(fetched(&effects));
        }
        let expected: Vec<String> = (0..20).map(|i| format!("/thumb/{i}.jpg")).collect();
        assert_eq!(asked, expected, "the screen's thumbnails, once each, in reading order");
        // Scrolling a row down asks for the five new ones only.
        let effects: Vec<Effect> = (0..4).flat_map(|_| key(&mut state, KeyCode::Char('j'))).collect();
        assert_eq!(fetched(&effects), ["/thumb/20.jpg", "/thumb/21.jpg", "/thumb/22.jpg"]);
        // The selected tile goes first.
        assert_eq!(state.list(Pane::Events).selected, 20);
    }

    #[test]
    fn a_click_selects_a_tile_a_double_click_opens_it_and_the_wheel_moves_a_row() {
        use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        let mut state = grid_state();
        state.options.mouse = true;
        let layout = state.grid_layout().expect("a grid");
        let tile = layout.tile(7);
        let mouse = |kind, column, row| {
            Action::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })
        };
        let click = || mouse(MouseEventKind::Down(MouseButton::Left), tile.x + 2, tile.y + 3);
        update(&mut state, click(), now());
        assert_eq!(state.list(Pane::Events).selected, 7);
        assert!(state.view.details.is_none());
        update(&mut state, click(), now() + SignedDuration::from_millis(200));
        assert!(matches!(state.view.details, Some(Details::Event { id: 5_000_007 })), "double click opens");
        key(&mut state, KeyCode::Esc);
        update(&mut state, mouse(MouseEventKind::ScrollDown, tile.x, tile.y), now());
        assert_eq!(state.list(Pane::Events).selected, 12, "a row down");
        // The gap between two tiles selects nothing.
        update(&mut state, mouse(MouseEventKind::Down(MouseButton::Left), tile.right(), tile.y), now());
        assert_eq!(state.list(Pane::Events).selected, 12);
    }

    #[test]
    fn reaching_the_last_row_of_tiles_loads_older_events() {
        let mut state = grid_state();
        state.data.events_since = Some(now());
        state.data.events_loaded = true;
        key(&mut state, KeyCode::Char('G'));
        key(&mut state, KeyCode::Char('k'));
        // Rows of five: the last tile's row starts at a multiple of five.
        let last = state.list(Pane::Events).len() - 1;
        assert_eq!(last % 5, 4, "a full last row, for this test");
        assert_eq!(state.list(Pane::Events).selected, last - 5);
        let older = |effects: &[Effect]| effects.iter().any(|e| matches!(e, Effect::LoadOlderEvents { .. }));
        state.remote.loading.older = Default::default();
        let effects = key(&mut state, KeyCode::Char('h'));
        assert!(!older(&effects), "the row above the last");
        let effects = key(&mut state, KeyCode::Char('j'));
        assert_eq!(state.list(Pane::Events).selected, last - 1);
        assert!(older(&effects), "the last row, not its last tile");
    }

    #[test]
    fn marks_and_filters_act_on_the_grid_as_on_the_list() {
        let mut state = grid_state();
        key(&mut state, KeyCode::Char(' '));
        key(&mut state, KeyCode::Char('l'));
        key(&mut state, KeyCode::Char(' '));
        assert_eq!(state.view.marked.len(), 2);
        chars(&mut state, "/cam:camera 03");
        key(&mut state, KeyCode::Enter);
        assert!(state.grid_layout().is_some(), "the filter keeps the grid");
        let shown: Vec<u64> =
            state.list(Pane::Events).visible.iter().map(|i| state.data.events[*i].id).collect();
        assert!(shown.iter().all(|id| (id - 5_000_000) % 6 == 3), "{shown:?}");
        // Esc: the marks, then the filter, then the list.
        key(&mut state, KeyCode::Esc);
        assert!(state.view.marked.is_empty() && state.grid_layout().is_some());
        key(&mut state, KeyCode::Esc);
        assert!(state.list(Pane::Events).filter.is_empty() && state.grid_layout().is_some());
        key(&mut state, KeyCode::Esc);
        assert!(state.grid_layout().is_none());
    }
}
