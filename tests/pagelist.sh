#!/bin/bash
# pagelist.sh - an EPUB built with its PDF in one run carries the PDF's page
# numbers (issue 11, item 3): nav.xhtml's page-list names every body page of
# the PDF, in order, from the first after the contents to the last; the text
# right after the page-break marker of page N is the text at the top of PDF
# page N (pdftotext: after the running head; list bullets are drawn, not
# text); the OPF says pageBreakMarkers and pageNavigation and names the PDF
# as the source of the pagination; epubcheck finds nothing; without the PDF
# the EPUB has none of it, and its text files differ from those with it by
# the markers only.  Over examples/ and a generated English site with
# pages that begin mid-paragraph, mid-word (hyphenation), in a code block
# and inside a paragraph longer than a layout window (PARA_WINDOW).  Ace, when
# installed (tests/ace.sh), finds no violation in the generated site's EPUB.
#   $1  the digest executable    $2  the source tree
set -u
digest=$1
src=$2
. "$src/tests/lib/check.sh"
need python3 pdftotext pdfinfo java
jar=/usr/share/java/epubcheck.jar
[ -r "$jar" ] || { echo "pagelist.sh: $jar missing: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-pagelist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# ---- a generated English site (no corpus text) ------------------------------
site=$tmp/site
mkdir -p "$site/_posts"
printf 'title: Page list fixture\nauthor: Test\nlang: en\n' >"$site/_config.yml"
python3 - "$site/_posts" <<'PY'
import sys
syl = ["ba", "cor", "dex", "fin", "gal", "hom", "ist", "jun", "kel", "lom", "mer", "nor",
       "pel", "quin", "ros", "sta", "tur", "vel", "wist", "zan"]
def word(i):
    return "".join(syl[(i * 7 + k * 13 + i // 20) % 20] for k in range(2 + i % 4))
def sentence(i, n):
    return " ".join(word(i * 31 + k) for k in range(n)).capitalize() + "."
d = sys.argv[1]
# one paragraph longer than a layout window (64 KiB)
with open(d + "/2026-05-03-long.md", "w") as f:
    f.write("---\ntitle: One long paragraph\n---\n")
    f.write(" ".join(sentence(i, 9 + i % 7) for i in range(1600)) + "\n")
# paragraphs, headings, a list and a code block
with open(d + "/2026-05-10-mixed.md", "w") as f:
    f.write("---\ntitle: Mixed blocks\n---\n")
    for p in range(40):
        if p % 9 == 4:
            f.write("## Section %d\n\n" % p)
        if p == 12:
            f.write("```\n" + "\n".join("let value_%d = compute(%d);" % (k, k) for k in range(90))
                    + "\n```\n\n")
        if p == 20:
            f.write("".join("- item %s %s\n" % (word(k), word(k + 3)) for k in range(40)) + "\n")
        f.write(" ".join(sentence(p * 17 + s, 8 + s % 5) for s in range(6 + p % 5)) + "\n\n")
PY

build() { # out site [options]
    local out=$1
    shift
    "$digest" build "$@" -o "$out" -q --offline -j 1 2>"$tmp/build.err" ||
        { echo "pagelist.sh: digest build $* failed:"; cat "$tmp/build.err"; exit 1; }
}
build "$tmp/fix" "$site"
build "$tmp/ex" "$src/examples"
build "$tmp/ex-epub" "$src/examples" -f epub

cat >"$tmp/check.py" <<'PY'
import html, re, subprocess, sys, zipfile

def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))

def page_text(pdf, n):
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"],
                          capture_output=True, text=True).stdout

def squeeze(s):
    s = re.sub(r"-\n", "", s)  # a word hyphenated at a line's end
    s = re.sub("[\u2022\u25e6\u25aa]", "", s)  # list bullets: drawn, not text
    return re.sub(r"\s+", "", s)

epub, pdf = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(epub)
fails = 0
def fail(msg):
    global fails
    fails += 1
    print("FAIL %s: %s" % (epub, msg))

nav = z.read("OEBPS/nav.xhtml").decode()
m = re.search(r'<nav epub:type="page-list"[^>]*>(.*?)</nav>', nav, re.S)
items = re.findall(r'<a href="([^"#]+)#([^"]+)">(\d+)</a>', m.group(1)) if m else []
nums = [int(x[2]) for x in items]
total = pages_of(pdf)
if not nums or nums != list(range(nums[0], total + 1)):
    fail("page-list %s is not every page to the PDF's last, %d" % (nums, total))
    sys.exit(1)
front = page_text(pdf, nums[0] - 1)
if "目录" not in front and "Contents" not in front:
    fail("page %d, before the first listed, is not the contents" % (nums[0] - 1))
opf = z.read("OEBPS/content.opf").decode()
for want in ('accessibilityFeature">pageBreakMarkers<', 'accessibilityFeature">pageNavigation<',
             '<dc:source id="page-source">%s<' % pdf.rsplit("/", 1)[-1],
             'refines="#page-source" property="source-of">pagination<'):
    if want not in opf:
        fail("content.opf lacks %s" % want)
mid = 0
for f, ident, num in items:
    x = z.read("OEBPS/" + f).decode()
    at = x.find('id="%s"' % ident)
    if at < 0:
        fail("%s has no marker %s" % (f, ident))
        continue
    before = re.sub(r"<[^>]*>", "", x[:at])
    rest = re.sub(r'<span epub:type="pagebreak"[^>]*/>', "", x[x.index("/>", at) + 2:])
    # up to ten characters: of the marker's text node when it has three (a
    # numbered list's next number is drawn, not text), else across tags
    text = squeeze(html.unescape(rest.split("<", 1)[0]))[:10]
    if len(text) < 3:
        text = squeeze(html.unescape(re.sub(r"<[^>]*>", "", rest)))[:10]
    page = page_text(pdf, int(num))
    lines = [squeeze(l) for l in page.splitlines() if l.strip()]
    body = squeeze(page)
    i = body.find(text)
    # the marker's text opens the page, after its running head at most; a
    # page of link notes only (numbered addresses the EPUB has as links) has
    # its marker at the post's end
    notes = re.match(r"\D{0,12}\d+\.(https?|mailto|ftp):", body[len(lines[0]):] if lines else "")
    if not text and notes and not squeeze(re.sub(r"<[^>]*>", "", rest.split("</section>")[0])):
        pass
    elif not text or i < 0 or body[:i] not in ("", lines[0]):
        fail("after marker %s: %r; PDF page %s begins %r" % (num, text, num, body[:40]))
    # inside a paragraph: text of the same element before the marker
    if not re.search(r">\s*$", x[:at].rsplit("<span", 1)[0]):
        mid += 1
print("%s: %d pages listed, each marker's text at the top of its PDF page; %d inside text"
      % (epub.rsplit("/", 1)[-1], len(nums), mid))
if len(sys.argv) > 3 and mid < int(sys.argv[3]):
    fail("only %d markers inside a paragraph (want %s)" % (mid, sys.argv[3]))
sys.exit(1 if fails else 0)
PY

shopt -s nullglob
n=0
for e in "$tmp"/ex/*.epub; do
    check "$(basename "$e"): page-list and markers match the PDF" \
        python3 "$tmp/check.py" "$e" "${e%.epub}.pdf"
    n=$((n + 1))
done
check "examples/ made EPUBs ($n)" test "$n" -gt 0
e=$tmp/fix/2026-05.epub
check "the generated site: page-list and markers match the PDF, 20 inside paragraphs" \
    python3 "$tmp/check.py" "$e" "${e%.epub}.pdf" 20
for e in "$tmp"/ex/*.epub "$tmp"/fix/*.epub; do
    java -jar "$jar" -q "$e" >"$tmp/epubcheck.log" 2>&1
    check "$(basename "$e"): epubcheck finds nothing" test ! -s "$tmp/epubcheck.log"
    [ -s "$tmp/epubcheck.log" ] && cat "$tmp/epubcheck.log"
done
for e in "$tmp"/ex-epub/*.epub; do
    check "$(basename "$e") built without its PDF: no page markers" \
        bash -c '! unzip -p "$1" | grep -aq -e pagebreak -e page-list -e pageBreakMarkers' _ "$e"
    check "$(basename "$e"): the text files with and without the PDF differ by the markers only" \
        python3 - "$e" "$tmp/ex/$(basename "$e")" <<'PY'
import re, sys, zipfile
a, b = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
names = [n for n in a.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")]
bad = [n for n in names if a.read(n).decode() !=
       re.sub(r'<span epub:type="pagebreak"[^>]*/>', "", b.read(n).decode())]
print("differ beyond the markers:", bad)
sys.exit(1 if bad or not names else 0)
PY
done

# Ace, when it is there (as tests/ace.sh runs it)
ace=${ACE_CLI:-$(command -v ace-cli || echo /opt/ace/node_modules/.bin/ace-cli)}
chromium=${PUPPETEER_EXECUTABLE_PATH:-$(command -v chromium || true)}
if [ -x "$ace" ] && command -v node >/dev/null 2>&1 && [ -n "$chromium" ]; then
    PUPPETEER_EXECUTABLE_PATH=$chromium HOME=$tmp "$ace" -s -f -o "$tmp/ace" \
        "$tmp/fix/2026-05.epub" >"$tmp/ace.log" 2>&1
    check "Ace ran on the generated site's EPUB" test -f "$tmp/ace/report.json"
    check "Ace: no violation in the generated site's EPUB" python3 - "$tmp/ace/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v = [b["earl:test"]["dct:title"] for a in r["assertions"] for b in a.get("assertions", [])
     if b["earl:result"]["earl:outcome"] == "fail"]
print("Ace violations:", v)
sys.exit(1 if v else 0)
PY
else
    echo "pagelist.sh: Ace not installed: its check skipped (tests/ace.sh runs it)"
fi
exit $fail
