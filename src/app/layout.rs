//! Where everything goes, as a pure function of the terminal size and a few facts about the
//! state. `update` uses it too (for scrolling and to know what size to encode a picture at),
//! so drawing and state always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::Pane;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width on, a right-hand column shows the picture and details.
const TWO_COLUMNS_FROM: u16 = 76;
const PANE_MIN: u16 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainLayout {
    pub header: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
    /// Indexed by `Pane as usize`.
    pub panes: [Rect; 4],
    /// The picture pane (outer, with its border); `None` in one-column layouts or without
    /// pictures.
    pub picture: Option<Rect>,
    /// Facts about the selection, under the picture.
    pub info: Option<Rect>,
}

/// The terminal is smaller than blinktui can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooSmall;

/// `counts` are the rows each pane would like (items in it). The focused pane, if given, gets
/// its rows first; without one (mouse mode) panes keep their size when focus moves, so a click
/// never moves what is under the pointer.
pub fn main_layout(
    area: Rect,
    focus: Option<Pane>,
    counts: [usize; 4],
    pictures: bool,
) -> Result<MainLayout, TooSmall> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Err(TooSmall);
    }
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (lists, right) = if area.width >= TWO_COLUMNS_FROM {
        // Two fifths for the picture, more on wide terminals, up to half.
        let right_width =
            (area.width * 2 / 5).max(30).max(area.width.saturating_sub(120)).min(area.width / 2);
        let [lists, right] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(body);
        (lists, Some(right))
    } else {
        (body, None)
    };
    let heights = pane_heights(lists.height, focus, counts);
    let mut panes = [Rect::default(); 4];
    let mut y = lists.y;
    for pane in Pane::ALL {
        let height = heights[pane as usize];
        panes[pane as usize] = Rect { x: lists.x, y, width: lists.width, height };
        y += height;
    }
    let (picture, info) = match right {
        Some(right) if pictures => {
            // 16:9 pictures in cells about twice as tall as wide.
            let inner_width = right.width.saturating_sub(2);
            let wanted = (inner_width * 9 / 32).max(4) + 2;
            let height = wanted.min(right.height.saturating_sub(8).max(6));
            let [picture, info] =
                Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(right);
            (Some(picture), Some(info))
        }
        Some(right) => (None, Some(right)),
        None => (None, None),
    };
    Ok(MainLayout { header, body, status, footer, panes, picture, info })
}

/// Every pane gets at least one row; the focused pane then gets what it wants, the small
/// panes next, and cameras and events share the rest.
fn pane_heights(total: u16, focus: Option<Pane>, counts: [usize; 4]) -> [u16; 4] {
    let desired = |pane: Pane| -> u16 {
        let rows = u16::try_from(counts[pane as usize]).unwrap_or(u16::MAX).max(1);
        // Its border, and its column headers when they would show.
        let bordered = rows.saturating_add(2);
        match pane {
            Pane::Events => u16::MAX,
            _ if bordered.saturating_add(1) >= HEADER_MIN => bordered.saturating_add(1),
            _ => bordered,
        }
    };
    let mut heights = [PANE_MIN; 4];
    let mut left = total.saturating_sub(PANE_MIN * 4);
    let grow = |pane: Pane, limit: u16, heights: &mut [u16; 4], left: &mut u16| {
        let index = pane as usize;
        let extra = desired(pane).saturating_sub(heights[index]).min(limit).min(*left);
        heights[index] += extra;
        *left -= extra;
    };
    if let Some(focus) = focus {
        grow(focus, u16::MAX, &mut heights, &mut left);
    }
    grow(Pane::Networks, u16::MAX, &mut heights, &mut left);
    grow(Pane::Programs, u16::MAX, &mut heights, &mut left);
    let half = left / 2;
    grow(Pane::Cameras, half, &mut heights, &mut left);
    grow(Pane::Events, u16::MAX, &mut heights, &mut left);
    grow(Pane::Cameras, u16::MAX, &mut heights, &mut left);
    heights[Pane::Events as usize] += left;
    heights
}

/// The least height of a pane with column headers: its border, the headers and four rows. A
/// pane of two or three rows reads without them, and on a short terminal they would cost the
/// events pane the rows it needs.
const HEADER_MIN: u16 = 7;

/// Whether a pane has room for a line of column headers above at least four rows.
pub fn pane_header(rect: Rect) -> bool {
    rect.height >= HEADER_MIN
}

/// Rows of items a pane shows (inside its border, under its headers).
pub fn pane_rows(rect: Rect) -> usize {
    usize::from(rect.height.saturating_sub(2)) - usize::from(pane_header(rect))
}

/// The area a picture is drawn in, inside its border.
pub fn picture_inner(outer: Rect) -> Rect {
    Rect {
        x: outer.x + 1,
        y: outer.y + 1,
        width: outer.width.saturating_sub(2),
        height: outer.height.saturating_sub(2),
    }
}

/// A full-screen details view: facts on the left, a large picture on the right (or below,
/// when narrow).
pub fn details_layout(body: Rect) -> (Rect, Rect) {
    if body.width >= 100 {
        let [facts, picture] = Layout::horizontal([Constraint::Length(44), Constraint::Min(0)]).areas(body);
        (facts, picture)
    } else {
        let [facts, picture] = Layout::vertical([Constraint::Length(10), Constraint::Min(0)]).areas(body);
        (facts, picture)
    }
}

/// `blinktui play`: the picture fills the screen above one line of progress and keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayLayout {
    pub picture: Rect,
    pub progress: Rect,
}

pub fn play_layout(area: Rect) -> PlayLayout {
    let [picture, progress] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    PlayLayout { picture, progress }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(w: u16, h: u16, focus: Pane) -> MainLayout {
        main_layout(Rect::new(0, 0, w, h), Some(focus), [2, 7, 3, 500], true).expect("fits")
    }

    #[test]
    fn too_small_is_reported() {
        assert_eq!(main_layout(Rect::new(0, 0, 59, 30), Some(Pane::Networks), [1; 4], true), Err(TooSmall));
        assert_eq!(main_layout(Rect::new(0, 0, 100, 15), Some(Pane::Networks), [1; 4], true), Err(TooSmall));
        assert!(
            main_layout(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT), Some(Pane::Networks), [1; 4], true).is_ok()
        );
    }

    #[test]
    fn wide_terminals_get_every_pane_in_full_and_a_picture() {
        let l = layout(120, 36, Pane::Networks);
        // Border and every row; column headers over the panes with four rows or more.
        assert_eq!(l.panes[Pane::Networks as usize].height, 4);
        assert_eq!(l.panes[Pane::Cameras as usize].height, 10);
        assert_eq!(l.panes[Pane::Programs as usize].height, 5);
        assert!(l.panes[Pane::Events as usize].height >= 10);
        let picture = l.picture.expect("picture");
        assert!(picture.width >= 40 && picture.height >= 12, "{picture:?}");
        let total: u16 = l.panes.iter().map(|r| r.height).sum();
        assert_eq!(total, l.body.height, "panes fill the column");
    }

    #[test]
    fn the_focused_pane_grows_first_in_small_terminals() {
        let events = layout(80, 24, Pane::Events);
        assert!(pane_rows(events.panes[Pane::Events as usize]) >= 6);
        let cameras = layout(80, 24, Pane::Cameras);
        assert_eq!(pane_rows(cameras.panes[Pane::Cameras as usize]), 7);
        for l in [events, cameras] {
            assert!(l.panes.iter().all(|r| r.height >= PANE_MIN));
        }
    }

    #[test]
    fn narrow_terminals_drop_the_picture_column() {
        let l = layout(70, 24, Pane::Networks);
        assert!(l.picture.is_none() && l.info.is_none());
        assert_eq!(l.panes[0].width, 70);
        let no_pictures =
            main_layout(Rect::new(0, 0, 120, 36), Some(Pane::Networks), [1; 4], false).expect("fits");
        assert!(no_pictures.picture.is_none() && no_pictures.info.is_some());
    }
}
