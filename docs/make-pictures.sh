#!/usr/bin/env bash
# make-pictures.sh - the README's pictures: pages of the sample site's March
# digest, rendered from what build/digest makes (needs pdftoppm).
#   docs/make-pictures.sh [DIGEST_EXE]
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/digest}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SOURCE_DATE_EPOCH=1743379200 "$exe" build examples -o "$out" -m 2025-03 -f pdf -q --force
mkdir -p docs/img
for p in 1 2 3; do
    pdftoppm -r 80 -png -f "$p" -l "$p" -singlefile "$out/2025-03.pdf" "docs/img/page-$p"
done
# a page of the e-reader size too
"$exe" build examples -o "$out/e" -m 2025-03 -f pdf -q --force --page-size ereader
pdftoppm -r 110 -png -f 5 -l 5 -singlefile "$out/e/2025-03.pdf" docs/img/ereader-page-5
ls -la docs/img
