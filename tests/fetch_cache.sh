#!/usr/bin/env bash
# fetch_cache.sh - the fetching of remote images and the cache they go to
# (issue 13), against the web server of tests/lib/webserver.py on this
# machine's loopback (no network needed):
#   1. --offline and fetch_images: false open no connection (the server
#      counts them: 0);
#   2. politeness: at most 2 requests at once to the host, also with months
#      built on 3 threads (the server counts the requests in progress), each
#      image asked for once, "User-Agent: digest/VERSION", no cookie sent
#      back, redirects capped;
#   3. failures remembered with their reason and time, not tried again for
#      a day (a fake clock: DIGEST_TEST_NOW), --refresh-images tries them
#      and revalidates the cached images (304: the same digest); digest
#      check lists them at their post and line;
#   4. least-recently-used eviction at --image-cache-max, digest cache
#      stats, prune and clear;
#   5. two builds sharing one cache at once: both succeed, the index is
#      whole and names every image once.
# $1 = digest executable, $2 = source tree.  Skips (77) without python3.
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3
# shellcheck source=lib/webserver.sh
. "$src/tests/lib/webserver.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-fetchcache.XXXXXX")
cleanup() {
    server_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
export SOURCE_DATE_EPOCH=1743900000
T=1800000000 # the fake clock: 2027-01-15 08:00 UTC
DAY=86400

png=$src/examples/img/chart-bandwidth.png
size=$(stat -c %s "$png")
mkdir -p "$tmp/www/pics"
for i in $(seq 1 20); do cp "$png" "$tmp/www/pics/p$i.png"; done
echo "not an image" >"$tmp/www/pics/note.png"
# each answer takes 0.3 s: transfers overlap, and the server sees how many
server_start "$tmp/www" "$tmp/req.log" 0.3
base="http://127.0.0.1:$port/pics"
requests() { grep -c "^$1[[:space:]]" "$tmp/req.log"; } # path

# post SITE DATE IMAGE...: a post of DATE (YYYY-MM-DD) showing the images,
# one a line (line 5 is the first)
post() {
    local site=$1 date=$2
    shift 2
    mkdir -p "$site/_posts"
    {
        printf -- '---\ntitle: Post of %s\ndate: %s 10:00:00 +0800\n---\n' "$date" "$date"
        for img in "$@"; do printf '![%s](%s)\n\n' "$img" "$img"; done
    } >"$site/_posts/$date-post.md"
}

# ---- 1. --offline and fetch_images: false open no connection ----------------
s1=$tmp/s1
post "$s1" 2025-01-05 "$base/p1.png" "$base/p2.png" "$base/p3.png" "$base/p4.png"
post "$s1" 2025-02-05 "$base/p5.png" "$base/p6.png" "$base/p7.png" "$base/p8.png"
post "$s1" 2025-03-05 "$base/p9.png" "$base/p10.png" "$base/p11.png" "$base/p12.png"
"$exe" build "$s1" -o "$tmp/o1" -f epub -j 3 -q --offline 2>"$tmp/log"
check "--offline builds (exit 0)" test $? -eq 0
check "--offline: no connection to the server" test "$(server_stat connections "$tmp/req.log")" -eq 0
printf 'fetch_images: false\n' >"$s1/digest.yaml"
"$exe" build "$s1" -o "$tmp/o1" -f epub -j 3 -q 2>"$tmp/log"
check "fetch_images: false: no connection to the server" \
    test "$(server_stat connections "$tmp/req.log")" -eq 0
check "fetch_images: false: one note" \
    grep -q "note: 12 remote images .*: 12 not in the cache, and not fetched" "$tmp/log"
"$exe" build "$s1" -o "$tmp/o1x" -f epub -j 3 -q --offline --fetch-images -m 2025-01 2>"$tmp/log"
check "--fetch-images after --offline, over fetch_images: false, fetches" \
    test "$(server_stat connections "$tmp/req.log")" -eq 4
rm "$s1/digest.yaml" "$tmp/req.log"

# ---- 2. politeness ------------------------------------------------------------
"$exe" build "$s1" -o "$tmp/o1" -f epub -j 3 -q 2>"$tmp/log"
check "the default build fetches (exit 0)" test $? -eq 0
check "nothing said: every image came" test ! -s "$tmp/log"
most=$(server_stat max_active "$tmp/req.log")
check "at most 2 requests at once to the host, with 3 months on 3 threads (saw $most)" \
    test "$most" -le 2
check "the 2 allowed are used (saw $most)" test "$most" -eq 2
for i in $(seq 1 12); do
    check "p$i.png asked for once" test "$(requests "/pics/p$i.png")" -eq 1
done
version=$("$exe" --version | awk '{print $2}')
check "every image asked for once in all" test "$(wc -l <"$tmp/req.log")" -eq 12
check "every request says User-Agent: digest/$version" \
    test "$(cut -f2 "$tmp/req.log" | sort -u)" = "digest/$version"
check "no credentials sent" test -z "$(cut -f4 "$tmp/req.log" | sort -u)"
check "the images are packed (the cover image aside)" \
    test "$(python3 -c 'import sys,zipfile; print(sum(n.endswith(".png") and not n.endswith("/cover.jpg") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$tmp/o1/2025-02.epub")" -eq 4

# ---- 3. failures remembered ---------------------------------------------------
s3=$tmp/s3
post "$s3" 2025-04-06 "$base/p13.png" "$base/missing.png" "$base/note.png" \
    "http://127.0.0.1:$port/loop" "http://user:secret@127.0.0.1:$port/pics/p17.png"
: >"$tmp/req.log"
DIGEST_TEST_NOW=$T "$exe" build "$s3" -o "$tmp/o3" -f epub -q 2>"$tmp/log3a"
check "a build with failures exits 0" test $? -eq 0
check "the 404 is warned at its line" \
    grep -q "2025-04-06-post.md:7: warning: image '$base/missing.png' could not be fetched (HTTP 404)" "$tmp/log3a"
check "redirects are capped" grep -q "loop' could not be fetched (.*[Rr]edirect" "$tmp/log3a"
check "the redirect loop stopped after 5 redirects" test "$(grep -c '^/loop' "$tmp/req.log")" -eq 6
check "no cookie sent back" test -z "$(cut -f3 "$tmp/req.log" | sort -u)"
check "an address with a user name and password is refused" \
    grep -q "p17.png' could not be fetched (the address holds a user name or password" "$tmp/log3a"
check "... and not asked for" test "$(requests /pics/p17.png)" -eq 0
index=$tmp/o3/.digest-cache/images/index
check "the index remembers the 404 with its time" \
    grep -q "	http	$T	-	-	HTTP 404	$base/missing.png\$" "$index"
check "the index remembers the text answer" grep -q "	not-image	$T	.*note.png\$" "$index"
cp "$tmp/o3/2025-04.epub" "$tmp/s3-first.epub"

"$exe" check "$s3" -o "$tmp/o3" >"$tmp/check.out" 2>"$tmp/check.err"
check "digest check lists the 404 at its post and line" \
    grep -q "2025-04-06-post.md:7:[0-9]*: warning: image '$base/missing.png' could not be fetched on 2027-01-15 08:00 UTC (http: HTTP 404)" "$tmp/check.err"
check "digest check lists the four failures" \
    test "$(grep -c 'could not be fetched on' "$tmp/check.err")" -eq 4

: >"$tmp/req.log"
DIGEST_TEST_NOW=$((T + 3600)) "$exe" build "$s3" -o "$tmp/o3" -f epub -q --force 2>"$tmp/log3b"
check "an hour later, nothing is asked for" test ! -s "$tmp/req.log"
check "an hour later, no warning, one note" test "$(grep -c . "$tmp/log3b")" -eq 1
check "an hour later, the note counts the remembered failures" \
    grep -q "4 failed less than a day ago and not tried again" "$tmp/log3b"
check "an hour later, the same digest" cmp -s "$tmp/s3-first.epub" "$tmp/o3/2025-04.epub"

DIGEST_TEST_NOW=$((T + DAY)) "$exe" build "$s3" -o "$tmp/o3" -f epub -q --force 2>/dev/null
check "a day later, the 404 is tried again" test "$(requests /pics/missing.png)" -eq 1
check "a day later, the cached image is not asked for" test "$(requests /pics/p13.png)" -eq 0
check "the index has the new time" grep -q "	http	$((T + DAY))	.*missing.png\$" "$index"

: >"$tmp/req.log"
DIGEST_TEST_NOW=$((T + DAY + 60)) "$exe" build "$s3" -o "$tmp/o3" -f epub -q --refresh-images \
    2>/dev/null
check "--refresh-images tries the failures now" test "$(requests /pics/missing.png)" -eq 1
check "--refresh-images revalidates the cached image with If-Modified-Since" \
    test -n "$(grep '^/pics/p13.png' "$tmp/req.log" | cut -f6)"
check "--refresh-images: the unchanged image gives the same digest" \
    cmp -s "$tmp/s3-first.epub" "$tmp/o3/2025-04.epub"

# ---- 4. eviction, digest cache ------------------------------------------------
s4=$tmp/s4
post "$s4" 2025-01-05 "$base/p14.png"
post "$s4" 2025-02-05 "$base/p15.png"
post "$s4" 2025-03-05 "$base/p16.png"
max=$((size * 5 / 2)) # room for two images
b4() { # clock, month, options...
    local now=$1 month=$2
    shift 2
    DIGEST_TEST_NOW=$now "$exe" build "$s4" -o "$tmp/o4" -f epub -m "$month" \
        --image-cache-max "$max" "$@" 2>"$tmp/log4"
}
cached() { grep -q "	ok	.*/pics/$1\$" "$tmp/o4/.digest-cache/images/index"; }
notcached() { ! cached "$1"; }
b4 $((T + 10)) 2025-01 -q
b4 $((T + 20)) 2025-02 -q
b4 $((T + 30)) 2025-01 -q --offline --force # p14 used again: now more recent than p15
b4 $((T + 40)) 2025-03
check "the cache over its limit evicts one image" \
    grep -q "image cache: 1 least recently used image removed" "$tmp/log4"
check "the least recently used image went" notcached p15.png
check "the image used again stayed" cached p14.png
check "the new image stayed" cached p16.png
check "two image files are left" \
    test "$(ls "$tmp/o4/.digest-cache/images" | grep -c '^[0-9a-f]\{16\}$')" -eq 2

"$exe" cache stats "$s4" -o "$tmp/o4" >"$tmp/stats" 2>&1
check "cache stats exits 0" test $? -eq 0
check "cache stats names the folder" grep -qx "image cache: $tmp/o4/.digest-cache/images" "$tmp/stats"
check "cache stats counts the images, their size and the limit" \
    grep -qx "images: 2, .*($((size * 2)) bytes) of 2.0 GiB (2147483648 bytes) (used from 2027-01-15 to 2027-01-15)" "$tmp/stats"
check "cache stats counts no failure" grep -qx "failures: 0" "$tmp/stats"
DIGEST_TEST_NOW=$((T + 3 * DAY)) "$exe" cache stats "$s3" -o "$tmp/o3" >"$tmp/stats3" 2>&1
check "cache stats counts the failures by kind" \
    grep -qx "failures: 4 (http 3, not-image 1), 4 older than a day (tried again by the next build)" "$tmp/stats3"
touch "$tmp/o4/.digest-cache/images/0123456789abcdef"
"$exe" cache stats "$s4" -o "$tmp/o4" >"$tmp/stats" 2>&1
check "cache stats counts a file the index does not name" \
    grep -q "not in the index: 1 file" "$tmp/stats"
DIGEST_TEST_NOW=$((T + 50)) "$exe" cache prune "$s4" -o "$tmp/o4" --image-cache-max $((size * 3 / 2)) \
    >"$tmp/prune" 2>&1
check "cache prune exits 0" test $? -eq 0
check "cache prune evicts down to the limit and removes the stray file" \
    grep -qx "image cache: 2 files removed ($size bytes), 0 entries dropped" "$tmp/prune"
check "cache prune kept the most recently used" cached p16.png
"$exe" cache clear "$s4" -o "$tmp/o4" >"$tmp/clear" 2>&1
check "cache clear removes the rest" grep -qx "image cache: 1 file removed ($size bytes)" "$tmp/clear"
"$exe" cache stats "$s4" -o "$tmp/o4" >"$tmp/stats" 2>&1
check "after cache clear, no image" grep -qx "images: 0, 0 bytes of 2.0 GiB (2147483648 bytes)" "$tmp/stats"
"$exe" cache frobnicate "$s4" -o "$tmp/o4" >/dev/null 2>"$tmp/err"
check "an unknown cache action is a usage error" test $? -eq 2

# ---- 5. two builds sharing one cache --------------------------------------------
s5=$tmp/s5
post "$s5" 2025-01-05 "$base/p1.png" "$base/p2.png" "$base/p3.png" "$base/p4.png" "$base/p5.png"
post "$s5" 2025-02-05 "$base/p6.png" "$base/p7.png" "$base/p8.png" "$base/p9.png" "$base/p10.png"
post "$s5" 2025-03-05 "$base/p11.png" "$base/p12.png" "$base/p13.png" "$base/p14.png" "$base/p15.png"
post "$s5" 2025-04-05 "$base/p16.png" "$base/p17.png" "$base/p18.png" "$base/p19.png" "$base/p20.png"
for round in 1 2 3; do
    out=$tmp/o5-$round
    "$exe" build "$s5" -o "$out" -f epub -j 2 -q 2>"$tmp/log5a" &
    a=$!
    "$exe" build "$s5" -o "$out" -f epub -j 2 -q 2>"$tmp/log5b" &
    b=$!
    wait $a
    sa=$?
    wait $b
    sb=$?
    check "round $round: both builds succeed ($sa, $sb)" test "$sa$sb" = 00
    idx=$out/.digest-cache/images/index
    check "round $round: the index begins with its header" \
        test "$(head -1 "$idx")" = "digest-image-cache 1"
    check "round $round: every line of the index is whole" \
        test "$(tail -n +2 "$idx" | awk -F'\t' 'NF != 9' | wc -l)" -eq 0
    check "round $round: the index names the 20 images, each once" \
        test "$(tail -n +2 "$idx" | awk -F'\t' '$4 == "ok" { print $9 }' | sort -u | wc -l)" -eq 20
    check "round $round: 20 index lines" test "$(tail -n +2 "$idx" | wc -l)" -eq 20
    check "round $round: 20 image files" \
        test "$(ls "$out/.digest-cache/images" | grep -c '^[0-9a-f]\{16\}$')" -eq 20
    "$exe" cache stats "$s5" -o "$out" >"$tmp/stats5" 2>&1
    check "round $round: cache stats sees them" \
        grep -q "^images: 20, .*($((size * 20)) bytes) of" "$tmp/stats5"
done

if [ "$fail" -ne 0 ]; then
    for f in "$tmp"/log*; do
        echo "--- $f:" >&2
        cat "$f" >&2
    done
    exit 1
fi
echo "fetch_cache: all checks passed"
