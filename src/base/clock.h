/* clock.h - a monotonic clock, for timings in progress lines only. */
#ifndef DIGEST_BASE_CLOCK_H
#define DIGEST_BASE_CLOCK_H


/* A monotonic clock in seconds, for timings in progress lines. */
double dg_now_seconds(void);

#endif
