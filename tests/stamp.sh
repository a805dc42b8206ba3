#!/usr/bin/env bash
# stamp.sh - incremental builds: a month is skipped only when nothing that
# shapes its books changed.  A small site is built once; then each input in
# turn (a dates-table row, a file's mtime answering --date-from, a time zone,
# a number, a title from the file name, digest.yaml, a template, a font, each
# PDF and book option, an image, SOURCE_DATE_EPOCH) is changed: the months it
# touches must be built again, with a new stamp and the books changed where
# they should be, and the months it does not touch stay up to date.  Undoing
# the change must give back the first books and stamps byte for byte.
# No sleeps: file times are set with touch -d.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
for tool in unzip cmp touch stat; do
    command -v "$tool" >/dev/null || { echo "stamp: $tool is missing" >&2; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-stamp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"

site=$tmp/site
out=$tmp/out
ref=$tmp/ref
export SOURCE_DATE_EPOCH=1738000000
months="2025-01 2025-02"

# The site: January has two posts on one day whose order is set by their
# zones, one with an image and a link; February has a numbered post, a post
# titled by its file name, and two undated posts, one dated by dates.csv
# (January until the table says otherwise) and one by its mtime.
mkdir -p "$site/_posts" "$site/img"
cp "$src/tests/fixtures/content/tiny.png" "$site/img/pic.png"
cp "$src/fonts/DejaVuSans.ttf" "$tmp/text.ttf"
touch -d "2024-06-01 12:00:00" "$tmp/text.ttf"
cat >"$site/digest.yaml" <<'EOF'
site_title: Stamp Notes
author: Alice Example
EOF
cat >"$site/_posts/2025-01-05-first.md" <<'EOF'
---
title: First light
date: 2025-01-05 10:00:00 +0800
---

The first post of the year, with a picture and a [link](https://example.com/page).

![A picture](/img/pic.png)
EOF
cat >"$site/_posts/2025-01-05-zone.md" <<'EOF'
---
title: Zoned morning
date: 2025-01-05 09:00:00 +0000
---

Written in another time zone, the same day.
EOF
cat >"$site/_posts/2025-02-10-numbered.md" <<'EOF'
---
title: Numbered issue
date: 2025-02-10
number: 7
---

An issue with a number.
EOF
cat >"$site/_posts/2025-02-03-named-by-file.md" <<'EOF'
No title in this post: its file name gives one.
EOF
cat >"$site/_posts/tabled.md" <<'EOF'
---
title: Tabled post
---

Its date comes from the dates table.
EOF
cat >"$site/_posts/by-mtime.md" <<'EOF'
---
title: Dated by mtime
---

Its date comes from the file's modification time.
EOF
echo "_posts/tabled.md,2025-01-25" >"$site/dates.csv"
touch -d "2025-02-15 12:00:00" "$site/_posts/by-mtime.md"

base=(--dates dates.csv --date-from mtime --font "$tmp/text.ttf")
opts=()
# run: one build with the base options and "${opts[@]}"; progress in $tmp/log
run() {
    "$exe" build "$site" -o "$out" "${base[@]}" "${opts[@]}" "$@" 2>"$tmp/log"
}
# state MONTH: "built" or "up to date", from the month's progress line
state() {
    sed -n "s/^\[[0-9]*\/[0-9]*\] $1: [0-9]* posts\?, \(built\|up to date\).*/\1/p" "$tmp/log"
}
stamp_of() {
    cat "$out/.digest-state/$1.stamp" 2>/dev/null
}
# in_book MONTH TEXT: whether MONTH's EPUB holds TEXT
in_book() {
    unzip -p "$out/$1.epub" | grep -q "$2"
}

# The first build, and a copy of what it made.
run -q
check "first build exits 0" test $? -eq 0
for m in $months; do
    check "first build writes $m.epub" test -s "$out/$m.epub"
    check "first build writes $m.pdf" test -s "$out/$m.pdf"
    check "first build records $m's stamp" test -s "$out/.digest-state/$m.stamp"
done
cp -a "$out" "$ref"
check "January holds the tabled post" in_book 2025-01 "Tabled post"
check "February holds the post dated by mtime" in_book 2025-02 "Dated by mtime"

# Nothing changed: nothing rebuilt, not a byte nor a file time.
times() {
    stat -c '%n %y' "$out"/*.epub "$out"/*.pdf "$out"/.digest-state/*.stamp
}
times >"$tmp/times.before"
run
check "unchanged rebuild exits 0" test $? -eq 0
for m in $months; do
    check "unchanged: $m up to date" test "$(state "$m")" = "up to date"
done
check "unchanged: summary says 2 up to date" grep -q "0 built, 2 up to date" "$tmp/log"
for f in 2025-01.epub 2025-01.pdf 2025-02.epub 2025-02.pdf; do
    check "unchanged: $f byte-identical" cmp -s "$ref/$f" "$out/$f"
done
times >"$tmp/times.after"
check "unchanged: no output's mtime moved" cmp -s "$tmp/times.before" "$tmp/times.after"

# changed WHAT BUILT UNTOUCHED DIFFER: builds after a change and checks that
# the months in BUILT were built again with a new stamp, those in UNTOUCHED
# were up to date, and the files in DIFFER differ from the first build's.
changed() {
    local what=$1 built=$2 untouched=$3 differ=$4 m f
    for m in $months; do
        stamp_of "$m" >"$tmp/stamp.$m"
    done
    run -j1
    check "$what: build exits 0" test $? -eq 0
    for m in $built; do
        check "$what: $m rebuilt" test "$(state "$m")" = built
        check "$what: $m's stamp changed" test "$(stamp_of "$m")" != "$(cat "$tmp/stamp.$m")"
    done
    for m in $untouched; do
        check "$what: $m stays up to date" test "$(state "$m")" = "up to date"
    done
    for f in $differ; do
        check "$what: $f changed" bash -c "! cmp -s '$ref/$f' '$out/$f'"
    done
}
# undone WHAT: after the change is undone, a build gives back the first
# build's books and stamps.
undone() {
    local what=$1 m
    run -j1
    check "$what undone: build exits 0" test $? -eq 0
    for m in $months; do
        check "$what undone: $m.epub as at first" cmp -s "$ref/$m.epub" "$out/$m.epub"
        check "$what undone: $m.pdf as at first" cmp -s "$ref/$m.pdf" "$out/$m.pdf"
        check "$what undone: $m's stamp as at first" \
            cmp -s "$ref/.digest-state/$m.stamp" "$out/.digest-state/$m.stamp"
    done
}
both="2025-01 2025-02"
all_books="2025-01.epub 2025-01.pdf 2025-02.epub 2025-02.pdf"

# (a) a row of the dates table moves an undated post to February.
echo "_posts/tabled.md,2025-02-25" >"$site/dates.csv"
changed "dates row" "$both" "" "$all_books"
check "dates row: January no longer holds the moved post" \
    bash -c "! unzip -p '$out/2025-01.epub' | grep -q 'Tabled post'"
check "dates row: February holds the moved post" in_book 2025-02 "Tabled post"
echo "_posts/tabled.md,2025-01-25" >"$site/dates.csv"
undone "dates row"
# ... and another day of the same month: only the date shown changes.
echo "_posts/tabled.md,2025-01-20" >"$site/dates.csv"
changed "dates row, same month" 2025-01 2025-02 "2025-01.epub 2025-01.pdf"
echo "_posts/tabled.md,2025-01-25" >"$site/dates.csv"
undone "dates row, same month"

# (b) another answer of --date-from mtime, the same month.
touch -d "2025-02-20 12:00:00" "$site/_posts/by-mtime.md"
changed "mtime date" 2025-02 2025-01 "2025-02.epub"
touch -d "2025-02-15 12:00:00" "$site/_posts/by-mtime.md"
undone "mtime date"

# (c) a time zone: 10:00 at UTC-8 comes after 09:00 UTC, so the posts swap.
sed -i 's/^date: 2025-01-05 10:00:00 +0800/date: 2025-01-05 10:00:00 -0800/' \
    "$site/_posts/2025-01-05-first.md"
changed "time zone" 2025-01 2025-02 "2025-01.epub 2025-01.pdf"
sed -i 's/^date: 2025-01-05 10:00:00 -0800/date: 2025-01-05 10:00:00 +0800/' \
    "$site/_posts/2025-01-05-first.md"
undone "time zone"

# (d) the number in the front matter, and a title from the file name.
sed -i 's/^number: 7/number: 8/' "$site/_posts/2025-02-10-numbered.md"
changed "number" 2025-02 2025-01 "2025-02.epub 2025-02.pdf"
check "number: the book shows No. 8" in_book 2025-02 "No. 8"
sed -i 's/^number: 8/number: 7/' "$site/_posts/2025-02-10-numbered.md"
undone "number"
mv "$site/_posts/2025-02-03-named-by-file.md" "$site/_posts/2025-02-03-renamed-by-file.md"
changed "title from the file name" 2025-02 2025-01 "2025-02.epub 2025-02.pdf"
check "title from the file name: the book shows the new name" in_book 2025-02 "renamed-by-file"
mv "$site/_posts/2025-02-03-renamed-by-file.md" "$site/_posts/2025-02-03-named-by-file.md"
undone "title from the file name"

# (e) digest.yaml: the books' author.
cp "$site/digest.yaml" "$tmp/digest.yaml"
sed -i 's/^author: Alice Example/author: Bob Example/' "$site/digest.yaml"
changed "digest.yaml author" "$both" "" "$all_books"
cp "$tmp/digest.yaml" "$site/digest.yaml"
undone "digest.yaml author"

# (f) a template in SITE/_digest/templates/.
mkdir -p "$site/_digest/templates"
{ cat "$src/templates/style.css"; echo "p { color: #123456; }"; } \
    >"$site/_digest/templates/style.css"
changed "template" "$both" "" "2025-01.epub 2025-02.epub"
rm -r "$site/_digest"
undone "template"

# (g) the text font: a new modification time, then other bytes.
touch -d "2024-07-01 12:00:00" "$tmp/text.ttf"
changed "font mtime" "$both" "" ""
touch -d "2024-06-01 12:00:00" "$tmp/text.ttf"
undone "font mtime"
cp "$src/fonts/DejaVuSansMono.ttf" "$tmp/text.ttf"
touch -d "2024-06-01 12:00:00" "$tmp/text.ttf"
changed "font bytes" "$both" "" "2025-01.pdf 2025-02.pdf"
cp "$src/fonts/DejaVuSans.ttf" "$tmp/text.ttf"
touch -d "2024-06-01 12:00:00" "$tmp/text.ttf"
undone "font bytes"

# (h) the options.
opts=(--title "{label} of {site}")
changed "--title" "$both" "" "$all_books"
opts=()
undone "--title"
opts=(--page-size a5)
changed "--page-size" "$both" "" "2025-01.pdf 2025-02.pdf"
opts=()
undone "--page-size"
opts=(--indent)
changed "--indent" "$both" "" "2025-01.pdf 2025-02.pdf"
opts=()
undone "--indent"
opts=(--link-notes off)
changed "--link-notes" "$both" "" "2025-01.pdf"
opts=()
undone "--link-notes"
opts=(--margin 30)
changed "--margin" "$both" "" "2025-01.pdf 2025-02.pdf"
opts=()
undone "--margin"
opts=(--font-size 13)
changed "--font-size" "$both" "" "2025-01.pdf 2025-02.pdf"
opts=()
undone "--font-size"
# -f epub writes no PDF: the stamp of an EPUB-only build is another one, or a
# PDF left from before would count as up to date after a change.
opts=(-f epub)
changed "-f epub" "$both" "" ""
opts=()
undone "-f epub"

# (i) an image's bytes.
cp "$src/tests/fixtures/pdf/tall.png" "$site/img/pic.png"
changed "image bytes" 2025-01 2025-02 "2025-01.epub 2025-01.pdf"
cp "$src/tests/fixtures/content/tiny.png" "$site/img/pic.png"
undone "image bytes"

# (j) SOURCE_DATE_EPOCH.
export SOURCE_DATE_EPOCH=1739000000
changed "SOURCE_DATE_EPOCH" "$both" "" "$all_books"
export SOURCE_DATE_EPOCH=1738000000
undone "SOURCE_DATE_EPOCH"

# The stamp is removed before a month's books are replaced and written only
# after the last one is in place.  A build that fails half-way (its PDF
# cannot be renamed over a folder) leaves no stamp for the month.
sed -i 's/^number: 7/number: 9/' "$site/_posts/2025-02-10-numbered.md"
rm "$out/2025-02.pdf"
mkdir "$out/2025-02.pdf"
run -j1
check "unwritable PDF: the build fails" test $? -ne 0
check "unwritable PDF: no stamp left for February" test ! -e "$out/.digest-state/2025-02.stamp"
rmdir "$out/2025-02.pdf"
# A stamp that cannot be removed: no book is replaced, so none can sit
# under an old stamp (root may remove it all the same).
if [ "$(id -u)" != 0 ]; then
    run -j1
    cp "$out/2025-02.epub" "$tmp/2025-02.epub"
    sed -i 's/^number: 9/number: 10/' "$site/_posts/2025-02-10-numbered.md"
    chmod a-w "$out/.digest-state"
    run -j1
    check "stamp not removable: the build fails" test $? -ne 0
    check "stamp not removable: February's EPUB not replaced" \
        cmp -s "$tmp/2025-02.epub" "$out/2025-02.epub"
    chmod u+w "$out/.digest-state"
    sed -i 's/^number: 10/number: 9/' "$site/_posts/2025-02-10-numbered.md"
fi
sed -i 's/^number: 9/number: 7/' "$site/_posts/2025-02-10-numbered.md"
undone "unwritable PDF"

if [ "$fail" -ne 0 ]; then
    echo "$fail check(s) failed" >&2
    exit 1
fi
echo "stamp: all checks passed"
