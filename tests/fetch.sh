#!/usr/bin/env bash
# fetch.sh - remote images fetched by default, against a web server on this
# machine's loopback (no network needed): images fetched into
# OUT/.digest-cache and packed into the EPUB and PDF, WebP converted,
# failures reported at their post and line with placeholders kept, a host
# that cannot be reached named once in the closing note, nothing fetched
# again once cached, and no fetching at all with --offline.
# $1 = digest executable, $2 = source tree.
# Skips (77) without python3 (the server), pdfimages or epubcheck (checks of
# the digests).
set -u
exe=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 pdfimages java
jar=/usr/share/java/epubcheck.jar
[ -r "$jar" ] || { echo "skipped: not installed: $jar (Debian epubcheck)"; exit 77; }
# shellcheck source=lib/webserver.sh
. "$src/tests/lib/webserver.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-fetch.XXXXXX")
cleanup() {
    server_stop
    rm -rf "$tmp"
}
trap cleanup EXIT

# What the server serves: a PNG, a WebP, a text file and a large file.
mkdir -p "$tmp/www/pics" "$tmp/site/_posts"
cp "$src/examples/img/chart-bandwidth.png" "$tmp/www/pics/chart.png"
cp "$src/examples/img/sunset.webp" "$tmp/www/pics/sunset.webp"
echo "not an image" >"$tmp/www/pics/note.png"
head -c $((21 * 1024 * 1024)) /dev/zero >"$tmp/www/pics/huge.png"

# A server on a free port of 127.0.0.1; it logs every request.
server_start "$tmp/www" "$tmp/requests.log"
base="http://127.0.0.1:$port/pics"

cat >"$tmp/site/_posts/2025-04-06-remote.md" <<EOF
---
title: 远程图片
date: 2025-04-06 10:00:00 +0800
header-img: $base/sunset.webp
---

一张图表：

![带宽]($base/chart.png)

同一张图再来一次：![again]($base/chart.png)

![不存在]($base/missing.png)

![不是图片]($base/note.png)

<img src="$base/huge.png" alt="太大">

![无人应答一](http://127.0.0.1:1/a.png) ![无人应答二](http://127.0.0.1:1/b.png)
EOF

# a second month, built on another thread, shares an image with the first
cat >"$tmp/site/_posts/2025-05-04-again.md" <<EOF
---
title: 五月
date: 2025-05-04 10:00:00 +0800
---

![又是带宽]($base/chart.png)
EOF

export SOURCE_DATE_EPOCH=1743900000
# --offline: no request, placeholders.
"$exe" build "$tmp/site" -o "$tmp/out0" -q --offline >"$tmp/log0" 2>&1
check "build with --offline exits 0" test $? -eq 0
check "no request with --offline" test ! -s "$tmp/requests.log"
check "no cache with --offline" test ! -d "$tmp/out0/.digest-cache/images"
check "with it, one note counts the placeholders and names the option" \
    grep -q "note: 9 remote images are shown as placeholders with their links: 9 not in the cache, and not fetched (--offline" "$tmp/log0"
check "with it, nothing else is said" test "$(grep -c . "$tmp/log0")" -eq 1

# --fetch-images is still accepted: it says what is now the default.
"$exe" build "$tmp/site" -o "$tmp/out" -q --fetch-images >"$tmp/log1" 2>&1
check "build with --fetch-images exits 0 (failures are warnings)" test $? -eq 0
check "the 404 is reported at its post and line" \
    grep -q "2025-04-06-remote.md:13: warning: image '$base/missing.png' could not be fetched (HTTP 404)" "$tmp/log1"
check "a text answer is refused" grep -q "note.png' could not be fetched (the answer is no PNG" "$tmp/log1"
check "a file over 20 MB is refused" grep -q "huge.png' could not be fetched (larger than 20 MB)" "$tmp/log1"
check "each failure reported once, a host that refuses in the note only" \
    test "$(grep -c 'could not be fetched' "$tmp/log1")" -eq 3
check "one note counts the placeholders, with the host that cannot be reached" \
    grep -q "note: 5 remote images are shown as placeholders with their links: 2 on hosts that could not be reached, tried once in this build: 127.0.0.1:1 (.*); 3 refused in this build" "$tmp/log1"
check "the PNG is fetched once in the build, although used three times in two months" \
    test "$(grep -c '^/pics/chart.png' "$tmp/requests.log")" -eq 1
check "two images in the cache" test "$(ls "$tmp/out/.digest-cache/images" | grep -c '^[0-9a-f]\{16\}$')" -eq 2
check "the index names them and the failures" \
    test "$(grep -c "	ok	" "$tmp/out/.digest-cache/images/index")" -eq 2
python3 - "$tmp/out/2025-04.epub" >"$tmp/epub.txt" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    print(n)
print("".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")))
EOF
check "the PNG is packed into the EPUB" grep -q "images/.*\.png" "$tmp/epub.txt"
check "the WebP header image became a PNG" test "$(grep -c '^OEBPS/images/.*\.png$\|^EPUB/images/.*\.png$\|images/0.*\.png$' "$tmp/epub.txt")" -ge 2
check "the missing image stays a placeholder with its link" grep -q "$base/missing.png" "$tmp/epub.txt"
python3 - "$tmp/out/2025-05.epub" <<'PY'
import sys, zipfile
sys.exit(0 if any(n.endswith(".png") for n in zipfile.ZipFile(sys.argv[1]).namelist()) else 1)
PY
check "the second month has the shared image" test $? -eq 0
check "the PDF has the fetched images" test "$(pdfimages -list "$tmp/out/2025-04.pdf" | grep -c ' image ')" -ge 2
java -jar "$jar" --locale en "$tmp/out/2025-04.epub" >"$tmp/epubcheck.txt" 2>&1
check "epubcheck passes the EPUB with fetched images" test $? -eq 0
check "epubcheck has no warning" test "$(grep -c '^WARNING' "$tmp/epubcheck.txt")" -eq 0
cp "$tmp/out/2025-04.epub" "$tmp/first.epub"
cp "$tmp/out/2025-04.pdf" "$tmp/first.pdf"

# Without options, on a fresh output folder, the images are fetched and
# packed the same: the default fetches.
"$exe" build "$tmp/site" -o "$tmp/outd" -q >"$tmp/logd" 2>&1
check "a build without options exits 0" test $? -eq 0
check "a build without options packs the same EPUB" cmp -s "$tmp/first.epub" "$tmp/outd/2025-04.epub"
check "a build without options packs the same PDF" cmp -s "$tmp/first.pdf" "$tmp/outd/2025-04.pdf"

# Cached: with the server gone nothing is fetched again and the digests are
# the same bytes; the failures are remembered, not tried again.
server_stop
: >"$tmp/requests.log"
"$exe" build "$tmp/site" -o "$tmp/out" -q --force >"$tmp/log2" 2>&1
check "the rebuild exits 0" test $? -eq 0
check "the rebuild's EPUB is identical" cmp -s "$tmp/first.epub" "$tmp/out/2025-04.epub"
check "the rebuild's PDF is identical" cmp -s "$tmp/first.pdf" "$tmp/out/2025-04.pdf"
check "the cached images are not asked for" test ! -s "$tmp/requests.log"
check "the rebuild warns no more: the failures are remembered" \
    test "$(grep -c 'warning' "$tmp/log2")" -eq 0
check "the rebuild's note counts them" \
    grep -q "note: 5 remote images .*: 5 failed less than a day ago and not tried again" "$tmp/log2"
"$exe" build "$tmp/site" -o "$tmp/out" --offline >"$tmp/log2u" 2>&1
check "an --offline build after it is up to date: the cache has all it packed" \
    grep -q ": 0 built, 2 up to date, 0 failed" "$tmp/log2u"
"$exe" build "$tmp/site" -o "$tmp/out" -q --force --offline >"$tmp/log2o" 2>&1
check "an --offline rebuild uses the cache: the same EPUB" cmp -s "$tmp/first.epub" "$tmp/out/2025-04.epub"

# fetch_images in digest.yaml does the same as the options.
printf 'fetch_images: true\n' >"$tmp/site/digest.yaml"
"$exe" build "$tmp/site" -o "$tmp/out" -q --force >"$tmp/log3" 2>&1
check "fetch_images: true uses the cache" cmp -s "$tmp/first.epub" "$tmp/out/2025-04.epub"
printf 'fetch_images: maybe\n' >"$tmp/site/digest.yaml"
"$exe" build "$tmp/site" -o "$tmp/out" -q --force >"$tmp/log4" 2>&1
check "a wrong fetch_images value is reported" grep -q "digest.yaml:1:15: .*fetch_images" "$tmp/log4"

if [ "$fail" -ne 0 ]; then
    echo "--- first build's log:" >&2
    cat "$tmp/log1" >&2
    exit 1
fi
echo "fetch: all checks passed"
