#!/usr/bin/env bash
# parallel.sh - the digests do not depend on how many months are built at once.
#
# A site of twelve months, each with posts full of what the Markdown
# extensions parse (autolinks, strikethrough, tables, task lists), is built
# with -j 1 and then five times with -j 8 from scratch; every EPUB and PDF
# must be byte-identical to the single-threaded build.  (cmark-gfm keeps the
# special characters of its inline extensions in one process-wide table: two
# parses at once used to lose autolinks now and then.)
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
. "$2/tests/lib/check.sh"
need cmp
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-parallel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
site=$tmp/site
mkdir -p "$site/_posts"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for d in 03 13 23; do
        f=$site/_posts/2024-$m-$d-post.md
        {
            printf -- '---\ntitle: "Week %s-%s"\ndate: 2024-%s-%s\n---\n\n' "$m" "$d" "$m" "$d"
            for i in 1 2 3 4 5 6; do
                printf 'Item %s: see www.example%s.com and https://example.org/%s/%s, ' "$i" "$i" "$m" "$d"
                printf '~~old~~ new, mail someone@example.net.\n\n'
                printf '| a | b |\n|---|---|\n| www.t%s.example | ~~x~~ https://t.example/%s |\n\n' "$i" "$i"
                printf -- '- [ ] www.one.example/%s\n- [x] https://two.example/%s\n\n' "$i" "$i"
            done
        } >"$f"
    done
done
export SOURCE_DATE_EPOCH=1700000000
check "the -j 1 build succeeds" "$exe" build "$site" -o "$tmp/one" -j 1 -q
n=$(find "$tmp/one" -maxdepth 1 -name '*.epub' | wc -l)
check "12 EPUBs (got $n)" test "$n" -eq 12
for run in 1 2 3 4 5; do
    rm -rf "$tmp/many"
    check "the -j 8 build (run $run) succeeds" "$exe" build "$site" -o "$tmp/many" -j 8 -q
    for f in "$tmp"/one/*.epub "$tmp"/one/*.pdf; do
        check "run $run: $(basename "$f") built with -j 8 equals the -j 1 build" \
            cmp -s "$f" "$tmp/many/$(basename "$f")"
    done
done
[ $fail -eq 0 ] && echo "parallel: 5 builds with -j 8 equal the -j 1 build, byte for byte"
exit $((fail > 0))
