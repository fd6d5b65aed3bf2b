//! The events as a grid of thumbnails (`t`): each tile its picture, and under it the time,
//! camera and unwatched mark, then the day and network. The selected tile's caption is
//! highlighted, as the selected row of the list is.

use std::collections::HashSet;

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_image::protocol::Protocol;

use super::panes::{ListProps, events_title};
use super::picture::{draw_centred, placeholder, under_popup};
use super::theme::Theme;
use super::widgets::{fit, pane_block, spinner};
use crate::app::command_run::Target;
use crate::app::grid::GridLayout;
use crate::app::images::{ImageSlot, encoded_cost};
use crate::app::{AppState, Pane};

/// Which thumbnails a draw may send. Over a slow link a screen of thumbnails is seconds of it,
/// and a key's answer would wait behind them all: so a draw adds new pictures only up to the
/// room the link has (the loop asks the terminal when they are drawn and draws again), while
/// a picture already on screen where it was costs nothing to draw again.
#[derive(Debug, Default)]
pub struct TileBudget {
    /// Pictures drawn by the last draw, and where.
    on_screen: HashSet<(String, Rect)>,
    /// Bytes of new pictures this draw may send; `None`: no limit. The first new picture
    /// always goes, so a slow link still fills the screen.
    pub room: Option<u64>,
    /// Pictures ready and held back by the last draw.
    pub held: usize,
}

impl TileBudget {
    /// After the terminal was someone else's: nothing drawn before is on screen.
    pub fn forget(&mut self) {
        self.on_screen.clear();
    }
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    budget: &mut TileBudget,
    theme: Theme,
    now: Timestamp,
) {
    let list = state.list(Pane::Events);
    if list.is_empty() {
        // What the list says when nothing is in it (a filter's problem, nothing loaded yet).
        super::panes::render(frame, area, &ListProps::of(state, Pane::Events), theme, now);
        budget.on_screen.clear();
        return;
    }
    let focused = state.view.overlay.is_none();
    let title = format!("{} · thumbnails", events_title(&ListProps::of(state, Pane::Events)));
    let block =
        pane_block(theme, Pane::Events as usize + 1, &title, focused, list, state.view.filter_editing);
    frame.render_widget(block, area);
    let layout = GridLayout::new(area);
    let grid = state.view.grid.unwrap_or_default();
    let (mut drawn, mut sent, mut held) = (HashSet::new(), 0_u64, 0);
    // Terminals draw pictures over text: no picture goes under a popup or the messages.
    let messages = super::popups::toast_area(area, &state.toasts, now, theme);
    let screen = frame.area();
    let covered = |picture: Rect| {
        under_popup(state, screen, picture) || messages.is_some_and(|m| m.intersects(picture))
    };
    // The selected tile first: over a slow link its picture is the one looked at.
    for (slot, position) in grid.shown_selected_first(list, &layout) {
        let Some(event) = list.visible.get(position).and_then(|i| state.data.events.get(*i)) else {
            continue;
        };
        let picture = layout.picture(slot);
        let tile = layout.tile(slot);
        let caption =
            Rect { y: picture.bottom(), height: tile.bottom().saturating_sub(picture.bottom()), ..tile };
        let selected = position == list.selected;
        let lines = captions(state, event, (selected, now), theme, tile.width);
        frame.render_widget(Paragraph::new(lines), caption);
        let encoded = event
            .thumbnail
            .as_ref()
            .and_then(|key| Some((key, state.images.encoded(key, (picture.width, picture.height))?)));
        // Half blocks are text: a popup draws over them as over any text.
        let text_only = matches!(encoded, Some((_, Protocol::Halfblocks(_))));
        match encoded {
            _ if covered(picture) && !text_only => {}
            Some((key, protocol)) => {
                let placed = (key.clone(), picture);
                let cost = encoded_cost(protocol) as u64;
                let fits = match budget.room {
                    None => true,
                    Some(room) => budget.on_screen.contains(&placed) || sent == 0 || sent + cost <= room,
                };
                if fits {
                    if !budget.on_screen.contains(&placed) {
                        sent += cost;
                    }
                    draw_centred(frame, picture, protocol);
                    drawn.insert(placed);
                } else {
                    held += 1;
                    placeholder(frame, picture, spinner(state.spinner), theme);
                }
            }
            None => {
                let text = match event.thumbnail.as_ref().map(|key| state.images.slot(key)) {
                    None if state.data.usb_clip(event.id).is_some() => "USB clip".to_owned(),
                    None => "no picture".to_owned(),
                    Some(Some(ImageSlot::Failed(_))) => "no picture".to_owned(),
                    Some(_) => spinner(state.spinner).to_string(),
                };
                placeholder(frame, picture, &text, theme);
            }
        }
    }
    budget.on_screen = drawn;
    budget.held = held;
}

/// The two lines under a thumbnail: `✓ Sun 22:38 ●` (the time as the list shows it), then
/// `Front Door · Home`.
fn captions(
    state: &AppState,
    event: &crate::api::models::MediaItem,
    (selected, now): (bool, Timestamp),
    theme: Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let marked = if state.view.marked.contains(&event.id) { "✓" } else { " " };
    let status = if state.run_for(Target::Event(event.id)).is_some() {
        Span::styled(format!(" {}", spinner(state.spinner)), theme.accent())
    } else if state.data.new_events.contains(&event.id) {
        Span::styled(" NEW", theme.new_item())
    } else if !event.watched {
        Span::styled(" ●", theme.accent())
    } else {
        Span::raw("")
    };
    let time = state.event_clock(event).text(now, state.zone_of(event.network_id)).trim().to_owned();
    let head = fit(&format!("{marked}{time}"), width.saturating_sub(status.width()));
    let style = if selected { theme.selected(state.view.overlay.is_none()) } else { theme.text() };
    // The selection's background runs under the mark, which keeps its own colour.
    let status = match (selected, style.bg) {
        (true, Some(bg)) => status.patch_style(ratatui::style::Style::new().bg(bg)),
        (true, None) => status.patch_style(style),
        (false, _) => status,
    };
    let first = Line::from(vec![Span::styled(head, style), status]);
    // The camera whole if it fits, then its network in what is left.
    let camera = fit(&format!(" {}", event.device_name), width).trim_end().to_owned();
    let place = format!(" · {}", event.network_name.as_deref().unwrap_or("-"));
    let room = width.saturating_sub(Line::raw(camera.as_str()).width());
    let (camera_style, place_style) = if selected { (style, style) } else { (theme.text(), theme.dim()) };
    let second = Line::from(vec![
        Span::styled(camera, camera_style),
        Span::styled(if room > 3 { fit(&place, room) } else { " ".repeat(room) }, place_style),
    ]);
    vec![first, second]
}
