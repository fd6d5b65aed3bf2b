#!/usr/bin/env bash
# The slow-link tables. Clips (benches/link.rs): `blinktui play` of a 20 s 1280x720 clip behind
# an unlimited, a 10 Mbit/s and a 2 Mbit/s link with a 50 ms round trip, in each picture
# protocol. The 20 s clip is the 6 s one of assets/clips/ looped by ffmpeg (stream copy: no
# re-encoding), made once in target/. Live view (benches/live_link.rs), with `live` first:
# `blinktui live` for five minutes a protocol behind the same links.
# Other arguments keep only the rows that contain them all: `2mbit sixel`, `live 2mbit`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = live ]; then
  shift
  exec cargo bench --bench live_link -- "$@"
fi
clip=target/bench-clips/outdoor-720p-20s.mp4
if [ ! -f "$clip" ]; then
  mkdir -p "$(dirname "$clip")"
  ffmpeg -hide_banner -loglevel error -stream_loop -1 -i assets/clips/outdoor-720p.mp4 \
    -t 20 -c copy -an -y "$clip"
fi
BLINKTUI_BENCH_CLIP="$PWD/$clip" exec cargo bench --bench link -- "$@"
