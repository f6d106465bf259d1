#!/usr/bin/env bash
# Usage: scripts/lib/own-session.sh DIR CMD [ARGS...]
#
# Runs CMD on the current X display (DISPLAY is kept) with a D-Bus session bus, an unlocked
# gnome-keyring (password "pw") and XDG_* folders of its own under DIR. CMD's pid is written to
# DIR/pid as soon as it runs (CMD may be `bash -c '...; exec APP'`: the pid stays the app's).
#
# Why: the app takes a single-instance name on the session bus, so a second instance on the same
# bus hands its arguments to the first and exits. Instances that must run side by side (the
# memory comparison of scripts/measure-ui.sh) each get a bus, and a keyring for their token.
# The keyring and bus are siblings of CMD, not children: CMD's process tree (its PSS) is its own.
set -euo pipefail

dir=$1
shift

if [[ "${_OWN_SESSION_INNER:-}" != 1 ]]; then
  mkdir -p "$dir"
  for sub in runtime data config cache; do mkdir -p -m 700 "$dir/$sub"; done
  export XDG_RUNTIME_DIR="$dir/runtime" XDG_DATA_HOME="$dir/data" \
    XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache"
  _OWN_SESSION_INNER=1 exec dbus-run-session -- "$0" "$dir" "$@"
fi
unset _OWN_SESSION_INNER

printf pw | gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/keyring.log" 2>&1 &
keyring=$!
child=
# shellcheck disable=SC2317 # invoked by the traps
stop() {
  if [[ -n "$child" ]]; then kill "$child" 2>/dev/null || true; fi
  kill "$keyring" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM INT
for _ in $(seq 100); do
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.1
done
export GNOME_KEYRING_CONTROL="$XDG_RUNTIME_DIR/keyring"

"$@" &
child=$!
echo "$child" >"$dir/pid"
rc=0
wait "$child" || rc=$?
child=
exit "$rc"
