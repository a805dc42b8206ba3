#!/usr/bin/env bash
# setup.sh - set up, build and try digest on a Debian 12 machine.
#
#   ./setup.sh              install missing packages, build build/digest,
#                           compile examples/ into examples/_digests/
#   ./setup.sh test         the same, plus the test tools; then the whole test
#                           suite on a -Werror build (build/), again in three
#                           other time zones and locales, and once on an
#                           ASan+UBSan build (build-asan/)
#
# Run as root, or as a user who may sudo (sudo is then used for apt-get only).
# Environment: JOBS (parallel compile jobs, default: CPUs), SKIP_INSTALL=1
# (do not touch packages), SKIP_FUZZ=1 (test: skip the clang fuzzer build).
set -euo pipefail
trap 'echo "setup.sh: the step at line $LINENO failed; see above" >&2' ERR

cd "$(dirname "$0")"
ROOT=$(pwd)
MODE=${1:-build}
case "$MODE" in
build | test) ;;
-h | --help)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "usage: $0 [test]" >&2
    exit 2
    ;;
esac

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

BUILD_PACKAGES=(
    build-essential cmake pkg-config
    libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libxml2-dev libzip-dev
    libhpdf-dev libfreetype-dev libharfbuzz-dev libunibreak-dev
    libwebp-dev libpng-dev libjpeg-dev libcurl4-openssl-dev libgit2-dev libqpdf-dev libidn2-dev
    libdeflate-dev libfontconfig-dev libcairo2-dev
    libhyphen-dev hyphen-en-us hyphen-de hyphen-fr
)
# Every tool or font a test needs: a test that misses one is skipped (exit
# 77), so with all of these installed nothing is skipped.
#   epubcheck + JRE   epubcheck.sh, fetch.sh
#   mupdf-tools, poppler-utils, qpdf, python3
#                     test_pdf, pdfcheck.sh (python3 pdfcheck.py), fontnames.sh;
#                     python3 is also fetch.sh's web server
#   git               test_check (--date-from git)
#   fonts-noto-color-emoji
#                     test_fonts_colour (a colour bitmap font as a fallback)
#   fonts-hanazono    test_fonts, hostile.sh: CJK Extension B from a system font
#                     found through fontconfig (HanaMinA/B, TrueType; free
#                     licence, embedding allowed).  Optional at run time: without
#                     it Extension B is a box in the PDF, with a warning
#   clang + libclang-rt
#                     the libFuzzer build of tests/fuzz
#   chromium, nodejs (+ npm, below)
#                     ace.sh: Ace by DAISY (npm, below) runs in Puppeteer's chromium
#   strace            tests/fetch_offline.sh counts the sockets a build opens
#   unzip             epub_meta.sh (the cover image out of an EPUB)
#   libxml2-utils     opds.sh: xmllint checks catalog.xml against a RELAX NG grammar
TEST_PACKAGES=(
    epubcheck default-jre-headless mupdf-tools poppler-utils qpdf python3 git
    fonts-noto-color-emoji fonts-hanazono
    clang libclang-rt-14-dev
    chromium nodejs unzip
    strace libxml2-utils
)
# Ace by DAISY, the EPUB accessibility checker (tests/ace.sh), is not a
# Debian package: npm installs its command-line tool into ACE_DIR.  Its
# install scripts are not run (they download a browser for the Electron
# runner); the Puppeteer runner uses Debian's chromium.
ACE_DIR=${ACE_DIR:-/opt/ace}

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'setup.sh: %s\n' "$*" >&2
    exit 1
}

# Root runs apt-get itself; anyone else goes through sudo when it exists.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*': run this script as root or install sudo"
    fi
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_missing() {
    local missing=() p
    for p in "$@"; do
        installed "$p" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "all ${#} packages are installed"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing packages (${missing[*]}) and no apt-get: this script knows Debian 12 only"
    fi
    echo "installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}"
}

# configure DIR ARGS...: (re)configures DIR with ARGS; a cache left by another
# source tree or generator is thrown away rather than fought with.
configure() {
    local dir=$1
    shift
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -q "^CMAKE_HOME_DIRECTORY:INTERNAL=$ROOT\$" "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
    cmake -S . -B "$dir" "$@"
}

# LeakSanitizer needs ptrace-like access to the process; some containers and
# CI sandboxes forbid it and every run then dies with "LeakSanitizer has
# encountered a fatal error".  Probe once with a program that does not leak:
# leaks are checked (detect_leaks=1) when that works, else turned off.
leak_detection() {
    local tmp rc=1
    tmp=$(mktemp -d)
    printf 'int main(void) { return 0; }\n' >"$tmp/probe.c"
    if cc -fsanitize=address "$tmp/probe.c" -o "$tmp/probe" 2>/dev/null; then
        ASAN_OPTIONS=detect_leaks=1 "$tmp/probe" >/dev/null 2>&1 && rc=0
    fi
    rm -rf "$tmp"
    if [ $rc -eq 0 ]; then
        echo 1
    else
        echo 0
    fi
}

# ---------------------------------------------------------------- packages
if [ "${SKIP_INSTALL:-0}" != 1 ]; then
    say "Debian packages"
    if [ "$MODE" = test ]; then
        install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        # nodejs from elsewhere (NodeSource) brings its own npm, which Debian's
        # npm package would conflict with.
        command -v npm >/dev/null 2>&1 || install_missing npm
        if [ ! -x "$ACE_DIR/node_modules/.bin/ace-cli" ]; then
            say "Ace by DAISY (npm) into $ACE_DIR"
            as_root mkdir -p "$ACE_DIR"
            as_root npm install --prefix "$ACE_DIR" --ignore-scripts --no-audit --no-fund \
                @daisy/ace-cli@1.4.6
        fi
    else
        install_missing "${BUILD_PACKAGES[@]}"
    fi
fi

# ---------------------------------------------------------------- build
say "Building build/digest"
if [ "$MODE" = test ]; then
    configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDIGEST_WERROR=ON
else
    configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDIGEST_WERROR=OFF
fi
cmake --build build -j "$JOBS"

# ---------------------------------------------------------------- examples
say "Compiling examples/ into digests"
status=0
build/digest build examples -o examples/_digests || status=$?
if [ $status -ne 0 ]; then
    echo "digest exited with status $status (1: some input had errors, 2: usage/environment)" >&2
fi
echo
echo "Digests of the sample site are in $ROOT/examples/_digests:"
find examples/_digests -maxdepth 1 -type f -printf '  %f  (%s bytes)\n' 2>/dev/null | sort || true

if [ "$MODE" = build ]; then
    exit $status
fi

# ---------------------------------------------------------------- tests
failed=()
[ $status -eq 0 ] || failed+=("examples build (status $status)")

# suite DIR [NAME=VALUE...]: the test suite of DIR (all but the opt-in corpus
# label) with those variables set.  A failed test fails setup.sh test; so
# does a skipped one, as every tool and font a test needs was installed above.
suite() {
    local dir=$1 what=$1 log skipped
    shift
    [ $# -eq 0 ] || what="$dir with $*"
    log=$(mktemp)
    if ! env "$@" ctest --test-dir "$dir" --output-on-failure -j2 -LE corpus 2>&1 | tee "$log"; then
        failed+=("ctest $what")
    fi
    skipped=$(sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (Skipped)$/\1/p' "$log" | tr '\n' ' ')
    [ -z "$skipped" ] || failed+=("ctest $what: skipped (a tool is missing): $skipped")
    rm -f "$log"
}

say "Tests: -Werror build (build/)"
suite build

# Nothing digest writes may depend on the time zone or the locale (only
# --date-from mtime reads the local zone, and its test sets TZ itself): the
# same suite again east and west of UTC and in the C locale.
for setting in TZ=Asia/Shanghai TZ=America/Los_Angeles LC_ALL=C; do
    say "Tests: -Werror build (build/) with $setting"
    suite build "$setting"
done

say "Tests: ASan+UBSan build (build-asan/), with TZ=America/Los_Angeles"
LEAKS=$(leak_detection)
if [ "$LEAKS" = 0 ]; then
    echo "LeakSanitizer cannot run here (no ptrace access); leak checks are off"
fi
if configure build-asan -DCMAKE_BUILD_TYPE=Debug -DDIGEST_SANITIZE=ON -DDIGEST_WERROR=ON &&
    cmake --build build-asan -j "$JOBS"; then
    suite build-asan TZ=America/Los_Angeles \
        ASAN_OPTIONS="detect_leaks=$LEAKS:abort_on_error=0:strict_string_checks=1" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
else
    failed+=("ASan build")
fi

# The fuzz targets are libFuzzer binaries under clang: check that they build
# and survive their seed corpus (the corpus is also replayed by ctest above).
if [ "${SKIP_FUZZ:-0}" != 1 ] && command -v clang >/dev/null 2>&1 &&
    compgen -G "tests/fuzz/fuzz_*.c" >/dev/null; then
    say "Fuzz targets: clang + libFuzzer (build-fuzz/)"
    targets=()
    for f in tests/fuzz/fuzz_*.c; do
        targets+=("$(basename "$f" .c)")
    done
    if CC=clang configure build-fuzz -DCMAKE_BUILD_TYPE=Debug -DDIGEST_FUZZ=ON &&
        cmake --build build-fuzz -j "$JOBS" --target "${targets[@]}"; then
        for t in "${targets[@]}"; do
            corpus=tests/fuzz/corpus/$t
            [ -d "$corpus" ] || continue
            ASAN_OPTIONS="detect_leaks=$LEAKS" "build-fuzz/tests/$t" -runs=0 "$corpus" \
                >/dev/null 2>"build-fuzz/$t.log" || failed+=("$t on its corpus (build-fuzz/$t.log)")
        done
    else
        failed+=("fuzz build")
    fi
fi

echo
if [ ${#failed[@]} -ne 0 ]; then
    echo "FAILED:"
    printf '  %s\n' "${failed[@]}"
    exit 1
fi
echo "All tests passed."
