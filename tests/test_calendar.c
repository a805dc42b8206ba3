/* test_calendar.c - base/calendar.c: leap years, month lengths, and days
 * since 1970-01-01 in both directions, against a day-by-day count. */
#include "base/calendar.h"
#include "site/date.h"
#include "test.h"

static void test_leap(void)
{
    CHECK(dg_is_leap(2024));
    CHECK(dg_is_leap(2000));
    CHECK(dg_is_leap(1600));
    CHECK(dg_is_leap(0));
    CHECK(dg_is_leap(-4));
    CHECK(!dg_is_leap(1900));
    CHECK(!dg_is_leap(2100));
    CHECK(!dg_is_leap(2023));
    CHECK(!dg_is_leap(-1));
    CHECK(dg_days_in_month(2024, 2) == 29);
    CHECK(dg_days_in_month(2023, 2) == 28);
    CHECK(dg_days_in_month(1900, 2) == 28);
    CHECK(dg_days_in_month(2000, 2) == 29);
    CHECK(dg_days_in_month(2025, 1) == 31);
    CHECK(dg_days_in_month(2025, 4) == 30);
    CHECK(dg_days_in_month(2025, 12) == 31);
    /* 400 years hold 146097 days, 97 of the years leap */
    int days = 0, leap = 0;
    for (int y = 1601; y <= 2000; y++) {
        leap += dg_is_leap(y);
        for (int m = 1; m <= 12; m++)
            days += dg_days_in_month(y, m);
    }
    CHECK(days == 146097);
    CHECK(leap == 97);
}

static void test_known_days(void)
{
    CHECK(dg_days_from_civil(1970, 1, 1) == 0);
    CHECK(dg_days_from_civil(1969, 12, 31) == -1);
    CHECK(dg_days_from_civil(2000, 3, 1) == 11017);
    CHECK(dg_days_from_civil(2024, 3, 1) == 19783);
    CHECK(dg_days_from_civil(1, 1, 1) == -719162);
    int y, m, d;
    dg_civil_from_days(-1, &y, &m, &d);
    CHECK(y == 1969 && m == 12 && d == 31);
    dg_civil_from_days(11016, &y, &m, &d);
    CHECK(y == 2000 && m == 2 && d == 29);
    dg_civil_from_days(-719162, &y, &m, &d);
    CHECK(y == 1 && m == 1 && d == 1);
}

/* Walks the calendar one day at a time from year -1000 to 3000 (about 1.5
 * million days): each date's count is the previous one's plus one, and the
 * count turns back into the date. */
static void test_round_trip(void)
{
    long long want = dg_days_from_civil(-1000, 1, 1);
    int bad = 0;
    for (int y = -1000; y <= 3000 && bad < 5; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= dg_days_in_month(y, m); d++, want++) {
                int y2, m2, d2;
                long long got = dg_days_from_civil(y, m, d);
                dg_civil_from_days(got, &y2, &m2, &d2);
                if (got != want || y2 != y || m2 != m || d2 != d) {
                    fprintf(stderr, "%d-%d-%d: %lld (want %lld) -> %d-%d-%d\n", y, m, d, got,
                            want, y2, m2, d2);
                    bad++;
                }
            }
    CHECK(bad == 0);
    /* far from the epoch on both sides */
    for (long long days = -200000000LL; days <= 200000000LL; days += 9999991LL) {
        int y, m, d;
        dg_civil_from_days(days, &y, &m, &d);
        CHECK(m >= 1 && m <= 12 && d >= 1 && d <= dg_days_in_month(y, m));
        CHECK(dg_days_from_civil(y, m, d) == days);
    }
}

/* dg_datetime_at, the inverse of dg_datetime_epoch, in several zones. */
static void test_datetime_at(void)
{
    dg_datetime dt = dg_datetime_at(0, 0);
    CHECK(dt.year == 1970 && dt.month == 1 && dt.day == 1 && dt.hour == 0 && dt.has_zone);
    dt = dg_datetime_at(-1, 0);
    CHECK(dt.year == 1969 && dt.month == 12 && dt.day == 31 && dt.hour == 23 && dt.min == 59 &&
          dt.sec == 59);
    /* 2024-02-29 16:00 UTC is 2024-03-01 00:00 at +08:00 */
    dt = dg_datetime_at(1709222400LL, 480);
    CHECK(dt.year == 2024 && dt.month == 3 && dt.day == 1 && dt.hour == 0 && dt.tz_min == 480);
    for (long long t = -5000000000LL; t < 5000000000LL; t += 123456789LL)
        for (int tz = -720; tz <= 840; tz += 345) {
            dg_datetime x = dg_datetime_at(t, tz);
            CHECK(dg_datetime_epoch(&x) == t);
        }
}

int main(void)
{
    test_leap();
    test_known_days();
    test_round_trip();
    test_datetime_at();
    TEST_DONE();
}
