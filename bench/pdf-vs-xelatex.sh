#!/usr/bin/env bash
# pdf-vs-xelatex.sh - times digest's PDF of one month against pandoc -> xelatex
# (ctex, the same LXGW WenKai font) on the same posts, in the same run.
#
#   bench/pdf-vs-xelatex.sh DIGEST_EXE SITE MONTH [POSTS_DIR]
#
# Prints one Markdown table row: site, month, posts, digest median (s),
# xelatex median (s), speed-up, digest size, xelatex size, digest peak memory.
# Median of 5 runs each (hyperfine).  Needs pandoc, xelatex and hyperfine:
#   apt-get install pandoc texlive-xetex texlive-lang-chinese texlive-latex-recommended \
#     texlive-latex-extra texlive-plain-generic texlive-fonts-recommended lmodern \
#     fonts-lxgw-wenkai hyperfine
set -eu
exe=$(readlink -f "$1")
site=$(readlink -f "$2")
month=$3
posts=${4:-_posts}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$work"/x.pdf "$KEEP"; rm -rf "$work"' EXIT

# The month's posts, as digest itself assigns them.
"$exe" list "$site" --posts "$posts" 2>/dev/null |
    awk -v m="$month" '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]/ {on = ($1 == m)} on && /^  / {
        p = $NF; gsub(/^\(|\)$/, "", p); print p }' >"$work/files"
n=$(wc -l <"$work/files")
[ "$n" -gt 0 ] || { echo "no posts in $month" >&2; exit 1; }
inputs=()
resources=.
while IFS= read -r f; do
    inputs+=("$site/$f")
    resources="$resources:$(dirname "$site/$f")" # images beside the posts
done <"$work/files"

export SOURCE_DATE_EPOCH=1700000000
hyperfine -N --runs 5 --warmup 1 --export-json "$work/d.json" \
    "$exe build $site --posts $posts -m $month -f pdf -o $work/d --force -q" >/dev/null 2>&1
# pandoc has no "month" notion: give it the same files, with a contents page.
cat >"$work/x.sh" <<XEOF
#!/bin/sh
cd "$work" && pandoc $(printf "'%s' " "${inputs[@]}") -f markdown+east_asian_line_breaks \
  --pdf-engine=xelatex -V documentclass=ctexart -V CJKmainfont='LXGW WenKai' \
  -V mainfont='LXGW WenKai' -V geometry=a4paper --toc --resource-path='$resources' \
  -o "$work/x.pdf" >/dev/null 2>&1
XEOF
chmod +x "$work/x.sh"
hyperfine -N --runs 5 --warmup 1 --export-json "$work/x.json" "$work/x.sh" >/dev/null 2>&1
med() { python3 -c "import json,statistics,sys; print('%.3f' % statistics.median(json.load(open(sys.argv[1]))['results'][0]['times']))" "$1"; }
dt=$(med "$work/d.json")
xt=$(med "$work/x.json")
ds=$(stat -c %s "$work/d/$month.pdf")
/usr/bin/time -f %M -o "$work/rss" "$exe" build "$site" --posts "$posts" -m "$month" -f pdf -o "$work/d" --force -q --offline 2>/dev/null || true
rss=$(tail -n 1 "$work/rss")
xs=$(stat -c %s "$work/x.pdf")
python3 -c "import sys; d,x,ds,xs=float('$dt'),float('$xt'),$ds,$xs; print('| %s | %s | %s | %.3f s | %.2f s | %.0fx | %.0f KiB | %.0f KiB | %.0f MiB |' % ('$(basename "$site")','$month',$n,d,x,x/d,ds/1024,xs/1024,$rss/1024))"
