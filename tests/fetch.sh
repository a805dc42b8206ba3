#!/usr/bin/env bash
# fetch.sh - --fetch-images against a web server on this machine's loopback
# (no network needed): images fetched into OUT/.digest-cache and packed into
# the EPUB and PDF, WebP converted, failures reported at their post and line
# with placeholders kept, nothing fetched again once cached, and no fetching
# at all without the option.  $1 = digest executable, $2 = source tree.
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
# The server is on this machine: no proxy of the machine's may come between.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
tmp=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
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
cat >"$tmp/server.py" <<'EOF'
import http.server, socketserver, sys, os
os.chdir(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(sys.argv[2], "a") as f:
            f.write(self.path + "\n")
class S(socketserver.ThreadingTCPServer):
    request_queue_size = 64  # digest opens 8 connections at once
    daemon_threads = True
with S(("127.0.0.1", 0), H) as s:
    with open(sys.argv[3], "w") as f:
        f.write(str(s.server_address[1]))
    s.serve_forever()
EOF
python3 "$tmp/server.py" "$tmp/www" "$tmp/requests.log" "$tmp/port" 2>"$tmp/server.err" &
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
if [ -z "$port" ]; then
    echo "FAIL: the test's web server did not start:" >&2
    cat "$tmp/server.err" >&2
    exit 1
fi
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
# Without the option: no request, placeholders.
"$exe" build "$tmp/site" -o "$tmp/out0" -q >"$tmp/log0" 2>&1
check "build without --fetch-images exits 0" test $? -eq 0
check "no request without --fetch-images" test ! -s "$tmp/requests.log"
check "no image cache without --fetch-images" test ! -d "$tmp/out0/.digest-cache/images"
check "without it, a note counts the placeholders and names the option" \
    grep -q "note: 9 remote images are shown as placeholders with their links; --fetch-images" "$tmp/log0"

"$exe" build "$tmp/site" -o "$tmp/out" -q --fetch-images >"$tmp/log1" 2>&1
check "build with --fetch-images exits 0 (failures are warnings)" test $? -eq 0
check "the 404 is reported at its post and line" \
    grep -q "2025-04-06-remote.md:13: warning: image '$base/missing.png' could not be fetched (HTTP 404)" "$tmp/log1"
check "a text answer is refused" grep -q "note.png' could not be fetched (the answer is no PNG" "$tmp/log1"
check "a file over 20 MB is refused" grep -q "huge.png' could not be fetched (larger than 20 MB)" "$tmp/log1"
check "each failure reported once" test "$(grep -c 'could not be fetched' "$tmp/log1")" -eq 5
check "a host that refuses is reported for each of its images" \
    test "$(grep -c "127.0.0.1:1/[ab].png' could not be fetched (.*connect" "$tmp/log1")" -eq 2
check "the PNG is fetched once a month at most, although used three times" \
    test "$(grep -c '/pics/chart.png' "$tmp/requests.log")" -le 2
check "two images in the cache" test "$(ls "$tmp/out/.digest-cache/images" | wc -l)" -eq 2
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

# Cached: with the server gone nothing is fetched again and the digests are
# the same bytes (the failures are tried again, and fail again).
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=
: >"$tmp/requests.log"
"$exe" build "$tmp/site" -o "$tmp/out" -q --fetch-images --force >"$tmp/log2" 2>&1
check "the rebuild exits 0" test $? -eq 0
check "the rebuild's EPUB is identical" cmp -s "$tmp/first.epub" "$tmp/out/2025-04.epub"
check "the rebuild's PDF is identical" cmp -s "$tmp/first.pdf" "$tmp/out/2025-04.pdf"
check "the cached images are not asked for" test ! -s "$tmp/requests.log"

# fetch_images in digest.yaml does the same as the option.
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
