#!/bin/bash
# hostile.sh - one hostile site, built as a trusting user would build a
# cloned repository (issue 9, "Done when"): every attack of the other
# hardening tests at once, in one month, so that they also meet each other.
# The site, made here at run time:
#   - a post, a folder post's README.md, digest.yaml's dates table, a
#     template, _config.yml and an image, each a symlink to a file outside
#     the site that holds a marker;
#   - a 60-deep quote, a 40-deep list, a 30-column table;
#   - 100,000 levels of "[" in one post's front matter;
#   - a one-line post of 1 MiB (HOSTILE_LINE_MIB=16 makes it 16 MiB, the
#     largest post there may be, to measure the whole site by hand as
#     docs/HARDENING.md does; tests/long_post.sh checks that size's memory
#     and text);
#   - invalid UTF-8 and NUL bytes; <script>, <style>, event handlers, a
#     javascript: link and an XML entity bomb in raw HTML;
#   - a 600-character URL, 3,000 repeated ideographs, emoji and CJK
#     Extension B.
# Asserted: exit 1 (the refused files and the deep front matter are input
# errors) and the month still built; no byte of the marker, of the script
# or of an expanded entity in any output; every word of every post that is
# built (its "hw" words, the ideographs; in the 30-column table, where a
# word may be split, its letters) in the PDF's text at A4 and in the EPUB,
# and pdfcheck.py clean (no overflow, no overlap, fonts embedded).  CJK
# Extension B, which no bundled font has, is in the EPUB; in the PDF when a
# TrueType font of the system has it (fonts-hanazono, setup.sh test), found
# through fontconfig and extracted through ActualText, with no "no font has"
# warning; without one the PDF draws a box and says so (checked instead).  The table alone at the e-reader size: set in groups of
# columns, every word whole, pdfcheck.py clean.  Under the ASan+UBSan build
# (setup.sh test) the same run is the "no sanitizer report" check.
#   $1  the digest executable    $2  the source tree
set -u
exe=$(realpath "$1")
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 unzip pdftotext pdffonts mutool qpdf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1738000000
marker=OUTSIDE-SECRET-4321

x=$tmp/outside
s=$tmp/site
mkdir -p "$x" "$s/_posts/2026-09-20-folder" "$s/img" "$s/_digest/templates"
printf -- '---\ntitle: %s post\ndate: 2026-09-02\n---\n\n%s body\n' "$marker" "$marker" >"$x/post.md"
printf -- '---\ntitle: %s folder\ndate: 2026-09-20\n---\n\n%s\n' "$marker" "$marker" >"$x/README.md"
printf 'path,date\n_posts/undated.md,2026-09-04\n# %s\n' "$marker" >"$x/dates.csv"
printf 'title: %s config\n' "$marker" >"$x/_config.yml"
sed "s|<body\([^>]*\)>|<body\1><p>$marker template</p>|" "$src/templates/chapter.xhtml" \
    >"$x/chapter.xhtml"
{ cat "$src/tests/fixtures/content/tiny.png"; printf '%s' "$marker"; } >"$x/img.png"
ln -s "$x/post.md" "$s/_posts/2026-09-02-x.md"
ln -s "$x/README.md" "$s/_posts/2026-09-20-folder/README.md"
ln -s "$x/dates.csv" "$s/dates.csv"
ln -s "$x/_config.yml" "$s/_config.yml"
ln -s "$x/chapter.xhtml" "$s/_digest/templates/chapter.xhtml"
ln -s "$x/img.png" "$s/img/x.png"
printf 'dates: dates.csv\n' >"$s/digest.yaml"

python3 - "$s/_posts" <<'PY'
import os, sys
d = sys.argv[1]
n = [0]

def words(k):
    out = []
    for _ in range(k):
        i, w = n[0], "hw"
        n[0] += 1
        while True:
            w += chr(ord("a") + i % 26)
            i //= 26
            if not i:
                break
        out.append(w)
    return " ".join(out)

def post(name, day, title, body, raw=False):
    head = "---\ntitle: %s\ndate: 2026-09-%02d\n---\n\n" % (title, day)
    mode = "wb" if raw else "w"
    with open("%s/2026-09-%02d-%s.md" % (d, day, name), mode) as f:
        f.write(head.encode() + body if raw else head + body + "\n")

post("quote", 1, "Quote", ">" * 60 + " " + words(80))
post("list", 3, "List", "\n".join("  " * i + "- " + words(3) for i in range(40)))
post("table", 5, "Table", "| " + " | ".join(words(1) for _ in range(30)) + " |\n|" +
     " --- |" * 30 + "\n" + "\n".join("| " + " | ".join(words(1) for _ in range(30)) + " |"
                                      for _ in range(3)))
with open(d + "/2026-09-06-deep.md", "w") as f:
    f.write("---\ntitle: Deep\nx: " + "[" * 100000 + "]" * 100000 + "\n---\nhwdeep body\n")
# one line of 1 MiB: words of the hw series, repeated
line = words(400)
size = int(float(os.environ.get("HOSTILE_LINE_MIB", "1")) * 1024 * 1024) - 4096
post("oneline", 7, "One line", (line + " ") * (size // (len(line) + 1)))
post("bytes", 8, "Bytes", b"bad \xff\xfe utf-8 \xc3 and nul \x00 bytes " + words(5).encode() +
     b"\n", raw=True)
bomb = ('<!DOCTYPE lolz [<!ENTITY lol "LOLBOMB"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<p>&lol3;</p>\n')
post("html", 9, "HTML",
     "<script>SCRIPTMARK()</script>\n\n<style>body{STYLEMARK:1}</style>\n\n" +
     '<p onclick="ONCLICKMARK()">' + words(4) + "</p>\n\n" +
     "[" + words(2) + "](javascript:JSMARK)\n\n" + bomb + "\n" + words(3))
post("url", 10, "URL", words(3) + " [" + words(1) + "](https://example.org/" + "p" * 600 +
     ")\n\nhttps://example.org/" + "q" * 600 + "\n\n" + words(3))
post("ideographs", 11, "Ideographs", "永" * 3000 + "\n\n" + words(3))
post("emoji", 12, "Emoji", "emoji 😀👍🏽 and \U00020000\U0002A6D6 \U00020BB7 " + words(5) +
     "\n\n![picture](../img/x.png)\n")
PY

timed=()
[ -x /usr/bin/time ] && timed=(/usr/bin/time -f "hostile site: %e s, %U s user, %M KiB peak" -o "$tmp/time")
(cd "$tmp" && "${timed[@]}" "$exe" build site -o "$tmp/out" -m 2026-09) >"$tmp/log" 2>&1
rc=$?
[ -s "$tmp/time" ] && tail -n 1 "$tmp/time"
check "build exits 1, not $rc" test "$rc" -eq 1
epub=$tmp/out/2026-09.epub
pdf=$tmp/out/2026-09.pdf
check "the month is built all the same" test -s "$epub" -a -s "$pdf"
if [ -s "$epub" ] && [ -s "$pdf" ]; then
    unzip -p "$epub" >"$tmp/epub.txt"
    pdftotext -enc UTF-8 "$pdf" "$tmp/pdf.txt"
    for m in "$marker" SCRIPTMARK STYLEMARK ONCLICKMARK JSMARK LOLBOMB; do
        check "no $m in the EPUB" bash -c "! grep -aq '$m' '$tmp/epub.txt'"
        check "no $m in the PDF" bash -c "! grep -aq '$m' '$tmp/pdf.txt' '$pdf'"
    done
    # the Extension B characters of the emoji post, each in some TrueType
    # font of the system (fontconfig), or not
    extb=1
    for c in 20000 2a6d6; do
        [ -n "$(fc-list ":charset=$c:fontformat=TrueType" file 2>/dev/null)" ] || extb=0
    done
    if ! command -v fc-list >/dev/null; then
        extb=-1
        echo "hostile.sh: no fc-list (fontconfig): CJK Extension B in the PDF is not checked" >&2
    elif [ "$extb" = 1 ]; then
        check "no box for CJK Extension B, which a system font has" \
            bash -c "! grep -q 'no font has U+2' '$tmp/log'"
    else
        echo "hostile.sh: no TrueType font of the system has CJK Extension B (install" \
            "fonts-hanazono): its presence in the PDF is not checked, its box warning is" >&2
        check "CJK Extension B without a font: a box and a warning naming it" \
            grep -q 'no font has U+20000' "$tmp/log"
    fi
    check "every word is in the PDF and in the EPUB" \
        python3 - "$s/_posts" "$tmp/pdf.txt" "$tmp/epub.txt" "$extb" <<'PY'
import glob, re, sys
from collections import Counter
src = table = ""
for p in sorted(glob.glob(sys.argv[1] + "/*.md")):
    if p.endswith("-deep.md") or p.endswith("-x.md"):
        continue  # refused: not built
    text = open(p, "rb").read().decode("utf-8", "replace")
    if p.endswith("-table.md"):
        table += text  # 30 columns: its words may be split in the PDF's cells
    else:
        src += text
want = set(re.findall(r"\bhw[a-z]+", src)) | {"永" * 40}
cells = re.findall(r"\bhw[a-z]+", table)
bad = 0
for name, path in (("PDF", sys.argv[2]), ("EPUB", sys.argv[3])):
    text = open(path, "rb").read().decode("utf-8", "replace")
    # the ideographs run over lines: compare them with line ends removed
    flat = re.sub(r"\s+", "", text)
    got = set(re.findall(r"hw[a-z]+", text))
    lost = sorted(w for w in want if not (w in got if w.startswith("hw") else w in flat))
    if name == "EPUB" or sys.argv[4] == "1":
        # CJK Extension B: no bundled font has it; in the PDF from a system font
        lost += [c for c in "\U00020000\U0002A6D6" if c not in text]
    # emoji (bundled Symbola and DejaVu Sans) and 𠮷 (Extension B in the
    # bundled LXGW WenKai): glyph images in the PDF, whose ActualText gives
    # them back, even from a font that sets other text of the PDF
    lost += [c for c in "\U0001F600\U0001F44D\U00020BB7" if c not in text]
    if name == "EPUB":
        lost += sorted(w for w in set(cells) if w not in got)
    else:
        # the table's letters, each as often as in the source (pdf-lint's recall)
        need, have = Counter("".join(cells)), Counter(re.sub(r"[^a-z]", "", text))
        lost += ["%s x%d" % (c, n - have[c]) for c, n in sorted(need.items()) if have[c] < n]
    if lost:
        bad = 1
        print("%s: %d lost, e.g. %s" % (name, len(lost), " ".join(lost[:6])))
sys.exit(bad)
PY
    check "the PDF passes pdfcheck.py" python3 "$src/tests/pdfcheck.py" check "$pdf"
fi
# the 30-column table on an e-reader page: set in groups of columns, each a
# table of its own, with no cell narrower than its letters (no overlap)
mkdir -p "$tmp/narrow/_posts"
cp "$s/_posts/2026-09-05-table.md" "$tmp/narrow/_posts/"
"$exe" build "$tmp/narrow" -o "$tmp/narrow-out" -q --offline --page-size ereader 2>/dev/null
check "the wide table at the e-reader size passes pdfcheck.py" \
    python3 "$src/tests/pdfcheck.py" check "$tmp/narrow-out/2026-09.pdf"
check "the wide table at the e-reader size keeps every word whole" \
    python3 - "$tmp/narrow/_posts/2026-09-05-table.md" "$tmp/narrow-out/2026-09.pdf" <<'PY'
import re, subprocess, sys
want = set(re.findall(r"\bhw[a-z]+", open(sys.argv[1]).read()))
text = subprocess.run(["pdftotext", "-enc", "UTF-8", sys.argv[2], "-"], capture_output=True,
                      text=True).stdout
lost = sorted(want - set(re.findall(r"hw[a-z]+", text)))
if lost:
    print("%d of %d words split or lost, e.g. %s" % (len(lost), len(want), " ".join(lost[:6])))
sys.exit(1 if lost else 0)
PY
check "the refused files are named" \
    bash -c "grep -q '2026-09-02-x.md' '$tmp/log' && grep -q 'README.md' '$tmp/log' &&
             grep -q 'dates.csv' '$tmp/log' && grep -q '_config.yml' '$tmp/log' &&
             grep -q 'chapter.xhtml' '$tmp/log' && grep -q 'img/x.png' '$tmp/log' &&
             grep -q '2026-09-06-deep.md' '$tmp/log'"
[ "$fail" -eq 0 ] || cat "$tmp/log" >&2
exit $((fail > 0))
