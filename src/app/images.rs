//! Pictures: decoded images cached by their path (an unchanged thumbnail is never fetched
//! again), and the encoded form for the area they are drawn in. Decoding and encoding happen
//! off the UI task; this store only records their results.
//!
//! The decoded cache is bounded in bytes, not entries: one picture can cost a hundred times
//! another, and a count bounds nothing. Decoding caps each picture (see `media::picture`).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use image::DynamicImage;
use ratatui_image::protocol::Protocol;

use super::action::EncodeFailed;
use super::encodes::{Cells, Encodes};

/// The decoded pictures kept: ten at the largest decoded size (1920x1080 RGB), many more at
/// Blink's usual thumbnail sizes.
pub const DECODED_BUDGET: usize = 64 * 1024 * 1024;
/// What the encoded pictures may hold: a grid of thumbnails at once (about 30 KB each in
/// sixel), and a few large pictures.
pub const ENCODED_BUDGET: usize = 32 * 1024 * 1024;
/// What an entry costs besides its pixels (key, map slot, message).
const ENTRY_OVERHEAD: usize = 128;

#[derive(Debug, Clone)]
pub enum ImageSlot {
    Loading,
    Ready(Arc<DynamicImage>),
    Failed(String),
}

/// An image encoded for one area size (in cells).
pub struct Encoded {
    pub key: String,
    pub size: (u16, u16),
    pub protocol: Protocol,
}

pub struct ImageStore {
    decoded: HashMap<String, ImageSlot>,
    /// Least recently used first.
    order: VecDeque<String>,
    /// What `decoded` costs now, and what it may cost.
    bytes: usize,
    budget: usize,
    /// Least recently made first.
    encoded: VecDeque<Encoded>,
    encoded_bytes: usize,
    encoded_budget: usize,
    /// The pictures on screen now (key and size): never pushed out to make room, or a screen
    /// dearer than the budget would encode for ever.
    on_screen: Vec<(String, Cells)>,
    /// Encodings asked for and not back yet, coalesced per picture.
    encodes: Encodes,
}

impl std::fmt::Debug for ImageStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageStore")
            .field("decoded", &self.decoded.len())
            .field("bytes", &self.bytes)
            .field("encoded", &self.encoded.len())
            .finish()
    }
}

impl Default for ImageStore {
    fn default() -> Self {
        Self::with_budget(DECODED_BUDGET)
    }
}

impl ImageStore {
    /// A store whose decoded pictures cost at most `budget` bytes (the newest is always kept).
    pub fn with_budget(budget: usize) -> Self {
        Self {
            decoded: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            budget,
            encoded: VecDeque::new(),
            encoded_bytes: 0,
            encoded_budget: ENCODED_BUDGET,
            on_screen: Vec::new(),
            encodes: Encodes::default(),
        }
    }

    /// A store whose encoded pictures cost at most `budget` bytes, besides those on screen.
    pub fn with_encoded_budget(mut self, budget: usize) -> Self {
        self.encoded_budget = budget;
        self
    }

    pub fn slot(&self, key: &str) -> Option<&ImageSlot> {
        self.decoded.get(key)
    }

    /// What the decoded pictures cost now, in bytes.
    pub fn decoded_bytes(&self) -> usize {
        self.bytes
    }

    pub fn set(&mut self, key: &str, slot: ImageSlot) {
        self.order.retain(|k| k != key);
        self.order.push_back(key.to_owned());
        self.bytes += cost(key, &slot);
        if let Some(old) = self.decoded.insert(key.to_owned(), slot) {
            self.bytes -= cost(key, &old);
        }
        // Least recently set first; the picture just set stays whatever it costs.
        while self.bytes > self.budget && self.order.len() > 1 {
            if let Some(old) = self.order.pop_front()
                && let Some(slot) = self.decoded.remove(&old)
            {
                self.bytes -= cost(&old, &slot);
            }
        }
    }

    pub fn encoded(&self, key: &str, size: (u16, u16)) -> Option<&Protocol> {
        self.encoded.iter().find(|e| e.key == key && e.size == size).map(|e| &e.protocol)
    }

    /// Whether `key` at `size` is being encoded or waits to be.
    pub fn is_encoding(&self, key: &str, size: Cells) -> bool {
        self.encodes.wants(key, size)
    }

    /// Asks for `key` encoded at `size`: true when that encode is to start now (otherwise it
    /// waits for the one running for the same picture, replacing any size waiting before it).
    pub fn request_encoding(&mut self, key: &str, size: Cells) -> bool {
        self.encodes.request(key, size)
    }

    /// An encode came back: its result is kept (a picture, or the failure) only if its size is
    /// still the newest asked for. Returns the encode to start next, if a size waits.
    pub fn finish_encoding(
        &mut self,
        key: &str,
        size: Cells,
        result: Result<Protocol, EncodeFailed>,
    ) -> Option<(Arc<DynamicImage>, Cells)> {
        let finished = self.encodes.finish(key, size);
        match result {
            Ok(protocol) if finished.keep => {
                self.encoded.retain(|e| !(e.key == key && e.size == size));
                self.encoded.push_back(Encoded { key: key.to_owned(), size, protocol });
                self.encoded_bytes = self.encoded.iter().map(|e| encoded_cost(&e.protocol)).sum();
                self.make_room();
            }
            Err(err) if finished.keep => self.set(key, ImageSlot::Failed(err.to_string())),
            // A size no longer wanted: neither its picture nor its failure says anything now.
            Ok(_) | Err(_) => {}
        }
        let next = finished.next?;
        match self.decoded.get(key) {
            Some(ImageSlot::Ready(image)) => Some((image.clone(), next)),
            // The picture itself is gone: nothing to encode, nothing to wait for.
            _ => {
                self.encodes.forget(key);
                None
            }
        }
    }

    /// Pushes out the oldest encodings until the budget holds, sparing the newest and those on
    /// screen (which may cost more than the budget: their cost is bounded by the screen's).
    fn make_room(&mut self) {
        let mut index = 0;
        while self.encoded_bytes > self.encoded_budget && index + 1 < self.encoded.len() {
            let entry = &self.encoded[index];
            if self.on_screen.iter().any(|(key, size)| *key == entry.key && *size == entry.size) {
                index += 1;
            } else if let Some(old) = self.encoded.remove(index) {
                self.encoded_bytes -= encoded_cost(&old.protocol);
            }
        }
    }

    /// The pictures on screen now, kept however much they cost.
    pub fn set_on_screen(&mut self, pictures: Vec<(String, Cells)>) {
        self.on_screen = pictures;
    }

    /// Pictures being fetched and decoded now.
    pub fn loading(&self) -> usize {
        self.decoded.values().filter(|slot| matches!(slot, ImageSlot::Loading)).count()
    }

    /// Pictures being encoded now.
    pub fn encoding(&self) -> usize {
        self.encodes.running()
    }

    /// How many encodes were started since the app began.
    pub fn encodes_started(&self) -> u64 {
        self.encodes.started()
    }

    /// Drops pictures still loading or encoding (their job was lost); they are asked for again.
    pub fn forget_loading(&mut self) {
        self.forget(|slot| matches!(slot, ImageSlot::Loading));
        self.encodes.clear();
    }

    /// Drops every encoded picture: after the terminal was handed over, what it showed is gone
    /// (kitty forgets transmitted images with the screen), so pictures are encoded and sent again.
    pub fn forget_encodings(&mut self) {
        self.encoded.clear();
        self.encoded_bytes = 0;
        self.encodes.clear();
    }

    pub fn forget_failures(&mut self) {
        self.forget(|slot| matches!(slot, ImageSlot::Failed(_)));
    }

    fn forget(&mut self, drop: impl Fn(&ImageSlot) -> bool) {
        self.decoded.retain(|_, slot| !drop(slot));
        let decoded = &self.decoded;
        self.order.retain(|key| decoded.contains_key(key));
        self.bytes = self.decoded.iter().map(|(key, slot)| cost(key, slot)).sum();
    }

    /// Anything being fetched, decoded or encoded (the spinner keeps ticking meanwhile).
    pub fn busy(&self) -> bool {
        self.encodes.busy() || self.decoded.values().any(|slot| matches!(slot, ImageSlot::Loading))
    }
}

/// About what an encoded picture holds: its text for sixel and iTerm2; for half blocks a cell
/// holds two colours; kitty's data is the library's own, so its pixels (RGBA) stand for it.
pub fn encoded_cost(protocol: &Protocol) -> usize {
    let size = protocol.size();
    let cells = usize::from(size.width) * usize::from(size.height);
    ENTRY_OVERHEAD
        + match protocol {
            Protocol::Sixel(sixel) => sixel.data.len(),
            Protocol::ITerm2(iterm) => iterm.data.len(),
            Protocol::Halfblocks(_) => cells * 16,
            Protocol::Kitty(_) => cells * 10 * 20 * 4,
        }
}

/// The memory an entry holds: its pixels, or its message, and the bookkeeping.
fn cost(key: &str, slot: &ImageSlot) -> usize {
    let content = match slot {
        ImageSlot::Loading => 0,
        ImageSlot::Ready(image) => image.as_bytes().len(),
        ImageSlot::Failed(message) => message.len(),
    };
    ENTRY_OVERHEAD + 2 * key.len() + content
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    fn picture(width: u32, height: u32) -> ImageSlot {
        ImageSlot::Ready(Arc::new(DynamicImage::ImageRgb8(RgbImage::new(width, height))))
    }

    #[test]
    fn the_cache_keeps_the_most_recent_pictures() {
        let mut store = ImageStore::with_budget(10_000);
        for n in 0..100 {
            store.set(&format!("/p/{n}"), ImageSlot::Failed("x".into()));
        }
        assert!(store.slot("/p/0").is_none());
        assert!(store.slot("/p/99").is_some());
        store.set("/p/loading", ImageSlot::Loading);
        assert!(store.busy());
        assert!(store.decoded_bytes() <= 10_000);
    }

    /// Large pictures push out old ones by what they cost, however few entries there are.
    #[test]
    fn the_cache_is_bounded_in_bytes_not_entries() {
        let one = 1000 * 1000 * 3;
        let mut store = ImageStore::with_budget(4 * one + 4 * 1024);
        for n in 0..10 {
            store.set(&format!("/big/{n}"), picture(1000, 1000));
            assert!(store.decoded_bytes() <= 4 * one + 4 * 1024, "{}", store.decoded_bytes());
        }
        let kept: Vec<_> = (0..10).filter(|n| store.slot(&format!("/big/{n}")).is_some()).collect();
        assert_eq!(kept, [6, 7, 8, 9], "the four most recent fit");
        // Small ones fit many to the same budget.
        for n in 0..200 {
            store.set(&format!("/small/{n}"), picture(64, 36));
        }
        assert!((0..200).all(|n| store.slot(&format!("/small/{n}")).is_some()));
        assert!(store.decoded_bytes() <= 4 * one + 4 * 1024);
    }

    #[test]
    fn replacing_and_forgetting_keep_the_count_right() {
        let mut store = ImageStore::with_budget(usize::MAX);
        store.set("/a", ImageSlot::Loading);
        store.set("/a", picture(10, 10));
        store.set("/b", ImageSlot::Failed("gone".into()));
        assert_eq!(
            store.decoded_bytes(),
            cost("/a", &picture(10, 10)) + cost("/b", &ImageSlot::Failed("gone".into()))
        );
        store.forget_failures();
        assert_eq!(store.decoded_bytes(), cost("/a", &picture(10, 10)));
    }

    #[test]
    fn the_newest_picture_stays_even_over_budget() {
        let mut store = ImageStore::with_budget(100);
        store.set("/huge", picture(100, 100));
        assert!(store.slot("/huge").is_some());
        store.set("/next", picture(10, 10));
        assert!(store.slot("/huge").is_none() && store.slot("/next").is_some());
    }

    /// A screen of pictures dearer than the budget keeps them all (pushing one out would have
    /// it encoded again, for ever); what is off screen goes first.
    #[test]
    fn pictures_on_screen_stay_encoded_over_the_budget() {
        use ratatui_image::picker::Picker;
        let protocol = || {
            let image = DynamicImage::ImageRgb8(RgbImage::new(40, 40));
            let size = ratatui::layout::Size::new(4, 2);
            Picker::halfblocks().new_protocol(image, size, ratatui_image::Resize::Fit(None)).expect("encode")
        };
        let one = encoded_cost(&protocol());
        let mut store = ImageStore::default().with_encoded_budget(2 * one);
        let keys: Vec<String> = (0..5).map(|n| format!("/t/{n}")).collect();
        store.set("/off", picture(4, 4));
        store.request_encoding("/off", (4, 2));
        store.finish_encoding("/off", (4, 2), Ok(protocol()));
        store.set_on_screen(keys.iter().map(|k| (k.clone(), (4, 2))).collect());
        for key in &keys {
            store.set(key, picture(4, 4));
            store.request_encoding(key, (4, 2));
            store.finish_encoding(key, (4, 2), Ok(protocol()));
        }
        assert!(keys.iter().all(|k| store.encoded(k, (4, 2)).is_some()), "all five on screen kept");
        assert!(store.encoded("/off", (4, 2)).is_none(), "the one off screen went");
    }

    #[test]
    fn encoding_is_tracked_per_size() {
        let mut store = ImageStore::default();
        assert!(store.request_encoding("/a", (40, 12)));
        assert!(store.is_encoding("/a", (40, 12)) && !store.is_encoding("/a", (20, 6)));
        let refused = ratatui_image::errors::Errors::Sixel("gone".into());
        store.finish_encoding("/a", (40, 12), Err(EncodeFailed::Refused(refused)));
        assert!(!store.busy());
    }
}
