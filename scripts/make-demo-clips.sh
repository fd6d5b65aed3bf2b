#!/usr/bin/env bash
# Makes the ready-made clips in assets/clips/ (checked in; run again only to change them): the
# simulator's USB sticks hold them, and the media tests and benchmarks play them. Events' clips
# are made by the simulator itself (src/sim/video.rs).
# Needs ffmpeg with libx264. The clips are H.264 Main profile without B-frames, one keyframe a
# second, as Blink's cameras record them; audio is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p assets/clips
cargo build --release --example demo_clip_frames
frames=target/release/examples/demo_clip_frames
fps=15
encode=(-c:v libx264 -profile:v main -bf 0 -g "$fps" -pix_fmt yuv420p -movflags +faststart -an
        -map_metadata -1 -fflags +bitexact -flags:v +bitexact -y)

for scene in outdoor indoor doorstep; do
  "$frames" "$scene" "$fps" 8 |
    ffmpeg -hide_banner -loglevel error -f rawvideo -pix_fmt rgb24 -s 384x216 -r "$fps" -i - \
      "${encode[@]}" -crf 24 "assets/clips/$scene.mp4"
done

# 1280x720 for the benchmarks: the outdoor scene scaled up, with the grain of a real sensor so
# the decoder works as hard as on a camera's clip (about 1.5 Mbit/s).
"$frames" outdoor "$fps" 6 |
  ffmpeg -hide_banner -loglevel error -f rawvideo -pix_fmt rgb24 -s 384x216 -r "$fps" -i - \
    -vf "scale=1280:720:flags=bicubic,noise=alls=5:allf=t" "${encode[@]}" \
    -b:v 1500k -maxrate 1800k -bufsize 3000k "assets/clips/outdoor-720p.mp4"
ls -l assets/clips
