/* calendar.h - proleptic Gregorian calendar arithmetic: leap years, month
 * lengths, and the count of days since 1970-01-01 in both directions (the
 * one home of these rules; dates are parsed in site/date.c). */
#ifndef DIGEST_BASE_CALENDAR_H
#define DIGEST_BASE_CALENDAR_H

#include <stdbool.h>

/* True for a leap year of the proleptic Gregorian calendar (1600, 2000, 2024;
 * not 1900 or 2100). */
bool dg_is_leap(int year);
/* 28..31 days of MONTH (1-12) of YEAR.  MONTH outside 1..12 is a programmer
 * error. */
int dg_days_in_month(int year, int month);
/* Days since 1970-01-01 of YEAR-MONTH-DAY (negative before it).  Exact for
 * every valid date of any int year. */
long long dg_days_from_civil(int year, int month, int day);
/* The inverse: the date of DAYS since 1970-01-01, for days within the
 * years an int holds. */
void dg_civil_from_days(long long days, int *year, int *month, int *day);

#endif
