//! Pictures: decoded images cached by their path (an unchanged thumbnail is never fetched
//! again), and the encoded form for the area they are drawn in. Decoding and encoding happen
//! off the UI task; this store only records their results.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use image::DynamicImage;
use ratatui_image::protocol::Protocol;

const DECODED_LIMIT: usize = 32;
const ENCODED_LIMIT: usize = 4;

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

#[derive(Default)]
pub struct ImageStore {
    decoded: HashMap<String, ImageSlot>,
    /// Least recently used first.
    order: VecDeque<String>,
    encoded: VecDeque<Encoded>,
    /// Encodings asked for and not back yet.
    encoding: Vec<(String, (u16, u16))>,
}

impl std::fmt::Debug for ImageStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageStore")
            .field("decoded", &self.decoded.len())
            .field("encoded", &self.encoded.len())
            .finish()
    }
}

impl ImageStore {
    pub fn slot(&self, key: &str) -> Option<&ImageSlot> {
        self.decoded.get(key)
    }

    pub fn set(&mut self, key: &str, slot: ImageSlot) {
        self.order.retain(|k| k != key);
        self.order.push_back(key.to_owned());
        self.decoded.insert(key.to_owned(), slot);
        while self.order.len() > DECODED_LIMIT {
            if let Some(old) = self.order.pop_front() {
                self.decoded.remove(&old);
            }
        }
    }

    pub fn encoded(&self, key: &str, size: (u16, u16)) -> Option<&Protocol> {
        self.encoded.iter().find(|e| e.key == key && e.size == size).map(|e| &e.protocol)
    }

    pub fn is_encoding(&self, key: &str, size: (u16, u16)) -> bool {
        self.encoding.iter().any(|(k, s)| k == key && *s == size)
    }

    pub fn start_encoding(&mut self, key: &str, size: (u16, u16)) {
        self.encoding.push((key.to_owned(), size));
    }

    pub fn finish_encoding(&mut self, key: &str, size: (u16, u16), protocol: Option<Protocol>) {
        self.encoding.retain(|(k, s)| !(k == key && *s == size));
        if let Some(protocol) = protocol {
            self.encoded.retain(|e| !(e.key == key && e.size == size));
            self.encoded.push_back(Encoded { key: key.to_owned(), size, protocol });
            while self.encoded.len() > ENCODED_LIMIT {
                self.encoded.pop_front();
            }
        }
    }

    /// Drops pictures still loading or encoding (their job was lost); they are asked for again.
    pub fn forget_loading(&mut self) {
        self.forget(|slot| matches!(slot, ImageSlot::Loading));
        self.encoding.clear();
    }

    /// Drops every encoded picture: after the terminal was handed over, what it showed is gone
    /// (kitty forgets transmitted images with the screen), so pictures are encoded and sent again.
    pub fn forget_encodings(&mut self) {
        self.encoded.clear();
        self.encoding.clear();
    }

    pub fn forget_failures(&mut self) {
        self.forget(|slot| matches!(slot, ImageSlot::Failed(_)));
    }

    fn forget(&mut self, drop: impl Fn(&ImageSlot) -> bool) {
        self.decoded.retain(|_, slot| !drop(slot));
        let decoded = &self.decoded;
        self.order.retain(|key| decoded.contains_key(key));
    }

    /// Anything being fetched, decoded or encoded (the spinner keeps ticking meanwhile).
    pub fn busy(&self) -> bool {
        !self.encoding.is_empty() || self.decoded.values().any(|slot| matches!(slot, ImageSlot::Loading))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_the_most_recent_pictures() {
        let mut store = ImageStore::default();
        for n in 0..DECODED_LIMIT + 5 {
            store.set(&format!("/p/{n}"), ImageSlot::Failed("x".into()));
        }
        assert!(store.slot("/p/0").is_none());
        assert!(store.slot(&format!("/p/{}", DECODED_LIMIT + 4)).is_some());
        store.set("/p/loading", ImageSlot::Loading);
        assert!(store.busy());
    }

    #[test]
    fn encoding_is_tracked_per_size() {
        let mut store = ImageStore::default();
        store.start_encoding("/a", (40, 12));
        assert!(store.is_encoding("/a", (40, 12)) && !store.is_encoding("/a", (20, 6)));
        store.finish_encoding("/a", (40, 12), None);
        assert!(!store.busy());
    }
}
