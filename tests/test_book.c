/* test_book.c - a month's book: title pattern, stable identifier, modified
 * time, chapters in date order, a broken post left out; a volume's groups. */
#include <stdlib.h>

#include "content/book.h"
#include "site/site.h"
#include "test.h"

int main(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *site = NULL;
    CHECK(dg_site_open(&site, TEST_SOURCE_DIR "/fixtures/cli", NULL, d) == 0);
    if (!site)
        TEST_DONE();
    CHECK_STR(site->title, "测试站");

    setenv("SOURCE_DATE_EPOCH", "1736000000", 1);
    dg_book *b = dg_book_new(site, "2025-01", NULL, d);
    CHECK(b != NULL);
    if (b) {
        CHECK_STR(b->title, "测试站 · 2025年1月");
        CHECK_STR(b->month_label, "2025年1月");
        CHECK(b->modified == 1736000000);
        CHECK_STR(b->modified_iso, "2025-01-04T14:13:20Z");
        CHECK(strncmp(b->uuid, "urn:uuid:", 9) == 0 && strlen(b->uuid) == 45);
        CHECK(b->nchapters == 2); /* the broken post is left out */
        if (b->nchapters == 2) {
            CHECK_STR(b->chapters[0].post->title, "第一篇");
            CHECK_STR(b->chapters[1].post->title, "第二篇");
            CHECK(strcmp(b->chapters[0].id, b->chapters[1].id) != 0);
        }
        CHECK_STR(b->author, "测试者");
    }
    /* same site and month: same identifier; another month: another one */
    dg_book *again = dg_book_new(site, "2025-01", "{site} {year}-{mm} ({month})", d);
    dg_book *feb = dg_book_new(site, "2025-02", NULL, d);
    CHECK(again && feb);
    if (b && again && feb) {
        CHECK_STR(again->uuid, b->uuid);
        CHECK(strcmp(feb->uuid, b->uuid) != 0);
        CHECK_STR(again->title, "测试站 2025-01 (1)");
    }
    /* without SOURCE_DATE_EPOCH: the newest post's date, never the clock */
    unsetenv("SOURCE_DATE_EPOCH");
    dg_book *nodate = dg_book_new(site, "2025-02", NULL, d);
    CHECK(nodate && strcmp(nodate->modified_iso, "2025-02-02T00:00:00Z") == 0);
    CHECK(dg_book_new(site, "1999-01", NULL, d) == NULL);

    CHECK_STR(dg_format_date(site->arena, "en", 2025, 3, 2), "2 March 2025");
    CHECK_STR(dg_format_month(site->arena, "en-US", 2025, 3), "March 2025");
    CHECK_STR(dg_format_date(site->arena, "zh-CN", 2025, 3, 2), "2025年3月2日");

    /* a volume: the months' chapters grouped by month (and year: all) */
    const char *months[] = {"2025-01", "2025-02"};
    dg_book *year = dg_book_new_volume(site, "2025", months, 2, false, NULL, NULL, NULL, d);
    dg_book *all = dg_book_new_volume(site, "all", months, 2, true, NULL, "{site} {mm}|", NULL, d);
    CHECK(year && all);
    if (year && all && b && feb) {
        CHECK_STR(year->title, "测试站 · 2025年");
        CHECK_STR(all->title, "测试站 |"); /* {mm}: empty in a volume */
        CHECK(strcmp(year->uuid, b->uuid) != 0 && strcmp(year->uuid, all->uuid) != 0);
        CHECK(year->nchapters == b->nchapters + feb->nchapters);
        CHECK(year->group_depth == 1 && year->ngroups == 2 && year->series_index == 0);
        CHECK(year->ngroups == 2 && year->groups[1].first == b->nchapters);
        CHECK_STR(year->groups[0].label, "2025年1月");
        CHECK_STR(year->groups[1].label, "2025年2月");
        CHECK(dg_book_group_of(year, year->nchapters - 1) == &year->groups[1]);
        CHECK(dg_book_group_of(b, 0) == NULL);
        CHECK(all->group_depth == 2 && all->ngroups == 3);
        CHECK(all->ngroups == 3 && all->groups[0].level == 1 && all->groups[1].level == 2);
        CHECK_STR(all->groups[0].label, "2025年");
    }
    CHECK(dg_book_new_volume(site, "1999", (const char *[]){"1999-01"}, 1, false, NULL, NULL,
                             NULL, d) == NULL);
    CHECK_STR(dg_format_year(site->arena, "en", 2025), "2025");
    CHECK_STR(dg_format_year(site->arena, "ko", 2025), "2025년");
    CHECK_STR(dg_format_year(site->arena, "ja", 2025), "2025年");
    dg_book_free(all);
    dg_book_free(year);
    dg_book_free(nodate);
    dg_book_free(feb);
    dg_book_free(again);
    dg_book_free(b);
    dg_site_free(site);
    dg_diag_free(d);
    TEST_DONE();
}
