#!/usr/bin/env bash
# Regenerates the app icons from a drawing: a deep-teal rounded square with a white speech bubble
# holding a price tag (a conversation about something for sale).
# Needs ImageMagick (`convert`; Debian: imagemagick). Run from anywhere: writes next to this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v convert >/dev/null || { echo "make-icons: ImageMagick's convert is needed" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

S=1024 # master size; everything below is drawn on a 1024 grid

# background: a vertical teal gradient clipped to a rounded square (with a little transparent margin)
convert -size ${S}x${S} gradient:'#168C87-#0A4E57' "$tmp/grad.png"
convert -size ${S}x${S} xc:none -fill white -draw 'roundrectangle 40,40 983,983 210,210' "$tmp/mask.png"
convert "$tmp/grad.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/bg.png"

# glyph: white speech bubble with a tail, a teal price tag inside it with a punched hole
convert -size ${S}x${S} xc:none \
  -fill white \
  -draw 'roundrectangle 196,228 828,700 120,120' \
  -draw 'polygon 300,640 250,840 470,690' \
  -fill '#0E6A6E' \
  -draw 'translate 512,464 rotate -30 polygon -200,0 -110,-100 190,-100 190,100 -110,100' \
  -fill white \
  -draw 'translate 512,464 rotate -30 circle -110,0 -80,0' \
  "$tmp/glyph.png"

# a soft shadow under the bubble for depth
convert "$tmp/glyph.png" -background black -shadow 40x14+0+12 -crop ${S}x${S}+0+0 +repage "$tmp/shadow.png" 2>/dev/null ||
  convert -size ${S}x${S} xc:none "$tmp/shadow.png"

convert "$tmp/bg.png" \( "$tmp/shadow.png" -channel A -evaluate multiply 0.35 +channel \) -composite \
  "$tmp/glyph.png" -composite "$tmp/master.png"

# tauri needs RGBA PNGs: force 32-bit output with the PNG32: prefix
for spec in 32x32:32 128x128:128 128x128@2x:256 icon:512; do
  name=${spec%%:*} px=${spec##*:}
  convert "$tmp/master.png" -filter Lanczos -resize "${px}x${px}" -define png:exclude-chunk=date,time "PNG32:${name}.png"
done
convert "$tmp/master.png" -filter Lanczos -depth 8 -define icon:auto-resize=256,128,64,48,32,16 icon.ico
echo "make-icons: wrote 32x32.png 128x128.png 128x128@2x.png icon.png icon.ico"
