//! Drawing. `draw` reads the state and the clock and writes a frame; it never changes state
//! and never does I/O. Pictures are drawn only when they were encoded for the exact area.

pub mod bars;
pub mod choose;
pub mod details;
pub mod grid;
pub mod login;
pub mod panes;
pub mod picture;
pub mod player;
pub mod popups;
pub mod theme;
pub mod widgets;

use jiff::Timestamp;
use ratatui::Frame;

use ratatui::layout::Rect;

use crate::app::layout::{self, main_layout};
use crate::app::{AppState, Details, Overlay, Pane, Screen};

/// Draws everything, thumbnails included however many there are.
pub fn draw(frame: &mut Frame, state: &AppState, now: Timestamp) {
    draw_paced(frame, state, now, &mut grid::TileBudget::default());
}

/// Draws everything, sending only as many new thumbnails as `tiles` allows.
pub fn draw_paced(frame: &mut Frame, state: &AppState, now: Timestamp, tiles: &mut grid::TileBudget) {
    let grid_shown = state.grid_layout().is_some();
    if !grid_shown {
        // Whatever replaces the grid draws over its pictures.
        tiles.forget();
    }
    let theme = theme::Theme::of(state.options.colours);
    let area = frame.area();
    match (&state.screen, &state.player) {
        (Screen::Login(login), _) => {
            login::render(frame, area, state, login, theme);
            return;
        }
        (Screen::Play, Some(player)) => {
            // No toasts over a clip: what matters shows on its progress line.
            player::render_full(frame, area, state, player, theme);
            return;
        }
        (Screen::Main, Some(player)) if state.viewing.full_screen => {
            // `f`: the picture takes the whole terminal; popups still open over it.
            player::render_full(frame, area, state, player, theme);
            overlays(frame, area, state, theme);
            return;
        }
        (Screen::Play, None) | (Screen::Main, _) => {}
    }
    let Ok(layout) = main_layout(area, state.layout_focus(), state.counts(), state.options.pictures) else {
        bars::too_small(frame, area, theme);
        return;
    };
    bars::header(frame, layout.header, &bars::HeaderProps::of(state), theme, now);
    match &state.view.details {
        Some(details) => details::render(frame, layout.body, state, details, theme, now),
        None if grid_shown => grid::render(frame, layout.body, state, tiles, theme, now),
        None => {
            for pane in Pane::ALL {
                let props = panes::ListProps::of(state, pane);
                panes::render(frame, layout.panes[pane as usize], &props, theme, now);
            }
            if let Some(picture) = layout.picture {
                let title = picture::picture_title(&details::DetailsProps::of(state));
                picture::render_picture(frame, picture, state, title, theme);
            }
            if let Some(info) = layout.info {
                picture::render_info(frame, info, &details::DetailsProps::of(state), theme, now);
            }
        }
    }
    bars::status(frame, layout.status, &bars::StatusProps::of(state), theme);
    bars::footer(frame, layout.footer, &bars::FooterProps::of(state), theme);
    // Toasts take the width they need at the bottom, but never go over a picture: beside the
    // details view's picture, under the main view's.
    let toast_area = match (&state.view.details, layout.picture) {
        (Some(Details::Program { .. }), _) | (None, None) => layout.body,
        (Some(Details::Camera { .. } | Details::Event { .. }), _) => layout::details_layout(layout.body).0,
        (None, _) if grid_shown => layout.body,
        (None, Some(picture)) => Rect {
            y: picture.bottom(),
            height: layout.body.bottom().saturating_sub(picture.bottom()),
            ..layout.body
        },
    };
    popups::toasts(frame, toast_area, &state.toasts, now, theme);
    overlays(frame, area, state, theme);
}

fn overlays(frame: &mut Frame, area: Rect, state: &AppState, theme: theme::Theme) {
    match &state.view.overlay {
        Some(Overlay::Help { scroll }) => popups::help(frame, area, state, *scroll, theme),
        Some(Overlay::Log { scroll }) => {
            popups::log(frame, area, (&state.toasts, &state.session.zone), *scroll, theme)
        }
        Some(Overlay::Confirm(confirm)) => popups::confirm(frame, area, confirm, theme),
        Some(Overlay::Choose(chooser)) => choose::render(frame, area, state, chooser, theme),
        None => {}
    }
}
