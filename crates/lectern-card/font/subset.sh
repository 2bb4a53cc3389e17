#!/usr/bin/env bash
# Makes wqy-microhei-card.ttf, the font bundled for quote cards: WenQuanYi Micro Hei 0.2.0-beta
# from Debian's fonts-wqy-microhei package (0.2.0-beta-3.1), its first face (the proportional
# one), cut by fonttools' pyftsubset to the named set charset.py lists (GB2312, Big5 level 1
# and its symbols, Latin and the punctuation both scripts use), without hinting (the card is
# drawn at large sizes, anti-aliased). Needs apt-get (Debian/Ubuntu) and pip.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-wqy-microhei=0.2.0-beta-3.1 && dpkg-deb -x fonts-wqy-microhei_*.deb x)
pip install -q 'fonttools==4.*'
python3 charset.py > "$work/unicodes.txt"
pyftsubset "$work/x/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" --font-number=0 \
  --unicodes-file="$work/unicodes.txt" --layout-features='*' --no-hinting --desubroutinize \
  --output-file=wqy-microhei-card.ttf
ls -l wqy-microhei-card.ttf
