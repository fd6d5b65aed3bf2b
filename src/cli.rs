//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::GraphicsMode;

mod watch_args;
pub use watch_args::{WatchArgs, parse_duration};

#[derive(Debug, Parser)]
#[command(
    name = "blinktui",
    version,
    about = "Watch and control Blink home cameras from the terminal",
    long_about = "Watch and control Blink home cameras from the terminal.\n\n\
                  Without a command, starts the terminal UI. The commands below do one thing and exit, \
                  for scripts. Exit codes: 0 ok, 1 failure, 2 usage, 3 login needed, 4 rate limited, \
                  5 Blink command failed, 6 outcome unknown \
                  (check with `status` before sending it again)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading of the options every command takes, listed after a command's own.
const GLOBAL: &str = "Global options";

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Config file [default: the platform config directory's blinktui/config.toml].
    #[arg(long, global = true, env = "BLINKTUI_CONFIG", value_name = "FILE", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// OAuth base URL [default: https://api.oauth.blink.com].
    #[arg(long, global = true, env = "BLINKTUI_OAUTH_URL", value_name = "URL", help_heading = GLOBAL)]
    pub oauth_url: Option<String>,
    /// REST base URL; `{tier}` becomes the account's tier [default: https://rest-{tier}.immedia-semi.com].
    #[arg(long, global = true, env = "BLINKTUI_REST_URL", value_name = "URL", help_heading = GLOBAL)]
    pub rest_url: Option<String>,
    /// Use the built-in simulator of the Blink cloud instead of Blink (with a throwaway session).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo: bool,
    /// With --demo: start at the login screen instead of logged in.
    #[arg(long, requires = "demo")]
    pub login: bool,
    /// Monitor only: nothing that changes Blink can be sent.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub read_only: bool,
    /// How pictures are drawn; the commands that draw (`play`, `live`) take it too.
    #[command(flatten)]
    pub drawing: Drawing,
    /// Ring the terminal bell on new motion events.
    #[arg(long)]
    pub bell: bool,
    /// More detail in the log file (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
}

/// How to draw pictures: for the terminal UI and the commands that draw, listed only there.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Drawing {
    /// How to draw pictures.
    #[arg(long, value_enum, value_name = "MODE")]
    pub graphics: Option<GraphicsMode>,
    /// Draw no pictures (same as --graphics none).
    #[arg(long, conflicts_with = "graphics")]
    pub no_images: bool,
}

impl Drawing {
    /// The mode asked for, if any.
    pub fn mode(self) -> Option<GraphicsMode> {
        if self.no_images { Some(GraphicsMode::None) } else { self.graphics }
    }
}

impl Cli {
    /// The drawing mode asked for: the command's own flag wins over one before the command.
    pub fn graphics(&self) -> Option<GraphicsMode> {
        let own = match &self.command {
            Some(Command::Play { drawing, .. } | Command::Live { drawing, .. }) => drawing.mode(),
            _ => None,
        };
        own.or(self.global.drawing.mode())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in to Blink (asks for the password and, if Blink wants one, the code it sends).
    Login {
        /// Account e-mail [default: `email` from the config, or asked].
        #[arg(long)]
        email: Option<String>,
    },
    /// Forget the saved session.
    Logout,
    /// Networks and cameras.
    Status {
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Arm a network (by id or name).
    Arm(ArmArgs),
    /// Disarm a network (by id or name).
    Disarm(ArmArgs),
    /// Turn a camera's motion detection on or off.
    Motion {
        /// Camera id or name (any case; a unique start of the name is enough).
        camera: String,
        /// Turn detection on or off.
        state: OnOff,
        /// Return once Blink accepted the command instead of waiting for it to finish.
        #[arg(long)]
        no_wait: bool,
    },
    /// Take a new picture and save it as a JPEG.
    Snapshot {
        /// Camera id or name (any case; a unique start of the name is enough).
        camera: String,
        /// Output file [default: <camera>-<time>.jpg in the current directory].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Ask a camera to record a clip now.
    Clip {
        /// Camera id or name (any case; a unique start of the name is enough).
        camera: String,
        /// Return once Blink accepted the command instead of waiting for it to finish.
        #[arg(long)]
        no_wait: bool,
    },
    /// List motion events.
    Events {
        /// How far back: a duration (`2h`, `3d`), a date (`2026-11-01`) or a time (RFC 3339).
        #[arg(long, default_value = "24h", value_name = "WHEN")]
        since: String,
        /// Only this camera: id or name (any case; a unique start of the name is enough).
        #[arg(long, value_name = "CAMERA")]
        camera: Option<String>,
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Download the clips of motion events (skipping those already there).
    Download {
        /// How far back: a duration (`2h`, `3d`), a date (`2026-11-01`) or a time (RFC 3339).
        #[arg(long, default_value = "24h", value_name = "WHEN")]
        since: String,
        /// Only this camera: id or name (any case; a unique start of the name is enough).
        #[arg(long, value_name = "CAMERA")]
        camera: Option<String>,
        /// Target directory [default: `download_dir` from the config, or the current directory].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Play an event's clip, or a local MP4 file, full screen in this terminal.
    #[command(long_about = "Play an event's clip, or a local MP4 file, full screen in this terminal.\n\n\
        Keys: space pause/resume, left/right 5 s back/forward, , and . one frame back/forward, \
        q or Esc quit. Ends with the clip. Clips are decoded in blinktui (H.264 without \
        B-frames, as cameras record); others play through ffmpeg when it is installed.")]
    Play {
        /// An event id (from `blinktui events`) or the path of an MP4 file.
        target: String,
        #[command(flatten)]
        drawing: Drawing,
    },
    /// Watch a camera live in this terminal, or write its stream to a file or a pipe.
    #[command(long_about = "Watch a camera live, full screen in this terminal.\n\n\
        q or Esc ends it. --output FILE.ts also writes the stream as the camera sent it (MPEG-TS, \
        playable by ffmpeg or VLC); --output - writes it to stdout without drawing, for piping \
        into another program (`blinktui live Driveway --output - | ffplay -`). The session ends \
        when Blink's session length passes (usually 5 minutes) or after --seconds.")]
    Live {
        /// Camera id or name (any case; a unique start of the name is enough).
        camera: String,
        /// End after this many seconds, at least 1 (Blink's session length is the most).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        seconds: Option<u64>,
        /// Write the MPEG-TS stream to this file; `-` writes it to stdout and draws nothing.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        drawing: Drawing,
    },
    /// Mark motion events watched, as Blink's app does when you open one.
    Watched {
        /// Event ids, from `blinktui events`.
        #[arg(value_name = "EVENT_ID", required_unless_present = "all", conflicts_with = "all")]
        ids: Vec<u64>,
        /// Mark every event of the account watched.
        #[arg(long)]
        all: bool,
    },
    /// List programs (arm/disarm schedules).
    Programs {
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Enable or disable a program.
    Program {
        /// Enable or disable it.
        action: ProgramAction,
        /// Program id or name (any case; a unique start of the name is enough).
        program: String,
        /// The program's network, when names repeat across networks.
        #[arg(long, value_name = "NETWORK")]
        network: Option<String>,
    },
    /// Snooze the motion notifications of a network or a camera for a while.
    Snooze {
        /// Network or camera id or name (any case; a unique start of the name is enough).
        target: String,
        /// How long: 30m, 1h, 4h, 2d (minutes without a unit), or `forever` (until unsnoozed).
        duration: String,
    },
    /// End the snooze of a network or a camera.
    Unsnooze {
        /// Network or camera id or name (any case; a unique start of the name is enough).
        target: String,
    },
    /// Clips on a sync module's USB stick (local storage).
    Local {
        #[command(subcommand)]
        action: LocalAction,
    },
    /// Run headless: print each new motion event, archive clips, run a command per event.
    #[command(long_about = "Run headless (for systemd, a container or nohup): poll Blink, print each \
        new motion event once (JSON lines when stdout is not a terminal), optionally archive its clip \
        and run a command for it. A restart resumes where the last run stopped, without repeating \
        an event. SIGTERM or SIGINT stop it cleanly (exit 0), SIGHUP reloads the config; a session \
        Blink refuses ends it with exit code 3.")]
    Watch(Box<WatchArgs>),
    /// Print shell completions.
    Completions {
        /// The shell to print completions for.
        shell: clap_complete::Shell,
    },
    /// Show where files live, the graphics protocol, and the session state.
    #[command(long_about = "Show where files live, the graphics protocol, and the session state. \
        With --blink, also ask Blink whether the app version blinktui presents is current and \
        which region the account is in (one request each; nothing is asked of Blink otherwise).")]
    Info {
        /// Also ask Blink: its app-version check and the account's region (two requests).
        #[arg(long)]
        blink: bool,
    },
    /// The account's notification settings (low battery, camera offline, motion, ...).
    #[command(long_about = "The account's notification settings: which alerts Blink sends \
        (low battery, camera offline, motion, sync module offline, ...). --set NAME=on|off changes \
        one (repeat it for more); the flags are read again after, so what is printed is what \
        Blink now has. An unknown name is refused (exit 2) with the names the account has.")]
    Notifications {
        /// Switch a notification on or off, e.g. `--set motion=off` (repeatable).
        #[arg(long, value_name = "NAME=on|off")]
        set: Vec<String>,
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run the simulated Blink cloud on this machine.
    Sim(SimArgs),
}

#[derive(Debug, Subcommand)]
pub enum LocalAction {
    /// List the clips on a network's USB stick, one a line: id, camera, time, size.
    List {
        /// Network id or name (any case; a unique start of the name is enough).
        network: String,
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Download the clips on a network's USB stick (skipping those already there).
    Download {
        /// Network id or name (any case; a unique start of the name is enough).
        network: String,
        /// Only clips since then: a duration (`2h`, `3d`), a date or a time [default: all].
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Target directory [default: `download_dir` from the config, or the current directory].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Delete clips from a network's USB stick.
    Delete {
        /// Network id or name (any case; a unique start of the name is enough).
        network: String,
        /// Clip ids, from `blinktui local list`.
        #[arg(value_name = "CLIP_ID", required = true)]
        ids: Vec<u64>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ArmArgs {
    /// Network id or name (any case; a unique start of the name is enough).
    pub network: String,
    /// Return once Blink accepted the command instead of waiting for it to finish.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgramAction {
    Enable,
    Disable,
}

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8789)]
    pub port: u16,
    /// Seed of the demo world.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Ask for a verification code at login (Blink's 202 answer).
    #[arg(long = "2fa")]
    pub two_factor: bool,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, default_value_t = 14400, value_name = "SECS")]
    pub token_lifetime: u64,
    /// How long commands take, in milliseconds.
    #[arg(long, default_value_t = 3000, value_name = "MS")]
    pub command_delay: u64,
    /// Mean seconds between motion events per armed camera (0: none).
    #[arg(long, default_value_t = 3600, value_name = "SECS")]
    pub motion_every: u64,
    /// Append a JSON line per request to FILE (method, path, query without secrets, status, time).
    #[arg(long, value_name = "FILE")]
    pub log: Option<std::path::PathBuf>,
    /// Relax rules Blink keeps but today's blinkpy breaks: all of them, or only those named
    /// (`--lenient=liveview-token,refresh-client-id`). Strict without it.
    #[arg(long, value_enum, value_name = "RULES", num_args = 0.., value_delimiter = ',', require_equals = true)]
    pub lenient: Option<Vec<SimLenientRule>>,
    /// Make matching requests fail, for as long as it runs: `[METHOD ]PATTERN=KIND`, `*` in the
    /// path matching anything, KIND a status (`503`), `latency:MS`, `rate-limit:SECS`,
    /// `unauthorized`, `malformed-json` or `drop`. Repeatable; the first rule that matches wins.
    #[arg(long = "fault", value_name = "SPEC", value_parser = crate::sim::fault_spec::parse)]
    pub faults: Vec<crate::sim::fault_spec::FaultSpec>,
}

/// A rule of the simulator that `sim --lenient` can relax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimLenientRule {
    /// The relay takes 64 zero bytes in place of the liveview token.
    LiveviewToken,
    /// A refresh with client id `android` for a token minted for `ios`.
    RefreshClientId,
    /// USB clips under a manifest id the stick issued earlier.
    UsbPreviousManifest,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every argument and subcommand, with the path that leads to it, that `--help` shows
    /// without a description.
    fn undocumented(command: &clap::Command, path: &str, found: &mut Vec<String>) {
        for arg in command.get_arguments() {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                found.push(format!("{path} <{}>", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                found.push(path.clone());
            }
            undocumented(sub, &path, found);
        }
    }

    #[test]
    fn every_argument_of_every_subcommand_has_help() {
        let mut command = Cli::command();
        command.build(); // adds clap's own --help, --version and `help`, checked too
        let mut found = Vec::new();
        undocumented(&command, "blinktui", &mut found);
        assert!(found.is_empty(), "without help text: {found:?}");
    }

    #[test]
    fn login_flag_needs_demo() {
        assert!(Cli::try_parse_from(["blinktui", "--login"]).is_err());
        assert!(Cli::try_parse_from(["blinktui", "--demo", "--login"]).is_ok());
    }

    #[test]
    fn subcommands_parse() {
        let cli =
            Cli::try_parse_from(["blinktui", "motion", "Front Door", "off", "--no-wait"]).expect("parse");
        assert!(matches!(cli.command, Some(Command::Motion { state: OnOff::Off, no_wait: true, .. })));
        assert!(Cli::try_parse_from(["blinktui", "motion", "x", "maybe"]).is_err());
        let cli = Cli::try_parse_from(["blinktui", "--demo", "status", "--json"]).expect("parse");
        assert!(cli.global.demo);
    }
}
