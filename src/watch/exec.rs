//! `watch --exec CMD`: CMD runs per new event, split into words as a shell would but run
//! without one, with the event in `BLINK_*` variables. At most [`MAX_RUNNING`] run at once;
//! each is killed, with everything it started, when it outlives its timeout. Its failures are
//! logged and never stop watch.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::report::log;

/// Commands running at the same time, at most.
pub const MAX_RUNNING: usize = 4;
/// Commands waiting for a turn, at most; more are skipped (and logged) rather than queued
/// without bound behind commands that hang.
const MAX_WAITING: usize = 64;

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
    let mut command = tokio::process::Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .envs(env)
        .stdin(Stdio::null())
        // Stdout carries the event lines: what the command prints goes with the logs.
        .stdout(Stdio::from(std::io::stderr()))
        // Its own process group, so that a timeout ends whatever it started too.
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            log(&format!("--exec for {label}: cannot run {}: {err}", argv[0]));
            return;
        }
    };
    let why = tokio::select! {
        status = child.wait() => {
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
    log(&format!("--exec for {label} {why}; killed"));
}

#[cfg(test)]
mod tests {
    use super::*;

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
