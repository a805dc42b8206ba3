#!/bin/bash
# catalog.sh - the output folder as a library: OUT/catalog.xml is an OPDS
# 1.2 acquisition feed that keeps the Atom and OPDS rules (the feed's id,
# title, updated, author and self link; each entry's id, title, updated,
# cover and thumbnail, and acquisition links for the EPUB and the PDF with
# their media types and lengths); OUT/index.html has a card per month and
# every link and image of both resolves to a file in OUT; headless chromium
# renders index.html (a screenshot is taken).  Incremental: a rebuild with
# nothing changed rewrites no month's entry, and a changed post rewrites
# only its month's.
#   $1  the digest executable    $2  the source tree
# Exit 77 (skipped) when python3 or chromium is missing.
set -u
digest=$1
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need python3 chromium

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-catalog.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
cp -r "$src/examples" "$tmp/site"
rm -rf "$tmp/site/_digests"
out=$tmp/out
"$digest" build "$tmp/site" -o "$out" -q 2>/dev/null || { echo "build failed"; exit 1; }

python3 - "$out" <<'PY' || fail=1
import os, sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
out = sys.argv[1]
A = "{http://www.w3.org/2005/Atom}"
ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"
bad = []
def need(c, what):
    if not c:
        bad.append(what)
def resolves(href):
    p = os.path.normpath(os.path.join(out, href))
    return p.startswith(out + os.sep) and os.path.isfile(p)
feed = ET.parse(os.path.join(out, "catalog.xml")).getroot()
need(feed.tag == A + "feed", "root is not an Atom feed")
for t in ("id", "title", "updated"):
    need(len(feed.findall(A + t)) == 1 and (feed.findtext(A + t) or "").strip(), "feed " + t)
need(feed.find(A + "author/" + A + "name") is not None, "feed author")
self_links = [l for l in feed.findall(A + "link") if l.get("rel") == "self"]
need(len(self_links) == 1 and self_links[0].get("type") == ACQ, "feed self link")
entries = feed.findall(A + "entry")
need(len(entries) == 3, "%d entries, want 3" % len(entries))
ids = set()
for e in entries:
    title = e.findtext(A + "title")
    for t in ("id", "title", "updated"):
        need(len(e.findall(A + t)) == 1 and (e.findtext(A + t) or "").strip(), "%s: %s" % (title, t))
    ids.add(e.findtext(A + "id"))
    need(e.findtext(A + "summary"), "%s: summary" % title)
    links = e.findall(A + "link")
    rels = [(l.get("rel"), l.get("type")) for l in links]
    for want in (("http://opds-spec.org/image", "image/png"),
                 ("http://opds-spec.org/image/thumbnail", "image/png"),
                 ("http://opds-spec.org/acquisition", "application/epub+zip"),
                 ("http://opds-spec.org/acquisition", "application/pdf")):
        need(want in rels, "%s: link %r" % (title, want))
    for l in links:
        need(resolves(l.get("href")), "%s: %s does not resolve" % (title, l.get("href")))
        if l.get("length"):
            need(int(l.get("length")) == os.path.getsize(os.path.join(out, l.get("href"))),
                 "%s: length of %s" % (title, l.get("href")))
need(len(ids) == 3, "entry ids not distinct")

class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.cards = [], 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.cards += 1
        for k in ("href", "src"):
            if a.get(k):
                self.refs.append(a[k])
p = Links()
p.feed(open(os.path.join(out, "index.html"), encoding="utf-8").read())
need(p.cards == 3, "index.html has %d cards" % p.cards)
need(len(p.refs) == 11, "index.html has %d links and images, want 11 (3 covers, 3 EPUBs, 3 PDFs, the feed twice)" % len(p.refs))
for r in p.refs:
    need(resolves(r), "index.html: %s does not resolve" % r)
need("<script" not in open(os.path.join(out, "index.html"), encoding="utf-8").read(), "a script")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$tmp/index.png" --window-size=1000,1100 "file://$out/index.html" >/dev/null 2>&1
check "chromium renders index.html" test -s "$tmp/index.png"

# Incremental: nothing changed, nothing rewritten; a changed post, its month only.
snap() { (cd "$out/.digest-state" && for f in *.card.html *.entry.xml; do
    printf '%s %s\n' "$f" "$(stat -c %Y.%y "$f")"; done) >"$1"; }
snap "$tmp/s1"
cp "$out/catalog.xml" "$tmp/c1"
sleep 1
"$digest" build "$tmp/site" -o "$out" -q 2>/dev/null
snap "$tmp/s2"
check "an unchanged build rewrites no entry" cmp -s "$tmp/s1" "$tmp/s2"
check "an unchanged build keeps catalog.xml" cmp -s "$tmp/c1" "$out/catalog.xml"
printf '\nOne more line.\n' >>"$tmp/site/_posts/2025-02-16-weekly-07.md"
"$digest" build "$tmp/site" -o "$out" -q 2>/dev/null
snap "$tmp/s3"
changed=$(diff "$tmp/s2" "$tmp/s3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')
# (the card, whose sizes are rounded, may come out the same: then it is left alone)
check "a changed February post rewrites February's entry only (changed: $changed)" \
    grep -qxE '(2025-02.card.html )?2025-02.entry.xml ' <<<"$changed"
exit $fail
