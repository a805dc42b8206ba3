#!/usr/bin/env bash
# corpus/interrupt.sh - kill -9 at 40 random points of a --force rebuild of a
# real archive (opt-in: ctest -L corpus; issue 12, "Done when"), as
# tests/interrupt.sh does on a generated site: the archive is built with
# another title (OLD), then rebuilt with --force and killed; after each kill
# every EPUB and PDF under a final name equals OLD's or a clean build's (NEW)
# byte for byte, so each is whole and none is a mix; the build after the
# last kill completes, leaves no temporary and equals the clean build.
# Skips (77) when ../shared is absent.
# $1 = digest executable, $2 = source tree, $3 = corpus (default tw93-weekly).
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
name=${3:-tw93-weekly}
. "$src/tests/lib/check.sh"
. "$src/tests/lib/outputs.sh"
need cmp unzip qpdf
# shellcheck source=tests/corpus/dates.sh
source "$(dirname "$0")/dates.sh"
corpus_setup "$src" "corpus/$name"
corpus_options "$name" || { echo "corpus/interrupt.sh: no command line for $name" >&2; exit 2; }
opts=("${corpus_opts[@]}")
site=$shared/corpus/$name
build() { # OUT options...: exit 0, or 1 for the corpora's own bad input
    local out=$1
    shift
    "$exe" build "$site" "${opts[@]}" -o "$out" -q --offline "$@" 2>/dev/null
    [ $? -le 1 ]
}
same_outputs() { # DIR REF: the same EPUBs and PDFs, byte for byte, and as many
    local f n=0 m
    for f in "$2"/*.epub "$2"/*.pdf; do
        n=$((n + 1))
        cmp -s "$f" "$1/$(basename "$f")" || { echo "differs: $(basename "$f")" >&2; return 1; }
    done
    m=$(find "$1" -maxdepth 1 \( -name '*.epub' -o -name '*.pdf' \) | wc -l)
    [ "$n" -gt 0 ] && [ "$n" -eq "$m" ]
}

new=$tmp/new
check "$name: a clean build succeeds" build "$new" -j 2
# a whole --force rebuild (its caches warm, as in the loop), to spread the kills over
cp -r "$new" "$tmp/timing"
t0=$(date +%s%N)
build "$tmp/timing" -j 2 --force
ms=$((($(date +%s%N) - t0) / 1000000))
old=$tmp/old
check "$name: a build with another title succeeds" build "$old" -j 2 --title "Old {label}"
out=$tmp/kill
cp -r "$old" "$out"
RANDOM=12 # a fixed seed: the same delays every run
kill_loop "$out" "$old" "$new" 40 "$ms" -- \
    "$exe" build "$site" "${opts[@]}" -o "$out" -q --offline -j 2 --force
echo "corpus interrupt ($name): $killed of 40 builds killed, $torn left temporaries (whole build ${ms} ms)"
check "$name: most kills fell inside the builds" test "$killed" -ge 20
check "$name: the build after kill -9 succeeds" build "$out" -j 2
check "$name: after kill -9, no temporary survives the next build" no_temporaries "$out"
check "$name: after kill -9, the files under final names are whole" valid_outputs "$out"
check "$name: after kill -9, outputs equal a clean build" same_outputs "$out" "$new"
[ $fail -eq 0 ] && echo "corpus interrupt ($name): every kill left OUT sound"
exit $((fail > 0))
