/* clock.c - a monotonic clock for progress timings. */
#include "base/clock.h"

#include <time.h>

double dg_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
