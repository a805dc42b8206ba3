#!/bin/bash
# url_host_epubcheck.sh - a link whose host holds percent-escapes that decode
# to no host name ("read.example%2A%2A") becomes text in the EPUB, and the
# book passes epubcheck with no warning (issue 9, item 7: decoded to
# "read.example**", epubcheck warned RSC-023; kept escaped, it warns the
# same).  A Unicode host still becomes its punycode form.
#   $1  the digest executable    $2  the source tree
set -u
digest=$1
. "$2/tests/lib/check.sh"
need java unzip
jar=/usr/share/java/epubcheck.jar
if [ ! -r "$jar" ]; then
    echo "skipped: no $jar"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-urlhost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/site/_posts"
cat >"$tmp/site/_posts/2026-09-01-links.md" <<'MD'
---
title: Links
---
Read [this](https://read.example%2A%2A/p/x), [that](https://a%20b.example/q)
and [例子](https://例子.com/a).
MD

"$digest" build "$tmp/site" -o "$tmp/out" -f epub -q >"$tmp/log" 2>&1
rc=$?
check "digest build exits 0, not $rc" test $rc -eq 0
check "a warning names the link kept as text" \
    grep -qF "warning: link to 'https://read.example%2A%2A/p/x' kept as text" "$tmp/log"
book=$tmp/out/2026-09.epub
unzip -p "$book" OEBPS/post-01.xhtml >"$tmp/post.xhtml" 2>/dev/null
check "the link to the escaped host is text" bash -c "! grep -qF 'read.example' '$tmp/post.xhtml' && grep -qF 'Read this, that' '$tmp/post.xhtml'"
check "a Unicode host is punycode" grep -qF 'href="https://xn--fsqu00a.com/a"' "$tmp/post.xhtml"
check "no '*' in a host" bash -c "! grep -qF 'read.example**' '$tmp/post.xhtml'"
out=$(java -jar "$jar" --locale en --failonwarnings "$book" 2>&1)
status=$?
check "epubcheck passes with no warning" test $status -eq 0
if printf '%s\n' "$out" | grep -qE '^(FATAL|ERROR|WARNING)'; then
    printf '%s\n' "$out" | grep -E '^(FATAL|ERROR|WARNING)' >&2
    fail=$((fail + 1))
fi
exit $fail
