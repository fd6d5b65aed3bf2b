//! `watch --exec CMD`: CMD runs per new event, split into words as a shell would but run
//! without one, with the event in `BLINK_*` variables. At most [`MAX_RUNNING`] run at once;
//! each is killed, with everything it started, when it outlives its timeout. Its failures are
//! logged and never stop watch. What it prints is read as it comes, and only the last
//! [`KEPT_OUTPUT`] bytes are logged when it ends: a command that prints without end costs
//! neither memory nor a flooded log.

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::report::log;

/// Commands running at the same time, at most.
pub const MAX_RUNNING: usize = 4;
/// Commands waiting for a turn, at most; more are skipped (and logged) rather than queued
/// without bound behind commands that hang.
const MAX_WAITING: usize = 64;
/// What is kept of a command's output (stdout and stderr together), from its end.
pub const KEPT_OUTPUT: usize = 4096;
/// How long output is still read after the command ended (something it started in the
/// background may hold its pipes open).
const OUTPUT_GRACE: Duration = Duration::from_secs(1);

pub struct ExecRunner {
    argv: Vec<String>,
    timeout: Duration,
    slots: Arc<Semaphore>,
    tasks: JoinSet<()>,
    stop: CancellationToken,
}

impl ExecRunner {
    /// Splits `command` into its program and arguments (quotes as in a shell).
    pub fn new(command: &str, timeout: Duration) -> Result<Self, String> {
        let argv = shell_words::split(command).map_err(|err| format!("--exec {command:?}: {err}"))?;
        if argv.is_empty() {
            return Err("--exec needs a command".into());
        }
        Ok(Self {
            argv,
            timeout,
            slots: Arc::new(Semaphore::new(MAX_RUNNING)),
            tasks: JoinSet::new(),
            stop: CancellationToken::new(),
        })
    }

    /// Starts the command for one event (`label` names it in logs) once a slot is free.
    pub fn spawn(&mut self, env: Vec<(&'static str, String)>, label: String) {
        while self.tasks.try_join_next().is_some() {}
        if self.tasks.len() >= MAX_RUNNING + MAX_WAITING {
            log(&format!("--exec skipped for {label}: {} commands are already waiting", MAX_WAITING));
            return;
        }
        let (argv, timeout, slots, stop) =
            (self.argv.clone(), self.timeout, self.slots.clone(), self.stop.clone());
        self.tasks.spawn(async move {
            let Ok(_slot) = slots.acquire_owned().await else { return };
            if stop.is_cancelled() {
                return;
            }
            run_one(&argv, env, timeout, &stop, &label).await;
        });
    }

    /// Lets running commands finish for up to `grace`, then kills what is left.
    pub async fn shutdown(mut self, grace: Duration) {
        let all_done = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all_done).await.is_err() {
            self.stop.cancel();
            while self.tasks.join_next().await.is_some() {}
        }
    }
}

async fn run_one(
    argv: &[String],
    env: Vec<(&'static str, String)>,
    timeout: Duration,
    stop: &CancellationToken,
    label: &str,
) {
    let (mut child, output) = match spawn(argv, env) {
        Ok(spawned) => spawned,
        Err(err) => {
            log(&format!("--exec for {label}: cannot run {}: {err}", argv[0]));
            return;
        }
    };
    let tail = Arc::new(Mutex::new(Tail::default()));
    let mut readers = tokio::task::JoinSet::new();
    readers.spawn(keep_tail(output, tail.clone()));
    let why = tokio::select! {
        status = child.wait() => {
            let _ = tokio::time::timeout(OUTPUT_GRACE, readers.join_all()).await;
            log_output(label, &tail);
            match status {
                Ok(status) if status.success() => tracing::debug!("--exec for {label} done"),
                Ok(status) => log(&format!("--exec for {label} failed: {status}")),
                Err(err) => log(&format!("--exec for {label}: {err}")),
            }
            return;
        }
        () = tokio::time::sleep(timeout) => format!("timed out after {}s", timeout.as_secs_f64()),
        () = stop.cancelled() => "stopped: watch is shutting down".to_owned(),
    };
    if let Some(pid) = child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)) {
        // Killing the group takes the command's own children with it.
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill().await;
    readers.abort_all();
    log_output(label, &tail);
    log(&format!("--exec for {label} {why}; killed"));
}

/// Starts the command with its stdout and stderr on one pipe (in the order it wrote them, as
/// `2>&1` would), returned for reading. Stdout carries the event lines: what the command
/// prints goes with the logs.
fn spawn(
    argv: &[String],
    env: Vec<(&'static str, String)>,
) -> std::io::Result<(tokio::process::Child, tokio::net::unix::pipe::Receiver)> {
    let (reader, writer) = std::io::pipe()?;
    let mut command = tokio::process::Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .envs(env)
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer)
        // Its own process group, so that a timeout ends whatever it started too.
        .process_group(0)
        .kill_on_drop(true);
    let child = command.spawn()?;
    // The pipe ends when the command and what it started are done with it: not this copy.
    drop(command);
    let output = tokio::net::unix::pipe::Receiver::from_owned_fd(std::os::fd::OwnedFd::from(reader))?;
    Ok((child, output))
}

/// The end of a command's output, and how many bytes came before it.
#[derive(Default)]
struct Tail {
    bytes: VecDeque<u8>,
    dropped: u64,
}

impl Tail {
    fn push(&mut self, chunk: &[u8]) {
        self.bytes.extend(chunk);
        let over = self.bytes.len().saturating_sub(KEPT_OUTPUT);
        self.bytes.drain(..over);
        self.dropped += over as u64;
    }
}

/// Reads `pipe` to its end into `tail`.
async fn keep_tail(mut pipe: impl AsyncRead + Unpin, tail: Arc<Mutex<Tail>>) {
    let mut buffer = vec![0; 16 * 1024];
    while let Ok(read) = pipe.read(&mut buffer).await {
        if read == 0 {
            break;
        }
        tail.lock().unwrap_or_else(PoisonError::into_inner).push(&buffer[..read]);
    }
}

/// Logs what is kept of a command's output, line by line.
fn log_output(label: &str, tail: &Mutex<Tail>) {
    let mut tail = std::mem::take(&mut *tail.lock().unwrap_or_else(PoisonError::into_inner));
    if tail.dropped > 0 {
        log(&format!(
            "--exec for {label} printed {} bytes more than the last {KEPT_OUTPUT} shown",
            tail.dropped
        ));
    }
    let text = String::from_utf8_lossy(tail.bytes.make_contiguous()).into_owned();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        log(&format!("--exec for {label}: {line}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_end_of_the_output_is_kept() {
        let mut tail = Tail::default();
        tail.push(&[b'a'; 3000]);
        tail.push(&[b'b'; 3000]);
        assert_eq!(tail.bytes.len(), KEPT_OUTPUT);
        assert_eq!(tail.dropped, 6000 - KEPT_OUTPUT as u64);
        assert_eq!(tail.bytes.back(), Some(&b'b'));
    }

    #[test]
    fn commands_are_split_like_a_shell_but_need_a_program() {
        let runner =
            ExecRunner::new("curl -d 'motion at the door' https://ntfy.sh/x", Duration::from_secs(1))
                .expect("valid");
        assert_eq!(runner.argv, ["curl", "-d", "motion at the door", "https://ntfy.sh/x"]);
        assert!(ExecRunner::new("   ", Duration::from_secs(1)).is_err());
        assert!(ExecRunner::new("echo 'unclosed", Duration::from_secs(1)).is_err());
    }
}
