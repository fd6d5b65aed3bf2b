//! MPEG transport stream → H.264 access units, for live view. Blink's relay sends the camera's
//! stream as TS packets: the PAT names the PMT, the PMT names the H.264 stream (type 0x1B), and
//! that stream's PES packets each carry one access unit in Annex B form, which is what the
//! decoder reads. Every length here comes from the network, so each is checked against the
//! data at hand and a PES is held to [`MAX_PES_BYTES`] whatever its header claims.

/// The size of every TS packet.
pub const PACKET: usize = 188;
pub const SYNC_BYTE: u8 = 0x47;
/// The largest access unit kept: a 4K key frame is well under this; more is junk or an attack.
pub const MAX_PES_BYTES: usize = 4 * 1024 * 1024;

const PAT_PID: u16 = 0;
const STREAM_TYPE_H264: u8 = 0x1b;

/// One picture's worth of H.264 (Annex B), with its presentation time in 90 kHz ticks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessUnit {
    pub pts: Option<u64>,
    pub data: Vec<u8>,
}

/// What the demuxer met besides pictures, for the log and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemuxStats {
    pub packets: u64,
    /// Bytes skipped to find the next sync byte.
    pub resync_bytes: u64,
    /// Packets of streams other than the video (audio, unknown PIDs) or before the PMT.
    pub ignored_packets: u64,
    /// PES packets thrown away: over the size limit, damaged, or cut short.
    pub dropped_pes: u64,
}

#[derive(Debug, Default)]
pub struct TsDemuxer {
    /// Bytes not yet forming a whole packet: always fewer than [`PACKET`] after a push.
    pending: Vec<u8>,
    pmt_pid: Option<u16>,
    video_pid: Option<u16>,
    /// The PES being gathered, from its start code; `None` until a unit start is seen or after
    /// one was dropped.
    pes: Option<Vec<u8>>,
    stats: DemuxStats,
}

impl TsDemuxer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn stats(&self) -> DemuxStats {
        self.stats
    }

    /// The video PID, once the PMT named it.
    pub fn video_pid(&self) -> Option<u16> {
        self.video_pid
    }

    /// Reads `data` (any cut of the stream) and appends the access units it completes to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<AccessUnit>) {
        self.pending.extend_from_slice(data);
        let mut at = 0;
        while self.pending.len() - at >= PACKET {
            if self.pending[at] != SYNC_BYTE {
                let skip = self.pending[at + 1..]
                    .iter()
                    .position(|b| *b == SYNC_BYTE)
                    .map_or(self.pending.len() - at, |n| n + 1);
                self.stats.resync_bytes += skip as u64;
                at += skip;
                continue;
            }
            let mut packet = [0u8; PACKET];
            packet.copy_from_slice(&self.pending[at..at + PACKET]);
            at += PACKET;
            self.packet(&packet, out);
        }
        self.pending.drain(..at);
    }

    /// The end of the stream: the access unit in progress is complete.
    pub fn finish(&mut self, out: &mut Vec<AccessUnit>) {
        self.pending.clear();
        self.end_pes(out);
    }

    fn packet(&mut self, packet: &[u8; PACKET], out: &mut Vec<AccessUnit>) {
        self.stats.packets += 1;
        let transport_error = packet[1] & 0x80 != 0;
        let unit_start = packet[1] & 0x40 != 0;
        let pid = u16::from(packet[1] & 0x1f) << 8 | u16::from(packet[2]);
        let Some(payload) = payload(packet) else {
            self.stats.ignored_packets += 1;
            return;
        };
        if transport_error {
            // A damaged packet in the picture spoils the picture.
            if Some(pid) == self.video_pid && self.pes.take().is_some() {
                self.stats.dropped_pes += 1;
            }
            self.stats.ignored_packets += 1;
            return;
        }
        if pid == PAT_PID {
            if let Some(pmt) = section(payload, unit_start, 0x00).and_then(pmt_pid_of) {
                self.pmt_pid = Some(pmt);
            }
        } else if Some(pid) == self.pmt_pid {
            if let Some(video) = section(payload, unit_start, 0x02).and_then(video_pid_of) {
                self.video_pid = Some(video);
            }
        } else if Some(pid) == self.video_pid {
            self.video_payload(payload, unit_start, out);
        } else {
            self.stats.ignored_packets += 1;
        }
    }

    fn video_payload(&mut self, payload: &[u8], unit_start: bool, out: &mut Vec<AccessUnit>) {
        if unit_start {
            self.end_pes(out);
            self.pes = Some(Vec::with_capacity(payload.len() * 64));
        }
        let Some(pes) = &mut self.pes else {
            // The middle of a PES whose start was missed (joined mid-stream, or dropped).
            self.stats.ignored_packets += 1;
            return;
        };
        if pes.len() + payload.len() > MAX_PES_BYTES {
            self.pes = None;
            self.stats.dropped_pes += 1;
            return;
        }
        pes.extend_from_slice(payload);
    }

    fn end_pes(&mut self, out: &mut Vec<AccessUnit>) {
        let Some(pes) = self.pes.take() else { return };
        match access_unit(&pes) {
            Some(unit) => out.push(unit),
            None => self.stats.dropped_pes += 1,
        }
    }
}

/// The payload of a packet, after its adaptation field; `None` when it has none or the
/// adaptation field claims more than the packet holds.
fn payload(packet: &[u8; PACKET]) -> Option<&[u8]> {
    let control = (packet[3] >> 4) & 0b11;
    if control & 0b01 == 0 {
        return None;
    }
    let start = if control & 0b10 != 0 { 5 + usize::from(packet[4]) } else { 4 };
    packet.get(start..).filter(|rest| !rest.is_empty())
}

/// The body of a PSI section with `table_id` (PAT, PMT) that starts in this packet, without
/// its CRC; sections spread over several packets are not expected for one program.
fn section(payload: &[u8], unit_start: bool, table_id: u8) -> Option<&[u8]> {
    if !unit_start {
        return None;
    }
    let pointer = usize::from(*payload.first()?);
    let section = payload.get(1 + pointer..)?;
    if *section.first()? != table_id {
        return None;
    }
    let length = usize::from(u16::from_be_bytes([*section.get(1)?, *section.get(2)?]) & 0x0fff);
    // Header (3) + length, less the CRC (4); the fixed fields after the length take 5.
    let end = (3 + length).checked_sub(4)?;
    section.get(8..end)
}

/// The first program's PMT PID from a PAT body.
fn pmt_pid_of(body: &[u8]) -> Option<u16> {
    body.chunks_exact(4)
        .find(|entry| u16::from_be_bytes([entry[0], entry[1]]) != 0)
        .map(|entry| u16::from_be_bytes([entry[2], entry[3]]) & 0x1fff)
}

/// The PID of the first H.264 stream in a PMT body.
fn video_pid_of(body: &[u8]) -> Option<u16> {
    let info_length = usize::from(u16::from_be_bytes([*body.get(2)?, *body.get(3)?]) & 0x0fff);
    let mut streams = body.get(4 + info_length..)?;
    while streams.len() >= 5 {
        let stream_type = streams[0];
        let pid = u16::from_be_bytes([streams[1], streams[2]]) & 0x1fff;
        let es_info = usize::from(u16::from_be_bytes([streams[3], streams[4]]) & 0x0fff);
        if stream_type == STREAM_TYPE_H264 {
            return Some(pid);
        }
        streams = streams.get(5 + es_info..)?;
    }
    None
}

/// The access unit in a whole PES packet: its header checked, its PTS read, its length (when
/// it states one) obeyed.
fn access_unit(pes: &[u8]) -> Option<AccessUnit> {
    if pes.get(..3)? != [0, 0, 1] {
        return None;
    }
    let stated = usize::from(u16::from_be_bytes([*pes.get(4)?, *pes.get(5)?]));
    let flags = *pes.get(7)?;
    let header_length = usize::from(*pes.get(8)?);
    let pts = if flags & 0x80 != 0 { pes.get(9..14).map(read_pts) } else { None };
    // A stated length counts the bytes after the length field; 0 (usual for video) is "to the
    // next unit start". A PES shorter than it says was cut short.
    let end = match stated {
        0 => pes.len(),
        stated if 6 + stated <= pes.len() => 6 + stated,
        _ => return None,
    };
    let data = pes.get(9 + header_length..end)?;
    (!data.is_empty()).then(|| AccessUnit { pts, data: data.to_vec() })
}

fn read_pts(bytes: &[u8]) -> u64 {
    let b = |n: usize| u64::from(bytes[n]);
    ((b(0) >> 1) & 0x07) << 30 | b(1) << 22 | (b(2) >> 1) << 15 | b(3) << 7 | b(4) >> 1
}

/// Where each access unit of the video starts in a TS file (offsets of packets with a unit
/// start on the video PID), with its PTS: how the simulator's relay paces a recording.
pub fn unit_starts(ts: &[u8]) -> Vec<(usize, Option<u64>)> {
    let mut demuxer = TsDemuxer::new();
    let mut starts = Vec::new();
    let mut sink = Vec::new();
    for (n, packet) in ts.chunks_exact(PACKET).enumerate() {
        let Ok(packet) = <&[u8; PACKET]>::try_from(packet) else { continue };
        let pid = u16::from(packet[1] & 0x1f) << 8 | u16::from(packet[2]);
        if packet[0] == SYNC_BYTE && packet[1] & 0x40 != 0 && Some(pid) == demuxer.video_pid {
            let pts =
                payload(packet).and_then(|p| (p.get(7)? & 0x80 != 0).then(|| p.get(9..14).map(read_pts))?);
            starts.push((n * PACKET, pts));
        }
        demuxer.packet(packet, &mut sink);
        sink.clear();
    }
    starts
}

#[cfg(test)]
#[path = "ts_tests.rs"]
mod tests;
