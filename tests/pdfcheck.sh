#!/bin/bash
# pdfcheck.sh - the PDF digests of examples/ (A4 and the e-reader size) pass
# the checks of tests/pdfcheck.py (fonts embedded and subset, no poppler or
# qpdf warning, no kinsoku violation, no overflow, no overlap); the fixed
# sample book tests/fixtures/pdf/site renders like tests/golden/page-N.png
# (within a tolerance) and rebuilds byte for byte.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when python3, mutool, poppler-utils or qpdf are missing.
# After an intended change of the typesetting, refresh the golden pages with
#   python3 tests/pdfcheck.py golden BUILT.pdf tests/golden --update
# (only the page-N.png files already present are compared).
set -u
digest=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 mutool pdffonts pdftotext qpdf pdftoppm

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-pdfcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
shopt -s nullglob

for size in a4 ereader; do
    "$digest" build "$src/examples" -o "$tmp/ex-$size" -f pdf --page-size "$size" --offline >"$tmp/log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "pdfcheck.sh: digest build examples ($size) exited with $rc"
        cat "$tmp/log"
        fail=1
    fi
    pdfs=("$tmp/ex-$size"/*.pdf)
    if [ ${#pdfs[@]} -eq 0 ]; then
        echo "pdfcheck.sh: no PDF built from examples ($size)"
        fail=1
    elif ! python3 "$src/tests/pdfcheck.py" check "${pdfs[@]}"; then
        fail=1
    fi
done

site="$src/tests/fixtures/pdf/site"
export SOURCE_DATE_EPOCH=1740873600
"$digest" build "$site" -o "$tmp/g1" -f pdf >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail=1; }
"$digest" build "$site" -o "$tmp/g2" -f pdf >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail=1; }
if ! cmp -s "$tmp/g1/2025-03.pdf" "$tmp/g2/2025-03.pdf"; then
    echo "pdfcheck.sh: two builds of the sample book differ"
    fail=1
fi
python3 "$src/tests/pdfcheck.py" check "$tmp/g1/2025-03.pdf" || fail=1
python3 "$src/tests/pdfcheck.py" golden "$tmp/g1/2025-03.pdf" "$src/tests/golden" || fail=1
exit $fail
