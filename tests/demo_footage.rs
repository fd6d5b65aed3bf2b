//! The demo's pictures and clips match their events: each camera its own scene, day or night as
//! the event's local time, the event's time burnt in and running; and a believable number of
//! new events on an armed site.

mod common;

use blinktui::api::models::MediaItem;
use blinktui::api::{BlinkClient, MediaKind};
use blinktui::sim::demo::{CABIN_NETWORK, HOME_NETWORK, demo_world};
use blinktui::sim::video::FPS;
use blinktui::sim::world::WorldSettings;
use common::footage::{brightness, clip_frames, decode_jpeg, difference, legibility};
use common::{quiet_config, start};
use image::RgbImage;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

const DRIVEWAY: u64 = 400102;
const BACKYARD: u64 = 400103;
/// The frame of a clip its event's picture shows (half-way through).
const PICTURE_FRAME: usize = (FPS * blinktui::sim::video::CLIP_SECONDS / 2) as usize;

async fn events(client: &BlinkClient) -> Vec<MediaItem> {
    let since = Timestamp::now() - SignedDuration::from_hours(24 * 5);
    client.media_since(since, 20).await.expect("events")
}

fn local(item: &MediaItem) -> ZonedDateTime {
    let zone = item.time_zone.as_deref().expect("the event names its zone");
    item.created_at.at.in_tz(zone).expect("a known zone")
}

fn is_night(item: &MediaItem) -> bool {
    !(6..19).contains(&local(item).hour())
}

async fn clip(client: &BlinkClient, item: &MediaItem, frames: &[usize]) -> Vec<RgbImage> {
    let mp4 = client.download(item.media.as_deref().expect("a clip"), MediaKind::Mp4).await.expect("clip");
    clip_frames(&mp4, frames)
}

async fn picture(client: &BlinkClient, item: &MediaItem) -> RgbImage {
    let path = item.thumbnail.as_deref().expect("a picture");
    decode_jpeg(&client.download(path, MediaKind::Jpeg).await.expect("picture"))
}

fn stamp(at: &ZonedDateTime) -> String {
    format!("MOTION {}", at.strftime("%Y-%m-%d %H:%M:%S"))
}

#[tokio::test]
async fn two_cameras_clips_show_their_own_scenes_and_match_their_pictures() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let events = events(&client).await;
    // By day both, so that it is the place that differs, not the light.
    let latest = |camera: u64| {
        events.iter().find(|e| e.device_id == camera && !is_night(e)).expect("an event by day").clone()
    };
    let (driveway, backyard) = (latest(DRIVEWAY), latest(BACKYARD));
    let driveway_frames = clip(&client, &driveway, &[0, PICTURE_FRAME]).await;
    let backyard_frames = clip(&client, &backyard, &[0, PICTURE_FRAME]).await;
    let apart = difference(&driveway_frames[0], &backyard_frames[0]);
    assert!(apart > 12.0, "two outdoor cameras' clips look alike: {apart:.1}");
    for (item, frames, other) in
        [(&driveway, &driveway_frames, &backyard), (&backyard, &backyard_frames, &driveway)]
    {
        let own = difference(&frames[1], &picture(&client, item).await);
        let others = difference(&frames[1], &picture(&client, other).await);
        assert!(own < 6.0, "the clip of {} is not the scene of its picture: {own:.1}", item.device_name);
        assert!(
            others > own * 2.0,
            "{}: own picture {own:.1}, the other camera's {others:.1}",
            item.device_name
        );
    }
}

#[tokio::test]
async fn a_night_event_plays_a_night_clip_and_a_day_event_a_day_clip() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let events = events(&client).await;
    let night = events.iter().find(|e| is_night(e)).expect("an event at night").clone();
    let day = events.iter().find(|e| !is_night(e)).expect("an event by day").clone();
    let mut light = Vec::new();
    for item in [&night, &day] {
        let clip = brightness(&clip(&client, item, &[0]).await[0]);
        let picture = brightness(&picture(&client, item).await);
        assert!(
            (clip - picture).abs() < 8.0,
            "{} at {}: clip {clip:.0}, its picture {picture:.0}",
            item.device_name,
            local(item)
        );
        light.push(clip);
    }
    assert!(light[0] + 40.0 < light[1], "night clip {:.0}, day clip {:.0}", light[0], light[1]);
}

#[tokio::test]
async fn an_events_clip_bears_the_camera_name_and_the_events_time_running() {
    let h = start(quiet_config()).await;
    let client = h.login().await;
    let item = events(&client).await.into_iter().find(|e| e.device_id == BACKYARD).expect("an event");
    let start = local(&item);
    let three = FPS as usize * 3;
    let frames = clip(&client, &item, &[0, three]).await;
    let name = item.device_name.to_uppercase();
    assert!(legibility(&frames[0], 0, &name) > 60.0, "the camera name is not on the clip");
    for (frame, seconds) in [(&frames[0], 0), (&frames[1], 3)] {
        let at = |offset: i64| start.checked_add(SignedDuration::from_secs(seconds + offset)).expect("time");
        let expected = legibility(frame, 1, &stamp(&at(0)));
        let wrong = [
            stamp(&at(-1)),
            stamp(&at(1)),
            stamp(&at(3600)),
            stamp(&at(-11 * 3600)),
            "MOTION 2026-11-26 14:03:07".to_owned(),
        ];
        for text in wrong {
            let score = legibility(frame, 1, &text);
            assert!(
                expected > score,
                "{seconds} s in: {} reads {score:.0}, {} {expected:.0}",
                text,
                stamp(&at(0))
            );
        }
    }
}

#[test]
fn an_armed_demo_site_sees_a_few_events_an_hour() {
    let config = blinktui::demo::demo_sim_config();
    let start = Timestamp::now();
    let mut world = demo_world(7, WorldSettings::from(&config), start);
    for network in &mut world.networks {
        network.network.armed = true;
    }
    let before = world.media.len();
    let hours = 12;
    for minute in 1..=hours * 60 {
        world.advance(start + SignedDuration::from_mins(minute));
    }
    let new = &world.media[before..];
    for (site, network) in [("Home", HOME_NETWORK), ("Cabin", CABIN_NETWORK)] {
        let per_hour = new.iter().filter(|m| m.network_id == network).count() as f64 / hours as f64;
        assert!((0.5..=8.0).contains(&per_hour), "{site}: {per_hour:.1} events an hour");
    }
}
