#!/usr/bin/env bash
# volumes.sh - the volume benchmarks of docs/BENCHMARKS.md (issue 12).
#
#   bench/volumes.sh DIGEST_EXE [RUNS]
#
# On the 10-year synthetic site of bench/gensite.py (as bench/archive.sh
# makes it), median of RUNS (default 5) with hyperfine, SOURCE_DATE_EPOCH
# fixed, --force: the 10 yearly volumes (--period year) and the complete
# volume (--period all), EPUB+PDF at -j 2, and each format alone; a no-op
# rebuild of months and volumes.  Peak RSS of each from GNU time (%M, the
# "Maximum resident set size" of time -v).  Prints a Markdown table on
# stdout; progress on stderr.  Needs hyperfine, python3, /usr/bin/time.
set -eu
exe=$(readlink -f "$1")
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
for t in hyperfine python3 /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "volumes.sh: $t is missing" >&2; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000 HOME=$work

stats() {
    python3 - "$1" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f s | %.2f s" % (statistics.median(r["times"]), r["user"] + r["system"]))
EOF
}
rss() {
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    echo "$(($(tail -n 1 "$work/rss") / 1024)) MiB"
}
row() { # label command...
    local label=$1
    shift
    echo "volumes.sh: $label" >&2
    hyperfine -N --runs "$runs" --export-json "$work/h.json" "$*" >/dev/null 2>&1
    echo "| $label | $(stats "$work/h.json") | $(rss "$@") |"
}

site=$work/site10
python3 "$here/gensite.py" "$site" --years 10 --start 2015 >&2
posts=$(find "$site/_posts" -name '*.md' | wc -l)
b=("$exe" build "$site" -q --offline -j 2)
echo "| 10-year site ($posts posts): volumes | median of $runs | CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|"
row "10 yearly volumes, EPUB+PDF, \`--period year\`" "${b[@]}" -o "$work/y" --period year --force
row "10 yearly volumes, EPUB only" "${b[@]}" -o "$work/ye" --period year -f epub --force
row "complete volume, EPUB+PDF, \`--period all\`" "${b[@]}" -o "$work/a" --period all --force
row "complete volume, EPUB only" "${b[@]}" -o "$work/ae" --period all -f epub --force
row "complete volume, PDF only" "${b[@]}" -o "$work/ap" --period all -f pdf --force
"${b[@]}" -o "$work/n" --period month,year,all
row "no-op, \`--period month,year,all\`" "${b[@]}" -o "$work/n" --period month,year,all
pages=$(mutool info "$work/a/site10-all.pdf" 2>/dev/null | sed -n 's/^Pages: //p')
echo
echo "The complete volume: ${pages:-?} PDF pages, $(($(stat -c %s "$work/a/site10-all.pdf") / 1048576)) MiB PDF, $(($(stat -c %s "$work/a/site10-all.epub") / 1048576)) MiB EPUB."
