//! What the screen looks like: `TestBackend` renders of each pane and of whole screens at
//! 120x36 and 80x24, from a fixed state (the demo account at a fixed moment, UTC).

use blinktui::api::change::Change;
use blinktui::app::camera_details::CameraDetails;
use blinktui::app::colours::Colours;
use blinktui::app::command_run::{CommandRun, Operation, RunPhase};
use blinktui::app::images::ImageSlot;
use blinktui::app::login::{LoginField, LoginStage, LoginState};
use blinktui::app::sample::{fixed_now, sample_state};
use blinktui::app::update::wanted_picture;
use blinktui::app::{AppState, Confirm, Confirmed, Details, Overlay, Pane, Screen, UiOptions};
use blinktui::sim::images::{Scene, SceneKind, render_jpeg};
use blinktui::ui;
use blinktui::ui::panes::ListProps;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::style::Color;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;

fn state(size: (u16, u16)) -> AppState {
    sample_state(size, UiOptions { pictures: false, graphics_label: "off".into(), ..UiOptions::default() })
}

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("terminal");
    terminal.draw(|frame| ui::draw(frame, state, fixed_now())).expect("draw");
    terminal.backend().to_string()
}

fn pane(state: &AppState, pane: Pane, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let theme = ui::theme::Theme::MONO;
    terminal
        .draw(|frame| {
            ui::panes::render(
                frame,
                Rect::new(0, 0, width, height),
                &ListProps::of(state, pane),
                theme,
                fixed_now(),
            )
        })
        .expect("draw");
    terminal.backend().to_string()
}

#[test]
fn whole_screen_120x36() {
    insta::assert_snapshot!(screen(&state((120, 36))));
}

#[test]
fn whole_screen_80x24() {
    insta::assert_snapshot!(screen(&state((80, 24))));
}

#[test]
fn narrow_terminal_drops_the_picture_column() {
    insta::assert_snapshot!(screen(&state((70, 24))));
}

#[test]
fn too_small_terminal() {
    insta::assert_snapshot!(screen(&state((50, 12))));
}

#[test]
fn each_pane() {
    let mut s = state((120, 36));
    insta::assert_snapshot!("pane_networks", pane(&s, Pane::Networks, 72, 5));
    s.view.focus = Pane::Cameras;
    insta::assert_snapshot!("pane_cameras", pane(&s, Pane::Cameras, 72, 10));
    insta::assert_snapshot!("pane_cameras_narrow", pane(&s, Pane::Cameras, 44, 10));
    insta::assert_snapshot!("pane_programs", pane(&s, Pane::Programs, 72, 6));
    s.view.focus = Pane::Events;
    insta::assert_snapshot!("pane_events", pane(&s, Pane::Events, 72, 12));
}

#[test]
fn events_focus_with_new_events_and_a_filter() {
    let mut s = state((120, 36));
    s.view.focus = Pane::Events;
    let ids: Vec<u64> = s.data.events.iter().take(2).map(|e| e.id).collect();
    s.data.new_events.extend(ids);
    s.list_mut(Pane::Events).filter = "back".into();
    blinktui::app::update::rebuild_list(&mut s, Pane::Events);
    s.view.filter_editing = true;
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn a_command_in_flight_shows_a_spinner_on_its_row() {
    let mut s = state((120, 36));
    let network = s.data.networks[1].id;
    s.runs.push(CommandRun {
        id: 1,
        op: Operation::Change(Change::Arm { network, armed: true }),
        label: "Arm Cabin".into(),
        phase: RunPhase::Polling { stage: Some("sm".into()) },
        started: fixed_now(),
    });
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn confirmation_dialog() {
    let mut s = state((120, 36));
    s.view.overlay = Some(Overlay::Confirm(Confirm {
        question: "Disarm Home? Its cameras stop recording motion.".into(),
        then: Confirmed::Run {
            op: Operation::Change(Change::Arm { network: 1, armed: false }),
            label: "Disarm Home".into(),
        },
    }));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut s = state((120, 36));
    s.view.overlay = Some(Overlay::Help { scroll: 0 });
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn read_only_footer() {
    let s = sample_state((120, 36), UiOptions { read_only: true, pictures: false, ..UiOptions::default() });
    let text = screen(&s);
    assert!(text.contains("READ-ONLY") && text.contains("arm (read-only)"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn camera_and_event_details() {
    let mut s = state((120, 36));
    s.view.focus = Pane::Cameras;
    let id = s.data.cameras[0].id;
    s.view.details = Some(Details::Camera { id, read: CameraDetails::Loading });
    insta::assert_snapshot!("details_camera", screen(&s));
    s.view.focus = Pane::Events;
    let id = s.data.events[0].id;
    s.view.details = Some(Details::Event { id });
    insta::assert_snapshot!("details_event", screen(&s));
}

#[test]
fn login_screens() {
    let mut s = state((100, 30));
    let mut login = LoginState::new(
        Some("me@example.com".into()),
        Some("Your Blink session ended. Log in again.".into()),
    );
    login.password = "secret".into();
    s.screen = Screen::Login(login.clone());
    let text = screen(&s);
    assert!(!text.contains("secret"), "the password is masked");
    insta::assert_snapshot!("login_credentials", text);
    login.stage = LoginStage::Code { destination: Some("+1******0123".into()) };
    login.field = LoginField::Code;
    login.code = "1234".into();
    login.error = Some("Blink rejected the verification code; check it and try again".into());
    s.screen = Screen::Login(login);
    s.options.demo_hint = Some("Demo account: demo@blinktui.example / demo-password (code 123456)".into());
    insta::assert_snapshot!("login_code", screen(&s));
}

#[test]
fn picture_drawn_with_half_blocks() {
    let mut s = sample_state((120, 36), UiOptions { pictures: true, ..UiOptions::default() });
    let (key, size) = wanted_picture(&s).expect("the selected camera's picture");
    let jpeg = render_jpeg(&Scene {
        kind: SceneKind::Outdoor,
        title: "Driveway".into(),
        caption: "2026-11-26 14:00:00".into(),
        place: 3,
        seed: 3,
        night: false,
    });
    let image = image::load_from_memory(&jpeg).expect("decode");
    let protocol = Picker::halfblocks()
        .new_protocol(image.clone(), Size::new(size.0, size.1), Resize::Scale(None))
        .expect("encode");
    s.images.set(&key, ImageSlot::Ready(std::sync::Arc::new(image)));
    assert!(s.images.request_encoding(&key, size));
    s.images.finish_encoding(&key, size, Ok(protocol));
    let text = screen(&s);
    assert!(text.contains('▀') || text.contains('▄'), "half blocks drawn");
    insta::assert_snapshot!(text);
}

#[test]
fn filtered_events_with_marks() {
    let mut s = state((120, 36));
    s.view.focus = Pane::Events;
    s.list_mut(Pane::Events).filter = "net:cabin unwatched".into();
    blinktui::app::update::rebuild_list(&mut s, Pane::Events);
    let marked: Vec<u64> =
        s.list(Pane::Events).visible.iter().take(2).map(|i| s.data.events[*i].id).collect();
    s.view.marked.extend(marked);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn nothing_that_matters_is_cut() {
    use blinktui::app::toasts::Level;
    // A long message wraps across the screen's width instead of stopping mid-word.
    let mut s = state((120, 36));
    let path = "/home/someone/Downloads/blinktui/20261126T140307Z_home_front-door_1000000146.mp4";
    s.toasts.push(
        Level::Error,
        format!("Motion on Dock failed: Camera is offline (code 905); the clip went to {path}"),
        fixed_now(),
    );
    let text = screen(&s);
    assert!(text.contains("Motion on Dock failed: Camera is offline"), "{text}");
    insta::assert_snapshot!("a_long_toast_wraps", text);

    // The header at 60 columns keeps the armed summary whole.
    let narrow = screen(&state((60, 20)));
    let header = narrow.lines().next().expect("a header");
    assert!(header.contains("1 of 2 armed"), "{header}");
    insta::assert_snapshot!("header_at_60_columns", header);

    // Help in read-only mode: labels whole, refused keys struck out.
    let mut read_only =
        sample_state((120, 36), UiOptions { read_only: true, pictures: false, ..UiOptions::default() });
    read_only.view.overlay = Some(Overlay::Help { scroll: 0 });
    let help = screen(&read_only);
    assert!(help.contains("motion on/off") && !help.contains("(read"), "{help}");

    // A long question keeps its margin on every line.
    let mut s = state((120, 36));
    s.view.overlay = Some(Overlay::Confirm(Confirm {
        question:
            "Delete the 12 marked clips? This cannot be undone, and Blink keeps no copy of them anywhere."
                .into(),
        then: Confirmed::Run { op: Operation::DeleteEvents { media: vec![1] }, label: "Delete".into() },
    }));
    insta::assert_snapshot!("a_long_question_keeps_its_margin", screen(&s));
}

fn light_state(size: (u16, u16)) -> AppState {
    let options = UiOptions {
        pictures: false,
        graphics_label: "off".into(),
        colours: Colours::Light,
        ..UiOptions::default()
    };
    sample_state(size, options)
}

/// The screen with its colours (text-only snapshots cannot tell two themes apart).
fn styled_screen(state: &AppState) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("terminal");
    terminal.draw(|frame| ui::draw(frame, state, fixed_now())).expect("draw");
    terminal.backend().buffer().clone()
}

/// What the light theme promises: every background it paints is light and carries its own
/// dark text colour, and every text colour it sets is dark (never one of the terminal's 16
/// named colours, which are pale on white in many terminals).
fn assert_reads_on_white(buffer: &Buffer) {
    let mut painted = 0;
    for (index, cell) in buffer.content().iter().enumerate() {
        let place = (index % usize::from(buffer.area.width), index / usize::from(buffer.area.width));
        match cell.bg {
            Color::Reset => {}
            Color::Rgb(r, g, b) => {
                painted += 1;
                assert!(r.min(g).min(b) >= 200, "dark background {:?} at {place:?}", cell.bg);
                assert_ne!(cell.fg, Color::Reset, "the terminal's own text colour on a bar at {place:?}");
            }
            other => panic!("named background {other:?} at {place:?}"),
        }
        match cell.fg {
            Color::Reset => {}
            Color::Rgb(r, g, b) => assert!(r.max(g).max(b) <= 190, "pale text {:?} at {place:?}", cell.fg),
            other => panic!("named text colour {other:?} at {place:?}"),
        }
    }
    assert!(painted > 0, "the header and the selected rows have backgrounds");
}

#[test]
fn light_theme_whole_screen_120x36() {
    let buffer = styled_screen(&light_state((120, 36)));
    assert_reads_on_white(&buffer);
    let title = ui::theme::Theme::LIGHT.title().fg.expect("a title colour");
    assert_eq!(buffer[(1, 0)].fg, title, "the header's text keeps its own colours on the bar");
    insta::assert_snapshot!(format!("{buffer:?}"));
}

#[test]
fn light_theme_whole_screen_80x24() {
    let buffer = styled_screen(&light_state((80, 24)));
    assert_reads_on_white(&buffer);
    insta::assert_snapshot!(format!("{buffer:?}"));
}

#[test]
fn light_theme_event_details() {
    let mut s = light_state((120, 36));
    s.view.focus = Pane::Events;
    let id = s.data.events[0].id;
    s.view.details = Some(Details::Event { id });
    let buffer = styled_screen(&s);
    assert_reads_on_white(&buffer);
    insta::assert_snapshot!(format!("{buffer:?}"));
}

#[test]
fn light_theme_help_and_confirmation() {
    let mut s = light_state((120, 36));
    s.view.overlay = Some(Overlay::Help { scroll: 0 });
    assert_reads_on_white(&styled_screen(&s));
    s.view.overlay = Some(Overlay::Confirm(Confirm {
        question: "Disarm Home? Its cameras stop recording motion.".into(),
        then: Confirmed::Run {
            op: Operation::Change(Change::Arm { network: 1, armed: false }),
            label: "Disarm Home".into(),
        },
    }));
    let buffer = styled_screen(&s);
    assert_reads_on_white(&buffer);
    insta::assert_snapshot!(format!("{buffer:?}"));
}

fn account_view(size: (u16, u16)) -> AppState {
    use blinktui::app::account::{AccountOverview, AccountRead};
    use blinktui::app::choose::{Chooser, Menu};
    let mut s = state(size);
    let flags = ["camera_offline", "camera_usage", "low_battery", "motion", "sync_module_offline"];
    s.session.account_read = AccountRead::Read(AccountOverview {
        tier: "u011".into(),
        region: Some("United States - EAST".into()),
        notifications: flags.iter().map(|f| ((*f).to_owned(), *f != "camera_usage")).collect(),
        options: [("owl_app_enabled".to_owned(), true), ("legacy_account_mini".to_owned(), false)].into(),
    });
    s.view.overlay = Some(Overlay::Choose(Chooser { menu: Menu::Account, selected: 6 }));
    s
}

#[test]
fn the_account_view() {
    insta::assert_snapshot!(screen(&account_view((120, 36))));
    insta::assert_snapshot!("the_account_view_80x24", screen(&account_view((80, 24))));
}

/// The grid at 120x36 (`t`): twelve tiles, the first selected and two marked; pictures are on
/// their way (a spinner where each goes), one failed.
#[test]
fn the_events_as_a_grid_of_thumbnails() {
    let mut s =
        sample_state((120, 36), UiOptions { graphics_label: "halfblocks".into(), ..UiOptions::default() });
    s.view.focus = Pane::Events;
    s.view.grid = Some(Default::default());
    let ids: Vec<u64> = s.list(Pane::Events).visible.iter().map(|i| s.data.events[*i].id).collect();
    s.view.marked.extend([ids[1], ids[6]]);
    let failed = s.data.events.iter().find(|e| e.id == ids[2]).and_then(|e| e.thumbnail.clone());
    s.images.set(&failed.expect("a thumbnail"), ImageSlot::Failed("gone".into()));
    let text = screen(&s);
    assert_eq!(text.matches(" · Home").count() + text.matches(" · Cabin").count(), 12, "{text}");
    insta::assert_snapshot!(text);
}

/// A camera name with terminal escapes in it reaches the grid's captions without them.
#[test]
fn the_grid_draws_hostile_names_without_their_escapes() {
    let mut s =
        sample_state((120, 36), UiOptions { graphics_label: "halfblocks".into(), ..UiOptions::default() });
    s.view.focus = Pane::Events;
    s.view.grid = Some(Default::default());
    let first = s.list(Pane::Events).visible[0];
    s.data.events[first].device_name = "\u{1b}]0;pwned\u{7}Porch\u{1b}[2J\r\n".into();
    let text = screen(&s);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
    assert!(text.contains("]0;pwnedPorch[2J"), "the printable rest shows: {text}");
}
