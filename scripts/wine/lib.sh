# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # name and work are the caller's; the variables set here are for it
# Shared by scripts/check-windows.sh and scripts/check-msi.sh: running the Windows exe under
# Wine (Debian 12's wine64, 8.0) in a throwaway prefix, with stage timers and failure messages.
# Sourced, not run, from the repository's root. The caller sets `name` (its own name, for
# messages) and `work` (a private temporary folder that it removes on exit).
# With pipefail, never end a pipe in `grep -q`: it stops reading at the first match, and the
# writer's SIGPIPE would fail the pipe; use grep >/dev/null.

WINE64=/usr/lib/wine/wine64          # Debian's wine64 is not on PATH
WINESERVER=/usr/lib/wine/wineserver64
[ -x "$WINESERVER" ] || WINESERVER=/usr/lib/wine/wineserver

fail() { printf '\n%s: FAILED: %s\n' "$name" "$*" >&2; exit 1; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Stage timers: `begin "what"` … `end_stage`; `print_times` lists them all at the end.
stage_names=() stage_secs=()
stage_started=""
begin() {
  stage_started=$(now)
  stage_names+=("$*")
  printf '\n== %s\n' "$*"
}
end_stage() {
  local s; s=$(seconds_since "$stage_started")
  stage_secs+=("$s")
  printf -- '-- %s: %s s\n' "${stage_names[-1]}" "$s"
}
print_times() {
  local i
  printf '\n%s: time per stage\n' "$name"
  for i in "${!stage_secs[@]}"; do printf '  %7s s  %s\n' "${stage_secs[$i]}" "${stage_names[$i]}"; done
}

# Z:\… is the whole Linux file system in every Wine prefix.
winpath() { local p; p=$(realpath -m "$1"); printf 'Z:%s' "${p//\//\\}"; }
# C:\… for a file inside the prefix's drive_c (Wine's `start` opens a .lnk there, not by Z:).
winpath_c() { local p="${1#"$WINEPREFIX/drive_c/"}"; printf 'C:\\%s' "${p//\//\\}"; }

# Compiles the test-only ProcessPrng shim (scripts/wine/bcryptprimitives.c) into $1.
build_prng_shim() {
  mkdir -p "$(dirname "$1")"
  x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc -o "$1" \
    scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32 \
    || fail "could not build the test-only ProcessPrng shim"
}

# A fresh Wine prefix in $1, with the shim $2 in its system32 (where every real Windows 10+
# keeps bcryptprimitives.dll). Everything Wine writes stays inside $work: its own HOME, no
# Mono/Gecko installers, and no winemenubuilder (which would copy the Start-menu shortcuts to
# the Linux desktop's menus).
wine_prefix_new() {
  export WINEPREFIX="$1" WINEDEBUG=-all WINEARCH=win64
  export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
  mkdir -p "$work/home/.cache"
  rm -rf "$WINEPREFIX"
  wine_run 180 wineboot -i >"$work/wineboot.log" 2>&1 </dev/null \
    || { cat "$work/wineboot.log" >&2; fail "wineboot could not create the prefix $WINEPREFIX"; }
  timeout 60 "$WINESERVER" -w || true
  cp "$2" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  wine_user_dir=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1)
  [ -n "$wine_user_dir" ] || fail "no user profile in $WINEPREFIX/drive_c/users"
}

# wine_run SECONDS PROGRAM ARGS…: one Windows program under Wine, killed after SECONDS.
# The exit status is the program's (Wine keeps its low 8 bits); 124 means it timed out.
wine_run() {
  local t="$1"; shift
  HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_CACHE_HOME="$work/home/.cache" timeout --kill-after=5 "$t" "$WINE64" "$@"
}

# expect_version EXE WHAT: EXE --version exits 0 and prints $version; WHAT names it in a
# failure (exit 53 from Wine means a DLL is missing: run with WINEDEBUG=err+all).
expect_version() {
  local rc
  set +e
  wine_run 60 "$1" --version >"$work/version.out" 2>"$work/version.log" </dev/null
  rc=$?
  set -e
  cat "$work/version.out"
  [ "$rc" -eq 0 ] || { cat "$work/version.log"; fail "$2's --version exited $rc"; }
  grep -q "$version" "$work/version.out" || fail "$2 does not print $version"
}

# Ends every process of the prefix (ours only: it is keyed by WINEPREFIX).
wine_stop() {
  if [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
    "$WINESERVER" -k 2>/dev/null || true
    timeout 20 "$WINESERVER" -w 2>/dev/null || true
  fi
}

# The fake API (scripts/fake_api.py) on a free port, accepting only the key "testkey" and
# recording every file it receives in $work/ledger.json. Sets server_pid and base (its URL).
fake_api_start() {
  python3 scripts/fake_api.py --port 0 --port-file "$work/port" --key testkey \
    --ledger "$work/ledger.json" 2>"$work/server.log" &
  server_pid=$!
  local _
  for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { cat "$work/server.log" >&2; fail "the fake API did not start"; }
  base="http://127.0.0.1:$(cat "$work/port")/agents/v2"
}

# received FILE…: each file arrived whole (same name, size and SHA-256) at the fake API.
received() {
  python3 - "$work/ledger.json" "$@" <<'PY'
import hashlib, json, os, sys
ledger = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    want = {"name": os.path.basename(path), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if want not in ledger:
        sys.exit(f"the server did not receive {want} (received: {ledger})")
    print(f"received {want['name']}: {want['size']} bytes, sha256 {want['sha256'][:16]}…")
PY
}

# An X server of our own (Xvfb picks a free display number). Sets xvfb_pid and display.
xvfb_start() {
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
  xvfb_pid=$!
  local _
  for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  [ -s "$work/display" ] || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start"; }
  display=":$(cat "$work/display")"
  echo "Xvfb on $display"
}

# wait_staged PID LOG FILE: waits (at most 180 s) until the window started as PID (its output
# in LOG) has uploaded FILE whole; fails early if it exits or cannot open its window. PID may be
# empty: a program started through a shortcut (`start`) is not the child of the shell.
wait_staged() {
  local pid="$1" log="$2" file="$3" started deadline
  started=$(now)
  deadline=$(( $(date +%s) + 180 ))
  until received "$file" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2; fail "the window exited before staging $file"
    fi
    if grep -E 'could not be opened|Exiting because of error' "$log" >/dev/null; then
      cat "$log" >&2; fail "the window could not be opened"
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then cat "$log" >&2; fail "the window did not stage $file within 180 s"; fi
    sleep 0.5
  done
  echo "staged by the window $(seconds_since "$started") s after it was started"
  received "$file"
}

# Waits (at most 30 s) for a visible window named Asteroid Stager on $display.
wait_window() {
  DISPLAY="$display" timeout 30 xdotool search --sync --onlyvisible --name "Asteroid Stager" >/dev/null \
    || fail "no visible window named Asteroid Stager on $display"
}
