# corpus/dates.sh - sourced by the corpus checks (lint.sh, ace.sh, volumes.sh,
# interrupt.sh): their set-up, the command line each shared archive is built
# with (the one the README shows for its kind of site), and the dates table
# of ruanyf-weekly, whose issues carry no date.

# corpus_setup SRC DIR...: sets $shared (DIGEST_SHARED, else SRC/../shared)
# and exits 77 (skipped) unless each DIR is a folder in it; then makes $tmp,
# removed on exit, and fixes SOURCE_DATE_EPOCH.
corpus_setup() {
    local src=$1 dir
    shift
    shared=${DIGEST_SHARED:-$src/../shared}
    for dir in "$@"; do
        if [ ! -d "$shared/$dir" ]; then
            echo "skipped: $shared/$dir is absent (the shared test corpora are not part of the project)"
            exit 77
        fi
    done
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-dates.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    export SOURCE_DATE_EPOCH=1700000000
}

# corpus_posts LIST SITE PREFIX: the posts `digest list` (its output in the
# file LIST) puts in the months whose key starts with PREFIX (a month, a
# year, or "" for all), as paths under SITE, one a line: the --source of a
# book for the yardsticks.
corpus_posts() {
    awk -v m="$3" '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]/ {on = (index($1, m) == 1)} on && /^  / {
        p = $NF; gsub(/^\(|\)$/, "", p); print p }' "$1" | sed "s|^|$2/|"
}

# corpus_options NAME: sets the array corpus_opts to NAME's options (its posts
# folder, and the dates table for ruanyf-weekly, made here); 1 for a name
# without a command line.
corpus_options() {
    case $1 in
    examples | seed) corpus_opts=(--posts _posts) ;;
    tw93-weekly) corpus_opts=(--posts posts) ;;
    aneasystone-daily) corpus_opts=(--posts daily) ;;
    this-week-in-rust) corpus_opts=(--posts content) ;;
    ruanyf-weekly)
        [ -s "$tmp/ruanyf-dates.csv" ] || ruanyf_dates
        corpus_opts=(--posts docs --dates "$tmp/ruanyf-dates.csv") ;;
    *) return 1 ;;
    esac
}

# ruanyf's issues carry no date: their months come from the index in its
# README; make a dates table from it (path,YYYY-MM-01).
ruanyf_dates() { # writes $tmp/ruanyf-dates.csv
    python3 - "$shared/corpus/ruanyf-weekly/README.md" >"$tmp/ruanyf-dates.csv" <<'PY'
import re, sys
months = {m: i + 1 for i, m in enumerate("一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月".split())}
year = month = None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"## (\d{4})", line)
    if m: year = int(m.group(1)); continue
    m = re.match(r"\*\*(\S+)\*\*", line.strip())
    if m and m.group(1) in months: month = months[m.group(1)]; continue
    m = re.search(r"\((docs/issue-\d+\.md)\)", line)
    if m and year and month: print("%s,%04d-%02d-01" % (m.group(1), year, month))
PY
}

