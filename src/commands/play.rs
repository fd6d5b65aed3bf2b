//! `blinktui play EVENT_ID|FILE`: finds the clip to play full screen in this terminal (the
//! terminal UI then plays it).

use std::io::IsTerminal;
use std::path::Path;

use jiff::Timestamp;

use crate::api::models::MediaItem;
use crate::app::clocks::{zone_named, zoned_text};
use crate::app::effect::PlayRequest;
use crate::context::{CliError, Context};

/// How far back an event is looked for: Blink keeps events at most 60 days, and a page of
/// `media/changed` holds up to 500 of them, so a few pages cover any account.
const KEPT: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 60);
const MAX_PAGES: u32 = 20;

/// What `play TARGET` plays, and its title.
pub async fn play_target(ctx: &Context, target: &str) -> Result<(PlayRequest, String), CliError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Usage("`play` draws in the terminal: run it in one (not in a pipe)".into()));
    }
    let path = Path::new(target);
    if path.exists() {
        let title = path.file_name().map_or_else(|| target.to_owned(), |n| n.to_string_lossy().into_owned());
        return Ok((PlayRequest::File(path.to_owned()), title));
    }
    let Ok(id) = target.trim().parse::<u64>() else {
        return Err(CliError::Usage(format!("{target:?} is neither an event id nor a file")));
    };
    let event = find_event(ctx, id).await?;
    let zone = zone_named(event.time_zone.as_deref());
    let when = zoned_text(event.created_at.at, &zone, &jiff::tz::TimeZone::system(), "%a %H:%M");
    let title = format!("{} · {when}", event.device_name);
    Ok((PlayRequest::Event(Box::new(event)), title))
}

/// Looks an event up page by page, as far back as Blink keeps them, stopping once found.
async fn find_event(ctx: &Context, id: u64) -> Result<MediaItem, CliError> {
    let client = ctx.client()?;
    for page in 1..=MAX_PAGES {
        let batch = client.media_changed(Timestamp::now() - KEPT, page).await?;
        if batch.media.is_empty() {
            break;
        }
        if let Some(event) = batch.media.into_iter().find(|e| e.id == id) {
            if event.deleted {
                return Err(CliError::Failed(format!("event {id} was deleted")));
            }
            if event.media.is_none() {
                return Err(CliError::Failed(format!("event {id} has no clip")));
            }
            return Ok(event);
        }
    }
    Err(CliError::Usage(format!("no event {id} on this account (see `blinktui events --since 60d`)")))
}
