#!/usr/bin/env python3
"""pdfcheck: technical and typographic checks of digest PDFs (used by pdfcheck.sh).

Usage:
  pdfcheck.py check FILE.pdf...           fonts, warnings, kinsoku, overflow, overlap
  pdfcheck.py golden FILE.pdf GOLDEN_DIR [--update]
                                          renders pages (pdftoppm -r 50 -gray) and
                                          compares them with GOLDEN_DIR/page-N.png
Exit status 0 when all is well, 1 on a violation, 77 when a tool is missing.

Checks (the same rules as the project's pdf-lint):
  fonts     every font embedded; every TrueType/CID font subset (pdffonts)
  warnings  nothing on pdftotext's stderr; qpdf --check clean
  kinsoku   no line starts with closing/pause punctuation or ends with opening
            punctuation (clreq strict level), from MuPDF's structured text;
            monospace (code) lines are exempt
  overflow  no character outside the page
  overlap   no two text lines on a page whose boxes overlap
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

NO_START = set("。．，、：；！？”’」』）】〗〕］｝》〉～–—·・‧／…⋯⸺")
NO_END = set("“‘「『（【〖〔［｛《〈／")
MONO = re.compile(r"mono|code|courier|consol", re.I)
MARKER = re.compile(r"^[-–—•◦▪]\s")
# Mean absolute difference (0-255 grey levels) a page may drift from its golden render:
# renderer noise stays below 0.5; a 2-em paragraph indent alone moves page 3 by 2.
GOLDEN_TOLERANCE = 1.5


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        print("pdfcheck: missing " + ", ".join(missing) + ": skipped")
        sys.exit(77)


def quad_box(q):
    v = [float(x) for x in q.split()]
    return min(v[0::2]), min(v[1::2]), max(v[0::2]), max(v[1::2])


# Pages read from mutool at a time: its structured text of a whole
# 4,000-page book (a 16 MiB one-line post) is more XML than one string holds.
PAGES_AT_ONCE = 200


def page_count(pdf):
    code, out, err = run(["mutool", "show", pdf, "trailer/Root/Pages/Count"])
    if code != 0 or not out.strip().isdigit():
        raise RuntimeError("mutool: " + (err.strip() or out.strip())[:300])
    return int(out.strip())


def lines_of(pdf):
    """Each page's size and lines: a line is its characters with their
    boxes, and whether it is all monospaced."""
    n = page_count(pdf)
    for first in range(1, n + 1, PAGES_AT_ONCE):
        last = min(n, first + PAGES_AT_ONCE - 1)
        code, out, err = run(["mutool", "draw", "-F", "stext", "-o", "-", pdf,
                              "%d-%d" % (first, last)])
        if code != 0:
            raise RuntimeError("mutool: " + err.strip()[:300])
        out = re.sub(r"&#x(?:0*[0-8bBcCeEfF]|0*1[0-9a-fA-F]|[fF][fF][fF][eEfF]|[dD][89a-fA-F][0-9a-fA-F]{2});",
                     "&#xfffd;", out)
        for page in ET.fromstring(out).iter("page"):
            w, h = float(page.get("width")), float(page.get("height"))
            lines = []
            for line in page.iter("line"):
                chars, mono = [], True
                for font in line.iter("font"):
                    fmono = bool(MONO.search(font.get("name", "")))
                    for ch in font.iter("char"):
                        c = ch.get("c")
                        if c is None or ch.get("quad") is None:
                            continue
                        chars.append((c, quad_box(ch.get("quad"))))
                        mono = mono and (fmono or not c.strip())
                if chars:
                    lines.append((chars, mono))
            yield w, h, lines


def check(pdf):
    problems = []
    code, out, err = run(["pdffonts", pdf])
    if code != 0:
        problems.append("pdffonts failed: " + err.strip())
    for row in out.splitlines()[2:]:
        f = row.split()
        if len(f) < 5:
            continue
        emb, sub = f[-5], f[-4]
        if emb != "yes":
            problems.append("font not embedded: " + row)
        if ("TrueType" in row or "CID" in row) and sub != "yes":
            problems.append("font not subset: " + row)
    code, _, err = run(["pdftotext", pdf, os.devnull])
    if err.strip():
        problems.append("pdftotext: " + err.strip().splitlines()[0])
    code, out, err = run(["qpdf", "--check", pdf])
    if code != 0 or "WARNING" in out + err:
        problems.append("qpdf: " + (out + err).strip().splitlines()[-1])
    for pno, (w, h, lines) in enumerate(lines_of(pdf), 1):
        boxes = []
        for chars, mono in lines:
            text = "".join(c for c, _ in chars).strip()
            if not text:
                continue
            for c, (x0, y0, x1, y1) in chars:
                if c.strip() and (x0 < -0.5 or y0 < -0.5 or x1 > w + 0.5 or y1 > h + 0.5):
                    problems.append("p%d: %r outside the page" % (pno, c))
            if not mono and not MARKER.match(text):
                if text[0] in NO_START:
                    problems.append("p%d: line starts with %r: %s" % (pno, text[0], text[:30]))
                if text[-1] in NO_END:
                    problems.append("p%d: line ends with %r: %s" % (pno, text[-1], text[-30:]))
            ink = [b for c, b in chars if c.strip()]
            if ink:
                boxes.append((min(b[0] for b in ink), min(b[1] for b in ink),
                              max(b[2] for b in ink), max(b[3] for b in ink), text[:20]))
        for i in range(len(boxes)):
            a = boxes[i]
            for b in boxes[i + 1:]:
                ix = min(a[2], b[2]) - max(a[0], b[0])
                iy = min(a[3], b[3]) - max(a[1], b[1])
                if ix > 1.0 and iy > 0.25 * min(a[3] - a[1], b[3] - b[1]):
                    problems.append("p%d: lines overlap: %r / %r" % (pno, a[4], b[4]))
    return problems


def png_gray(path):
    """Decodes an 8-bit grey or RGB, non-interlaced PNG into (w, h, bytes of grey)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(path + ": not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, t = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if t == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (0, 2) or interlace:
                raise ValueError(path + ": only 8-bit grey/RGB PNGs")
            bpp = 1 if ctype == 0 else 3
        elif t == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        out += line if bpp == 1 else bytes(line[0::3])
    return w, h, bytes(out)


def golden(pdf, gdir, update):
    tmp = tempfile.mkdtemp(prefix="pdfcheck-")
    try:
        code, _, err = run(["pdftoppm", "-r", "50", "-gray", "-png", pdf, os.path.join(tmp, "page")])
        if code != 0:
            return ["pdftoppm: " + err.strip()]
        rendered = sorted(f for f in os.listdir(tmp) if f.endswith(".png"))
        problems = []
        for f in rendered:
            num = int(re.search(r"(\d+)\.png$", f).group(1))
            want = os.path.join(gdir, "page-%d.png" % num)
            got = os.path.join(tmp, f)
            if update:
                shutil.copy(got, want)
                continue
            if not os.path.exists(want):
                continue  # only the pages kept as golden are compared
            w1, h1, a = png_gray(got)
            w2, h2, b = png_gray(want)
            if (w1, h1) != (w2, h2):
                problems.append("page %d: size %dx%d, golden %dx%d" % (num, w1, h1, w2, h2))
                continue
            diff = sum(abs(x - y) for x, y in zip(a, b)) / len(a)
            print("page %d: mean difference %.2f" % (num, diff))
            if diff > GOLDEN_TOLERANCE:
                problems.append("page %d differs from its golden render (%.2f > %.1f)" %
                                (num, diff, GOLDEN_TOLERANCE))
        return problems
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("check", "golden"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "check":
        need("mutool", "pdffonts", "pdftotext", "qpdf")
        bad = 0
        for pdf in argv[2:]:
            problems = check(pdf)
            for p in problems:
                print("%s: %s" % (os.path.basename(pdf), p))
            print("%s: %d problem(s)" % (os.path.basename(pdf), len(problems)))
            bad += len(problems)
        return 1 if bad else 0
    need("pdftoppm")
    problems = golden(argv[2], argv[3], "--update" in argv)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
