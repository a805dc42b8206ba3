#!/usr/bin/env bash
# layers.sh - the stages of src/ include one another only downwards.
#
# The pipeline of docs/ARCHITECTURE.md, lowest first:
#
#   base  <  site  <  content  <  epub, pdf  <  cover  <  app
#
# A file of one stage may include its own stage's headers and those of any
# stage below it; epub and pdf are siblings and never include each other.
# Public headers (include/digest/) are the API, which any stage may use for
# the option types.  A private header outside src/<stage>/ is an error, and
# so is a header cycle within a stage.
# $1 = digest executable (unused), $2 = source tree.
set -u
src=${2:-.}/src
[ -d "$src" ] || { echo "no $src" >&2; exit 1; }

rank() {
    case $1 in
    base) echo 0 ;; site) echo 1 ;; content) echo 2 ;; epub | pdf) echo 3 ;; cover) echo 4 ;;
    app) echo 5 ;;
    *) echo -1 ;;
    esac
}

fail=0
for f in "$src"/*/*.[ch]; do
    stage=$(basename "$(dirname "$f")")
    r=$(rank "$stage")
    if [ "$r" -lt 0 ]; then
        echo "$f: folder '$stage' is not a stage of the pipeline (add it to tests/layers.sh and docs/ARCHITECTURE.md)"
        fail=1
        continue
    fi
    while IFS= read -r inc; do
        case $inc in
        digest/*) continue ;;
        */*) ;;
        *)
            echo "$f: includes \"$inc\": private headers are included as \"stage/name.h\""
            fail=1
            continue
            ;;
        esac
        to=${inc%%/*}
        [ -f "$src/$inc" ] || { echo "$f: includes \"$inc\", which is not in src/"; fail=1; continue; }
        t=$(rank "$to")
        if [ "$to" != "$stage" ] && { [ "$t" -ge "$r" ] || [ "$t" -lt 0 ]; }; then
            echo "$f: $stage includes $inc: an arrow up (or sideways) the pipeline"
            fail=1
        fi
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done

# Header cycles within a stage: follow "stage/x.h" includes depth-first.
declare -A state
visit() { # header path relative to src
    local h=$1 inc
    state[$h]=1
    while IFS= read -r inc; do
        [ -f "$src/$inc" ] || continue
        case ${state[$inc]:-0} in
        1) echo "header cycle: $h includes $inc, which leads back to it"; fail=1 ;;
        0) visit "$inc" ;;
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z]*\/[^"]*\.h\)".*/\1/p' "$src/$h")
    state[$h]=2
}
for h in "$src"/*/*.h; do
    rel=${h#"$src"/}
    [ "${state[$rel]:-0}" = 0 ] && visit "$rel"
done

# Module cycles: a module is a .c and its .h of the same name; module A
# depends on module B when A.c or A.h includes B.h.  Two modules that
# depend on each other (content.c on fetch.h, fetch.h on content.h) are one
# job split badly, or a type that wants a header of its own.
declare -A deps
for f in "$src"/*/*.[ch]; do
    rel=${f#"$src"/}
    m=${rel%.*}
    while IFS= read -r inc; do
        [ -f "$src/$inc" ] || continue
        to=${inc%.h}
        [ "$to" = "$m" ] || deps[$m]+=" $to"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z]*\/[^"]*\.h\)".*/\1/p' "$f")
done
declare -A mstate
mvisit() { # module, path so far
    local m=$1 path=$2 to
    mstate[$m]=1
    for to in ${deps[$m]:-}; do
        case ${mstate[$to]:-0} in
        1) echo "module cycle: $path -> $to"; fail=1 ;;
        0) mvisit "$to" "$path -> $to" ;;
        esac
    done
    mstate[$m]=2
}
for m in "${!deps[@]}"; do
    [ "${mstate[$m]:-0}" = 0 ] && mvisit "$m" "$m"
done

# Only the public API lives in include/digest/.
for h in "${2:-.}"/include/digest/*.h; do
    while IFS= read -r inc; do
        case $inc in
        digest/*) ;;
        *) echo "$h: the public header includes private \"$inc\""; fail=1 ;;
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$h")
done

[ $fail -eq 0 ] && echo "layers: every include runs down the pipeline; no header or module cycle"
exit $fail
