# tests/lib/check.sh - sourced by the shell tests.
#   check DESCRIPTION COMMAND...  runs COMMAND and, when it fails, reports
#                                 DESCRIPTION and counts it in $fail.
#   need TOOL...                  exits 77 (CTest: skipped) naming every TOOL
#                                 that is not on PATH; `./setup.sh test`
#                                 installs them all, so CI skips nothing.
fail=0
check() { # description, command...
    local what=$1
    shift
    if ! "$@"; then
        echo "FAIL: $what" >&2
        fail=$((fail + 1))
    fi
}

need() { # tool...
    local t missing=()
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    if [ ${#missing[@]} -ne 0 ]; then
        echo "skipped: not installed: ${missing[*]}"
        exit 77
    fi
}
