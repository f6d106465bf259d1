# Shell helpers for the measurement scripts (sourced, not run).

# descendants PID: the PID and every process below it
descendants() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid" || true); do descendants "$child"; done
}

# pss_kib PID: the proportional set size of PID and everything below it, in KiB
pss_kib() {
  local total=0 pid kib
  for pid in $(descendants "$1"); do
    kib=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}
