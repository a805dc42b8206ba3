#!/usr/bin/env bash
# batch.sh - a whole archive in one run: wall time (median of 3, hyperfine)
# and peak memory of `digest build` for EPUB only and EPUB+PDF, with one
# worker and with all CPUs, from scratch (--force).
#
#   bench/batch.sh DIGEST_EXE SITE [POSTS_DIR]
#
# Prints Markdown table rows: site, formats, jobs, months, median time, peak RSS.
set -eu
exe=$(readlink -f "$1")
site=$(readlink -f "$2")
posts=${3:-_posts}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
months=$("$exe" list "$site" --posts "$posts" 2>/dev/null | grep -c '^[0-9]')
for fmt in epub epub,pdf; do
    for jobs in 1 "$(nproc)"; do
        cmd="$exe build $site --posts $posts -o $work/out -f $fmt -j $jobs --force -q --offline"
        hyperfine -N -i --runs 3 --warmup 1 --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
        t=$(python3 -c "import json,statistics; print('%.2f' % statistics.median(json.load(open('$work/h.json'))['results'][0]['times']))")
        /usr/bin/time -f %M -o "$work/rss" $cmd 2>/dev/null || true
        rss=$(tail -n 1 "$work/rss")
        printf '| %s | %s | %s | %s | %s s | %s MiB |\n' "$(basename "$site")" "$fmt" "$jobs" \
            "$months" "$t" "$((rss / 1024))"
    done
done
