//! The simulator's live-view relay: IMMI over TLS on loopback, with a self-signed certificate
//! made at start. It checks the client's auth header byte for byte against the liveview
//! command it names, streams the camera's picture with its clock running as MPEG-TS in type-0
//! frames (other frame types mixed in) at 15 frames a second, expects latency statistics and
//! keep-alives, and ends at the session length or when the client posts `done/`. Faults make it misbehave as relays do.

mod session;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

use super::SimState;

/// How one session misbehaves. Each fault injected serves the next session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayFault {
    /// The liveview answer names a token the relay does not accept: the relay closes.
    WrongToken,
    /// Video stops after a second; the connection stays open.
    Stall,
    /// After a second, a frame header announcing a payload of nearly 4 GiB.
    HugePayload,
    /// The same header first, before any picture.
    HugeFirstPayload,
    /// Type-0 frames carry bytes that are not MPEG-TS.
    Garbage,
    /// The connection drops after a second, without a TLS close.
    Disconnect,
}

/// What the relay saw of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelaySessionLog {
    pub command_id: Option<u64>,
    pub auth_accepted: bool,
    pub latency_stats: u32,
    /// Sequence numbers of the keep-alives received.
    pub keepalives: Vec<u32>,
    pub video_frames_sent: u64,
    pub other_frames_sent: u64,
    /// Why the relay ended the session (empty while it runs).
    pub ended: String,
}

/// Faults, the session length and the log, shared with the routes and the tests.
#[derive(Debug)]
pub struct RelayControl {
    faults: Mutex<VecDeque<RelayFault>>,
    length: Mutex<Duration>,
    log: Mutex<Vec<RelaySessionLog>>,
    /// When live view was last asked for: no picture of that session can have left the relay
    /// before it (the figures of a picture's age are measured from it).
    last_request: Mutex<Option<std::time::Instant>>,
}

impl Default for RelayControl {
    fn default() -> Self {
        Self {
            faults: Mutex::default(),
            length: Mutex::new(Duration::from_secs(300)),
            log: Mutex::default(),
            last_request: Mutex::default(),
        }
    }
}

/// At most this many sessions are remembered.
const LOG_LIMIT: usize = 1_000;

impl RelayControl {
    pub fn inject(&self, fault: RelayFault) {
        lock(&self.faults).push_back(fault);
    }

    /// The session length the liveview answer names (`duration`) and the relay keeps to.
    pub fn set_length(&self, length: Duration) {
        *lock(&self.length) = length;
    }

    pub fn length(&self) -> Duration {
        *lock(&self.length)
    }

    /// When live view was last asked for.
    pub fn last_request(&self) -> Option<std::time::Instant> {
        *lock(&self.last_request)
    }

    pub(crate) fn requested(&self) {
        *lock(&self.last_request) = Some(std::time::Instant::now());
    }

    pub fn sessions(&self) -> Vec<RelaySessionLog> {
        lock(&self.log).clone()
    }

    /// Whether the next session will be given a wrong token.
    pub(crate) fn wrong_token_next(&self) -> bool {
        lock(&self.faults).front() == Some(&RelayFault::WrongToken)
    }

    fn next_fault(&self) -> Option<RelayFault> {
        lock(&self.faults).pop_front()
    }

    /// Starts a log entry; returns its index.
    fn open_log(&self) -> usize {
        let mut log = lock(&self.log);
        if log.len() >= LOG_LIMIT {
            log.remove(0);
        }
        log.push(RelaySessionLog::default());
        log.len() - 1
    }

    fn update(&self, index: usize, f: impl FnOnce(&mut RelaySessionLog)) {
        if let Some(entry) = lock(&self.log).get_mut(index) {
            f(entry);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The token the relay expects for a liveview command (and the one the liveview answer names).
pub fn token_for(command_id: u64) -> String {
    format!("lvtoken{command_id:x}")
}

/// The connection id of a liveview command in the relay URL.
pub fn connection_id_for(command_id: u64) -> String {
    format!("SIM{command_id:010}")
}

/// Binds the relay on loopback, with a certificate made now.
pub async fn bind() -> std::io::Result<(TcpListener, TlsAcceptor)> {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .map_err(std::io::Error::other)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(std::io::Error::other)?;
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    Ok((listener, TlsAcceptor::from(Arc::new(config))))
}

/// Accepts sessions until `stop`.
pub async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    sim: Arc<SimState>,
    stop: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((tcp, _)) = accepted else { continue };
        let (acceptor, sim, stop) = (acceptor.clone(), sim.clone(), stop.clone());
        tokio::spawn(async move {
            let index = sim.relay.open_log();
            let fault = sim.relay.next_fault();
            let ended = tokio::select! {
                () = stop.cancelled() => "simulator stopped".to_owned(),
                ended = session::run(tcp, acceptor, &sim, index, fault) => ended,
            };
            sim.relay.update(index, |entry| entry.ended = ended);
        });
    }
}

/// The relay's address, for the liveview answer.
pub fn url(addr: SocketAddr, command_id: u64, serial: &str, client_id: u64) -> String {
    format!("immis://{addr}/{}__IMDS_{serial}?client_id={client_id}", connection_id_for(command_id))
}
