/* test_dates.c - the dates table parser: rows, header, comments, bad rows
 * reported with their position. */
#include "site/site.h"
#include "test.h"

int main(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_vec rows = {0};
    static const char csv[] = "path,date\n"
                              "docs/issue-1.md,2021-09-01\n"
                              "# a comment\n"
                              "\n"
                              "docs/issue-2.md , 2021-10-01 , a note\n"
                              "no comma here\n"
                              "x.md,2021-02-30\n";
    CHECK(dg_dates_parse(a, csv, sizeof csv - 1, "dates.csv", &rows, d) == 2);
    CHECK(dg_diag_errors(d) == 2);
    CHECK_CONTAINS(dg_diag_text(d), "dates.csv:6:1: error: expected 'path,YYYY-MM-DD'");
    CHECK_CONTAINS(dg_diag_text(d), "dates.csv:7:6: error: '2021-02-30' is not a date");
    /* the header row is no error; an empty table adds nothing */
    CHECK_NOT_CONTAINS(dg_diag_text(d), "dates.csv:1:");
    CHECK(dg_dates_parse(a, "", 0, "empty.csv", &rows, d) == 0);
    dg_vec_free(&rows);
    dg_diag_free(d);
    dg_arena_free(a);
    TEST_DONE();
}
