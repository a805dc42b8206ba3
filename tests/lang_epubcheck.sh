#!/usr/bin/env bash
# lang_epubcheck.sh - the books of the language fixtures (tests/fixtures/lang)
# pass epubcheck with no fatal error, no error and no warning: a book whose
# chapters are in three languages (xml:lang on each, lang on the nav entries,
# three dc:language, English spans in the Chinese chapter), the books of one
# language each (--split-languages), and the Hugo site's Korean and
# traditional Chinese books.  Exit 77 when java or epubcheck is missing
# (Debian packages epubcheck and default-jre-headless).
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
jar=/usr/share/java/epubcheck.jar
if ! command -v java >/dev/null 2>&1 || [ ! -r "$jar" ]; then
    echo "skipped: java or $jar missing"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-langepubcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
tri=$src/tests/fixtures/lang/trilingual
"$exe" build "$tri" --posts docs -o "$tmp/one" -q -f epub -m 2025-03 || exit 1
"$exe" build "$tri" --posts docs -o "$tmp/split" -q -f epub -m 2025-03 --split-languages || exit 1
"$exe" build "$src/tests/fixtures/lang/hugo" -o "$tmp/hugo" -q -f epub 2>/dev/null || exit 1
books=("$tmp/one/2025-03.epub" "$tmp"/split/2025-03.*.epub "$tmp/hugo/2025-05.ko.epub"
    "$tmp/hugo/2025-05.zh-TW.epub")
fail=0
for book in "${books[@]}"; do
    [ -r "$book" ] || { echo "FAIL: $book was not written"; fail=1; continue; }
    out=$(java -jar "$jar" --locale en --failonwarnings "$book" 2>&1)
    status=$?
    if [ $status -ne 0 ] || printf '%s\n' "$out" | grep -qE '^(FATAL|ERROR|WARNING)'; then
        echo "FAIL $(basename "$book"):"
        printf '%s\n' "$out" | grep -E '^(FATAL|ERROR|WARNING)' | head -20
        fail=1
    else
        echo "ok   $(basename "$book"): $(printf '%s\n' "$out" | grep -E '^Messages:')"
    fi
done
[ ${#books[@]} -eq 6 ] || { echo "FAIL: expected 6 books, found ${#books[@]}"; fail=1; }
exit $fail
