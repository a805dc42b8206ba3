#!/usr/bin/env bash
# cover.sh - what drawing a month's cover costs: `digest build SITE -m MONTH
# --force -j 1` with the cover drawn (OUT/.digest-cache/covers and OUT/covers
# emptied before each run, as on a month's first build) against the same with
# the cover and its thumbnail cached (--force alone: the cache is keyed by
# the month's stamp, which --force does not change).  The two kinds of run
# alternate, so load from other jobs falls on both alike.  Wall time and CPU
# time (user + system of the process, from wait4) are medians of RUNS each.
#
#   [ONE_CORE=1] bench/cover.sh DIGEST_EXE SITE MONTH [POSTS_DIR] [RUNS]
#
# With a core to spare (one month, a machine of two cores or more) digest
# draws the cover on a thread of its own beside the PDF, which the wall
# time shows; ONE_CORE=1 runs it under `taskset -c 0`, where the cover is
# drawn before the PDF on the month's thread (as in a batch whose months
# keep every core busy).
#
# Prints a Markdown table row: site, month, cached wall / CPU, drawn wall /
# CPU, the rise of each, the cover's and thumbnail's bytes.
set -eu
exe=$(readlink -f "$1")
site=$(readlink -f "$2")
month=$3
posts=${4:-_posts}
runs=${5:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
python3 - "$exe" "$site" "$month" "$posts" "$runs" "$work/out" <<'PY'
import os, shutil, statistics, subprocess, sys, time
exe, site, month, posts, runs, out = sys.argv[1:7]
cmd = (["taskset", "-c", "0"] if os.environ.get("ONE_CORE") == "1" else []) + \
    [exe, "build", site, "--posts", posts, "-m", month, "--force", "-j", "1", "-o", out,
       "-q", "--offline"]
def run():
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("cover.sh: %s failed" % " ".join(cmd))
    return wall * 1e3, (ru.ru_utime + ru.ru_stime) * 1e3
run()  # the first build, and a warm-up
res = {"cached": [], "drawn": []}
for _ in range(int(runs)):
    res["cached"].append(run())
    for d in (".digest-cache/covers", "covers"):
        shutil.rmtree(os.path.join(out, d), ignore_errors=True)
    res["drawn"].append(run())
med = {k: [statistics.median(x[i] for x in v) for i in (0, 1)] for k, v in res.items()}
(cw, cc), (dw, dc) = med["cached"], med["drawn"]
def size(stem):  # the cover's file in OUT/covers, a JPEG (or a PNG before 2026-12-05)
    for ext in (".jpg", ".png"):
        f = os.path.join(out, "covers", stem + ext)
        if os.path.exists(f):
            return "%d" % (os.path.getsize(f) // 1024)
    return "-"
print("| %s | %s | %.0f / %.0f ms | %.0f / %.0f ms | %+.0f %% / %+.0f %% | %s / %s KiB |" % (
    os.path.basename(site), month, cw, cc, dw, dc, 100 * (dw / cw - 1), 100 * (dc / cc - 1),
    size(month), size(month + ".thumb")))
PY
