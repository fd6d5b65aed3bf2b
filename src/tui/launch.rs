//! Starting the terminal UI: session or login screen, terminal set-up, graphics probe, then
//! the loop. The terminal is restored however the loop ends. `blinktui play` starts the same
//! loop with one clip on the whole screen.

use std::path::PathBuf;

use ratatui::backend::{Backend, ClearType};
use tokio::sync::mpsc::unbounded_channel;

use super::runner::{App, run_loop};
use super::{Rgb, TerminalGuard, probe_terminal, protocol_label, quit_signals};
use crate::api::{ApiError, BlinkClient, Session, SessionStore};
use crate::app::colours::{Colours, no_color};
use crate::app::effect::{Effect, PlayRequest};
use crate::app::keymap::Keymap;
use crate::app::login::LoginState;
use crate::app::player::{PlayPhase, PlaySource};
use crate::app::{AppState, Screen, UiOptions};
use crate::config::{ConfigError, GraphicsMode, ThemeMode};
use crate::context::{CliError, Context};
use crate::runtime::Executor;

/// A terminal this slow to answer is across a network (SSH from outside the home): clips start
/// with small frames there, as the link's speed is not known yet, and grow when it is fast.
const REMOTE_ROUND_TRIP: std::time::Duration = std::time::Duration::from_millis(20);

pub async fn run_tui(ctx: &Context, demo_hint: Option<String>) -> Result<(), CliError> {
    let (session, notice) = saved_session(&ctx.store())?;
    let screen = match &session {
        Some(_) => Screen::Main,
        None => Screen::Login(LoginState::new(ctx.config.email.clone(), notice)),
    };
    run(ctx, screen, demo_hint, |state| {
        if let Some(session) = &session {
            state.session.account =
                session.email.clone().unwrap_or_else(|| format!("account {}", session.account_id));
            state.data.account_id = session.account_id;
        }
        Vec::new()
    })
    .await
    .map(|_| ())
}

/// The saved session, or none and why when the file is damaged (the login screen replaces it).
fn saved_session(store: &SessionStore) -> Result<(Option<Session>, Option<String>), CliError> {
    match store.load() {
        Ok(session) => Ok((session, None)),
        Err(ApiError::LoginRequired(why)) => {
            Ok((None, Some(format!("The saved session cannot be used ({why}); log in again."))))
        }
        Err(err) => Err(err.into()),
    }
}

/// Plays one clip full screen and returns when it ends (or `q`); a clip that cannot play is
/// an error with the reason.
pub async fn run_play(ctx: &Context, request: PlayRequest, title: String) -> Result<(), CliError> {
    // A terminal of no cells has nowhere to draw: nothing would ever be shown or end the clip.
    if let Ok((columns, rows)) = crossterm::terminal::size()
        && (columns == 0 || rows == 0)
    {
        return Err(CliError::Usage(format!(
            "the terminal has no size ({columns}x{rows}): nothing can be drawn (set it with `stty rows R cols C`)"
        )));
    }
    let source = match &request {
        PlayRequest::Event(event) => PlaySource::Event(event.id),
        PlayRequest::File(path) => PlaySource::File(path.clone()),
        PlayRequest::Live(live) => PlaySource::Live(live.device.id),
    };
    let what =
        if matches!(source, PlaySource::Live(_)) { "live view failed" } else { "cannot play the clip" };
    let state = run(ctx, Screen::Play, None, move |state| {
        crate::app::update::start_playback(state, source, title, request, jiff::Timestamp::now())
    })
    .await?;
    let Some(player) = state.player else {
        return Ok(());
    };
    match &player.phase {
        PlayPhase::Failed(reason) => Err(CliError::Failed(format!("{what}: {reason}"))),
        // What could play has played; a script must still learn the file is not whole.
        _ if player.info.as_ref().is_some_and(|info| info.cut_short) => {
            Err(CliError::Failed(crate::app::update::cut_short_text(&player)))
        }
        _ => Ok(()),
    }
}

/// Sets the terminal up, runs the loop on `screen` (after `prepare` set the state up and
/// returned its first effects), and restores the terminal.
async fn run(
    ctx: &Context,
    screen: Screen,
    demo_hint: Option<String>,
    prepare: impl FnOnce(&mut AppState) -> Vec<Effect>,
) -> Result<AppState, CliError> {
    let config = &ctx.config;
    let keymap = Keymap::from_config(&config.keys).map_err(ConfigError::Invalid)?;
    let store = ctx.store();
    let client = match saved_session(&store)?.0 {
        Some(session) => Some(BlinkClient::new(ctx.options.clone(), session, Some(store.clone()))?),
        None => None,
    };

    let (guard, mut terminal) = TerminalGuard::enter(config.mouse)?;
    let mut guard = guard;
    // The probe reads the terminal's answer from stdin: before the event reader exists.
    let no_color = no_color();
    let report = probe_terminal(config.graphics, config.theme == ThemeMode::Auto && !no_color);
    guard.set_answers(report.answers);
    // A terminal that does not understand a query may have printed part of it. (Not
    // `Terminal::clear`: it asks for the cursor position, one more answer to wait for.)
    terminal.backend_mut().clear_region(ClearType::All)?;
    let colours = Colours::choose(config.theme, no_color, report.light_background());
    tracing::info!(theme = colours.label(), background = ?report.background.map(Rgb::hex), "colours");
    let picker = report.picker;
    let size = terminal.size()?;

    let options = UiOptions {
        read_only: ctx.read_only,
        confirm: config.confirm,
        autoplay: config.autoplay,
        picture_fetches: config.politeness.picture_fetches.max(1),
        bell: config.bell,
        mouse: config.mouse,
        refresh_interval: config.refresh_interval(),
        pictures: picker.is_some() && config.graphics != GraphicsMode::None,
        graphics_label: protocol_label(picker.as_ref()),
        player: config.player.clone(),
        save_dir: save_dir(ctx),
        demo_hint,
        colours,
    };
    let mut state = AppState::new(options, keymap, screen, (size.width, size.height));
    let (tx, rx) = unbounded_channel();
    let executor =
        Executor::new(client, ctx.options.clone(), store, picker, tx, ctx.paths.clips_dir(), save_dir(ctx))
            .with_download_delay(config.download_delay())
            .with_remote_terminal(report.round_trip.is_some_and(|rtt| rtt >= REMOTE_ROUND_TRIP));
    let first = prepare(&mut state);
    let mut app = App::new(state, executor, rx);
    app.run_effects(first);
    let player = config.player.clone();
    let input = guard.input()?;
    let result =
        run_loop(&mut terminal, &mut app, input, quit_signals()?, &mut guard, player.as_deref()).await;
    drop(guard);
    // A live view still open ends with the executor; its `done/` goes out before the exit.
    let state = app.into_state().await;
    crate::api::immi::finish_pending_done(std::time::Duration::from_secs(3)).await;
    result.map_err(|err| CliError::Failed(format!("terminal error: {err}")))?;
    Ok(state)
}

/// Where `S` saves clips: the configured directory, else the user's downloads folder, else
/// `~/Downloads`: never wherever blinktui happened to be started.
fn save_dir(ctx: &Context) -> PathBuf {
    let user = directories::UserDirs::new();
    ctx.config
        .download_dir
        .clone()
        .or_else(|| user.as_ref().and_then(|dirs| dirs.download_dir()).map(|d| d.join("blinktui")))
        .or_else(|| user.as_ref().map(|dirs| dirs.home_dir().join("Downloads").join("blinktui")))
        .unwrap_or_else(|| ctx.paths.cache_dir.join("saved"))
}
