//! A hand-coded 5x7 bitmap font for the caption overlay on simulated camera pictures, so the
//! simulator needs no font files.

pub(super) const GLYPH_WIDTH: i32 = 5;
pub(super) const GLYPH_HEIGHT: i32 = 7;
/// Distance between the left edges of neighbouring glyphs, in font pixels (one blank column between them).
pub(super) const ADVANCE: i32 = GLYPH_WIDTH + 1;

type Rows = [u8; GLYPH_HEIGHT as usize];

/// Each row holds five bits; `0b10000` is the leftmost column.
#[rustfmt::skip]
const GLYPHS: &[(char, Rows)] = &[
    ('A', [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001]),
    ('B', [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110]),
    ('C', [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110]),
    ('D', [0b11100, 0b10010, 0b10001, 0b10001, 0b10001, 0b10010, 0b11100]),
    ('E', [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111]),
    ('F', [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000]),
    ('G', [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111]),
    ('H', [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001]),
    ('I', [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110]),
    ('J', [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100]),
    ('K', [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001]),
    ('L', [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111]),
    ('M', [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001]),
    ('N', [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001]),
    ('O', [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110]),
    ('P', [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000]),
    ('Q', [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101]),
    ('R', [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001]),
    ('S', [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110]),
    ('T', [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100]),
    ('U', [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110]),
    ('V', [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100]),
    ('W', [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010]),
    ('X', [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001]),
    ('Y', [0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100]),
    ('Z', [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111]),
    ('0', [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110]),
    ('1', [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110]),
    ('2', [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111]),
    ('3', [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110]),
    ('4', [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010]),
    ('5', [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110]),
    ('6', [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110]),
    ('7', [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000]),
    ('8', [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110]),
    ('9', [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100]),
    (' ', [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000]),
    (':', [0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000]),
    ('-', [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000]),
    ('.', [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100]),
    ('/', [0b00000, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b00000]),
    ('(', [0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010]),
    (')', [0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000]),
    ('?', [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b00000, 0b00100]),
    ('!', [0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00000, 0b00100]),
    (',', [0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000]),
    ('\'', [0b01100, 0b00100, 0b01000, 0b00000, 0b00000, 0b00000, 0b00000]),
    ('#', [0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010]),
    ('+', [0b00000, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0b00000]),
    ('_', [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b11111]),
    ('&', [0b01100, 0b10010, 0b10100, 0b01000, 0b10101, 0b10010, 0b01101]),
];

fn lookup(wanted: char) -> Option<Rows> {
    GLYPHS.iter().find(|(ch, _)| *ch == wanted).map(|(_, rows)| *rows)
}

/// The rows of `ch`; lower case is drawn as upper case and anything without a glyph as '?'.
pub(super) fn glyph_rows(ch: char) -> Rows {
    lookup(ch.to_ascii_uppercase()).or_else(|| lookup('?')).unwrap_or_default()
}

/// Width in font pixels of `chars` glyphs, without spacing after the last one.
pub(super) fn text_width(chars: usize) -> i32 {
    let chars = i32::try_from(chars).unwrap_or(i32::MAX);
    chars.saturating_mul(ADVANCE).saturating_sub(1).max(0)
}

/// Calls `plot(x, y)` for every lit font pixel of `text`, in font pixels from the text's top-left
/// corner. The caller decides how big a font pixel is and how it is painted.
pub(super) fn for_each_lit_cell(text: &str, mut plot: impl FnMut(i32, i32)) {
    let mut origin_x: i32 = 0;
    for ch in text.chars() {
        for (row, bits) in (0..).zip(glyph_rows(ch)) {
            for column in 0..GLYPH_WIDTH {
                if bits & (0b10000 >> column) != 0 {
                    plot(origin_x.saturating_add(column), row);
                }
            }
        }
        origin_x = origin_x.saturating_add(ADVANCE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_character_has_its_own_glyph() {
        let question_mark = glyph_rows('?');
        for ch in ('A'..='Z').chain('0'..='9').chain(":-./()".chars()) {
            let rows = lookup(ch).expect("required glyph is missing");
            assert!(rows.iter().any(|&row| row != 0), "{ch:?} has no lit pixels");
            assert_ne!(rows, question_mark, "{ch:?} falls back to '?'");
        }
        assert_eq!(lookup(' '), Some([0; 7]));
    }

    #[test]
    fn glyph_rows_fit_in_five_columns() {
        for (ch, rows) in GLYPHS {
            assert!(rows.iter().all(|&row| row < 1 << GLYPH_WIDTH), "{ch:?} is wider than the font");
        }
    }

    #[test]
    fn lower_case_is_drawn_as_upper_case() {
        assert_eq!(glyph_rows('k'), glyph_rows('K'));
    }

    #[test]
    fn unknown_characters_are_drawn_as_question_mark() {
        assert_eq!(glyph_rows('é'), glyph_rows('?'));
        assert_eq!(glyph_rows('~'), glyph_rows('?'));
    }

    #[test]
    fn lit_cells_stay_within_text_width() {
        let text = "FRONT DOOR 12:30";
        let width = text_width(text.chars().count());
        let mut cells = 0;
        for_each_lit_cell(text, |x, y| {
            cells += 1;
            assert!((0..width).contains(&x), "cell x {x} outside 0..{width}");
            assert!((0..GLYPH_HEIGHT).contains(&y), "cell y {y} outside the line");
        });
        assert!(cells > 0);
        assert_eq!(text_width(0), 0);
        assert_eq!(text_width(2), 2 * ADVANCE - 1);
    }
}
