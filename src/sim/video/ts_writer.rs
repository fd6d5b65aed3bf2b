//! H.264 access units as an MPEG transport stream, as a camera streams live view: one program,
//! its tables before every key frame (so a client can start there), each picture one PES packet
//! with its presentation time.

const PACKET: usize = 188;
const PMT_PID: u16 = 0x1000;
const VIDEO_PID: u16 = 0x100;
const STREAM_TYPE_H264: u8 = 0x1b;

#[derive(Debug, Default)]
pub struct TsWriter {
    /// Continuity counters of the PAT, the PMT and the video.
    counters: [u8; 3],
}

impl TsWriter {
    /// The TS packets of one access unit (NAL units without start codes) at `pts` (90 kHz).
    pub fn unit(&mut self, nals: &[Vec<u8>], pts: u64, key: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if key {
            let pat = section(0x00, 1, &[&[0, 1][..], &(0xe000 | PMT_PID).to_be_bytes()].concat());
            let pmt_body = [
                &(0xe000 | VIDEO_PID).to_be_bytes()[..],
                &0xf000u16.to_be_bytes(),
                &[STREAM_TYPE_H264],
                &(0xe000 | VIDEO_PID).to_be_bytes(),
                &0xf000u16.to_be_bytes(),
            ]
            .concat();
            let pmt = section(0x02, 1, &pmt_body);
            self.packets(0, 0, &pat, &mut out);
            self.packets(PMT_PID, 1, &pmt, &mut out);
        }
        // An access unit delimiter first, as cameras and ffmpeg send.
        let mut pes = vec![0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5];
        pes.extend(pts_bytes(pts));
        pes.extend_from_slice(&[0, 0, 0, 1, 0x09, 0xf0]);
        for nal in nals {
            pes.extend_from_slice(&[0, 0, 0, 1]);
            pes.extend_from_slice(nal);
        }
        self.packets(VIDEO_PID, 2, &pes, &mut out);
        out
    }

    /// `payload` cut into packets on `pid`; the last one padded with an adaptation field.
    fn packets(&mut self, pid: u16, counter: usize, payload: &[u8], out: &mut Vec<u8>) {
        // PSI sections start after a pointer field.
        let payload = if pid == VIDEO_PID { payload.to_vec() } else { [&[0u8][..], payload].concat() };
        for (n, piece) in payload.chunks(PACKET - 4).enumerate() {
            let start = if n == 0 { 0x40 } else { 0 };
            let cc = self.counters[counter];
            self.counters[counter] = (cc + 1) & 0x0f;
            out.extend_from_slice(&[0x47, start | (pid >> 8) as u8, pid as u8]);
            let room = PACKET - 4 - piece.len();
            if room == 0 {
                out.push(0x10 | cc);
            } else if pid != VIDEO_PID {
                // Tables are padded after the section, with 0xff.
                out.push(0x10 | cc);
                out.extend_from_slice(piece);
                out.extend(std::iter::repeat_n(0xff, room));
                continue;
            } else {
                out.push(0x30 | cc);
                out.push((room - 1) as u8);
                if room > 1 {
                    out.push(0);
                    out.extend(std::iter::repeat_n(0xff, room - 2));
                }
            }
            out.extend_from_slice(piece);
        }
    }
}

/// A PSI section (PAT or PMT) for program or stream id `id`, with its CRC.
fn section(table_id: u8, id: u16, body: &[u8]) -> Vec<u8> {
    let length = (5 + body.len() + 4) as u16;
    let mut section = vec![table_id];
    section.extend_from_slice(&(0xb000 | length).to_be_bytes());
    section.extend_from_slice(&id.to_be_bytes());
    section.extend_from_slice(&[0xc1, 0, 0]);
    section.extend_from_slice(body);
    section.extend_from_slice(&crc32_mpeg2(&section).to_be_bytes());
    section
}

fn pts_bytes(pts: u64) -> [u8; 5] {
    let pts = pts & ((1 << 33) - 1);
    [
        0x21 | ((pts >> 29) as u8 & 0x0e),
        (pts >> 22) as u8,
        0x01 | ((pts >> 14) as u8 & 0xfe),
        (pts >> 7) as u8,
        0x01 | ((pts << 1) as u8 & 0xfe),
    ]
}

fn crc32_mpeg2(data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for byte in data {
        crc ^= u32::from(*byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 { crc << 1 ^ 0x04c1_1db7 } else { crc << 1 };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::ts::TsDemuxer;

    #[test]
    fn units_come_back_whole_with_their_times() {
        let mut writer = TsWriter::default();
        let big = vec![0x41; 1000];
        let mut stream = writer.unit(&[vec![0x65, 1, 2, 3]], 9000, true);
        stream.extend(writer.unit(std::slice::from_ref(&big), 15000, false));
        stream.extend(writer.unit(&[vec![0x41, 7]], 21000, false));
        assert_eq!(stream.len() % PACKET, 0);
        let (mut demuxer, mut units) = (TsDemuxer::new(), Vec::new());
        demuxer.push(&stream, &mut units);
        demuxer.finish(&mut units);
        let times: Vec<_> = units.iter().map(|unit| unit.pts).collect();
        assert_eq!(times, [Some(9000), Some(15000), Some(21000)]);
        assert!(units[1].data.ends_with(&big));
        assert!(units[0].data.ends_with(&[0, 0, 0, 1, 0x65, 1, 2, 3]));
        assert_eq!(demuxer.stats().dropped_pes, 0);
    }

    #[test]
    fn the_crc_is_mpeg2s() {
        // The CRC of ffmpeg's PAT for program 1 on PID 0x1000.
        let pat = section(0x00, 1, &[0, 1, 0xf0, 0x00]);
        assert_eq!(&pat[pat.len() - 4..], [0x2a, 0xb1, 0x04, 0xb2]);
    }
}
