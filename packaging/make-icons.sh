#!/usr/bin/env bash
# Regenerates the committed PNG icons from attrscope.svg (needs rsvg-convert, librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/icons"
for s in 16 24 32 48 64 128 256; do
  rsvg-convert -w "$s" -h "$s" attrscope.svg -o "attrscope-$s.png"
done
