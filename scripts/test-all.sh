#!/usr/bin/env bash
# THE test command (README and .ci/run call it): installs what is missing, then runs every check inside
# private desktop services (scripts/with-services.sh: Xvfb, a session bus, an unlocked gnome-keyring).
# Stages run in order and the first failure stops the run with a non-zero exit; a stage whose part of
# the repo does not exist yet is skipped with a message.
#
# Env (all optional; CI sets none of them):
#   SKIP_INSTALL=1   do not run scripts/install-deps.sh
#   SKIP_RUST=1      skip rustfmt, cargo deny, clippy, cargo test and the bindings check
#   SKIP_APP=1       skip the Tauri app build (and so the e2e tests, which need it)
#   SKIP_E2E=1       skip tests/e2e
#   SKIP_WINDOWS=1   skip the Windows type-check
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# seconds since the run started (kept across the re-entry into with-services.sh)
export TEST_ALL_START=${TEST_ALL_START:-$(date +%s)}
total() { echo $(($(date +%s) - TEST_ALL_START)); }
stage_no=0

note() { printf '    %s\n' "$*"; }

# stage NAME CMD...: prints a header, runs CMD, prints the elapsed seconds; a failure ends the run.
stage() {
  local name=$1 t0=$SECONDS rc=0
  shift
  stage_no=$((stage_no + 1))
  printf '\n==> [%d] %s\n' "$stage_no" "$name"
  "$@" || rc=$?
  if [[ $rc -ne 0 ]]; then
    printf '<== [%d] %s: FAILED (exit %d) after %ds\n' "$stage_no" "$name" "$rc" $((SECONDS - t0))
    printf '\ntest-all: FAILED at stage "%s" (total %ds)\n' "$name" "$(total)"
    exit "$rc"
  fi
  printf '<== [%d] %s: ok (%ds)\n' "$stage_no" "$name" $((SECONDS - t0))
}

skip() {
  stage_no=$((stage_no + 1))
  printf '\n==> [%d] %s: skipped (%s)\n' "$stage_no" "$1" "$2"
}

# npm_has_script DIR NAME: does DIR/package.json define scripts.NAME?
npm_has_script() {
  node -e 'const p = require(process.argv[1]); process.exit(p.scripts && p.scripts[process.argv[2]] ? 0 : 1)' \
    "$ROOT/$1/package.json" "$2"
}

# ---- outside the services: install, then re-enter this script inside them -------------------------
if [[ "${SELLERDESK_SERVICES:-}" != 1 ]]; then
  printf 'test-all: %s in %s\n' "$(date -u +%FT%TZ)" "$ROOT"
  if [[ "${SKIP_INSTALL:-}" == 1 ]]; then
    skip "install dependencies" "SKIP_INSTALL=1"
  else
    stage "install dependencies" scripts/install-deps.sh
  fi
  exec scripts/with-services.sh "$ROOT/scripts/test-all.sh" "$@"
fi

# ---- inside the services ---------------------------------------------------------------------------
stage_no=1
# tauri-driver (cargo install) lives in the default cargo bin directory
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
[[ ":$PATH:" == *":$cargo_bin:"* ]] || export PATH="$cargo_bin:$PATH"
printf '\ntest-all: services up (DISPLAY=%s, private session bus, unlocked keyring)\n' "$DISPLAY"

has_ui=0
[[ -f ui/package.json ]] && has_ui=1
has_tauri_cli=0
[[ $has_ui == 1 && -x ui/node_modules/.bin/tauri ]] && has_tauri_cli=1

# Cheap and first: modules that depend on each other in a circle (the checker tests itself first).
stage "module cycles (Rust crates, ui/src)" python3 scripts/module-cycles.py --self-test

# The app's build script embeds the built frontend (tauri.conf.json frontendDist), so build the UI
# before anything compiles the app crate.
if [[ $has_ui == 1 ]] && npm_has_script ui build; then
  stage "ui: build" npm --prefix ui run build
else
  skip "ui: build" "no ui/package.json with a build script"
fi

bindings_check() {
  if [[ ! -d ui/src/bindings ]]; then
    note "no ui/src/bindings"
    return 0
  fi
  local changes
  changes=$(git status --porcelain -- ui/src/bindings)
  if [[ -n "$changes" ]]; then
    printf '%s\n' "$changes"
    git --no-pager diff --stat -- ui/src/bindings
    echo "committed bindings are stale: cargo test regenerated ui/src/bindings; commit the result"
    return 1
  fi
  note "ui/src/bindings match the Rust types"
}

# The app's normal dependencies without its default features (what the installers link).
live_build_has_no_simulator() {
  local tree
  tree=$(cargo tree -p sellerdesk -e normal --no-default-features --locked --prefix none) || return 1
  if grep -q '^marketplace-sim ' <<<"$tree"; then
    echo "a build without the demo feature still depends on marketplace-sim" >&2
    return 1
  fi
  note "no marketplace-sim among $(sort -u <<<"$tree" | wc -l) crates"
}

if [[ "${SKIP_RUST:-}" == 1 ]]; then
  skip "rust: fmt, clippy, test, bindings" "SKIP_RUST=1"
elif [[ ! -f Cargo.toml ]]; then
  skip "rust: fmt, clippy, test, bindings" "no Cargo.toml"
else
  stage "rust: cargo fmt --check" cargo fmt --all --check
  stage "rust: cargo deny check (advisories offline, bans, licenses, sources)" scripts/deny.sh
  stage "rust: cargo clippy -D warnings" cargo clippy --workspace --all-targets --locked -- -D warnings
  stage "rust: cargo test" cargo test --workspace --locked
  stage "rust: generated TypeScript bindings are committed" bindings_check
  # The installers are built without the `demo` feature: that build must carry no simulator,
  # be lint-clean, and refuse the demo with DEMO_UNAVAILABLE.
  stage "rust: a live build (--no-default-features) depends on no simulator" live_build_has_no_simulator
  stage "rust: cargo clippy -p sellerdesk --no-default-features" \
    cargo clippy -p sellerdesk --no-default-features --all-targets --locked -- -D warnings
  stage "rust: cargo test -p sellerdesk --no-default-features (app commands)" \
    cargo test -p sellerdesk --no-default-features --locked --test app_commands
fi

if [[ $has_ui == 1 ]] && npm_has_script ui check; then
  stage "ui: check" npm --prefix ui run check
else
  skip "ui: check" "no ui/package.json with a check script"
fi
if [[ $has_ui == 1 ]] && npm_has_script ui test; then
  stage "ui: test" npm --prefix ui test
else
  skip "ui: test" "no ui/package.json with a test script"
fi

if [[ -f tests/interop/package.json ]]; then
  stage "interop: reference socket.io server self-test" node --test tests/interop/
else
  skip "interop: reference socket.io server self-test" "no tests/interop/package.json"
fi

# The Tauri CLI looks for tauri.conf.json from the cwd and for the frontend's package.json from
# TAURI_FRONTEND_PATH (else the cwd, else the first one a walk finds): pin both. The .deb and .rpm
# are what sellers install: built without the `demo` feature (`-- --no-default-features` goes to
# cargo), so they carry no simulator. The e2e tests take the demo: a second build, with the
# default features, replaces target/debug/sellerdesk for them (only the app crate recompiles).
# Offline: no AppImage, which downloads tools.
app_built=0
if [[ "${SKIP_APP:-}" == 1 ]]; then
  skip "app: tauri build --debug --bundles deb,rpm" "SKIP_APP=1"
elif [[ $has_tauri_cli == 0 ]]; then
  skip "app: tauri build --debug --bundles deb,rpm" "ui/ has no @tauri-apps/cli installed"
elif [[ ! -f tauri.conf.json ]]; then
  skip "app: tauri build --debug --bundles deb,rpm" "no tauri.conf.json at the repo root"
else
  rm -rf target/debug/bundle
  stage "app: tauri build --debug --bundles deb,rpm (live build: no demo feature)" \
    env TAURI_APP_PATH="$ROOT" TAURI_FRONTEND_PATH="$ROOT/ui" \
    npx --prefix ui tauri build --debug --bundles deb,rpm -- --no-default-features
  stage "app: .deb and .rpm contents (desktop entry, sellerdesk:// links, no simulator)" scripts/check-bundles.sh
  stage "app: tauri build --debug --no-bundle (with the demo, for the e2e tests)" \
    env TAURI_APP_PATH="$ROOT" TAURI_FRONTEND_PATH="$ROOT/ui" \
    npx --prefix ui tauri build --debug --no-bundle
  app_built=1
fi

# The whole app must compile for Windows too (macOS cannot be checked here: objc2 needs Apple's SDK).
if [[ "${SKIP_WINDOWS:-}" == 1 ]]; then
  skip "rust: cargo check for Windows" "SKIP_WINDOWS=1"
elif ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  echo "test-all: the x86_64-pc-windows-gnu target is missing (scripts/install-deps.sh adds it)" >&2
  exit 1
else
  stage "rust: cargo check for Windows (x86_64-pc-windows-gnu)" \
    cargo check -p sellerdesk --target x86_64-pc-windows-gnu --locked
fi

shopt -s nullglob
e2e_tests=(tests/e2e/*.test.mjs)
shopt -u nullglob
if [[ "${SKIP_E2E:-}" == 1 ]]; then
  skip "e2e: node --test tests/e2e/" "SKIP_E2E=1"
elif [[ ${#e2e_tests[@]} -eq 0 ]]; then
  skip "e2e: node --test tests/e2e/" "no tests/e2e/*.test.mjs"
elif [[ "${SKIP_APP:-}" == 1 ]]; then
  skip "e2e: node --test tests/e2e/" "SKIP_APP=1: the e2e tests need the app"
elif [[ $app_built == 0 ]]; then
  echo "test-all: tests/e2e has tests but the app was not built (see above)" >&2
  exit 1
else
  # One file at a time: the app is single-instance (a second launch hands over to the first and
  # exits), so two files' apps under the same session bus would collide.
  stage "e2e: node --test tests/e2e/" node --test --test-concurrency=1 "${e2e_tests[@]}"
fi

printf '\ntest-all: all stages passed (total %ds; target/ %s, %s free)\n' "$(total)" \
  "$(du -sh target 2>/dev/null | cut -f1)" "$(df -h --output=avail . | tail -n1 | tr -d ' ')"
