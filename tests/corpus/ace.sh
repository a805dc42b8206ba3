#!/usr/bin/env bash
# corpus/ace.sh - Ace by DAISY on real archives (opt-in: ctest -L corpus):
# every month of the shared corpora (or, with --one, the latest month of
# each) built with the command line the README shows for that kind of site,
# and checked by tests/ace.sh, which fails on any violation of any impact.
# Skips (77) when ../shared is absent or Ace is not installed.
# $1 = digest executable, $2 = source tree, $3 = --one (optional).
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
one=${3:-}
# shellcheck source=tests/corpus/dates.sh
source "$(dirname "$0")/dates.sh"
corpus_setup "$src" corpus

sites=()
add() { # corpus
    local site=$shared/corpus/$1 month
    corpus_options "$1"
    set -- "${corpus_opts[@]}"
    if [ "$one" = --one ]; then
        month=$("$exe" list "$site" "$@" 2>/dev/null |
            grep -Eo '^[0-9]{4}-[0-9]{2}' | tail -n 1)
        set -- "$@" -m "$month"
    fi
    sites+=("$site" "$@" --)
}
add seed
add tw93-weekly
add aneasystone-daily
add this-week-in-rust
add ruanyf-weekly
bash "$src/tests/ace.sh" "$exe" "$src" "${sites[@]}"
