#!/usr/bin/env bash
# Re-render the app icon PNGs from assets/asteroid-stager.svg.
# Needs rsvg-convert (Debian: librsvg2-bin) and ImageMagick's convert. The PNGs and the .ico are
# committed, so building never needs this.
set -euo pipefail
cd "$(dirname "$0")/.."
svg=assets/asteroid-stager.svg
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing: apt-get install -y librsvg2-bin" >&2; exit 1; }
rsvg-convert -w 256 -h 256 "$svg" -o assets/asteroid-stager.png
for s in 16 32 48 64 128 256 512; do
  d="assets/icons/hicolor/${s}x${s}/apps"
  mkdir -p "$d"
  rsvg-convert -w "$s" -h "$s" "$svg" -o "$d/asteroid-stager.png"
done
# 1024 px for the macOS .icns (icon_512x512@2x), built by the release workflow with iconutil.
rsvg-convert -w 1024 -h 1024 "$svg" -o assets/icons/asteroid-stager-1024.png
mkdir -p assets/icons/hicolor/scalable/apps
cp "$svg" assets/icons/hicolor/scalable/apps/asteroid-stager.svg
# The Windows icon (embedded in the exe by build.rs, used by the MSI's shortcuts): one .ico with
# the sizes Explorer, the taskbar and Alt-Tab pick from. Needs ImageMagick (Debian: imagemagick).
command -v convert >/dev/null || { echo "convert missing: apt-get install -y imagemagick" >&2; exit 1; }
mkdir -p assets/windows
h=assets/icons/hicolor
convert "$h/16x16/apps/asteroid-stager.png" "$h/32x32/apps/asteroid-stager.png" \
  "$h/48x48/apps/asteroid-stager.png" "$h/64x64/apps/asteroid-stager.png" \
  "$h/256x256/apps/asteroid-stager.png" assets/windows/asteroid-stager.ico
echo "rendered icons from $svg"
