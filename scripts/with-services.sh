#!/usr/bin/env bash
# Usage: scripts/with-services.sh CMD [ARGS...]
#
# Runs CMD with the desktop services the tests use, all private to this run and torn down afterwards:
#   - an X server (Xvfb, display number picked by Xvfb itself via -displayfd): DISPLAY=:N
#   - a D-Bus session bus (dbus-run-session): DBUS_SESSION_BUS_ADDRESS
#   - a real, unlocked gnome-keyring serving the Secret Service API on that bus (password "pw")
#   - XDG_RUNTIME_DIR (0700), XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME in a fresh temp dir, so
#     keyring files and app data never touch the user's own. HOME is kept (cargo and npm need it).
# Also exported: SELLERDESK_SERVICES=1 (tests may use it to know the real services are there),
#   SELLERDESK_SERVICES_DIR (the temp dir; xvfb.log and keyring.log are in it), GDK_BACKEND=x11,
#   NO_AT_BRIDGE=1; WAYLAND_DISPLAY is unset so GTK uses the Xvfb display.
# Nothing listens on org.freedesktop.Notifications: a test that observes notifications owns that name.
# Exit status: CMD's. When already inside (SELLERDESK_SERVICES=1), CMD just runs in the same services.
# Env: XVFB_SCREEN (default 1280x800x24).
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")

if [[ $# -eq 0 ]]; then
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$SELF" >&2
  exit 2
fi

die() {
  printf '[with-services] %s\n' "$*" >&2
  exit 1
}

# ---- inner half: runs under dbus-run-session ------------------------------------------------------
if [[ "${_SELLERDESK_SERVICES_INNER:-}" == 1 ]]; then
  unset _SELLERDESK_SERVICES_INNER
  keyring_pid=
  # shellcheck disable=SC2317 # invoked by the trap
  stop_keyring() {
    if [[ -n "$keyring_pid" ]]; then
      kill "$keyring_pid" 2>/dev/null || true
      wait "$keyring_pid" 2>/dev/null || true
    fi
  }
  trap stop_keyring EXIT
  # --foreground keeps the daemon our child (so we can stop it); --unlock reads the password on stdin
  printf pw | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$SELLERDESK_SERVICES_DIR/keyring.log" 2>&1 &
  keyring_pid=$!
  for _ in $(seq 100); do
    if dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
      break
    fi
    kill -0 "$keyring_pid" 2>/dev/null || { cat "$SELLERDESK_SERVICES_DIR/keyring.log" >&2; die "gnome-keyring-daemon exited"; }
    sleep 0.1
  done
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q true ||
    die "gnome-keyring did not claim org.freedesktop.secrets within 10 s"
  export GNOME_KEYRING_CONTROL="$XDG_RUNTIME_DIR/keyring"
  rc=0
  "$@" || rc=$?
  exit "$rc"
fi

# ---- already inside: nothing to start ---------------------------------------------------------------
if [[ "${SELLERDESK_SERVICES:-}" == 1 && -n "${DISPLAY:-}" && -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  exec "$@"
fi

# ---- outer half: temp dirs + Xvfb, then re-enter under a private session bus -------------------------
for tool in Xvfb dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-deps.sh"
done

svc_dir=$(mktemp -d "${TMPDIR:-/tmp}/sellerdesk-services.XXXXXX")
chmod 700 "$svc_dir"
xvfb_pid=
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
  local rc=$?
  if [[ -n "$xvfb_pid" ]]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$svc_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$svc_dir/runtime" "$svc_dir/data" "$svc_dir/config" "$svc_dir/cache"
export XDG_RUNTIME_DIR="$svc_dir/runtime" XDG_DATA_HOME="$svc_dir/data" \
  XDG_CONFIG_HOME="$svc_dir/config" XDG_CACHE_HOME="$svc_dir/cache"

# Xvfb writes the display number it chose, then a newline, to fd 3 once it accepts connections.
Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp \
  3>"$svc_dir/display" >"$svc_dir/xvfb.log" 2>&1 &
xvfb_pid=$!
display=
for _ in $(seq 200); do
  if [[ -s "$svc_dir/display" ]] && [[ $(tail -c1 "$svc_dir/display" | od -An -c) == *'\n'* ]]; then
    display=$(tr -dc '0-9' <"$svc_dir/display")
    break
  fi
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$svc_dir/xvfb.log" >&2; die "Xvfb exited"; }
  sleep 0.05
done
[[ -n "$display" ]] || { cat "$svc_dir/xvfb.log" >&2; die "Xvfb did not report a display within 10 s"; }

unset WAYLAND_DISPLAY
export DISPLAY=":$display" GDK_BACKEND=x11 NO_AT_BRIDGE=1
export SELLERDESK_SERVICES=1 SELLERDESK_SERVICES_DIR="$svc_dir"

rc=0
_SELLERDESK_SERVICES_INNER=1 dbus-run-session -- "$SELF" "$@" || rc=$?
exit "$rc"
