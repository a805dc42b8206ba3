#!/usr/bin/env bash
# make-pictures.sh - the README's pictures: pages of the sample site's March
# digest, rendered from what build/digest makes (needs pdftoppm), and three
# of its months' cover images (needs python3).
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
# three cover images (EPUB covers, drawn by digest), a quarter size, side by side;
# the cover images are read back from the EPUBs and decoded by python3's zlib
# (digest writes 8-bit RGB PNGs with the none and up filters only)
SOURCE_DATE_EPOCH=1743379200 "$exe" build examples -o "$out/c" -f epub -q --force
python3 - "$out/c" docs/img/covers.png <<'PY'
import struct, sys, zipfile, zlib

def read_png(data):
    w, h = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw, row, rows, prev = zlib.decompress(idat), w * 3, [], bytearray(w * 3)
    for y in range(h):
        f, line = raw[y * (row + 1)], bytearray(raw[y * (row + 1) + 1:(y + 1) * (row + 1)])
        if f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f != 0:
            sys.exit("unexpected PNG filter %d" % f)
        rows.append(line)
        prev = line
    return w, h, rows

def shrink(w, h, rows, k):
    out = []
    for y in range(0, h - k + 1, k):
        line = bytearray()
        for x in range(0, w - k + 1, k):
            for c in range(3):
                line.append(sum(rows[y + j][3 * (x + i) + c] for j in range(k) for i in range(k)) // (k * k))
        out.append(line)
    return len(out[0]) // 3, len(out), out

covers = []
for month in ("2025-01", "2025-02", "2025-03"):
    z = zipfile.ZipFile("%s/%s.epub" % (sys.argv[1], month))
    covers.append(shrink(*read_png(z.read("OEBPS/images/cover.png")), 5))
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
open(sys.argv[2], "wb").write(png)
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
