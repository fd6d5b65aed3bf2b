//! Playing clips: download the clip (for an event), open it, and run
//! the playback engine on a thread of its own with frames encoded for the terminal there, off
//! the UI task. The loop reports which frame it drew and what that cost, which paces the engine.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use ratatui_image::picker::Picker;
use tokio::sync::mpsc::UnboundedSender;

use super::frames::{encode, pixel_aspect, pixel_bounds};
use crate::api::BlinkClient;
use crate::api::models::MediaItem;
use crate::app::action::Action;
use crate::app::effect::PlayRequest;
use crate::app::player::{PlayerId, PlayerUpdate};
use crate::files::ClipError;
use crate::media::open_clip;
use crate::media::playback::{self, Control, Presentation};

/// An event's clip downloaded into the cache ahead of its turn (the next event of a review),
/// so that it starts without a wait. Dropping it abandons the download.
pub struct Ahead {
    pub event: u64,
    task: tokio::task::JoinHandle<Result<PathBuf, ClipError>>,
}

impl Ahead {
    pub fn start(client: BlinkClient, event: MediaItem, dir: PathBuf) -> Self {
        let id = event.id;
        let task = tokio::spawn(async move { super::executor::fetch_clip(&client, &event, &dir).await });
        Self { event: id, task }
    }

    /// The clip's path once the download is done; `None` when it failed (it is tried again).
    async fn finish(mut self) -> Option<PathBuf> {
        (&mut self.task).await.ok().and_then(Result::ok)
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where an event's clip comes from: its download started ahead, else Blink, into `dir`.
pub struct ClipFetch {
    pub client: Option<BlinkClient>,
    pub dir: PathBuf,
    pub ahead: Option<Ahead>,
}

/// The playback running now. Dropping it stops it: the download, if one is running, is
/// abandoned and the engine thread ends at its next look at its controls.
pub struct Playback {
    id: PlayerId,
    controls: Sender<Control>,
    presentation: Arc<Presentation>,
    picker: Picker,
    /// The last frame reported drawn: the draw that presents a frame is its cost, not the
    /// cheaper ones (a toast, the clock) that follow while it stays on screen.
    reported: u64,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Playback {
    /// Starts a playback; the previous one, if any, ends when its handle is dropped. `remote`:
    /// the terminal is across a network (frames start small).
    pub fn start(
        id: PlayerId,
        request: PlayRequest,
        area: (u16, u16),
        (picker, remote): (Picker, bool),
        fetch: ClipFetch,
        tx: UnboundedSender<Action>,
    ) -> Self {
        let (controls, control_rx) = std::sync::mpsc::channel();
        let presentation = if remote { Presentation::remote() } else { Presentation::default() };
        let presentation = Arc::new(presentation.with_pixel_aspect(pixel_aspect(&picker)));
        let report = move |tx: &UnboundedSender<Action>, update| {
            tx.send(Action::Playback { player: id, update }).is_ok()
        };
        let (engine_picker, engine_presentation) = (picker.clone(), presentation.clone());
        let task = tokio::spawn(async move {
            let (picker, presentation) = (engine_picker, engine_presentation);
            let path = match request {
                PlayRequest::Live(live) => {
                    let view = super::live::View { picker, area, controls: control_rx, presentation };
                    return super::live::run(*live, fetch.client, view, tx, id).await;
                }
                PlayRequest::File(path) => path,
                PlayRequest::Event(event) => {
                    // Fetched ahead, or (that failing) now.
                    let ahead = match fetch.ahead {
                        Some(ahead) => ahead.finish().await,
                        None => None,
                    };
                    let fetched = match (ahead, &fetch.client) {
                        (Some(path), _) => Ok(path),
                        (None, Some(client)) => super::executor::fetch_clip(client, &event, &fetch.dir).await,
                        (None, None) => Err(super::executor::no_session().into()),
                    };
                    match fetched {
                        Ok(path) => path,
                        Err(err) => {
                            report(&tx, PlayerUpdate::FetchFailed(err.to_string()));
                            return;
                        }
                    }
                }
            };
            if !report(&tx, PlayerUpdate::Fetched) {
                return;
            }
            let _ = tokio::task::spawn_blocking(move || {
                let source = match open_clip(&path) {
                    Ok(source) => source,
                    Err(err) => {
                        report(&tx, PlayerUpdate::Playback(playback::PlaybackEvent::Failed(err)));
                        return;
                    }
                };
                // One kitty image id for the whole clip: each frame replaces the last.
                let kitty_id = rand::random::<u32>() | 1;
                playback::play(
                    source,
                    pixel_bounds(&picker, area),
                    control_rx,
                    presentation,
                    |image| encode(&picker, image, kitty_id),
                    |event| report(&tx, PlayerUpdate::Playback(event)),
                );
            })
            .await;
        });
        Self { id, controls, presentation, picker, reported: 0, task: Some(task) }
    }

    pub fn id(&self) -> PlayerId {
        self.id
    }

    pub fn control(&self, control: Control) {
        let _ = self.controls.send(control);
    }

    pub fn resize(&self, area: (u16, u16)) {
        self.control(Control::Resize(pixel_bounds(&self.picker, area)));
    }

    /// Whether the link to the terminal holds frames back, and what it carries.
    pub fn link(&self, limit: Option<playback::LinkLimit>) {
        self.presentation.record_link(limit);
    }

    /// Frame `seq` was drawn: it took `took` and wrote `bytes`.
    pub fn presented(&mut self, seq: u64, took: Duration, bytes: u64) {
        if seq > self.reported {
            self.reported = seq;
            self.presentation.record(seq, took, bytes);
        }
    }
}

impl Playback {
    /// Stops it and waits until its task is gone (a live view's `done/` is then on its way).
    pub async fn stop(mut self) {
        let _ = self.controls.send(Control::Stop);
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
        let _ = self.controls.send(Control::Stop);
    }
}
