//! Live view: ask Blink for a session, run it, and feed what arrives to the playback engine on
//! a thread of its own (frames encoded for the terminal there, as for clips). Bytes received
//! are reported once a second; the session's end, with its reason, once. Stopping the task
//! (Esc, quit) drops the session, whose guard posts `done/`.

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use ratatui_image::picker::Picker;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::frames::{encode, pixel_bounds};
use crate::api::BlinkClient;
use crate::api::immi::{LiveCounters, SessionOptions, run_session};
use crate::app::action::Action;
use crate::app::live::{LiveRequest, describe_end, session_length};
use crate::app::player::{LiveReport, PlayerId, PlayerUpdate};
use crate::media::live::{LiveSource, chunk_channel};
use crate::media::playback::{self, Control, Presentation};

/// How long the camera has to send its first picture once the relay is connected.
const FIRST_PICTURE: Duration = Duration::from_secs(20);

/// What the engine thread needs to draw.
pub struct View {
    pub picker: Picker,
    pub area: (u16, u16),
    pub controls: Receiver<Control>,
    pub presentation: Arc<Presentation>,
}

pub async fn run(
    request: LiveRequest,
    client: Option<BlinkClient>,
    view: View,
    tx: UnboundedSender<Action>,
    player: PlayerId,
) {
    let report = move |update| tx.send(Action::Playback { player, update }).is_ok();
    let ended = |reason: String| PlayerUpdate::Live(LiveReport::Ended(Err(reason)));
    let Some(client) = client else {
        report(ended("not logged in".into()));
        return;
    };
    let live = match client.liveview(&request.device).await {
        Ok(live) => live,
        Err(err) => {
            report(ended(format!("Blink did not start live view: {err}")));
            return;
        }
    };
    let length = session_length(&live, request.max_length);
    let mut output = match request.output.as_deref().map(std::fs::File::create).transpose() {
        Ok(file) => file.map(std::io::BufWriter::new),
        Err(err) => {
            // Blink started the session: end it before saying why nothing plays.
            crate::api::immi::DoneGuard::new(client.clone(), live.command).post().await;
            report(ended(format!("cannot write the stream to the output file: {err}")));
            return;
        }
    };
    let (mut chunks, chunk_rx) = chunk_channel();
    let engine_report = report.clone();
    let engine = tokio::task::spawn_blocking(move || {
        let View { picker, area, controls, presentation } = view;
        let source = match LiveSource::open(chunk_rx, length, FIRST_PICTURE) {
            Ok(source) => source,
            Err(err) => {
                engine_report(PlayerUpdate::Playback(playback::PlaybackEvent::Failed(err)));
                return;
            }
        };
        // One kitty image id for the whole session: each frame replaces the last.
        let kitty_id = rand::random::<u32>() | 1;
        playback::play(
            Box::new(source),
            pixel_bounds(&picker, area),
            controls,
            presentation,
            |image| encode(&picker, image, kitty_id),
            |event| engine_report(PlayerUpdate::Playback(event)),
        );
    });
    let counters = LiveCounters::default();
    let stop = CancellationToken::new();
    let mut on_ts = |ts: &[u8]| {
        if let Some(file) = &mut output
            && let Err(err) = file.write_all(ts)
        {
            tracing::warn!("stopped writing the live stream to the file: {err}");
            output = None;
        }
        chunks.send(ts)
    };
    let options = SessionOptions { max_length: Some(length), ..SessionOptions::default() };
    let session =
        run_session(&client, &live, request.serial.as_deref(), &options, &counters, &stop, &mut on_ts);
    let received = async {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            report(PlayerUpdate::Live(LiveReport::Received(LiveCounters::get(&counters.ts_bytes))));
        }
    };
    let result = tokio::select! {
        result = session => result,
        () = received => return,
    };
    if let Some(mut file) = output.take() {
        let _ = file.flush();
    }
    report(PlayerUpdate::Live(LiveReport::Received(LiveCounters::get(&counters.ts_bytes))));
    tracing::info!(
        ts_bytes = LiveCounters::get(&counters.ts_bytes),
        not_ts = LiveCounters::get(&counters.not_ts_frames),
        other = LiveCounters::get(&counters.other_frames),
        dropped_chunks = chunks.dropped,
        "live view session over"
    );
    let result = result.map(|end| describe_end(end).to_owned()).map_err(|err| err.to_string());
    report(PlayerUpdate::Live(LiveReport::Ended(result)));
    // The engine ends once it has drawn what arrived; it is not waited for.
    drop(chunks);
    drop(engine);
}
