#!/usr/bin/env bash
# Builds the Windows installer, target/dist/asteroid-stager-<version>-x86_64.msi, from
# assets/windows/asteroid-stager.wxs with wixl (Debian package wixl; msiinfo from msitools for
# the checks at the end). Runs on Linux; needs no Windows and no administrator rights to install.
#
#   scripts/build-msi.sh [--exe PATH] [--out PATH] [--version X.Y.Z]
#
#   --exe      the asteroid-stager.exe to package (default: the cross-built release exe,
#              ${CARGO_TARGET_DIR:-target/windows}/x86_64-pc-windows-gnu/release/asteroid-stager.exe,
#              built here first when missing)
#   --out      where to write the MSI (default: target/dist/asteroid-stager-<version>-x86_64.msi)
#   --version  the MSI's version (default: Cargo.toml's). Only the checks use it, to build an
#              "older" MSI and prove that the real one replaces it.
#
# The MSI's ProductVersion is the version's numeric part (0.2.0-beta.1 -> 0.2.0): Windows
# Installer compares major.minor.patch only, so every release that should upgrade an installed
# copy needs a higher major.minor.patch.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { printf 'build-msi: FAILED: %s\n' "$*" >&2; exit 1; }

exe="" out="" version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --exe) exe="${2:?--exe needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a path}"; shift 2 ;;
    --version) version="${2:?--version needs X.Y.Z}"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) fail "unknown argument: $1 (see --help)" ;;
  esac
done

command -v wixl >/dev/null || fail "wixl missing: apt-get install -y wixl msitools"
command -v msiinfo >/dev/null || fail "msiinfo missing: apt-get install -y msitools"

[ -n "$version" ] || version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -1)
[ -n "$version" ] || fail "no version in Cargo.toml"
msi_version="${version%%[-+]*}"
[[ "$msi_version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] \
  || fail "version $version: the MSI needs major.minor.patch numbers"
if [ "${BASH_REMATCH[1]}" -gt 255 ] || [ "${BASH_REMATCH[2]}" -gt 255 ] || [ "${BASH_REMATCH[3]}" -gt 65535 ]; then
  fail "version $msi_version: Windows Installer allows at most 255.255.65535"
fi

if [ -z "$exe" ]; then
  target_dir="${CARGO_TARGET_DIR:-$PWD/target/windows}"
  exe="$target_dir/x86_64-pc-windows-gnu/release/asteroid-stager.exe"
  if [ ! -f "$exe" ]; then
    echo "== no $exe yet: cargo build --release --target x86_64-pc-windows-gnu"
    CARGO_TARGET_DIR="$target_dir" cargo build --release --locked --target x86_64-pc-windows-gnu
  fi
fi
[ -f "$exe" ] || fail "no exe at $exe"
[ -n "$out" ] || out="target/dist/asteroid-stager-$version-x86_64.msi"

# wixl resolves the sources named in the .wxs relative to the .wxs itself: gather the three
# inputs in one private folder, under fixed names.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp assets/windows/asteroid-stager.wxs "$stage/asteroid-stager.wxs"
cp assets/windows/asteroid-stager.ico "$stage/asteroid-stager.ico"
cp "$exe" "$stage/asteroid-stager.exe"

mkdir -p "$(dirname "$out")"
rm -f "$out"
echo "== wixl: $out (ProductVersion $msi_version, from $exe)"
# wixl prints GLib warnings for attributes it ignores: keep them, they mean the .wxs asks for
# something the MSI will not do.
wixl --arch x64 -D Version="$msi_version" -D Exe=asteroid-stager.exe -D Icon=asteroid-stager.ico \
  -o "$stage/out.msi" "$stage/asteroid-stager.wxs" 2>"$stage/wixl.log" \
  || { cat "$stage/wixl.log" >&2; fail "wixl could not build the MSI"; }
if grep -q . "$stage/wixl.log"; then
  cat "$stage/wixl.log" >&2
  fail "wixl warned (see above): fix assets/windows/asteroid-stager.wxs"
fi
mv "$stage/out.msi" "$out"

# What Windows Installer will read: the product, its version, a per-user package, the exe.
# (msiinfo prints CRLF lines.)
property() { msiinfo export "$out" Property | tr -d '\r' | awk -F'\t' -v k="$1" '$1 == k { print $2 }'; }
[ "$(property ProductName)" = "Asteroid Stager" ] || fail "ProductName is not Asteroid Stager"
[ "$(property ProductVersion)" = "$msi_version" ] || fail "ProductVersion is not $msi_version"
[ "$(property UpgradeCode)" = "{5E92456A-0765-4D83-9465-5B52B28C8772}" ] \
  || fail "UpgradeCode changed: it must stay the same forever, or a new MSI installs beside the old one"
msiinfo export "$out" File | grep 'asteroid-stager.exe' >/dev/null || fail "the exe is not in the MSI"
[ "$(property ARPPRODUCTICON)" = AsteroidStager.ico ] || fail "no icon for Apps & features (ARPPRODUCTICON)"
msiinfo export "$out" Shortcut | tr -d '\r' | awk -F'\t' '$9 == "AsteroidStager.ico" { n++ } END { exit n != 2 }' \
  || fail "the Start-menu and Send to shortcuts do not both carry the icon"
# Summary information "Source" (word count) bit 8: no elevated privileges needed (per-user).
source_flags=$(msiinfo suminfo "$out" | sed -n 's/^Source: \([0-9]*\).*/\1/p')
[ $(( ${source_flags:-0} & 8 )) -eq 8 ] || fail "the MSI would ask for administrator rights"
echo "built $out ($(du -h "$out" | cut -f1))"
