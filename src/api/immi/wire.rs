//! The bytes of Blink's IMMI live-view protocol: the 122-byte auth header the client opens
//! with, and the 9-byte header of every frame after it (`[type u8][sequence u32 BE][payload
//! length u32 BE]`), as blinkpy's `livestream.py` writes and reads them.

/// Length of the auth header.
pub const AUTH_HEADER_LEN: usize = 122;
/// Length of a frame header.
pub const FRAME_HEADER_LEN: usize = 9;

/// MPEG-TS video.
pub const TYPE_VIDEO: u8 = 0x00;
/// The first byte of every MPEG-TS packet: a video payload that does not start with it is not
/// the stream.
pub const TS_SYNC_BYTE: u8 = 0x47;
/// Keep-alive, sent by the client every 10 s with a rising sequence number.
pub const TYPE_KEEPALIVE: u8 = 0x0a;
/// Latency statistics, sent by the client every second.
pub const TYPE_LATENCY_STATS: u8 = 0x12;
/// The sequence number latency statistics always carry.
pub const LATENCY_STATS_SEQUENCE: u32 = 1000;
/// Audio/video latencies and frame counts (24 bytes), sent as zeros as other clients do.
pub const LATENCY_STATS_LEN: usize = 24;

/// What the auth header carries.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthFields<'a> {
    /// The camera's serial number.
    pub serial: &'a str,
    /// `?client_id=` of the relay URL.
    pub client_id: u32,
    /// `liveview_token` of Blink's answer; `None` sends zeros.
    pub token: Option<&'a str>,
    /// The relay URL's path segment before `__`.
    pub connection_id: &'a str,
}

/// `00 00 00 28` | u32 16 + serial (16 bytes, NUL padded) | u32 client id | `01 08` | u32 64 +
/// token (64 bytes, NUL padded) | u32 16 + connection id (16 bytes, NUL padded) | `00 00 00 01`.
/// Longer strings are cut to their field.
pub fn auth_header(fields: &AuthFields<'_>) -> [u8; AUTH_HEADER_LEN] {
    let mut header = [0u8; AUTH_HEADER_LEN];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        header[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(&[0, 0, 0, 0x28]);
    put(&16u32.to_be_bytes());
    put(&padded::<16>(fields.serial));
    put(&fields.client_id.to_be_bytes());
    put(&[0x01, 0x08]);
    put(&64u32.to_be_bytes());
    put(&padded::<64>(fields.token.unwrap_or_default()));
    put(&16u32.to_be_bytes());
    put(&padded::<16>(fields.connection_id));
    put(&[0, 0, 0, 1]);
    header
}

fn padded<const N: usize>(text: &str) -> [u8; N] {
    let mut field = [0u8; N];
    let bytes = text.as_bytes();
    let len = bytes.len().min(N);
    field[..len].copy_from_slice(&bytes[..len]);
    field
}

/// A frame header as read from the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    pub kind: u8,
    pub sequence: u32,
    pub payload_len: u32,
}

impl FrameHeader {
    pub fn parse(bytes: &[u8; FRAME_HEADER_LEN]) -> Self {
        Self {
            kind: bytes[0],
            sequence: u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]),
            payload_len: u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]),
        }
    }
}

/// A whole frame: header and payload.
pub fn frame(kind: u8, sequence: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
    out.push(kind);
    out.extend_from_slice(&sequence.to_be_bytes());
    out.extend_from_slice(&u32::try_from(payload.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

pub fn latency_stats() -> Vec<u8> {
    frame(TYPE_LATENCY_STATS, LATENCY_STATS_SEQUENCE, &[0; LATENCY_STATS_LEN])
}

pub fn keepalive(sequence: u32) -> Vec<u8> {
    frame(TYPE_KEEPALIVE, sequence, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The liveview answer of blinkpy's tests: serial `PONLMKJIHGFED`, client 123456,
    /// connection `ABCDEFGHIJKML`, token `abcdefghijklmnopqrstuv`.
    #[test]
    fn the_auth_header_follows_the_documented_layout_byte_for_byte() {
        let header = auth_header(&AuthFields {
            serial: "PONLMKJIHGFED",
            client_id: 123_456,
            token: Some("abcdefghijklmnopqrstuv"),
            connection_id: "ABCDEFGHIJKML",
        });
        let mut expected = vec![0, 0, 0, 0x28, 0, 0, 0, 16];
        expected.extend_from_slice(b"PONLMKJIHGFED\0\0\0");
        expected.extend_from_slice(&[0x00, 0x01, 0xe2, 0x40]);
        expected.extend_from_slice(&[0x01, 0x08, 0, 0, 0, 64]);
        expected.extend_from_slice(b"abcdefghijklmnopqrstuv");
        expected.extend_from_slice(&[0; 42]);
        expected.extend_from_slice(&[0, 0, 0, 16]);
        expected.extend_from_slice(b"ABCDEFGHIJKML\0\0\0");
        expected.extend_from_slice(&[0, 0, 0, 1]);
        assert_eq!(expected.len(), 122);
        assert_eq!(header.to_vec(), expected);
        // Offsets blinkpy's own test checks.
        assert_eq!(&header[24..28], &123_456u32.to_be_bytes());
        assert_eq!(&header[98..102], &[0, 0, 0, 16]);
        assert_eq!(&header[102..118], b"ABCDEFGHIJKML\0\0\0");
    }

    #[test]
    fn no_token_sends_zeros_and_long_fields_are_cut() {
        let header = auth_header(&AuthFields {
            serial: "A-SERIAL-LONGER-THAN-SIXTEEN",
            client_id: 1,
            token: None,
            connection_id: "c",
        });
        assert_eq!(&header[8..24], b"A-SERIAL-LONGER-");
        assert!(header[34..98].iter().all(|b| *b == 0));
        assert_eq!(&header[102..104], b"c\0");
    }

    #[test]
    fn frames_and_the_client_packets() {
        assert_eq!(keepalive(3), [0x0a, 0, 0, 0, 3, 0, 0, 0, 0]);
        let stats = latency_stats();
        assert_eq!(&stats[..9], &[0x12, 0, 0, 0x03, 0xe8, 0, 0, 0, 0x18]);
        assert_eq!(stats.len(), 9 + 24);
        let header: [u8; 9] = frame(0, 7, &[0x47; 376])[..9].try_into().expect("nine bytes");
        assert_eq!(FrameHeader::parse(&header), FrameHeader { kind: 0, sequence: 7, payload_len: 376 });
    }
}
