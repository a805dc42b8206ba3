# tests/lib/webserver.sh - sourced by the fetch tests: the web server of
# webserver.py on 127.0.0.1 (no network needed), with no proxy between.
#   server_start ROOT LOG [DELAY]  starts it; sets $port and $server (PID)
#   server_stop                    stops it (the EXIT trap should call it)
#   server_stat NAME LOG           a number of LOG.stats (connections, max_active)
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
server=
port=
server_start() { # root, log, [delay]
    local pf
    pf=$(mktemp)
    rm -f "$pf"
    python3 "$src/tests/lib/webserver.py" "$1" "$2" "$pf" "${3:-0}" 2>"$2.err" &
    server=$!
    for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.1; done
    port=$(cat "$pf" 2>/dev/null)
    rm -f "$pf"
    if [ -z "$port" ]; then
        echo "FAIL: the test's web server did not start:" >&2
        cat "$2.err" >&2
        exit 1
    fi
}
server_stop() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null
        wait "$server" 2>/dev/null
    fi
    server=
}
server_stat() { # name, log
    awk -v k="$1" '$1 == k { print $2 }' "$2.stats" 2>/dev/null || echo 0
}
