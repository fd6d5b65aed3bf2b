//! Running one IMMI session from the liveview answer to `done/`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::wire::{self, AuthFields, FRAME_HEADER_LEN, FrameHeader};
use super::{DEFAULT_LENGTH, LiveCounters, LiveEnd, LiveError, SessionOptions, tls};
use crate::api::{BlinkClient, CommandRef, Liveview};

/// Ends the liveview command (`done/`) exactly once: through [`DoneGuard::post`], or, when the
/// session is dropped mid-way (a task aborted), from a task of its own.
pub struct DoneGuard {
    pending: Option<(BlinkClient, CommandRef)>,
}

impl DoneGuard {
    pub fn new(client: BlinkClient, command: CommandRef) -> Self {
        Self { pending: Some((client, command)) }
    }

    pub async fn post(mut self) {
        if let Some((client, command)) = self.pending.take() {
            post_done(client, command).await;
        }
    }
}

impl Drop for DoneGuard {
    fn drop(&mut self) {
        if let Some((client, command)) = self.pending.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let task = runtime.spawn(post_done(client, command));
            let mut pending = ENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            pending.retain(|task| !task.is_finished());
            pending.push(task);
        }
    }
}

/// `done/` posts of sessions that were dropped rather than finished, for the exit to wait on:
/// a view closed by quitting must still end its command.
static ENDING: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Waits up to `within` for the `done/` posts still on their way.
pub async fn finish_pending_done(within: Duration) {
    let pending = std::mem::take(&mut *ENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    if pending.is_empty() {
        return;
    }
    let _ = tokio::time::timeout(within, futures::future::join_all(pending)).await;
}

async fn post_done(client: BlinkClient, command: CommandRef) {
    match client.command_done(command).await {
        Ok(_) => tracing::info!(command = command.id, "live view ended (done posted)"),
        Err(err) => tracing::warn!(command = command.id, "could not end the live view command: {err}"),
    }
}

/// Runs a session: streams MPEG-TS to `on_ts` (which returns false to stop) until the session
/// length passes, `stop` is cancelled, Blink ends the command, or something fails; then posts
/// `done/`. `serial` is the camera's; without it the one in the relay URL is used.
pub async fn run_session(
    client: &BlinkClient,
    live: &Liveview,
    serial: Option<&str>,
    options: &SessionOptions,
    counters: &LiveCounters,
    stop: &CancellationToken,
    on_ts: &mut (dyn FnMut(&[u8]) -> bool + Send),
) -> Result<LiveEnd, LiveError> {
    let done = DoneGuard::new(client.clone(), live.command);
    let mut result = stream(client, live, serial, options, counters, stop, on_ts).await;
    // The relay going quiet or away often means the command failed: Blink says why, sometimes
    // a moment later.
    if matches!(result, Err(LiveError::Closed { .. } | LiveError::Stalled { .. }))
        && let Some(failure) = command_failure(client, live.command).await
    {
        result = Err(LiveError::Command(failure));
    }
    done.post().await;
    result
}

/// Why the command failed, if it did, asking a few times at the command poll interval.
async fn command_failure(client: &BlinkClient, command: CommandRef) -> Option<crate::api::ApiError> {
    let pause = client.options().command_poll_interval.max(Duration::from_millis(250));
    for attempt in 0..4 {
        if attempt > 0 {
            tokio::time::sleep(pause).await;
        }
        let status = client.command_status(command).await.ok()?;
        if let Some(failure) = status.failure() {
            return Some(crate::api::ApiError::CommandFailed {
                code: failure.code,
                message: failure.message,
            });
        }
        if status.complete {
            return None;
        }
    }
    None
}

async fn stream(
    client: &BlinkClient,
    live: &Liveview,
    serial: Option<&str>,
    options: &SessionOptions,
    counters: &LiveCounters,
    stop: &CancellationToken,
    on_ts: &mut (dyn FnMut(&[u8]) -> bool + Send),
) -> Result<LiveEnd, LiveError> {
    if live.scheme != "immis" {
        return Err(LiveError::Unsupported(live.scheme.clone()));
    }
    let relay = format!("{}:{}", live.host, live.port);
    let connect_error = |detail: String| LiveError::Connect { relay: relay.clone(), detail };
    let tcp =
        tokio::time::timeout(options.connect_timeout, TcpStream::connect((live.host.as_str(), live.port)))
            .await
            .map_err(|_| connect_error(format!("no answer within {}s", options.connect_timeout.as_secs())))?
            .map_err(|err| connect_error(err.to_string()))?;
    let _ = tcp.set_nodelay(true);
    let tls = tokio::time::timeout(options.connect_timeout, tls::connect(tcp, &live.host, &relay))
        .await
        .map_err(|_| connect_error("the TLS handshake did not finish".into()))??;
    let (mut reader, mut writer) = tokio::io::split(tls);
    let started = Instant::now();
    let closed = || LiveError::Closed { after: started.elapsed() };

    let serial = serial.or(live.serial.as_deref()).unwrap_or_default();
    let client_id = live.client_id.and_then(|id| u32::try_from(id).ok()).unwrap_or(0);
    let header = wire::auth_header(&AuthFields {
        serial,
        client_id,
        token: live.token.as_ref().map(|token| token.expose()),
        connection_id: &live.connection_id,
    });
    writer.write_all(&header).await.map_err(|_| closed())?;
    writer.flush().await.map_err(|_| closed())?;

    let blink_length = live
        .duration_secs
        .and_then(|secs| u64::try_from(secs).ok())
        .filter(|secs| *secs > 0)
        .map_or(DEFAULT_LENGTH, Duration::from_secs);
    let length = options.max_length.map_or(blink_length, |asked| asked.min(blink_length));
    let polling = live
        .polling_interval_secs
        .and_then(|secs| u64::try_from(secs).ok())
        .map_or(Duration::from_secs(15), |secs| Duration::from_secs(secs.clamp(1, 60)));
    tracing::info!(command = live.command.id, ?length, ?polling, "live view connected");

    tokio::select! {
        ended = receive(&mut reader, options, counters, on_ts, started, length) => ended,
        ended = send(&mut writer, options, counters) => ended.map_err(|_| closed()),
        ended = poll(client, live.command, polling) => ended,
        () = stop.cancelled() => Ok(LiveEnd::Stopped),
        () = tokio::time::sleep(length) => Ok(LiveEnd::LengthReached),
    }
}

/// Reads frames until the relay closes, stalls or misbehaves, or `on_ts` says stop.
async fn receive(
    reader: &mut (impl AsyncRead + Unpin),
    options: &SessionOptions,
    counters: &LiveCounters,
    on_ts: &mut (dyn FnMut(&[u8]) -> bool + Send),
    started: Instant,
    length: Duration,
) -> Result<LiveEnd, LiveError> {
    // The relay closing as the session length runs out is the session ending, not a failure.
    let closed = || {
        if started.elapsed() + Duration::from_secs(2) >= length {
            Ok(LiveEnd::LengthReached)
        } else {
            Err(LiveError::Closed { after: started.elapsed() })
        }
    };
    let mut payload = Vec::new();
    let mut last_video = Instant::now();
    let mut not_ts_since_video = 0;
    loop {
        let left = options.stall_timeout.saturating_sub(last_video.elapsed());
        let stalled =
            || LiveError::Stalled { after: options.stall_timeout, not_ts_frames: not_ts_since_video };
        let mut header = [0u8; FRAME_HEADER_LEN];
        match tokio::time::timeout(left, reader.read_exact(&mut header)).await {
            Err(_) => return Err(stalled()),
            Ok(Err(_)) => return closed(),
            Ok(Ok(_)) => {}
        }
        let header = FrameHeader::parse(&header);
        let length = usize::try_from(header.payload_len).unwrap_or(usize::MAX);
        if length > options.max_payload {
            return Err(LiveError::FrameTooLarge {
                length: u64::from(header.payload_len),
                limit: options.max_payload,
            });
        }
        payload.resize(length, 0);
        let left = options.stall_timeout.saturating_sub(last_video.elapsed());
        match tokio::time::timeout(left, reader.read_exact(&mut payload)).await {
            Err(_) => return Err(stalled()),
            Ok(Err(_)) => return closed(),
            Ok(Ok(_)) => {}
        }
        match header.kind {
            wire::TYPE_VIDEO if payload.first() == Some(&wire::TS_SYNC_BYTE) => {
                last_video = Instant::now();
                not_ts_since_video = 0;
                LiveCounters::add(&counters.video_frames, 1);
                LiveCounters::add(&counters.ts_bytes, payload.len() as u64);
                if !on_ts(&payload) {
                    return Ok(LiveEnd::Stopped);
                }
            }
            wire::TYPE_VIDEO => {
                not_ts_since_video += 1;
                LiveCounters::add(&counters.not_ts_frames, 1);
            }
            _ => LiveCounters::add(&counters.other_frames, 1),
        }
    }
}

/// Latency statistics every `stats_interval`, a keep-alive every `keepalive_interval` (both
/// at once at the start). Returns only when writing fails.
async fn send(
    writer: &mut (impl AsyncWrite + Unpin),
    options: &SessionOptions,
    counters: &LiveCounters,
) -> std::io::Result<LiveEnd> {
    let mut stats = tokio::time::interval(options.stats_interval);
    let mut keepalive = tokio::time::interval(options.keepalive_interval);
    let mut sequence: u32 = 0;
    loop {
        let packet = tokio::select! {
            _ = keepalive.tick() => {
                sequence = sequence.wrapping_add(1);
                LiveCounters::add(&counters.keepalives_sent, 1);
                wire::keepalive(sequence)
            }
            _ = stats.tick() => {
                LiveCounters::add(&counters.stats_sent, 1);
                wire::latency_stats()
            }
        };
        writer.write_all(&packet).await?;
        writer.flush().await?;
    }
}

/// Polls the liveview command at Blink's interval until it fails or is no longer running. A
/// poll that cannot be made is logged and tried again at the next interval.
async fn poll(client: &BlinkClient, command: CommandRef, every: Duration) -> Result<LiveEnd, LiveError> {
    loop {
        tokio::time::sleep(every).await;
        let status = match client.command_status(command).await {
            Ok(status) => status,
            Err(err) => {
                tracing::warn!(command = command.id, "live view command poll failed: {err}");
                continue;
            }
        };
        if let Some(failure) = status.failure() {
            return Err(LiveError::Command(crate::api::ApiError::CommandFailed {
                code: failure.code,
                message: failure.message,
            }));
        }
        let condition =
            status.commands.iter().find(|c| c.id == command.id).and_then(|c| c.state_condition.clone());
        if !matches!(condition.as_deref(), None | Some("new" | "running")) {
            tracing::info!(command = command.id, ?condition, "Blink ended the live view command");
            return Ok(LiveEnd::CommandEnded);
        }
    }
}
