//! `blinktui watch` as a real process against the simulator: outages, kills, hanging commands.

mod common;

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use blinktui::sim::Fault;
use common::cli::Cli;
use common::disk::SmallDisk;
use common::{eventually, quiet_config};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

const DRIVEWAY: u64 = 400102;
const CHANGED: &str = "/api/v1/accounts/*/media/changed";
const WAIT: Duration = Duration::from_secs(30);
const MANIFEST_REQUEST: &str = "/api/v1/accounts/*/networks/*/sync_modules/*/local_storage/manifest/request";

/// A running `blinktui watch`: its stdout line by line, its stderr collected.
struct Watch {
    child: tokio::process::Child,
    lines: mpsc::UnboundedReceiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Watch {
    /// Starts watch and waits for its first poll.
    async fn start(cli: &Cli, args: &[&str]) -> Self {
        Self::start_command(cli, cli.command(&[&["watch", "--interval", "200ms"], args].concat())).await
    }

    /// Starts `command` (a watch) and waits for its first poll.
    async fn start_command(cli: &Cli, mut command: tokio::process::Command) -> Self {
        let polls = cli.h.count("GET", CHANGED);
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn watch");
        let (sender, lines) = mpsc::unbounded_channel();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                let _ = sender.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let collected = stderr.clone();
        let mut errors = BufReader::new(child.stderr.take().expect("stderr")).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = errors.next_line().await {
                let mut all = collected.lock().expect("stderr");
                all.push_str(&line);
                all.push('\n');
            }
        });
        let watch = Self { child, lines, stderr };
        assert!(
            eventually(WAIT, || cli.h.count("GET", CHANGED) > polls).await,
            "no poll: {}",
            watch.stderr()
        );
        watch
    }

    async fn next_event(&mut self) -> serde_json::Value {
        let line = tokio::time::timeout(WAIT, self.lines.recv())
            .await
            .unwrap_or_else(|_| panic!("no event line; stderr: {}", self.stderr()))
            .expect("stdout open");
        serde_json::from_str(&line).unwrap_or_else(|err| panic!("{err}: {line}"))
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }

    /// SIGTERM, then the exit status and whatever else it printed.
    async fn stop(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)).expect("pid");
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM");
        let status = tokio::time::timeout(WAIT, self.child.wait()).await.expect("stops").expect("status");
        let mut rest = Vec::new();
        while let Some(line) = self.lines.recv().await {
            rest.push(line);
        }
        (status, rest)
    }
}

fn add_event(cli: &Cli) -> u64 {
    cli.world(|w| w.add_media(DRIVEWAY, jiff::Timestamp::now(), "pir")).expect("event")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn is_part(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".blinktui-") && n.ends_with(".part"))
}

#[tokio::test]
async fn an_outage_loses_no_event_and_repeats_none_even_across_a_restart() {
    let cli = Cli::logged_in(quiet_config()).await;
    let mut watch = Watch::start(&cli, &[]).await;
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a);

    // Blink goes down; two events happen meanwhile.
    cli.h.sim.faults().inject(None, "*", Fault::Status(503), None);
    let (b, c) = (add_event(&cli), add_event(&cli));
    let failed = || cli.h.sim.faults().requests().iter().filter(|r| r.status == 503).count();
    assert!(eventually(WAIT, || failed() >= 3).await, "polls go on through the outage");
    // It comes back flaky: two dropped connections, then answers.
    cli.h.sim.faults().clear();
    cli.h.sim.faults().inject(None, CHANGED, Fault::DropConnection, Some(2));
    assert_eq!(watch.next_event().await["id"], b);
    assert_eq!(watch.next_event().await["id"], c);
    let d = add_event(&cli);
    let event = watch.next_event().await;
    assert_eq!(event["id"], d);
    assert_eq!((event["camera"].as_str(), event["network"].as_str()), (Some("Driveway"), Some("Home")));
    assert_eq!(event["camera_id"], DRIVEWAY);
    assert_eq!(event["source"], "pir");
    assert!(event["time"].as_str().is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok()), "{event}");
    let log = watch.stderr();
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(rest.is_empty(), "nothing reported twice: {rest:?}");
    assert!(log.contains("next try in") && log.contains("resuming"), "{log}");

    // A restart reports only what is new.
    let mut watch = Watch::start(&cli, &[]).await;
    let e = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], e);
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "{rest:?}");
}

#[tokio::test]
async fn a_download_killed_halfway_leaves_no_partial_clip_and_the_next_run_completes_it() {
    let cli = Cli::logged_in(quiet_config()).await;
    let archive = cli.h.dir.path().join("archive");
    let stall = Fault::StallBody { start: Fault::mp4_start(), bytes: 1 << 20 };
    cli.h.sim.faults().inject(Some("GET"), "*.mp4", stall, None);
    let mut watch = Watch::start(&cli, &["--download", "archive"]).await;
    let a = add_event(&cli);
    assert!(
        eventually(WAIT, || files_under(&archive).iter().any(|p| is_part(p))).await,
        "the download started: {}",
        watch.stderr()
    );
    watch.child.start_kill().expect("kill -9");
    watch.child.wait().await.expect("killed");
    let left = files_under(&archive);
    let hidden =
        |p: &PathBuf| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(".blinktui-"));
    assert!(left.iter().all(hidden), "nothing under a final name: {left:?}");
    assert!(watch.lines.recv().await.is_none(), "not reported before it was archived");

    cli.h.sim.faults().clear();
    let mut watch = Watch::start(&cli, &["--download", "archive"]).await;
    let event = watch.next_event().await;
    assert_eq!(event["id"], a);
    let clip = PathBuf::from(event["clip"].as_str().expect("clip path"));
    let thumbnail = PathBuf::from(event["thumbnail"].as_str().expect("thumbnail path"));
    let client = cli.h.login().await;
    let media =
        cli.world(|w| w.media.iter().find(|m| m.id == a).and_then(|m| m.media.clone())).expect("media");
    let served = client.download(&media, blinktui::api::MediaKind::Mp4).await.expect("clip");
    assert_eq!(std::fs::read(&clip).expect("archived clip"), served, "the whole clip");
    assert!(std::fs::read(&thumbnail).expect("thumbnail").starts_with(&[0xFF, 0xD8, 0xFF]));
    let day = clip.parent().expect("day directory");
    assert!(
        day.starts_with(archive.canonicalize().expect("archive").join("home").join("driveway")),
        "{clip:?}"
    );
    assert!(clip.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(&format!("_{a}.mp4"))));
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "{rest:?}");
    let parts: Vec<_> = files_under(&archive).into_iter().filter(|p| is_part(p)).collect();
    assert!(parts.is_empty(), "the killed run's temporary file is cleaned up: {parts:?}");
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[tokio::test]
async fn a_hanging_exec_is_killed_with_what_it_started_and_watch_goes_on() {
    let cli = Cli::logged_in(quiet_config()).await;
    let home = cli.h.dir.path();
    let script = "echo \"$BLINK_EVENT_ID|$BLINK_CAMERA|$BLINK_NETWORK|$BLINK_SOURCE|$BLINK_THUMBNAIL\" >> seen.txt; \
                  sleep 1000 & echo $! > \"sleeper-$BLINK_EVENT_ID\"; wait";
    let exec = format!("sh -c '{script}'");
    let mut watch = Watch::start(&cli, &["--exec", &exec, "--exec-timeout", "1s"]).await;
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a);
    let timed_out = format!("--exec for event {a} timed out");
    assert!(eventually(WAIT, || watch.stderr().contains(&timed_out)).await, "{}", watch.stderr());
    let sleeper = read_pid(&home.join(format!("sleeper-{a}"))).expect("the command started a child");
    assert!(eventually(WAIT, || !alive(sleeper)).await, "the command's own child is killed too");
    let seen = std::fs::read_to_string(home.join("seen.txt")).expect("the command ran");
    let fields: Vec<&str> = seen.trim().split('|').collect();
    assert_eq!(fields[..4], [a.to_string().as_str(), "Driveway", "Home", "pir"], "{seen}");
    assert!(std::fs::read(fields[4]).expect("BLINK_THUMBNAIL").starts_with(&[0xFF, 0xD8, 0xFF]));

    let b = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], b, "a failed command is not fatal");
    assert!(eventually(WAIT, || home.join(format!("sleeper-{b}")).exists()).await);
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    let sleeper = read_pid(&home.join(format!("sleeper-{b}"))).expect("pid");
    assert!(eventually(WAIT, || !alive(sleeper)).await, "stopping watch ends running commands");
}

#[tokio::test]
async fn at_most_four_commands_run_at_once() {
    let cli = Cli::logged_in(quiet_config()).await;
    let home = cli.h.dir.path();
    std::fs::create_dir(home.join("pids")).expect("dir");
    // Each command counts the others still running when it starts, then hangs.
    let script = "n=0; for f in pids/*; do [ -e \"$f\" ] && kill -0 $(cat \"$f\") 2>/dev/null && n=$((n+1)); done; \
                  echo $n >> counts; echo $$ > pids/$BLINK_EVENT_ID; exec sleep 1000";
    let exec = format!("sh -c '{script}'");
    let mut watch = Watch::start(&cli, &["--exec", &exec, "--exec-timeout", "1s"]).await;
    let events: Vec<u64> = (0..6).map(|_| add_event(&cli)).collect();
    for _ in &events {
        watch.next_event().await;
    }
    let counts = || std::fs::read_to_string(home.join("counts")).unwrap_or_default();
    assert!(eventually(WAIT, || counts().lines().count() == 6).await, "{}", counts());
    let most = counts().lines().filter_map(|n| n.trim().parse::<u32>().ok()).max();
    assert!(most.is_some_and(|n| n <= 3), "at most three others running: {}", counts());
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn a_refused_session_ends_watch_with_exit_3() {
    let cli = Cli::logged_in(quiet_config()).await;
    let watch = Watch::start(&cli, &[]).await;
    cli.h.sim.faults().inject(None, "*", Fault::Unauthorized, None);
    let mut watch = watch;
    let status = tokio::time::timeout(WAIT, watch.child.wait()).await.expect("exits").expect("status");
    assert_eq!(status.code(), Some(3), "{}", watch.stderr());
    assert!(watch.stderr().contains("blinktui login"), "{}", watch.stderr());
}

#[tokio::test]
async fn since_backfills_once_and_keep_removes_only_old_archive_files() {
    let cli = Cli::logged_in(quiet_config()).await;
    let ten_minutes_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(10);
    let earlier = cli.world(|w| w.add_media(DRIVEWAY, ten_minutes_ago, "pir")).expect("event");
    let archive = cli.h.dir.path().join("archive");
    let stranger = archive.join("home").join("driveway").join("2020-01-01").join("08-00-00_1.mp4");
    std::fs::create_dir_all(stranger.parent().expect("dir")).expect("dir");
    std::fs::write(&stranger, b"an old archived clip").expect("old clip");
    let mine = archive.join("notes.txt");
    std::fs::write(&mine, b"not the archive's").expect("notes");

    let args = ["--since", "15m", "--download", "archive", "--keep", "30d"];
    let mut watch = Watch::start(&cli, &args).await;
    let event = watch.next_event().await;
    assert_eq!(event["id"], earlier, "backfilled");
    assert!(event["clip"].as_str().is_some_and(|p| Path::new(p).exists()), "{event}");
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "{rest:?}");
    assert!(!stranger.exists(), "older than 30 days");
    assert!(mine.exists(), "only the archive's own files are removed");

    let watch = Watch::start(&cli, &args).await;
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "a finished run's events are not reported again: {rest:?}");
}

#[tokio::test]
async fn without_a_terminal_sighup_reloads_the_config_and_a_second_watch_is_refused_by_pid() {
    let cli = Cli::logged_in(quiet_config()).await;
    // Without a controlling terminal, as under systemd: SIGHUP means "reload".
    let mut watch =
        Watch::start_command(&cli, cli.command_without_terminal(&["watch", "--interval", "200ms"])).await;
    let second = cli.run(&["watch", "--interval", "200ms"]).await;
    assert_eq!(second.status.code(), Some(1));
    let refusal = common::cli::stderr(&second);
    assert!(refusal.contains("another blinktui watch runs"), "{refusal}");
    let holder = watch.child.id().expect("pid");
    assert!(refusal.contains(&format!("pid {holder}")), "the refusal names the holder: {refusal}");

    let pid = watch.child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)).expect("pid");
    let text = std::fs::read_to_string(&cli.config).expect("config");
    std::fs::write(&cli.config, format!("{text}download_delay_ms = \"soon\"\n")).expect("break the config");
    rustix::process::kill_process(pid, rustix::process::Signal::HUP).expect("SIGHUP");
    assert!(eventually(WAIT, || watch.stderr().contains("config not reloaded")).await, "{}", watch.stderr());
    std::fs::write(&cli.config, text).expect("mend the config");
    rustix::process::kill_process(pid, rustix::process::Signal::HUP).expect("SIGHUP");
    assert!(eventually(WAIT, || watch.stderr().contains("config reloaded")).await, "{}", watch.stderr());
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a, "still watching");
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn sigterm_during_a_download_abandons_it_cleanly_and_exits_0() {
    let cli = Cli::logged_in(quiet_config()).await;
    let archive = cli.h.dir.path().join("archive");
    let stall = Fault::StallBody { start: Fault::mp4_start(), bytes: 1 << 20 };
    cli.h.sim.faults().inject(Some("GET"), "*.mp4", stall, None);
    let watch = Watch::start(&cli, &["--download", "archive"]).await;
    add_event(&cli);
    assert!(
        eventually(WAIT, || files_under(&archive).iter().any(|p| is_part(p))).await,
        "{}",
        watch.stderr()
    );
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "not reported: the next run does it with its clip: {rest:?}");
    let left: Vec<_> =
        files_under(&archive).into_iter().filter(|p| !p.ends_with(".blinktui-watch.lock")).collect();
    assert!(left.is_empty(), "the part file went with the abandoned download: {left:?}");
}

/// `blinktui watch --interval 200ms` in a pseudo-terminal of its own: the terminal's master end
/// (dropping it closes the terminal) and the process.
fn watch_in_a_terminal(
    cli: &Cli,
) -> (Box<dyn portable_pty::MasterPty + Send>, Box<dyn portable_pty::Child + Send + Sync>) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols: 200, pixel_width: 0, pixel_height: 0 })
        .expect("pty");
    let home = cli.h.dir.path();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_blinktui"));
    command.args(["watch", "--interval", "200ms"]);
    command.env_clear();
    command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.env("HOME", home);
    command.env("XDG_CACHE_HOME", home.join("xdg-cache"));
    command.env("BLINKTUI_STATE_DIR", cli.h.store.dir());
    command.env("BLINKTUI_CONFIG", &cli.config);
    command.env("BLINKTUI_OAUTH_URL", cli.h.sim.url());
    command.env("BLINKTUI_REST_URL", cli.h.sim.url());
    command.cwd(home);
    let child = pair.slave.spawn_command(command).expect("spawn watch");
    drop(pair.slave);
    (pair.master, child)
}

#[tokio::test]
async fn on_a_terminal_each_event_is_a_readable_line() {
    let cli = Cli::logged_in(quiet_config()).await;
    let polls = cli.h.count("GET", CHANGED);
    let (master, mut child) = watch_in_a_terminal(&cli);
    let mut reader = master.try_clone_reader().expect("reader");
    let output = Arc::new(Mutex::new(String::new()));
    let collected = output.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(read) = reader.read(&mut buffer) {
            if read == 0 {
                break;
            }
            collected.lock().expect("output").push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
    });
    let seen = || output.lock().expect("output").clone();
    assert!(eventually(WAIT, || cli.h.count("GET", CHANGED) > polls).await, "{}", seen());
    let a = add_event(&cli);
    // The same word as the UI and `blinktui events`: `motion`, not Blink's `pir`.
    let line = format!("Driveway  (Home)  motion  event {a}");
    assert!(eventually(WAIT, || seen().contains(&line)).await, "{}", seen());
    assert!(!seen().contains("{\"id\""), "no JSON on a terminal without --json: {}", seen());
    child.kill().expect("stop watch");
    drop(master);
}

#[tokio::test]
async fn an_event_waits_for_its_clip_and_a_hook_gets_the_file() {
    let cli = Cli::logged_in(quiet_config()).await;
    let archive = cli.h.dir.path().join("archive");
    let seen = cli.h.dir.path().join("seen.txt");
    // The first attempt and the client's own retry of it both fail.
    cli.h.sim.faults().inject(Some("GET"), "*.mp4", Fault::Status(500), Some(2));
    let exec = format!("sh -c 'echo \"$BLINK_EVENT_ID|$BLINK_CLIP|$BLINK_CLIP_LATE\" >> {}'", seen.display());
    let mut watch = Watch::start(&cli, &["--download", "archive", "--exec", &exec]).await;
    let a = add_event(&cli);
    let event = watch.next_event().await;
    assert_eq!(event["id"], a);
    let clip = event["clip"].as_str().unwrap_or_else(|| panic!("announced with its clip: {event}"));
    assert!(std::fs::read(clip).expect("clip")[4..8] == *b"ftyp");
    assert!(event.get("clip_late").is_none(), "{event}");
    let retried = format!("event {a}: clip not archived");
    assert!(eventually(WAIT, || watch.stderr().contains(&retried)).await, "{}", watch.stderr());
    let hooked = || std::fs::read_to_string(&seen).unwrap_or_default();
    assert!(eventually(WAIT, || hooked().contains(&format!("{a}|{clip}|\n"))).await, "{}", hooked());
    let clips: Vec<_> =
        files_under(&archive).into_iter().filter(|p| p.extension().is_some_and(|e| e == "mp4")).collect();
    assert_eq!(clips.len(), 1, "{clips:?}");
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "announced once: {rest:?}");
}

#[tokio::test]
async fn an_event_whose_clip_keeps_failing_is_announced_without_it_and_again_with_it() {
    let cli = Cli::logged_in(quiet_config()).await;
    let seen = cli.h.dir.path().join("seen.txt");
    cli.h.sim.faults().inject(Some("GET"), "*.mp4", Fault::Status(500), None);
    let exec = format!("sh -c 'echo \"$BLINK_EVENT_ID|$BLINK_CLIP|$BLINK_CLIP_LATE\" >> {}'", seen.display());
    let mut watch = Watch::start(&cli, &["--download", "archive", "--exec", &exec]).await;
    let a = add_event(&cli);
    let first = watch.next_event().await;
    assert_eq!(first["id"], a);
    assert!(first.get("clip").is_none(), "held for a few tries, then announced without: {first}");
    let released = format!("event {a}: announced without its clip");
    assert!(eventually(WAIT, || watch.stderr().contains(&released)).await, "{}", watch.stderr());

    cli.h.sim.faults().clear();
    let again = watch.next_event().await;
    assert_eq!(again["id"], a);
    assert_eq!(again["clip_late"], true, "{again}");
    let clip = again["clip"].as_str().unwrap_or_else(|| panic!("with its clip now: {again}"));
    assert!(Path::new(clip).exists());
    let hooked = || std::fs::read_to_string(&seen).unwrap_or_default();
    let both = format!("{a}||\n{a}|{clip}|1\n");
    assert!(eventually(WAIT, || hooked() == both).await, "{}", hooked());
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "{rest:?}");
}

#[tokio::test]
async fn usb_stick_clips_are_reported_and_archived_like_cloud_events() {
    let cli = Cli::logged_in(quiet_config()).await;
    let ten_minutes_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(10);
    let on_stick = cli.world(|w| w.add_usb_clip(DRIVEWAY, ten_minutes_ago)).expect("Home has a stick");
    let args = ["--since", "3h", "--download", "archive"];
    let mut watch = Watch::start(&cli, &args).await;
    let event = loop {
        let event = watch.next_event().await;
        if event["id"] == on_stick {
            break event;
        }
    };
    assert_eq!(event["source"], "usb", "{event}");
    assert_eq!(event["camera"], "Driveway", "{event}");
    let clip = PathBuf::from(event["clip"].as_str().unwrap_or_else(|| panic!("archived: {event}")));
    let bytes = std::fs::read(&clip).expect("the archived clip");
    assert_eq!(&bytes[4..8], b"ftyp", "an MP4 from the stick");
    assert!(clip.starts_with(cli.h.dir.path().join("archive").join("home").join("driveway")), "{clip:?}");
    assert!(cli.h.count("POST", MANIFEST_REQUEST) >= 1);
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));

    // A clip the stick recorded two hours ago while the site was offline, and a cloud event
    // since: the stick clip is reported though its time is long inside what the mark covers.
    let two_hours_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    let offline = cli.world(|w| w.add_usb_clip(DRIVEWAY, two_hours_ago)).expect("stick clip");
    add_event(&cli);
    let mut watch = Watch::start(&cli, &args).await;
    let late = loop {
        let event = watch.next_event().await;
        assert_ne!(event["id"], on_stick, "reported once: {event}");
        if event["id"] == offline {
            break event;
        }
    };
    assert_eq!(late["source"], "usb", "{late}");
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));

    let watch = Watch::start(&cli, &args).await;
    assert!(
        eventually(WAIT, || cli.h.count("POST", MANIFEST_REQUEST) >= 2).await,
        "the second run reads the stick"
    );
    // The poll after the one that read the stick: what that one found is reported by then.
    let polls = cli.h.count("GET", CHANGED);
    assert!(eventually(WAIT, || cli.h.count("GET", CHANGED) > polls).await);
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    let once = |line: &String| !line.contains(&on_stick.to_string()) && !line.contains(&offline.to_string());
    assert!(rest.iter().all(once), "reported once: {rest:?}");
}

#[tokio::test]
async fn a_full_state_disk_across_two_token_refreshes_loses_neither_watch_nor_the_session() {
    use blinktui::sim::SimConfig;
    // Under a minute of life: each request refreshes the token first.
    let sim = SimConfig { token_lifetime: Duration::from_secs(30), ..quiet_config() };
    let cli = Cli::logged_in(sim).await;
    let disk = SmallDisk::new(cli.h.dir.path().join("small-state"));
    disk.copy_state_from(cli.h.store.dir());
    let store = blinktui::api::SessionStore::new(&disk.dir);
    let mut command = cli.command(&["watch", "--interval", "5s"]);
    command.env("BLINKTUI_STATE_DIR", &disk.dir);
    let mut watch = Watch::start_command(&cli, command).await;
    let pid = watch.child.id().expect("pid");

    disk.fill(pid);
    let refreshes = cli.h.count("POST", "/oauth/token");
    assert!(
        eventually(Duration::from_secs(60), || cli.h.count("POST", "/oauth/token") >= refreshes + 2).await,
        "{}",
        watch.stderr()
    );
    assert!(eventually(WAIT, || watch.stderr().contains("could not save the Blink session since")).await);
    assert!(watch.child.try_wait().expect("status").is_none(), "watch goes on: {}", watch.stderr());
    assert!(store.load().expect("session.json is intact").is_some(), "session.json survives");

    disk.free(pid);
    assert!(
        eventually(Duration::from_secs(60), || watch.stderr().contains("the session is saved again")).await,
        "{}",
        watch.stderr()
    );
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    let mut status = cli.command(&["status"]);
    status.env("BLINKTUI_STATE_DIR", &disk.dir);
    let output = status.output().await.expect("status");
    common::cli::assert_exit(&output, 0);
}

#[tokio::test]
async fn a_read_only_state_directory_refreshes_in_memory_and_watch_goes_on() {
    let cli = Cli::logged_in(quiet_config()).await;
    let disk = SmallDisk::new(cli.h.dir.path().join("read-only-state"));
    disk.copy_state_from(cli.h.store.dir());
    if !disk.read_only() {
        return;
    }
    cli.h.sim.with_oauth(|o| o.expire_access_tokens());
    let mut command = cli.command(&["watch", "--interval", "200ms"]);
    command.env("BLINKTUI_STATE_DIR", &disk.dir);
    let mut watch = Watch::start_command(&cli, command).await;
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a);
    assert_eq!(cli.h.count("POST", "/oauth/token"), 2, "login and a refresh in memory");
    let warned = || {
        let said = watch.stderr();
        said.contains("could not save the Blink session since") && said.contains("going on without the lock")
    };
    assert!(eventually(WAIT, warned).await, "{}", watch.stderr());
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn watch_starts_on_a_full_state_directory_and_keeps_its_mark_in_memory() {
    let cli = Cli::logged_in(quiet_config()).await;
    let disk = SmallDisk::new(cli.h.dir.path().join("full-state"));
    if !disk.mounted {
        return; // said loudly by SmallDisk
    }
    disk.copy_state_from(cli.h.store.dir());
    disk.fill(0);
    let mut command = cli.command(&["watch", "--interval", "200ms"]);
    command.env("BLINKTUI_STATE_DIR", &disk.dir);
    let mut watch = Watch::start_command(&cli, command).await;
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a);
    let b = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], b, "a is not reported again: the mark is in memory");
    assert!(eventually(WAIT, || watch.stderr().contains("kept in memory")).await, "{}", watch.stderr());
    let (status, rest) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
    assert!(rest.is_empty(), "{rest:?}");
}

#[tokio::test]
async fn a_hook_that_prints_without_end_costs_only_the_last_4_kb_of_log() {
    let cli = Cli::logged_in(quiet_config()).await;
    let script = "head -c 3000000 /dev/zero | tr \"\\0\" x; echo; echo \"last line of $BLINK_EVENT_ID\" >&2";
    let exec = format!("sh -c '{script}'");
    let mut watch = Watch::start(&cli, &["--exec", &exec]).await;
    let a = add_event(&cli);
    assert_eq!(watch.next_event().await["id"], a);
    let last = format!("--exec for event {a}: last line of {a}");
    assert!(eventually(WAIT, || watch.stderr().contains(&last)).await, "{}", watch.stderr().len());
    let said = watch.stderr();
    assert!(said.len() < 16 * 1024, "{} bytes on stderr", said.len());
    assert!(said.contains("bytes more than the last 4096 shown"), "{said}");
    let (status, _) = watch.stop().await;
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn a_stderr_nobody_reads_never_holds_up_the_events() {
    let cli = Cli::logged_in(quiet_config()).await;
    // Each hook prints more than a pipe holds, and stderr is never read.
    let exec = "sh -c 'head -c 70000 /dev/zero | tr \"\\0\" x; echo'";
    let polls = cli.h.count("GET", CHANGED);
    let mut child = cli
        .command(&["watch", "--interval", "200ms", "--exec", exec])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn watch");
    let _unread = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    assert!(eventually(WAIT, || cli.h.count("GET", CHANGED) > polls).await, "no poll");
    let mut reported = Vec::new();
    for _ in 0..30 {
        let id = add_event(&cli);
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("event {id} not reported; reported: {reported:?}"))
            .expect("stdout")
            .expect("a line");
        let event: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(event["id"], id);
        reported.push(id);
    }
    child.kill().await.expect("stop watch");
}

#[tokio::test]
async fn sigquit_stops_watch_cleanly() {
    let cli = Cli::logged_in(quiet_config()).await;
    let mut watch = Watch::start(&cli, &[]).await;
    let pid = watch.child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)).expect("pid");
    rustix::process::kill_process(pid, rustix::process::Signal::QUIT).expect("SIGQUIT");
    let status = tokio::time::timeout(WAIT, watch.child.wait()).await.expect("stops").expect("status");
    assert_eq!(status.code(), Some(0), "{}", watch.stderr());
    assert!(eventually(WAIT, || watch.stderr().contains("stopping (SIGQUIT)")).await, "{}", watch.stderr());
}

#[tokio::test]
async fn closing_its_terminal_stops_watch_and_frees_the_account() {
    let cli = Cli::logged_in(quiet_config()).await;
    let polls = cli.h.count("GET", CHANGED);
    let (master, mut child) = watch_in_a_terminal(&cli);
    // Nothing reads the terminal: its few lines fit in its buffer, and a reader would hold the
    // terminal open.
    assert!(eventually(WAIT, || cli.h.count("GET", CHANGED) > polls).await, "no poll");
    let pid = child.process_id().expect("pid");

    drop(master); // the terminal window closes
    assert!(eventually(WAIT, || !alive(pid)).await, "watch ended with its terminal");
    let _ = child.wait();
    let mut again = Watch::start(&cli, &[]).await;
    let a = add_event(&cli);
    assert_eq!(again.next_event().await["id"], a, "a new watch runs for the account");
    let (status, _) = again.stop().await;
    assert_eq!(status.code(), Some(0));
}
