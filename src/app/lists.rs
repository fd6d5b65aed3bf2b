//! Selection, scrolling and filtering of one list pane. Rows are addressed by the index of
//! the item in its data; `visible` holds the indices that pass the filter, so moving the
//! selection and drawing a screenful never walk the whole list.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    /// Position in `visible`.
    pub selected: usize,
    /// First visible row when drawn.
    pub offset: usize,
    pub filter: String,
    /// Indices into the pane's data, in display order.
    pub visible: Vec<usize>,
    /// Id of the selected item, kept so a refresh that reorders rows keeps the selection.
    pub selected_id: Option<u64>,
}

impl ListView {
    /// Recomputes `visible` from the items' ids and whether each passes the filter, keeping
    /// the selection on the same item when it is still there.
    pub fn rebuild(&mut self, items: impl Iterator<Item = (u64, bool)>) {
        self.visible.clear();
        let mut reselect = None;
        for (index, (id, shown)) in items.enumerate() {
            if shown {
                if Some(id) == self.selected_id {
                    reselect = Some(self.visible.len());
                }
                self.visible.push(index);
            }
        }
        self.selected = reselect.unwrap_or(self.selected.min(self.visible.len().saturating_sub(1)));
    }

    /// The data index of the selected row.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn top(&mut self) {
        self.selected = 0;
    }

    pub fn bottom(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// Scrolls the least needed so the selection is inside a viewport of `height` rows.
    pub fn ensure_visible(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.visible.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// The rows to draw for a viewport of `height`: (position, data index).
    pub fn window(&self, height: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.visible.iter().copied().enumerate().skip(self.offset).take(height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: u64) -> ListView {
        let mut view = ListView::default();
        view.rebuild((0..n).map(|id| (id, true)));
        view
    }

    #[test]
    fn movement_is_clamped() {
        let mut view = list(5);
        view.move_by(-1);
        assert_eq!(view.selected, 0);
        view.move_by(10);
        assert_eq!(view.selected, 4);
        view.top();
        assert_eq!(view.selected_index(), Some(0));
        let mut empty = list(0);
        empty.move_by(3);
        assert_eq!(empty.selected_index(), None);
    }

    #[test]
    fn scrolling_follows_the_selection_minimally() {
        let mut view = list(100);
        view.move_by(12);
        view.ensure_visible(10);
        assert_eq!(view.offset, 3);
        view.move_by(-2);
        view.ensure_visible(10);
        assert_eq!(view.offset, 3, "moving up inside the window does not scroll");
        view.top();
        view.ensure_visible(10);
        assert_eq!(view.offset, 0);
        let rows: Vec<_> = view.window(3).collect();
        assert_eq!(rows, [(0, 0), (1, 1), (2, 2)]);
    }

    #[test]
    fn a_rebuild_keeps_the_selected_item() {
        let mut view = list(5);
        view.move_by(3);
        view.selected_id = Some(3);
        // Two new items arrive in front: the same item is now at index 5.
        view.rebuild(
            [(10, true), (11, true), (0, true), (1, true), (2, true), (3, true), (4, true)].into_iter(),
        );
        assert_eq!(view.selected_index(), Some(5));
        // Filtering hides it: the selection stays in range.
        view.rebuild([(0, true), (3, false)].into_iter());
        assert_eq!(view.selected, 0);
    }
}
