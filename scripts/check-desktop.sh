#!/usr/bin/env bash
# The real window on a real X server (Xvfb), driven as an operator would: files and a folder
# dragged from another application (a GTK drag source, as a file manager offers them), and a
# file chosen in the real file dialog (zenity, rfd's fallback without a desktop portal),
# opened with Ctrl+O. Checks what the local fake API received, byte for byte, and keeps
# screenshots in target/desktop-ci/.
#
# Debian 12, as root (or with sudo). Uses target/release/asteroid-stager, built if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
started=$SECONDS
stage() { echo "== $* ($((SECONDS - started)) s)"; }

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v zenity >/dev/null || need+=(zenity)
command -v import >/dev/null || need+=(imagemagick)
/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null || need+=(python3-gi gir1.2-gtk-3.0)
if [ ${#need[@]} -gt 0 ]; then
  stage "installing ${need[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

bin=target/release/asteroid-stager
if [ ! -x "$bin" ]; then
  stage "cargo build --release"
  cargo build --release --locked
fi

work=$(mktemp -d)
out=target/desktop-ci
mkdir -p "$out"
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A display nobody else uses.
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=$display
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

key=desktop-test-key
python3 scripts/fake_api.py --port 0 --port-file "$work/port" --key "$key" --ledger "$work/ledger.json" 2>"$work/api.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

# Files and a folder to stage, with a hidden file that must not be sent.
mkdir -p "$work/files/Scans/2024"
printf 'first page' >"$work/files/Scans/2024/page1.pdf"
printf 'cover letter' >"$work/files/Scans/cover.txt"
printf 'secret' >"$work/files/Scans/.hidden"
printf 'dragged alone' >"$work/files/alone.txt"
printf 'picked in the dialog' >"$work/files/picked.csv"

# No session bus: no portal (rfd falls back to zenity) and no keychain (the key comes
# from the environment). HOME and XDG folders are throwaway.
stage "starting the window"
env -u DBUS_SESSION_BUS_ADDRESS HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" \
  XDG_DATA_HOME="$work/home/data" ASTEROID_API_KEY="$key" ASTEROID_ORG_ID=11111111-2222-3333-4444-555555555555 \
  ASTEROID_BASE_URL="http://127.0.0.1:$port/agents/v2" "$bin" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)
window=""
for _ in $(seq 100); do
  window=$(xdotool search --name '^Asteroid Stager$' 2>/dev/null | head -1 || true)
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { echo "the window did not open"; cat "$work/app.log"; exit 1; }
xdotool windowmove "$window" 300 0 windowsize "$window" 960 760
sleep 1

# Waits until the fake API's ledger holds $1 files; then prints their names.
wait_for_files() {
  for _ in $(seq 150); do
    n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/ledger.json" 2>/dev/null || echo 0)
    [ "$n" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "the API received $n of $1 files"; cat "$work/app.log" "$work/api.log"; import -window root "$out/failed.png" || true
  exit 1
}

stage "dragging a file and a folder onto the window"
/usr/bin/python3 -W ignore scripts/desktop/drag_source.py "$work/files/alone.txt" "$work/files/Scans" &
pids+=($!)
sleep 1.5
xdotool mousemove 60 40 mousedown 1
for x in 100 300 500 700; do xdotool mousemove "$x" 300; sleep 0.15; done
sleep 0.3
xdotool mouseup 1
wait_for_files 3
import -window root "$out/after-drop.png"

stage "choosing a file in the file dialog (Ctrl+O)"
xdotool windowfocus --sync "$window" key ctrl+o
dialog=""
for _ in $(seq 100); do
  dialog=$( (xdotool search --onlyvisible --name 'Add files to stage'; xdotool search --onlyvisible --class zenity) 2>/dev/null | head -1 || true)
  [ -n "$dialog" ] && break
  sleep 0.1
done
[ -n "$dialog" ] || { echo "no file dialog appeared"; import -window root "$out/failed.png"; exit 1; }
sleep 0.5
import -window root "$out/dialog.png"
# The dialog is a process the app started: it must not have inherited the API key.
zenity_pid=$(pgrep -n zenity || true)
[ -n "$zenity_pid" ] || { echo "the dialog is not zenity"; exit 1; }
if tr '\0' '\n' <"/proc/$zenity_pid/environ" | grep -q '^ASTEROID_API_KEY='; then
  echo "the file dialog's process inherited ASTEROID_API_KEY"; exit 1
fi
echo "the dialog's process has no ASTEROID_API_KEY in its environment"
xdotool windowfocus --sync "$dialog" key ctrl+l
xdotool type --delay 20 "$work/files/picked.csv"
sleep 0.5
# The location field may first take Return for its completion: press again while the
# dialog is still open.
for _ in 1 2 3; do
  xdotool search --onlyvisible --class zenity >/dev/null 2>&1 || break
  xdotool windowfocus --sync "$dialog" key Return 2>/dev/null || true
  sleep 1
done
wait_for_files 4
sleep 1
import -window root "$out/after-dialog.png"

stage "checking what arrived"
python3 - "$work/ledger.json" "$work/files" <<'PY'
import hashlib, json, os, sys
ledger, files = json.load(open(sys.argv[1])), sys.argv[2]
want = {
    "alone.txt": "alone.txt", "page1.pdf": "Scans/2024/page1.pdf",
    "cover.txt": "Scans/cover.txt", "picked.csv": "picked.csv",
}
got = sorted(e["name"] for e in ledger)
assert got == sorted(want), f"the API received {got}"
for e in ledger:
    data = open(os.path.join(files, want[e["name"]]), "rb").read()
    assert e["sha256"] == hashlib.sha256(data).hexdigest(), e["name"]
print("received, byte for byte:", ", ".join(got))
PY
kill "$app" 2>/dev/null || true
stage "desktop check OK (screenshots in $out)"
