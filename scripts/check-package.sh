#!/usr/bin/env bash
# Builds the Debian package and checks it as an operator would get it, on Debian 12 as root
# (or with sudo): the .deb's contents and dependencies, the desktop entry, `--version`, and a
# headless `stage` of a file against a local fake API (scripts/fake_api.py). Idempotent.
#
#   scripts/check-package.sh            # the .deb ends up in target/debian/ (or $CARGO_TARGET_DIR/debian/)
#
# Set CHECK_WINDOW=1 to also open the installed app under Xvfb and wait for its window.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'check-package: FAILED: %s\n' "$*" >&2; exit 1; }
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

# --- tools ------------------------------------------------------------------------------------
missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v python3 >/dev/null || missing+=(python3)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
if [ "${CHECK_WINDOW:-0}" = 1 ]; then
  command -v Xvfb >/dev/null || missing+=(xvfb)
  command -v xdotool >/dev/null || missing+=(xdotool)
  dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || missing+=(libgl1-mesa-dri)
fi
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! cargo deb --version >/dev/null 2>&1; then
  step "installing cargo-deb"
  cargo install cargo-deb --locked
fi

# --- build ------------------------------------------------------------------------------------
step "cargo deb (release build)"
target_dir="${CARGO_TARGET_DIR:-target}"
out_dir="$target_dir/debian"
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -1)
head -1 assets/debian/changelog | grep -q "^asteroid-stager ($version-" \
  || fail "assets/debian/changelog has no entry for $version (Cargo.toml): add one at the top"
mkdir -p "$out_dir"
rm -f "$out_dir"/asteroid-stager_*.deb
cargo deb --locked --output "$out_dir"
deb=$(ls "$out_dir"/asteroid-stager_"$version"*_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && [ -f "$deb" ] || fail "no .deb in $out_dir"
echo "built $deb ($(du -h "$deb" | cut -f1))"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "${xvfb_pid:-}" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  if [ -n "${app_pid:-}" ]; then kill "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- metadata ---------------------------------------------------------------------------------
step "package metadata"
dpkg-deb --info "$deb"
depends=$(dpkg-deb --field "$deb" Depends)
for need in libc6 libgl1 libegl1 libxkbcommon0; do
  grep -qw "$need" <<<"$depends" || fail "Depends lacks $need: $depends"
done
recommends=$(dpkg-deb --field "$deb" Recommends)
for need in gnome-keyring zenity xdg-desktop-portal; do
  grep -qw "$need" <<<"$recommends" || fail "Recommends lacks $need: $recommends"
done
if [ -n "$(ls /var/lib/apt/lists/*_Packages* 2>/dev/null | head -1)" ]; then
  # Every dependency exists in this system's archive and can be installed (simulated).
  apt-get install --simulate --no-install-recommends "$(realpath "$deb")" >"$work/apt-sim.log" 2>&1 \
    || { cat "$work/apt-sim.log"; fail "the package's dependencies cannot be installed"; }
  echo "apt-get --simulate: dependencies resolve"
else
  echo "(no apt lists: skipped the simulated install)"
fi

# --- contents ---------------------------------------------------------------------------------
step "contents"
root="$work/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb --contents "$deb"
expect=(
  usr/bin/asteroid-stager
  usr/share/applications/asteroid-stager.desktop
  usr/share/icons/hicolor/scalable/apps/asteroid-stager.svg
  usr/share/doc/asteroid-stager/README.md
  usr/share/doc/asteroid-stager/copyright
)
for s in 16 32 48 64 128 256 512; do expect+=("usr/share/icons/hicolor/${s}x${s}/apps/asteroid-stager.png"); done
expect+=(usr/share/doc/asteroid-stager/changelog.Debian.gz)
for f in "${expect[@]}"; do [ -f "$root/$f" ] || fail "missing /$f"; done
[ -x "$root/usr/bin/asteroid-stager" ] || fail "/usr/bin/asteroid-stager is not executable"
echo "all ${#expect[@]} expected files present"

step "desktop-file-validate"
desktop-file-validate "$root/usr/share/applications/asteroid-stager.desktop"
grep -qx 'Exec=asteroid-stager %F' "$root/usr/share/applications/asteroid-stager.desktop" || fail "Exec line"
grep -qx 'Icon=asteroid-stager' "$root/usr/share/applications/asteroid-stager.desktop" || fail "Icon line"
echo "desktop entry valid"

if command -v lintian >/dev/null; then
  step "lintian (informational)"
  lintian --tag-display-limit 0 "$deb" || true
fi

bin="$root/usr/bin/asteroid-stager"

# --- --version --------------------------------------------------------------------------------
step "asteroid-stager --version"
v_out=$("$bin" --version)
echo "$v_out"
grep -q "$version" <<<"$v_out" || fail "--version does not mention $version"

# --- headless stage against a local fake API ---------------------------------------------------
step "asteroid-stager stage against a local fake API"
python3 scripts/fake_api.py --port 0 --port-file "$work/port" --key testkey 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/server.log"; fail "fake API did not start"; }
port=$(cat "$work/port")
mkdir -p "$work/files" "$work/home"
printf 'hello from check-package\n' >"$work/files/somefile.txt"
set +e
(
  cd "$work/files"
  # A private home: no settings, history or keychain of the person running this is touched.
  env -u ASTEROID_ORG_ID -u DBUS_SESSION_BUS_ADDRESS \
    HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_STATE_HOME="$work/home/.local/state" XDG_CACHE_HOME="$work/home/.cache" \
    ASTEROID_API_KEY=testkey ASTEROID_BASE_URL="http://127.0.0.1:$port/agents/v2" \
    timeout 60 "$bin" stage somefile.txt
) >"$work/stage.out" 2>"$work/stage.err" </dev/null
rc=$?
set -e
echo "exit status: $rc"; echo "stdout: $(cat "$work/stage.out")"; echo "stderr:"; sed 's/^/  /' "$work/stage.err"
[ "$rc" -eq 0 ] || { cat "$work/server.log"; fail "stage exited $rc"; }
python3 - "$work/stage.out" <<'PY' || fail "stage output is not the expected {\"tempFiles\":[...]}"
import json, sys, uuid
doc = json.loads(open(sys.argv[1]).read())
files = doc["tempFiles"]
assert set(doc) == {"tempFiles"}, doc
assert len(files) == 1 and files[0]["name"] == "somefile.txt", files
uuid.UUID(files[0]["id"])
print("stage output OK:", files[0]["id"])
PY

# --- optional: the window under Xvfb -----------------------------------------------------------
if [ "${CHECK_WINDOW:-0}" = 1 ]; then
  step "window under Xvfb"
  display=":$((90 + RANDOM % 9))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
  DISPLAY="$display" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
    XDG_DATA_HOME="$work/home/.local/share" "$bin" >"$work/app.log" 2>&1 &
  app_pid=$!
  if DISPLAY="$display" timeout 30 xdotool search --sync --onlyvisible --name "Asteroid Stager" >/dev/null; then
    echo "window mapped"
  else
    cat "$work/app.log"; fail "no window within 30 s"
  fi
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
fi

step "package OK: $deb"
