#!/usr/bin/env bash
# symlinks.sh - nothing is read from outside SITE (issue 9, item 1).  Two
# sites are made at run time, each file the site stage reads replaced by a
# symlink to a file outside the site that holds a marker: a post, the
# README.md of a folder post, the dates table named in digest.yaml, a
# template, _config.yml, an image and a header image (site A, Jekyll-like,
# posts in content/); digest.yaml itself and hugo.toml (site B, Hugo).  A
# post symlinked to another file inside the site must still be read.
# Asserted: the exit status (1: a refused post or dates table is an input
# error; site B only refuses settings, which is a warning, so 0), each
# refused file named in a diagnostic of build and of check, and the marker
# in no byte of any EPUB (unzipped) or PDF (pdftotext) while the inside
# post's text is there.  Also --dates naming a table in the site that leads
# out of it: refused, exit 1.
# $1 = digest executable, $2 = source tree.
set -u
exe=$(realpath "$1")
src=$2
# shellcheck source=lib/check.sh
. "$src/tests/lib/check.sh"
need unzip pdftotext grep
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-symlinks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1738000000
marker=OUTSIDE-SECRET-1234
inside=INSIDE-OK-5678

# ---- the files outside the sites, each a valid file of its kind ------------
x=$tmp/outside
mkdir -p "$x"
printf -- '---\ntitle: %s post\ndate: 2026-09-02\n---\n\n%s body\n' "$marker" "$marker" >"$x/post.md"
printf -- '---\ntitle: %s folder\ndate: 2026-09-03\n---\n\n%s folder body\n' "$marker" \
    "$marker" >"$x/README.md"
printf 'path,date\ncontent/undated.md,2026-09-04\n# %s\n' "$marker" >"$x/dates.csv"
printf 'title: %s config\n' "$marker" >"$x/_config.yml"
printf 'author: %s digest\n' "$marker" >"$x/digest.yaml"
printf 'title = "%s hugo"\n' "$marker" >"$x/hugo.toml"
sed "s|<body\([^>]*\)>|<body\1><p>$marker template</p>|" "$src/templates/chapter.xhtml" \
    >"$x/chapter.xhtml"
grep -q "$marker" "$x/chapter.xhtml" || { echo "symlinks: no <body> in chapter.xhtml" >&2; exit 1; }
{ cat "$src/tests/fixtures/content/tiny.png"; printf '%s' "$marker"; } >"$x/img.png"

# ---- site A: posts in content/ ---------------------------------------------
a=$tmp/a
mkdir -p "$a/content/2026-09-03-folder" "$a/img" "$a/notes" "$a/_digest/templates"
printf -- '---\ntitle: Plain\ndate: 2026-09-01\n---\n\nplain text\n\n![](../img/x.png)\n' \
    >"$a/content/2026-09-01-plain.md"
printf -- '---\ntitle: Header\ndate: 2026-09-01\nheader-img: img/h.png\n---\n\nheader text\n' \
    >"$a/content/2026-09-01-header.md"
printf -- '---\ntitle: Undated\n---\n\nundated text\n' >"$a/content/undated.md"
printf -- '---\ntitle: Inside\ndate: 2026-09-05\n---\n\n%s text\n' "$inside" >"$a/notes/inside.md"
ln -s ../notes/inside.md "$a/content/2026-09-05-inside.md"
ln -s "$x/post.md" "$a/content/2026-09-02-x.md"
ln -s "$x/README.md" "$a/content/2026-09-03-folder/README.md"
ln -s "$x/dates.csv" "$a/dates.csv"
ln -s "$x/_config.yml" "$a/_config.yml"
ln -s "$x/chapter.xhtml" "$a/_digest/templates/chapter.xhtml"
ln -s "$x/img.png" "$a/img/x.png"
ln -s "$x/img.png" "$a/img/h.png"
printf 'dates: dates.csv\n' >"$a/digest.yaml"

# ---- site B: Hugo, digest.yaml and hugo.toml out ---------------------------
b=$tmp/b
mkdir -p "$b/content/posts"
printf -- '+++\ntitle = "Hugo post"\ndate = 2026-09-06\n+++\n\n%s hugo text\n' "$inside" \
    >"$b/content/posts/hello.md"
ln -s "$x/digest.yaml" "$b/digest.yaml"
ln -s "$x/hugo.toml" "$b/hugo.toml"

# no byte of the marker in any book under $1; the inside text in each
clean() { # out-folder
    local f n=0
    for f in "$1"/*.epub; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        if unzip -p "$f" | grep -aq "$marker"; then
            echo "$f holds $marker" >&2
            return 1
        fi
        unzip -p "$f" | grep -aq "$inside" || { echo "$f lacks $inside" >&2; return 1; }
    done
    for f in "$1"/*.pdf; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        if pdftotext "$f" - | grep -q "$marker" || grep -aq "$marker" "$f"; then
            echo "$f holds $marker" >&2
            return 1
        fi
        pdftotext "$f" - | grep -q "$inside" || { echo "$f lacks $inside" >&2; return 1; }
    done
    [ "$n" -eq 2 ] || { echo "$1: $n books, expected 2" >&2; return 1; }
}

# each of PATTERNS on a line of FILE that says it was not read
named() { # file pattern...
    local f=$1 p
    shift
    for p in "$@"; do
        grep -E "$p.*(outside the site|not read)" "$f" >/dev/null ||
            { echo "no report naming $p in:" >&2; cat "$f" >&2; return 1; }
    done
}

status() { # expected actual what
    [ "$1" = "$2" ] || { echo "$3: exit $2, expected $1" >&2; return 1; }
}

a_files=("content/2026-09-02-x.md" "content/2026-09-03-folder/README.md" "digest.yaml:1:"
         "_config.yml" "img/x.png" "img/h.png")

(cd "$tmp" && "$exe" build a --posts content -o "$tmp/outa" -m 2026-09) >"$tmp/a.log" 2>&1
rc=$?
check "site A: build exits 1" status 1 "$rc" "build a"
check "site A: no byte from outside in the books" clean "$tmp/outa"
check "site A: build names each refused file" named "$tmp/a.log" "${a_files[@]}" \
    "_digest/templates/chapter.xhtml"
check "site A: the dates table out of the site dated nothing" \
    bash -c "! unzip -p '$tmp/outa/2026-09.epub' | grep -aq Undated"
check "site A: the inside symlink is no error" \
    bash -c "! grep -q 2026-09-05-inside '$tmp/a.log'"
(cd "$tmp" && "$exe" check a --posts content) >"$tmp/ac.log" 2>&1
rc=$?
check "site A: check exits 1" status 1 "$rc" "check a"
check "site A: check names each refused file" named "$tmp/ac.log" "${a_files[@]}" \
    "_digest/templates/chapter.xhtml"

(cd "$tmp" && "$exe" build b -o "$tmp/outb" -m 2026-09) >"$tmp/b.log" 2>&1
rc=$?
check "site B: build exits 0 (settings refused: warnings)" status 0 "$rc" "build b"
check "site B: no byte from outside in the books" clean "$tmp/outb"
check "site B: build names digest.yaml and hugo.toml" named "$tmp/b.log" "b/digest.yaml" \
    "b/hugo.toml"
(cd "$tmp" && "$exe" check b) >"$tmp/bc.log" 2>&1
check "site B: check names digest.yaml and hugo.toml" named "$tmp/bc.log" "b/digest.yaml" \
    "b/hugo.toml"

# --dates naming the site's table: found in the site, so held to it
rm "$a/digest.yaml"
(cd "$tmp" && "$exe" build a --posts content --dates dates.csv -o "$tmp/outc" -m 2026-09) \
    >"$tmp/c.log" 2>&1
rc=$?
check "--dates in the site leading out: exit 1" status 1 "$rc" "build --dates"
check "--dates in the site leading out: named" named "$tmp/c.log" "dates.csv"

# posts: in digest.yaml naming a folder outside the site: refused there (a
# positioned error), the site's own _posts read instead
c=$tmp/c
mkdir -p "$c/_posts"
cp "$a/notes/inside.md" "$c/_posts/2026-09-05-inside.md"
printf 'posts: ../outside\n' >"$c/digest.yaml"
(cd "$tmp" && "$exe" build c -o "$tmp/outd" -m 2026-09) >"$tmp/d.log" 2>&1
rc=$?
check "posts: outside the site: exit 1" status 1 "$rc" "build c"
check "posts: outside the site: named at its line" named "$tmp/d.log" "c/digest.yaml:1:8"
check "posts: outside the site: _posts read instead" clean "$tmp/outd"

# a posts folder of the site that is a symlink out of it: not walked, and
# the site has no posts folder (exit 2, as when it has none)
e=$tmp/e
mkdir -p "$e"
ln -s "$x" "$e/_posts"
(cd "$tmp" && "$exe" build e -o "$tmp/oute") >"$tmp/e.log" 2>&1
rc=$?
check "_posts leading out: exit 2" status 2 "$rc" "build e"
check "_posts leading out: named" named "$tmp/e.log" "e/_posts"
check "_posts leading out: nothing built" bash -c "! ls '$tmp/oute'/*.epub 2>/dev/null"

exit $((fail > 0))
