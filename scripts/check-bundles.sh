#!/usr/bin/env bash
# Checks the Linux bundles the Tauri CLI built (target/debug/bundle or, with an argument, another
# profile's bundle folder): the .deb installs the app, its icons and a desktop entry that opens
# sellerdesk:// links (MimeType and %u), and its binary is a live build (no demo simulator); the
# .rpm holds the same files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUNDLE=${1:-$ROOT/target/debug/bundle}
fail() {
  echo "check-bundles: $*" >&2
  exit 1
}

shopt -s nullglob
debs=("$BUNDLE"/deb/*.deb)
rpms=("$BUNDLE"/rpm/*.rpm)
shopt -u nullglob
[[ ${#debs[@]} -eq 1 ]] || fail "expected one .deb in $BUNDLE/deb, found ${#debs[@]}"
[[ ${#rpms[@]} -eq 1 ]] || fail "expected one .rpm in $BUNDLE/rpm, found ${#rpms[@]}"
deb=${debs[0]}
rpm=${rpms[0]}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/deb"
[[ -x "$work/deb/usr/bin/sellerdesk" ]] || fail ".deb has no /usr/bin/sellerdesk"
# Installers are live builds (`--no-default-features`): no simulator code, whose symbols would
# name its crate.
if grep -qa 'marketplace_sim' "$work/deb/usr/bin/sellerdesk"; then
  fail ".deb's sellerdesk carries the demo simulator: build the bundles with --no-default-features"
fi
[[ -f "$work/deb/usr/share/icons/hicolor/128x128/apps/sellerdesk.png" ]] || fail ".deb has no icon"
desktop=$(find "$work/deb/usr/share/applications" -name '*.desktop' | head -n1)
[[ -n "$desktop" ]] || fail ".deb has no desktop entry"
grep -qx 'MimeType=x-scheme-handler/sellerdesk' "$desktop" || fail "the desktop entry does not claim sellerdesk:// links"
grep -qE '^Exec=sellerdesk %u$' "$desktop" || fail "the desktop entry's Exec does not pass the link (%u)"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the entry"
fi
depends=$(dpkg-deb -f "$deb" Depends)
[[ "$depends" == *libwebkit2gtk-4.1-0* ]] || fail ".deb does not depend on libwebkit2gtk-4.1-0 ($depends)"
echo "check-bundles: $(basename "$deb"): $(du -h "$deb" | cut -f1), Depends: $depends"

files=$(rpm -qlp "$rpm" 2>/dev/null) || fail "rpm cannot read $rpm"
for want in /usr/bin/sellerdesk "/usr/share/applications/Seller Desk.desktop" /usr/share/icons/hicolor/128x128/apps/sellerdesk.png; do
  grep -qxF "$want" <<<"$files" || fail ".rpm lacks $want"
done
echo "check-bundles: $(basename "$rpm"): $(du -h "$rpm" | cut -f1), $(wc -l <<<"$files") files"
