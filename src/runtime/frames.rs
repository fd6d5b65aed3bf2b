//! Frames for the terminal: the pixel size a picture area holds, and a frame encoded in the
//! terminal's picture protocol. The engine threads of clips and live view call these.

use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::picker::cap_parser::Parser;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::protocol::sixel::Sixel;

/// The picture area in pixels: half blocks draw two pixels a cell, one above the other; the
/// other protocols draw the font's cell size.
pub fn pixel_bounds(picker: &Picker, area: (u16, u16)) -> (u32, u32) {
    let (cols, rows) = (u32::from(area.0), u32::from(area.1));
    match picker.protocol_type() {
        ProtocolType::Halfblocks => (cols, rows * 2),
        ProtocolType::Sixel | ProtocolType::Kitty | ProtocolType::Iterm2 => {
            let font = picker.font_size();
            (cols * u32::from(font.width.max(1)), rows * u32::from(font.height.max(1)))
        }
    }
}

/// How much wider than tall a drawn pixel is, when not square: a half block is a cell's width
/// and half its height, so in a 9x20 cell (kitty's, when the terminal tells its cell size) it is
/// 9 wide and 10 tall. The other protocols draw square pixels.
pub fn pixel_aspect(picker: &Picker) -> Option<f32> {
    match picker.protocol_type() {
        ProtocolType::Halfblocks => {
            let font = picker.font_size();
            let aspect = 2.0 * f32::from(font.width.max(1)) / f32::from(font.height.max(1));
            ((aspect - 1.0).abs() > 0.01).then_some(aspect)
        }
        ProtocolType::Sixel | ProtocolType::Kitty | ProtocolType::Iterm2 => None,
    }
}

/// A picture sequence without the erase of its area that the library puts first. Each frame
/// covers the one before it whole, and erasing first makes the terminal show an empty area
/// until the new picture is decoded: a flicker at every frame. (Inside tmux the sequence is
/// wrapped for passthrough and stays as it is.)
fn without_erase(data: String, picture_start: &str, tmux: bool) -> String {
    match data.find(picture_start) {
        Some(start) if !tmux && start > 0 => data[start..].to_owned(),
        _ => data,
    }
}

/// A frame as sixel with the project's encoder (fewer bytes than the library's defaults for the
/// same look, see `media::sixel`), placed as the library places its own.
fn sixel(image: &image::RgbImage, cells: Size, tmux: bool) -> Option<Sixel> {
    let data = match crate::media::sixel::encode(image) {
        Ok(data) => data,
        Err(err) => {
            tracing::warn!("cannot encode a frame: {err}");
            return None;
        }
    };
    let data = if tmux { tmux_passthrough(&data, cells) } else { data };
    Some(Sixel { data, size: cells, is_tmux: tmux })
}

/// A sixel sequence wrapped for tmux's passthrough exactly as the picture library wraps its own:
/// the area erased first and every escape doubled but the sequence's last.
fn tmux_passthrough(sixel: &str, cells: Size) -> String {
    let (start, escape, end) = Parser::tmux_start_escape_end(true);
    let mut data = String::from(start);
    if cells.height == 1 {
        data.push_str(&format!("{escape}[{}X", cells.width));
    } else {
        for _ in 0..cells.height {
            data.push_str(&format!("{escape}[{}X{escape}[1B", cells.width));
        }
        data.push_str(&format!("{escape}[{}A", cells.height));
    }
    data.push_str(escape);
    data.push_str(sixel.strip_prefix('\x1b').unwrap_or(sixel));
    data.push_str(end);
    data
}

/// A frame, already of the size it is drawn at, in the terminal's picture protocol.
pub fn encode(picker: &Picker, image: image::RgbImage, kitty_id: u32) -> Option<Box<Protocol>> {
    let (width, height) = image.dimensions();
    let tmux = picker.tmux_detected();
    let font = picker.font_size();
    let cells = Size::new(
        width.div_ceil(u32::from(font.width.max(1))) as u16,
        height.div_ceil(u32::from(font.height.max(1))) as u16,
    );
    let protocol = match picker.protocol_type() {
        ProtocolType::Halfblocks => {
            let cells = Size::new(width as u16, height.div_ceil(2) as u16);
            Halfblocks::new(DynamicImage::ImageRgb8(image), cells).map(Protocol::Halfblocks)
        }
        ProtocolType::Sixel => {
            return sixel(&image, cells, tmux).map(|sixel| Box::new(Protocol::Sixel(sixel)));
        }
        ProtocolType::Iterm2 => Iterm2::new(DynamicImage::ImageRgb8(image), cells, tmux).map(|mut iterm2| {
            iterm2.data = without_erase(iterm2.data, "\x1b]1337;", tmux);
            Protocol::ITerm2(iterm2)
        }),
        ProtocolType::Kitty => {
            // zlib (`o=z`): every terminal new enough for the placeholders blinktui places images with
            // takes it, and a frame costs several times fewer bytes over the link.
            let compress = true;
            Kitty::new(DynamicImage::ImageRgb8(image), cells, kitty_id, tmux, compress).map(Protocol::Kitty)
        }
    };
    match protocol {
        Ok(protocol) => Some(Box::new(protocol)),
        Err(err) => {
            tracing::warn!("cannot encode a frame: {err}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui_image::FontSize;

    use super::*;

    fn picker(protocol: ProtocolType, font: (u16, u16)) -> Picker {
        #[allow(deprecated)] // The way to state a cell size the terminal did not answer here.
        let mut picker = Picker::from_fontsize(FontSize::new(font.0, font.1));
        picker.set_protocol_type(protocol);
        picker
    }

    #[test]
    fn half_blocks_take_the_cell_shape_the_terminal_told() {
        let kitty = pixel_aspect(&picker(ProtocolType::Halfblocks, (9, 20))).expect("not square");
        assert!((kitty - 0.9).abs() < 1e-6, "{kitty}");
        assert_eq!(pixel_aspect(&picker(ProtocolType::Halfblocks, (10, 20))), None, "the usual cell");
        assert_eq!(pixel_aspect(&picker(ProtocolType::Sixel, (9, 20))), None, "sixel pixels are square");
    }
}
