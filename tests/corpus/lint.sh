#!/usr/bin/env bash
# corpus/lint.sh - the shared yardsticks on real archives (opt-in: ctest -L corpus).
# Builds each corpus of ../shared/corpus with the command line the README shows
# for that kind of site, then runs ../shared/tools/epub-lint.py and pdf-lint.py on
# every month with --source that month's posts, the PDF at the default size and
# again at --page-size ereader.  Skips (77) when ../shared is
# absent.  $1 = digest executable, $2 = source tree, $3.. = corpora (default all).
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
shift 2
# shellcheck source=tests/corpus/dates.sh
source "$(dirname "$0")/dates.sh"
corpus_setup "$src" corpus tools
fail=0


run_corpus() { # name
    local name=$1
    corpus_options "$name"
    set -- "${corpus_opts[@]}"
    local site=$shared/corpus/$name out=$tmp/$name
    [ "$name" = examples ] && site=$src/examples
    local t0 t1
    t0=$(date +%s.%N)
    "$exe" build "$site" -o "$out" -q --offline "$@" 2>"$tmp/$name.err"
    local st=$?
    t1=$(date +%s.%N)
    printf '%s: build exit %d in %.2f s; %d warnings, %d errors\n' "$name" "$st" \
        "$(echo "$t1 - $t0" | bc)" "$(grep -c ': warning:' "$tmp/$name.err")" \
        "$(grep -c ': error:' "$tmp/$name.err")"
    "$exe" build "$site" -o "$out-ereader" -q --offline -f pdf \
        --page-size ereader "$@" 2>/dev/null || printf '%s: e-reader build exit %d\n' "$name" $?
    "$exe" list "$site" "$@" 2>/dev/null >"$tmp/$name.list"
    local month files
    while read -r month; do
        files=$(corpus_posts "$tmp/$name.list" "$site" "$month")
        # shellcheck disable=SC2086
        python3 "$shared/tools/epub-lint.py" "$out/$month.epub" --source $files >"$tmp/e.txt" 2>&1 || {
            fail=$((fail + 1)); cat "$tmp/e.txt"; }
        tail -n 1 "$tmp/e.txt"
        # shellcheck disable=SC2086
        python3 "$shared/tools/pdf-lint.py" "$out/$month.pdf" --source $files >"$tmp/p.txt" 2>&1 || {
            fail=$((fail + 1)); cat "$tmp/p.txt"; }
        tail -n 1 "$tmp/p.txt"
        # the same month at the e-reader size (issue 10: no broken word at any size)
        # shellcheck disable=SC2086
        python3 "$shared/tools/pdf-lint.py" "$out-ereader/$month.pdf" --source $files \
            >"$tmp/p.txt" 2>&1 || { fail=$((fail + 1)); cat "$tmp/p.txt"; }
        printf 'ereader %s\n' "$(tail -n 1 "$tmp/p.txt")"
    done < <(grep -Eo '^[0-9]{4}-[0-9]{2}' "$tmp/$name.list")
}

want=${*:-"examples seed tw93-weekly aneasystone-daily this-week-in-rust ruanyf-weekly"}
for c in $want; do
    run_corpus "$c"
done
if [ "$fail" -ne 0 ]; then
    echo "$fail lint run(s) failed" >&2
    exit 1
fi
echo "corpus: every month passed both yardsticks"
