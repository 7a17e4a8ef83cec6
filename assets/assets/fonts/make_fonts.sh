#!/bin/sh
# Rebuild the bundled Noto Sans subsets (a one-off; the .woff2 files are committed).
#   apt-get install fonts-noto-core            # Debian's Noto Sans (SIL Open Font License 1.1)
#   .venv/bin/pip install fonttools brotli
#   sh assets/assets/fonts/make_fonts.sh
# Latin-1 and Latin Extended-A (English, Spanish, and most of Western Europe), general punctuation
# (Babel's U+202F narrow no-break space before AM/PM, U+2009, dashes, curly quotes, the ellipsis, bullets),
# the euro and other currency signs, letter-like symbols and arrows, the minus sign.
set -e
here=$(dirname "$0")
src=/usr/share/fonts/truetype/noto
unicodes="U+0000-00FF,U+0100-017F,U+0192,U+0218-021B,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0300-0308,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-2199,U+2212,U+2215,U+FEFF,U+FFFD"
for style in Regular Italic Bold BoldItalic; do
  .venv/bin/pyftsubset "$src/NotoSans-$style.ttf" --unicodes="$unicodes" --flavor=woff2 \
    --layout-features='kern,liga,clig,calt,ccmp,locl,mark,mkmk' --output-file="$here/NotoSans-$style.woff2"
done
# Flutter's own fallback "Noto Sans" is fetched from this path (flet_web's main.dart.js names it) when a glyph
# seems missing, e.g. while our font is still loading under load: the same subset answers there, so the request
# never 404s and nothing is fetched from elsewhere (CI saw that 404 once, in the every-screen walk).
mkdir -p "$here/notosans/v37"
cp "$here/NotoSans-Regular.woff2" "$here/notosans/v37/o-0mIpQlx3QUlC5A4PNB6Ryti20_6n1iPHjcz6L1SoM-jCpoiyD9A99Y41P6zHtY.woff2"
