//! The CLI as a real process against a simulator: a config tuned for quick tests, the session
//! shared with the harness, and helpers to read what it printed.

use std::path::PathBuf;
use std::process::{Output, Stdio};

use blinktui::sim::SimConfig;
use tokio::io::AsyncWriteExt;

use super::{Harness, start};

pub struct Cli {
    pub h: Harness,
    pub config: PathBuf,
}

impl Cli {
    pub async fn new(sim: SimConfig) -> Self {
        let h = start(sim).await;
        let config = h.dir.path().join("config.toml");
        std::fs::write(
            &config,
            "[politeness]\ncommand_poll_ms = 100\ncommand_spacing_ms = 0\ndownload_delay_ms = 0\nmax_retries = 1\n",
        )
        .expect("config");
        Self { h, config }
    }

    pub async fn logged_in(sim: SimConfig) -> Self {
        let cli = Self::new(sim).await;
        cli.h.login().await;
        cli
    }

    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        self.command_via(&[], args)
    }

    /// blinktui in a session of its own, without a controlling terminal, as a service runs.
    pub fn command_without_terminal(&self, args: &[&str]) -> tokio::process::Command {
        self.command_via(&["setsid"], args)
    }

    /// blinktui started through `wrapper` (a program and its arguments), if any.
    fn command_via(&self, wrapper: &[&str], args: &[&str]) -> tokio::process::Command {
        let blinktui = env!("CARGO_BIN_EXE_blinktui");
        let mut command = tokio::process::Command::new(wrapper.first().copied().unwrap_or(blinktui));
        if !wrapper.is_empty() {
            command.args(&wrapper[1..]).arg(blinktui);
        }
        let home = self.h.dir.path();
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_CACHE_HOME", home.join("xdg-cache"))
            .env("BLINKTUI_STATE_DIR", self.h.store.dir())
            .env("BLINKTUI_CONFIG", &self.config)
            .env("BLINKTUI_OAUTH_URL", self.h.sim.url())
            .env("BLINKTUI_REST_URL", self.h.sim.url())
            .current_dir(home)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().await.expect("run blinktui")
    }

    pub async fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).await.expect("write stdin");
        drop(stdin);
        child.wait_with_output().await.expect("wait")
    }

    pub fn world<R>(&self, f: impl FnOnce(&mut blinktui::sim::world::World) -> R) -> R {
        self.h.sim.with_world(f)
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "stdout: {}\nstderr: {}", stdout(output), stderr(output));
}

pub fn network_armed(cli: &Cli, id: u64) -> bool {
    cli.world(|w| w.network(id).expect("network").network.armed)
}
