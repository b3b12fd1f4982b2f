#!/usr/bin/env bash
# Type-checks Asteroid Stager for Windows (x86_64-pc-windows-gnu) from Linux: catches code that
# only compiles on Unix (paths, permissions, keychain back ends) without a Windows machine.
# Debian 12, as root (or with sudo). Idempotent. Uses its own target dir so it never waits on
# the lock of the normal build: $CARGO_TARGET_DIR, by default target/win-check.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! rustup target list --installed | grep -qx "$target"; then
  echo "== rustup target add $target"
  rustup target add "$target"
fi
# C parts of some dependencies (ring/aws-lc style build scripts) need the MinGW C compiler.
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo "== installing gcc-mingw-w64-x86-64"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/win-check}"
echo "== cargo check --target $target --all-targets (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo check --locked --target "$target" --all-targets
echo "== Windows type-check OK"
