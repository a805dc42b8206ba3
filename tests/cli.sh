#!/usr/bin/env bash
# cli.sh - the command line's contract: exit statuses, usage errors, one bad
# post never hides the rest, atomic outputs, reproducible and incremental
# builds.  $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
site=$src/tests/fixtures/cli
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"

"$exe" --help >"$tmp/help" 2>&1
check "--help exits 0" test $? -eq 0
check "--help shows usage" grep -q "digest build SITE" "$tmp/help"
"$exe" --version >"$tmp/ver" 2>&1
check "--version exits 0" test $? -eq 0
check "--version prints a version" grep -Eq "^digest [0-9]+\.[0-9]+" "$tmp/ver"
"$exe" >/dev/null 2>&1
check "no command is a usage error (2)" test $? -eq 2
"$exe" frobnicate "$site" >/dev/null 2>&1
check "unknown command is a usage error (2)" test $? -eq 2
"$exe" build "$site" -f docx >/dev/null 2>&1
check "unknown format is a usage error (2)" test $? -eq 2
"$exe" build "$site" -m 2025-13 -o "$tmp/x" >/dev/null 2>&1
check "bad month is a usage error (2)" test $? -eq 2
"$exe" build "$tmp/no-such-site" -o "$tmp/x" >/dev/null 2>&1
check "missing site is an environment error (2)" test $? -eq 2

# list: months and their posts in order; the broken post is reported.
"$exe" list "$site" >"$tmp/list" 2>"$tmp/list.err"
st=$?
check "list with a broken post exits 1" test $st -eq 1
check "list shows January" grep -q "^2025-01" "$tmp/list"
check "list shows February" grep -q "^2025-02" "$tmp/list"
check "list orders posts by date" bash -c "grep -n '第一篇\|第二篇' '$tmp/list' | head -1 | grep -q 第一篇"
check "broken front matter reported with path:line:col" \
    grep -Eq "2025-01-19-broken.md:[0-9]+:[0-9]+: error:" "$tmp/list.err"

# build: the broken post is left out, everything else is built, exit 1.
export SOURCE_DATE_EPOCH=1736000000
"$exe" build "$site" -o "$tmp/out" -f epub -q 2>"$tmp/build.err"
st=$?
check "build with a broken post exits 1" test $st -eq 1
check "January digest written" test -s "$tmp/out/2025-01.epub"
check "February digest written" test -s "$tmp/out/2025-02.epub"
check "no temporary files left" bash -c "! ls '$tmp/out' | grep -q tmp"

# -m restricts the months.
"$exe" build "$site" -o "$tmp/only" -m 2025-02 -f epub -q 2>/dev/null
check "-m builds only that month" bash -c "test -s '$tmp/only/2025-02.epub' && ! test -e '$tmp/only/2025-01.epub'"

# reproducible: a forced rebuild gives the same bytes.
cp "$tmp/out/2025-01.epub" "$tmp/first.epub"
"$exe" build "$site" -o "$tmp/out" -f epub -q --force 2>/dev/null
check "rebuild is byte-identical" cmp -s "$tmp/first.epub" "$tmp/out/2025-01.epub"

# incremental: nothing changed, nothing rewritten.
"$exe" build "$site" -o "$tmp/out" -f epub 2>"$tmp/inc.err"
check "unchanged months are up to date" grep -q "up to date" "$tmp/inc.err"

# atomic: a build whose writes fail keeps the earlier digest intact.  The
# writes fail by the file size limit (SIGXFSZ ignored: write() says EFBIG),
# which binds root too, unlike a read-only folder; the log goes through a
# pipe, which the limit does not touch.
good=$(sha256sum "$tmp/out/2025-02.epub" | cut -d' ' -f1)
(
    trap '' XFSZ
    ulimit -f 0
    exec "$exe" build "$site" -o "$tmp/out" -f epub -q --force 2>&1
) | cat >"$tmp/full.err"
# (since OUT is tried before any work, the probe's write is the one that fails)
check "a failed write is reported" grep -Eq "(2025-02.epub: error: cannot write EPUB|out: error: cannot write here)" "$tmp/full.err"
check "earlier digest kept" test "$(sha256sum "$tmp/out/2025-02.epub" | cut -d' ' -f1)" = "$good"
check "no temporary files left after failed writes" bash -c "! ls -A '$tmp/out' | grep -q tmp"

# a good site exits 0
mkdir -p "$tmp/good/_posts"
cp "$site/_posts/2025-02-02-feb.md" "$tmp/good/_posts/"
"$exe" build "$tmp/good" -f epub -q 2>/dev/null
check "a clean site exits 0 and defaults to SITE/_digests" \
    bash -c "test $? -eq 0 && test -s '$tmp/good/_digests/2025-02.epub'"

if [ "$fail" -ne 0 ]; then
    echo "$fail check(s) failed" >&2
    exit 1
fi
echo "cli: all checks passed"
