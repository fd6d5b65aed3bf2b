//! The signals watch answers: SIGTERM, SIGINT and SIGQUIT stop it cleanly. SIGHUP depends on
//! where it runs: without a controlling terminal (a service) it re-reads the config; with one,
//! it is the terminal going away (a closed window, a dropped SSH session) and stops watch like
//! SIGTERM, rather than leaving it running unseen with its lock held; when started ignoring
//! SIGHUP (`nohup`), it stays ignored.

use tokio::signal::unix::{Signal, SignalKind, signal};

use super::report::log;

pub struct Signals {
    pub stop: StopSignals,
    /// SIGHUP when it reloads the config.
    pub reload: Option<Signal>,
}

pub struct StopSignals {
    terminate: Signal,
    interrupt: Signal,
    quit: Signal,
    /// SIGHUP when it stops watch.
    hangup: Option<Signal>,
}

/// What SIGHUP means for this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hangup {
    Reload,
    Stop,
    Ignored,
}

impl Hangup {
    pub fn for_this_process() -> Self {
        if sighup_ignored() {
            Self::Ignored
        } else if std::fs::File::open("/dev/tty").is_ok() {
            Self::Stop
        } else {
            Self::Reload
        }
    }
}

impl Signals {
    pub fn new(hangup: Hangup) -> std::io::Result<Self> {
        let listen = |wanted: Hangup| (hangup == wanted).then(|| signal(SignalKind::hangup())).transpose();
        Ok(Self {
            stop: StopSignals {
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
                quit: signal(SignalKind::quit())?,
                hangup: listen(Hangup::Stop)?,
            },
            reload: listen(Hangup::Reload)?,
        })
    }

    /// Waits for a request to reload the config (never, where SIGHUP does not mean that).
    pub async fn reload(hangup: &mut Option<Signal>) {
        match hangup {
            Some(hangup) => {
                hangup.recv().await;
            }
            None => std::future::pending().await,
        }
    }
}

impl StopSignals {
    /// Waits for a signal that stops watch, and says which.
    pub async fn stopped(&mut self) {
        let hangup = async {
            match &mut self.hangup {
                Some(hangup) => hangup.recv().await,
                None => std::future::pending().await,
            }
        };
        let which = tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.quit.recv() => "SIGQUIT",
            _ = hangup => "SIGHUP: the terminal went away",
        };
        log(&format!("stopping ({which})"));
    }
}

/// Whether SIGHUP was ignored when this process started (`nohup`), from `/proc/self/status`.
fn sighup_ignored() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return false };
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & 1 == 1) // SIGHUP is signal 1: bit 0
}
