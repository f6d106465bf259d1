#!/usr/bin/env bash
# The UI figures of the complete-UI issue, on the release app (docs/performance.md, "UI"):
#   scripts/with-services.sh scripts/measure-ui.sh cold-start [RUNS]   first cached conversation painted, 1M-message cache
#   scripts/with-services.sh scripts/measure-ui.sh scroll               frame times scrolling a 100,000-message thread
#   scripts/with-services.sh scripts/measure-ui.sh memory [SECONDS]     PSS of all processes, idle and over demo traffic
#   scripts/with-services.sh scripts/measure-ui.sh flood [RATE]         frame times while the simulator sends RATE events/s
# Needs target/release/{sellerdesk,sellerdesk-cli,marketplace-sim,sellerdesk-bench}:
#   npx --prefix ui tauri build --no-bundle && cargo build --release -p sellerdesk-cli -p marketplace-sim -p sellerdesk-bench
# CACHE_1M=DIR reuses a generated 1M cache (a folder with cache.sqlite3) instead of generating one.
#
# Side by side (docs/performance.md, "UI on Solid (side by side)"): two builds of the app, BEFORE and
# AFTER, and for start-up and memory the empty Tauri window (/work/shared/reference/README.md), run
# alternately in one run under the same X server; each prints a Markdown table with the ratios
# after/before and after/empty (scripts/lib/compare-ui.sh):
#   scripts/with-services.sh scripts/measure-ui.sh compare cold-start [WARM_RUNS]  one cold run each (file cache
#       dropped before each), then WARM_RUNS (5) warm rounds in rotating order; first paint vs page-ready
#   scripts/with-services.sh scripts/measure-ui.sh compare memory [SECONDS]   PSS by process, idle (10 s after
#       first paint) and every MEMORY_EVERY (300) s for SECONDS (3600): before/after in live mode (one
#       marketplace-sim, separate process, default traffic) and in demo mode, and the empty window, ALL
#       CONCURRENTLY; each app on a D-Bus session of its own (scripts/lib/own-session.sh: the single-instance
#       name would otherwise send the second instance's launch to the first)
#   scripts/with-services.sh scripts/measure-ui.sh compare flood [RATE]      responsive.mjs at RATE (1000)
#       events/s, FLOOD_RUNS (2) rounds alternating the order, `top` CPU shares in each measured window
#   scripts/with-services.sh scripts/measure-ui.sh compare scroll            scroll.mjs on a 100,000-message
#       thread, SCROLL_RUNS (2) rounds alternating, `top` CPU shares
#   scripts/with-services.sh scripts/measure-ui.sh compare invokes [N]       invokes.mjs: IPC calls per incoming
#       message, N (20) into the open conversation and N into another, INVOKE_GAP_MS (1000) apart
#   scripts/with-services.sh scripts/measure-ui.sh compare startup           startup.mjs: the page's own start-up
#       timings on the 1M cache (DOM loaded, load, first contentful paint, rows), STARTUP_RUNS (2)
#   PROFILE=1 (flood, scroll): `perf record -a -g` over the measured window; where the CPU went
#   BIN_BEFORE (default /tmp/before-i10/sellerdesk), BIN_AFTER (default target/release/sellerdesk),
#   EMPTY_BIN (default $EMPTY_DIR/target/release/empty-tauri, run from EMPTY_DIR, default /tmp/empty).
#   The tools (sellerdesk-cli, marketplace-sim, sellerdesk-bench) come from BIN for both sides.
# The tests/perf scripts end with one `json:` line (what the tables are made of).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/target/release}
APP=$BIN/sellerdesk
MODE=${1:-}
[[ -n "${DISPLAY:-}" ]] || { echo "measure-ui: needs a display (run it under scripts/with-services.sh)" >&2; exit 1; }
apps=("$APP")
[[ $MODE == compare ]] && apps=()
for binary in "${apps[@]}" "$BIN/sellerdesk-cli" "$BIN/marketplace-sim" "$BIN/sellerdesk-bench"; do
  [[ -x "$binary" ]] || { echo "measure-ui: $binary is missing (see the header)" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# shellcheck source=lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

pss_mib() {
  echo $(($(pss_kib "$1") / 1024))
}

# A JWT the simulator accepts with --token (unsigned; the app only reads `sub` and `exp`).
token() {
  local b64='base64 -w0 | tr "+/" "-_" | tr -d "="'
  printf '%s.%s.%s' "$(printf '{"alg":"HS256","typ":"JWT"}' | eval "$b64")" \
    "$(printf '{"sub":"seller-1","exp":%d}' $(($(date +%s) + 86400)) | eval "$b64")" "$(printf sig | eval "$b64")"
}

# signed_in_folder DIR CACHE_DIR: a data folder signed in to a (then stopped) simulator, holding
# the generated cache, as a seller's would be after a long time of use.
signed_in_folder() {
  local dir=$1 cache=$2 tok sim_log url
  tok=$(token)
  sim_log="$WORK/sim.log"
  "$BIN/marketplace-sim" --port 0 --token "$tok" --rate 0 >"$sim_log" 2>&1 </dev/null &
  local sim=$!
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$sim_log" | head -n1 || true)
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  printf '%s' "$tok" | "$BIN/sellerdesk-cli" --data-dir "$dir" login --server "$url" --token-stdin >/dev/null 2>&1
  kill "$sim"
  wait "$sim" 2>/dev/null || true
  rm -f "$dir"/cache.sqlite3*
  cp "$cache/cache.sqlite3" "$dir/cache.sqlite3"
}

generate() {
  local dir=$1 messages=$2 conversations=$3
  mkdir -p "$dir"
  "$BIN/sellerdesk-bench" generate --dir "$dir" --messages "$messages" --conversations "$conversations" | tail -n 1
}

# wait_for_log LOG PATTERN WHAT: waits up to 60 s, while $app_pid runs, for PATTERN (grep -o) in
# LOG and puts its first match in $paint; otherwise says WHAT "within 60 s" with the log's end.
wait_for_log() {
  local log=$1 pattern=$2 what=$3
  paint=""
  for _ in $(seq 1 600); do
    paint=$(grep -o "$pattern" "$log" | head -n1 || true)
    [[ -n "$paint" ]] && return 0
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$what within 60 s:" >&2
  tail -n 20 "$log" >&2
  return 1
}

# launch_until_painted DIR LOG: launches the app on DIR and waits for its logged first paint (in
# $paint); the app keeps running as $app_pid. (Not in a $(...): the app would hold its pipe open.)
launch_until_painted() {
  local dir=$1 log=$2
  SELLERDESK_LOG="warn,sellerdesk_app=info" "$APP" --data-dir "$dir" 2>"$log" >/dev/null &
  app_pid=$!
  wait_for_log "$log" 'first paint [0-9]* ms' "no first paint"
}

stop_app() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}

case "$MODE" in
  cold-start)
    runs=${2:-5}
    cache=${CACHE_1M:-$WORK/cache-1m}
    [[ -f "$cache/cache.sqlite3" ]] || { echo "generating 1,000,000 messages in 10,000 conversations…"; generate "$cache" 1000000 10000; }
    echo "cache: $(du -h "$cache/cache.sqlite3" | cut -f1), app: $APP"
    for run in $(seq 1 "$runs"); do
      data="$WORK/data-$run"
      mkdir -p "$data"
      signed_in_folder "$data" "$cache"
      # The first run reads the cache from disk where the kernel lets us drop its page cache.
      cold="warm file cache"
      if [[ $run == 1 ]] && sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then cold="file cache dropped"; fi
      launch_until_painted "$data" "$WORK/app-$run.log"
      sleep 3
      printf 'run %d (%s): %s, PSS %s MiB\n' "$run" "$cold" "$paint" "$(pss_mib "$app_pid")"
      grep -o 'slow statement.*elapsed=[0-9.]*s' "$WORK/app-$run.log" | sed -E 's/.*summary="([^"]{0,40}).*elapsed=([0-9.]*s)/    slow: \1 \2/' || true
      stop_app
      rm -rf "$data"
    done
    ;;
  scroll)
    cache="$WORK/cache-100k"
    echo "generating one conversation of 100,000 messages…"
    generate "$cache" 100000 1
    data="$WORK/data"
    mkdir -p "$data"
    signed_in_folder "$data" "$cache"
    node "$ROOT/tests/perf/scroll.mjs" "$APP" "$data"
    ;;
  flood)
    rate=${2:-1000}
    tok=$(token)
    "$BIN/marketplace-sim" --port 0 --token "$tok" --rate "$rate" --seed 11 >"$WORK/sim.log" 2>&1 &
    for _ in $(seq 1 100); do grep -q 'listening on' "$WORK/sim.log" && break; sleep 0.1; done
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/sim.log" | head -n1)
    data="$WORK/flood"
    mkdir -p "$data"
    printf '%s' "$tok" | "$BIN/sellerdesk-cli" --data-dir "$data" login --server "$url" --token-stdin >/dev/null
    echo "simulator at $rate events/s"
    node "$ROOT/tests/perf/responsive.mjs" "$APP" "$data"
    ;;
  memory)
    seconds=${2:-3600}
    data="$WORK/demo"
    mkdir -p "$data"
    SELLERDESK_LOG="warn,sellerdesk_app=info" "$APP" --demo --data-dir "$data" 2>"$WORK/app.log" &
    app_pid=$!
    start=$(date +%s)
    for _ in $(seq 1 600); do grep -q 'first paint' "$WORK/app.log" && break; sleep 0.1; done
    sleep 10
    printf 'idle (10 s after first paint): PSS %s MiB over %d processes\n' "$(pss_mib "$app_pid")" "$(descendants "$app_pid" | wc -l)"
    while (($(date +%s) - start < seconds)); do
      sleep 300
      kill -0 "$app_pid" 2>/dev/null || { echo "the app exited" >&2; tail -n 20 "$WORK/app.log" >&2; exit 1; }
      printf 'after %4d s of demo traffic: PSS %s MiB, cache %s\n' $(($(date +%s) - start)) "$(pss_mib "$app_pid")" \
        "$(du -sh "$data" | cut -f1)"
    done
    stop_app
    ;;
  compare)
    # shellcheck source=lib/compare-ui.sh
    source "$ROOT/scripts/lib/compare-ui.sh"
    compare_mode "${@:2}"
    ;;
  *)
    sed -n '2,30p' "$0" >&2
    exit 2
    ;;
esac
