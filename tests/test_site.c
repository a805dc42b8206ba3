/* test_site.c - dg_site_open on the fixture sites in tests/fixtures/site. */
#include <stdlib.h>
#include <string.h>

#include "digest/site.h"
#include "test.h"

#define FIX TEST_SOURCE_DIR "/fixtures/site"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_basic(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, FIX "/basic", NULL, d) == 0);
    if (!s)
        goto out;
    const char *log = dg_diag_text(d);
    /* _config.yml */
    CHECK_STR(s->title, "测试周刊");
    CHECK_STR(s->author, "小明");
    CHECK_STR(s->lang, "zh-Hans");
    CHECK_STR(s->description, "每周的阅读笔记");
    CHECK(s->root[0] == '/');
    CHECK(strstr(s->posts_dir, "/_posts") != NULL);

    /* Six posts: hidden folder, .txt, draft, undated and broken are out. */
    CHECK(s->nposts == 6);
    CHECK(s->nskipped == 3);
    const char *order[] = {"_posts/2024/2024-02-05-from-name.md", "_posts/2024/a-same-day.md",
                           "_posts/2024/b-same-day.md", "_posts/2024-02-12-h1-title.markdown",
                           /* 03-01 08:00 +0800 is 02-29 16:00 UTC, before 02-29 23:30 -0800 */
                           "_posts/2024-03-01-early-march.md", "_posts/2024-02-29-late-pacific.md"};
    for (size_t i = 0; i < s->nposts && i < 6; i++)
        CHECK_STR(s->posts[i]->relpath, order[i]);
    CHECK_STR(s->posts[0]->title, "from-name");
    CHECK(s->posts[0]->date_line == 0);
    CHECK_STR(s->posts[3]->title, "标题来自 H1");
    CHECK(s->posts[3]->title_from_h1);

    /* Months are by the date as written: the Pacific post stays in February. */
    size_t nm = 0;
    const char **months = dg_site_months(s, &nm);
    CHECK(nm == 2);
    if (nm == 2) {
        CHECK_STR(months[0], "2024-02");
        CHECK_STR(months[1], "2024-03");
    }
    size_t np = 0;
    dg_post **feb = dg_site_month_posts(s, "2024-02", &np);
    CHECK(np == 5);
    if (np == 5)
        CHECK_STR(feb[4]->title, "Late in the Pacific");
    dg_post **mar = dg_site_month_posts(s, "2024-03", &np);
    CHECK(np == 1);
    if (np == 1) {
        CHECK_STR(mar[0]->title, "三月第一篇");
        CHECK(mar[0]->ntags == 2);
    }
    dg_site_month_posts(s, "1999-01", &np);
    CHECK(np == 0);

    /* Diagnostics: the undated post once, the broken one with its position. */
    CHECK(count(log, "undated.md: warning: no date in front matter or file name; left out") == 1);
    CHECK_CONTAINS(log, "_posts/2024-02-21-broken.md:4:1: error: bad YAML");
    CHECK_NOT_CONTAINS(log, "hidden");
    CHECK_NOT_CONTAINS(log, "draft");
out:
    dg_site_free(s);
    dg_diag_free(d);
}

static void test_undated_once(void)
{
    /* A second scan with the same sink does not repeat the warning. */
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s1 = NULL, *s2 = NULL;
    CHECK(dg_site_open(&s1, FIX "/basic", NULL, d) == 0);
    CHECK(dg_site_open(&s2, FIX "/basic", NULL, d) == 0);
    CHECK(count(dg_diag_text(d), "no date in front matter") == 1);
    dg_site_free(s1);
    dg_site_free(s2);
    dg_diag_free(d);
}

static void test_defaults(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, FIX "/noconfig", NULL, d) == 0);
    if (s) {
        CHECK_STR(s->title, "noconfig");
        CHECK(s->author == NULL);
        CHECK_STR(s->lang, "zh-CN");
        CHECK(s->nposts == 1);
    }
    CHECK(dg_diag_errors(d) == 0 && dg_diag_warnings(d) == 0);
    dg_site_free(s);
    dg_diag_free(d);

    /* A broken _config.yml is a warning with its position; defaults apply. */
    d = dg_diag_new(NULL);
    s = NULL;
    CHECK(dg_site_open(&s, FIX "/badconfig", NULL, d) == 0);
    if (s) {
        CHECK_STR(s->title, "badconfig");
        CHECK_STR(s->lang, "zh-CN");
        CHECK(s->nposts == 1);
    }
    CHECK_CONTAINS(dg_diag_text(d), "badconfig/_config.yml:3:1: warning: bad YAML");
    CHECK(dg_diag_errors(d) == 0);
    dg_site_free(s);
    dg_diag_free(d);
}

static void test_posts_dir(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    /* --posts relative to the site: only the 2024 folder. */
    CHECK(dg_site_open(&s, FIX "/basic", "_posts/2024", d) == 0);
    if (s) {
        CHECK(s->nposts == 3);
        if (s->nposts == 3)
            CHECK_STR(s->posts[0]->relpath, "_posts/2024/2024-02-05-from-name.md");
    }
    dg_site_free(s);
    s = NULL;
    CHECK(dg_site_open(&s, FIX "/basic", "nope", d) == -1);
    CHECK(s == NULL);
    CHECK_CONTAINS(dg_diag_text(d), "nope: error: no such posts folder");
    CHECK(dg_site_open(&s, FIX "/does-not-exist", NULL, d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "does-not-exist: error: cannot open the site");
    dg_diag_free(d);
}

int main(void)
{
    test_basic();
    test_undated_once();
    test_defaults();
    test_posts_dir();
    TEST_DONE();
}
