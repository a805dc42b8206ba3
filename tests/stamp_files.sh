#!/usr/bin/env bash
# stamp_files.sh - the quick way to "up to date" (stamp.h,
# dg_month_quick_fresh): a build records beside each month's stamp the files
# its book read or probed, and a later build trusts that record only while
# every one of them is as it was.  A site of two months is built; then each
# kind of input of January is changed in turn (a post's text, an image's
# bytes, an image that was a missing candidate appearing, a new post in the
# month, a template, an option): January must be built again each time and
# February, untouched by it, stay up to date; a build with nothing changed
# builds nothing.  A file only just changed is not trusted to the record (a
# second write in the same clock tick would not show), so the script waits
# a little over a second before the builds that must write one.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-stampfiles.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need unzip cmp python3

site=$tmp/site
out=$tmp/out
export SOURCE_DATE_EPOCH=1738000000
mkdir -p "$site/_posts" "$site/img"
cp "$src/tests/fixtures/content/tiny.png" "$site/img/pic.png"
cat >"$site/_posts/2025-01-05-first.md" <<'EOT'
---
title: First light
date: 2025-01-05
---

A picture that is there, and one that is not (yet).

![A picture](/img/pic.png)

![Later](/img/later.png)
EOT
cat >"$site/_posts/2025-02-02-other.md" <<'EOT'
---
title: Another month
date: 2025-02-02
---

February's only post.
EOT
opts=()
run() {
    "$exe" build "$site" -o "$out" -f epub "${opts[@]}" "$@" 2>"$tmp/log"
}
state() {
    sed -n "s/^\[[0-9]*\/[0-9]*\] $1: [0-9]* posts\?, \(built\|up to date\).*/\1/p" "$tmp/log"
}
# settle: past the window in which a change is too recent to be recorded,
# then a build that finds every month fresh and records what it read
settle() {
    sleep 1.2
    run
    check "$1: settled, nothing built" grep -q "0 built, 2 up to date" "$tmp/log"
    check "$1: January's record is written" test -s "$out/.digest-state/2025-01.files"
}
# changed WHAT: January built again, February up to date
changed() {
    run
    check "$1: exit 0" test $? -eq 0
    check "$1: January built again" test "$(state 2025-01)" = "built"
    check "$1: February up to date" test "$(state 2025-02)" = "up to date"
}

run
check "first build exits 0" test $? -eq 0
settle "first build"
rec=$out/.digest-state/2025-01.files
check "the record lists the image read" grep -q " $site/img/pic.png\$" "$rec"
check "the record lists the missing candidate as absent" grep -qx -- "- $site/img/later.png" "$rec"
check "the record holds January's stamp" \
    grep -qx "stamp $(cat "$out/.digest-state/2025-01.stamp")" "$rec"
cp "$out/2025-01.epub" "$tmp/jan.epub"
run
check "no-op: nothing built" grep -q "0 built, 2 up to date" "$tmp/log"
check "no-op: January up to date" test "$(state 2025-01)" = "up to date"
check "no-op: January's EPUB unchanged" cmp -s "$tmp/jan.epub" "$out/2025-01.epub"

# a file touched but not changed: the record no longer vouches, the book is
# made and fingerprinted, and the month is still up to date
touch "$site/img/pic.png"
run
check "touched image: January up to date by its fingerprint" \
    test "$(state 2025-01)" = "up to date"
settle "touched image"

printf '\nOne more line.\n' >>"$site/_posts/2025-01-05-first.md"
changed "a post edited"
settle "a post edited"

python3 - "$site/img/pic.png" <<'EOT'
import sys, zlib, struct
# the same picture with one more (ancillary) chunk: other bytes, still a PNG
p = sys.argv[1]
d = open(p, "rb").read()
body = b"tEXt" + b"Comment\0changed"
chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
open(p, "wb").write(d[:33] + chunk + d[33:])  # after IHDR
EOT
changed "an image rewritten"
settle "an image rewritten"

cp "$src/tests/fixtures/content/tiny.png" "$site/img/later.png"
changed "a missing candidate appears"
check "the candidate that appeared is packed" \
    test "$(unzip -l "$out/2025-01.epub" | grep -c 'images/0[0-9]*\.png')" -eq 2
settle "a missing candidate appears"

cat >"$site/_posts/2025-01-20-second.md" <<'EOT'
---
title: Second light
date: 2025-01-20
---

A new post in January.
EOT
changed "a post added to the month"
settle "a post added to the month"

mkdir -p "$site/_digest/templates"
{ cat "$src/templates/style.css"; echo "p { color: #123456; }"; } \
    >"$site/_digest/templates/style.css"
run
check "a template changed: January built again" test "$(state 2025-01)" = "built"
check "a template changed: February built again" test "$(state 2025-02)" = "built"
settle "a template changed"

opts=(--title "{label} of {site}")
run
check "an option changed: January built again" test "$(state 2025-01)" = "built"
check "an option changed: February built again" test "$(state 2025-02)" = "built"
settle "an option changed"

# the plan asks the same rule: nothing to do now, January once it changes
check "plan: nothing stale" test -z "$("$exe" plan "$site" -o "$out" -f epub "${opts[@]}" -q)"
printf '\nYet another line.\n' >>"$site/_posts/2025-01-05-first.md"
"$exe" plan "$site" -o "$out" -f epub "${opts[@]}" -q >"$tmp/plan" 2>/dev/null
check "plan: January stale after an edit" grep -q " -m 2025-01 " "$tmp/plan"
check "plan: February not in it" sh -c "! grep -q 2025-02 '$tmp/plan'"

# --force builds every month whatever the record says
run --force
check "--force: both built" grep -q "2 built, 0 up to date" "$tmp/log"
if [ "$fail" -ne 0 ]; then
    echo "$fail check(s) failed" >&2
    exit 1
fi
echo "stamp_files: all checks passed"
