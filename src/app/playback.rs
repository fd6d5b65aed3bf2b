//! The executor's side of playing clips: download the clip (for an event), open it, and run
//! the playback engine on a thread of its own with frames encoded for the terminal there, off
//! the UI task. The loop reports which frame it drew and what that cost, which paces the engine.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::protocol::sixel::Sixel;
use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::effect::PlayRequest;
use super::player::{PlayerId, PlayerUpdate};
use crate::api::BlinkClient;
use crate::media::open_clip;
use crate::media::playback::{self, Control, Presentation};

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
        client: Option<BlinkClient>,
        clips_dir: PathBuf,
        tx: UnboundedSender<Action>,
    ) -> Self {
        let (controls, control_rx) = std::sync::mpsc::channel();
        let presentation = Arc::new(if remote { Presentation::remote() } else { Presentation::default() });
        let report = move |tx: &UnboundedSender<Action>, update| {
            tx.send(Action::Playback { player: id, update }).is_ok()
        };
        let (engine_picker, engine_presentation) = (picker.clone(), presentation.clone());
        let task = tokio::spawn(async move {
            let (picker, presentation) = (engine_picker, engine_presentation);
            let path = match request {
                PlayRequest::Live(live) => {
                    let view = super::live::View { picker, area, controls: control_rx, presentation };
                    return super::live::run(*live, client, view, tx, id).await;
                }
                PlayRequest::File(path) => path,
                PlayRequest::Event(event) => {
                    let fetched = match &client {
                        Some(client) => super::executor::fetch_clip(client, &event, &clips_dir).await,
                        None => Err("not logged in".into()),
                    };
                    match fetched {
                        Ok(path) => path,
                        Err(err) => {
                            report(&tx, PlayerUpdate::FetchFailed(err));
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

/// The picture area in pixels: half blocks draw two pixels a cell, one above the other; the
/// other protocols draw the font's cell size.
pub fn pixel_bounds(picker: &Picker, area: (u16, u16)) -> (u32, u32) {
    let (cols, rows) = (u32::from(area.0), u32::from(area.1));
    match picker.protocol_type() {
        ProtocolType::Halfblocks => (cols, rows * 2),
        ProtocolType::Sixel | ProtocolType::Kitty | ProtocolType::Iterm2 => {
            let font = picker.font_size();
            (cols * u32::from(font.width.max(1)), rows * u32::from(font.height.max(1)))
        }
    }
}

/// A picture sequence without the erase of its area that the library puts first. Each frame
/// covers the one before it whole, and erasing first makes the terminal show an empty area
/// until the new picture is decoded: a flicker at every frame. (Inside tmux the sequence is
/// wrapped for passthrough and stays as it is.)
fn without_erase(data: String, picture_start: &str, tmux: bool) -> String {
    match data.find(picture_start) {
        Some(start) if !tmux && start > 0 => data[start..].to_owned(),
        _ => data,
    }
}

/// A frame, already of the size it is drawn at, in the terminal's picture protocol.
pub fn encode(picker: &Picker, image: image::RgbImage, kitty_id: u32) -> Option<Box<Protocol>> {
    let (width, height) = image.dimensions();
    let image = DynamicImage::ImageRgb8(image);
    let tmux = picker.tmux_detected();
    let protocol = match picker.protocol_type() {
        ProtocolType::Halfblocks => {
            let cells = Size::new(width as u16, height.div_ceil(2) as u16);
            Halfblocks::new(image, cells).map(Protocol::Halfblocks)
        }
        other => {
            let font = picker.font_size();
            let cells = Size::new(
                width.div_ceil(u32::from(font.width.max(1))) as u16,
                height.div_ceil(u32::from(font.height.max(1))) as u16,
            );
            match other {
                ProtocolType::Sixel => Sixel::new(image, cells, tmux).map(|mut sixel| {
                    sixel.data = without_erase(sixel.data, "\x1bP", tmux);
                    Protocol::Sixel(sixel)
                }),
                ProtocolType::Iterm2 => Iterm2::new(image, cells, tmux).map(|mut iterm2| {
                    iterm2.data = without_erase(iterm2.data, "\x1b]1337;", tmux);
                    Protocol::ITerm2(iterm2)
                }),
                _ => {
                    // zlib (`o=z`): every terminal new enough for the placeholders blinktui places images with
                    // takes it, and a frame costs several times fewer bytes over the link.
                    let compress = true;
                    Kitty::new(image, cells, kitty_id, tmux, compress).map(Protocol::Kitty)
                }
            }
        }
    };
    match protocol {
        Ok(protocol) => Some(Box::new(protocol)),
        Err(err) => {
            tracing::warn!("cannot encode a frame: {err}");
            None
        }
    }
}
