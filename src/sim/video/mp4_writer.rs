//! The smallest MP4 a player and blinkpy take as a camera's clip: one H.264 track, its index
//! (`moov`) before the pictures (`mdat`) as a camera uploads it, so the start of a download
//! already plays. Written by hand because the crates that write MP4 put the index last.

pub struct Track {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// The parameter sets, without start codes.
    pub sps: Vec<u8>,
    pub pps: Vec<u8>,
}

/// One picture: NAL units each prefixed by its 4-byte length.
pub struct Sample {
    pub data: Vec<u8>,
    pub sync: bool,
}

/// Ticks of the track's clock per frame (the track clock runs at `fps * TICKS`).
const TICKS: u32 = 1000;
const MOVIE_TIMESCALE: u32 = 1000;

pub fn write(track: &Track, samples: &[Sample]) -> Vec<u8> {
    let ftyp = boxed(b"ftyp", &[b"isom".as_slice(), &512u32.to_be_bytes(), b"isomiso2avc1mp41"].concat());
    // The index holds the offset of the pictures, which follow it: its size does not depend on
    // the offset's value, so it is written once to measure and once for real.
    let moov_len = moov(track, samples, 0).len();
    let data_offset = ftyp.len() + moov_len + 8;
    let payload: usize = samples.iter().map(|s| s.data.len()).sum();
    let mut out = Vec::with_capacity(data_offset + payload);
    out.extend_from_slice(&ftyp);
    out.extend_from_slice(&moov(track, samples, data_offset as u32));
    out.extend_from_slice(&((payload + 8) as u32).to_be_bytes());
    out.extend_from_slice(b"mdat");
    for sample in samples {
        out.extend_from_slice(&sample.data);
    }
    out
}

fn moov(track: &Track, samples: &[Sample], data_offset: u32) -> Vec<u8> {
    let count = samples.len() as u32;
    let movie_duration = u64::from(count) * u64::from(MOVIE_TIMESCALE) / u64::from(track.fps.max(1));
    let media_timescale = track.fps * TICKS;
    let media_duration = count * TICKS;
    let matrix = [0x10000u32, 0, 0, 0, 0x10000, 0, 0, 0, 0x4000_0000];
    let matrix: Vec<u8> = matrix.iter().flat_map(|v| v.to_be_bytes()).collect();

    let mvhd = full(
        b"mvhd",
        0,
        &[
            &[0; 8][..],
            &MOVIE_TIMESCALE.to_be_bytes(),
            &(movie_duration as u32).to_be_bytes(),
            &0x10000u32.to_be_bytes(),
            &0x100u16.to_be_bytes(),
            &[0; 10],
            &matrix,
            &[0; 24],
            &2u32.to_be_bytes(),
        ],
    );
    let tkhd = full(
        b"tkhd",
        3,
        &[
            &[0; 8][..],
            &1u32.to_be_bytes(),
            &[0; 4],
            &(movie_duration as u32).to_be_bytes(),
            &[0; 16],
            &matrix,
            &(track.width << 16).to_be_bytes(),
            &(track.height << 16).to_be_bytes(),
        ],
    );
    let mdhd = full(
        b"mdhd",
        0,
        &[
            &[0; 8][..],
            &media_timescale.to_be_bytes(),
            &media_duration.to_be_bytes(),
            &0x55c4u16.to_be_bytes(), // "und"
            &[0; 2],
        ],
    );
    let hdlr = full(b"hdlr", 0, &[&[0; 4][..], b"vide", &[0; 12], b"VideoHandler\0"]);
    let vmhd = full(b"vmhd", 1, &[&[0; 8][..]]);
    let dinf = boxed(b"dinf", &full(b"dref", 0, &[&1u32.to_be_bytes()[..], &full(b"url ", 1, &[])]));

    let mut avcc = vec![1, track.sps.get(1).copied().unwrap_or(66), track.sps.get(2).copied().unwrap_or(0)];
    avcc.extend([track.sps.get(3).copied().unwrap_or(30), 0xff, 0xe1]);
    avcc.extend_from_slice(&(track.sps.len() as u16).to_be_bytes());
    avcc.extend_from_slice(&track.sps);
    avcc.push(1);
    avcc.extend_from_slice(&(track.pps.len() as u16).to_be_bytes());
    avcc.extend_from_slice(&track.pps);
    let avc1 = boxed(
        b"avc1",
        &[
            &[0; 6][..],
            &1u16.to_be_bytes(),
            &[0; 16],
            &(track.width as u16).to_be_bytes(),
            &(track.height as u16).to_be_bytes(),
            &0x0048_0000u32.to_be_bytes(),
            &0x0048_0000u32.to_be_bytes(),
            &[0; 4],
            &1u16.to_be_bytes(),
            &[0; 32],
            &0x18u16.to_be_bytes(),
            &0xffffu16.to_be_bytes(),
            &boxed(b"avcC", &avcc),
        ]
        .concat(),
    );
    let stsd = full(b"stsd", 0, &[&1u32.to_be_bytes()[..], &avc1]);
    let stts = full(b"stts", 0, &[&1u32.to_be_bytes()[..], &count.to_be_bytes(), &TICKS.to_be_bytes()]);
    let syncs: Vec<u8> = (1u32..)
        .zip(samples)
        .filter(|(_, sample)| sample.sync)
        .flat_map(|(number, _)| number.to_be_bytes())
        .collect();
    let stss = full(b"stss", 0, &[&((syncs.len() / 4) as u32).to_be_bytes()[..], &syncs]);
    let stsc = full(
        b"stsc",
        0,
        &[&1u32.to_be_bytes()[..], &1u32.to_be_bytes(), &count.to_be_bytes(), &1u32.to_be_bytes()],
    );
    let sizes: Vec<u8> = samples.iter().flat_map(|s| (s.data.len() as u32).to_be_bytes()).collect();
    let stsz = full(b"stsz", 0, &[&[0; 4][..], &count.to_be_bytes(), &sizes]);
    let stco = full(b"stco", 0, &[&1u32.to_be_bytes()[..], &data_offset.to_be_bytes()]);
    let stbl = boxed(b"stbl", &[stsd, stts, stss, stsc, stsz, stco].concat());
    let minf = boxed(b"minf", &[vmhd, dinf, stbl].concat());
    let mdia = boxed(b"mdia", &[mdhd, hdlr, minf].concat());
    let trak = boxed(b"trak", &[tkhd, mdia].concat());
    boxed(b"moov", &[mvhd, trak].concat())
}

fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(&((body.len() + 8) as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

/// A "full box": version 0 and `flags` before the fields.
fn full(kind: &[u8; 4], flags: u32, fields: &[&[u8]]) -> Vec<u8> {
    boxed(kind, &[&flags.to_be_bytes()[..], &fields.concat()].concat())
}
