#!/usr/bin/env bash
# corpus/volumes.sh - the shared yardsticks on the volumes of the real
# archives (opt-in: ctest -L corpus; issue 12, "Done when"): every yearly
# volume (--period year) of the four shared corpora and the complete volume
# (--period all) of tw93-weekly pass ../shared/tools/epub-lint.py and
# pdf-lint.py, each with --source the posts of its months (recall, broken
# words).  Skips (77) when ../shared is absent.
# $1 = digest executable, $2 = source tree, $3.. = corpora (default all four).
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
shift 2
# shellcheck source=tests/corpus/dates.sh
source "$(dirname "$0")/dates.sh"
corpus_setup "$src" corpus tools
fail=0

lint() { # list site book...: each book with --source the posts of its months
    local list=$1 site=$2 f key files
    shift 2
    for f in "$@"; do
        key=$(basename "${f%.*}")
        case $key in *-all) key= ;; esac # the complete volume: every month
        files=$(corpus_posts "$list" "$site" "$key")
        case $f in
        # shellcheck disable=SC2086
        *.epub) python3 "$shared/tools/epub-lint.py" "$f" --source $files >"$tmp/l.txt" 2>&1 ;;
        # shellcheck disable=SC2086
        *.pdf) python3 "$shared/tools/pdf-lint.py" "$f" --source $files >"$tmp/l.txt" 2>&1 ;;
        esac || { fail=$((fail + 1)); cat "$tmp/l.txt"; }
        tail -n 1 "$tmp/l.txt"
    done
}

volumes() { # name period
    local name=$1 period=$2
    local out=$tmp/$name-$period
    corpus_options "$name"
    "$exe" build "$shared/corpus/$name" "${corpus_opts[@]}" -o "$out" -q --offline \
        --period "$period" 2>"$tmp/$name.err"
    local st=$?
    echo "$name --period $period: build exit $st"
    # exit 1: some input had errors (the corpora have a few); the books are there
    [ "$st" -le 1 ] || { fail=$((fail + 1)); cat "$tmp/$name.err"; }
    shopt -s nullglob
    local books=("$out"/*.epub "$out"/*.pdf)
    [ ${#books[@]} -gt 0 ] || { fail=$((fail + 1)); echo "$name: no volume written"; }
    "$exe" list "$shared/corpus/$name" "${corpus_opts[@]}" 2>/dev/null >"$tmp/$name.list"
    lint "$tmp/$name.list" "$shared/corpus/$name" "${books[@]}"
}

want=${*:-"tw93-weekly aneasystone-daily this-week-in-rust ruanyf-weekly"}
for c in $want; do
    case $c in
    tw93-weekly)
        volumes tw93-weekly year
        volumes tw93-weekly all ;;
    *) volumes "$c" year ;;
    esac
done
if [ "$fail" -ne 0 ]; then
    echo "$fail volume lint run(s) failed" >&2
    exit 1
fi
echo "corpus: every volume passed both yardsticks"
