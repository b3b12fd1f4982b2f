#!/usr/bin/env bash
# Runs every check and test of Asteroid Stager: formatting, lints, and the whole test suite
# inside a private D-Bus session with a real Secret Service (gnome-keyring), so that the
# keychain test talks to a real keychain and never to the desktop's own.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond Rust: a session bus, gnome-keyring and secret-tool, Xvfb and xdotool.
missing=()
command -v dbus-run-session >/dev/null || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v secret-tool >/dev/null || missing+=(libsecret-tools)
# The window on its own X server, for tests/desktop/child_processes.rs.
command -v Xvfb >/dev/null || missing+=(xvfb libgl1-mesa-dri)
command -v xdotool >/dev/null || missing+=(xdotool)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The tests read the English texts: the same locale whatever the developer's.
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

# A fresh keyring folder each run: an old login.keyring with another password would make
# the unlock fail silently.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
XDG_DATA_HOME="$keyring_home" REQUIRE_KEYCHAIN_TEST=1 REQUIRE_DISPLAY_TEST=1 dbus-run-session -- sh -c '
  printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # Marks this bus as the private one: the keychain test runs only on it.
  export ASTEROID_TEST_PRIVATE_BUS="$DBUS_SESSION_BUS_ADDRESS"
  exec cargo test --all-targets --locked
'

# Run as root (as CI does), a test cannot see "permission denied" or a read-only folder:
# root reads and writes everything. Run those again as an unprivileged user so they count.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  lib_tests=$(cargo test --lib --locked --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
  if [ -n "$lib_tests" ]; then
    unprivileged=$(mktemp -d)
    trap 'rm -rf "$keyring_home" "$unprivileged"' EXIT
    cp "$lib_tests" "$unprivileged/lib-tests"
    chmod 755 "$unprivileged" "$unprivileged/lib-tests"
    echo "== permission tests as the unprivileged user nobody"
    (cd "$unprivileged" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
      env -i PATH=/usr/bin:/bin HOME="$unprivileged" TMPDIR=/tmp ./lib-tests \
      each_bad_input unreadable_subfolder read_only_folder)
  fi
fi
