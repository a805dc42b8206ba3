/* date.c - a post's date-time: parsed from the text of front matter, file
 * names and dates tables, compared, and turned into seconds since the epoch.
 * The calendar rules themselves live in base/calendar.c.
 */
#include "site/date.h"

#include "base/calendar.h"

/* Reads 1..MAXD digits; returns how many were read (0: none). */
static int read_num(const char *s, int maxd, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && s[n] >= '0' && s[n] <= '9') {
        x = x * 10 + (s[n] - '0');
        n++;
    }
    if (n > 0 && s[n] >= '0' && s[n] <= '9')
        return 0; /* too many digits */
    *v = x;
    return n;
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int dg_date_parse(const char *s, dg_datetime *out)
{
    if (!s)
        return -1;
    dg_datetime dt = {0};
    s = skip_ws(s);
    int n = read_num(s, 4, &dt.year);
    if (n != 4)
        return -1;
    s += n;
    char sep = *s;
    if (sep != '-' && sep != '/' && sep != '.')
        return -1;
    s++;
    if (!(n = read_num(s, 2, &dt.month)))
        return -1;
    s += n;
    if (*s != sep)
        return -1;
    s++;
    if (!(n = read_num(s, 2, &dt.day)))
        return -1;
    s += n;
    if (dt.year < 1 || dt.month < 1 || dt.month > 12 || dt.day < 1 ||
        dt.day > dg_days_in_month(dt.year, dt.month))
        return -1;

    /* Optional time: 'T' or blanks, then HH:MM[:SS[.fraction]]. */
    const char *t = s;
    if (*t == 'T' || *t == 't')
        t++;
    else
        t = skip_ws(t);
    if (t != s && *t >= '0' && *t <= '9') {
        if (!(n = read_num(t, 2, &dt.hour)) || t[n] != ':')
            return -1;
        t += n + 1;
        if (!(n = read_num(t, 2, &dt.min)) || n != 2)
            return -1;
        t += n;
        if (*t == ':') {
            t++;
            if (!(n = read_num(t, 2, &dt.sec)) || n != 2)
                return -1;
            t += n;
            if (*t == '.' || *t == ',') {
                t++;
                if (!(*t >= '0' && *t <= '9'))
                    return -1;
                while (*t >= '0' && *t <= '9')
                    t++;
            }
        }
        if (dt.hour > 23 || dt.min > 59 || dt.sec > 60)
            return -1;
        dt.has_time = true;
        s = t;
        /* Optional zone: Z, +HH:MM, +HHMM, +HH (blanks before it allowed). */
        t = skip_ws(s);
        if (*t == 'Z' || *t == 'z') {
            dt.has_zone = true;
            s = t + 1;
        } else if (*t == '+' || *t == '-') {
            int sign = *t == '-' ? -1 : 1, zh = 0, zm = 0;
            t++;
            n = read_num(t, 4, &zh);
            if (n == 4) {
                zm = zh % 100;
                zh /= 100;
            } else if (n == 2 || n == 1) {
                t += n;
                if (*t == ':') {
                    t++;
                    if (read_num(t, 2, &zm) != 2)
                        return -1;
                    n = 2;
                } else {
                    n = 0;
                }
            } else {
                return -1;
            }
            t += n;
            if (zh > 18 || zm > 59)
                return -1;
            dt.has_zone = true;
            dt.tz_min = sign * (zh * 60 + zm);
            s = t;
        }
    }
    s = skip_ws(s);
    while (*s == '\r' || *s == '\n' || *s == ' ' || *s == '\t')
        s++;
    if (*s)
        return -1;
    *out = dt;
    return 0;
}

long long dg_datetime_epoch(const dg_datetime *dt)
{
    long long t = dg_days_from_civil(dt->year, dt->month, dt->day) * 86400LL + dt->hour * 3600LL +
                  dt->min * 60LL + dt->sec;
    if (dt->has_zone)
        t -= dt->tz_min * 60LL;
    return t;
}

static int cmp_int(long long a, long long b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

int dg_datetime_cmp(const dg_datetime *a, const dg_datetime *b)
{
    if (a->has_zone && b->has_zone)
        return cmp_int(dg_datetime_epoch(a), dg_datetime_epoch(b));
    int c;
    if ((c = cmp_int(a->year, b->year)) || (c = cmp_int(a->month, b->month)) ||
        (c = cmp_int(a->day, b->day)) || (c = cmp_int(a->hour, b->hour)) ||
        (c = cmp_int(a->min, b->min)) || (c = cmp_int(a->sec, b->sec)))
        return c;
    return 0;
}

dg_datetime dg_datetime_at(long long t, int tz_min)
{
    long long wall = t + tz_min * 60LL; /* the clock on the wall in that zone */
    long long days = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
    long long secs = wall - days * 86400;
    dg_datetime dt = {0};
    dg_civil_from_days(days, &dt.year, &dt.month, &dt.day);
    dt.hour = (int)(secs / 3600);
    dt.min = (int)(secs / 60 % 60);
    dt.sec = (int)(secs % 60);
    dt.tz_min = tz_min;
    dt.has_time = dt.has_zone = true;
    return dt;
}
