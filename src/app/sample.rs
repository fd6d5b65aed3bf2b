//! A filled-in state for snapshots, benchmarks and unit tests: the simulator's demo account at
//! a fixed moment, so every run draws the same screen. Optionally scaled up to many cameras
//! and events for benchmarks.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::keymap::Keymap;
use super::update::rebuild_list;
use super::{AppState, Pane, Screen, UiOptions};
use crate::api::models::{Device, Homescreen, MediaItem};
use crate::sim::demo::{DEMO_EMAIL, demo_world};
use crate::sim::world::WorldSettings;

/// 2026-11-26 14:00 UTC, a Thursday.
pub fn fixed_now() -> Timestamp {
    Timestamp::from_second(1_795_701_600).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The demo account as the app sees it after the first load.
pub fn sample_state(size: (u16, u16), options: UiOptions) -> AppState {
    let now = fixed_now();
    let settings =
        WorldSettings { command_delay: Duration::from_secs(1), motion_interval: None, page_size: 25 };
    let world = demo_world(7, settings, now);
    let home = crate::sim::homescreen_of(&world);
    let mut events = world.media.clone();
    events.reverse();
    let programs = world.networks.iter().flat_map(|n| n.programs.clone()).collect();
    let mut state = AppState::new(options, Keymap::default(), Screen::Main, size);
    state.session.zone = jiff::tz::TimeZone::UTC;
    state.session.account = DEMO_EMAIL.into();
    state.data.account_id = world.account_id;
    load(&mut state, &home, events, programs, now);
    state
}

/// The demo account with `cameras` cameras and `events` events, for benchmarks.
pub fn large_state(size: (u16, u16), cameras: usize, events: usize) -> AppState {
    let mut state = sample_state(size, UiOptions::default());
    let now = fixed_now();
    let mut home = Homescreen { networks: Vec::new(), ..Homescreen::default() };
    home.networks = state
        .data
        .networks
        .iter()
        .map(|n| crate::api::models::Network {
            id: n.id,
            name: n.name.clone(),
            armed: n.armed,
            ..Default::default()
        })
        .collect();
    home.cameras = (0..cameras as u64)
        .map(|i| Device {
            id: 900_000 + i,
            name: format!("Camera {i:02}"),
            device_type: "catalina".into(),
            network_id: home.networks[(i % 2) as usize].id,
            enabled: i % 3 != 0,
            status: Some(if i % 11 == 0 { "offline" } else { "done" }.into()),
            battery: Some(if i % 7 == 0 { "low" } else { "ok" }.into()),
            ..Device::default()
        })
        .collect();
    let items = (0..events as u64)
        .map(|i| MediaItem {
            id: 5_000_000 + i,
            created_at: (now - SignedDuration::from_secs(60 * i as i64)).into(),
            device_id: 900_000 + i % cameras.max(1) as u64,
            device_name: format!("Camera {:02}", i % cameras.max(1) as u64),
            network_name: Some("Home".into()),
            source: Some("pir".into()),
            watched: i % 2 == 0,
            media: Some(format!("/clip/{i}.mp4")),
            thumbnail: Some(format!("/thumb/{i}.jpg")),
            ..MediaItem::default()
        })
        .collect();
    let programs = state.data.programs.iter().map(|p| p.program.clone()).collect();
    load(&mut state, &home, items, programs, now);
    state
}

fn load(
    state: &mut AppState,
    home: &Homescreen,
    events: Vec<MediaItem>,
    programs: Vec<crate::api::models::Program>,
    now: Timestamp,
) {
    state.data.apply_home(home);
    state.data.merge_events(events, true);
    state.data.apply_programs(programs, now);
    // The USB stick was read with the first load; its clips are left out of the sample.
    state.data.usb.requested_at = Some(now);
    state.data.usb.loaded = true;
    state.data.last_refresh = Some(now - SignedDuration::from_secs(12));
    state.remote.next_refresh = Some(now + SignedDuration::from_secs(48));
    for pane in Pane::ALL {
        rebuild_list(state, pane);
    }
    state.event_clocks.refresh(&state.data, &state.session.zone);
}
