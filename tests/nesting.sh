#!/bin/bash
# nesting.sh - deep nesting keeps its text in the PDF: a site made here with a
# 60-deep quote, a 40-deep list and a 30-deep quote holding a list, a table
# and code is built at A4 and at the e-reader size; every word of the posts is
# in pdftotext's text (whole at A4; at the e-reader size the paragraph engine
# may end a line inside one, so there the characters are compared in order),
# the PDFs pass
# tests/pdfcheck.py (no overflow), and the capped indentation is reported
# once per post.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when python3 or poppler-utils are missing.
set -u
digest=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 pdftotext pdffonts mutool qpdf

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-nesting.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/site/_posts"

python3 - "$tmp/site/_posts" <<'PY'
import sys

def word(kind, n):
    s = "nest" + kind
    while True:
        s += chr(ord("a") + n % 26)
        n //= 26
        if not n:
            return s

def words(kind, first, n):
    return " ".join(word(kind, first + i) for i in range(n))

def post(name, day, title, body):
    with open("%s/2025-03-%02d-%s.md" % (sys.argv[1], day, name), "w") as f:
        f.write("---\ntitle: %s\ndate: 2025-03-%02d\n---\n\n%s\n" % (title, day, body))

post("quote", 1, "Quote", ">" * 60 + " " + words("q", 0, 120))
post("list", 2, "List", "\n".join("  " * i + "- " + words("l", 4 * i, 4) for i in range(40)))
q = "> " * 30
rows = "\n".join(q + "| " + " | ".join(words("t", (r * 3 + c) * 2, 2) for c in range(3)) + " |"
                 for r in range(3))
post("mixed", 3, "Mixed",
     q + words("p", 0, 30) + "\n" + q + "\n" +
     q + "- " + words("i", 0, 12) + "\n" + q + "- " + words("i", 12, 12) + "\n" + q + "\n" +
     q + "| " + " | ".join(word("h", c) for c in range(3)) + " |\n" +
     q + "| --- | --- | --- |\n" + rows + "\n")
PY

for size in a4 ereader; do
    "$digest" build "$tmp/site" -o "$tmp/out-$size" -f pdf --page-size "$size" >"$tmp/log-$size" 2>&1
    check "build at $size exits 0" test $? -eq 0
    pdf="$tmp/out-$size/2025-03.pdf"
    check "a PDF at $size" test -s "$pdf"
    [ -s "$pdf" ] || continue
    pdftotext -enc UTF-8 "$pdf" "$tmp/text-$size"
    check "every word of the posts is in the PDF at $size" \
        python3 - "$tmp/site/_posts" "$tmp/text-$size" "$size" <<'PY'
import re, sys, glob
src = "".join(open(p).read() for p in sorted(glob.glob(sys.argv[1] + "/*.md")))
text = open(sys.argv[2]).read()
want = set(re.findall(r"nest[a-z]+", src))
if sys.argv[3] == "a4":
    got = set(re.findall(r"[a-z]+", text))
else:
    # Lowercase pieces only (running heads, page numbers, dates and list
    # markers dropped), joined: a word cut at a line or page end is whole
    # again.  Table cells are read column by column, so the cut pieces of a
    # cell's words do not follow each other: they are checked at A4 (and in
    # the order they are set by test_nesting).
    joined = "".join(t for t in text.split() if re.fullmatch(r"[a-z]+", t))
    want = {w for w in want if not w.startswith("nestt")}
    got = {w for w in want if w in joined}
lost = sorted(want - got)
if lost:
    print("%s: %d of %d words lost or broken, e.g. %s" % (sys.argv[3], len(lost), len(want),
                                                         " ".join(lost[:8])))
sys.exit(1 if lost else 0)
PY
    check "the PDF at $size passes pdfcheck.py" python3 "$src/tests/pdfcheck.py" check "$pdf"
    for p in quote list mixed; do
        n=$(grep -c "2025-03-0[1-3]-$p.md: warning: quotes and lists nested deeper than [0-9]* levels" \
            "$tmp/log-$size")
        check "the cap is reported once for $p.md at $size (reported $n times)" test "$n" -eq 1
    done
done
[ $fail -eq 0 ] || { cat "$tmp/log-a4" "$tmp/log-ereader"; }
exit $fail
