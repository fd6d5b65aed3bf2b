//! `blinktui events` and `blinktui download`.

use std::path::PathBuf;

use indicatif::HumanBytes;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::batch::Batch;
use super::resolve;
use crate::api::models::MediaItem;
use crate::api::{BlinkClient, DEFAULT_MAX_PAGES};
use crate::app::clocks::{zone_named, zoned_text};
use crate::app::data::source_label;
use crate::context::{CliError, Context};
use crate::files::{Progress, already_saved, clip_path, download_clip, sweep_parts};
use crate::output::{or_dash, print_json, say, table};
use crate::sanitize::clean;
use crate::when::{local_now, parse_since};

#[derive(Serialize)]
struct EventDocument<'a> {
    id: u64,
    created_at: &'a str,
    camera_id: u64,
    camera: &'a str,
    network_id: u64,
    network: Option<&'a str>,
    source: Option<&'a str>,
    watched: bool,
    clip: Option<&'a str>,
    thumbnail: Option<&'a str>,
}

async fn fetch(
    ctx: &Context,
    since: &str,
    camera: Option<&str>,
) -> Result<(BlinkClient, Vec<MediaItem>), CliError> {
    let since = parse_since(since, &local_now())?;
    let client = ctx.client()?;
    let camera_id = match camera {
        Some(query) => Some(resolve::device(&client.homescreen().await?, query)?.1.id),
        None => None,
    };
    let mut events = client.media_since(since, DEFAULT_MAX_PAGES).await?;
    events.retain(|event| {
        !event.deleted && camera_id.is_none_or(|id| event.device_id == id) && happened_since(event, since)
    });
    Ok((client, events))
}

/// Blink's `since` is about changes: an old event comes back when it is marked watched. Only
/// events recorded since then count; one whose time cannot be read is kept rather than lost.
fn happened_since(event: &MediaItem, since: Timestamp) -> bool {
    event.created_at.at >= since
}

pub async fn list(ctx: &Context, since: &str, camera: Option<&str>, json: bool) -> Result<(), CliError> {
    let (_, events) = fetch(ctx, since, camera).await?;
    if json {
        let documents: Vec<_> = events
            .iter()
            .map(|e| EventDocument {
                id: e.id,
                created_at: e.created_at.as_str(),
                camera_id: e.device_id,
                camera: &e.device_name,
                network_id: e.network_id,
                network: e.network_name.as_deref(),
                source: e.source.as_deref(),
                watched: e.watched,
                clip: e.media.as_deref(),
                thumbnail: e.thumbnail.as_deref(),
            })
            .collect();
        return print_json(&documents);
    }
    if events.is_empty() {
        say!("No motion events in that period.");
        return Ok(());
    }
    // In the network's zone, labelled when it is not this machine's, as the UI shows them.
    let machine = TimeZone::system();
    let rows = events.iter().map(|e| {
        let zone = zone_named(e.time_zone.as_deref());
        let time = zoned_text(e.created_at.at, &zone, &machine, "%a %Y-%m-%d %H:%M:%S");
        vec![
            time,
            e.device_name.clone(),
            or_dash(e.network_name.as_ref()),
            source_label(e.source.as_deref()).to_owned(),
            if e.watched { "yes" } else { "no" }.to_owned(),
            e.id.to_string(),
        ]
    });
    say!("{}", table(&["TIME", "CAMERA", "NETWORK", "SOURCE", "WATCHED", "ID"], rows));
    Ok(())
}

pub async fn download(
    ctx: &Context,
    since: &str,
    camera: Option<&str>,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let (client, events) = fetch(ctx, since, camera).await?;
    let dir = output.or_else(|| ctx.config.download_dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .map_err(|err| CliError::Failed(format!("cannot create {}: {err}", dir.display())))?;
    // What a killed run left, whether or not this one writes anything.
    sweep_parts(&dir);
    let events: Vec<_> = events.iter().filter(|e| e.media.is_some()).collect();
    let mut batch = Batch::new(&dir, events.len(), ctx.config.download_delay());
    for event in events {
        let path = clip_path(&dir, event);
        if already_saved(&path) {
            batch.skip();
            continue;
        }
        batch.pace().await;
        let camera = clean(&event.device_name).into_owned();
        let bar = batch.bar().clone();
        bar.set_message(camera.clone());
        // Bytes of the clip on its way; the bar itself counts clips.
        let progress = |p: Progress| {
            let size = match p.total {
                Some(total) => format!("{} / {}", HumanBytes(p.received), HumanBytes(total)),
                None => HumanBytes(p.received).to_string(),
            };
            bar.set_message(format!("{camera} {size}"));
        };
        let result = download_clip(&client, event, &path, &progress).await;
        batch.done(&path, result)?;
    }
    batch.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_count_from_when_they_happened() {
        let since: Timestamp = "2026-11-26T10:00:00Z".parse().expect("ts");
        let event = |created_at: &str| MediaItem {
            created_at: created_at.parse().expect("time"),
            ..MediaItem::default()
        };
        assert!(happened_since(&event("2026-11-26T10:00:00+00:00"), since));
        assert!(!happened_since(&event("2026-11-20T08:00:00+00:00"), since), "changed, not new");
    }
}
