# tests/lib/outputs.sh - sourced by the shell tests that stop builds part
# way (interrupt.sh, corpus/interrupt.sh); needs tests/lib/check.sh first.
#   temporaries DIR          every writer's temporary under DIR, sorted
#   no_temporaries DIR       fails (naming them) when there is one
#   valid_outputs DIR        fails when an EPUB (unzip -t) or PDF (qpdf
#                            --check) under a final name is not whole
#   kill_loop OUT OLD NEW N MS -- BUILD...
#                            N times: BUILD (a command that writes OUT) is
#                            started and killed with SIGKILL after a random
#                            delay under MS milliseconds ($RANDOM: seed it);
#                            after each, every EPUB and PDF in OUT must equal
#                            OLD's or NEW's byte for byte (a check per file
#                            that does not).  Sets $killed (builds killed
#                            before they ended) and $torn (kills after which
#                            a temporary was left for the next build).

# temporaries of any writer: NAME.tmp-..., the old NAME.pdf.fontN-XXXXXX
temporaries() { find "$1" -type f \( -name '*.tmp-*' -o -name '*.font[0-9]*-*' \) | sort; }

no_temporaries() {
    local t
    t=$(temporaries "$1")
    [ -z "$t" ] || { echo "left: $t" >&2; return 1; }
}

valid_outputs() {
    local f
    for f in "$1"/*.epub; do
        [ -e "$f" ] || continue
        unzip -tqq "$f" >/dev/null 2>&1 || { echo "torn: $f" >&2; return 1; }
    done
    for f in "$1"/*.pdf; do
        [ -e "$f" ] || continue
        qpdf --check "$f" >/dev/null 2>&1 || { echo "torn: $f" >&2; return 1; }
    done
}

kill_loop() {
    local out=$1 old=$2 new=$3 n=$4 ms=$5
    shift 6 # the five and "--"
    local k delay pid f b
    killed=0 torn=0
    for k in $(seq 1 "$n"); do
        delay=$((RANDOM % (ms + 1)))
        "$@" >/dev/null 2>&1 &
        pid=$!
        sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
        kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
        wait "$pid" 2>/dev/null
        [ -n "$(temporaries "$out")" ] && torn=$((torn + 1))
        for f in "$out"/*.epub "$out"/*.pdf; do
            [ -e "$f" ] || continue
            b=$(basename "$f")
            cmp -s "$f" "$old/$b" || cmp -s "$f" "$new/$b" ||
                check "kill $k after ${delay} ms: $b is the old or the new build" false
        done
    done
}
