# The `compare` modes of scripts/measure-ui.sh (sourced by it, not run): two builds of the app,
# BEFORE and AFTER, and where it applies the empty Tauri window (EMPTY), measured alternately in
# one run under the same X server. Each mode prints its raw lines, then one Markdown table with
# the ratios after/before and after/empty. Uses the helpers of measure-ui.sh (token,
# signed_in_folder, generate, launch_until_painted, stop_app, pss_mib) and lib/processes.sh.

BEFORE=${BIN_BEFORE:-/tmp/before-i10/sellerdesk}
AFTER=${BIN_AFTER:-$BIN/sellerdesk}
EMPTY_DIR=${EMPTY_DIR:-/tmp/empty}
EMPTY=${EMPTY_BIN:-$EMPTY_DIR/target/release/empty-tauri}

side_bin() {
  case "$1" in
    before) echo "$BEFORE" ;;
    after) echo "$AFTER" ;;
    empty) echo "$EMPTY" ;;
  esac
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "" || b == "") print "n/a"; else printf "%.2f", a / b }'
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# launch_empty LOG: starts the empty window (from its folder, as its README says) and waits for
# `page-ready after N ms` (in $paint, the number alone); it keeps running as $app_pid.
launch_empty() {
  local log=$1
  (cd "$EMPTY_DIR" && exec "$EMPTY") >"$log" 2>&1 </dev/null &
  app_pid=$!
  wait_for_log "$log" 'page-ready after [0-9]*' "the empty window was not page-ready" || return 1
  paint=${paint##* }
}

# pss_by_process PID: "total MiB (main X, web Y, network Z, other W; uss U)" for PID and its
# descendants: PSS by process, and the private pages (USS) of them all.
pss_by_process() {
  local pid kib comm main=0 web=0 net=0 other=0 uss=0 private
  for pid in $(descendants "$1"); do
    kib=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    kib=${kib:-0}
    private=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s + 0}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    uss=$((uss + ${private:-0}))
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || echo gone)
    if [[ $pid == "$1" ]]; then
      main=$((main + kib))
    elif [[ $comm == WebKitWebProces* ]]; then
      web=$((web + kib))
    elif [[ $comm == WebKitNetworkPr* ]]; then
      net=$((net + kib))
    else
      other=$((other + kib))
    fi
  done
  printf '%d MiB (main %d, web %d, network %d, other %d; uss %d)' $(((main + web + net + other) / 1024)) \
    $((main / 1024)) $((web / 1024)) $((net / 1024)) $((other / 1024)) $((uss / 1024))
}

# pss_by_mapping PID: one process's PSS by kind of mapping (anonymous = JS heap, malloc and the
# like; libraries; memfd/shm = buffers shared with other processes), with its three largest libraries.
pss_by_mapping() {
  awk '
    /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : ""; for (i = 7; i <= NF; i++) name = name " " $i; next }
    /^Pss:/ {
      kind = "other files"
      if (name == "" || name == "[heap]" || name ~ /^\[anon/) kind = "anonymous"
      else if (name ~ /^\[stack/) kind = "stacks"
      else if (name ~ /\.so(\.[0-9]+)*$/) { kind = "libraries"; n = name; sub(/.*\//, "", n); lib[n] += $2 }
      else if (name ~ /^\/memfd:|^\/dev\/shm|SYSV/) kind = "memfd/shm"
      else if (name ~ /^\[/) kind = "kernel ([vdso] …)"
      pss[kind] += $2
    }
    END {
      out = ""
      for (k in pss) if (pss[k] >= 1024) out = out sprintf("%s %d, ", k, pss[k] / 1024)
      top = ""
      for (j = 0; j < 3; j++) { best = ""; for (l in lib) if (best == "" || lib[l] > lib[best]) best = l; if (best == "") break; top = top sprintf("%s %d, ", best, lib[best] / 1024); delete lib[best] }
      printf "%s(largest libraries: %s)", out, substr(top, 1, length(top) - 2)
    }' "/proc/$1/smaps" 2>/dev/null
}

# mappings_of_tree PID: pss_by_mapping of each process in the tree, one line each.
mappings_of_tree() {
  local pid
  for pid in $(descendants "$1"); do
    printf '      %s (%s): %s\n' "$(cat "/proc/$pid/comm" 2>/dev/null)" "$pid" "$(pss_by_mapping "$pid")"
  done
}

# uss_of SAMPLE: the USS figure of a pss_by_process line.
uss_of() {
  sed -nE 's/.*uss ([0-9]+).*/\1/p' <<<"$1"
}

# start_sim RATE [ARGS…]: a marketplace-sim on a free port accepting $tok; sets $sim_pid, $sim_url.
start_sim() {
  local rate=$1
  shift
  local log
  log=$(mktemp -p "$WORK" sim.XXXX.log)
  "$BIN/marketplace-sim" --port 0 --token "$tok" --rate "$rate" "$@" >"$log" 2>&1 </dev/null &
  sim_pid=$!
  sim_url=""
  for _ in $(seq 1 100); do
    sim_url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n1 || true)
    [[ -n "$sim_url" ]] && return 0
    sleep 0.1
  done
  echo "the simulator did not start:" >&2
  cat "$log" >&2
  return 1
}

stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
}

# json_of FILE: the `json:` line a tests/perf script printed.
json_of() {
  grep '^json: ' "$1" | tail -n1 | sed 's/^json: //'
}

compare_cold_start() {
  local warm=${1:-5} cache side run data log
  cache=${CACHE_1M:-$WORK/cache-1m}
  [[ -f "$cache/cache.sqlite3" ]] || { echo "generating 1,000,000 messages in 10,000 conversations…"; generate "$cache" 1000000 10000; }
  echo "cache: $(du -h "$cache/cache.sqlite3" | cut -f1); before: $BEFORE; after: $AFTER; empty: $EMPTY"
  local -A figure pss
  local rounds=("cold" $(seq 1 "$warm"))
  local orders=("before after empty" "after empty before" "empty before after")
  local i=0
  for run in "${rounds[@]}"; do
    for side in ${orders[$((i % 3))]}; do
      log="$WORK/cold-$side-$run.log"
      if [[ $side != empty ]]; then
        data="$WORK/data-$side-$run"
        mkdir -p "$data"
        signed_in_folder "$data" "$cache"
      fi
      local how="warm file cache"
      if [[ $run == cold ]]; then
        how="file cache NOT dropped (not permitted)"
        if sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then how="file cache dropped"; fi
      fi
      if [[ $side == empty ]]; then
        launch_empty "$log"
      else
        APP=$(side_bin "$side") launch_until_painted "$data" "$log"
        paint=$(grep -o '[0-9]*' <<<"$paint" | head -n1)
      fi
      sleep 3
      pss[$side-$run]=$(pss_mib "$app_pid")
      figure[$side-$run]=$paint
      printf 'run %s, %s (%s): %s ms, PSS %s MiB\n' "$run" "$side" "$how" "$paint" "${pss[$side-$run]}"
      if [[ $side != empty ]]; then
        grep -o 'slow statement.*elapsed=[0-9.]*s' "$log" | sed -E 's/.*summary="([^"]{0,40}).*elapsed=([0-9.]*s)/    slow: \1 \2/' || true
      fi
      stop_app
      [[ $side != empty ]] && rm -rf "$data"
    done
    i=$((i + 1))
  done
  local mb ma me
  mb=$(for run in $(seq 1 "$warm"); do echo "${figure[before-$run]}"; done | median)
  ma=$(for run in $(seq 1 "$warm"); do echo "${figure[after-$run]}"; done | median)
  me=$(for run in $(seq 1 "$warm"); do echo "${figure[empty-$run]}"; done | median)
  echo
  echo "| run | before: first paint | after: first paint | empty: page-ready | after / before | after / empty |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for run in "${rounds[@]}"; do
    printf '| %s | %s ms | %s ms | %s ms | %s | %s |\n' "$run" "${figure[before-$run]}" "${figure[after-$run]}" \
      "${figure[empty-$run]}" "$(ratio "${figure[after-$run]}" "${figure[before-$run]}")" \
      "$(ratio "${figure[after-$run]}" "${figure[empty-$run]}")"
  done
  printf '| warm median | %s ms | %s ms | %s ms | %s | %s (target <= 1.5) |\n' "$mb" "$ma" "$me" "$(ratio "$ma" "$mb")" "$(ratio "$ma" "$me")"
  printf '| PSS 3 s after, warm, min-max | %s MiB | %s MiB | %s MiB | | |\n' \
    "$(for run in $(seq 1 "$warm"); do echo "${pss[before-$run]}"; done | sort -n | sed -n '1p;$p' | paste -sd-)" \
    "$(for run in $(seq 1 "$warm"); do echo "${pss[after-$run]}"; done | sort -n | sed -n '1p;$p' | paste -sd-)" \
    "$(for run in $(seq 1 "$warm"); do echo "${pss[empty-$run]}"; done | sort -n | sed -n '1p;$p' | paste -sd-)"
}

# The instances of the memory comparison run side by side, so each app gets a D-Bus session of its
# own (lib/own-session.sh): on one bus the second would hand over to the first and exit.
# start_instance NAME APP MODE DIR: MODE is live (signed in to $sim_url) or demo; its folders go
# under DIR. Sets inst_pid[NAME] (the app) and inst_wrapper[NAME] (its session).
start_instance() {
  local name=$1 app=$2 mode=$3 dir=$4
  mkdir -p "$dir/data"
  if [[ $mode == live ]]; then
    TOKEN="$tok" SERVER="$sim_url" CLI="$BIN/sellerdesk-cli" APP_BIN="$app" DATA="$dir/data" \
      "$ROOT/scripts/lib/own-session.sh" "$dir/session" bash -c \
      'printf %s "$TOKEN" | "$CLI" --data-dir "$DATA" login --server "$SERVER" --token-stdin >/dev/null &&
       SELLERDESK_LOG="warn,sellerdesk_app=info" exec "$APP_BIN" --data-dir "$DATA"' \
      >/dev/null 2>"$dir/app.log" </dev/null &
  else
    SELLERDESK_LOG="warn,sellerdesk_app=info" "$ROOT/scripts/lib/own-session.sh" "$dir/session" \
      "$app" --demo --data-dir "$dir/data" >/dev/null 2>"$dir/app.log" </dev/null &
  fi
  inst_wrapper[$name]=$!
  for _ in $(seq 1 600); do
    grep -q 'first paint' "$dir/app.log" 2>/dev/null && break
    kill -0 "${inst_wrapper[$name]}" 2>/dev/null || { echo "$name exited:" >&2; tail -n 20 "$dir/app.log" >&2; return 1; }
    sleep 0.1
  done
  inst_pid[$name]=$(cat "$dir/session/pid")
  printf '%s: %s\n' "$name" "$(grep -o 'first paint [0-9]* ms' "$dir/app.log" | head -n1)"
}

# start_named NAME DIR: starts instance NAME (before-live, after-demo, empty …) with its folders
# under DIR and waits for its first paint; sets inst_pid[NAME] (and inst_wrapper[NAME] for apps).
start_named() {
  local name=$1 dir=$2
  case "$name" in
    empty)
      launch_empty "$dir.log"
      inst_pid[empty]=$app_pid
      inst_wrapper[empty]=$app_pid
      printf 'empty: page-ready after %s ms\n' "$paint"
      ;;
    *-live) start_instance "$name" "$(side_bin "${name%-live}")" live "$dir" ;;
    *-demo) start_instance "$name" "$(side_bin "${name%-demo}")" demo "$dir" ;;
  esac
}

stop_named() {
  kill "${inst_pid[$1]}" 2>/dev/null || true
  wait "${inst_wrapper[$1]}" 2>/dev/null || true
}

compare_memory() {
  local seconds=${1:-3600} every=${MEMORY_EVERY:-300} rounds=${IDLE_ROUNDS:-2} name round
  local names=(before-live after-live before-demo after-demo empty)
  local -A inst_pid inst_wrapper idle idle_uss last sample10 uss10 first
  echo "before: $BEFORE; after: $AFTER; empty: $EMPTY"
  tok=$(token)
  start_sim 2
  echo "simulator at $sim_url (2 events/s, its default), a separate process"
  # Idle, each instance ALONE (shared libraries are then counted to it whole, as for the empty
  # window in its README): launched, 10 s after its first paint sampled, stopped; order rotating.
  echo "idle: each instance alone, $rounds rounds"
  for round in $(seq 1 "$rounds"); do
    local order=("${names[@]:$((round - 1))}" "${names[@]:0:$((round - 1))}")
    for name in "${order[@]}"; do
      start_named "$name" "$WORK/idle-$name-$round"
      sleep 10
      local sample
      sample=$(pss_by_process "${inst_pid[$name]}")
      printf 'idle, alone, 10 s after first paint, round %d: %-12s %s\n' "$round" "$name" "$sample"
      ((round == 1)) && mappings_of_tree "${inst_pid[$name]}"
      idle[$name]="${idle[$name]:-} ${sample%% MiB*}"
      idle_uss[$name]="${idle_uss[$name]:-} $(uss_of "$sample")"
      stop_named "$name"
    done
  done
  echo
  echo "Then all five instances run CONCURRENTLY for $seconds s (to fit the hour into the session): each app"
  echo "on its own D-Bus session bus, all on one X server; the live ones against the one simulator, which"
  echo "sends the same events to both. Concurrent PSS divides shared pages among the instances (lower"
  echo "than alone); USS (private pages) does not. Other measurements may share the CPU meanwhile."
  for name in "${names[@]}"; do
    start_named "$name" "$WORK/mem-$name"
  done
  local start elapsed
  start=$(date +%s)
  echo "all running from $(date -u +%H:%M:%S) UTC; sampling every $every s"
  local rows=()
  local row="| all started |"
  for name in "${names[@]}"; do
    first[$name]=$(pss_by_process "${inst_pid[$name]}")
    printf 'all started: %-12s %s\n' "$name" "${first[$name]}"
    row+=" ${first[$name]%% MiB*} / $(uss_of "${first[$name]}") |"
  done
  rows+=("$row $(pgrep -c WebKitWebProces || true) |")
  while (($(date +%s) - start < seconds)); do
    sleep "$every"
    elapsed=$(($(date +%s) - start))
    row="| $((elapsed / 60)) min |"
    for name in "${names[@]}"; do
      if kill -0 "${inst_pid[$name]}" 2>/dev/null; then
        last[$name]=$(pss_by_process "${inst_pid[$name]}")
      else
        last[$name]="exited"
      fi
      printf 'after %4d s: %-12s %s\n' "$elapsed" "$name" "${last[$name]}"
      row+=" ${last[$name]%% MiB*} / $(uss_of "${last[$name]}") |"
      # The first sample at 10 minutes or later is the drift's baseline.
      if [[ -z "${sample10[$name]:-}" ]] && ((elapsed >= 590)); then
        sample10[$name]=${last[$name]%% MiB*}
        uss10[$name]=$(uss_of "${last[$name]}")
      fi
    done
    # Shared pages are divided among every process mapping them: more WebKit processes running
    # (other measurements) lower each instance's PSS, not its USS.
    row+=" $(pgrep -c WebKitWebProces || true) |"
    rows+=("$row")
    for name in before-demo after-demo before-live after-live; do
      printf '    cache of %s: %s\n' "$name" "$(du -sh "$WORK/mem-$name/data" 2>/dev/null | cut -f1)"
    done
  done
  for name in "${names[@]}"; do
    stop_named "$name"
  done
  stop_sim
  local -A idle_median
  for name in "${names[@]}"; do
    idle_median[$name]=$(tr ' ' '\n' <<<"${idle[$name]}" | grep . | median)
  done
  echo
  echo "Idle, each alone, 10 s after first paint (PSS, MiB, rounds: ${rounds}; median):"
  echo
  echo "| instance | PSS, rounds | PSS, median | / empty window (target after <= 1.2) | after / before | USS, median |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  for name in "${names[@]}"; do
    local vs=""
    [[ $name == after-* ]] && vs=$(ratio "${idle_median[$name]}" "${idle_median[before-${name#after-}]}")
    # shellcheck disable=SC2086 # word splitting joins the rounds
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$(echo ${idle[$name]} | sed 's/ /, /g')" "${idle_median[$name]}" \
      "$(ratio "${idle_median[$name]}" "${idle_median[empty]}")" "$vs" "$(tr ' ' '\n' <<<"${idle_uss[$name]}" | grep . | median)"
  done
  echo
  echo "Concurrent, PSS / USS in MiB:"
  echo
  echo "| time | before, live | after, live | before, demo | after, demo | empty window | web processes on the machine |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| figure | live | demo |"
  echo "| --- | ---: | ---: |"
  for side in after before; do
    printf '| %s: last sample / first sample at >= 10 min, PSS (target 0.90-1.10) | %s | %s |\n' "$side" \
      "$(ratio "${last[$side-live]%% MiB*}" "${sample10[$side-live]:-}")" "$(ratio "${last[$side-demo]%% MiB*}" "${sample10[$side-demo]:-}")"
    printf '| %s: the same, USS | %s | %s |\n' "$side" \
      "$(ratio "$(uss_of "${last[$side-live]}")" "${uss10[$side-live]:-}")" "$(ratio "$(uss_of "${last[$side-demo]}")" "${uss10[$side-demo]:-}")"
  done
  printf '| last sample, after / before, PSS | %s | %s |\n' "$(ratio "${last[after-live]%% MiB*}" "${last[before-live]%% MiB*}")" \
    "$(ratio "${last[after-demo]%% MiB*}" "${last[before-demo]%% MiB*}")"
}

# top_window FILE FROM TO [OTHER_PIDS]: mean %CPU per process name in the `top -b` samples of FILE
# taken between FROM and TO (HH:MM:SS), for what the frames or the time went to. Processes in
# OTHER_PIDS (apps that were running before, e.g. the memory comparison's) are listed as "(others)".
top_window() {
  awk -v from="$2" -v to="$3" -v others="${4:-}" '
    BEGIN { split(others, list, " "); for (i in list) other[list[i]] = 1 }
    /^top - / { t = $3; n += (t >= from && t <= to); inside = (t >= from && t <= to); next }
    inside && $1 ~ /^[0-9]+$/ && NF >= 12 { cpu[($1 in other) ? "(others) " $12 : $12] += $9 }
    END { for (c in cpu) if (n > 0 && cpu[c] / n >= 1) printf "%s %.0f%%, ", c, cpu[c] / n; print "(" n " samples)" }' "$1"
}

# run_perf SIDE OUT DATA SCRIPT ARGS…: one tests/perf script on SIDE, with `top` sampling CPU every
# 2 s meanwhile; prints the script's output and the CPU shares in its measured window. PROFILE=1
# also records the window with `perf record -a -g` and prints where the CPU went.
run_perf() {
  local side=$1 out=$2 data=$3 script=$4
  shift 4
  local others
  others=$(pgrep -d ' ' '^(WebKitWebProces|WebKitNetworkPr|sellerdesk|empty-tauri)$' || true)
  top -b -d 2 -w 512 >"$out.top" 2>/dev/null &
  local top_pid=$! perf_pid=""
  local from to
  from=$(date +%H:%M:%S)
  : >"$out.err"
  if [[ "${PROFILE:-0}" == 1 ]] && command -v perf >/dev/null; then
    # A system-wide profile of the measured window (started on the script's "measuring" line).
    (
      for _ in $(seq 1 1200); do grep -q '^measuring for' "$out.err" && break; sleep 0.1; done
      perf record -a -g -F 199 -o "$out.perf" -- sleep "$(grep -o '^measuring for [0-9]*' "$out.err" | grep -o '[0-9]*$' || echo 20)" \
        >/dev/null 2>&1 &
      # Which process each rendering thread (Mesa's llvmpipe, Skia's workers) belongs to.
      sleep 1
      for tid_pid in $(ps -eLo pid=,tid=,comm= | awk '$3 ~ /^(llvmpipe|SkiaCPU)/ {print $1}' | sort -u); do
        printf '%s:%s ' "$tid_pid" "$(cat "/proc/$tid_pid/comm" 2>/dev/null)"
      done >"$out.threads"
      wait
    ) &
    perf_pid=$!
  fi
  node "$ROOT/tests/perf/$script" "$(side_bin "$side")" "$@" "$data" >"$out" 2>"$out.err" || {
    echo "$script failed on $side:" >&2
    tail -n 30 "$out.err" >&2
  }
  to=$(date +%H:%M:%S)
  kill "$top_pid" 2>/dev/null || true
  wait "$top_pid" 2>/dev/null || true
  if [[ -n "$perf_pid" ]]; then
    wait "$perf_pid" 2>/dev/null || true
    if [[ -s "$out.perf" ]]; then
      echo "    profile (perf, all CPUs, the measured window; by thread name and library, top 20):"
      { perf report -i "$out.perf" -g none --no-children --sort comm,dso --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -n 20 | sed 's/^/      /'; } || true
      echo "    processes owning llvmpipe/Skia threads: $(cat "$out.threads" 2>/dev/null)"
      echo "    by symbol in the web process's main thread (top 25):"
      { perf report -i "$out.perf" -g none --no-children --comms WebKitWebProces --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -n 25 | sed 's/^/      /'; } || true
    fi
  fi
  sed 's/^/    /' "$out"
  # The measured window: from the script's "measuring for N s from ISO" line (start-up excluded).
  local mark secs
  mark=$(grep -o 'measuring for [0-9]* s from [0-9T:.-]*Z' "$out.err" | tail -n1 || true)
  if [[ -n "$mark" ]]; then
    secs=$(awk '{print $3}' <<<"$mark")
    from=$(date -d "$(awk '{print $6}' <<<"$mark")" +%H:%M:%S)
    to=$(date -d "@$(($(date -d "$from" +%s) + secs))" +%H:%M:%S)
    printf '    CPU in the measured window (%s-%s): %s\n' "$from" "$to" "$(top_window "$out.top" "$from" "$to" "$others")"
  else
    printf '    CPU over the whole run (start-up included): %s\n' "$(top_window "$out.top" "$from" "$to" "$others")"
  fi
}

compare_flood() {
  local rate=${1:-1000} runs=${FLOOD_RUNS:-2} run side data out
  local -a lines=()
  echo "before: $BEFORE; after: $AFTER; simulator at $rate events/s (seed 11), fresh data folder per run"
  tok=$(token)
  for run in $(seq 1 "$runs"); do
    local order="before after"
    ((run % 2 == 0)) && order="after before"
    for side in $order; do
      start_sim "$rate" --seed 11
      data="$WORK/flood-$side-$run"
      mkdir -p "$data"
      printf '%s' "$tok" | "$BIN/sellerdesk-cli" --data-dir "$data" login --server "$sim_url" --token-stdin >/dev/null
      out="$WORK/flood-$side-$run.txt"
      echo "run $run, $side:"
      run_perf "$side" "$out" "$data" responsive.mjs
      stop_sim
      rm -rf "$data"
      lines+=("$(json_of "$out" | jq -r --arg s "$side" --arg r "$run" \
        '"| \($r) | \($s) | \(.frames) | \(.frames / .seconds | floor) | \(.interval.p50 | round) / \(.interval.p95 | round) / \(.interval.max | round) ms | \(.over50) | \(.lag.p50 | round) / \(.lag.p95 | round) / \(.lag.max | round) ms | \(((.invokes // {}) | add // 0) / .seconds | . * 10 | round / 10) |"' 2>/dev/null || echo "| $run | $side | failed | | | | | |")")
    done
  done
  echo
  echo "| run | build | frames in ${FLOOD_SECONDS:-20} s (target >= 1,100 in 20 s) | frames/s (target >= 55) | frame interval p50 / p95 / max | frames over 50 ms | 0 ms timer lateness p50 / p95 / max | IPC calls/s |"
  echo "| --- | --- | ---: | ---: | --- | ---: | --- | ---: |"
  printf '%s\n' "${lines[@]}"
  compare_ratio_line "$WORK"/flood-before-*.txt -- "$WORK"/flood-after-*.txt
}

# compare_ratio_line BEFORE_FILES… -- AFTER_FILES…: after/before of the mean frame count.
compare_ratio_line() {
  local before=() after=() into=before f
  for f in "$@"; do
    if [[ $f == -- ]]; then into=after; continue; fi
    if [[ $into == before ]]; then before+=("$f"); else after+=("$f"); fi
  done
  local mb ma
  mb=$(for f in "${before[@]}"; do json_of "$f" | jq -r .frames 2>/dev/null; done | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n }')
  ma=$(for f in "${after[@]}"; do json_of "$f" | jq -r .frames 2>/dev/null; done | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n }')
  printf '\nmean frames: before %s, after %s; after / before %s\n' "$mb" "$ma" "$(ratio "$ma" "$mb")"
}

compare_scroll() {
  local runs=${SCROLL_RUNS:-2} run side data out cache="$WORK/cache-100k"
  local -a lines=()
  echo "before: $BEFORE; after: $AFTER"
  echo "generating one conversation of 100,000 messages…"
  generate "$cache" 100000 1
  for run in $(seq 1 "$runs"); do
    local order="before after"
    ((run % 2 == 0)) && order="after before"
    for side in $order; do
      data="$WORK/scroll-$side-$run"
      mkdir -p "$data"
      signed_in_folder "$data" "$cache"
      out="$WORK/scroll-$side-$run.txt"
      echo "run $run, $side:"
      run_perf "$side" "$out" "$data" scroll.mjs
      rm -rf "$data"
      lines+=("$(json_of "$out" | jq -r --arg s "$side" --arg r "$run" \
        '"| \($r) | \($s) | \(.frames) | \(.interval.p50 | round) / \(.interval.p95 | round) / \(.interval.p99 | round) / \(.interval.max | round) ms | \(.over50) | \(.maxRows) | \(.oldest) |"' 2>/dev/null || echo "| $run | $side | failed | | | | |")")
    done
  done
  echo
  echo "| run | build | frames in ${SCROLL_SECONDS:-20} s | frame interval p50 / p95 / p99 / max | frames over 50 ms | rows in the DOM, at most | oldest message reached |"
  echo "| --- | --- | ---: | --- | ---: | ---: | --- |"
  printf '%s\n' "${lines[@]}"
  compare_ratio_line "$WORK"/scroll-before-*.txt -- "$WORK"/scroll-after-*.txt
}

compare_invokes() {
  local events=${1:-20} runs=${INVOKE_RUNS:-1} run side data out
  local -a lines=()
  echo "before: $BEFORE; after: $AFTER; the Node reference server (tests/interop/server.mjs) sends"
  echo "$events messages ${INVOKE_GAP_MS:-1000} ms apart into the open conversation, then as many into another one"
  for run in $(seq 1 "$runs"); do
    for side in before after; do
      data="$WORK/invokes-$side-$run"
      mkdir -p "$data"
      out="$WORK/invokes-$side-$run.txt"
      echo "run $run, $side:"
      export INVOKE_EVENTS=$events
      run_perf "$side" "$out" "$data" invokes.mjs "$BIN/sellerdesk-cli"
      rm -rf "$data"
      lines+=("$(json_of "$out" | jq -r --arg s "$side" --arg r "$run" '
        def names: to_entries | sort_by(-.value) | map("\(.key) \(.value)") | join(", ");
        def per(m): if m then ((m.childList + m.attributes + m.characterData) / .events | round) else "n/a" end;
        "| \($r) | \($s) | \(.open.perEvent) | \(.open.counts | names) | \(.other.perEvent) | \(.other.counts | names) | \(.idle.app) | \(per(.open.mutations)) / \(per(.other.mutations)) |"' 2>/dev/null ||
        echo "| $run | $side | failed | | | | | |")")
    done
  done
  echo
  echo "| run | build | invokes per message, open conversation (target <= 2) | of which (all $events) | invokes per message, other conversation | of which | invokes in an idle phase as long | DOM mutation records per message, open / other |"
  echo "| --- | --- | ---: | --- | ---: | --- | ---: | ---: |"
  printf '%s\n' "${lines[@]}"
}

# The page's own start-up timings (tests/perf/startup.mjs) on the 1M cache: DOM loaded, load,
# first contentful paint, rows and elements in the page. For where cold-start time goes.
compare_startup() {
  local runs=${STARTUP_RUNS:-2} run side data out cache
  cache=${CACHE_1M:-$WORK/cache-1m}
  [[ -f "$cache/cache.sqlite3" ]] || { echo "generating 1,000,000 messages in 10,000 conversations…"; generate "$cache" 1000000 10000; }
  echo "before: $BEFORE; after: $AFTER; the 1M cache, warm; under tauri-driver (so not the cold-start figure)"
  for run in $(seq 1 "$runs"); do
    local order="before after"
    ((run % 2 == 0)) && order="after before"
    for side in $order; do
      data="$WORK/startup-$side-$run"
      mkdir -p "$data"
      signed_in_folder "$data" "$cache"
      out="$WORK/startup-$side-$run.txt"
      echo "run $run, $side:"
      run_perf "$side" "$out" "$data" startup.mjs
      rm -rf "$data"
    done
  done
}

compare_mode() {
  local what=${1:-}
  shift || true
  for binary in "$BEFORE" "$AFTER"; do
    [[ -x "$binary" ]] || { echo "measure-ui: $binary is missing (BIN_BEFORE / BIN_AFTER)" >&2; exit 1; }
  done
  case "$what" in
    cold-start | memory)
      [[ -x "$EMPTY" ]] || { echo "measure-ui: the empty window $EMPTY is missing (EMPTY_BIN; /work/shared/reference/README.md)" >&2; exit 1; }
      ;;
  esac
  echo "compare $what on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  case "$what" in
    cold-start) compare_cold_start "$@" ;;
    memory) compare_memory "$@" ;;
    flood) compare_flood "$@" ;;
    scroll) compare_scroll "$@" ;;
    invokes) compare_invokes "$@" ;;
    startup) compare_startup "$@" ;;
    *)
      echo "usage: measure-ui.sh compare cold-start|memory|flood|scroll|invokes|startup [ARG]" >&2
      exit 2
      ;;
  esac
}
