#!/usr/bin/env bash
# plan.sh - digest plan fans a build out (issue 12, "Beyond one machine").
#
# A year's site, in a folder whose name needs shell quoting, is built once
# plainly and once by running its plan through GNU parallel with two
# workers into one OUT: the two OUTs are equal byte for byte, digests and
# state.  Then: a plan of an up-to-date OUT is empty and a plain build finds
# nothing to do; one changed post gives a plan of its month only; the JSON
# form parses and its argv, run as is, builds that month as a plain build
# does; two commands for one month at once (--force) leave whole files and
# no temporary; several sites with -o go to OUT/NAME; --from/--to bound the
# plan.  $1 = digest executable, $2 = source tree.
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
. "$src/tests/lib/check.sh"
need parallel cmp python3 unzip qpdf flock
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digest-plan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
# parallel's own files stay in the test's folder
export HOME=$tmp PARALLEL_HOME=$tmp/.parallel
site="$tmp/Jo's blog (weekly)"
mkdir -p "$site/_posts" "$site/img" "$tmp/fonts"
cp "$src/tests/fixtures/content/tiny.png" "$site/img/pic.png"
cp "$src/fonts/DejaVuSans.ttf" "$tmp/fonts/text.ttf"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for d in 07 21; do
        {
            printf -- '---\ntitle: "Week %s-%s: it'"'"'s \\"quoted\\""\ndate: 2024-%s-%s\n' \
                "$m" "$d" "$m" "$d"
            printf 'header-img: img/pic.png\n---\n\n' # the cover's picture
            printf '## A heading\n\n> A quote of week %s-%s.\n\n- one\n- two\n\n' "$m" "$d"
            printf '![A picture](/img/pic.png)\n\nText with a [link](https://example.org/%s).\n' "$m"
        } >"$site/_posts/2024-$m-$d-week.md"
    done
done
opts=(--title '{site} — $HOME `x` {label}' --font fonts/text.ttf)
ref=$tmp/ref
out=$tmp/par
cd "$tmp" || exit 1
check "a plain build" "$exe" build "$site" -o "$ref" -j 1 "${opts[@]}" -q

# ---- the plan through GNU parallel, two workers, one OUT -----------------------
"$exe" plan "$site" -o par "${opts[@]}" -q >"$tmp/plan.txt" 2>"$tmp/err"
rc=$?
check "plan: exit 0 (got $rc)" test "$rc" -eq 0
check "plan: one command per month" test "$(wc -l <"$tmp/plan.txt")" -eq 12
check "plan: SOURCE_DATE_EPOCH goes with each command" \
    test "$(grep -c "^env SOURCE_DATE_EPOCH=1700000000 \(TZ=[^ ]* \)\?/" "$tmp/plan.txt")" -eq 12
check "plan: OUT and the font are absolute" \
    test "$(grep -c -- "-o $tmp/par .*--font $tmp/fonts/text.ttf" "$tmp/plan.txt")" -eq 12
(cd / && parallel -j2 --halt now,fail=1 <"$tmp/plan.txt") 2>"$tmp/perr"
rc=$?
check "parallel -j2 runs the plan (exit $rc)" test "$rc" -eq 0
check "the plan's OUT equals the plain build's, byte for byte" diff -r -x "*.files" "$ref" "$out"
check "no temporary left" test -z "$(find "$out" -name '*.tmp-*')"
check "the workers removed nothing of each other's" sh -c '! grep -q "removed" "$1"' _ "$tmp/perr"

# ---- up to date, one change ------------------------------------------------------
"$exe" plan "$site" -o par "${opts[@]}" >"$tmp/plan2.txt"
check "plan of an up-to-date OUT is empty" test ! -s "$tmp/plan2.txt"
# without the records of the files read, the books' fingerprints decide: the
# same for plan as for build (the cover's picture included)
mkdir -p "$tmp/norec" && cp -r "$out" "$tmp/norec/par" && rm -f "$tmp/norec/par/.digest-state/"*.files
"$exe" plan "$site" -o norec/par "${opts[@]}" >"$tmp/plan3.txt"
rc=$?
check "plan of an up-to-date OUT without the records: exit 0 (got $rc)" test "$rc" -eq 0
check "plan of an up-to-date OUT without the records is empty" test ! -s "$tmp/plan3.txt"
"$exe" build "$site" -o "$out" "${opts[@]}" 2>"$tmp/err"
check "a plain build after the plan has nothing to do" \
    grep -q '12 months in .*: 0 built, 12 up to date, 0 failed' "$tmp/err"
echo "One more line." >>"$site/_posts/2024-05-21-week.md"
"$exe" plan "$site" -o par "${opts[@]}" --json >"$tmp/plan.json"
check "one changed post: a plan of its month only" test "$(wc -l <"$tmp/plan.json")" -eq 1
check "the JSON names site, month, OUT and argv" python3 - "$tmp/plan.json" "$site" "$out" <<'EOF'
import json, sys
jobs = [json.loads(l) for l in open(sys.argv[1])]
j = jobs[0]
assert j["site"] == sys.argv[2] and j["month"] == "2024-05" and j["out"] == sys.argv[3], j
assert j["argv"][:2] == ["env", "SOURCE_DATE_EPOCH=1700000000"], j["argv"]
k = j["argv"].index("build")  # after env's settings (TZ too, when it is set) and digest
assert k in (3, 4) and j["argv"][k:k + 6] == ["build", sys.argv[2], "-m", "2024-05", "-o",
                                              sys.argv[3]], j["argv"]
assert "{site} — $HOME `x` {label}" in j["argv"], j["argv"]
assert "--quiet" not in j["argv"], j["argv"]
EOF
check "the JSON argv, run as is, builds the month" python3 -c '
import json, subprocess, sys
j = json.loads(open(sys.argv[1]).readline())
sys.exit(subprocess.run(j["argv"], cwd="/").returncode)' "$tmp/plan.json"
check "a plain build of the changed site" "$exe" build "$site" -o "$ref" -j 1 "${opts[@]}" -q
check "after the change, both OUTs are still equal" diff -r -x "*.files" "$ref" "$out"

# ---- one month twice at once -------------------------------------------------------
"$exe" plan "$site" -o par -m 2024-03 --force "${opts[@]}" >"$tmp/one.txt"
check "--force: the month is in the plan" test "$(wc -l <"$tmp/one.txt")" -eq 1
cat "$tmp/one.txt" "$tmp/one.txt" "$tmp/one.txt" "$tmp/one.txt" >"$tmp/four.txt"
parallel -j4 <"$tmp/four.txt" 2>"$tmp/perr"
check "four builds of one month at once all succeed" test $? -eq 0
check "... removing nothing of each other's" sh -c '! grep -q "removed" "$1"' _ "$tmp/perr"
check "... and leave it as a plain build makes it" diff -r -x "*.files" "$ref" "$out"
check "... whole" sh -c 'unzip -tqq "$1/2024-03.epub" >/dev/null && qpdf --check "$1/2024-03.pdf" >/dev/null' _ "$out"
check "... with no temporary left" test -z "$(find "$out" -name '*.tmp-*')"

# ---- the month lock: another process holds it -------------------------------------
# flock(1) holds 2024-07's lock as a build of another process would; a build
# of that month with another title waits (writes nothing) until SIGTERM ends
# the wait: exit 143, the month's digests and record as they were.
lockf=$out/.digest-state/2024-07.lock
cp "$out/2024-07.pdf" "$tmp/07.pdf"
touch "$tmp/holding"
flock -x "$lockf" sh -c 'while [ -e "$1" ]; do sleep 0.05; done' _ "$tmp/holding" &
holder=$!
for _ in $(seq 1 100); do # until the holder has it
    flock -n -x "$lockf" true || break
    sleep 0.05
done
"$exe" build "$site" -o "$out" -m 2024-07 --title Other --font fonts/text.ttf 2>"$tmp/err" &
builder=$!
sleep 0.5
check "a build waiting for the month's lock has not replaced its PDF" cmp -s "$out/2024-07.pdf" "$tmp/07.pdf"
kill -TERM "$builder"
wait "$builder"
rc=$?
check "SIGTERM ends the wait for the lock: exit 143 (got $rc)" test "$rc" -eq 143
check "... and the month is said to be interrupted" grep -q '2024-07: .*interrupted waiting for its lock' "$tmp/err"
check "... its record kept" test -f "$out/.digest-state/2024-07.stamp"
rm -f "$tmp/holding"
wait "$holder"
check "once the lock is free the month is up to date again" diff -r -x "*.files" "$ref" "$out"

# ---- several sites, a range ----------------------------------------------------------
mkdir -p "$tmp/two/a" "$tmp/two/b"
cp -r "$site/_posts" "$site/img" "$tmp/two/a/"
cp -r "$site/_posts" "$site/img" "$tmp/two/b/"
"$exe" plan "$tmp/two/a" "$tmp/two/b/" -o many --from 2024-11 -f epub >"$tmp/many.txt"
check "two sites, --from 2024-11: four commands" test "$(wc -l <"$tmp/many.txt")" -eq 4
check "two sites with -o: each to OUT/NAME" \
    test "$(grep -c -- "-o $tmp/many/a --format epub" "$tmp/many.txt")" -eq 2 -a \
    "$(grep -c -- "-o $tmp/many/b --format epub" "$tmp/many.txt")" -eq 2
printf 'output:\n  dir: books\n' >"$tmp/two/a/digest.yaml"
"$exe" plan "$tmp/two/a" "$tmp/two/b" --from 2024-12 -f epub >"$tmp/own.txt"
check "two sites without -o: each to its own output folder (digest.yaml's, or SITE/_digests)" \
    test "$(grep -c -- "-o $tmp/two/a/books --format" "$tmp/own.txt")" -eq 1 -a \
    "$(grep -c -- "-o $tmp/two/b/_digests --format" "$tmp/own.txt")" -eq 1
"$exe" plan "$tmp/two/a" "$tmp/two/b/" "$tmp/other/a" -o many >/dev/null 2>"$tmp/err"
check "two sites of one name with -o: exit 2" test $? -eq 2
"$exe" plan "$site" --to 2024-02 -f epub -o par2 >"$tmp/to.txt"
check "--to 2024-02: two commands" test "$(wc -l <"$tmp/to.txt")" -eq 2

# ---- volumes: --period month,year,all, split by language --------------------------
# Two years, posts in two languages: build makes the months, a volume per
# year and the complete volume, per language.  The plan lists each stale
# volume with a command that builds it alone (the longest first), then the
# months; run through GNU parallel into one OUT it gives what a plain build
# gives, byte for byte, and then it is empty.
vs="$tmp/vol site"
mkdir -p "$vs/_posts"
cp -r "$site/img" "$vs/"
cp "$site/_posts/2024-0"[1-3]-*.md "$vs/_posts/"
for d in 2023-11-05 2023-12-03 2024-02-11; do
    printf -- '---\ntitle: "Woche %s"\ndate: %s\nlang: de\n---\n\nText der Woche %s.\n' \
        "$d" "$d" "$d" >"$vs/_posts/$d-woche.md"
done
vopts=(--period month,year,all --split-languages "${opts[@]}")
check "volumes: a plain build" "$exe" build "$vs" -o "$tmp/vref" -j 1 "${vopts[@]}" -q
check "volumes: the plain build's books" test "$(cd "$tmp/vref" && ls -- *.epub | tr '\n' ' ')" = \
    "2023-11.de.epub 2023-12.de.epub 2023.de.epub 2024-01.en.epub 2024-02.de.epub 2024-02.en.epub \
2024-03.en.epub 2024.de.epub 2024.en.epub vol site-all.de.epub vol site-all.en.epub "
"$exe" plan "$vs" -o vpar "${vopts[@]}" >"$tmp/vplan.txt" 2>"$tmp/err"
check "volumes: plan exit 0" test $? -eq 0
check "volumes: one command per volume (all, 2023, 2024), then per month (5)" \
    test "$(sed 's/.* --period \([a-z]*\)$/\1/' "$tmp/vplan.txt" | tr '\n' ' ')" = \
    "all year year month month month month month "
check "volumes: the complete volume's command selects every month" \
    grep -q -- "build '$vs' -o $tmp/vpar --split-languages .* --period all$" "$tmp/vplan.txt"
check "volumes: a year's command selects its year" \
    grep -q -- "build '$vs' --from 2023-01 --to 2023-12 -o $tmp/vpar .* --period year$" "$tmp/vplan.txt"
(cd / && parallel -j2 --halt now,fail=1 <"$tmp/vplan.txt") 2>"$tmp/perr"
rc=$?
check "volumes: parallel -j2 runs the plan (exit $rc)" test "$rc" -eq 0
check "volumes: the plan's OUT equals the plain build's, byte for byte" \
    diff -r -x "*.files" "$tmp/vref" "$tmp/vpar"
check "volumes: no temporary left" test -z "$(find "$tmp/vpar" -name '*.tmp-*')"
"$exe" plan "$vs" -o vpar "${vopts[@]}" >"$tmp/vplan2.txt"
check "volumes: the plan of an up-to-date OUT is empty" test ! -s "$tmp/vplan2.txt"
mkdir -p "$tmp/vnorec" && cp -r "$tmp/vpar" "$tmp/vnorec/" &&
    rm -f "$tmp/vnorec/vpar/.digest-state/"*.files
"$exe" plan "$vs" -o vnorec/vpar "${vopts[@]}" >"$tmp/vplan3.txt"
check "volumes: ... also without the records of the files read" test ! -s "$tmp/vplan3.txt"
"$exe" build "$vs" -o "$tmp/vpar" "${vopts[@]}" 2>"$tmp/err"
check "volumes: a plain build after the plan has nothing to do" \
    grep -q '11 books in .*: 0 built, 11 up to date, 0 failed' "$tmp/err"
# one German post of December 2023 changed: that month, its year and the
# complete volume; the JSON says which is which
printf '\nNoch eine Zeile.\n' >>"$vs/_posts/2023-12-03-woche.md"
"$exe" plan "$vs" -o vpar "${vopts[@]}" --json >"$tmp/vplan.json"
check "volumes: one changed post of 2023-12: all, 2023 and 2023-12 (JSON)" python3 - \
    "$tmp/vplan.json" <<'EOF2'
import json, sys
jobs = [json.loads(l) for l in open(sys.argv[1])]
got = [(j["kind"], j.get("volume", j.get("month"))) for j in jobs]
assert got == [("all", "all"), ("year", "2023"), ("month", "2023-12")], got
for j in jobs:
    k = j["argv"].index("--period")
    assert j["argv"][k + 1] == j["kind"], j["argv"]
EOF2
python3 -c '
import json, subprocess, sys
for l in open(sys.argv[1]):
    if subprocess.run(json.loads(l)["argv"], cwd="/").returncode:
        sys.exit(1)' "$tmp/vplan.json"
check "volumes: the JSON argvs run as they are" test $? -eq 0
check "volumes: a plain build of the changed site" "$exe" build "$vs" -o "$tmp/vref" -j 1 \
    "${vopts[@]}" -q
check "volumes: after the change, both OUTs are still equal" \
    diff -r -x "*.files" "$tmp/vref" "$tmp/vpar"
# the plan's selection: -m picks the volumes of its years; --from bounds a
# year's command; --period year alone plans no month
"$exe" plan "$vs" -o vsel -m 2024-02 -f epub --period year >"$tmp/vsel.txt"
check "-m 2024-02 --period year: the 2024 volume alone, its command with -m 2024-02" \
    test "$(wc -l <"$tmp/vsel.txt")" -eq 1 -a \
    "$(grep -c -- "build '$vs' -m 2024-02 -o $tmp/vsel --format epub --period year$" "$tmp/vsel.txt")" -eq 1
"$exe" plan "$vs" -o vsel --from 2024-02 -f epub --period year,all >"$tmp/vfrom.txt"
check "--from 2024-02 --period year,all: all (from 2024-02) and 2024 (2024-02 to 2024-12)" \
    test "$(grep -c -e "build '$vs' --from 2024-02 -o $tmp/vsel --format epub --period all$" \
        -e "build '$vs' --from 2024-02 --to 2024-12 -o $tmp/vsel --format epub --period year$" \
        "$tmp/vfrom.txt")" -eq 2 -a "$(wc -l <"$tmp/vfrom.txt")" -eq 2
exit $((fail > 0))
