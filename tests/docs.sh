#!/usr/bin/env bash
# docs.sh - the documentation keeps up with the program: every long option of
# `digest --help` is in README.md and docs/digest.1, every command is in both,
# and every top-level key of digest.yaml.example is in README.md.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
src=$2
fail=0
readme=$src/README.md
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$src/docs/digest.1")
opts=$("$exe" --help | grep -Eo -- '--[a-z][a-z-]+' | sort -u)
[ -n "$opts" ] || { echo "no options in --help"; exit 1; }
for o in $opts; do
    grep -qE -- "${o}([^a-z-]|\$)" "$readme" || { echo "README.md does not document $o"; fail=1; }
    grep -qE -- "${o}([^a-z-]|\$)" <<<"$man" || { echo "docs/digest.1 does not document $o"; fail=1; }
done
for c in build list check; do
    grep -q "digest $c" "$readme" || { echo "README.md does not show 'digest $c'"; fail=1; }
    grep -q "digest $c" <<<"$man" || { echo "docs/digest.1 does not show 'digest $c'"; fail=1; }
done
for k in $(grep -Eo '^[a-z_]+:' "$src/digest.yaml.example" | tr -d : | sort -u); do
    grep -q "\`$k\`" "$readme" || { echo "README.md does not list the digest.yaml key $k"; fail=1; }
done
exit $fail
