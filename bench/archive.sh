#!/usr/bin/env bash
# archive.sh - the archive benchmarks of docs/BENCHMARKS.md (issue 12).
#
#   bench/archive.sh DIGEST_EXE [RUNS] [FANOUT_SITES]
#
# On synthetic sites from bench/gensite.py (deterministic), median of RUNS
# (default 5) with hyperfine, SOURCE_DATE_EPOCH fixed:
#   1. a 10-year weekly site (522 posts, 120 months): EPUB+PDF at -j1 and
#      -j2, EPUB only at -j2, a no-op rebuild, a rebuild after one post
#      changed (and that month alone, --force), peak RSS of each;
#   2. pandoc making the same 120 EPUBs (one per month, through GNU parallel
#      -j2 as digest uses two workers; its input prepared beforehand,
#      untimed: each month's posts in one file, titles as headings);
#   3. fan-out: FANOUT_SITES (default 200) one-year sites through
#      `digest plan | parallel -j2`, as books (months: one EPUB and one PDF
#      each) per second per core.
# Prints Markdown tables on stdout; progress on stderr.  Needs hyperfine,
# pandoc, parallel, python3 and GNU time (/usr/bin/time).
set -eu
exe=$(readlink -f "$1")
runs=${2:-5}
nsites=${3:-200}
here=$(cd "$(dirname "$0")" && pwd)
for t in hyperfine pandoc parallel python3 /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "archive.sh: $t is missing" >&2; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000 HOME=$work PARALLEL_HOME=$work/.parallel
cores=$(nproc)

# median, mean user and mean system time of a hyperfine JSON
stats() {
    python3 - "$1" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f s | %.2f s" % (statistics.median(r["times"]), r["user"] + r["system"]))
EOF
}
rss() { # peak RSS in MiB of the command
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    echo "$(($(tail -n 1 "$work/rss") / 1024)) MiB"
}
bench() { # NAME [hyperfine options --] COMMAND: one table row
    local name=$1
    shift
    echo "archive.sh: $name" >&2
    hyperfine -N --runs "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1
}

site=$work/site10
python3 "$here/gensite.py" "$site" --years 10 --start 2015 >&2
posts=$(find "$site/_posts" -name '*.md' | wc -l)
months=$("$exe" list "$site" 2>/dev/null | grep -c '^[0-9]')
out=$work/out
echo "| 10-year site ($posts posts, $months months) | median of $runs | CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|"
for j in 1 2; do
    cmd=("$exe" build "$site" -o "$out" -j "$j" -q --force)
    bench "epub+pdf -j$j" "${cmd[*]}"
    echo "| EPUB+PDF, \`-j $j\` | $(stats "$work/h.json") | $(rss "${cmd[@]}") |"
done
cmd=("$exe" build "$site" -o "$work/epub" -f epub -j 2 -q --force)
bench "epub -j2" "${cmd[*]}"
echo "| EPUB only, \`-j 2\` | $(stats "$work/h.json") | $(rss "${cmd[@]}") |"
epub_median=$(python3 -c "import json,statistics,sys; print(statistics.median(json.load(open(sys.argv[1]))['results'][0]['times']))" "$work/h.json")
"$exe" build "$site" -o "$out" -j 2 -q
cmd=("$exe" build "$site" -o "$out" -j 2 -q)
bench "no-op" --warmup 1 "${cmd[*]}"
echo "| no-op rebuild, \`-j 2\` | $(stats "$work/h.json") | $(rss "${cmd[@]}") |"
post=$(find "$site/_posts" -name '2020-06-14-*.md')
bench "one post changed" --prepare "sh -c 'echo Another line. >>$post'" "${cmd[*]}"
echo "| one post changed (2020-06), \`-j 2\` | $(stats "$work/h.json") | $(rss "${cmd[@]}") |"
cmd=("$exe" build "$site" -o "$out" -m 2020-06 -j 2 -q --force)
bench "its month alone" "${cmd[*]}"
echo "| that month alone, \`-m 2020-06 --force\` | $(stats "$work/h.json") | $(rss "${cmd[@]}") |"

# ---- pandoc, the same 120 EPUBs --------------------------------------------------
pin=$work/pandoc-in
mkdir -p "$pin" "$work/pandoc-out"
python3 - "$site" "$pin" <<'EOF'
import os, re, sys
site, out = sys.argv[1], sys.argv[2]
by_month = {}
for name in sorted(os.listdir(os.path.join(site, "_posts"))):
    text = open(os.path.join(site, "_posts", name), encoding="utf-8").read()
    fm, body = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
    title = re.search(r'^title: "(.*)"$', fm, re.M).group(1)
    body = body.replace("](/img/", "](img/")
    by_month.setdefault(name[:7], []).append("# %s\n\n%s" % (title, body))
for m, parts in by_month.items():
    with open(os.path.join(out, m + ".md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: \"Synthetic Weekly · %s\"\nlang: zh-CN\n---\n\n" % m)
        f.write("\n\n".join(parts))
EOF
pcmd="parallel -j 2 pandoc -f markdown -t epub3 --resource-path=$site -o $work/pandoc-out/{/.}.epub {} ::: $pin/*.md"
echo "archive.sh: pandoc" >&2
hyperfine --runs "$runs" --export-json "$work/h.json" "$pcmd" >/dev/null 2>&1
pandoc_median=$(python3 -c "import json,statistics,sys; print(statistics.median(json.load(open(sys.argv[1]))['results'][0]['times']))" "$work/h.json")
echo "| pandoc, the same $(ls "$pin" | wc -l) EPUBs (\`parallel -j 2 pandoc\`) | $(stats "$work/h.json") | |"
echo
python3 -c "import sys; print('EPUB only: digest is %.1fx faster than pandoc (medians %.2f s and %.2f s).' % (float(sys.argv[2]) / float(sys.argv[1]), float(sys.argv[1]), float(sys.argv[2])))" "$epub_median" "$pandoc_median"

# ---- fan-out: many one-year sites through plan | parallel --------------------------
echo "archive.sh: $nsites one-year sites" >&2
for i in $(seq 1 "$nsites"); do
    python3 "$here/gensite.py" "$work/sites/s$i" --years 1 --start 2024 --seed "$i" \
        --title "Site $i" >/dev/null
done
"$exe" plan "$work"/sites/* -o "$work/fan" -q >"$work/plan.txt"
books=$(wc -l <"$work/plan.txt")
fan="sh -c '$exe plan $work/sites/* -o $work/fan -q | parallel -j 2'"
bench "fan-out" --prepare "rm -rf $work/fan" "$fan"
t=$(python3 -c "import json,statistics,sys; print(statistics.median(json.load(open(sys.argv[1]))['results'][0]['times']))" "$work/h.json")
echo
echo "| fan-out | sites | books (months) | median of $runs | CPU (user+sys) | books / s / core |"
echo "|---|---|---|---|---|---|"
echo "| \`digest plan SITES -o OUT -q \\| parallel -j 2\` | $nsites | $books | $(stats "$work/h.json") | $(python3 -c "print('%.1f' % ($books / $t / $cores))") |"
