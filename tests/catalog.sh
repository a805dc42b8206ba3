#!/bin/bash
# catalog.sh - the output folder as a library: OUT/catalog.xml is an OPDS
# 1.2 acquisition feed that keeps the Atom and OPDS rules (the feed's id,
# title, updated, author and self link; each entry's id, title, updated,
# cover and thumbnail, and acquisition links for the EPUB and the PDF with
# their media types and lengths); OUT/index.html has a card per month and
# every link and image of both resolves to a file in OUT; headless chromium
# renders index.html (a screenshot is taken).  Incremental: a rebuild with
# nothing changed rewrites no month's entry, and a changed post rewrites
# only its month's (and removes its covers as PNGs, as earlier versions
# wrote them).  Volumes (--period year, all) have entries of their
# own, first and grouped, the same checks passing; they follow their months'
# changes and --prune removes a volume whose months are all gone.
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

# The checks of both files, as check.py OUT MONTHS VOLUMES: the feed has
# MONTHS + VOLUMES entries (the volumes first: the complete volume, then the
# years, newest first; then the months, newest first), index.html as many
# cards, in groups ("Volumes", "Months" in the site's language) only when
# there are volumes; a volume's card lists its parts with their posts.
cat >"$tmp/check.py" <<'PY'
import os, re, sys, zipfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
out, nmonths, nvols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
n = nmonths + nvols
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
need(len(entries) == n, "%d entries, want %d" % (len(entries), n))
ids, books = set(), []
for e in entries:
    title = e.findtext(A + "title")
    for t in ("id", "title", "updated"):
        need(len(e.findall(A + t)) == 1 and (e.findtext(A + t) or "").strip(), "%s: %s" % (title, t))
    ids.add(e.findtext(A + "id"))
    need(e.findtext(A + "summary"), "%s: summary" % title)
    links = e.findall(A + "link")
    rels = [(l.get("rel"), l.get("type")) for l in links]
    for want in (("http://opds-spec.org/image", "image/jpeg"),
                 ("http://opds-spec.org/image/thumbnail", "image/jpeg"),
                 ("http://opds-spec.org/acquisition", "application/epub+zip"),
                 ("http://opds-spec.org/acquisition", "application/pdf")):
        need(want in rels, "%s: link %r" % (title, want))
    for l in links:
        need(resolves(l.get("href")), "%s: %s does not resolve" % (title, l.get("href")))
        if l.get("length"):
            need(int(l.get("length")) == os.path.getsize(os.path.join(out, l.get("href"))),
                 "%s: length of %s" % (title, l.get("href")))
    epub = [l.get("href") for l in links if l.get("type") == "application/epub+zip"]
    books.append(epub[0] if epub else None)
    # the entry is the book's: its title and identifier are the EPUB's
    if epub and resolves(epub[0]):
        opf = zipfile.ZipFile(os.path.join(out, epub[0])).read("OEBPS/content.opf").decode()
        need(re.search(r"<dc:title[^>]*>([^<]*)<", opf).group(1) == title,
             "%s: not the title of %s" % (title, epub[0]))
        need(e.findtext(A + "id") in opf, "%s: not the identifier of %s" % (title, epub[0]))
need(len(ids) == n, "entry ids not distinct")
want = sorted(b for b in books if re.match(r"\d{4}-\d\d\.epub$", b or ""))[::-1]
vols = [b for b in books if not re.match(r"\d{4}-\d\d\.epub$", b or "")]
need(books[nvols:] == want, "months not after the volumes, newest first: %r" % books)
need(len(vols) == nvols and all(v.endswith("-all.epub") == (i == 0) for i, v in enumerate(vols))
     and vols[1:] == sorted(vols[1:])[::-1], "volumes not all, then years newest first: %r" % vols)

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.cards, self.groups, self.parts = [], [], [], {}
        self.where = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.cards.append(a.get("id"))
        if tag == "h2" and a.get("class") == "group":
            self.where = "group"
        if tag == "li" and self.cards and self.cards[-1].startswith("v"):
            self.where = "part"
            self.parts.setdefault(self.cards[-1], []).append("")
        for k in ("href", "src"):
            if a.get(k):
                self.refs.append(a[k])
    def handle_data(self, data):
        if self.where == "group":
            self.groups.append(data)
        elif self.where == "part":
            self.parts[self.cards[-1]][-1] += data
    def handle_endtag(self, tag):
        if tag in ("h2", "li"):
            self.where = None
p = Page()
html = open(os.path.join(out, "index.html"), encoding="utf-8").read()
p.feed(html)
need(len(p.cards) == n, "index.html has %d cards, want %d" % (len(p.cards), n))
need(len(set(p.cards)) == n, "card ids not distinct: %r" % p.cards)
need(all(c.startswith("v") for c in p.cards[:nvols]) and
     all(c.startswith("m") for c in p.cards[nvols:]), "cards: volumes, then months: %r" % p.cards)
need(p.groups == (["合订本", "各期"] if nvols and nmonths else []),
     "groups %r" % p.groups)
need(len(p.refs) == 4 * n + 2, "index.html has %d links and images, want %d (a thumbnail "
     "linking to its cover, an EPUB and a PDF per book, the feed twice)" % (len(p.refs), 4 * n + 2))
imgs = re.findall(r'<img src="([^"]*)"', html)
need(imgs and all(i.endswith(".thumb.jpg") and i.replace(".thumb", "") in p.refs for i in imgs),
     "index.html: the images are thumbnails linking to their covers: %r" % imgs[:3])
for r in p.refs:
    need(resolves(r), "index.html: %s does not resolve" % r)
need("<script" not in html, "a script")
# a volume's card: its parts and their posts, which add up to its chapters
for card, parts in p.parts.items():
    counts = [re.fullmatch(r".+ \((\d+)\)", x) for x in parts]
    need(all(counts), "%s: parts %r" % (card, parts))
    vol = [b for b in vols if b.startswith(card[1:]) or (card == "vall" and b.endswith("-all.epub"))]
    if vol and all(counts):
        z = zipfile.ZipFile(os.path.join(out, vol[0]))
        chapters = len(set(re.findall(r'href="(post-\d+)[^"]*\.xhtml', z.read("OEBPS/nav.xhtml").decode())))
        need(sum(int(c.group(1)) for c in counts) == chapters,
             "%s: parts %r, %d chapters" % (card, parts, chapters))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
check "the months' catalog" python3 "$tmp/check.py" "$out" 3 0

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
# Covers as earlier versions wrote them (PNGs) go when their book is written
# again; another book's stay until it is.
for m in 2025-01 2025-02; do
    : >"$out/covers/$m.png"
    : >"$out/covers/$m.thumb.png"
    : >"$out/.digest-cache/covers/$m-0123456789abcdef.png"
    : >"$out/.digest-cache/covers/$m-0123456789abcdef.thumb.png"
done
printf '\nOne more line.\n' >>"$tmp/site/_posts/2025-02-16-weekly-07.md"
"$digest" build "$tmp/site" -o "$out" -q 2>/dev/null
snap "$tmp/s3"
check "February written again: its PNG covers of old gone, in covers/ and the cache" \
    test -z "$(cd "$out" && ls covers/2025-02*.png .digest-cache/covers/2025-02-*.png 2>/dev/null)"
check "... January's, not written again, still there" \
    test "$(cd "$out" && ls covers/2025-01*.png .digest-cache/covers/2025-01-*.png | wc -l)" -eq 4
rm -f "$out"/covers/2025-01*.png "$out"/.digest-cache/covers/2025-01-*.png
changed=$(diff "$tmp/s2" "$tmp/s3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')
# (the card, whose sizes are rounded, may come out the same: then it is left alone)
check "a changed February post rewrites February's entry only (changed: $changed)" \
    grep -qxE '(2025-02.card.html )?2025-02.entry.xml ' <<<"$changed"

# ---- volumes: entries of their own, kept in sync and pruned --------------------------
# A post of December 2024 makes a second year.  With --period month,year,all
# the catalog has the complete volume, 2025 and 2024, then the four months;
# a rebuild with nothing changed rewrites no entry; a changed February post
# rewrites February's, 2025's and the complete volume's.  The December post
# gone, --prune removes 2024's volume with its entry and cover.
sed -e 's/^date: .*/date: 2024-12-29/' -e 's/^title: .*/title: 周末札记 000/' \
    "$tmp/site/_posts/2025-01-12-weekly-02.md" >"$tmp/site/_posts/2024-12-29-weekly-00.md"
vols=(--period month,year,all)
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" -q 2>/dev/null
check "--period month,year,all: exit 0" test $? -eq 0
check "the volumes' catalog: all, 2025, 2024, then the months" python3 "$tmp/check.py" "$out" 4 3
check "volumes: their covers in OUT/covers" test -s "$out/covers/2024.jpg" -a -s "$out/covers/all.jpg"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$tmp/volumes.png" --window-size=1000,2400 "file://$out/index.html" >/dev/null 2>&1
check "chromium renders index.html with volumes" test -s "$tmp/volumes.png"
[ -n "${DIGEST_CATALOG_SHOT:-}" ] && cp "$tmp/volumes.png" "$DIGEST_CATALOG_SHOT"
snap "$tmp/v1"
cp "$out/catalog.xml" "$tmp/vc1"
sleep 1
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" -q 2>/dev/null
snap "$tmp/v2"
check "volumes: an unchanged build rewrites no entry" cmp -s "$tmp/v1" "$tmp/v2"
check "volumes: an unchanged build keeps catalog.xml" cmp -s "$tmp/vc1" "$out/catalog.xml"
# an OUT of months only, built again: the same catalog (whichever build
# writes it, every book OUT holds is in it)
"$digest" build "$tmp/site" -o "$out" -q 2>/dev/null
check "a build of the months alone keeps the volumes' entries" cmp -s "$tmp/vc1" "$out/catalog.xml"
printf '\nOne more line again.\n' >>"$tmp/site/_posts/2025-02-16-weekly-07.md"
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" -q 2>/dev/null
snap "$tmp/v3"
changed=$(diff "$tmp/v2" "$tmp/v3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')
check "a changed February post rewrites February's, 2025's and all's entries (changed: $changed)" \
    grep -qxE '(2025-02.card.html )?(2025.card.html )?(all.card.html )?2025-02.entry.xml 2025.entry.xml all.entry.xml ' <<<"$changed"
# a fresh volume whose entry is missing (an OUT from before volumes had
# entries) gets it back without being rebuilt
rm "$out/.digest-state/2025.card.html" "$out/.digest-state/2025.entry.xml" "$out/covers/2025.jpg"
cp "$out/2025.epub" "$tmp/2025.epub"
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" 2>"$tmp/log"
check "volumes: an entry lost, the volume is up to date" grep -q '\] 2025: 3 months, up to date' "$tmp/log"
check "... and its entry is back" python3 "$tmp/check.py" "$out" 4 3
check "... its EPUB untouched" cmp -s "$tmp/2025.epub" "$out/2025.epub"
rm "$tmp/site/_posts/2024-12-29-weekly-00.md"
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" 2>"$tmp/log"
check "December 2024 gone: a note names its month and its volume, kept" \
    grep -q '1 volume no longer has posts, its digests kept: 2024' "$tmp/log"
check "... its volume left out of the catalog" python3 "$tmp/check.py" "$out" 3 2
check "... its volume's files still there" test -f "$out/2024.epub" -a -f "$out/.digest-state/2024.stamp"
"$digest" build "$tmp/site" -o "$out" "${vols[@]}" --prune 2>"$tmp/log"
check "--prune: the volume removed" grep -q 'volume 2024 has no posts any more: its digests removed' "$tmp/log"
left=$(cd "$out" && ls -d 2024* .digest-state/2024* covers/2024* 2>/dev/null | tr '\n' ' ')
check "--prune: nothing of 2024 left (got: $left)" test -z "$left"
check "--prune: the complete volume kept" test -f "$out/site-all.epub" -a -f "$out/covers/all.jpg"
check "--prune: the catalog still whole" python3 "$tmp/check.py" "$out" 3 2
exit $fail
