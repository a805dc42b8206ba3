#!/bin/bash
# epub_meta.sh - what an e-reader's library reads from a digest, read back
# from content.opf and the XHTML with python3's XML parser on a small site
# made here: the accessibility metadata (true for the book: images with and
# without alt text), headings that never skip a level; the series (EPUB 3
# and Calibre) with each month's place, subjects, description, publisher and
# source, and the same in the PDF's Info and XMP (pdfinfo); the cover image
# (manifest item, EPUB 2 meta, its size, cover.xhtml's alt text), the same
# bytes on a second build, the thumbnail the cover scaled down (decoded by
# MuPDF), --pdf-cover image and digest.yaml's cover_image.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when python3, unzip, poppler-utils or mutool is missing.
set -u
digest=$1
src=$2
for tool in python3 pdfinfo pdfimages pdftotext unzip mutool; do
    command -v $tool >/dev/null 2>&1 || { echo "epub_meta.sh: $tool missing: skipped"; exit 77; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-epubmeta.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
site=$tmp/site
mkdir -p "$site/_posts" "$site/img"
cp "$src/examples/img/chart-bandwidth.png" "$site/img/chart.png"
cat >"$site/_config.yml" <<'EOF'
title: Meta Test
author: Tester
lang: en
description: A site for the metadata test.
url: https://meta.example.org/blog
EOF
# January: headings that skip levels, an image with alt text.
cat >"$site/_posts/2025-01-05-one.md" <<'EOF'
---
title: First
tags: [rust, "c & xml"]
categories: notes
---
### Straight under the title

Text.

# A top heading

## Below it

##### Far below

# Another top

![A bandwidth chart](/img/chart.png)

|     | Mon | Tue |
|-----|-----|-----|
| Run | 5   | 3   |
EOF
# February: an image without alt text.
cat >"$site/_posts/2025-02-02-two.md" <<'EOF'
---
title: Second
---
Text.

![](/img/chart.png)
EOF

if ! "$digest" build "$site" -o "$tmp/out" -q 2>"$tmp/err"; then
    echo "epub_meta.sh: digest build failed:"
    cat "$tmp/err"
    exit 1
fi

python3 - "$tmp/out" "$src/tests/lib" <<'PY'
import os, sys, zipfile
import xml.etree.ElementTree as ET

out = sys.argv[1]
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
fails = 0

def check(cond, what):
    global fails
    if not cond:
        print("FAIL:", what)
        fails += 1

def book(month):
    z = zipfile.ZipFile("%s/%s.epub" % (out, month))
    opf = ET.fromstring(z.read("OEBPS/content.opf"))
    meta = {}
    for m in opf.iter(OPF + "meta"):
        if m.get("property"):
            meta.setdefault(m.get("property"), []).append(m.text)
    return z, opf, meta

# January: every image has alt text.
z, opf, meta = book("2025-01")
check(meta.get("schema:accessMode") == ["textual", "visual"], "accessMode %r" % meta.get("schema:accessMode"))
check(meta.get("schema:accessModeSufficient") == ["textual", "textual,visual"],
      "accessModeSufficient %r" % meta.get("schema:accessModeSufficient"))
feats = meta.get("schema:accessibilityFeature", [])
for f in ("tableOfContents", "readingOrder", "structuralNavigation", "alternativeText"):
    check(f in feats, "feature %s in %r" % (f, feats))
check(meta.get("schema:accessibilityHazard") == ["none"], "hazard %r" % meta.get("schema:accessibilityHazard"))
summary = (meta.get("schema:accessibilitySummary") or [""])[0]
check("1 post" in summary and "All 2 images have a text alternative" in summary, "summary %r" % summary)
check(meta.get("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"],
      "conformsTo %r" % meta.get("dcterms:conformsTo"))

# Headings: the source levels 3 1 2 5 1 under the chapter title's h1
# become 2 2 3 4 2, each renumbered one keeping its level as a class.
post = ET.fromstring(z.read("OEBPS/post-01.xhtml"))
heads = [(e.tag[len(XHTML):], e.get("class") or "") for e in post.iter()
         if e.tag[len(XHTML):] in ("h1", "h2", "h3", "h4", "h5", "h6")]
want = [("h1", "chapter-title"), ("h2", "src-h3"), ("h2", "src-h1"), ("h3", "src-h2"),
        ("h4", "src-h5"), ("h2", "src-h1")]
check(heads == want, "headings %r, want %r" % (heads, want))
levels = [int(t[1]) for t, _ in heads]
check(all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a level skipped: %r" % levels)
# The table's empty corner header heads nothing: a plain cell.
cells = [e.tag[len(XHTML):] for e in post.iter() if e.tag[len(XHTML):] in ("th", "td")]
check(cells == ["td", "th", "th", "td", "td", "td"], "table cells %r" % cells)
nav = z.read("OEBPS/nav.xhtml").decode()
check('epub:type="toc" role="doc-toc"' in nav, "nav toc without role doc-toc")

# February: an image without alt text, so no claim that text suffices.
z, opf, meta = book("2025-02")
check(meta.get("schema:accessModeSufficient") == ["textual,visual"],
      "Feb accessModeSufficient %r" % meta.get("schema:accessModeSufficient"))
check("alternativeText" not in meta.get("schema:accessibilityFeature", []), "Feb alternativeText")
check("dcterms:conformsTo" not in meta, "Feb conformsTo")
summary = (meta.get("schema:accessibilitySummary") or [""])[0]
check("1 of its 2 images has no text alternative" in summary, "Feb summary %r" % summary)

# The library's metadata: January is issue 1 of the series, February 2.
for month, index in (("2025-01", 1), ("2025-02", 2)):
    z, opf, meta = book(month)
    md = opf.find(OPF + "metadata")
    DC = "{http://purl.org/dc/elements/1.1/}"
    coll = [m for m in md.iter(OPF + "meta") if m.get("property") == "belongs-to-collection"]
    check(len(coll) == 1 and coll[0].text == "Meta Test", "%s collection %r" % (month, coll))
    if coll:
        ref = "#" + (coll[0].get("id") or "")
        refines = {m.get("property"): m.text for m in md.iter(OPF + "meta") if m.get("refines") == ref}
        check(refines.get("collection-type") == "series", "%s collection-type %r" % (month, refines))
        check(refines.get("group-position") == str(index), "%s group-position %r" % (month, refines))
    named = {m.get("name"): m.get("content") for m in md.iter(OPF + "meta") if m.get("name")}
    check(named.get("calibre:series") == "Meta Test", "%s calibre:series %r" % (month, named))
    check(named.get("calibre:series_index") == str(index), "%s calibre:series_index %r" % (month, named))
    check([e.text for e in md.iter(DC + "publisher")] == ["Meta Test"], "%s publisher" % month)
    # the site, then (the PDF built in the same run) the source of the page numbers
    check([e.text for e in md.iter(DC + "source")] == ["https://meta.example.org/blog",
                                                       month + ".pdf"], "%s source" % month)
    desc = [e.text for e in md.iter(DC + "description")]
    title = "First" if index == 1 else "Second"
    check(len(desc) == 1 and desc[0] == "A site for the metadata test. In this issue: %s." % title,
          "%s description %r" % (month, desc))
z, opf, meta = book("2025-01")
subjects = [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}subject")]
check(subjects == ["rust", "c & xml", "notes"], "subjects %r" % subjects)

# The PDF says the same: Info and XMP.
import subprocess
info = subprocess.run(["pdfinfo", "%s/2025-01.pdf" % out], capture_output=True, text=True).stdout
check("Keywords:        rust, c & xml, notes" in info, "PDF Keywords in %r" % info)
check("Subject:         A site for the metadata test. In this issue: First." in info, "PDF Subject in %r" % info)
xmp = subprocess.run(["pdfinfo", "-meta", "%s/2025-01.pdf" % out], capture_output=True, text=True).stdout
try:
    x = ET.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("</x:xmpmeta>") + len("</x:xmpmeta>")])
except ValueError:
    x = None
check(x is not None, "no XMP packet in the PDF")
if x is not None:
    RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    DC = "{http://purl.org/dc/elements/1.1/}"
    CAL = "{http://calibre-ebook.com/xmp-namespace}"
    CSI = "{http://calibre-ebook.com/xmp-namespace-series-index}"
    d = x.find(RDF + "RDF/" + RDF + "Description")
    check([li.text for li in d.iter(DC + "subject") for li in li.iter(RDF + "li")] == subjects,
          "XMP subjects")
    check(d.findtext(DC + "source") == "https://meta.example.org/blog", "XMP source")
    check(d.findtext(DC + "publisher/" + RDF + "Bag/" + RDF + "li") == "Meta Test", "XMP publisher")
    s = d.find(CAL + "series")
    check(s is not None and s.findtext(RDF + "value") == "Meta Test" and
          s.findtext(CSI + "series_index") == "1", "XMP calibre series")

# The cover image: one manifest item with properties cover-image, named by
# the EPUB 2 meta, a 1600x2560 JPEG, shown by cover.xhtml with the title as alt.
sys.path.insert(0, sys.argv[2])
from jpegsize import jpeg_size
for month in ("2025-01", "2025-02"):
    z, opf, meta = book(month)
    items = [i for i in opf.iter(OPF + "item") if "cover-image" in (i.get("properties") or "").split()]
    check(len(items) == 1, "%s cover-image items %r" % (month, [i.attrib for i in items]))
    if not items:
        continue
    item = items[0]
    check(item.get("media-type") == "image/jpeg", "%s cover media-type" % month)
    named = {m.get("name"): m.get("content") for m in opf.iter(OPF + "meta") if m.get("name")}
    check(named.get("cover") == item.get("id"), "%s meta cover %r, item %r" % (month, named.get("cover"), item.get("id")))
    size = jpeg_size(z.read("OEBPS/" + item.get("href")))
    check(size == (1600, 2560), "%s cover: a baseline JPEG of 1600x2560? %r" % (month, size))
    page = ET.fromstring(z.read("OEBPS/cover.xhtml"))
    imgs = [i for i in page.iter(XHTML + "img")]
    title = opf.find(OPF + "metadata").findtext("{http://purl.org/dc/elements/1.1/}title")
    check(len(imgs) == 1 and imgs[0].get("src") == item.get("href") and imgs[0].get("alt") == title,
          "%s cover.xhtml img %r (title %r)" % (month, [i.attrib for i in imgs], title))

print("epub_meta: %d failure(s)" % fails)
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] || exit 1

# The cover and its thumbnail are the same JPEGs when drawn again (no cache: a fresh output
# folder), and both are cached under the month's stamp.  (With its PDF, as the
# first build: the EPUB then carries the PDF's page numbers.)
"$digest" build "$site" -o "$tmp/again" -q 2>/dev/null
hex16=$(printf '[0-9a-f]%.0s' $(seq 16))
for kind in "" .thumb; do
    # shellcheck disable=SC2086
    f=$(ls "$tmp/out/.digest-cache/covers/"2025-01-$hex16$kind.jpg 2>/dev/null) ||
        { echo "FAIL: no cached cover$kind"; exit 1; }
    # shellcheck disable=SC2086
    cmp "$f" "$(ls "$tmp/again/.digest-cache/covers/"2025-01-$hex16$kind.jpg)" ||
        { echo "FAIL: the cover$kind differs between two builds"; exit 1; }
done
cmp "$tmp/out/2025-01.epub" "$tmp/again/2025-01.epub" || { echo "FAIL: EPUBs differ"; exit 1; }
# The thumbnail is the cover scaled down 4:1 by a box filter (each pixel the
# integer mean of a 4 x 4 box of the drawn pixels).  Both are JPEGs, so the
# pixels are compared as MuPDF decodes them (mutool draw at 96 dpi: one
# pixel a pixel), at 4000 points where the box is not flat (text, the
# picture's edges): off by JPEG's error only (on examples 2025-01: 4.8 on
# average), not by a box's width (55).
for kind in "" .thumb; do
    mutool draw -q -r 96 -c rgb -F pnm -o "$tmp/cover$kind.pnm" "$tmp/out/covers/2025-01$kind.jpg" \
        2>/dev/null || { echo "FAIL: MuPDF cannot decode covers/2025-01$kind.jpg"; exit 1; }
done
python3 - "$tmp/cover.pnm" "$tmp/cover.thumb.pnm" <<'PY' || exit 1
import random, sys
def pnm(path):
    d = open(path, "rb").read().split(b"\n", 3)
    assert d[0] == b"P6" and d[2] == b"255", path
    w, h = map(int, d[1].split())
    assert len(d[3]) == 3 * w * h, path
    return w, h, d[3]
(cw, ch, cover), (tw, th, thumb) = pnm(sys.argv[1]), pnm(sys.argv[2])
assert (cw, ch, tw, th) == (1600, 2560, 400, 640), (cw, ch, tw, th)
rnd, errs = random.Random(1), []
while len(errs) < 4000:
    x, y, c = rnd.randrange(tw), rnd.randrange(th), rnd.randrange(3)
    box = [cover[3 * ((4 * y + j) * cw + 4 * x + i) + c] for j in range(4) for i in range(4)]
    if max(box) - min(box) >= 48:
        errs.append(abs(thumb[3 * (y * tw + x) + c] - sum(box) / 16))
errs.sort()
mean, p99 = sum(errs) / len(errs), errs[int(0.99 * len(errs))]
print("thumbnail against the cover's 4 x 4 boxes: mean error %.1f, 99th percentile %.1f" % (mean, p99))
if mean > 12 or p99 > 48:
    sys.exit("FAIL: the thumbnail is not the cover scaled down 4:1")
PY
# --pdf-cover image: the PDF's first page is the cover image, alone.
"$digest" build "$site" -o "$tmp/pdfcover" -f pdf -m 2025-01 --pdf-cover image -q 2>/dev/null
first=$(pdfimages -f 1 -l 1 -list "$tmp/pdfcover/2025-01.pdf" 2>/dev/null | awk 'NR > 2 {print $4 "x" $5}')
[ "$first" = 1600x2560 ] || { echo "FAIL: --pdf-cover image: page 1 images: '$first'"; exit 1; }
[ -z "$(pdftotext -f 1 -l 1 "$tmp/pdfcover/2025-01.pdf" - 2>/dev/null | tr -d '[:space:]')" ] ||
    { echo "FAIL: --pdf-cover image: page 1 has text"; exit 1; }
# the default stays the typeset cover
pdftotext -f 1 -l 1 "$tmp/out/2025-01.pdf" - 2>/dev/null | grep -q "Meta Test" ||
    { echo "FAIL: the text cover is gone"; exit 1; }
# digest.yaml cover_image: the picture on every cover (another cover than
# the default one); one outside the site is refused with its position.
printf 'cover_image: img/chart.png\n' >"$site/digest.yaml"
"$digest" build "$site" -o "$tmp/pic" -f epub -m 2025-02 -q 2>/dev/null ||
    { echo "FAIL: build with cover_image"; exit 1; }
unzip -p "$tmp/pic/2025-02.epub" OEBPS/images/cover.jpg >"$tmp/pic.jpg"
unzip -p "$tmp/again/2025-02.epub" OEBPS/images/cover.jpg >"$tmp/nopic.jpg"
[ -s "$tmp/pic.jpg" ] && ! cmp -s "$tmp/pic.jpg" "$tmp/nopic.jpg" ||
    { echo "FAIL: cover_image did not change the cover"; exit 1; }
printf 'cover_image: ../outside.png\n' >"$site/digest.yaml"
: >"$tmp/outside.png"
"$digest" build "$site" -o "$tmp/bad" -f epub -q 2>"$tmp/bad.err"
[ $? -ne 0 ] && grep -q "digest.yaml:1:.*cover_image.*outside the site" "$tmp/bad.err" ||
    { echo "FAIL: cover_image outside the site:"; cat "$tmp/bad.err"; exit 1; }
rm -f "$site/digest.yaml"
exit 0
