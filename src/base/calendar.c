/* calendar.c - proleptic Gregorian calendar arithmetic.  The conversions
 * between dates and day counts follow Howard Hinnant's "chrono-compatible
 * low-level date algorithms": shift the year to start in March (so the leap
 * day is the last day of the year), split it into 400-year eras of 146097
 * days, and count in the era. */
#include "base/calendar.h"

#include <assert.h>

/* Days from 0000-03-01 to 1970-01-01. */
#define DAYS_0000_03_01_TO_EPOCH 719468
/* Days in one 400-year era of the Gregorian calendar. */
#define DAYS_PER_ERA 146097

bool dg_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int dg_days_in_month(int year, int month)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    assert(month >= 1 && month <= 12);
    return month == 2 && dg_is_leap(year) ? 29 : dm[month - 1];
}

long long dg_days_from_civil(int year, int month, int day)
{
    long long y = (long long)year - (month <= 2);
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;                                            /* [0, 399] */
    long long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; /* [0, 365] */
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
    return era * DAYS_PER_ERA + doe - DAYS_0000_03_01_TO_EPOCH;
}

void dg_civil_from_days(long long days, int *year, int *month, int *day)
{
    long long z = days + DAYS_0000_03_01_TO_EPOCH;
    long long era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
    long long doe = z - era * DAYS_PER_ERA;                                /* [0, 146096] */
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    long long mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}
