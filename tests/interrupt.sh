#!/usr/bin/env bash
# interrupt.sh - a build stopped part way leaves OUT sound (issue 9, items 3, 8).
#
# 1. SIGINT and SIGTERM, raised at known points through the DIGEST_TEST_RAISE
#    hook (after the first PDF, which is made before its EPUB; after the first
#    month) and sent from outside
#    after the first progress line: exit 130 / 143 with a note saying what was
#    built, no temporary file in OUT, every file under a final name valid; the
#    next build completes and equals a clean build byte for byte.
# 2. kill -9 at 40 random points (fixed seed) of --force rebuilds with another
#    title: after each, every EPUB and PDF equals the old or the new build;
#    the next build removes every temporary and equals a clean build.
# 3. An OUT where nothing can be written (a file size limit of 0, which root
#    obeys too; mode 555 when not root; a path under a regular file): exit 2
#    with "cannot write here" before any month is typeset.
# $1 = digest executable, $2 = source tree.
set -u
exe=$1
. "$2/tests/lib/check.sh"
. "$2/tests/lib/outputs.sh"
need cmp unzip qpdf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-interrupt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
site=$tmp/site
mkdir -p "$site/_posts"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for d in 04 18; do
        {
            printf -- '---\ntitle: "Week %s-%s"\ndate: 2024-%s-%s\n---\n\n' "$m" "$d" "$m" "$d"
            for i in $(seq 1 40); do
                printf 'Paragraph %s of week %s-%s, with *emphasis*, `code` and a ' "$i" "$m" "$d"
                printf '[link](https://example.org/%s/%s/%s) to read after the rest of it.\n\n' \
                    "$m" "$d" "$i"
            done
        } >"$site/_posts/2024-$m-$d-week.md"
    done
done

same_outputs() { # DIR REF: the same EPUBs and PDFs, byte for byte
    local f n=0
    for f in "$2"/*.epub "$2"/*.pdf; do
        n=$((n + 1))
        cmp -s "$f" "$1/$(basename "$f")" || { echo "differs: $(basename "$f")" >&2; return 1; }
    done
    [ "$n" -eq 24 ]
}

ref=$tmp/ref
check "a clean build succeeds" "$exe" build "$site" -o "$ref" -j 1 -q
check "a clean build leaves no temporary" no_temporaries "$ref"

# ---- 1. SIGINT and SIGTERM ---------------------------------------------------
out=$tmp/sig
DIGEST_TEST_RAISE=INT@pdf "$exe" build "$site" -o "$out" -j 1 2>"$tmp/err"
rc=$?
check "SIGINT after the first PDF: exit 130 (got $rc)" test "$rc" -eq 130
check "SIGINT: the note says what was built" \
    grep -q 'interrupted by SIGINT: 0 of 12 months built' "$tmp/err"
check "SIGINT: no temporary in OUT" no_temporaries "$out"
check "SIGINT: the files under final names are whole" valid_outputs "$out"
check "SIGINT: the PDF written is kept, its EPUB (which takes its page numbers) not begun" \
    test -f "$out/2024-01.pdf" -a ! -e "$out/2024-01.epub"
DIGEST_TEST_RAISE=TERM@month "$exe" build "$site" -o "$out" -j 1 2>"$tmp/err"
rc=$?
check "SIGTERM after the first month: exit 143 (got $rc)" test "$rc" -eq 143
check "SIGTERM: the note says what was built" \
    grep -q 'interrupted by SIGTERM: 1 of 12 months built' "$tmp/err"
check "SIGTERM: no temporary in OUT" no_temporaries "$out"
check "SIGTERM: the files under final names are whole" valid_outputs "$out"
check "the build after the interruptions succeeds" "$exe" build "$site" -o "$out" -j 1 -q
check "after SIGINT and SIGTERM: outputs equal a clean build" same_outputs "$out" "$ref"
check "after SIGINT and SIGTERM: no temporary" no_temporaries "$out"

# a signal from outside, once the first month is reported
out=$tmp/ext
"$exe" build "$site" -o "$out" -j 1 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 400); do
    grep -q '^\[1/12\]' "$tmp/err" 2>/dev/null && break
    sleep 0.01
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
check "SIGTERM from outside: exit 143 (got $rc)" test "$rc" -eq 143
check "SIGTERM from outside: stopped at a safe point, with a note" \
    grep -q 'interrupted by SIGTERM' "$tmp/err"
check "SIGTERM from outside: no temporary in OUT" no_temporaries "$out"
check "SIGTERM from outside: the files under final names are whole" valid_outputs "$out"
check "the build after it succeeds" "$exe" build "$site" -o "$out" -q
check "after SIGTERM from outside: outputs equal a clean build" same_outputs "$out" "$ref"

# ---- 2. kill -9 ---------------------------------------------------------------
old=$tmp/old
check "a build with another title succeeds" "$exe" build "$site" -o "$old" --title "Old {label}" -q
out=$tmp/kill
cp -r "$old" "$out"
RANDOM=9 # a fixed seed: the same delays every run
t0=$(date +%s%N)
"$exe" build "$site" -o "$tmp/timing" -j 2 -q
ms=$((($(date +%s%N) - t0) / 1000000)) # a whole build, to spread the kills over
kill_loop "$out" "$old" "$ref" 40 "$ms" -- "$exe" build "$site" -o "$out" -j 2 -q --force
echo "interrupt: $killed of 40 builds killed, $torn left temporaries (whole build ${ms} ms)"
check "the build after kill -9 succeeds" "$exe" build "$site" -o "$out" -q
check "after kill -9: no temporary survives the next build" no_temporaries "$out"
check "after kill -9: outputs equal a clean build" same_outputs "$out" "$ref"
check "after kill -9: the files are whole" valid_outputs "$out"

# Temporaries as a killed build leaves them, of a process that is gone
# (DEAD) and of one that lives (this shell).  While another build holds OUT
# (flock -s, as every build does), only the dead one's named by PID go; alone,
# every one goes.  A file of the user's that only looks alike stays.
true &
dead=$!
wait "$dead"
plant() {
    : >"$out/2024-03.epub.tmp-$dead"
    : >"$out/2024-03.epub.tmp-$dead.Ab12Cd"
    : >"$out/2024-04.epub.tmp-$$.Ef34Gh"
    : >"$out/2024-03.pdf.tmp-Qw1Er2"
    : >"$out/2024-03.pdf.font0-Zx9Yw8"
    : >"$out/.digest-state/2024-03.stamp.tmp-aB3dE5"
    : >"$out/notes.tmp-1"
}
if command -v flock >/dev/null; then
    plant
    flock -s "$out" "$exe" build "$site" -o "$out" -q 2>/dev/null
    check "beside a live build: a dead PID's temporaries go" \
        test ! -e "$out/2024-03.epub.tmp-$dead" -a ! -e "$out/2024-03.epub.tmp-$dead.Ab12Cd"
    check "beside a live build: a live PID's and unnamed ones stay" test -e \
        "$out/2024-04.epub.tmp-$$.Ef34Gh" -a -e "$out/2024-03.pdf.tmp-Qw1Er2" -a -e "$out/2024-03.pdf.font0-Zx9Yw8"
fi
plant
"$exe" build "$site" -o "$out" -q 2>"$tmp/err"
check "alone: a file of the user's stays" test -e "$out/notes.tmp-1"
rm -f "$out/notes.tmp-1"
check "alone: every temporary goes" no_temporaries "$out"
check "alone: the note counts them" grep -q 'removed 6 temporary files' "$tmp/err"
check "after stale temporaries: outputs equal a clean build" same_outputs "$out" "$ref"

# ---- 3. an OUT that cannot be written -----------------------------------------
# ulimit -f 0 (with SIGXFSZ ignored, so writes fail with EFBIG): root too.
rm -rf "$tmp/ro"
(
    ulimit -f 0
    trap '' XFSZ
    exec "$exe" build "$site" -o "$tmp/ro" -j 1
) 2>&1 | cat >"$tmp/err"
rc=${PIPESTATUS[0]}
check "no file can be written in OUT: exit 2 (got $rc)" test "$rc" -eq 2
check "no file can be written: the message says so" \
    grep -q "ro: error: cannot write here (File too large)" "$tmp/err"
check "no file can be written: said before any month was typeset" \
    bash -c "! grep -q '^\[1/' '$tmp/err'"
check "no file can be written: no temporary left" no_temporaries "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$tmp/ro555"
    chmod 555 "$tmp/ro555"
    "$exe" build "$site" -o "$tmp/ro555" -j 1 2>"$tmp/err"
    rc=$?
    chmod 755 "$tmp/ro555"
    check "a read-only OUT: exit 2 (got $rc)" test "$rc" -eq 2
    check "a read-only OUT: the message says so" \
        grep -q "ro555: error: cannot write here (Permission denied)" "$tmp/err"
    check "a read-only OUT: said before any month was typeset" \
        bash -c "! grep -q '^\[1/' '$tmp/err'"
fi
touch "$tmp/file"
"$exe" build "$site" -o "$tmp/file/out" -j 1 2>"$tmp/err"
rc=$?
check "OUT under a regular file: exit 2 (got $rc)" test "$rc" -eq 2
check "OUT under a regular file: said before any month was typeset" \
    bash -c "! grep -q '^\[1/' '$tmp/err'"

[ $fail -eq 0 ] && echo "interrupt: SIGINT, SIGTERM and kill -9 leave OUT sound; an unwritable OUT exits 2 at once"
exit $((fail > 0))
