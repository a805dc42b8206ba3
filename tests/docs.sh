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
# docs/ARCHITECTURE.md stays true: every file it names exists, every dg_
# function it names is defined where some file of src/ defines it, and every
# source file of src/ is named in it.
arch=$src/docs/ARCHITECTURE.md
for f in $(grep -Eo '(src|include|tests|templates|bench)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]' "$arch" "$readme" | cut -d: -f2- | sort -u); do
    case $f in *'*'* | *NAME* | *_) continue ;; esac
    [ -e "$src/$f" ] || { echo "ARCHITECTURE.md or README.md names $f, which does not exist"; fail=1; }
done
for fn in $(grep -Eo '\bdg_[a-z0-9_]+' "$arch" | sort -u); do
    grep -qw "$fn" "$src"/src/*/*.[ch] "$src"/include/digest/*.h ||
        { echo "ARCHITECTURE.md names $fn, which is nowhere in src/ or include/"; fail=1; }
done
for f in "$src"/src/*/*.[ch]; do
    rel=${f#"$src"/src/}
    grep -qF "$rel" "$arch" || grep -qF "$(basename "$rel")" "$arch" ||
        { echo "ARCHITECTURE.md does not name src/$rel"; fail=1; }
done
exit $fail
