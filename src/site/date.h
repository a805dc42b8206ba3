/* date.h - a post's date-time as written, parsed from text, compared and
 * turned into seconds since the epoch.  Stage file: src/site/date.c (the
 * calendar arithmetic itself is base/calendar.h). */
#ifndef DIGEST_SITE_DATE_H
#define DIGEST_SITE_DATE_H

#include <stdbool.h>

typedef struct dg_datetime {
    int year, month, day;  /* calendar date as written, in the post's own zone */
    int hour, min, sec;    /* 0 when not given */
    int tz_min;            /* offset east of UTC in minutes, when has_zone */
    bool has_time, has_zone;
} dg_datetime;

/* Parses "2025-03-02", "2025-03-02 10:00:00 +0800", "2025-03-02T10:00:00+08:00",
 * "2025/03/02", "2025-3-2", "2025-03-02 10:00".  Returns 0, or -1 when S is not a
 * date (OUT untouched).  Checks the calendar (no February 30). */
int dg_date_parse(const char *s, dg_datetime *out);
/* Orders by the instant when both have zones, else by the written fields. */
int dg_datetime_cmp(const dg_datetime *a, const dg_datetime *b);
/* Seconds since the epoch (UTC; a date without zone counts as UTC). */
long long dg_datetime_epoch(const dg_datetime *dt);
/* The wall clock of the instant T (seconds since the epoch) in the zone
 * TZ_MIN minutes east of UTC, with its zone. */
dg_datetime dg_datetime_at(long long t, int tz_min);

#endif
