//! Drawing. `draw` reads the state and the clock and writes a frame; it never changes state
//! and never does I/O. Pictures are drawn only when they were encoded for the exact area.

pub mod bars;
pub mod details;
pub mod layout;
pub mod login;
pub mod panes;
pub mod picture;
pub mod player;
pub mod popups;
pub mod theme;
pub mod widgets;

use jiff::Timestamp;
use ratatui::Frame;

use crate::app::{AppState, Overlay, Pane, Screen};
use layout::main_layout;

pub fn draw(frame: &mut Frame, state: &AppState, now: Timestamp) {
    let theme = state.options.theme;
    let area = frame.area();
    match (&state.screen, &state.player) {
        (Screen::Login(login), _) => {
            login::render(frame, area, state, login, theme);
            return;
        }
        (Screen::Play, Some(player)) => {
            player::render_full(frame, area, state, player, theme);
            popups::toasts(frame, area, state, now, theme);
            return;
        }
        (Screen::Play, None) | (Screen::Main, _) => {}
    }
    let Ok(layout) = main_layout(area, state.focus, state.counts(), state.options.pictures) else {
        bars::too_small(frame, area, theme);
        return;
    };
    bars::header(frame, layout.header, state, theme, now);
    match &state.details {
        Some(details) => details::render(frame, layout.body, state, details, theme, now),
        None => {
            for pane in Pane::ALL {
                panes::render(frame, layout.panes[pane as usize], state, pane, theme, now);
            }
            if let Some(picture) = layout.picture {
                picture::render_picture(frame, picture, state, picture::picture_title(state), theme);
            }
            if let Some(info) = layout.info {
                picture::render_info(frame, info, state, theme, now);
            }
        }
    }
    bars::status(frame, layout.status, state, theme);
    bars::footer(frame, layout.footer, state, theme);
    // Toasts go over the lists, never over a picture.
    let lists = layout.panes[0].union(layout.panes[3]);
    let toast_area = if state.details.is_some() { layout::details_layout(layout.body).0 } else { lists };
    popups::toasts(frame, toast_area, state, now, theme);
    match &state.overlay {
        Some(Overlay::Help) => popups::help(frame, area, state, theme),
        Some(Overlay::Log { scroll }) => popups::log(frame, area, state, *scroll, theme),
        Some(Overlay::Confirm(confirm)) => popups::confirm(frame, area, confirm, theme),
        None => {}
    }
}
