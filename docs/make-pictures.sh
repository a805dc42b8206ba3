#!/usr/bin/env bash
# make-pictures.sh - the README's pictures: pages of the sample site's March
# digest, rendered from what build/digest makes (needs pdftoppm), and three
# of its months' cover images (needs mutool and python3).
#   docs/make-pictures.sh [DIGEST_EXE]
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/digest}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SOURCE_DATE_EPOCH=1743379200 "$exe" build examples -o "$out" -m 2025-03 -f pdf -q --force
mkdir -p docs/img
ROOT_IMG=$(pwd)/docs/img
for p in 1 2 3; do
    pdftoppm -r 80 -png -f "$p" -l "$p" -singlefile "$out/2025-03.pdf" "docs/img/page-$p"
done
# a page of the e-reader size too
"$exe" build examples -o "$out/e" -m 2025-03 -f pdf -q --force --page-size ereader
pdftoppm -r 110 -png -f 5 -l 5 -singlefile "$out/e/2025-03.pdf" docs/img/ereader-page-5
# three cover images (EPUB covers, drawn by digest), a fifth of their size,
# side by side: the JPEGs read back from the EPUBs, scaled down by MuPDF
# (mutool draw at 96 / 5 dpi) and set side by side by python3
SOURCE_DATE_EPOCH=1743379200 "$exe" build examples -o "$out/c" -f epub -q --force
for month in 2025-01 2025-02 2025-03; do
    unzip -p "$out/c/$month.epub" OEBPS/images/cover.jpg >"$out/c/$month.jpg"
    mutool draw -q -r 19.2 -c rgb -F pnm -o "$out/c/$month.pnm" "$out/c/$month.jpg"
done
python3 - docs/img/covers.png "$out"/c/2025-0[123].pnm <<'PY'
import struct, sys, zlib

def read_pnm(path):
    magic, size, depth, data = open(path, "rb").read().split(b"\n", 3)
    w, h = map(int, size.split())
    return w, h, [data[3 * w * y:3 * w * (y + 1)] for y in range(h)]

covers = [read_pnm(p) for p in sys.argv[2:]]
gap, cw, ch = 24, covers[0][0], covers[0][1]
W = 3 * cw + 4 * gap
H = ch + 2 * gap
rows = []
for y in range(H):
    line = bytearray(b"\xff" * (W * 3))
    if gap <= y < gap + ch:
        for i, (w, h, r) in enumerate(covers):
            x0 = (gap + i * (cw + gap)) * 3
            line[x0:x0 + w * 3] = r[y - gap]
    rows.append(b"\x00" + bytes(line))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) + \
    chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
# the library page (OUT/index.html) over the shared tw93-weekly archive, when
# it is there (DIGEST_SHARED, else ../shared), in headless chromium
shared=${DIGEST_SHARED:-../shared}
if [ -d "$shared/corpus/tw93-weekly" ] && command -v chromium >/dev/null 2>&1; then
    SOURCE_DATE_EPOCH=1743379200 "$exe" build "$shared/corpus/tw93-weekly" --posts posts \
        -o "$out/tw93" -q 2>/dev/null || true
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --screenshot="$ROOT_IMG/library.png" --window-size=1000,1400 \
        "file://$out/tw93/index.html" >/dev/null 2>&1
else
    echo "make-pictures.sh: no $shared/corpus/tw93-weekly or no chromium: library.png not made" >&2
fi
ls -la docs/img
