#!/usr/bin/env bash
# Measures how long the window takes to appear (first frame: eframe shows the window only once
# it has painted) under Xvfb with Mesa's software GL, and prints the binary's size.
#   scripts/measure-startup.sh [BINARY] [RUNS]     (default target/release/asteroid-stager, 7 runs)
# Needs: xvfb xdotool libgl1-mesa-dri (Debian). The first run is the coldest one this can see
# (page cache is not dropped); the median is over all runs.
set -euo pipefail
bin=${1:-target/release/asteroid-stager}
runs=${2:-7}
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }
tmp=$(mktemp -d)
# Xvfb picks a free display number and writes it to fd 3 once it accepts connections.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" >/dev/null 2>&1 &
xvfb=$!
app=""
trap 'if [ -n "$app" ]; then kill $app 2>/dev/null || true; fi; kill $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do [ -s "$tmp/display" ] && break; sleep 0.05; done
display=":$(head -1 "$tmp/display")"
echo "binary: $bin  size: $(stat -c %s "$bin") bytes ($(du -h "$bin" | cut -f1))"
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  rm -f "$tmp/log"
  DISPLAY=$display HOME=$tmp XDG_CONFIG_HOME=$tmp/c XDG_DATA_HOME=$tmp/d XDG_STATE_HOME=$tmp/s \
    "$bin" >"$tmp/log" 2>&1 &
  app=$!
  # Poll every ~10 ms (xdotool's own --sync polls only every 500 ms).
  deadline=$(( start + 60000000000 ))
  until DISPLAY=$display xdotool search --onlyvisible --name "Asteroid Stager" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || { cat "$tmp/log"; echo "no window within 60 s" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms to a visible window"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
  sleep 0.5
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
echo "first: ${times[0]} ms  median: ${median} ms  min: $(head -1 <<<"$sorted") ms  max: $(tail -1 <<<"$sorted") ms"
