//! `blinktui live CAMERA [--seconds N] [--output FILE.ts|-]`: live view full screen, or the raw
//! MPEG-TS to stdout for another program. Every way it ends posts `done/` (Ctrl-C and SIGTERM
//! included); every failure exits 1 with the reason.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::resolve;
use crate::api::immi::{LiveCounters, SessionOptions, run_session};
use crate::api::{BlinkClient, DeviceRef};
use crate::app::effect::PlayRequest;
use crate::app::live::{LiveRequest, describe_end, session_length};
use crate::context::{CliError, Context};
use crate::output::progress;
use crate::sanitize::clean;

/// Streams to stdout for `--output -`; otherwise what the terminal UI is to show, and its title.
pub async fn live(
    ctx: &Context,
    camera: &str,
    seconds: Option<u64>,
    output: Option<PathBuf>,
) -> Result<Option<(PlayRequest, String)>, CliError> {
    let to_stdout = output.as_deref() == Some(Path::new("-"));
    if !to_stdout && (!std::io::stdout().is_terminal() || !std::io::stdin().is_terminal()) {
        return Err(CliError::Usage(
            "`live` draws in the terminal: run it in one, or use `--output -` to pipe the stream".into(),
        ));
    }
    let client = ctx.client()?;
    let home = client.homescreen().await?;
    let (kind, device) = resolve::device(&home, camera)?;
    let name = clean(&device.name);
    if !device.is_online() {
        return Err(CliError::Failed(format!("{name} is offline: no live view")));
    }
    let request = LiveRequest {
        device: DeviceRef::new(kind, device),
        serial: device.serial.clone(),
        output: output.filter(|_| !to_stdout),
        max_length: seconds.map(Duration::from_secs),
    };
    if to_stdout {
        return stream_to_stdout(&client, &request, &name).await.map(|()| None);
    }
    Ok(Some((PlayRequest::Live(Box::new(request)), format!("{name} · live"))))
}

/// The stream, as it arrives, to stdout; the session ends early when the reader goes away.
async fn stream_to_stdout(client: &BlinkClient, request: &LiveRequest, name: &str) -> Result<(), CliError> {
    progress(&format!("Starting live view of {name}..."));
    let live = client
        .liveview(&request.device)
        .await
        .map_err(|err| CliError::Failed(format!("Blink did not start live view of {name}: {err}")))?;
    let length = session_length(&live, request.max_length);
    let options = SessionOptions { max_length: Some(length), ..SessionOptions::default() };
    let counters = LiveCounters::default();
    let stop = CancellationToken::new();
    let on_signal = stop.clone();
    let signals = tokio::spawn(async move {
        wait_for_quit_signal().await;
        on_signal.cancel();
    });
    let mut stdout = std::io::stdout();
    let mut on_ts = |ts: &[u8]| stdout.write_all(ts).and_then(|()| stdout.flush()).is_ok();
    let result =
        run_session(client, &live, request.serial.as_deref(), &options, &counters, &stop, &mut on_ts).await;
    signals.abort();
    match result {
        Ok(end) => {
            let bytes = LiveCounters::get(&counters.ts_bytes);
            progress(&format!("{} ({bytes} bytes of video)", describe_end(end)));
            Ok(())
        }
        Err(err) => Err(CliError::Failed(format!("live view of {name} failed: {err}"))),
    }
}

/// Ctrl-C, SIGTERM or SIGHUP: the session ends and posts `done/` before the exit.
async fn wait_for_quit_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
}
