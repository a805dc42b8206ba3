/* clock.c - a monotonic clock for progress timings, and the wall clock. */
#include "base/clock.h"

#include <stdlib.h>
#include <time.h>

double dg_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t dg_wall_seconds(void)
{
    const char *t = getenv("DIGEST_TEST_NOW");
    char *end;
    if (t && *t) {
        long long v = strtoll(t, &end, 10);
        if (*end == 0 && v >= 0)
            return v;
    }
    return (int64_t)time(NULL);
}
