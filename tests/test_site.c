/* test_site.c - dg_site_open on the fixture sites in tests/fixtures/site. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "site/site.h"
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
    dg_post **feb = dg_site_month_posts(s, "2024-02", s->arena, &np);
    CHECK(np == 5);
    if (np == 5)
        CHECK_STR(feb[4]->title, "Late in the Pacific");
    dg_post **mar = dg_site_month_posts(s, "2024-03", s->arena, &np);
    CHECK(np == 1);
    if (np == 1) {
        CHECK_STR(mar[0]->title, "三月第一篇");
        CHECK(mar[0]->ntags == 2);
    }
    dg_site_month_posts(s, "1999-01", s->arena, &np);
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

/* Issue 4: other site shapes, found without --posts. */
static void test_shapes(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;

    /* Hugo: content/posts; a page bundle (index.md alone in a dated folder),
     * dates from YYYYMMDD, YYYY.MM.DD and YYYYMMDD_ names; _index.md and a
     * README.md beside other posts are not posts. */
    CHECK(dg_site_open(&s, FIX "/hugo", NULL, d) == 0);
    if (s) {
        CHECK(strstr(s->posts_dir, "/content/posts") != NULL);
        CHECK(s->nposts == 3);
        CHECK(s->nskipped == 0);
        if (s->nposts == 3) {
            CHECK_STR(s->posts[0]->title, "页面包");
            CHECK_STR(s->posts[0]->slug, "bundle");
            CHECK(s->posts[0]->date.day == 7);
            CHECK_STR(s->posts[1]->title, "dots");
            CHECK(s->posts[1]->date.day == 14);
            CHECK_STR(s->posts[2]->title, "underscore");
            CHECK(s->posts[2]->date.day == 21);
        }
        CHECK_STR(s->lang, "zh-CN");
    }
    dg_site_free(s);

    /* Hexo: source/_posts, YYYY-M-D file name. */
    s = NULL;
    CHECK(dg_site_open(&s, FIX "/hexo", NULL, d) == 0);
    if (s) {
        CHECK(s->nposts == 1);
        if (s->nposts == 1) {
            CHECK_STR(s->posts[0]->title, "Hexo 文章");
            CHECK(s->posts[0]->date.month == 1 && s->posts[0]->date.day == 6);
        }
    }
    dg_site_free(s);

    /* Pelican: content/, Key: value headers; an English site. */
    s = NULL;
    CHECK(dg_site_open(&s, FIX "/pelican", NULL, d) == 0);
    if (s) {
        CHECK_STR(s->lang, "en");
        /* draft and bad date out; "Note:" is body text, dated by its name. */
        CHECK(s->nposts == 2);
        CHECK(s->nskipped == 2);
        if (s->nposts == 2) {
            dg_post *p = s->posts[0];
            CHECK_STR(p->title, "This Week in Testing 367");
            CHECK(p->date.year == 2020 && p->date.month == 12 && p->date.day == 2);
            CHECK(p->date_line == 3);
            CHECK(p->ncategories == 1);
            if (p->ncategories == 1)
                CHECK_STR(p->categories[0], "This Week in Testing");
            CHECK(p->ntags == 2);
            if (p->ntags == 2)
                CHECK_STR(p->tags[1], "weekly news");
            CHECK(p->body_line == 6);
            CHECK_CONTAINS(p->html, "Note: this line is body text.");
            CHECK_NOT_CONTAINS(p->html, "Number:");
            p = s->posts[1];
            CHECK_STR(p->title, "plain");
            CHECK_CONTAINS(p->html, "<p data-sourcepos=\"1:1-1:66\">Note:");
        }
    }
    CHECK_CONTAINS(dg_diag_text(d),
                   "2020-12-16-bad-date.md:2:7: error: '2020-12-32' is not a date");
    dg_site_free(s);

    /* No known shape. */
    s = NULL;
    CHECK(dg_site_open(&s, FIX, NULL, d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "no posts folder found");
    dg_diag_free(d);
}

/* A lazily opened site hands out each month's posts rendered into the
 * caller's arena and is itself never written: two threads take the same
 * month at once, each into its own arena, and get the same html. */
typedef struct month_take {
    const dg_site *s;
    dg_arena *a;
    dg_post **posts;
    size_t n;
} month_take;

static void *take_month(void *arg)
{
    month_take *t = arg;
    t->posts = dg_site_month_posts(t->s, "2024-02", t->a, &t->n);
    return NULL;
}

static void test_lazy(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    dg_site_opts o = {0};
    o.root = FIX "/basic";
    o.lazy_html = true;
    CHECK(dg_site_open_opts(&s, &o, d) == 0);
    if (!s)
        goto out;
    size_t nm = 0;
    const char *html_before[8] = {0};
    dg_post **meta = dg_site_month_posts_meta(s, "2024-02", &nm);
    CHECK(nm == 5);
    for (size_t i = 0; i < nm && i < 8; i++)
        html_before[i] = meta[i]->html;
    CHECK(meta[0]->html == NULL); /* its title came from the file name: nothing rendered */

    month_take t[2] = {{s, dg_arena_new(), NULL, 0}, {s, dg_arena_new(), NULL, 0}};
    pthread_t th[2];
    int started = 0;
    for (int k = 0; k < 2; k++)
        started += pthread_create(&th[k], NULL, take_month, &t[k]) == 0;
    CHECK(started == 2);
    for (int k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    CHECK(t[0].n == 5 && t[1].n == 5);
    for (size_t i = 0; i < t[0].n && i < t[1].n; i++) {
        CHECK(t[0].posts[i]->html != NULL);
        CHECK(t[0].posts[i] != meta[i] && t[0].posts[i] != t[1].posts[i]);
        CHECK_STR(t[0].posts[i]->html, t[1].posts[i]->html);
        CHECK_STR(t[0].posts[i]->relpath, meta[i]->relpath);
    }
    /* the site's own posts are as they were */
    for (size_t i = 0; i < nm && i < 8; i++)
        CHECK(meta[i]->html == html_before[i]);
    if (t[0].n == 5)
        CHECK_CONTAINS(t[0].posts[4]->html, "<p");
    /* a month without posts */
    size_t n = 1;
    CHECK(dg_site_month_posts(s, "1999-01", t[0].a, &n) == NULL && n == 0);
    dg_arena_free(t[0].a);
    dg_arena_free(t[1].a);
out:
    dg_site_free(s);
    dg_diag_free(d);
}

int main(void)
{
    test_shapes();
    test_basic();
    test_undated_once();
    test_defaults();
    test_posts_dir();
    test_lazy();
    TEST_DONE();
}
