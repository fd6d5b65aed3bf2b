//! One relay session: handshake, auth header check, then the clip streamed at its own pace
//! while the client's statistics and keep-alives are read.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::{RelayFault, connection_id_for, lock, token_for};
use crate::api::immi::wire::{self, AUTH_HEADER_LEN, AuthFields, FRAME_HEADER_LEN, FrameHeader};
use crate::media::ts::{self, PACKET};
use crate::sim::{Effect, SimState};

const CLIP_TS: &[u8] = include_bytes!("../../../assets/clips/outdoor.ts");
/// TS packets per type-0 frame.
const PACKETS_PER_FRAME: usize = 7;
/// Without latency statistics for this long the relay gives up on the client.
const STATS_TIMEOUT: Duration = Duration::from_secs(4);
/// When the faults that wait for the stream to be under way strike.
const FAULT_AFTER: Duration = Duration::from_secs(1);

/// The clip cut at its access units, each with its time from the start.
struct Recording {
    units: Vec<(Duration, &'static [u8])>,
    length: Duration,
}

fn recording() -> &'static Recording {
    static RECORDING: OnceLock<Recording> = OnceLock::new();
    RECORDING.get_or_init(|| {
        let starts = ts::unit_starts(CLIP_TS);
        let first = starts.first().and_then(|(_, pts)| *pts).unwrap_or(0);
        let time =
            |pts: Option<u64>| Duration::from_micros(pts.unwrap_or(first).saturating_sub(first) * 100 / 9);
        let mut units = Vec::new();
        for (n, (offset, pts)) in starts.iter().enumerate() {
            // The first unit carries the tables written before it.
            let begin = if n == 0 { 0 } else { *offset };
            let end = starts.get(n + 1).map_or(CLIP_TS.len(), |(next, _)| *next);
            units.push((time(*pts), &CLIP_TS[begin..end]));
        }
        let interval = Duration::from_millis(1000 / 15);
        let length = units.last().map_or(interval, |(at, _)| *at + interval);
        Recording { units, length }
    })
}

/// Runs the session; returns why it ended.
pub(super) async fn run(
    tcp: TcpStream,
    acceptor: TlsAcceptor,
    sim: &SimState,
    index: usize,
    fault: Option<RelayFault>,
) -> String {
    let tls = match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(err)) => return format!("TLS handshake failed: {err}"),
        Err(_) => return "TLS handshake timed out".into(),
    };
    let (mut reader, mut writer) = tokio::io::split(tls);
    let mut header = [0u8; AUTH_HEADER_LEN];
    match tokio::time::timeout(Duration::from_secs(10), reader.read_exact(&mut header)).await {
        Ok(Ok(_)) => {}
        _ => return "no auth header".into(),
    }
    let connection = String::from_utf8_lossy(&header[102..118]).trim_end_matches('\0').to_owned();
    let Some(id) = connection.strip_prefix("SIM").and_then(|digits| digits.parse::<u64>().ok()) else {
        return "unknown connection id".into();
    };
    sim.relay.update(index, |entry| entry.command_id = Some(id));
    let failure = {
        let world = sim.world();
        let Some(command) = world.commands.get(&id).filter(|c| matches!(c.effect, Effect::Liveview)) else {
            return "no such liveview command".into();
        };
        let serial = command.device_id.and_then(|d| world.device(d)).and_then(|d| d.device.serial.clone());
        let token = token_for(id);
        let connection_id = connection_id_for(id);
        let expected = |token: Option<&str>| {
            wire::auth_header(&AuthFields {
                serial: serial.as_deref().unwrap_or_default(),
                client_id: u32::try_from(world.client_id).unwrap_or(0),
                token,
                connection_id: &connection_id,
            })
        };
        // `--lenient`: 64 zero bytes where the token goes, as blinkpy sends them.
        let zeros_allowed = sim.lenient.liveview_token;
        if header != expected(Some(&token)) && !(zeros_allowed && header == expected(None)) {
            return "auth header rejected".into();
        }
        command.failure.clone()
    };
    if let Some((code, message)) = failure {
        return format!("command failed: {message} ({code})");
    }
    sim.relay.update(index, |entry| entry.auth_accepted = true);

    let last_stats = Mutex::new(Instant::now());
    tokio::select! {
        () = listen(&mut reader, sim, index, &last_stats) => "client closed".into(),
        ended = stream(&mut writer, sim, index, id, fault, &last_stats) => ended,
    }
}

/// Reads what the client sends: latency statistics and keep-alives are logged.
async fn listen(
    reader: &mut (impl AsyncRead + Unpin),
    sim: &SimState,
    index: usize,
    last_stats: &Mutex<Instant>,
) {
    let mut payload = Vec::new();
    loop {
        let mut header = [0u8; FRAME_HEADER_LEN];
        if reader.read_exact(&mut header).await.is_err() {
            return;
        }
        let header = FrameHeader::parse(&header);
        if header.payload_len > 64 * 1024 {
            return;
        }
        payload.resize(header.payload_len as usize, 0);
        if reader.read_exact(&mut payload).await.is_err() {
            return;
        }
        match header.kind {
            wire::TYPE_LATENCY_STATS => {
                *lock(last_stats) = Instant::now();
                sim.relay.update(index, |entry| entry.latency_stats += 1);
            }
            wire::TYPE_KEEPALIVE => sim.relay.update(index, |entry| entry.keepalives.push(header.sequence)),
            _ => {}
        }
    }
}

/// Streams the clip, looped, until the session length, `done/`, a fault, or a silent client.
/// A frame header announcing a payload of nearly 4 GiB.
const HUGE_HEADER: [u8; 9] = [0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xf0];

async fn stream(
    writer: &mut (impl AsyncWrite + Unpin),
    sim: &SimState,
    index: usize,
    id: u64,
    fault: Option<RelayFault>,
    last_stats: &Mutex<Instant>,
) -> String {
    let recording = recording();
    let length = sim.relay.length();
    let start = Instant::now();
    let mut sequence: u32 = 0;
    let mut sent_units: u64 = 0;
    if fault == Some(RelayFault::HugeFirstPayload) {
        let _ = writer.write_all(&HUGE_HEADER).await;
        let _ = writer.flush().await;
        std::future::pending::<()>().await;
    }
    for round in 0u32.. {
        for (at, unit) in &recording.units {
            let due = recording.length * round + *at;
            if due >= length {
                let _ = writer.shutdown().await;
                return "session length reached".into();
            }
            tokio::time::sleep_until((start + due).into()).await;
            if sim.world().commands.get(&id).is_none_or(|c| c.applied) {
                let _ = writer.shutdown().await;
                return "done posted".into();
            }
            if lock(last_stats).elapsed() > STATS_TIMEOUT {
                return "no latency statistics from the client".into();
            }
            if start.elapsed() >= FAULT_AFTER {
                match fault {
                    Some(RelayFault::Stall) => std::future::pending::<()>().await,
                    Some(RelayFault::HugePayload) => {
                        let _ = writer.write_all(&HUGE_HEADER).await;
                        let _ = writer.flush().await;
                        std::future::pending::<()>().await;
                    }
                    Some(RelayFault::Disconnect) => return "disconnected (fault)".into(),
                    Some(RelayFault::WrongToken | RelayFault::Garbage | RelayFault::HugeFirstPayload)
                    | None => {}
                }
            }
            let mut frames = Vec::new();
            for piece in unit.chunks(PACKET * PACKETS_PER_FRAME) {
                sequence = sequence.wrapping_add(1);
                let payload = match fault {
                    Some(RelayFault::Garbage) => vec![b'?'; piece.len()],
                    _ => piece.to_vec(),
                };
                frames.extend(wire::frame(wire::TYPE_VIDEO, sequence, &payload));
            }
            let video = unit.len().div_ceil(PACKET * PACKETS_PER_FRAME) as u64;
            let mut other = 0;
            if sent_units.is_multiple_of(15) {
                // An audio frame and an unknown type, as a relay mixes in.
                frames.extend(wire::frame(0x01, sequence, &[0x55; 32]));
                frames.extend(wire::frame(0x13, sequence, &[]));
                other = 2;
            }
            sent_units += 1;
            if writer.write_all(&frames).await.is_err() || writer.flush().await.is_err() {
                return "client went away".into();
            }
            sim.relay.update(index, |entry| {
                entry.video_frames_sent += video;
                entry.other_frames_sent += other;
            });
        }
    }
    "session length reached".into()
}
