#!/usr/bin/env bash
# Start-up time and memory of the desktop app in demo mode, as a seller would start it.
#   scripts/with-services.sh scripts/measure-app.sh [APP_BINARY] [RUNS]
# APP_BINARY defaults to target/release/sellerdesk, else target/debug/sellerdesk (build it with
# `npx --prefix ui tauri build [--debug] --no-bundle`). Prints, per run, the time from launch to the
# first painted conversation list (the app logs it) and the PSS of the app and all its processes
# (WebKit's web and network processes) 10 s after that paint.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP=${1:-}
if [[ -z "$APP" ]]; then
  APP="$ROOT/target/release/sellerdesk"
  [[ -x "$APP" ]] || APP="$ROOT/target/debug/sellerdesk"
fi
RUNS=${2:-3}
[[ -x "$APP" ]] || { echo "measure-app: no app binary at $APP" >&2; exit 1; }
[[ -n "${DISPLAY:-}" ]] || { echo "measure-app: needs a display (run it under scripts/with-services.sh)" >&2; exit 1; }

# shellcheck source=lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

echo "app: $APP"
for run in $(seq 1 "$RUNS"); do
  data=$(mktemp -d) log=$(mktemp)
  SELLERDESK_LOG="warn,sellerdesk_app=info" "$APP" --demo --data-dir "$data" 2>"$log" &
  pid=$!
  paint=""
  for _ in $(seq 1 600); do
    paint=$(grep -o 'first paint [0-9]* ms' "$log" | head -n1 || true)
    [[ -n "$paint" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$paint" ]]; then
    echo "run $run: no first paint within 60 s" >&2
    tail -n 20 "$log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 10
  kib=$(pss_kib "$pid")
  procs=$(descendants "$pid" | wc -l)
  printf 'run %d: %s, PSS %d MiB over %d processes\n' "$run" "$paint" $((kib / 1024)) "$procs"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
done
