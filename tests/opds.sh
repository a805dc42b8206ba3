#!/usr/bin/env bash
# opds.sh - OUT/catalog.xml against a RELAX NG grammar of Atom (RFC 4287) and
# OPDS 1.2 acquisition feeds (tests/fixtures/opds/opds-acquisition.rng,
# checked by libxml2's xmllint), plus the rules a grammar cannot count: one
# self link, an acquisition link in every entry, an author for every entry,
# unique ids (issue 11, "Done when"); a site split by language has a feed
# per language too, linked as OPDS facets; and each entry's thumbnail is a
# real one, 400 x 640 pixels.  The catalogs of examples/ as months,
# as months and volumes, and split by language; then broken copies, each of
# which must fail, so that the checks are seen to bite.
# $1 = digest executable, $2 = source tree.  Skips (77) without xmllint.
set -u
exe=$1
src=$2
. "$src/tests/lib/check.sh"
need xmllint python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-opds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1743379200
rng=$src/tests/fixtures/opds/opds-acquisition.rng

grammar() { xmllint --noout --relaxng "$rng" "$1" >"$tmp/xmllint.log" 2>&1; }
counts() { # the rules beyond the grammar
    python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
feed = ET.parse(sys.argv[1]).getroot()
bad = []
selfs = [l for l in feed.findall(A + "link") if l.get("rel") == "self"]
if len(selfs) != 1:
    bad.append("%d self links" % len(selfs))
feed_author = feed.find(A + "author") is not None
ids = [feed.findtext(A + "id")]
for e in feed.findall(A + "entry"):
    t = e.findtext(A + "title")
    ids.append(e.findtext(A + "id"))
    acq = [l for l in e.findall(A + "link")
           if (l.get("rel") or "").startswith("http://opds-spec.org/acquisition")]
    if not acq:
        bad.append("%s: no acquisition link" % t)
    if not feed_author and e.find(A + "author") is None:
        bad.append("%s: no author, and none on the feed" % t)
if len(set(ids)) != len(ids):
    bad.append("ids repeat")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
}
valid() { grammar "$1" && counts "$1" >/dev/null; }
invalid() { ! valid "$1"; }

# ---- digest's catalogs are valid ------------------------------------------------
"$exe" build "$src/examples" -o "$tmp/m" -f epub -q --offline 2>/dev/null
check "months: the catalog is written" test -s "$tmp/m/catalog.xml"
check "months: catalog.xml follows the grammar" grammar "$tmp/m/catalog.xml"
check "months: and the rules beyond it" counts "$tmp/m/catalog.xml"
"$exe" build "$src/examples" -o "$tmp/v" -q --offline --period month,year,all 2>/dev/null
check "months and volumes: catalog.xml follows the grammar" grammar "$tmp/v/catalog.xml"
check "months and volumes: and the rules beyond it" counts "$tmp/v/catalog.xml"
check "months and volumes: an entry per book" \
    test "$(grep -c '<entry>' "$tmp/v/catalog.xml")" -eq "$(ls "$tmp/v"/*.epub | wc -l)"
"$exe" build "$src/examples" -o "$tmp/l" -f epub -q --offline --split-languages 2>/dev/null
check "split by language: catalog.xml follows the grammar" grammar "$tmp/l/catalog.xml"
check "split by language: and the rules beyond it" counts "$tmp/l/catalog.xml"
# a site in two languages, split: the whole feed and one per language, each
# linking the others as OPDS facets
site=$tmp/two
mkdir -p "$site/_posts"
printf -- '---\ntitle: "Week one"\ndate: 2025-04-06\nlang: en\n---\n\nA post in English.\n' \
    >"$site/_posts/2025-04-06-en.md"
printf -- '---\ntitle: "第一周"\ndate: 2025-04-06\nlang: zh-CN\n---\n\n中文的一篇。\n' \
    >"$site/_posts/2025-04-06-zh.md"
"$exe" build "$site" -o "$tmp/s" -f epub -q --offline --split-languages --period month,all \
    2>/dev/null
for f in catalog.xml catalog.en.xml catalog.zh-CN.xml; do
    check "two languages: $f follows the grammar" grammar "$tmp/s/$f"
    check "two languages: $f, and the rules beyond it" counts "$tmp/s/$f"
done
facets() { # FEED N ACTIVE: N language facets, ACTIVE (or none) marked active, books of that language only
    python3 - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET
A, O = "{http://www.w3.org/2005/Atom}", "{http://opds-spec.org/2010/catalog}"
feed, n, active = ET.parse(sys.argv[1]).getroot(), int(sys.argv[2]), sys.argv[3]
f = [l for l in feed.findall(A + "link") if l.get("rel") == "http://opds-spec.org/facet"]
on = [l.get("title") for l in f if l.get(O + "activeFacet") == "true"]
ok = len(f) == n and all(l.get(O + "facetGroup") == "Language" for l in f)
ok = ok and on == ([active] if active != "-" else [])
langs = {e.findtext("{http://purl.org/dc/terms/}language") for e in feed.findall(A + "entry")}
ok = ok and (langs == {active} if active != "-" else len(langs) == 2)
sys.exit(0 if ok else 1)
PY
}
check "two languages: the whole feed links both languages' feeds" facets "$tmp/s/catalog.xml" 2 -
check "two languages: the English feed holds the English books" facets "$tmp/s/catalog.en.xml" 2 en
check "two languages: the Chinese feed holds the Chinese books" \
    facets "$tmp/s/catalog.zh-CN.xml" 2 zh-CN
check "two languages: the page links each language's feed" \
    grep -q 'href="catalog.en.xml">en</a>' "$tmp/s/index.html"
# the English post gone (and its books pruned), the site has one language:
# the language feeds go, the whole feed stays valid
rm "$site/_posts/2025-04-06-en.md"
"$exe" build "$site" -o "$tmp/s" -f epub -q --offline --split-languages --period month,all \
    --prune 2>/dev/null
check "one language left: its feeds are gone" \
    test ! -e "$tmp/s/catalog.en.xml" -a ! -e "$tmp/s/catalog.zh-CN.xml"
check "one language left: catalog.xml follows the grammar" grammar "$tmp/s/catalog.xml"
check "one language left: and links no facet" bash -c "! grep -q 'opds-spec.org/facet' '$tmp/s/catalog.xml'"
[ "$fail" -eq 0 ] || cat "$tmp/xmllint.log" >&2
thumbs() { # OUT: each entry's thumbnail is a 400 x 640 JPEG in OUT, smaller than its cover
    python3 - "$1" "$src/tests/lib" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[2])
from jpegsize import jpeg_size
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
out = sys.argv[1]
bad, n = [], 0
for e in ET.parse(os.path.join(out, "catalog.xml")).getroot().findall(A + "entry"):
    links = {l.get("rel"): l.get("href") for l in e.findall(A + "link")}
    t, c = links.get("http://opds-spec.org/image/thumbnail"), links.get("http://opds-spec.org/image")
    if not t or not c or t == c:
        bad.append("%s: thumbnail %s, cover %s" % (e.findtext(A + "title"), t, c)); continue
    n += 1
    if jpeg_size(open(os.path.join(out, t), "rb").read()) != (400, 640):
        bad.append("%s: not a 400 x 640 JPEG" % t)
    if os.path.getsize(os.path.join(out, t)) * 3 > os.path.getsize(os.path.join(out, c)):
        bad.append("%s: not a third of its cover's size" % t)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad or n == 0 else 0)
PY
}
check "thumbnails: 400 x 640, a fraction of the cover, for every entry" thumbs "$tmp/v"

# ---- broken copies fail ---------------------------------------------------------
check "the copy the edits start from is valid" valid "$tmp/m/catalog.xml"
broken() { # WHAT SED-EXPRESSION: a copy of the months' catalog, edited, must fail
    sed -e "$2" "$tmp/m/catalog.xml" >"$tmp/b.xml"
    check "the edit took: $1" bash -c "! cmp -s '$tmp/m/catalog.xml' '$tmp/b.xml'"
    check "fails: $1" invalid "$tmp/b.xml"
}
broken "an entry without its id" '0,/<entry>/!{0,/<id>[^<]*<\/id>/s/<id>[^<]*<\/id>//}'
broken "a date that is not RFC 3339" '0,/<entry>/!{0,/<updated>/s/<updated>[^<]*</<updated>31 March 2025</}'
broken "an acquisition link without its media type" '0,/opds-spec.org\/acquisition/s/ type="application\/epub+zip"//'
broken "a thumbnail that is not an image" 's/\(image\/thumbnail" href="[^"]*" type="\)image\/jpeg/\1text\/html/'
broken "a length that is not a number" '0,/length="/s/length="[0-9]*"/length="big"/'
broken "an entry with no acquisition link" 's/rel="http:\/\/opds-spec.org\/acquisition"/rel="alternate"/g'
broken "two self links" 's/rel="start"/rel="self"/'
broken "an Atom element it does not know" '0,/<entry>/s/<entry>/<entry><shelf>x<\/shelf>/'
broken "an entry without a title" '0,/<entry>/!{0,/<title>/s/<title>[^<]*<\/title>//}'

[ "$fail" -eq 0 ] && echo "opds: the catalogs follow Atom and OPDS 1.2; each broken copy fails"
exit $((fail > 0))
