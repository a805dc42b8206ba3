/* test.h - a tiny test harness: each tests/test_*.c is one executable and one
 * CTest test.  CHECK records a failure and goes on; the exit status is the
 * number of failures (capped). */
#ifndef DIGEST_TEST_H
#define DIGEST_TEST_H

#include <stdio.h>
#include <string.h>

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

#define TEST_DONE() return test_failures > 100 ? 100 : test_failures

/* Where fixtures live (tests/fixtures) and where a test may write. */
#ifndef TEST_SOURCE_DIR
#define TEST_SOURCE_DIR "."
#endif
#ifndef TEST_BINARY_DIR
#define TEST_BINARY_DIR "."
#endif

#endif
