#!/bin/bash
# mupdf_epub.sh - a second reading engine beside epubcheck: MuPDF lays out
# every page of every EPUB digest of examples/ (mutool draw, all pages, as
# text) without an error or a warning.  Two warnings about MuPDF 1.21
# itself are expected and allowed: "ICC support is not available" (the
# Debian build) and "unknown epub version: 3.0" (it reads EPUB 3 as 2).
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when mutool (mupdf-tools) is missing.
set -u
digest=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need mutool

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-mupdf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$digest" build "$src/examples" -o "$tmp" -f epub -q 2>/dev/null || { echo "build failed"; exit 1; }
shopt -s nullglob
books=("$tmp"/*.epub)
[ ${#books[@]} -gt 0 ] || { echo "no EPUB built"; exit 1; }
for book in "${books[@]}"; do
    out=$(mutool draw -F txt -o "$tmp/text.txt" "$book" 2>&1)
    st=$?
    bad=$(printf '%s\n' "$out" | grep -Ei 'error|warning' |
        grep -Ev 'ICC support is not available|unknown epub version: 3\.0')
    if [ $st -ne 0 ] || [ -n "$bad" ] || [ ! -s "$tmp/text.txt" ]; then
        echo "FAIL $(basename "$book"): mutool exit $st"
        printf '%s\n' "$bad"
        fail=1
    else
        echo "ok   $(basename "$book"): $(grep -c . "$tmp/text.txt") lines of text"
    fi
done
exit $fail
