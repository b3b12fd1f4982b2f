#!/usr/bin/env bash
# Builds the MSI (scripts/build-msi.sh) and checks it as Windows Installer runs it, with Wine's
# msiexec (Debian 12's wine64, 8.0) in a throwaway prefix, silently (/qn) and without
# administrator rights:
#   - an "older" MSI (the same exe, version 0.0.1) installs; the real one then replaces it
#     (one product left, the new one): the fixed UpgradeCode works
#   - the exe lands in %LOCALAPPDATA%\Programs\Asteroid Stager, byte for byte, and runs
#     (`--version`); the product is registered for Apps & features with its version and an
#     uninstall command; "Asteroid Stager" shortcuts are in the Start menu and in Send to,
#     pointing at the exe
#   - under Xvfb, the Start-menu shortcut opens the window, and the Send to shortcut given a
#     file (as Explorer does) opens it with the file, which it stages at a local fake API
#   - the older MSI then refuses to install over the newer one
#   - `msiexec /x` removes the exe, its folder, both shortcuts, the registry values and the
#     product registration: nothing is left
#
#   scripts/check-msi.sh [--exe PATH] [--shim PATH]
#
# --exe defaults to the cross-built release exe (built when missing, see scripts/build-msi.sh);
# --shim is the test-only ProcessPrng DLL (built here when not given, see scripts/wine/).
# scripts/check-windows.sh runs this after its own checks.
set -euo pipefail
cd "$(dirname "$0")/.."
name=check-msi
# shellcheck source=scripts/wine/lib.sh
. scripts/wine/lib.sh
unset DISPLAY WAYLAND_DISPLAY ASTEROID_API_KEY ASTEROID_BASE_URL ASTEROID_ORG_ID

exe="" shim=""
while [ $# -gt 0 ]; do
  case "$1" in
    --exe) exe="${2:?--exe needs a path}"; shift 2 ;;
    --shim) shim="${2:?--shim needs a path}"; shift 2 ;;
    *) fail "unknown argument: $1" ;;
  esac
done
for tool in wixl msiinfo x86_64-w64-mingw32-gcc Xvfb xdotool python3; do
  command -v "$tool" >/dev/null \
    || fail "$tool missing: apt-get install -y wixl msitools gcc-mingw-w64-x86-64 xvfb xdotool python3"
done
[ -x "$WINE64" ] || fail "$WINE64 missing: apt-get install -y wine64 wine"

version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -1)
msi="target/dist/asteroid-stager-$version-x86_64.msi"
work=$(mktemp -d)
server_pid="" xvfb_pid="" app_pid=""
cleanup() {
  [ -z "$app_pid" ] || kill "$app_pid" 2>/dev/null || true
  wine_stop
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  # The logs are kept, for a failed run: target/windows-ci/msi-*.log.
  mkdir -p target/windows-ci
  for f in "$work"/*.log; do [ ! -f "$f" ] || cp "$f" "target/windows-ci/msi-$(basename "$f")"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

begin "build the MSI and an older one to upgrade from"
build_args=()
[ -z "$exe" ] || build_args=(--exe "$exe")
scripts/build-msi.sh "${build_args[@]}"
[ -n "$exe" ] || exe="${CARGO_TARGET_DIR:-$PWD/target/windows}/x86_64-pc-windows-gnu/release/asteroid-stager.exe"
scripts/build-msi.sh --exe "$exe" --version 0.0.1 --out "$work/older.msi"
product_code() { msiinfo export "$1" Property | tr -d '\r' | awk -F'\t' '$1 == "ProductCode" { print $2 }'; }
code=$(product_code "$msi")
older_code=$(product_code "$work/older.msi")
echo "ProductCode: $code (older: $older_code)"
end_stage

begin "fresh Wine prefix"
[ -n "$shim" ] || { shim="$work/bcryptprimitives.dll"; build_prng_shim "$shim"; }
wine_prefix_new "$work/prefix" "$shim"
roaming="$wine_user_dir/AppData/Roaming"
install_dir="$wine_user_dir/AppData/Local/Programs/Asteroid Stager"
start_menu_lnk="$roaming/Microsoft/Windows/Start Menu/Programs/Asteroid Stager.lnk"
send_to_lnk="$roaming/Microsoft/Windows/SendTo/Asteroid Stager.lnk"
end_stage

# msiexec ARGS…: Wine's msiexec, waiting until the installer is done; sets msi_rc.
msiexec() {
  set +e
  wine_run 300 msiexec "$@" </dev/null >>"$work/msiexec.log" 2>&1
  msi_rc=$?
  set -e
  timeout 60 "$WINESERVER" -w || true
}
# The products Windows Installer has registered (Apps & features), one "{code}|||name" a line.
products() { wine_run 60 uninstaller --list </dev/null 2>/dev/null | tr -d '\r' | grep 'Asteroid Stager' || true; }
uninstall_value() {  # uninstall_value CODE NAME: a value of the product's Apps & features entry
  wine_run 30 reg query "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$1" /v "$2" \
    </dev/null 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}

begin "install the older MSI, then the real one over it (msiexec /i … /qn)"
msiexec /i "$(winpath "$work/older.msi")" /qn
[ "$msi_rc" -eq 0 ] || { cat "$work/msiexec.log"; fail "msiexec /i older.msi exited $msi_rc"; }
products | grep -F "$older_code" >/dev/null || fail "the older MSI is not registered after installing it"
msiexec /i "$(winpath "$msi")" /qn
[ "$msi_rc" -eq 0 ] || { cat "$work/msiexec.log"; fail "msiexec /i $msi exited $msi_rc"; }
echo "registered: $(products | tr '\n' ' ')"
[ "$(products | wc -l)" -eq 1 ] || fail "expected one Asteroid Stager product after the upgrade, got: $(products)"
products | grep -F "$code" >/dev/null || fail "the product registered is not the new MSI's ($code)"
end_stage

begin "what the install left: files, shortcuts, Apps & features"
[ -f "$install_dir/asteroid-stager.exe" ] || fail "no $install_dir/asteroid-stager.exe"
cmp -s "$install_dir/asteroid-stager.exe" "$exe" || fail "the installed exe differs from $exe"
printf 'exe: %%LOCALAPPDATA%%\\Programs\\Asteroid Stager\\asteroid-stager.exe (same bytes as %s)\n' "$exe"
for lnk in "$start_menu_lnk" "$send_to_lnk"; do
  [ -f "$lnk" ] || fail "no shortcut $lnk"
  # A .lnk keeps its target's path (in UTF-16 and/or the ANSI code page).
  { strings -a "$lnk"; strings -a -el "$lnk"; } | grep 'Asteroid Stager\\asteroid-stager.exe' >/dev/null \
    || fail "$lnk does not point at the installed exe"
  echo "shortcut: ${lnk#"$roaming/"} -> asteroid-stager.exe"
done
display_name=$(uninstall_value "$code" DisplayName)
display_version=$(uninstall_value "$code" DisplayVersion)
uninstall_string=$(uninstall_value "$code" UninstallString)
echo "Apps & features: \"$display_name\" $display_version, uninstall: $uninstall_string"
[ "$display_name" = "Asteroid Stager" ] || fail "Apps & features name: '$display_name'"
[ "$display_version" = "${version%%[-+]*}" ] || fail "Apps & features version: '$display_version'"
grep -qiF "/X$code" <<<"$uninstall_string" || fail "no uninstall command in Apps & features"
[ "$(uninstall_value "$code" NoModify)" = 0x1 ] || fail "Apps & features offers Modify"
end_stage

begin "run the installed exe (--version)"
expect_version "$install_dir/asteroid-stager.exe" "the installed exe"
end_stage

begin "the shortcuts start it: Start menu opens the window, Send to stages a file"
fake_api_start
xvfb_start
# Wine's desktop process, started by the runs above without a display, would host the window
# with no OpenGL: end the prefix's processes first.
wine_stop
# `start` opens a .lnk as Explorer does, appending the arguments (for Send to: the files). It
# does not wait for what the shortcut starts: the checks watch the display and the fake API.
DISPLAY="$display" ASTEROID_API_KEY=testkey ASTEROID_BASE_URL="$base" \
  wine_run 120 start /wait "$(winpath_c "$start_menu_lnk")" >"$work/startmenu.log" 2>&1 </dev/null &
app_pid=$!
wait_window
echo "Start menu shortcut: the window is open"
kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
wine_stop
mkdir -p "$work/files"
sent="$work/files/sent to Asteroid Stager.bin"
head -c 300000 /dev/urandom >"$sent"
DISPLAY="$display" ASTEROID_API_KEY=testkey ASTEROID_BASE_URL="$base" \
  wine_run 120 start /wait "$(winpath_c "$send_to_lnk")" "$(winpath "$sent")" >"$work/sendto.log" 2>&1 </dev/null &
app_pid=$!
wait_staged "" "$work/sendto.log" "$sent"
kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
wine_stop
kill "$xvfb_pid" "$server_pid" 2>/dev/null || true
wait "$xvfb_pid" "$server_pid" 2>/dev/null || true
xvfb_pid="" server_pid=""
end_stage

begin "a downgrade is refused"
msiexec /i "$(winpath "$work/older.msi")" /qn /l*v "$(winpath "$work/downgrade.log")"
[ "$msi_rc" -ne 0 ] || fail "the older MSI installed over the newer one"
# Refused for the right reason: MajorUpgrade's downgrade detection found the installed product
# (the launch condition "NOT WIX_DOWNGRADE_DETECTED" then stops the install).
grep -a "WIX_DOWNGRADE_DETECTED = $code" "$work/downgrade.log" >/dev/null \
  || { tail -40 "$work/downgrade.log"; fail "msiexec refused the older MSI (exit $msi_rc), but not as a downgrade"; }
echo "msiexec refused the older MSI (exit $msi_rc): WIX_DOWNGRADE_DETECTED = $code"
if [ "$(products | wc -l)" -ne 1 ] || ! products | grep -F "$code" >/dev/null; then
  fail "after the refused downgrade the installed product changed: $(products)"
fi
[ -f "$install_dir/asteroid-stager.exe" ] || fail "the refused downgrade removed the exe"
end_stage

begin "uninstall (msiexec /x … /qn) leaves nothing"
msiexec /x "$(winpath "$msi")" /qn
[ "$msi_rc" -eq 0 ] || { cat "$work/msiexec.log"; fail "msiexec /x exited $msi_rc"; }
[ -z "$(products)" ] || fail "still registered after uninstall: $(products)"
[ ! -e "$install_dir" ] || fail "left behind: $install_dir ($(find "$install_dir" | tr '\n' ' '))"
[ ! -e "$start_menu_lnk" ] || fail "left behind: $start_menu_lnk"
[ ! -e "$send_to_lnk" ] || fail "left behind: $send_to_lnk"
if wine_run 30 reg query 'HKCU\Software\Asteroid Stager' </dev/null >/dev/null 2>&1; then
  fail "left behind: the registry key HKCU\\Software\\Asteroid Stager"
fi
[ ! -e "$roaming/Microsoft/Installer/$code" ] || fail "left behind: the cached icon in $roaming/Microsoft/Installer/$code"
# What the app itself wrote while it ran (its settings and history in %APPDATA%\Asteroid, the
# window's size and place in %APPDATA%\asteroid-stager) is the user's: an uninstall keeps it,
# as Windows programs do. Nothing else may remain.
user_data=()
for d in "$roaming/Asteroid" "$roaming/asteroid-stager" \
  "$wine_user_dir/AppData/Local/Asteroid" "$wine_user_dir/AppData/Local/asteroid-stager"; do
  [ ! -e "$d" ] || user_data+=("${d#"$wine_user_dir/"}")
done
leftovers=$(find "$WINEPREFIX/drive_c" -iname '*asteroid*' \
  ! -path "$roaming/Asteroid" ! -path "$roaming/Asteroid/*" \
  ! -path "$roaming/asteroid-stager" ! -path "$roaming/asteroid-stager/*" \
  ! -path "$wine_user_dir/AppData/Local/Asteroid" ! -path "$wine_user_dir/AppData/Local/Asteroid/*" \
  ! -path "$wine_user_dir/AppData/Local/asteroid-stager" ! -path "$wine_user_dir/AppData/Local/asteroid-stager/*" \
  | head -5)
[ -z "$leftovers" ] || fail "left behind: $leftovers"
echo "nothing of the installer's is left in the prefix, and no product is registered"
echo "(the user's own data, kept: ${user_data[*]:-none})"
end_stage

print_times
echo "check-msi: OK ($msi)"
