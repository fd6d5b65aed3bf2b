//! What USB stick clips look like in the events pane: `usb` in the source column, and the
//! spinner of the run that has the sync module upload one.

use blinktui::api::{LocalClip, LocalClips};
use blinktui::app::command_run::{CommandRun, Operation, RunPhase};
use blinktui::app::sample::{fixed_now, sample_state};
use blinktui::app::usb::UsbThen;
use blinktui::app::{Details, Pane, UiOptions};
use blinktui::local_clips::LocalClipRef;
use blinktui::ui;
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

#[test]
fn usb_clips_in_the_events_pane() {
    let mut s = sample_state((120, 36), UiOptions { pictures: false, ..UiOptions::default() });
    let storage = s.data.usb.storages[0];
    let clip = |id: u64, camera: &str, camera_id: u64, hours: i64| LocalClip {
        id,
        camera: camera.into(),
        camera_id: Some(camera_id),
        created_at: blinktui::api::models::time::format_blink(
            fixed_now() - SignedDuration::from_hours(hours),
        ),
        size: 1_843_210,
    };
    let clips = vec![
        clip(71, "Front Door", 400101, 98),
        clip(72, "Driveway", 400102, 105),
        clip(73, "Backyard", 400103, 121),
    ];
    // The cloud's list is whole: stick clips older than its events are listed too.
    s.data.older_exhausted = true;
    s.data.apply_usb(vec![LocalClips { storage, manifest_id: "9".into(), clips: clips.clone() }]);
    s.view.focus = Pane::Events;
    s.list_mut(Pane::Events).filter = "usb".into();
    blinktui::app::update::rebuild_list(&mut s, Pane::Events);
    let fetching = LocalClipRef { storage, manifest_id: "9".into(), clip: clips[1].clone() };
    s.runs.push(CommandRun {
        id: 1,
        op: Operation::FetchUsbClip {
            event: 72,
            clip: Box::new(fetching),
            network_name: "Home".into(),
            then: UsbThen::Play,
        },
        label: "Get the Driveway USB clip".into(),
        phase: RunPhase::Polling { stage: Some("sm".into()) },
        started: fixed_now(),
    });
    let mut terminal = Terminal::new(TestBackend::new(72, 6)).expect("terminal");
    terminal
        .draw(|frame| {
            ui::panes::render(
                frame,
                Rect::new(0, 0, 72, 6),
                &ui::panes::ListProps::of(&s, Pane::Events),
                ui::theme::Theme::MONO,
                fixed_now(),
            )
        })
        .expect("draw");
    insta::assert_snapshot!(terminal.backend().to_string());

    s.view.details = Some(Details::Event { id: 71 });
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
    terminal.draw(|frame| ui::draw(frame, &s, fixed_now())).expect("draw");
    insta::assert_snapshot!("usb_clip_details", terminal.backend().to_string());
}
