//! Runs effects: each network or disk job is a task that reports back with an `Action`, and
//! all of them stop when cancelled. Picture decoding and encoding run on blocking threads.
//! Effects that need the terminal (bell, the player) go back to the loop that owns it.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use image::DynamicImage;
use image::imageops::FilterType;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::playback::{Ahead, ClipFetch, Playback};
use crate::api::change::{Follow, Progress};
use crate::api::models::MediaItem;
use crate::api::{
    ApiError, BatchError, BlinkClient, ClientOptions, LoginFlow, MediaKind, SessionStore, SignInOutcome,
};
use crate::app::account::AccountOverview;
use crate::app::action::{Action, EncodeFailed, PictureFailed, RunOutcome};
use crate::app::command_run::{Operation, RunId, RunPhase};
use crate::app::effect::Effect;
use crate::app::player::{PlayerId, PlayerUpdate};
use crate::app::usb::UsbThen;
use crate::files::{ClipError, already_saved, clip_path, download_clip};
use crate::media::picture::{PictureError, decode_picture};

/// What the terminal owner has to do itself.
#[derive(Debug)]
pub enum Foreground {
    Bell,
    Play(PathBuf),
}

pub struct Executor {
    client: Option<BlinkClient>,
    options: ClientOptions,
    store: SessionStore,
    /// `None` when pictures are off.
    picker: Option<Picker>,
    tx: UnboundedSender<Action>,
    cancel: CancellationToken,
    /// A sign-in waiting for its verification code.
    login: Arc<tokio::sync::Mutex<Option<LoginFlow>>>,
    clips_dir: PathBuf,
    save_dir: PathBuf,
    /// The clip playing inside blinktui.
    playback: Option<Playback>,
    /// The next event's clip, downloading while this one plays (one at most).
    ahead: Option<Ahead>,
    /// The pause between two clip downloads of a batch (politeness).
    download_delay: Duration,
    /// The terminal answered slowly at start: it is across a network.
    remote_terminal: bool,
    /// The app's generation: what jobs report is stamped with the one they started in.
    generation: u64,
}

impl Executor {
    pub fn new(
        client: Option<BlinkClient>,
        options: ClientOptions,
        store: SessionStore,
        picker: Option<Picker>,
        tx: UnboundedSender<Action>,
        clips_dir: PathBuf,
        save_dir: PathBuf,
    ) -> Self {
        if let Some(client) = &client {
            follow_session_saves(client, tx.clone());
        }
        Self {
            client,
            options,
            store,
            picker,
            tx,
            cancel: CancellationToken::new(),
            login: Arc::default(),
            clips_dir,
            save_dir,
            playback: None,
            ahead: None,
            download_delay: Duration::from_secs(1),
            remote_terminal: false,
            generation: 0,
        }
    }

    /// The pause between two downloads when saving several clips.
    pub fn with_download_delay(mut self, delay: Duration) -> Self {
        self.download_delay = delay;
        self
    }

    /// The terminal is across a network: clips start with small frames (see
    /// [`crate::media::playback::Presentation::remote`]).
    pub fn with_remote_terminal(mut self, remote: bool) -> Self {
        self.remote_terminal = remote;
        self
    }

    /// Stops the playback or live view, waiting until its task is gone.
    pub async fn stop_playback(&mut self) {
        if let Some(playback) = self.playback.take() {
            playback.stop().await;
        }
    }

    /// The loop drew frame `seq` of `player`, which took `took` and wrote `bytes`.
    pub fn presented(&mut self, player: PlayerId, seq: u64, took: Duration, bytes: u64) {
        if let Some(playback) = self.playback.as_mut().filter(|p| p.id() == player) {
            playback.presented(seq, took, bytes);
        }
    }

    /// Whether the link to the terminal limits the playing clip's frame rate.
    pub fn link(&mut self, player: PlayerId, limit: Option<crate::media::playback::LinkLimit>) {
        if let Some(playback) = self.playback.as_ref().filter(|p| p.id() == player) {
            playback.link(limit);
        }
    }

    pub fn execute(&mut self, effect: Effect) -> Option<Foreground> {
        match effect {
            Effect::Bell => return Some(Foreground::Bell),
            Effect::Play { path } => return Some(Foreground::Play(path)),
            Effect::CancelAll { generation } => {
                self.generation = generation;
                self.cancel.cancel();
                self.cancel = CancellationToken::new();
                self.playback = None;
                self.ahead = None;
            }
            Effect::UseSession(session) => {
                match BlinkClient::new(self.options.clone(), *session, Some(self.store.clone())) {
                    Ok(client) => {
                        follow_session_saves(&client, self.tx.clone());
                        self.client = Some(client);
                    }
                    Err(err) => tracing::error!("cannot use the new session: {err}"),
                }
            }
            Effect::DropSession => self.client = None,
            Effect::SignIn { email, password } => {
                let (options, store, login) = (self.options.clone(), self.store.clone(), self.login.clone());
                self.spawn(async move {
                    let mut flow = match store.hardware_id().and_then(|id| LoginFlow::new(&options, id)) {
                        Ok(flow) => flow,
                        Err(err) => return Action::SignedIn(Err(err)),
                    };
                    match flow.sign_in(&email, &password).await {
                        Ok(SignInOutcome::LoggedIn(session)) => {
                            Action::SignedIn(store.save(&session).map(|()| session))
                        }
                        Ok(SignInOutcome::NeedsCode(prompt)) => {
                            *login.lock().await = Some(flow);
                            Action::CodeRequested(prompt)
                        }
                        Err(err) => Action::SignedIn(Err(err)),
                    }
                });
            }
            Effect::VerifyCode { code } => {
                let (store, login) = (self.store.clone(), self.login.clone());
                self.spawn(async move {
                    let mut slot = login.lock().await;
                    let Some(mut flow) = slot.take() else {
                        return Action::SignedIn(Err(crate::api::LoginFailure::Protocol(
                            "start the sign-in again".into(),
                        )
                        .into()));
                    };
                    let result = flow.verify_code(&code).await;
                    if matches!(result, Err(ApiError::Login(crate::api::LoginFailure::InvalidCode))) {
                        *slot = Some(flow);
                    }
                    Action::SignedIn(result.and_then(|session| store.save(&session).map(|()| session)))
                });
            }
            Effect::EncodeImage { key, image, size } => self.encode(key, image, size),
            Effect::StartPlayback { player, request, area } => {
                self.playback = None;
                let Some(picker) = self.picker.clone() else {
                    let update = PlayerUpdate::FetchFailed("pictures are off".into());
                    let _ = self.tx.send(Action::Playback { player, update });
                    return None;
                };
                // The clip fetched ahead for this event is handed over, not fetched twice.
                let ahead = self.ahead.take_if(
                    |ahead| matches!(&request, crate::app::effect::PlayRequest::Event(event) if event.id == ahead.event),
                );
                let fetch = ClipFetch { client: self.client.clone(), dir: self.clips_dir.clone(), ahead };
                self.playback = Some(Playback::start(
                    player,
                    request,
                    area,
                    (picker, self.remote_terminal),
                    fetch,
                    self.tx.clone(),
                ));
            }
            Effect::FetchAhead { event } => {
                let keep = |ahead: &Ahead| event.as_ref().is_some_and(|event| event.id == ahead.event);
                if !self.ahead.as_ref().is_some_and(keep) {
                    // Dropping the one before abandons its download: one ahead at most.
                    self.ahead = match (event, self.client.clone()) {
                        (Some(event), Some(client)) => {
                            Some(Ahead::start(client, *event, self.clips_dir.clone()))
                        }
                        _ => None,
                    };
                }
            }
            Effect::ControlPlayback { player, control } => {
                if let Some(playback) = self.playback.as_ref().filter(|p| p.id() == player) {
                    playback.control(control);
                }
            }
            Effect::ResizePlayback { player, area } => {
                if let Some(playback) = self.playback.as_ref().filter(|p| p.id() == player) {
                    playback.resize(area);
                }
            }
            Effect::StopPlayback { player } => {
                if self.playback.as_ref().is_some_and(|p| p.id() == player) {
                    self.playback = None;
                }
            }
            other => self.execute_with_client(other),
        }
        None
    }

    fn execute_with_client(&mut self, effect: Effect) {
        let Some(client) = self.client.clone() else {
            // Every request gets an answer, so nothing waits forever for one.
            tracing::warn!(?effect, "no session for this effect");
            if let Some(action) = without_session(effect) {
                let _ = self.tx.send(action);
            }
            return;
        };
        match effect {
            Effect::LoadHome => self.spawn(async move { Action::HomeLoaded(client.homescreen().await) }),
            Effect::LoadEvents { since, initial } => self.spawn(async move {
                Action::EventsLoaded { initial, result: client.media_since(since, 1).await }
            }),
            Effect::LoadOlderEvents { since, page } => self.spawn(async move {
                let result = client.media_changed(since, page).await.map(|batch| batch.media);
                Action::OlderEventsLoaded { page, result }
            }),
            // Two networks at a time: with homescreen and events, `r` never has more than
            // four requests in flight, whatever the number of networks.
            Effect::LoadPrograms { networks } => self.spawn(async move {
                let reads = futures::stream::iter(networks).map(|network| {
                    let client = client.clone();
                    async move { client.programs(network).await }
                });
                let read: Result<Vec<Vec<_>>, _> = reads.buffered(PROGRAM_READS).try_collect().await;
                Action::ProgramsLoaded(read.map(|all| all.into_iter().flatten().collect()))
            }),
            Effect::Run { id, op } => {
                let tx = self.tx.clone();
                let dirs = ClipDirs { play: self.clips_dir.clone(), save: self.save_dir.clone() };
                self.spawn(async move {
                    Action::RunFinished { id, result: run(&client, id, op, &tx, &dirs).await }
                });
            }
            Effect::FetchImage { key } => self.spawn(async move {
                let result = match client.download(&key, MediaKind::Jpeg).await {
                    Ok(bytes) => decode(bytes).await,
                    Err(err) => Err(err.into()),
                };
                Action::ImageLoaded { key, result }
            }),
            Effect::LoadDetails { device } => self.spawn(async move {
                let result = client.config_and_signals(&device).await;
                Action::DetailsLoaded { camera: device.id, result }
            }),
            Effect::LoadAccount => {
                self.spawn(async move { Action::AccountLoaded(read_account(&client).await) })
            }
            Effect::MarkWatched { ids } => self.spawn(async move {
                let result = client.mark_watched(&ids).await.map_err(batch_error);
                Action::WatchedMarked { ids: Some(ids), result }
            }),
            Effect::MarkAllWatched => self.spawn(async move {
                let result = client.mark_all_watched().await;
                Action::WatchedMarked { ids: None, result }
            }),
            Effect::SaveClips { events } => {
                let (dir, delay) = (self.save_dir.clone(), self.download_delay);
                self.spawn(async move {
                    let mut saved = 0;
                    let mut failed = Vec::new();
                    for (n, event) in events.iter().enumerate() {
                        if n > 0 {
                            tokio::time::sleep(delay).await;
                        }
                        match fetch_clip(&client, event, &dir).await {
                            Ok(_) => saved += 1,
                            Err(err) => failed.push(format!("{}: {err}", event.device_name)),
                        }
                    }
                    Action::ClipsSaved { dir, saved, failed }
                });
            }
            Effect::FetchClip { event, play } => {
                let dir = if play { self.clips_dir.clone() } else { self.save_dir.clone() };
                self.spawn(async move {
                    let result = fetch_clip(&client, &event, &dir).await;
                    Action::ClipReady { event: event.id, play, result }
                });
            }
            Effect::LoadUsbClips { storages, cameras } => self.spawn(async move {
                Action::UsbClipsLoaded(super::usb::load(&client, storages, &cameras).await)
            }),
            other => tracing::error!(?other, "effect reached the wrong executor branch"),
        }
    }

    fn encode(&self, key: String, image: Arc<DynamicImage>, size: (u16, u16)) {
        let Some(picker) = self.picker.clone() else { return };
        self.spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                picker.new_protocol(
                    (*image).clone(),
                    Size::new(size.0, size.1),
                    Resize::Scale(Some(FilterType::Triangle)),
                )
            });
            let result = match job.await {
                Ok(encoded) => encoded.map_err(EncodeFailed::from),
                Err(stopped) => Err(EncodeFailed::from(stopped)),
            };
            Action::ImageEncoded { key, size, result }
        });
    }

    /// Runs `job` as a task that reports its action unless cancelled first. A job that panics
    /// (a bug) is reported too, so nothing on screen waits for it forever.
    fn spawn(&self, job: impl Future<Output = Action> + Send + 'static) {
        let (tx, cancel, generation) = (self.tx.clone(), self.cancel.clone(), self.generation);
        tokio::spawn(async move {
            let task = tokio::spawn(job);
            let abort = task.abort_handle();
            tokio::select! {
                () = cancel.cancelled() => abort.abort(),
                joined = task => {
                    let action = joined.unwrap_or_else(|err| Action::TaskFailed(err.to_string()));
                    let _ = tx.send(Action::FromTask { generation, action: Box::new(action) });
                }
            }
        });
    }
}

/// Tells the app when the session file cannot be written, and when it can again. Ends with the
/// client (its last clone dropped) or the app.
fn follow_session_saves(client: &BlinkClient, tx: UnboundedSender<Action>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    let mut saves = client.watch_session_saves();
    runtime.spawn(async move {
        let mut failing = saves.borrow_and_update().is_some();
        while saves.changed().await.is_ok() {
            let failure = saves
                .borrow_and_update()
                .as_ref()
                .map(|f| format!("{}, since {}", f.reason, crate::api::session::local_time(f.since)));
            // Every request retries a failed save: only the turns are news, not each retry.
            if failure.is_some() != failing {
                failing = failure.is_some();
                if tx.send(Action::SessionSave(failure)).is_err() {
                    break;
                }
            }
        }
    });
}

/// The answer to a request made while there is no session: "log in".
fn without_session(effect: Effect) -> Option<Action> {
    let missing = || ApiError::LoginRequired("no session".into());
    Some(match effect {
        Effect::LoadHome => Action::HomeLoaded(Err(missing())),
        Effect::LoadEvents { initial, .. } => Action::EventsLoaded { initial, result: Err(missing()) },
        Effect::LoadOlderEvents { page, .. } => Action::OlderEventsLoaded { page, result: Err(missing()) },
        Effect::LoadPrograms { .. } => Action::ProgramsLoaded(Err(missing())),
        Effect::Run { id, .. } => Action::RunFinished { id, result: Err(missing()) },
        Effect::FetchImage { key } => Action::ImageLoaded { key, result: Err(no_session().into()) },
        Effect::LoadDetails { device } => Action::DetailsLoaded { camera: device.id, result: Err(missing()) },
        Effect::LoadAccount => Action::AccountLoaded(Err(missing())),
        Effect::FetchClip { event, play } => {
            Action::ClipReady { event: event.id, play, result: Err(no_session().into()) }
        }
        Effect::SaveClips { .. } => {
            Action::ClipsSaved { dir: PathBuf::new(), saved: 0, failed: vec!["not logged in".into()] }
        }
        Effect::MarkWatched { ids } => Action::WatchedMarked { ids: Some(ids), result: Err(no_session()) },
        Effect::MarkAllWatched => Action::WatchedMarked { ids: None, result: Err(no_session()) },
        Effect::LoadUsbClips { .. } => Action::UsbClipsLoaded(Err(missing())),
        _ => return None,
    })
}

/// Program lists read at once.
const PROGRAM_READS: usize = 2;

/// Where clips go: the cache for playing, the save directory for keeping.
struct ClipDirs {
    play: PathBuf,
    save: PathBuf,
}

/// Carries out one operation, reporting its phases.
async fn run(
    client: &BlinkClient,
    id: RunId,
    op: Operation,
    tx: &UnboundedSender<Action>,
    dirs: &ClipDirs,
) -> Result<RunOutcome, ApiError> {
    match op {
        Operation::Change(change) => {
            let report = |progress| {
                let phase = match progress {
                    Progress::Sent => RunPhase::Sent,
                    Progress::Polling { stage } => RunPhase::Polling { stage },
                };
                let _ = tx.send(Action::RunProgress { id, phase });
            };
            client.make_change(&change, Follow::ToTheEnd, report).await.map(|_| RunOutcome::Done)
        }
        Operation::Snapshot { device, before } => {
            let snapshot = client.take_snapshot(&device, before).await?;
            // The new picture is already here: hand it over so it shows without a second fetch.
            let image = decode(snapshot.jpeg).await;
            let _ = tx.send(Action::ImageLoaded { key: snapshot.path, result: image });
            Ok(RunOutcome::Snapshot { home: Box::new(snapshot.homescreen) })
        }
        Operation::DeleteEvents { media } => {
            client.delete_media(&media).await.map_err(batch_error)?;
            Ok(RunOutcome::Done)
        }
        Operation::FetchUsbClip { clip, network_name, then, .. } => {
            let dir = match then {
                UsbThen::Play | UsbThen::PlayOutside => &dirs.play,
                UsbThen::Save => &dirs.save,
            };
            super::usb::fetch(client, id, &clip, &network_name, dir, tx).await
        }
        Operation::DeleteUsbClip { clip, .. } => {
            client.delete_local_clip(clip.storage, &clip.manifest_id, clip.clip.id).await?;
            Ok(RunOutcome::Done)
        }
    }
}

/// The account view's three reads, at once: flags, options, and Blink's list of regions (to
/// name the account's tier).
async fn read_account(client: &BlinkClient) -> Result<AccountOverview, ApiError> {
    let (notifications, options, regions) =
        tokio::try_join!(client.notifications(), client.account_options(), client.regions())?;
    let tier = client.session().await.tier;
    Ok(AccountOverview {
        region: regions.for_tier(&tier).map(|region| region.friendly_name.clone()),
        tier,
        notifications: notifications.notifications,
        options: options.flags(),
    })
}

/// A batch Blink refused part of: its error, or, when some slices went through, a failure that
/// says how far it got (the next refresh shows the rest).
fn batch_error(err: BatchError) -> ApiError {
    match err.done {
        0 => err.error,
        _ => ApiError::CommandFailed { code: 0, message: err.to_string() },
    }
}

/// What a job that needs Blink reports when there is no session.
pub(super) fn no_session() -> ApiError {
    ApiError::LoginRequired("no saved session".into())
}

/// Decodes off the UI task, within the limits of [`decode_picture`].
async fn decode(bytes: Bytes) -> Result<Arc<DynamicImage>, PictureFailed> {
    let decoded = tokio::task::spawn_blocking(move || decode_picture(&bytes).map(Arc::new)).await;
    let decoded = decoded.unwrap_or_else(|err| Err(PictureError::Unreadable(err.to_string())));
    decoded.map_err(PictureFailed::from)
}

/// Downloads an event's clip into `dir` unless it is already there. It streams to disk; the
/// screen learns when it is there (no progress report yet).
pub(super) async fn fetch_clip(
    client: &BlinkClient,
    event: &MediaItem,
    dir: &Path,
) -> Result<PathBuf, ClipError> {
    let path = clip_path(dir, event);
    if !already_saved(&path) {
        download_clip(client, event, &path, &|_| {}).await?;
    }
    Ok(path)
}
