#!/usr/bin/env bash
# Drives the real blinkpy (PyPI) against `blinktui sim`: login with 2FA, refresh, arm/disarm,
# motion on each device family, snapshots, a clip, the media list and downloads, other clients'
# endpoints and the retired ones; then, against `sim --lenient`, the in-session refresh, live
# view and a USB clip under an earlier manifest, which the strict simulator refuses as Blink does.
#
#   tests/blinkpy/run.sh [path/to/blinktui]
#
# The venv is kept under target/ so later runs start at once. Without Python 3 (or without a
# way to install blinkpy) it says so and exits 0; BLINKTUI_REQUIRE_BLINKPY=1 makes that a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BLINKPY_VERSION=0.25.9
bin=${1:-${BLINKTUI_BIN:-target/debug/blinktui}}
venv=target/blinkpy-venv-$BLINKPY_VERSION
work=$(mktemp -d)
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

skip() {
  echo "SKIP blinkpy test: $*"
  if [ "${BLINKTUI_REQUIRE_BLINKPY:-0}" = 1 ]; then exit 1; fi
  exit 0
}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -x "$bin" ] || { echo "no blinktui binary at $bin (build it first)"; exit 1; }

if ! "$venv/bin/python" -c "import blinkpy, importlib.metadata as m; assert m.version('blinkpy') == '$BLINKPY_VERSION'" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" >"$work/venv.log" 2>&1 || skip "python3 cannot create a venv: $(tail -1 "$work/venv.log")"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "blinkpy==$BLINKPY_VERSION" >"$work/pip.log" 2>&1 \
    || { rm -rf "$venv"; skip "cannot install blinkpy $BLINKPY_VERSION: $(tail -1 "$work/pip.log")"; }
fi

# The simulator on a free loopback port, with 2FA, quick commands and no random motion; its
# URL in $url, its request log in $work/$1.jsonl.
start_sim() {
  "$bin" sim --port 0 --2fa --command-delay 300 --motion-every 0 --log "$work/$1.jsonl" "${@:2}" >"$work/$1.out" 2>&1 &
  sim_pid=$!
  url=
  for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/$1.out" | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/$1.out"; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the simulator did not start"; cat "$work/$1.out"; exit 1; }
}

stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=
}

# Runs drive.py in mode $1 against the simulator whose log is $work/$2.jsonl.
drive() {
  if ! "$venv/bin/python" -W ignore tests/blinkpy/drive.py "$url" demo@blinktui.example demo-password 123456 "$work" "$1"; then
    echo "--- last requests the simulator saw:"
    tail -20 "$work/$2.jsonl"
    exit 1
  fi
  requests=$(wc -l <"$work/$2.jsonl")
  unknown=$(grep -c '"status":404' "$work/$2.jsonl" || true)
  echo "the simulator answered $requests requests ($unknown with 404)"
}

# Strict, as Blink is: blinkpy's whole flow, and the rules it breaks found enforced.
start_sim strict
echo "blinkpy $BLINKPY_VERSION against $url"
drive strict strict
stop_sim

# Lenient: blinkpy gets through those rules.
start_sim lenient --lenient
echo "blinkpy $BLINKPY_VERSION against $url (sim --lenient)"
drive lenient lenient
