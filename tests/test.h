/* test.h - a tiny test harness: each tests/test_*.c is one executable and one
 * CTest test.  CHECK records a failure and goes on; the exit status is the
 * number of failures (capped), or TEST_SKIP when a needed tool is missing.
 * Timing is only ever a growth ratio (test_growth). */
#ifndef DIGEST_TEST_H
#define DIGEST_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <time.h>

static int test_failures;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            test_failures++;                                                           \
        }                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                \
    do {                                                                               \
        const char *a_ = (a), *b_ = (b);                                               \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                       \
            fprintf(stderr, "%s:%d: %s == %s failed:\n  got:      %s\n  expected: %s\n", \
                    __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
            test_failures++;                                                           \
        }                                                                              \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                    \
    do {                                                                               \
        const char *h_ = (hay), *n_ = (needle);                                        \
        if (!h_ || !strstr(h_, n_)) {                                                  \
            fprintf(stderr, "%s:%d: expected %s to contain \"%s\"; it is:\n%s\n",      \
                    __FILE__, __LINE__, #hay, n_, h_ ? h_ : "(null)");                 \
            test_failures++;                                                           \
        }                                                                              \
    } while (0)

#define CHECK_NOT_CONTAINS(hay, needle)                                                \
    do {                                                                               \
        const char *h_ = (hay), *n_ = (needle);                                        \
        if (h_ && strstr(h_, n_)) {                                                    \
            fprintf(stderr, "%s:%d: expected %s not to contain \"%s\"; it is:\n%s\n",  \
                    __FILE__, __LINE__, #hay, n_, h_);                                 \
            test_failures++;                                                           \
        }                                                                              \
    } while (0)

/* The number of failures, capped below TEST_SKIP (77) so that many failures
 * never read as "skipped". */
#define TEST_DONE() return test_failures > 70 ? 70 : test_failures

/* The exit status CTest counts as "skipped" (SKIP_RETURN_CODE in
 * tests/CMakeLists.txt): a test whose point is a tool that is not installed
 * says so and exits with it, rather than passing without checking. */
#define TEST_SKIP 77

/* true when every command in the NULL-terminated list TOOLS is on PATH;
 * otherwise names the missing ones on stderr, for the test to exit with
 * TEST_SKIP.  `./setup.sh test` installs them all. */
static inline bool test_have_tools(const char *const *tools)
{
    bool all = true;
    for (size_t i = 0; tools[i]; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", tools[i]);
        if (system(cmd) != 0) {
            fprintf(stderr, "skipped: %s is not installed\n", tools[i]);
            all = false;
        }
    }
    return all;
}

/* Growth, not seconds.  No test compares a time with a constant: a
 * sanitizer build or a loaded machine is many times slower than a quiet
 * release build.  A pathological input is instead built at n and at 4n, and
 * the ratio of their costs checked: about 4 for linear code, 16 for a
 * quadratic blowup.  TEST_LINEAR_GROWTH leaves room for n log n, noise and
 * caches: linear code whose 4n no longer fits a cache level that n fitted
 * measures up to 5.5 here (the sanitizer's 60,000 tiny elements: n's few MB
 * sit in a 32 MB L3 cache, 4n's do not), and still catches a quadratic part
 * that is a quarter of n's cost. */
#define TEST_LINEAR_GROWTH 7.0

/* CPU seconds this process has used: unlike the wall clock, they do not
 * grow while other processes have the CPU. */
static inline double test_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* RUN(CTX, N) builds an input of size N, processes it and returns the CPU
 * seconds (test_cpu_seconds) the processing took.
 *
 * The kernel's share of that time is mostly page faults, which come from the
 * allocator, not the code measured: glibc returns a large freed block to the
 * system, or keeps it, by thresholds that move as the process runs, so one
 * size could fault its memory afresh on every run while the other reuses
 * it.  So the allocator is told to keep what it has (no block mapped on
 * its own, the trim threshold high) and one run at 4N first faults in the memory that every later run
 * reuses.  (A sanitizer's allocator ignores mallopt, and maps and unmaps its
 * large blocks on every run at both sizes alike.)
 *
 * Runs are repeated until the smaller size costs at least 20 ms, so that the
 * ratio is not timer noise on a fast machine; N itself stays as the test
 * chose it.  The two sizes are measured in turn, five times each, so that a
 * burst of load from a parallel test falls on both rather than on one, and
 * the cost of a size is the least of its five measures (interference only
 * ever adds time).  Returns cost(4N) / cost(N) and logs both, under NAME. */
static inline double test_growth(const char *name, double (*run)(void *ctx, size_t n), void *ctx,
                                 size_t n)
{
    mallopt(M_MMAP_MAX, 0); /* no block of its own mapping */
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
    run(ctx, 4 * n);
    int reps = 1;
    for (double s = run(ctx, n); s < 0.02 && reps < 1024; reps *= 2)
        for (int r = 0; r < reps; r++) /* reps more runs: twice as many */
            s += run(ctx, n);
    double t[2] = {0, 0};
    for (int m = 0; m < 5; m++) {
        for (int k = 0; k < 2; k++) {
            size_t size = k ? 4 * n : n;
            double s = 0;
            for (int r = 0; r < reps; r++)
                s += run(ctx, size);
            if (m == 0 || s < t[k])
                t[k] = s;
        }
    }
    double ratio = t[0] > 0 ? t[1] / t[0] : 0;
    fprintf(stderr, "growth of %s: n = %zu, %d run(s): %.1f ms, 4n: %.1f ms of CPU; ratio %.2f\n",
            name, n, reps, t[0] * 1e3, t[1] * 1e3, ratio);
    return ratio;
}

/* Where fixtures live (tests/fixtures) and where a test may write. */
#ifndef TEST_SOURCE_DIR
#define TEST_SOURCE_DIR "."
#endif
#ifndef TEST_BINARY_DIR
#define TEST_BINARY_DIR "."
#endif

#endif
