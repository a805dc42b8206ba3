#!/usr/bin/env bash
# fetch_offline.sh - remote images fetched by default are safe offline
# (issue 13), counted with strace (the sockets and connections a build
# makes), never timed:
#   1. --offline opens no socket at all, with the test server up and the
#      images not in the cache; the server sees no connection either;
#   2. with the server down, a default build of 3 months of 3 images each
#      on 3 threads tries to connect at most twice (the two first requests
#      in flight to the host: the host is then given up for the whole build),
#      exits 0 and says one thing, the note counting the placeholders, as an
#      --offline build does;
#   3. the next build does not try the host again (remembered for a day);
#      --refresh-images tries it again at once.
# $1 = digest executable, $2 = source tree.  Skips (77) without python3 or
# strace.
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 strace
# shellcheck source=lib/webserver.sh
. "$src/tests/lib/webserver.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-fetchoffline.XXXXXX")
cleanup() {
    server_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1743900000

mkdir -p "$tmp/www/pics" "$tmp/site/_posts"
for i in $(seq 1 9); do cp "$src/examples/img/chart-bandwidth.png" "$tmp/www/pics/p$i.png"; done
server_start "$tmp/www" "$tmp/req.log"
base="http://127.0.0.1:$port/pics"
for m in 1 2 3; do
    {
        printf -- '---\ntitle: Month %s\ndate: 2025-0%s-05 10:00:00 +0800\n---\n' "$m" "$m"
        for i in 1 2 3; do printf '![p](%s/p%s.png)\n\n' "$base" $(((m - 1) * 3 + i)); done
    } >"$tmp/site/_posts/2025-0$m-05-post.md"
done

# strace'd build: LABEL, options...; the trace in $tmp/LABEL.trace (an
# ASan build's leak check cannot run under ptrace: it is left out there)
traced() {
    local label=$1
    shift
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -qq -e trace=socket,connect -o "$tmp/$label.trace" \
        "$exe" build "$tmp/site" -f epub -j 3 -q "$@" 2>"$tmp/$label.log"
}
inet_sockets() { grep -c 'socket(AF_INET' "$tmp/$1.trace"; }
connects() { grep -c "connect(.*sin_port=htons($port)" "$tmp/$1.trace"; }

# 1. --offline, the server up
traced offline -o "$tmp/out-offline" --offline
check "--offline builds (exit 0)" test $? -eq 0
check "--offline opens no network socket (strace)" test "$(inet_sockets offline)" -eq 0
check "--offline: the server saw no connection" \
    test "$(server_stat connections "$tmp/req.log")" -eq 0
check "--offline says one thing: the note" test "$(grep -c . "$tmp/offline.log")" -eq 1
check "--offline's note counts the 9 placeholders" \
    grep -q "note: 9 remote images .*: 9 not in the cache" "$tmp/offline.log"

# 2. the server down
server_stop
traced down -o "$tmp/out"
check "with the server down, the build exits 0" test $? -eq 0
n=$(connects down)
check "with the server down, at most 2 connections tried for 9 images on 3 threads (saw $n)" \
    test "$n" -le 2
check "... and at least one (the check can fail)" test "$n" -ge 1
check "with the server down, one thing said" test "$(grep -c . "$tmp/down.log")" -eq 1
check "... the note counting the placeholders and naming the host" \
    grep -q "note: 9 remote images .*: 9 on hosts that could not be reached, tried once in this build: 127.0.0.1:$port (" "$tmp/down.log"
check "the placeholders are those of --offline: the same EPUB" \
    cmp -s "$tmp/out-offline/2025-02.epub" "$tmp/out/2025-02.epub"

# 3. remembered; --refresh-images tries again
traced again -o "$tmp/out" --force
check "the next build does not try the host again" test "$(connects again)" -eq 0
check "... and says why in its note" grep -q "9 failed less than a day ago" "$tmp/again.log"
traced refresh -o "$tmp/out" --force --refresh-images
n=$(connects refresh)
check "--refresh-images tries the host again, once given up (saw $n)" \
    test "$n" -ge 1 -a "$n" -le 2

if [ "$fail" -ne 0 ]; then
    for f in "$tmp"/*.log; do
        echo "--- $f:" >&2
        cat "$f" >&2
    done
    exit 1
fi
echo "fetch_offline: all checks passed"
