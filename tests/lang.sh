#!/usr/bin/env bash
# lang.sh - each post in its own language, on the fixture sites of
# tests/fixtures/lang: the trilingual site (Chinese originals in docs/,
# English in docs/en/, Japanese in docs/ja/) gives one book a month whose
# chapters are zh-CN, en and ja, with every language in the OPF and the PDF's
# /Lang the book's; with --split-languages, three books a month, each in its
# language (names, xml:lang, dc:language, labels, /Lang); the Hugo site,
# which declares its languages, is split by default and each book takes its
# language's title; --no-split-languages undoes it; `digest list` shows the
# language; the books are byte-identical when built again.  The quote rule:
# a Latin run with ’ “ ” in the Chinese chapter is marked English.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 qpdf cmp unzip pdffonts
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-lang.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
tri=$src/tests/fixtures/lang/trilingual
hugo=$src/tests/fixtures/lang/hugo

# The book's chapters, nav entries and OPF languages, one line each:
#   chapters: LANG LANG ...   opf: LANG ...   nav: LANG ...   toc: LABEL
epub_langs() {
    python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted(n for n in z.namelist() if re.match(r"OEBPS/post-\d+\.xhtml$", n))
chap = [re.search(r'<html[^>]* xml:lang="([^"]+)" lang="([^"]+)"', z.read(n).decode()) for n in names]
print("chapters:", " ".join(m.group(1) if m and m.group(1) == m.group(2) else "?" for m in chap))
opf = z.read("OEBPS/content.opf").decode()
print("opf:", " ".join(re.findall(r"<dc:language>([^<]+)</dc:language>", opf)))
nav = z.read("OEBPS/nav.xhtml").decode()
book = re.search(r'<html[^>]* lang="([^"]+)"', nav).group(1)
entries = re.findall(r'<li><a href="post-\d+\.xhtml"([^>]*)>', nav)
print("nav:", " ".join((re.search(r' lang="([^"]+)"', e) or [None, book])[1] for e in entries))
print("toc:", re.search(r"<h1>([^<]+)</h1>", nav).group(1))
print("title:", re.search(r"<dc:title>([^<]+)</dc:title>", opf).group(1))
PY
}

# The /Lang of a PDF's catalog.
pdf_lang() {
    local root
    root=$(qpdf --show-object=trailer "$1" | sed -n 's/.*\/Root \([0-9]*\) 0 R.*/\1/p')
    qpdf --show-object="$root" "$1" | sed -n 's/.*\/Lang (\([^)]*\)).*/\1/p'
}

# --- one book a month, each chapter in its post's language -------------------
"$exe" build "$tri" --posts docs -o "$tmp/one" -q 2>"$tmp/one.err"
check "trilingual build exits 0" test $? -eq 0
check "one book a month" test "$(ls "$tmp/one" | grep -E "\.(epub|pdf)$" | tr '\n' ' ')" = \
    "2025-03.epub 2025-03.pdf 2025-04.epub 2025-04.pdf "
epub_langs "$tmp/one/2025-03.epub" >"$tmp/one.langs"
check "chapters zh-CN, en, ja" grep -qx "chapters: zh-CN en ja" "$tmp/one.langs"
check "the OPF lists the book's language first, then the others" \
    grep -qx "opf: zh-CN en ja" "$tmp/one.langs"
check "nav entries in their posts' languages" grep -qx "nav: zh-CN en ja" "$tmp/one.langs"
check "the contents heading in the book's language" grep -qx "toc: 目录" "$tmp/one.langs"
check "the PDF's /Lang is the book's" test "$(pdf_lang "$tmp/one/2025-03.pdf")" = zh-CN
# the quote rule: Latin runs of the Chinese chapter, the English chapter untouched
unzip -p "$tmp/one/2025-03.epub" OEBPS/post-01.xhtml >"$tmp/zh.xhtml"
unzip -p "$tmp/one/2025-03.epub" OEBPS/post-02.xhtml >"$tmp/en.xhtml"
check "the English sentence of the Chinese post is marked English" grep -qF \
    '：<span xml:lang="en" lang="en">“It’s the small things that matter.”</span> 这句话' "$tmp/zh.xhtml"
check "so is Tom’s “Field Notes”" grep -qF \
    '<span xml:lang="en" lang="en">Tom’s “Field Notes”</span> 这本' "$tmp/zh.xhtml"
check "an opening quote that faces the Chinese text stays out of the span" grep -qF \
    '只有一句 <span xml:lang="en" lang="en">Don’t worry -</span> “别担心”' "$tmp/zh.xhtml"
check "no span in the English chapter" bash -c "! grep -q '<span xml:lang' '$tmp/en.xhtml'"
check "the English chapter's date in English" grep -q '>2 March 2025<' "$tmp/en.xhtml"

# --- list shows the language --------------------------------------------------
"$exe" list "$tri" --posts docs >"$tmp/list" 2>&1
check "list: the English post" grep -q "^  2025-03-02  en     The first week of spring  (docs/en/2025-03-02-spring.md)" "$tmp/list"
check "list: the Japanese post" grep -q "^  2025-04-06  ja     四月の雨" "$tmp/list"
check "list: the Chinese post" grep -q "^  2025-04-06  zh-CN  四月的雨" "$tmp/list"

# --- one book per language ----------------------------------------------------
"$exe" build "$tri" --posts docs -o "$tmp/split" -q --split-languages 2>"$tmp/split.err"
check "split build exits 0" test $? -eq 0
for m in 2025-03 2025-04; do
    for l in zh-CN en ja; do
        check "$m.$l.epub written" test -s "$tmp/split/$m.$l.epub"
        check "$m.$l.pdf written" test -s "$tmp/split/$m.$l.pdf"
        check "$m.$l has its own stamp" test -s "$tmp/split/.digest-state/$m.$l.stamp"
        epub_langs "$tmp/split/$m.$l.epub" >"$tmp/$m.$l.langs"
        check "$m.$l: one chapter in $l" grep -qx "chapters: $l" "$tmp/$m.$l.langs"
        check "$m.$l: dc:language $l alone" grep -qx "opf: $l" "$tmp/$m.$l.langs"
        check "$m.$l: /Lang $l" test "$(pdf_lang "$tmp/split/$m.$l.pdf")" = "$l"
    done
done
check "no plain names when split" bash -c "! ls '$tmp/split' | grep -q '^2025-0[34]\.\(epub\|pdf\)$'"
check "three books a month" test "$(ls "$tmp/split"/2025-03.*.epub | wc -l)" -eq 3
check "the English book's labels" grep -qx "toc: Contents" "$tmp/2025-03.en.langs"
check "the English book's title" grep -qx "title: 三语周记 · March 2025" "$tmp/2025-03.en.langs"
check "the Japanese book's labels" grep -qx "toc: 目次" "$tmp/2025-03.ja.langs"
# the catalog: an entry and a card per book, each link to a file that is there
check "catalog.xml: an entry per language book" \
    python3 - "$tmp/split" <<'PY'
import os, re, sys
d = sys.argv[1]
feed = open(os.path.join(d, "catalog.xml"), encoding="utf-8").read()
html = open(os.path.join(d, "index.html"), encoding="utf-8").read()
books = sorted(f for f in os.listdir(d) if f.endswith((".epub", ".pdf")))
links = re.findall(r'href="([^"]+\.(?:epub|pdf))"', feed)
cards = re.findall(r'href="([^"]+\.(?:epub|pdf))"', html)
langs = sorted(re.findall(r"<dc:language>([^<]+)</dc:language>", feed))
ok = sorted(links) == books and sorted(cards) == books and len(langs) == 6
if not ok:
    print("books", books, "feed", links, "page", cards, "langs", langs)
sys.exit(0 if ok else 1)
PY
# a second build is up to date: every book has its own stamp
"$exe" build "$tri" --posts docs -o "$tmp/split" --split-languages 2>"$tmp/again.err"
check "a second split build builds nothing" grep -q "6 books in .*: 0 built, 6 up to date" "$tmp/again.err"

# digest.yaml's languages: each book's title, and splitting on by default
mkdir -p "$tmp/tri2"
cp -r "$tri"/. "$tmp/tri2/site"
printf '%s\n' 'posts: docs' 'languages:' '  zh-CN: {title: 三语周记}' \
    '  en: {title: Notes in Three Languages}' '  ja: {title: 三言語の週記}' >"$tmp/tri2/site/digest.yaml"
"$exe" build "$tmp/tri2/site" -o "$tmp/tri2/out" -q -f epub -m 2025-03 2>"$tmp/tri2.err"
check "languages: in digest.yaml splits by default" test "$(ls "$tmp/tri2/out" | grep -E "\.(epub|pdf)$" | tr '\n' ' ')" = \
    "2025-03.en.epub 2025-03.ja.epub 2025-03.zh-CN.epub "
epub_langs "$tmp/tri2/out/2025-03.en.epub" >"$tmp/tri2.en"
epub_langs "$tmp/tri2/out/2025-03.ja.epub" >"$tmp/tri2.ja"
check "the English book's own title" grep -qx "title: Notes in Three Languages · March 2025" "$tmp/tri2.en"
check "the Japanese book's own title" grep -qx "title: 三言語の週記 · 2025年3月" "$tmp/tri2.ja"
printf '%s\n' 'languages:' '  elvish: {title: x}' '  en: {titel: y}' >"$tmp/tri2/site/digest.yaml"
"$exe" list "$tmp/tri2/site" --posts docs >/dev/null 2>"$tmp/tri2.err"
check "languages: a key that is no tag is an error at its place" \
    grep -q "digest.yaml:2:3: error: 'elvish' in 'languages' is not a language tag" "$tmp/tri2.err"
check "languages: an unknown key is a warning" \
    grep -q "digest.yaml:3:8: warning: unknown key 'titel' in 'languages.en'" "$tmp/tri2.err"

# --- reproducible ---------------------------------------------------------------
"$exe" build "$tri" --posts docs -o "$tmp/split2" -q --split-languages 2>/dev/null
for f in "$tmp/split"/*.epub "$tmp/split"/*.pdf; do
    check "$(basename "$f") byte-identical when built again" cmp -s "$f" "$tmp/split2/$(basename "$f")"
done

# --- a Hugo site that declares its languages: split by default -------------------
"$exe" build "$hugo" -o "$tmp/hugo" -q 2>"$tmp/hugo.err"
check "hugo build exits 0 (a bad tag is a warning)" test $? -eq 0
check "the bad tag is reported at its place" \
    grep -q "bad.md:4:7: warning: 'Klingon language' is not a language tag" "$tmp/hugo.err"
check "hugo: one book per language" test "$(ls "$tmp/hugo" | grep -E "\.(epub|pdf)$" | tr '\n' ' ')" = \
    "2025-05.en-US.epub 2025-05.en-US.pdf 2025-05.ja-JP.epub 2025-05.ja-JP.pdf 2025-05.ko.epub 2025-05.ko.pdf 2025-05.zh-TW.epub 2025-05.zh-TW.pdf "
epub_langs "$tmp/hugo/2025-05.zh-TW.epub" >"$tmp/zhtw.langs"
check "the zh-TW book has its language's title" grep -qx "title: 多語網站 · 2025年5月" "$tmp/zhtw.langs"
check "the zh-TW book's labels are traditional" grep -qx "toc: 目錄" "$tmp/zhtw.langs"
epub_langs "$tmp/hugo/2025-05.ko.epub" >"$tmp/ko.langs"
check "the Korean book: two chapters" grep -qx "chapters: ko ko" "$tmp/ko.langs"
check "the Korean book's title and labels" grep -qx "title: 다국어 사이트 · 2025년 5월" "$tmp/ko.langs"
check "the Korean contents" grep -qx "toc: 목차" "$tmp/ko.langs"
"$exe" build "$hugo" -o "$tmp/hugo1" -q --no-split-languages 2>/dev/null
check "--no-split-languages: one book" test "$(ls "$tmp/hugo1" | grep -E "\.(epub|pdf)$" | tr '\n' ' ')" = "2025-05.epub 2025-05.pdf "
epub_langs "$tmp/hugo1/2025-05.epub" >"$tmp/hugo1.langs"
check "its chapters in their languages" grep -qx "chapters: ko en-US zh-TW ko ja-JP en-US" "$tmp/hugo1.langs"
check "its OPF: the site's language, then the table's, then the rest" \
    grep -qx "opf: en-US zh-TW ko ja-JP" "$tmp/hugo1.langs"
# split_languages: false in digest.yaml does the same
mkdir -p "$tmp/hugo2"
cp -r "$hugo"/. "$tmp/hugo2/site"
printf 'split_languages: false\n' >"$tmp/hugo2/site/digest.yaml"
"$exe" build "$tmp/hugo2/site" -o "$tmp/hugo2/out" -q -f epub 2>/dev/null
check "split_languages: false in digest.yaml" test "$(ls "$tmp/hugo2/out" | grep -E "\.(epub|pdf)$" | tr '\n' ' ')" = "2025-05.epub "

# --- fonts: Korean in the bundled Hangul font, rare syllables included; a
# language's own fonts from digest.yaml -----------------------------------------
check "no character without a glyph" bash -c "! grep -q 'no font has U+' '$tmp/hugo.err'"
check "the Korean book is set in NanumMyeongjo" \
    bash -c "pdffonts '$tmp/hugo/2025-05.ko.pdf' | grep -q NanumMyeongjo"
check "the English book does not need it" \
    bash -c "! pdffonts '$tmp/hugo/2025-05.en-US.pdf' | grep -q NanumMyeongjo"
mkdir -p "$tmp/hugo3"
cp -r "$hugo"/. "$tmp/hugo3/site"
cp "$src/fonts/DejaVuSans.ttf" "$tmp/hugo3/site/latin.ttf"
printf 'fonts:\n  ja: {text: latin.ttf}\n' >"$tmp/hugo3/site/digest.yaml"
"$exe" build "$tmp/hugo3/site" -o "$tmp/hugo3/out" -q -f pdf 2>"$tmp/hugo3.err"
check "fonts.ja: a build with a language's font" test $? -eq 0
check "fonts.ja: the Japanese book's text in it" \
    bash -c "pdffonts '$tmp/hugo3/out/2025-05.ja-JP.pdf' | grep -q DejaVuSans"
check "fonts.ja: the English book's not" \
    bash -c "! pdffonts '$tmp/hugo3/out/2025-05.en-US.pdf' | grep -q DejaVuSans"
printf 'fonts:\n  ja: {text: latin.ttf, italic: x}\n  xx-: y\n' >"$tmp/hugo3/site/digest.yaml"
"$exe" list "$tmp/hugo3/site" >/dev/null 2>"$tmp/hugo3.err"
check "fonts: an unknown key of a language is a warning" \
    grep -q "digest.yaml:2:[0-9]*: warning: unknown key 'italic' in 'fonts.ja'" "$tmp/hugo3.err"
check "fonts: a key that is no language is a warning" \
    grep -q "digest.yaml:3:[0-9]*: warning: unknown key 'xx-'" "$tmp/hugo3.err"

exit $((fail > 0))
