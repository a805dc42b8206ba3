#!/usr/bin/env bash
# volumes.sh - --period year and all (issue 12, "Volumes"): OUT/YYYY.epub
# and .pdf with the months as parts, OUT/SITE-all.epub and .pdf by year then
# month; the nav, toc.ncx and PDF outline nest them; a year is rebuilt when
# one of its months changes and not otherwise, and draws its cover image
# again then only (the covers' cache, shared with the months' without
# collisions); period: in digest.yaml.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
. "$src/tests/lib/check.sh"
need python3 mutool pdftotext cmp
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-volumes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
site=$tmp/blog
out=$tmp/out
mkdir -p "$site/_posts"
printf 'title: blog\nlang: zh-CN\n' >"$site/_config.yml"
post() { # date slug title
    printf -- '---\ntitle: "%s"\ndate: %s\n---\n\n## Part one of %s\n\nText.\n\n## Part two\n\nMore.\n' \
        "$3" "$1" "$3" >"$site/_posts/$1-$2.md"
}
post 2023-11-05 a "Post A"
post 2023-12-03 b "Post B"
post 2024-01-07 c "Post C"
for i in $(seq 1 60); do # Post C runs over two pages at least
    printf '\nA paragraph of Post C, long enough to fill a line or two of the page.\n' \
        >>"$site/_posts/2024-01-07-c.md"
done
post 2024-01-21 d "Post D"
post 2024-02-04 e "Post E"
books() { (cd "$1" && ls -- *.epub *.pdf 2>/dev/null | tr '\n' ' '); }

# The nav's contents as an indented outline: "depth label" per entry.
nav() {
    python3 - "$1" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
X = '{http://www.w3.org/1999/xhtml}'
root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read('OEBPS/nav.xhtml'))
toc = [n for n in root.iter(X + 'nav') if n.get('id') == 'toc'][0]
def walk(ol, depth):
    for li in ol.findall(X + 'li'):
        print(depth, li.find(X + 'a').text)
        for sub in li.findall(X + 'ol'):
            walk(sub, depth + 1)
walk(toc.find(X + 'ol'), 1)
EOF
}
# The toc.ncx the same way.
ncx() {
    python3 - "$1" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
N = '{http://www.daisy.org/z3986/2005/ncx/}'
root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read('OEBPS/toc.ncx'))
def walk(el, depth):
    for p in el.findall(N + 'navPoint'):
        print(depth, p.find(N + 'navLabel').find(N + 'text').text)
        walk(p, depth + 1)
walk(root.find(N + 'navMap'), 1)
EOF
}
# The PDF outline (mutool): "depth label", the document's title at depth 0.
outline() {
    mutool show "$1" outline | python3 -c '
import sys
for line in sys.stdin:
    mark, rest = line.rstrip("\n").split("\t", 1)
    body = rest.lstrip("\t")
    depth = len(rest) - len(body)
    print(depth, body.split("\"")[1])
'
}
title() {
    python3 -c '
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
opf = [n for n in z.namelist() if n.endswith(".opf")][0]
print(re.search(r"<dc:title[^>]*>([^<]*)<", z.read(opf).decode()).group(1))' "$1"
}

# ---- --period year -------------------------------------------------------------
check "--period year: exit 0" "$exe" build "$site" -o "$out" -q --offline --period year
check "--period year: one book per year, no month's (got $(books "$out"))" \
    test "$(books "$out")" = "2023.epub 2023.pdf 2024.epub 2024.pdf "
want_nav='1 2024年1月
2 Post C
3 Part one of Post C
3 Part two
2 Post D
3 Part one of Post D
3 Part two
1 2024年2月
2 Post E
3 Part one of Post E
3 Part two'
check "2024.epub nav: month -> post -> headings (got: $(nav "$out/2024.epub"))" \
    test "$(nav "$out/2024.epub")" = "$want_nav"
check "2024.epub toc.ncx: month -> post -> headings" test "$(ncx "$out/2024.epub")" = "$want_nav"
check "2024.epub title: the site's and the year (got $(title "$out/2024.epub"))" \
    test "$(title "$out/2024.epub")" = "blog · 2024年"
# (the headings' own nesting is the monthly books', not checked here)
want_ol="0 blog · 2024年
$(grep -v '^3 ' <<<"$want_nav")"
check "2024.pdf outline: month -> post (got: $(outline "$out/2024.pdf"))" \
    test "$(outline "$out/2024.pdf" | grep -v '^[3-9] ')" = "$want_ol"
check "2024.pdf outline: each post's headings under it" \
    test "$(outline "$out/2024.pdf" | grep -A1 '^2 Post C' | tail -1)" = "3 Part one of Post C"
head4=$(pdftotext -f 4 -l 4 "$out/2024.pdf" - | head -1 | tr -d " ") # CJK-Latin gaps
check "2024.pdf page 4 (Post C's second): the month as running head (got '$head4')" \
    test "$head4" = "2024年1月"

# ---- a year is rebuilt when one of its months changes, and only then ----------------
# The volumes' cover images are cached as the months' are, under their own
# names (OUT/.digest-cache/covers/2024-STAMP.jpg and its thumbnail
# 2024-STAMP.thumb.jpg, never a month's): a cover is drawn when its files are
# written anew (a new inode and time), and a rebuild of an unchanged volume
# (--force) reads them instead.
covers() { (cd "$1/.digest-cache/covers" && stat -c '%n %i %y' -- *.jpg); }
cover_names() { (cd "$1/.digest-cache/covers" && ls -- *.jpg | sed 's/-[0-9a-f]\{16\}\(\.thumb\)\{0,1\}\.jpg$//' | LC_ALL=C sort -u | tr '\n' ' '); }
check "--period year: a cover cached per volume (got $(cover_names "$out"))" \
    test "$(cover_names "$out")" = "2023 2024 "
covers "$out" >"$tmp/covers1"
cp "$out/2023.epub" "$tmp/2023.before"
cp "$out/2024.epub" "$tmp/2024.before"
"$exe" build "$site" -o "$out" --offline --period year 2>"$tmp/log"
check "no change: both years up to date" \
    test "$(grep -c 'months\?, up to date' "$tmp/log")" -eq 2
"$exe" build "$site" -o "$out" --offline --period year --force 2>"$tmp/log"
check "--force: both years built again" test "$(grep -c 'months\?, built' "$tmp/log")" -eq 2
covers "$out" >"$tmp/covers2"
check "--force, nothing changed: no volume's cover drawn (cache files untouched)" \
    cmp -s "$tmp/covers1" "$tmp/covers2"
check "--force: 2024.epub the same, its cover from the cache" cmp -s "$tmp/2024.before" "$out/2024.epub"
printf '\nA line added.\n' >>"$site/_posts/2024-02-04-e.md"
"$exe" build "$site" -o "$out" --offline --period year 2>"$tmp/log"
check "a post of 2024-02 changed: 2024 rebuilt" grep -q '\] 2024: 2 months, built' "$tmp/log"
check "a post of 2024-02 changed: 2023 up to date" grep -q '\] 2023: 2 months, up to date' "$tmp/log"
check "2023.epub unchanged, byte for byte" cmp -s "$tmp/2023.before" "$out/2023.epub"
covers "$out" >"$tmp/covers3"
check "a post of 2024-02 changed: 2023's cover untouched" \
    test "$(grep '^2023-' "$tmp/covers1")" = "$(grep '^2023-' "$tmp/covers3")"
check "... 2024's drawn again under its new stamp (cover and thumbnail), the old ones removed" \
    test "$(grep -c '^2024-' "$tmp/covers3")" -eq 2 -a \
    "$(grep '^2024-' "$tmp/covers1" | cut -d' ' -f1)" != "$(grep '^2024-' "$tmp/covers3" | cut -d' ' -f1)"

# ---- -m selects the volumes, a volume holds its whole year -----------------------
"$exe" build "$site" -o "$tmp/m" -q --offline --period year -f epub -m 2024-02
check "-m 2024-02 --period year: the 2024 volume alone" test "$(books "$tmp/m")" = "2024.epub "
check "-m 2024-02: the volume holds January (nav)" grep -q 'Post C' <(nav "$tmp/m/2024.epub")

# ---- --period month,all: the months and the complete volume -----------------------
check "--period month,all: exit 0" "$exe" build "$site" -o "$tmp/all" -q --offline \
    --period month,all
check "--period month,all: months and blog-all (got $(books "$tmp/all"))" \
    test "$(books "$tmp/all")" = "2023-11.epub 2023-11.pdf 2023-12.epub 2023-12.pdf 2024-01.epub \
2024-01.pdf 2024-02.epub 2024-02.pdf blog-all.epub blog-all.pdf "
all_top=$(nav "$tmp/all/blog-all.epub" | grep -v '^[45] ')
want_all='1 2023年
2 2023年11月
3 Post A
2 2023年12月
3 Post B
1 2024年
2 2024年1月
3 Post C
3 Post D
2 2024年2月
3 Post E'
check "blog-all.epub nav: year -> month -> post (got: $all_top)" test "$all_top" = "$want_all"
check "blog-all.epub title: first and last years" \
    test "$(title "$tmp/all/blog-all.epub")" = "blog · 2023–2024年"
check "blog-all.pdf outline: year -> month -> post" \
    test "$(outline "$tmp/all/blog-all.pdf" | grep '^[123] ')" = "$want_all"

# the months', the years' and the complete volume's covers side by side:
# drawing 2024's removes no month's, drawing a month's no volume's
check "--period month,all: a cover cached per month and for all (got $(cover_names "$tmp/all"))" \
    test "$(cover_names "$tmp/all")" = "2023-11 2023-12 2024-01 2024-02 all "
covers "$tmp/all" >"$tmp/covers4"
check "--period month,year,all on the same OUT: exit 0" "$exe" build "$site" -o "$tmp/all" -q \
    --offline --period month,year,all
check "... the years' covers added (got $(cover_names "$tmp/all"))" \
    test "$(cover_names "$tmp/all")" = "2023 2023-11 2023-12 2024 2024-01 2024-02 all "
check "... the months' and all's kept as they were" \
    test "$(covers "$tmp/all" | grep -v '^202[34]-[0-9a-f]\{16\}')" = "$(cat "$tmp/covers4")"

# ---- the same input, the same bytes -------------------------------------------------
"$exe" build "$site" -o "$tmp/again" -q --offline --period month,all
for f in blog-all.epub blog-all.pdf; do
    check "$f: byte-identical on a second build" cmp -s "$tmp/all/$f" "$tmp/again/$f"
done

# ---- period: in digest.yaml, and a bad value -----------------------------------------
printf 'period: year\n' >"$site/digest.yaml"
check "digest.yaml period: year: exit 0" "$exe" build "$site" -o "$tmp/yaml" -q --offline -f epub
check "digest.yaml period: year: the years" test "$(books "$tmp/yaml")" = "2023.epub 2024.epub "
printf 'period: weekly\n' >"$site/digest.yaml"
"$exe" build "$site" -o "$tmp/bad" -q --offline 2>"$tmp/err"
check "period: weekly: named with its place" \
    grep -q "digest.yaml:1:9: error: 'period' is 'weekly'" "$tmp/err"
rm "$site/digest.yaml"
"$exe" build "$site" -o "$tmp/bad" -q --period month,week 2>"$tmp/err"
rc=$?
check "--period month,week: exit 2 (got $rc)" test "$rc" -eq 2
check "--period month,week: says what it expected" grep -q -- '--period month,week: expected' \
    "$tmp/err"

# ---- epubcheck on the volumes, when it is installed --------------------------------
jar=/usr/share/java/epubcheck.jar
if command -v java >/dev/null 2>&1 && [ -r "$jar" ] && [ -z "${DIGEST_SKIP_EPUBCHECK:-}" ]; then
    for f in "$out/2024.epub" "$tmp/all/blog-all.epub"; do
        check "epubcheck $(basename "$f")" java -jar "$jar" --locale en --failonwarnings -q "$f"
    done
else
    echo "volumes.sh: no epubcheck (or DIGEST_SKIP_EPUBCHECK set): the volumes' epubcheck part not run"
fi
exit $((fail > 0))
