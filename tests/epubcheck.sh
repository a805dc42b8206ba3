#!/bin/bash
# epubcheck.sh - every EPUB digest built from examples/, and the hand-made
# sample book test_epub leaves in the working directory (CTest runs test_epub
# first: the fixture epub_sample), pass epubcheck with no fatal error, no
# error and no warning.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when java or epubcheck is not installed (Debian packages
# epubcheck and default-jre-headless; `./setup.sh test` installs them), or
# when DIGEST_SKIP_EPUBCHECK is set.  Its messages are asked for in English
# (--locale en), whatever the machine's locale, for the labels grepped here.
set -u
digest=$1
src=$2
jar=/usr/share/java/epubcheck.jar
sample=$PWD/epub-sample.epub

if [ -n "${DIGEST_SKIP_EPUBCHECK:-}" ]; then
    echo "epubcheck.sh: DIGEST_SKIP_EPUBCHECK is set: skipped"
    exit 77
fi
if ! command -v java >/dev/null 2>&1 || [ ! -r "$jar" ]; then
    echo "epubcheck.sh: java or $jar missing: skipped"
    exit 77
fi
if [ ! -r "$sample" ]; then
    echo "epubcheck.sh: no $sample: run test_epub first (ctest does)"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-epubcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$digest" build "$src/examples" -o "$tmp" -f epub --offline
rc=$?
if [ $rc -ne 0 ]; then
    echo "epubcheck.sh: digest build exited with $rc"
    exit 1
fi

shopt -s nullglob
books=("$tmp"/*.epub)
if [ ${#books[@]} -eq 0 ]; then
    echo "epubcheck.sh: digest build wrote no EPUB"
    exit 1
fi
books+=("$sample")

fail=0
for book in "${books[@]}"; do
    out=$(java -jar "$jar" --locale en --failonwarnings "$book" 2>&1)
    status=$?
    summary=$(printf '%s\n' "$out" | grep -E '^Messages:' || true)
    if [ $status -ne 0 ] || printf '%s\n' "$out" | grep -qE '^(FATAL|ERROR|WARNING)'; then
        echo "FAIL $(basename "$book"): $summary"
        printf '%s\n' "$out" | grep -E '^(FATAL|ERROR|WARNING)' | head -40
        fail=1
    else
        echo "ok   $(basename "$book"): $summary"
    fi
done
exit $fail
