#!/usr/bin/env bash
# Runs Seller Desk in demo mode: the app with a built-in simulated marketplace, no account needed.
# Installs what is missing, builds the debug app with the UI embedded, then starts it with --demo.
# Extra arguments go to the app. Needs a desktop session (DISPLAY or WAYLAND_DISPLAY); on a headless
# machine `scripts/with-services.sh scripts/demo.sh` runs it on a private Xvfb display instead.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '[demo] %s\n' "$*"; }

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  say "no desktop session here (neither DISPLAY nor WAYLAND_DISPLAY is set)."
  say "Seller Desk is a desktop app: run this from a graphical session (or over ssh -X),"
  say "or headless on a virtual display: scripts/with-services.sh scripts/demo.sh"
  exit 1
fi

INSTALL_DEPS_NO_TAURI_DRIVER=1 scripts/install-deps.sh

if [[ ! -f tauri.conf.json || ! -x ui/node_modules/.bin/tauri ]]; then
  say "the app is not buildable yet (needs tauri.conf.json and ui/ with @tauri-apps/cli)"
  exit 1
fi

say "building the debug app with the UI embedded (the first build takes several minutes)"
TAURI_APP_PATH="$ROOT" TAURI_FRONTEND_PATH="$ROOT/ui" npx --prefix ui tauri build --debug --no-bundle

app="${CARGO_TARGET_DIR:-$ROOT/target}/debug/sellerdesk"
say "starting $app --demo $*"
exec "$app" --demo "$@"
