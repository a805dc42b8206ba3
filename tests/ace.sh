#!/bin/bash
# ace.sh - Ace by DAISY, the EPUB accessibility checker, finds no violation
# of any impact in any EPUB digest built from examples/.
#   $1  the digest executable    $2  the source tree    $3.. more sites to
#   build (a site folder, then its build options up to a lone "--"), as the
#   corpus checks use it.
# Ace is the npm package @daisy/ace-cli with Debian's chromium (`./setup.sh
# test` installs both: `npm install --ignore-scripts @daisy/ace-cli` under
# /opt/ace).  Found as $ACE_CLI, else ace-cli on PATH, else
# /opt/ace/node_modules/.bin/ace-cli.  Exit 77 (skipped) when Ace, node or
# chromium is absent.
set -u
digest=$1
src=$2
shift 2

ace=${ACE_CLI:-$(command -v ace-cli || echo /opt/ace/node_modules/.bin/ace-cli)}
chromium=${PUPPETEER_EXECUTABLE_PATH:-$(command -v chromium || true)}
if [ ! -x "$ace" ] || ! command -v node >/dev/null 2>&1 || [ -z "$chromium" ]; then
    echo "ace.sh: ace-cli, node or chromium missing: skipped (./setup.sh test installs them)"
    exit 77
fi
export PUPPETEER_EXECUTABLE_PATH=$chromium

tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-ace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

build() { # out site [options...]
    local out=$1
    shift
    if ! "$digest" build "$@" -o "$out" -f epub -q 2>"$tmp/build.err"; then
        echo "ace.sh: digest build $* failed:"
        cat "$tmp/build.err"
        exit 1
    fi
}

books=()
build "$tmp/examples" "$src/examples"
books+=("$tmp"/examples/*.epub)
n=0
while [ $# -gt 0 ]; do
    args=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        args+=("$1")
        shift
    done
    [ $# -gt 0 ] && shift
    n=$((n + 1))
    build "$tmp/site$n" "${args[@]}"
    books+=("$tmp/site$n"/*.epub)
done

fail=0
for book in "${books[@]}"; do
    [ -f "$book" ] || { echo "ace.sh: no EPUB was built"; exit 1; }
    name=${book#"$tmp"/}
    report=$tmp/report-${name//\//-}
    if ! HOME=$tmp "$ace" -s -f -o "$report" "$book" >"$tmp/ace.log" 2>&1 ||
        [ ! -f "$report/report.json" ]; then
        echo "FAIL $name: Ace did not finish"
        tail -20 "$tmp/ace.log"
        fail=1
        continue
    fi
    # One line per violation: impact, rule, file (with the CSS selector).
    python3 - "$report/report.json" >"$tmp/violations" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
for doc in report.get("assertions", []):
    where = doc.get("earl:testSubject", {}).get("url", "?")
    for a in doc.get("assertions", []):
        if a.get("earl:result", {}).get("earl:outcome") != "fail":
            continue
        t = a.get("earl:test", {})
        ptr = a.get("earl:result", {}).get("earl:pointer") or {}
        css = " ".join(ptr.get("css", [])) if isinstance(ptr, dict) else ""
        print(t.get("earl:impact", "?"), t.get("dct:title", "?"), where, css)
PY
    if [ -s "$tmp/violations" ]; then
        echo "FAIL $name: $(wc -l <"$tmp/violations") violations"
        sed 's/^/    /' "$tmp/violations"
        fail=1
    else
        echo "ok   $name: no violation"
    fi
done
exit $fail
