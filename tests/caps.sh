#!/bin/bash
# caps.sh - the front matter and post size caps through the command line
# (issue 9, items 5 and 6): 100,000 levels of "[" in one post's front matter
# are refused with a positioned error and the other posts are built; a
# one-line post just under the 16 MiB limit makes an EPUB (its XHTML passes
# the writer's XML check: one text node past libxml2's default 10 MB), and a
# post over the limit is left out saying how large it is.
#   $1  the digest executable    $2  the source tree
set -u
digest=$1
. "$2/tests/lib/check.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-caps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
site=$tmp/site
mkdir -p "$site/_posts"

python3 - "$site/_posts" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/2026-09-01-deep.md", "w") as f:
    f.write("---\ntitle: Deep\nx: " + "[" * 100000 + "]" * 100000 + "\n---\nbody\n")
with open(d + "/2026-09-02-ok.md", "w") as f:
    f.write("---\ntitle: Fine\n---\nA post.\n")
words = ["alpha ", "beta ", "gamma ", "delta "]
head = "---\ntitle: Big\n---\n"
limit = 16 * 1024 * 1024 - 64
parts, n, i = [head], len(head), 0
while n < limit:
    w = words[i % 4]; i += 1
    parts.append(w); n += len(w)
with open(d + "/2026-09-03-big.md", "w") as f:
    f.write("".join(parts) + "\n")
with open(d + "/2026-10-01-huge.md", "w") as f:
    f.write(head + "word " * (17 * 1024 * 1024 // 5) + "\n")
# 400,001 emphasis markers (DG_MARKDOWN_MAX_MARKERS): 1.2 MiB, 0.1 GB of
# parser nodes at this size, 2.3 GB at 16 MiB
with open(d + "/2026-09-04-stars.md", "w") as f:
    f.write("---\ntitle: Stars\n---\n" + "a* " * 400001 + "\n")
# a www. link makes every 'w' count; without one a 'w' costs nothing
with open(d + "/2026-09-05-wide.md", "w") as f:
    f.write("---\ntitle: Wide\n---\n" + "wow " * 500000 + "\n")
with open(d + "/2026-09-06-www.md", "w") as f:
    f.write("---\ntitle: WWW\n---\nwww.example.com " + "wow " * 200000 + "\n")
PY

"$digest" build "$site" -o "$tmp/out" -m 2026-09 -m 2026-10 -f epub -q >"$tmp/log" 2>&1
rc=$?
check "exit 1 (a post left out), not $rc" test $rc -eq 1
check "the deep front matter is refused where it passes 64 levels" \
    grep -qF "_posts/2026-09-01-deep.md:3:67: error: front matter nests deeper than 64 levels; post left out" "$tmp/log"
check "the 16 MiB post passes the EPUB's XML check" \
    bash -c "! grep -q 'not well-formed' '$tmp/log'"
check "the post over 16 MiB says so" grep -qE "2026-10-01-huge.md: error: the post is .*16 MiB" "$tmp/log"
check "the post of 400,001 markers is left out, saying why" \
    grep -qE "2026-09-04-stars.md: error: the post has 400002 characters that open Markdown syntax .*more than the 400000 digest parses; left out" "$tmp/log"
check "500,000 w's without www. are not markers" bash -c "! grep -q '2026-09-05-wide.md: error' '$tmp/log'"
check "with www. they are" grep -qE "2026-09-06-www.md: error: the post has 40000[0-9] characters" "$tmp/log"
check "September's EPUB is written" test -s "$tmp/out/2026-09.epub"
check "it holds the big post" bash -c "unzip -l '$tmp/out/2026-09.epub' | grep -q 'post-02.xhtml'"
[ $fail -eq 0 ] || cat "$tmp/log" | cut -c1-300 >&2
exit $fail
