//! `blinktui watch`: resolves flags and config into a [`Watcher`] and runs it.

use std::io::IsTerminal;

use jiff::tz::TimeZone;

use super::archive::{Archive, Pacer};
use super::exec::ExecRunner;
use super::lock::{self, LockError};
use super::mark::{Mark, MarkFile};
use super::pace::checked_interval;
use super::report::log;
use super::run::{Reload, Reloaded, Watcher};
use super::signals::Hangup;
use super::usb::UsbSticks;
use crate::api::BlinkClient;
use crate::api::endpoints::is_loopback;
use crate::cli::WatchArgs;
use crate::config::Config;
use crate::context::{CliError, Context};
use crate::when::{local_now, parse_since};

pub async fn watch(ctx: &Context, args: WatchArgs) -> Result<(), CliError> {
    let client = ctx.client()?;
    let loopback = is_loopback(client.rest_base());
    let interval = checked_interval(args.interval.unwrap_or(ctx.config.refresh_interval()), loopback)
        .map_err(CliError::Usage)?;
    let since = args.since.as_deref().map(|text| parse_since(text, &local_now())).transpose()?;
    let exec = args
        .exec
        .as_deref()
        .map(|cmd| ExecRunner::new(cmd, args.exec_timeout))
        .transpose()
        .map_err(CliError::Usage)?;
    let archive = match args.download {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|err| CliError::Failed(format!("cannot create {}: {err}", dir.display())))?;
            // Absolute, so that the paths printed and handed to --exec work from anywhere.
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let held =
                lock::acquire(&dir.join(".blinktui-watch.lock"), "another blinktui watch archives there")
                    .map_err(|err| CliError::Failed(err.to_string()))?;
            let archive = Archive::new(dir, TimeZone::system());
            archive.remove_leftovers();
            Some((archive, held))
        }
        None => None,
    };
    let (archive, _archive_lock) = archive.unzip();
    let mark_file = MarkFile::new(&ctx.paths.state_dir, client.account_id());
    let _mark_lock = match lock::acquire(
        &mark_file.path().with_extension("lock"),
        "another blinktui watch runs for this Blink account; one watch can both --exec and --download",
    ) {
        Ok(held) => Some(held),
        Err(LockError::Held(who)) => return Err(CliError::Failed(who)),
        // A read-only or full state directory: watch still works, only unguarded.
        Err(LockError::Unavailable(why)) => {
            log(&format!("{why}; going on without the lock that keeps a second watch of this account out"));
            None
        }
    };
    let (mark, floor) = match mark_file.load().map_err(CliError::Failed)? {
        // A restart resumes where the last run left off, and goes further back if asked.
        Some(mark) => {
            let floor = since.unwrap_or(mark.covered_from()).min(mark.covered_from());
            (mark, floor)
        }
        None => {
            // Blink times events to the second: an event in the second watch starts counts.
            let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap_or_default();
            let floor = since.unwrap_or(now);
            (Mark::new(floor), floor)
        }
    };
    if let Err(err) = mark_file.save(&mark) {
        // Kept in memory and saved again after each event: the disk may have room by then.
        log(&format!(
            "cannot write {}: {err}; going on with what is reported kept in memory (a restart before it \
             can be written may report events again)",
            mark_file.path().display()
        ));
    }
    let watcher = Watcher {
        client,
        json: args.json || !std::io::stdout().is_terminal(),
        interval,
        floor,
        mark,
        mark_file,
        archive,
        keep: args.keep,
        exec,
        thumbnail_cache: ctx.paths.cache_dir.join("watch-thumbnails"),
        pacer: Pacer::new(ctx.config.download_delay()),
        reload: reloader(ctx, args.interval.is_none(), loopback),
        usb: UsbSticks::default(),
        hangup: Hangup::for_this_process(),
    };
    log(&format!("watching; polling every {}s", interval.as_secs_f64()));
    watcher.run().await.map_err(CliError::Api)
}

/// Re-reads the config file on SIGHUP. Blink's addresses stay those the session was made
/// with; politeness, limits, headers and the poll interval take the new values.
fn reloader(ctx: &Context, interval_from_config: bool, loopback: bool) -> Reload {
    let (path, store) = (ctx.paths.config_file.clone(), ctx.store());
    let (oauth_url, rest_url) = (ctx.config.oauth_url.clone(), ctx.config.rest_url.clone());
    Box::new(move || {
        let mut config = Config::load(&path).map_err(|err| err.to_string())?;
        config.oauth_url.clone_from(&oauth_url);
        config.rest_url.clone_from(&rest_url);
        let options = config.client_options().map_err(|err| err.to_string())?;
        let client = BlinkClient::from_store(options, store.clone()).map_err(|err| err.to_string())?;
        let interval = interval_from_config
            .then(|| checked_interval(config.refresh_interval(), loopback))
            .transpose()?;
        Ok(Reloaded { client, interval, download_delay: config.download_delay() })
    })
}
