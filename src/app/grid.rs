//! The events as a grid of thumbnails (`t`): the events pane's own list (its filter, order,
//! selection and marks) drawn as tiles instead of rows. Where tiles go is a pure function of
//! the area, so `update` (scrolling, which thumbnails to fetch) and drawing always agree.

use ratatui::layout::{Position, Rect};

use super::lists::ListView;
use super::{AppState, Pane};

/// Tiles are at least this wide (cells): a thumbnail smaller than this says little.
const TILE_MIN_WIDTH: u16 = 24;
/// Columns between two tiles.
const GAP: u16 = 1;
/// Lines under each picture: the time, camera and unwatched mark; then the day and network.
pub const CAPTION_LINES: u16 = 2;

/// The grid's scroll position: the first row of tiles on screen. Which event is selected is
/// the events list's, shared with the list view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grid {
    pub top_row: usize,
}

/// Where the tiles go inside the grid pane's border.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridLayout {
    pub inner: Rect,
    pub columns: usize,
    /// Rows of tiles that fit whole.
    pub rows: usize,
    pub tile_width: u16,
    pub picture_height: u16,
    /// Rows between two rows of tiles: one when the height leaves room for it.
    pub row_gap: u16,
}

impl GridLayout {
    /// The layout inside `pane`, the grid's outer area (its border included).
    pub fn new(pane: Rect) -> Self {
        let inner = Rect {
            x: pane.x + 1,
            y: pane.y + 1,
            width: pane.width.saturating_sub(2),
            height: pane.height.saturating_sub(2),
        };
        let columns = ((inner.width + GAP) / (TILE_MIN_WIDTH + GAP)).max(1);
        let tile_width = (inner.width.saturating_sub(GAP * (columns - 1)) / columns).max(1);
        // What the tiles leave goes to both sides, so the grid sits in the middle.
        let spare = inner.width.saturating_sub(tile_width * columns + GAP * (columns - 1));
        let inner = Rect { x: inner.x + spare / 2, width: inner.width - spare, ..inner };
        // 16:9 pictures in cells about twice as tall as wide; never taller than the pane.
        let caption_room = inner.height.saturating_sub(CAPTION_LINES).max(1);
        let picture_height = (tile_width * 9 / 32).clamp(1, caption_room);
        let tile_height = picture_height + CAPTION_LINES;
        let rows = (inner.height / tile_height).max(1);
        let row_gap = u16::from(rows > 1 && inner.height - rows * tile_height >= rows - 1);
        Self {
            inner,
            columns: usize::from(columns),
            rows: usize::from(rows),
            tile_width,
            picture_height,
            row_gap,
        }
    }

    pub fn tile_height(&self) -> u16 {
        self.picture_height + CAPTION_LINES
    }

    /// Tiles on one screen.
    pub fn capacity(&self) -> usize {
        self.columns * self.rows
    }

    /// The tile at `slot` (0 is the top left one on screen), clipped to the pane.
    pub fn tile(&self, slot: usize) -> Rect {
        let (row, column) = (slot / self.columns, slot % self.columns);
        let x = self.inner.x + (self.tile_width + GAP) * u16::try_from(column).unwrap_or(0);
        let y = self.inner.y + (self.tile_height() + self.row_gap) * u16::try_from(row).unwrap_or(0);
        Rect { x, y, width: self.tile_width, height: self.tile_height() }.intersection(self.inner)
    }

    /// The picture part of the tile at `slot`.
    pub fn picture(&self, slot: usize) -> Rect {
        let tile = self.tile(slot);
        Rect { height: tile.height.min(self.picture_height), ..tile }
    }

    /// The slot of the tile under `at`, if any.
    pub fn slot_at(&self, at: Position) -> Option<usize> {
        if !self.inner.contains(at) {
            return None;
        }
        let column = usize::from((at.x - self.inner.x) / (self.tile_width + GAP));
        let row = usize::from((at.y - self.inner.y) / (self.tile_height() + self.row_gap));
        let slot = row * self.columns + column;
        (column < self.columns && row < self.rows && self.tile(slot).contains(at)).then_some(slot)
    }
}

impl Grid {
    /// Scrolls the least needed so the tile of `selected` is on screen, with no empty rows at
    /// the end while there are rows above.
    pub fn keep_visible(&mut self, selected: usize, count: usize, layout: &GridLayout) {
        let row = selected / layout.columns;
        if row < self.top_row {
            self.top_row = row;
        } else if row >= self.top_row + layout.rows {
            self.top_row = row + 1 - layout.rows;
        }
        let all_rows = count.div_ceil(layout.columns);
        self.top_row = self.top_row.min(all_rows.saturating_sub(layout.rows));
    }

    /// [`Grid::shown`] with the selected tile first: its picture is the one looked at, so it is
    /// fetched, encoded and sent before the others.
    pub fn shown_selected_first(&self, list: &ListView, layout: &GridLayout) -> Vec<(usize, usize)> {
        let mut shown: Vec<(usize, usize)> = self.shown(list.len(), layout).collect();
        shown.sort_by_key(|(_, position)| *position != list.selected);
        shown
    }

    /// The positions in the list that are on screen, with their slots.
    pub fn shown(&self, count: usize, layout: &GridLayout) -> impl Iterator<Item = (usize, usize)> {
        let first = self.top_row * layout.columns;
        (first..count.min(first + layout.capacity())).map(move |position| (position - first, position))
    }
}

/// The thumbnails on screen, with the size (cells) each is drawn at: the selected one first,
/// then in reading order. Only these are fetched, so a long night costs what one screen does.
pub fn wanted_thumbnails(state: &AppState) -> Vec<(String, (u16, u16))> {
    let (Some(layout), Some(grid)) = (state.grid_layout(), state.view.grid) else {
        return Vec::new();
    };
    if !state.options.pictures {
        return Vec::new();
    }
    let list = state.list(Pane::Events);
    grid.shown_selected_first(list, &layout)
        .into_iter()
        .filter_map(|(slot, position)| {
            let event = state.data.events.get(*list.visible.get(position)?)?;
            let area = layout.picture(slot);
            Some((event.thumbnail.clone()?, (area.width, area.height)))
        })
        .collect()
}

/// Where a grid key moves the selection from `selected` among `count` tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Left,
    Right,
    Up,
    Down,
    PageUp,
    PageDown,
}

pub fn step(selected: usize, count: usize, layout: &GridLayout, movement: Move) -> usize {
    let last = count.saturating_sub(1);
    let (columns, page) = (layout.columns, layout.capacity());
    match movement {
        Move::Left => selected.saturating_sub(1),
        Move::Right => (selected + 1).min(last),
        // Up and down keep the column when the row has a tile there, as a grid of files does.
        Move::Up => selected.checked_sub(columns).unwrap_or(selected),
        Move::Down if selected + columns <= last => selected + columns,
        // From the row above the last, down lands on the last tile rather than nowhere.
        Move::Down if selected / columns < last / columns => last,
        Move::Down => selected,
        Move::PageUp => selected.saturating_sub(page),
        Move::PageDown => (selected + page).min(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_140_by_45_terminal_shows_at_least_twelve_tiles() {
        // The body of a 140x45 screen: all but the header, status and key lines.
        let layout = GridLayout::new(Rect::new(0, 1, 140, 42));
        assert!(layout.capacity() >= 12, "{layout:?}");
        assert_eq!((layout.columns, layout.rows), (5, 4));
        // 16:9 in cells twice as tall as wide.
        assert_eq!((layout.tile_width, layout.picture_height, layout.row_gap), (26, 7, 1));
        // Tiles never overlap and stay inside the border.
        for slot in 0..layout.capacity() {
            let tile = layout.tile(slot);
            assert!(layout.inner.contains(Position::new(tile.right() - 1, tile.bottom() - 1)));
            if slot % layout.columns > 0 {
                assert!(layout.tile(slot - 1).right() < tile.x, "a gap between tiles");
            }
        }
        assert_eq!(GridLayout::new(Rect::new(0, 1, 80, 21)).capacity(), 6, "80x24");
    }

    #[test]
    fn a_click_finds_its_tile_and_gaps_find_none() {
        let layout = GridLayout::new(Rect::new(0, 1, 140, 42));
        let tile = layout.tile(7);
        assert_eq!(layout.slot_at(Position::new(tile.x + 3, tile.y + 2)), Some(7));
        assert_eq!(layout.slot_at(Position::new(tile.right(), tile.y)), None, "the gap");
        assert_eq!(layout.slot_at(Position::new(0, 1)), None, "the border");
    }

    #[test]
    fn keys_move_in_two_dimensions_and_stop_at_the_edges() {
        let layout = GridLayout::new(Rect::new(0, 1, 140, 42));
        assert_eq!(layout.columns, 5);
        let count = 23;
        assert_eq!(step(7, count, &layout, Move::Down), 12);
        assert_eq!(step(7, count, &layout, Move::Up), 2);
        assert_eq!(step(2, count, &layout, Move::Up), 2, "top row");
        assert_eq!(step(0, count, &layout, Move::Left), 0);
        assert_eq!(step(22, count, &layout, Move::Right), 22);
        // The last row holds 20..22: down from 18 lands on the last tile, down from 22 stays.
        assert_eq!(step(18, count, &layout, Move::Down), 22);
        assert_eq!(step(22, count, &layout, Move::Down), 22);
        assert_eq!(step(0, count, &layout, Move::PageDown), 20);
        assert_eq!(step(3, 0, &layout, Move::Right), 0, "an empty list");
    }

    #[test]
    fn scrolling_follows_the_selection_a_row_at_a_time() {
        let layout = GridLayout::new(Rect::new(0, 1, 140, 42));
        let mut grid = Grid::default();
        grid.keep_visible(19, 100, &layout);
        assert_eq!(grid.top_row, 0, "the fourth row is on screen");
        grid.keep_visible(20, 100, &layout);
        assert_eq!(grid.top_row, 1);
        let shown: Vec<_> = grid.shown(100, &layout).take(2).collect();
        assert_eq!(shown, [(0, 5), (1, 6)]);
        grid.keep_visible(0, 100, &layout);
        assert_eq!(grid.top_row, 0);
        // Fewer events than a screen: nothing scrolls.
        grid.top_row = 3;
        grid.keep_visible(2, 7, &layout);
        assert_eq!(grid.top_row, 0);
        assert_eq!(grid.shown(7, &layout).count(), 7);
    }
}
