#!/usr/bin/env bash
# Builds Asteroid Stager for Windows (x86_64-pc-windows-gnu) on Linux and runs it under Wine
# (Debian 12's wine64, 8.0), as an operator would use it:
#   1. cross-build the release exe (build.rs embeds the icon and version information); with
#      CHECK_ALL_TARGETS=1, first type-check the tests and benches for Windows too (about 5
#      more minutes on 2 cores: not in CI, where nothing runs them on Windows)
#   2. under Wine, in a throwaway prefix:
#      - `--version`
#      - `stage` of two files named by their Z:\… paths against a local fake API
#        (scripts/fake_api.py), checking that the server received exactly their bytes
#      - `key set` (key on stdin), `key status`, a `stage` that takes the key from Wine's
#        Credential Manager, `key delete`, and `key status` saying it is gone
#      - the window under Xvfb with a file on its command line: it opens, paints and stages
#        the file; screenshot in target/windows-ci/window.png
#   3. the MSI: scripts/check-msi.sh (built, installed, upgraded, run, uninstalled)
# Rust's std imports ProcessPrng from bcryptprimitives.dll, which Wine 8.0 lacks: the tests put
# a test-only shim (scripts/wine/) in the prefix's system32. It is never shipped; real
# Windows 10+ has that DLL.
#
# Debian 12, as root (or with sudo). Idempotent. The build has its own target folder,
# $CARGO_TARGET_DIR or by default target/windows, so it never waits on the normal build's lock.
# Logs and the screenshot: target/windows-ci/. SKIP_MSI=1 skips step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
name=check-windows
# shellcheck source=scripts/wine/lib.sh
. scripts/wine/lib.sh
target=x86_64-pc-windows-gnu
# Each run below sets exactly what it needs; nothing of the caller's reaches the exe.
unset DISPLAY WAYLAND_DISPLAY ASTEROID_API_KEY ASTEROID_BASE_URL ASTEROID_ORG_ID
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
total_started=$(now)

# --- tools ------------------------------------------------------------------------------------
begin "tools"
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
[ -x "$WINE64" ] || missing+=(wine64 wine)
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v import >/dev/null || missing+=(imagemagick)
command -v xdotool >/dev/null || missing+=(xdotool)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || missing+=(libgl1-mesa-dri)
command -v python3 >/dev/null || missing+=(python3)
if [ "${SKIP_MSI:-0}" != 1 ]; then
  command -v wixl >/dev/null || missing+=(wixl)
  command -v msiinfo >/dev/null || missing+=(msitools)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! rustup target list --installed | grep -x "$target" >/dev/null; then
  rustup target add "$target"
fi
end_stage

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/windows}"
out_dir=target/windows-ci
mkdir -p "$out_dir"
rm -f "$out_dir/window.png"
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -1)

# --- build ------------------------------------------------------------------------------------
if [ "${CHECK_ALL_TARGETS:-0}" = 1 ]; then
  begin "cargo check --target $target --all-targets"
  cargo check --locked --target "$target" --all-targets
  end_stage
fi

begin "cargo build --release --target $target (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo build --locked --release --target "$target"
exe="$CARGO_TARGET_DIR/$target/release/asteroid-stager.exe"
[ -f "$exe" ] || fail "no $exe after the build"
echo "built $exe ($(du -h "$exe" | cut -f1))"
# The resources build.rs embeds, read back from the exe by windres: the icon (one group of 5
# sizes, 16 to 256 px) and the version information.
resources=$(x86_64-w64-mingw32-windres -J coff -O rc -i "$exe") || fail "could not read the exe's resources"
for want in 'RT_GROUP_ICON' '/* Has 5 elements.  */' 'VERSIONINFO' \
  'VALUE "ProductName", "Asteroid Stager"' 'VALUE "FileDescription", "Asteroid Stager"' \
  "VALUE \"ProductVersion\", \"$version\"" "VALUE \"FileVersion\", \"$version\"" \
  'VALUE "OriginalFilename", "asteroid-stager.exe"'; do
  grep -qF "$want" <<<"$resources" || fail "the exe's resources lack $want (build.rs, assets/windows/)"
done
echo "resources: icon group (5 sizes), version information $version, ProductName Asteroid Stager"
end_stage

# --- Wine -------------------------------------------------------------------------------------
work=$(mktemp -d)
server_pid="" xvfb_pid="" app_pid=""
cleanup() {
  [ -z "$app_pid" ] || kill "$app_pid" 2>/dev/null || true
  wine_stop
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  # The logs are kept for a failed run.
  cp "$work"/*.log "$out_dir/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

begin "Wine prefix and the test-only ProcessPrng shim"
shim="$out_dir/test-only-shim/bcryptprimitives.dll"
build_prng_shim "$shim"
wine_prefix_new "$work/prefix" "$shim"
# The exe alone in a folder, as it is unzipped from the release.
mkdir -p "$work/app"
cp "$exe" "$work/app/asteroid-stager.exe"
app_exe="$work/app/asteroid-stager.exe"
"$WINE64" --version
end_stage

begin "asteroid-stager.exe --version"
expect_version "$app_exe" "asteroid-stager.exe"
end_stage

# One fake API for the rest, recording every file it receives.
fake_api_start
mkdir -p "$work/files"

# stage_output FILE NAME…: stdout is exactly {"tempFiles":[…]} with these names, in order.
stage_output() {
  python3 - "$@" <<'PY'
import json, sys, uuid
doc = json.loads(open(sys.argv[1]).read())
assert set(doc) == {"tempFiles"}, doc
names = [f["name"] for f in doc["tempFiles"]]
assert names == sys.argv[2:], (names, sys.argv[2:])
for f in doc["tempFiles"]:
    uuid.UUID(f["id"])
print("stage printed", len(names), "IDs for", names)
PY
}

begin "stage two files by their Z:\\ paths (key from ASTEROID_API_KEY)"
f1="$work/files/quarterly report.bin"
f2="$work/files/notes.txt"
head -c 1048699 /dev/urandom >"$f1"    # 1 MiB and a bit: several reads, every byte value
printf 'line one\r\nline two\nno newline at the end' >"$f2"
set +e
ASTEROID_API_KEY=testkey ASTEROID_BASE_URL="$base" \
  wine_run 120 "$app_exe" stage "$(winpath "$f1")" "$(winpath "$f2")" \
  >"$work/stage.out" 2>"$work/stage.log" </dev/null
rc=$?
set -e
echo "exit status $rc; stdout: $(cat "$work/stage.out")"
sed 's/^/  stderr: /' "$work/stage.log"
[ "$rc" -eq 0 ] || { cat "$work/server.log"; fail "stage exited $rc"; }
stage_output "$work/stage.out" "quarterly report.bin" "notes.txt" || fail "stage's output"
received "$f1" "$f2" || fail "the bytes that arrived are not the files'"
end_stage

begin "key set / status / stage with the stored key / delete, in Wine's Credential Manager"
key_cmd() {   # key_cmd ACTION [stdin text]: runs `key ACTION --base-url $base`, no key in the env
  local action="$1" input="${2:-}"
  set +e
  printf '%s' "$input" | wine_run 60 "$app_exe" key "$action" --base-url "$base" >"$work/key-$action.out" 2>"$work/key-$action.log"
  key_rc=$?
  set -e
  printf '  key %s: exit %s: %s\n' "$action" "$key_rc" "$(tr '\n' ' ' <"$work/key-$action.log")"
}
credentials() {  # Wine keeps Credential Manager in the prefix's registry
  wine_run 30 reg query 'HKCU\Software\Wine\Credential Manager' /s 2>/dev/null </dev/null | tr -d '\r' || true
}
key_cmd set $'testkey\n'
[ "$key_rc" -eq 0 ] || fail "key set exited $key_rc"
credentials | grep 'asteroid-stager' >/dev/null || { credentials; fail "no asteroid-stager entry in Credential Manager after key set"; }
echo "  Credential Manager holds: $(credentials | grep -m1 'asteroid-stager' | sed 's/^ *//')"
key_cmd status
[ "$key_rc" -eq 0 ] || fail "key status exited $key_rc after key set"
grep -q "is stored in" "$work/key-status.log" || fail "key status does not say the key is stored"
# The fake API accepts only "testkey": this stage works only if the key came back from the store.
f3="$work/files/key from the keychain.txt"
printf 'staged with the key from Credential Manager\n' >"$f3"
set +e
ASTEROID_BASE_URL="$base" wine_run 120 "$app_exe" stage "$(winpath "$f3")" >"$work/stage-key.out" 2>"$work/stage-key.log" </dev/null
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat "$work/stage-key.log"; fail "stage with the stored key exited $rc"; }
stage_output "$work/stage-key.out" "key from the keychain.txt" || fail "stage's output (stored key)"
received "$f3" || fail "the file staged with the stored key did not arrive whole"
key_cmd delete
[ "$key_rc" -eq 0 ] || fail "key delete exited $key_rc"
grep -q "Removed" "$work/key-delete.log" || fail "key delete did not say it removed the key"
key_cmd status
[ "$key_rc" -eq 1 ] || fail "key status exited $key_rc after key delete (expected 1: no key)"
if credentials | grep 'asteroid-stager' >/dev/null; then credentials; fail "the key is still in Credential Manager after key delete"; fi
end_stage

begin "the window under Xvfb: opens, paints, stages the file on its command line"
# Wine's desktop process, started by the runs above without a display, would otherwise host
# this window too, with no OpenGL: end the prefix's processes first.
wine_stop
f4="$work/files/from the command line.bin"
head -c 200000 /dev/urandom >"$f4"
xvfb_start
DISPLAY="$display" ASTEROID_API_KEY=testkey ASTEROID_BASE_URL="$base" \
  wine_run 300 "$app_exe" "$(winpath "$f4")" >"$work/window.log" 2>&1 </dev/null &
app_pid=$!
# Until the file arrives: the window has opened, read its command line and uploaded.
wait_staged "$app_pid" "$work/window.log" "$f4"
wait_window
sleep 3   # a few frames to show the staged file with its ID
DISPLAY="$display" timeout 30 import -window root "$out_dir/window.png" || fail "screenshot failed"
colours=$(identify -format '%k' "$out_dir/window.png")
echo "screenshot $out_dir/window.png: $colours colours"
[ "$colours" -ge 16 ] || fail "the screenshot has $colours colours: the window did not paint"
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=""
wine_stop
kill "$xvfb_pid" 2>/dev/null || true
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""
end_stage

kill "$server_pid" 2>/dev/null || true
server_pid=""

# --- MSI --------------------------------------------------------------------------------------
if [ "${SKIP_MSI:-0}" != 1 ]; then
  begin "MSI: scripts/check-msi.sh"
  scripts/check-msi.sh --exe "$exe" --shim "$shim"
  end_stage
fi

print_times
echo "check-windows: all OK in $(seconds_since "$total_started") s"
