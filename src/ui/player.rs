//! A clip playing: the frame in the picture area, the progress line on its bottom border
//! (`▶ 00:02 / 00:08 · 15 fps · 0 dropped`), and `blinktui play`'s full-screen view.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::picture::{draw_centred, picture_block, placeholder, render_still, under_popup};
use super::theme::Theme;
use crate::app::keymap::KeyCommand;
use crate::app::layout::{picture_inner, play_layout};
use crate::app::player::{PlayPhase, Player};
use crate::app::{AppState, Screen};

/// Whether the playing clip's frames reach the screen now (no popup over them).
pub fn frames_visible(state: &AppState) -> bool {
    let screen = state.area();
    let inner = match state.screen {
        Screen::Play => play_layout(screen).picture,
        Screen::Main if state.viewing.full_screen => play_layout(screen).picture,
        Screen::Main | Screen::Login(_) => match state.layout() {
            Ok(layout) => picture_inner(crate::app::layout::details_layout(layout.body).1),
            Err(_) => return false,
        },
    };
    !under_popup(state, screen, inner)
}

/// The player in a picture area with a border (the event's details view).
pub fn render_in_box(frame: &mut Frame, outer: Rect, state: &AppState, player: &Player, theme: Theme) {
    let block = picture_block(player.title.clone(), theme).title_bottom(progress_line(player, theme));
    frame.render_widget(block, outer);
    render_inside(frame, picture_inner(outer), state, player, theme);
}

/// `blinktui play`, and full screen (`f`): the picture on the whole screen, the progress line
/// and keys under it.
pub fn render_full(frame: &mut Frame, area: Rect, state: &AppState, player: &Player, theme: Theme) {
    let layout = play_layout(area);
    render_inside(frame, layout.picture, state, player, theme);
    let mut spans = progress_line(player, theme).spans;
    spans.push(Span::styled(format!(" {} ", player.title), theme.text()));
    let status = Line::from(spans);
    // The keys go on the right when there is room for them beside the progress: all of them,
    // else the first few.
    let (live, in_tui) = (player.live_camera().is_some(), matches!(state.screen, Screen::Main));
    let room = usize::from(layout.progress.width).saturating_sub(status.width());
    frame.render_widget(Paragraph::new(status), layout.progress);
    let keys = [false, true]
        .into_iter()
        .map(|short| key_hints(state, live, in_tui, short))
        .find(|keys| keys.width() <= room);
    if let Some(keys) = keys {
        frame.render_widget(Paragraph::new(keys).alignment(Alignment::Right), layout.progress);
    }
}

fn render_inside(frame: &mut Frame, inner: Rect, state: &AppState, player: &Player, theme: Theme) {
    if under_popup(state, frame.area(), inner) {
        return;
    }
    match (&player.frame, &player.phase) {
        (Some(shown), _) => draw_centred(frame, inner, &shown.protocol),
        (None, PlayPhase::Failed(reason)) => {
            let y = inner.y + inner.height.saturating_sub(3) / 2;
            let area = Rect { y, height: inner.height.min(3), ..inner };
            let what = if player.live_camera().is_some() { "Live view" } else { "Cannot play the clip" };
            let text = Line::styled(format!("{what}: {reason}"), theme.bad());
            frame.render_widget(
                Paragraph::new(text).alignment(Alignment::Center).wrap(Wrap { trim: true }),
                area,
            );
        }
        // Until the first frame: the event's picture, or a note.
        (None, _) if state.view.details.is_some() => render_still(frame, inner, state, theme),
        (None, _) => placeholder(frame, inner, &player.progress(), theme),
    }
}

/// `▶ 00:02 / 00:08 · 15 fps · 0 dropped`.
fn progress_line(player: &Player, theme: Theme) -> Line<'static> {
    let style = match player.phase {
        PlayPhase::Failed(_) => theme.bad(),
        PlayPhase::Playing => theme.good(),
        PlayPhase::Fetching | PlayPhase::Opening | PlayPhase::Paused | PlayPhase::Ended => theme.title(),
    };
    let mut spans = vec![Span::styled(format!(" {} ", player.progress()), style)];
    if let Some(figures) = player.figures() {
        spans.push(Span::styled(format!("· {figures} "), theme.dim()));
    }
    Line::from(spans)
}

/// The player's keys, compactly: `space pause  j/k next/prev  ]/[ speed  left/right ±5 s  ,/.
/// frame  esc quit`; live view has only the last. In full screen inside the TUI, `f` and Esc
/// go back to the details. `short`: the review's keys and the last only.
fn key_hints(state: &AppState, live: bool, in_tui: bool, short: bool) -> Line<'static> {
    use KeyCommand::*;
    let key = |command| state.keymap.key_label(command);
    let theme = Theme::of(state.options.colours);
    let mut spans = Vec::new();
    let review = [
        (format!("{}/{}", key(NextClip), key(PrevClip)), "next/prev"),
        (format!("{}/{}", key(Faster), key(Slower)), "speed"),
    ];
    let clip_keys = [
        (key(PlayPause), "pause"),
        (format!("{}/{}", key(SeekBack), key(SeekForward)), "±5 s"),
        (format!("{}/{}", key(FrameBack), key(FrameForward)), "frame"),
    ];
    let review = if live || !in_tui { &[][..] } else { &review[..] };
    let clip_keys = if live || short { &[][..] } else { &clip_keys[..] };
    let last = if in_tui {
        (format!("{}/{}", key(FullScreen), key(StopPlayback)), "back")
    } else {
        (key(StopPlayback), "quit")
    };
    for (keys, text) in review.iter().chain(clip_keys).cloned().chain([last]) {
        spans.push(Span::styled(format!(" {keys}"), theme.key()));
        spans.push(Span::raw(format!(" {text} ")));
    }
    Line::from(spans)
}
