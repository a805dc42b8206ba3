#!/usr/bin/env bash
# fontnames.sh - fonts given by family name, looked up through fontconfig
# (a configuration of the test's own that knows only the bundled fonts/):
# the text font and its bold face, the code font, digest.yaml's fonts:, and a
# family nobody has.  $1 = digest executable, $2 = source tree.
# Skips (77) without pdffonts (poppler-utils) or mutool (mupdf-tools), which
# read the fonts used.
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need pdffonts mutool
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-fontnames.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$src/fonts</dir><cachedir>$tmp/cache</cachedir></fontconfig>
CONF
export FONTCONFIG_FILE=$tmp/fonts.conf SOURCE_DATE_EPOCH=1743379200
fonts() { pdffonts "$1" 2>/dev/null | awk 'NR > 2 {print $1}' | sed 's/^[A-Z]*+//'; }

"$exe" build "$src/examples" -m 2025-03 -f pdf -o "$tmp/a" -q --force \
    --font "DejaVu Sans" --mono-font "LXGW WenKai Mono" >"$tmp/log" 2>&1
check "family names build (exit 0)" test $? -eq 0
fonts "$tmp/a/2025-03.pdf" >"$tmp/a.txt"
check "the text font is the family asked for" grep -q "^DejaVuSans,Book\|^DejaVuSans$" "$tmp/a.txt"
check "the code font is the family asked for" grep -q "^LXGWWenKaiMono" "$tmp/a.txt"
# the bundled text font is no face of the chain: no letter is set in it (it
# may still come in through fontconfig, which knows it here, for the Chinese
# that DejaVu Sans and the chain lack: dg_fonts_system)
latin_in_wenkai() {
    mutool draw -F stext -o - "$1" 2>/dev/null |
        awk '/<font /{f=$0} /<char /&&f~/LXGWWenKai-Regular/&&/ c="[A-Za-z]"/{n++} END{print n+0}'
}
check "no bundled text font crept in" test "$(latin_in_wenkai "$tmp/a/2025-03.pdf")" -eq 0
check "what DejaVu Sans lacks is not a box" sh -c "! grep -q 'no font has' '$tmp/log'"

# a family with a bold face: bold comes from it
"$exe" build "$src/examples" -m 2025-03 -f pdf -o "$tmp/b" -q --force --font "LXGW WenKai" >"$tmp/log" 2>&1
check "LXGW WenKai by name builds" test $? -eq 0
fonts "$tmp/b/2025-03.pdf" >"$tmp/b.txt"
check "its bold face is found by fontconfig" grep -q "^LXGWWenKai-Bold" "$tmp/b.txt"

# digest.yaml's fonts: take names too
mkdir -p "$tmp/site"
cp -r "$src/examples/." "$tmp/site/"
printf 'fonts:\n  text: DejaVu Sans\n' >"$tmp/site/digest.yaml"
"$exe" build "$tmp/site" -m 2025-03 -f pdf -o "$tmp/c" -q --force >"$tmp/log" 2>&1
check "fonts.text: a family name builds" test $? -eq 0
check "fonts.text: the family is used" sh -c "pdffonts '$tmp/c/2025-03.pdf' | grep -q DejaVuSans"

"$exe" build "$src/examples" -m 2025-03 -f pdf -o "$tmp/d" -q --force --font "No Such Family" >"$tmp/log" 2>&1
check "an unknown family is an environment error (2)" test $? -eq 2
check "an unknown family is named, with fontconfig's nearest" \
    grep -q "No Such Family: error: no such font file, and fontconfig knows no family of that name (its nearest: '" "$tmp/log"
check "nothing is written for it" test ! -e "$tmp/d/2025-03.pdf"

if [ "$fail" -ne 0 ]; then
    cat "$tmp/log" >&2
    exit 1
fi
echo "fontnames: all checks passed"
