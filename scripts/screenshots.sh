#!/usr/bin/env bash
# Screenshots of the window's main screens under Xvfb, against scripts/fake_api.py.
# Usage: [SHOT_LANG=de] scripts/screenshots.sh [OUT_DIR] [BINARY]
# SHOT_LANG (en, de, fr, es, ja; default en) is the window's language, given as the
# system's locale (LANG) the way an operator's desktop gives it; other languages than
# English go to OUT_DIR/<lang>/.
# Needs Xvfb, ImageMagick (import, convert), xdotool and python3. Each screen is taken at
# 1280x900 and 640x480; PNGs are reduced to 64 colours to stay small.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lang="${SHOT_LANG:-en}"
out="${1:-$root/assets/screenshots}"
locale="C.UTF-8"
case "$lang" in
  en) ;;
  de) locale="de_DE.UTF-8"; out="$out/de" ;;
  fr) locale="fr_FR.UTF-8"; out="$out/fr" ;;
  es) locale="es_ES.UTF-8"; out="$out/es" ;;
  ja) locale="ja_JP.UTF-8"; out="$out/ja" ;;
  *) echo "SHOT_LANG must be one of en, de, fr, es, ja" >&2; exit 2 ;;
esac
bin="${2:-$root/target/debug/asteroid-stager}"
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

python3 "$root/scripts/fake_api.py" --port 0 --port-file "$work/port" --read-rate 200000 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$work/port")/agents/v2"

mkdir -p "$work/files/Batch250-invoices-from-the-northern-region"
for i in 1 2 3; do head -c 300000 /dev/urandom >"$work/files/report-$i.pdf"; done
head -c 2500000 /dev/urandom >"$work/files/big-scan.tiff"
for i in 0921 0922 0923; do
  head -c 20000 /dev/urandom >"$work/files/Batch250-invoices-from-the-northern-region/invoice-$i.pdf"
done

shots=0
# shot NAME WIDTHxHEIGHT SECONDS KEY [FILES...]: one fresh window, one screenshot.
shot() {
  local name="$1" size="$2" wait="$3" key="$4"; shift 4
  shots=$((shots + 1))
  local display=":$((80 + shots))"
  Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp &
  local xvfb=$!
  sleep 1
  local home="$work/home-$name-$size"
  mkdir -p "$home"
  (
    export DISPLAY="$display" HOME="$home" XDG_CONFIG_HOME="$home/.config" \
      XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" \
      XDG_RUNTIME_DIR="$home/run" ASTEROID_BASE_URL="$base" LANG="$locale"
    unset LC_ALL LC_MESSAGES LANGUAGE
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    if [ -n "$key" ]; then export ASTEROID_API_KEY="$key"; fi
    exec "$bin" "$@"
  ) >"$work/$name.log" 2>&1 &
  local app=$!
  sleep "$wait"
  if [ -n "${OPEN_SETTINGS:-}" ]; then
    # The Settings button is the rightmost of the top bar.
    eval "$(DISPLAY="$display" xdotool search --name "Asteroid Stager" getwindowgeometry --shell | tail -5)"
    DISPLAY="$display" xdotool mousemove $((X + WIDTH - 35)) $((Y + 16)) click 1
    sleep 2
  fi
  # The pointer away from the rows: no tooltip in the picture.
  DISPLAY="$display" xdotool mousemove 1 1 || true
  sleep 0.5
  DISPLAY="$display" import -window root "$out/$name-$size.png"
  convert "$out/$name-$size.png" -trim +repage -colors 64 "PNG8:$out/$name-$size.png"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
}

for size in 1280x900 640x480; do
  shot first-run "$size" 6 ""
  shot empty "$size" 6 "demo-key"
  shot uploading "$size" 8 "demo-key" "$work/files/big-scan.tiff" "$work/files"/report-*.pdf
  shot staged "$size" 14 "demo-key" "$work/files"/report-*.pdf "$work/files/Batch250-invoices-from-the-northern-region"
  OPEN_SETTINGS=1 shot settings "$size" 10 "demo-key" "$work/files"/report-*.pdf
done
echo "screenshots in $out"
