#!/usr/bin/env bash
# range.sh - --from / --to choose the months built; --prune removes the
# digests and state of months that no longer have posts, and only those;
# without it a note names them (issue 12, "A range and cleanup").
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
. "$2/tests/lib/check.sh"
need cmp
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-range.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
site=$tmp/site
out=$tmp/out
mkdir -p "$site/_posts"
for m in 01 02 03 04 05; do
    printf -- '---\ntitle: "Month %s"\ndate: 2024-%s-10\n---\n\nThe post of month %s.\n' \
        "$m" "$m" "$m" >"$site/_posts/2024-$m-10-post.md"
done
built() { (cd "$1" && ls -- *.epub *.pdf 2>/dev/null | tr '\n' ' '); }
# (the records of the files each book read, YYYY-MM.files, are written only
# for files not changed in the last second: left out here, checked below)
# (the months' own: catalog.lock is the catalog's, catalog.h)
state() { (cd "$1/.digest-state" && ls 2>/dev/null | grep -E '^[0-9].*\.(lock|stamp)$' | tr '\n' ' '); }
# the catalog's fragments of each month (catalog.h) and its cover
catalog() { (cd "$1" && ls .digest-state covers 2>/dev/null | grep -E '\.(html|xml|updated|png)$' | tr '\n' ' '); }

# ---- --from / --to ------------------------------------------------------------
check "--from --to: exit 0" "$exe" build "$site" -o "$out" -q --from 2024-02 --to 2024-03
check "--from 2024-02 --to 2024-03 builds those two months only" \
    test "$(built "$out")" = "2024-02.epub 2024-02.pdf 2024-03.epub 2024-03.pdf "
check "--to alone: the months up to it" "$exe" build "$site" -o "$tmp/to" -q -f epub --to 2024-02
check "--to 2024-02: January and February" test "$(built "$tmp/to")" = "2024-01.epub 2024-02.epub "
check "--from alone: the months from it" "$exe" build "$site" -o "$tmp/from" -q -f epub \
    --from 2024-04
check "--from 2024-04: April and May" test "$(built "$tmp/from")" = "2024-04.epub 2024-05.epub "
"$exe" build "$site" -o "$tmp/m" -q -f epub --from 2024-03 -m 2024-01 -m 2024-04 2>"$tmp/err"
check "-m with a range: only the -m months inside it" test "$(built "$tmp/m")" = "2024-04.epub "
check "-m outside the range is named" grep -q -- '-m 2024-01: outside --from 2024-03' "$tmp/err"
"$exe" build "$site" -o "$tmp/bad" -q --from 2024-13 2>"$tmp/err"
rc=$?
check "--from 2024-13: exit 2 (got $rc)" test "$rc" -eq 2
check "--from 2024-13: says what it expected" \
    grep -q -- 'error: --from 2024-13: expected a month as YYYY-MM' "$tmp/err"
"$exe" build "$site" -o "$tmp/bad" -q --from 2024-04 --to 2024-02 2>"$tmp/err"
rc=$?
check "--from after --to: exit 2 (got $rc)" test "$rc" -eq 2
check "--from after --to: said" grep -q -- '--from 2024-04 is after --to 2024-02' "$tmp/err"
check "a bad range builds nothing" test ! -e "$tmp/bad/2024-04.epub"

# ---- --prune --------------------------------------------------------------------
check "the whole site" "$exe" build "$site" -o "$out" -q
cp -r "$out" "$tmp/before"
# March's post moves to June; May's is deleted
sed -i 's/^date: 2024-03-10/date: 2024-06-10/' "$site/_posts/2024-03-10-post.md"
rm "$site/_posts/2024-05-10-post.md"
"$exe" build "$site" -o "$out" -q 2>"$tmp/err"
rc=$?
check "without --prune: exit 0 (got $rc)" test "$rc" -eq 0
check "without --prune: a note names both months" \
    grep -q 'note: 2 months no longer have posts, their digests kept: 2024-03, 2024-05 (--prune removes them)' "$tmp/err"
check "without --prune: their digests stay" cmp -s "$out/2024-05.pdf" "$tmp/before/2024-05.pdf"
check "without --prune: their state stays" test -f "$out/.digest-state/2024-03.stamp"
check "June, the moved post's new month, is built" test -f "$out/2024-06.epub"
"$exe" build "$site" -o "$out" -q --prune --to 2024-04 2>"$tmp/err"
check "--prune --to 2024-04: March goes" test ! -e "$out/2024-03.epub" -a ! -e "$out/2024-03.pdf"
check "--prune --to 2024-04: May, outside the range, stays" test -f "$out/2024-05.epub"
check "--prune: the removal is said" grep -q '2024-03 has no posts any more' "$tmp/err"
"$exe" build "$site" -o "$out" -q --prune 2>"$tmp/err"
check "--prune: the digests of months without posts are gone" \
    test "$(built "$out")" = "2024-01.epub 2024-01.pdf 2024-02.epub 2024-02.pdf 2024-04.epub 2024-04.pdf 2024-06.epub 2024-06.pdf "
check "--prune: their record and lock are gone, the others' stay" \
    test "$(state "$out")" = "2024-01.lock 2024-01.stamp 2024-02.lock 2024-02.stamp 2024-04.lock 2024-04.stamp 2024-06.lock 2024-06.stamp "
check "--prune: their catalog entries and covers are gone" \
    bash -c "! echo '$(catalog "$out")' | grep -q '2024-0[35]'"
check "--prune: the catalog names only the months left" \
    bash -c "! grep -q '2024-0[35]' '$out/catalog.xml' '$out/index.html'"
check "--prune: the record of the files March's book read is gone" \
    test ! -e "$out/.digest-state/2024-03.files"
for m in 01 02 04; do
    check "--prune leaves 2024-$m as it was" cmp -s "$out/2024-$m.pdf" "$tmp/before/2024-$m.pdf"
done
check "--prune with nothing to remove says nothing" \
    sh -c '! "$1" build "$2" -o "$3" -q --prune 2>&1 | grep -q "posts"' _ "$exe" "$site" "$out"
# a month that still has posts is never pruned, even when none of them
# could be built or it is not selected
printf -- '---\ntitle: [broken\ndate: 2024-02-11\n---\n\nBroken front matter.\n' \
    >"$site/_posts/2024-02-11-broken.md"
"$exe" build "$site" -o "$out" -q --prune -m 2024-04 2>/dev/null
check "--prune -m 2024-04 keeps February" test -f "$out/2024-02.epub" -a -f "$out/2024-02.pdf"
"$exe" build "$site" -o "$out" -q --prune 2>/dev/null
check "--prune keeps a month with a post in error" test -f "$out/2024-02.epub"
exit $((fail > 0))
