# tests/lib/check.sh - sourced by the shell tests: check DESCRIPTION COMMAND...
# runs COMMAND and, when it fails, reports DESCRIPTION and counts it in $fail.
fail=0
check() { # description, command...
    local what=$1
    shift
    if ! "$@"; then
        echo "FAIL: $what" >&2
        fail=$((fail + 1))
    fi
}
