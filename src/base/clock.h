/* clock.h - a monotonic clock, for timings in progress lines, and the wall
 * clock of the image cache's records (never of a digest's bytes). */
#ifndef DIGEST_BASE_CLOCK_H
#define DIGEST_BASE_CLOCK_H

#include <stdint.h>

/* A monotonic clock in seconds, for timings in progress lines. */
double dg_now_seconds(void);

/* Seconds since the epoch, for records kept between runs (when an image was
 * last used, when a fetch failed).  DIGEST_TEST_NOW, a number of seconds,
 * sets it: tests only, to age those records without waiting. */
int64_t dg_wall_seconds(void);

#endif
