#!/usr/bin/env bash
# sysfont.sh - installing or removing a system font makes stale the books
# that needed it (issue 9).  A month whose PDF has a character no font of
# the chain has (U+2A6D6, CJK Extension B) asks the system's fonts for it;
# the test's own fontconfig configuration (FONTCONFIG_FILE) knows one folder
# of $tmp, so the test decides which system fonts there are.  Built with the
# folder empty (a box), the month must be rebuilt without --force once
# HanaMinB (Debian's fonts-hanazono) is copied there, its PDF then embedding
# it; a second build says up to date; a month without such characters stays
# up to date throughout, and its no-op build does not start fontconfig at
# all (strace: the configuration is never opened).  The same for a year's
# volume, for plan, and for the font going away again.
# Skips (77) without pdffonts (poppler-utils), fc-list (fontconfig) or a
# font with U+2A6D6 installed (fonts-hanazono).
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need pdffonts fc-list strace
cp_hex=2A6D6 # beyond the BMP: drawn as a glyph image of HanaMinB
bmp_hex=3400 # in the BMP: HanaMinA is embedded (pdffonts shows it)
# installed fonts (the machine's own fontconfig, not the test's, which knows
# none yet) that have them
installed() { # HEX NAME
    env -u FONTCONFIG_FILE fc-list ":charset=$1:fontformat=TrueType" file 2>/dev/null |
        sed 's/: *$//' | grep "/$2.ttf\$" | head -n 1
}
font=$(installed $cp_hex HanaMinB)
bmp_font=$(installed $bmp_hex HanaMinA)
if [ -z "$font" ] || [ -z "$bmp_font" ]; then
    echo "skipped: fonts-hanazono (HanaMinA.ttf with U+$bmp_hex, HanaMinB.ttf with U+$cp_hex) is not installed"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-sysfont.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sysfonts" "$tmp/site/_posts"
# no <cachedir>: fontconfig scans the folder every time, so a font copied in
# within the clock tick of the last scan is still seen
cat >"$tmp/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$tmp/sysfonts</dir></fontconfig>
CONF
export FONTCONFIG_FILE=$tmp/fonts.conf SOURCE_DATE_EPOCH=1738000000
site=$tmp/site
out=$tmp/out
# UTF-8 bytes written out (printf's \u needs a UTF-8 locale; CI also runs LC_ALL=C)
printf -- '---\ntitle: Rare \343\220\200\ndate: 2025-01-10\n---\n\nRare ideographs: \360\252\233\226 and \343\220\200, in the text.\n' \
    >"$site/_posts/2025-01-10-rare.md"
printf -- '---\ntitle: Plain\ndate: 2025-02-10\n---\n\nNothing but Latin letters here.\n' \
    >"$site/_posts/2025-02-10-plain.md"

run() { # build with "$@"; progress in $tmp/log
    "$exe" build "$site" -o "$out" -f pdf --offline "$@" 2>"$tmp/log"
}
# state BOOK: "built" or "up to date", from its progress line
state() {
    sed -n "s/^\[[0-9]*\/[0-9]*\] $1: [0-9]* \(posts\?\|months\?\), \(built\|up to date\).*/\2/p" \
        "$tmp/log"
}
has_hana() { # PDF: whether it embeds HanaMinA
    pdffonts "$1" 2>/dev/null | awk 'NR > 2 {print $1}' | grep -q 'HanaMinA'
}
not() { ! "$@"; }
records() { # BOOK HEX FONT: BOOK's record answers HEX with FONT's file
    grep -q "^U+$2 [0-9 ]*/.*/$3.ttf\$" "$out/.digest-state/$1.stamp"
}
# fontconfig_opened ARGS...: a build with ARGS under strace, and whether it
# opened the fontconfig configuration (fontconfig started)
fontconfig_opened() {
    strace -f -e trace=open,openat -o "$tmp/strace" \
        "$exe" build "$site" -o "$out" -f pdf --offline "$@" 2>"$tmp/log"
    grep -q "$tmp/fonts.conf" "$tmp/strace"
}

# ---- no system font has it: a box ----------------------------------------------
run
check "first build exits 0" test $? -eq 0
check "first build: 2025-01 built" test "$(state 2025-01)" = built
check "first build: no HanaMinA without the font" not has_hana "$out/2025-01.pdf"
check "the record holds the characters and no answer" \
    test "$(grep -c "^U+\($cp_hex\|$bmp_hex\) -\$" "$out/.digest-state/2025-01.stamp")" -eq 2
check "a month without it records nothing beyond its stamp" \
    test "$(wc -l <"$out/.digest-state/2025-02.stamp")" -eq 1
run
check "no-op: 2025-01 up to date" test "$(state 2025-01)" = "up to date"
check "no-op: 2025-02 up to date" test "$(state 2025-02)" = "up to date"
check "no-op of a month without such characters does not start fontconfig" \
    not fontconfig_opened -m 2025-02
check "... it was up to date" test "$(state 2025-02)" = "up to date"
check "no-op of the month that needs the system does ask fontconfig" fontconfig_opened -m 2025-01
check "... and finds it up to date" test "$(state 2025-01)" = "up to date"

# ---- the font installed: the month is stale -------------------------------------
cover() { cat "$out"/.digest-cache/covers/2025-01-*.jpg; }
cover >"$tmp/cover.box.jpg"
cp "$font" "$bmp_font" "$tmp/sysfonts/"
"$exe" plan "$site" -o "$out" -f pdf --offline >"$tmp/plan.txt" 2>"$tmp/err"
check "plan lists the month the font changes" grep -q -- "-m 2025-01 " "$tmp/plan.txt"
check "plan lists nothing else" test "$(wc -l <"$tmp/plan.txt")" -eq 1
run
check "after the install: exit 0" test $? -eq 0
check "after the install: 2025-01 rebuilt without --force" test "$(state 2025-01)" = built
check "after the install: 2025-02 still up to date" test "$(state 2025-02)" = "up to date"
check "after the install: the PDF embeds HanaMinA" has_hana "$out/2025-01.pdf"
check "the record names HanaMinB" records 2025-01 $cp_hex HanaMinB
check "the record names HanaMinA" records 2025-01 $bmp_hex HanaMinA
check "after the install: the cover (its title has U+$bmp_hex) is drawn again" \
    not cmp -s "$tmp/cover.box.jpg" <(cover)
cover >"$tmp/cover.glyph.jpg"
run --force -m 2025-01
check "--force: the cached cover is used" cmp -s "$tmp/cover.glyph.jpg" <(cover)
run
check "after the install, again: 2025-01 up to date" test "$(state 2025-01)" = "up to date"
check "after the install, again: 2025-02 up to date" test "$(state 2025-02)" = "up to date"

# ---- the font changed in place, then removed -----------------------------------
touch -d "2024-06-01 12:00:00" "$tmp/sysfonts/$(basename "$font")"
run
check "the font file changed: 2025-01 rebuilt" test "$(state 2025-01)" = built
check "the font file changed: 2025-02 up to date" test "$(state 2025-02)" = "up to date"
rm "$tmp/sysfonts/"*.ttf
run
check "the font removed: 2025-01 rebuilt" test "$(state 2025-01)" = built
check "the font removed: a box again" not has_hana "$out/2025-01.pdf"
check "the font removed: 2025-02 up to date" test "$(state 2025-02)" = "up to date"

# ---- a year's volume ---------------------------------------------------------------
run --period year
check "volume: exit 0" test $? -eq 0
check "volume: built" test "$(state 2025)" = built
check "volume: the record holds the character" grep -q "^U+$cp_hex -\$" "$out/.digest-state/2025.stamp"
run --period year
check "volume: no-op up to date" test "$(state 2025)" = "up to date"
cp "$font" "$bmp_font" "$tmp/sysfonts/"
run --period year
check "volume: rebuilt after the install" test "$(state 2025)" = built
check "volume: its PDF embeds HanaMinA" has_hana "$out/2025.pdf"
run --period year
check "volume: then up to date" test "$(state 2025)" = "up to date"

# ---- EPUB only: the cover image is all that is typeset --------------------------
epub() { "$exe" build "$site" -o "$tmp/epub" -f epub --offline "$@" 2>"$tmp/log"; }
epub
check "EPUB only: built" test "$(state 2025-01)" = built
check "EPUB only: the record holds the title's character" \
    grep -q "^U+$bmp_hex .*/HanaMinA.ttf\$" "$tmp/epub/.digest-state/2025-01.stamp"
epub --force
check "EPUB only, --force: the record keeps the character of the cached cover" \
    grep -q "^U+$bmp_hex .*/HanaMinA.ttf\$" "$tmp/epub/.digest-state/2025-01.stamp"
rm "$tmp/sysfonts/"*.ttf
epub
check "EPUB only, the font removed: 2025-01 rebuilt" test "$(state 2025-01)" = built
check "EPUB only, the font removed: 2025-02 up to date" test "$(state 2025-02)" = "up to date"

if [ "$fail" -ne 0 ]; then
    cat "$tmp/log" >&2
    exit 1
fi
echo "sysfont: all checks passed"
