use super::*;

const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/media/sample.ts");

fn demux_all(chunks: impl IntoIterator<Item = Vec<u8>>) -> (Vec<AccessUnit>, DemuxStats) {
    let mut demuxer = TsDemuxer::new();
    let mut out = Vec::new();
    for chunk in chunks {
        demuxer.push(&chunk, &mut out);
    }
    demuxer.finish(&mut out);
    (out, demuxer.stats())
}

fn nal_types(unit: &AccessUnit) -> Vec<u8> {
    unit.data.windows(4).filter(|w| w[..3] == [0, 0, 1]).map(|w| w[3] & 0x1f).collect()
}

/// A packet on `pid` carrying `payload` (padded with an adaptation field when short).
fn packet(pid: u16, unit_start: bool, payload: &[u8]) -> Vec<u8> {
    let mut packet = vec![SYNC_BYTE, (u8::from(unit_start) << 6) | (pid >> 8) as u8, pid as u8];
    let room = PACKET - 4;
    if payload.len() >= room {
        packet.push(0x10);
        packet.extend_from_slice(&payload[..room]);
    } else {
        let stuffing = room - payload.len() - 1;
        packet.push(0x30);
        packet.push(stuffing as u8);
        if stuffing > 0 {
            packet.push(0);
            packet.extend(std::iter::repeat_n(0xff, stuffing - 1));
        }
        packet.extend_from_slice(payload);
    }
    packet
}

/// The PAT and PMT of the sample (ffmpeg writes its SDT first, then these).
fn tables() -> Vec<u8> {
    SAMPLE[PACKET..3 * PACKET].to_vec()
}

#[test]
fn the_sample_yields_every_picture_of_the_clip_in_order() {
    let (units, stats) = demux_all([SAMPLE.to_vec()]);
    assert_eq!(units.len(), 30, "two seconds at 15 fps");
    assert_eq!(nal_types(&units[0]).iter().filter(|t| matches!(t, 5 | 7 | 8)).count(), 3, "SPS, PPS, IDR");
    let pts: Vec<u64> = units.iter().map(|u| u.pts.expect("pts")).collect();
    assert!(pts.windows(2).all(|w| w[1] > w[0]), "presentation times rise");
    assert_eq!(pts[1] - pts[0], 6000, "15 fps in 90 kHz ticks");
    assert_eq!((stats.resync_bytes, stats.dropped_pes), (0, 0));
}

#[test]
fn any_cut_of_the_stream_gives_the_same_pictures() {
    let (whole, _) = demux_all([SAMPLE.to_vec()]);
    for size in [1, 7, 187, 189, 1000] {
        let (cut, _) = demux_all(SAMPLE.chunks(size).map(<[u8]>::to_vec));
        assert_eq!(cut, whole, "chunks of {size}");
    }
}

#[test]
fn the_pictures_decode() {
    let (units, _) = demux_all([SAMPLE.to_vec()]);
    let mut decoder = crate::media::decode::H264Decoder::new(false).expect("decoder");
    let pictures =
        units.iter().filter_map(|u| decoder.decode(&u.data, Some((96, 54))).expect("decode")).count();
    assert_eq!(pictures, 30);
}

#[test]
fn wrong_sync_bytes_are_skipped_and_the_stream_recovers() {
    let mut damaged = b"HTTP/1.1 500 oops\r\n\r\n".to_vec();
    damaged.extend_from_slice(SAMPLE);
    // Garbage between two packets as well.
    damaged.splice(10 * PACKET + 21..10 * PACKET + 21, [0u8, 1, 2, 3, 4]);
    let (units, stats) = demux_all([damaged]);
    assert!(stats.resync_bytes >= 21 + 5, "{stats:?}");
    assert!(units.len() >= 28, "the stream goes on after the garbage: {}", units.len());
}

#[test]
fn truncated_packets_never_panic_and_a_cut_unit_is_not_shown_whole() {
    for cut in (0..SAMPLE.len()).step_by(97) {
        let _ = demux_all([SAMPLE[..cut].to_vec()]);
    }
    // The stream stops inside a packet: that packet is never read.
    let (units, stats) = demux_all([SAMPLE[..5 * PACKET + 100].to_vec()]);
    assert!(units.len() <= 1);
    assert_eq!(stats.packets, 5);
}

#[test]
fn unknown_pids_and_streams_before_the_pmt_are_ignored() {
    let mut stream = packet(0x0777, true, &[0, 0, 1, 0xe0, 0, 0, 0x80, 0, 0, 0, 0, 0, 1, 0x65]);
    stream.extend(tables());
    stream.extend(packet(0x1fff, false, &[0xff; 184]));
    stream.extend(packet(0x0123, true, b"not the video"));
    let (units, stats) = demux_all([stream]);
    assert!(units.is_empty());
    assert_eq!(stats.ignored_packets, 3, "{stats:?}");
}

#[test]
fn a_huge_stated_pes_length_allocates_nothing_and_is_dropped() {
    let mut stream = tables();
    let video = 0x100;
    // A PES claiming 65535 bytes that brings 20: cut short, dropped.
    stream.extend(packet(video, true, &[0, 0, 1, 0xe0, 0xff, 0xff, 0x80, 0, 0, 0, 0, 0, 1, 0x65, 1, 2]));
    // A PES with no stated length that never ends: dropped at the limit, memory bounded.
    stream.extend(packet(video, true, &[0, 0, 1, 0xe0, 0, 0, 0x80, 0, 0, 0, 0, 0, 1, 0x65]));
    let filler = packet(video, false, &[0xaa; 184]);
    let mut demuxer = TsDemuxer::new();
    let mut out = Vec::new();
    demuxer.push(&stream, &mut out);
    for _ in 0..(MAX_PES_BYTES / 184 + 10) {
        demuxer.push(&filler, &mut out);
        assert!(demuxer.pes.as_ref().is_none_or(|pes| pes.len() <= MAX_PES_BYTES));
    }
    demuxer.finish(&mut out);
    assert!(out.is_empty(), "{} units", out.len());
    assert_eq!(demuxer.stats().dropped_pes, 2, "{:?}", demuxer.stats());
}

#[test]
fn hostile_tables_and_headers_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut demuxer = TsDemuxer::new();
    let mut out = Vec::new();
    for round in 0..3_000 {
        let mut bytes = SAMPLE[(round % 150) * PACKET..][..PACKET].to_vec();
        for _ in 0..4 {
            let at = 1 + (next() as usize) % (PACKET - 1);
            bytes[at] = next() as u8;
        }
        demuxer.push(&bytes, &mut out);
    }
    demuxer.finish(&mut out);
    assert!(out.iter().all(|unit| unit.data.len() <= MAX_PES_BYTES));
}

#[test]
fn unit_starts_finds_each_picture_of_a_recording() {
    let starts = unit_starts(SAMPLE);
    assert_eq!(starts.len(), 30);
    assert!(starts.iter().all(|(offset, pts)| offset % PACKET == 0 && pts.is_some()));
}
