#!/bin/bash
# cover_list.sh - the PDF cover of a month with many posts at the e-reader
# page size: the list of posts stops above the author line (with "and N
# more" when not every title fits) and tests/pdfcheck.py finds no overlap,
# overflow or other violation on it.  Twelve posts, in Chinese and English.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when python3, mutool, poppler-utils or qpdf are missing.
set -u
digest=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 mutool pdffonts pdftotext qpdf pdftoppm

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-coverlist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
for lang in zh-CN en; do
    site=$tmp/$lang
    mkdir -p "$site/_posts"
    printf 'title: %s\nauthor: %s\nlang: %s\n' "Cover List $lang" "The Author $lang" "$lang" \
        >"$site/_config.yml"
    for i in $(seq 1 12); do
        d=$(printf '2025-11-%02d' "$i")
        if [ "$lang" = en ]; then
            t="A post with a rather long title that may wrap, number $i"
        else
            t="重温 Java 21 之第 $i 篇：一个相当长的标题会换行"
        fi
        printf -- '---\ntitle: "%s"\n---\nText of post %d.\n' "$t" "$i" >"$site/_posts/$d-p$i.md"
    done
    for size in ereader a5; do
        out=$tmp/out-$lang-$size
        if ! "$digest" build "$site" -o "$out" -f pdf --page-size "$size" -q 2>"$tmp/err"; then
            echo "cover_list.sh: build ($lang, $size) failed"
            cat "$tmp/err"
            fail=1
            continue
        fi
        if python3 "$src/tests/pdfcheck.py" check "$out/2025-11.pdf" >"$tmp/check" 2>&1; then
            echo "ok   $lang $size"
        else
            echo "FAIL $lang $size"
            cat "$tmp/check"
            fail=1
        fi
        # The cover still names the author, and says what is left out.
        txt=$(pdftotext -f 1 -l 1 "$out/2025-11.pdf" - 2>/dev/null)
        case $txt in
        *"The Author $lang"*) ;;
        *) echo "FAIL $lang $size: no author on the cover"; fail=1 ;;
        esac
        if [ "$size" = ereader ]; then
            case $txt in
            *"more"* | *"另有"*) ;;
            *) echo "FAIL $lang $size: no 'N more' line on the cover"; fail=1 ;;
            esac
        fi
    done
done
exit $fail
