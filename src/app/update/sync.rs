//! Bookkeeping after every change: keep scroll positions valid for the current layout,
//! remember which item each list has selected, and ask for the picture on screen.

use super::super::effect::Effect;
use super::super::filter::EventFilter;
use super::super::images::ImageSlot;
use super::super::{AppState, Details, Pane, Screen};
use crate::app::layout::{details_layout, main_layout, pane_rows, picture_inner};

pub fn after(state: &mut AppState) -> Vec<Effect> {
    state.event_clocks.refresh(&state.data, &state.session.zone);
    let mut effects = super::playback::sync(state);
    effects.extend(super::autoplay::ahead(state));
    if !matches!(state.screen, Screen::Main) {
        return effects;
    }
    if let Ok(layout) = state.layout() {
        for pane in Pane::ALL {
            state.list_mut(pane).ensure_visible(pane_rows(layout.panes[pane as usize]));
        }
        crate::app::days::keep_selection_on_screen(state, pane_rows(layout.panes[Pane::Events as usize]));
    }
    if let (Some(layout), Some(grid)) = (state.grid_layout(), state.view.grid.as_mut()) {
        let list = &state.view.lists[Pane::Events as usize];
        grid.keep_visible(list.selected, list.len(), &layout);
    }
    for pane in Pane::ALL {
        let id = selected_id(state, pane);
        state.list_mut(pane).selected_id = id;
    }
    if state.view.focus == Pane::Events {
        effects.extend(super::results::request_older(state));
    }
    effects.extend(picture_effects(state));
    effects
}

fn selected_id(state: &AppState, pane: Pane) -> Option<u64> {
    let index = state.list(pane).selected_index()?;
    match pane {
        Pane::Networks => state.data.networks.get(index).map(|n| n.id),
        Pane::Cameras => state.data.cameras.get(index).map(|c| c.id),
        Pane::Programs => state.data.programs.get(index).map(|p| p.program.id),
        Pane::Events => state.data.events.get(index).map(|e| e.id),
    }
}

/// Which picture is on screen and the size (in cells) it is drawn at, if any. Nothing is
/// drawn under a popup.
pub fn wanted_picture(state: &AppState) -> Option<(String, (u16, u16))> {
    // The grid draws many pictures (see `grid::wanted_thumbnails`), not one.
    if !state.options.pictures || !matches!(state.screen, Screen::Main) || state.grid_layout().is_some() {
        return None;
    }
    let layout = main_layout(state.area(), state.layout_focus(), state.counts(), true).ok()?;
    let (key, area) = match &state.view.details {
        Some(Details::Camera { id, .. }) => {
            let camera = state.data.camera(*id)?;
            (state.data.camera_thumbnail_path(camera)?, details_layout(layout.body).1)
        }
        Some(Details::Event { id }) => {
            let event = state.data.events.iter().find(|e| e.id == *id)?;
            (event.thumbnail.clone()?, details_layout(layout.body).1)
        }
        Some(Details::Program { .. }) => return None,
        None => {
            let key = match (state.view.focus, state.selected_event()) {
                (Pane::Events, Some(event)) => event.thumbnail.clone(),
                // Nothing matches the filter: no picture rather than a camera's.
                (Pane::Events, None) => None,
                _ => state.selected_camera().and_then(|c| state.data.camera_thumbnail_path(c)),
            }?;
            (key, layout.picture?)
        }
    };
    let inner = picture_inner(area);
    (inner.width > 0 && inner.height > 0).then_some((key, (inner.width, inner.height)))
}

/// Fetches and encodes the pictures on screen: the one picture, or the grid's thumbnails (the
/// selected one first, then in reading order), a few at a time.
fn picture_effects(state: &mut AppState) -> Vec<Effect> {
    let wanted = match wanted_picture(state) {
        Some(picture) => vec![picture],
        None => super::super::grid::wanted_thumbnails(state),
    };
    state.images.set_on_screen(wanted.clone());
    let mut effects = Vec::new();
    for (key, size) in wanted {
        match state.images.slot(&key) {
            None if state.images.loading() < state.options.picture_fetches.max(1) => {
                state.images.set(&key, ImageSlot::Loading);
                effects.push(Effect::FetchImage { key });
            }
            Some(ImageSlot::Ready(image))
                if state.images.encoded(&key, size).is_none()
                    && !state.images.is_encoding(&key, size)
                    && state.images.encoding() < ENCODES_AT_ONCE =>
            {
                let image = image.clone();
                if state.images.request_encoding(&key, size) {
                    effects.push(Effect::EncodeImage { key, image, size });
                }
            }
            _ => {}
        }
    }
    effects
}

/// Encodes running at once: each takes a core while it runs, and keys must still be answered.
const ENCODES_AT_ONCE: usize = 2;

/// Recomputes a list's visible rows after its data or filter changed.
pub fn rebuild_list(state: &mut AppState, pane: Pane) {
    let filter = state.list(pane).filter.to_lowercase();
    let matches =
        |fields: &[&str]| filter.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(&filter));
    let rows: Vec<(u64, bool)> = match pane {
        Pane::Networks => state.data.networks.iter().map(|n| (n.id, matches(&[&n.name]))).collect(),
        Pane::Cameras => state
            .data
            .cameras
            .iter()
            .map(|c| {
                let product = crate::summary::product_name(&c.device_type);
                (c.id, matches(&[&c.name, &c.device_type, product, c.network.as_deref().unwrap_or("")]))
            })
            .collect(),
        Pane::Programs => state
            .data
            .programs
            .iter()
            .map(|p| (p.program.id, matches(&[&p.program.name, &p.network])))
            .collect(),
        Pane::Events => {
            let filter = EventFilter::parse(&state.list(pane).filter, state.now, &state.session.zone);
            state.data.events.iter().map(|e| (e.id, filter.matches(e))).collect()
        }
    };
    state.list_mut(pane).rebuild(rows.into_iter());
    if pane == Pane::Events {
        // Marks go with the events they were on.
        let events = &state.data.events;
        state.view.marked.retain(|id| events.iter().any(|e| e.id == *id));
    }
}

impl AppState {
    pub fn area(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Rows each pane would like, for the layout.
    pub fn counts(&self) -> [usize; 4] {
        [
            self.list(Pane::Networks).len(),
            self.list(Pane::Cameras).len(),
            self.list(Pane::Programs).len(),
            self.list(Pane::Events).len(),
        ]
    }
}
