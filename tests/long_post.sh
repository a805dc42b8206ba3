#!/bin/bash
# long_post.sh - the PDF's memory does not grow with a paragraph's length
# (issue 9, item 6): one-line posts of 1 MiB and of 4 MiB are built to PDF,
# and the peak RSS of the second may exceed the first's by less than 24
# bytes for each byte more of text.  A long paragraph is laid out and placed
# a window at a time (PARA_WINDOW), each window's lines freed once their
# pages are drawn, and drawn pages' content waits in a scratch file; laid
# out whole, it took about 225 bytes a byte (3.6 GB for 16 MiB).  Then a
# post just under the 16 MiB limit: built, at most 300 MiB at its peak, and
# every word of it in the PDF's text in order (pdftotext).  Under a sanitizer
# build, the 1 MiB post's two formats only.
#   $1  the digest executable    $2  the source tree
set -u
digest=$1
. "$2/tests/lib/check.sh"
[ -x /usr/bin/time ] || { echo "long_post.sh: /usr/bin/time is missing"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-long.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
# A sanitizer build's memory and time are not the program's: there the 1 MiB
# post alone goes through both formats (the windows, the page map) and the
# sanitizers are the check.
sanitized=false
ldd "$digest" 2>/dev/null | grep -q libasan && sanitized=true

rss() { # MiB -> peak RSS in KiB of a PDF build of a one-line post of that size
    local site=$tmp/s$1
    mkdir -p "$site/_posts"
    python3 - "$site/_posts/2026-09-07-line.md" "$1" <<'PY'
import sys
syl = ["hw", "ka", "lo", "mi", "ne", "ru", "ta", "ve", "zo", "pi", "qu", "se"]
line = " ".join("".join(syl[(i * 7 + k * 3) % 12] for k in range(2 + i % 3)) for i in range(400))
n = int(float(sys.argv[2]) * 1024 * 1024)
with open(sys.argv[1], "w") as f:
    f.write("---\ntitle: One line\n---\n" + (line + " ") * (n // (len(line) + 1)) + "\n")
PY
    /usr/bin/time -f %M -o "$tmp/rss$1" "$digest" build "$site" -o "$site/out" -f pdf -q \
        --offline -j 1 >"$tmp/log$1" 2>&1
    echo $? >"$tmp/rc$1"
    tail -n 1 "$tmp/rss$1"
}
if $sanitized; then
    rss 1 >/dev/null
    check "the 1 MiB post builds (exit $(cat "$tmp/rc1"))" test "$(cat "$tmp/rc1")" -eq 0
    "$digest" build "$tmp/s1" -o "$tmp/both1" -q --offline -j 1 >"$tmp/logb" 2>&1
    check "the 1 MiB post builds to EPUB and PDF" test $? -eq 0
    check "its EPUB has a page-list" \
        bash -c "unzip -p '$tmp/both1/2026-09.epub' OEBPS/nav.xhtml | grep -q 'page-list'"
    echo "long_post.sh: sanitizer build: memory and time not measured"
    exit $fail
fi
r1=$(rss 1)
r4=$(rss 4)
for m in 1 4; do
    check "the $m MiB post builds (exit $(cat "$tmp/rc$m"))" test "$(cat "$tmp/rc$m")" -eq 0
    check "the $m MiB post makes a PDF" test -s "$tmp/s$m/out/2026-09.pdf"
done
per=$(( (r4 - r1) * 1024 / (3 * 1024 * 1024) ))
echo "peak RSS: 1 MiB post $((r1 / 1024)) MiB, 4 MiB post $((r4 / 1024)) MiB: $per bytes per byte of text"
check "memory grows by less than 24 bytes a byte of text ($per)" test "$per" -lt 24

# EPUB and PDF in one run: the PDF's page map (the EPUB's page-list) is
# traced page after page, in time that grows with the text, not its square
# (counted from the text's start for every page it took 4 MiB x 1,127 pages)
cpu() { # MiB -> user+system seconds of an EPUB+PDF build of that site
    /usr/bin/time -f "%U %S" -o "$tmp/cpu$1" "$digest" build "$tmp/s$1" -o "$tmp/both$1" -q \
        --offline -j 1 >/dev/null 2>&1
    awk '{print $1 + $2}' "$tmp/cpu$1"
}
c1=$(cpu 1)
c4=$(cpu 4)
ratio=$(awk -v a="$c1" -v b="$c4" 'BEGIN { printf "%.2f", b / (a > 0 ? a : 0.01) }')
echo "EPUB+PDF CPU: 1 MiB post ${c1} s, 4 MiB post ${c4} s: ratio $ratio"
check "EPUB+PDF time grows linearly with the paragraph (4n/n $ratio < 6)" \
    awk -v r="$ratio" 'BEGIN { exit !(r < 6) }'
check "the 4 MiB post's EPUB has a page-list" \
    bash -c "unzip -p '$tmp/both4/2026-09.epub' OEBPS/nav.xhtml | grep -q 'page-list'"

# the largest post there may be (POST_MAX_BYTES is 16 MiB; the file's head
# and the final newline stay under it)
r16=$(rss 15.99)
check "the 16 MiB post builds (exit $(cat "$tmp/rc15.99"))" test "$(cat "$tmp/rc15.99")" -eq 0
echo "peak RSS: 16 MiB post $((r16 / 1024)) MiB"
check "the 16 MiB post peaks at 300 MiB at most ($((r16 / 1024)) MiB)" test "$r16" -le $((300 * 1024))
if command -v pdftotext >/dev/null; then
    pdftotext "$tmp/s15.99/out/2026-09.pdf" "$tmp/text" 2>/dev/null
    check "every word of the 16 MiB post in the PDF, in order" python3 - "$tmp/text" \
        "$tmp/s15.99/_posts/2026-09-07-line.md" <<'PY'
import re, sys
# the text block's lines only (not running heads or page numbers), words
# hyphenated at a line's end joined again
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8")]
lines = [l for l in lines if l and re.fullmatch(r"[a-z -]+", l)]
got = "".join(l[:-1] if l.endswith("-") else l + " " for l in lines).split()
want = open(sys.argv[2], encoding="utf-8").read().split("---", 2)[2].split()
print("words: %d in the post, %d in the PDF" % (len(want), len(got)))
sys.exit(0 if got == want else 1)
PY
fi
exit $fail
