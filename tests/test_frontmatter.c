/* test_frontmatter.c - dates and YAML front matter. */
#include <string.h>

#include "site/post.h"
#include "test.h"

static void test_dates(void)
{
    dg_datetime dt;
    CHECK(dg_date_parse("2025-03-02", &dt) == 0);
    CHECK(dt.year == 2025 && dt.month == 3 && dt.day == 2 && !dt.has_time && !dt.has_zone);

    CHECK(dg_date_parse("2025-03-02 10:00:00 +0800", &dt) == 0);
    CHECK(dt.hour == 10 && dt.min == 0 && dt.has_time && dt.has_zone && dt.tz_min == 480);

    CHECK(dg_date_parse("2025-03-02T10:00:00+08:00", &dt) == 0);
    CHECK(dt.has_zone && dt.tz_min == 480 && dt.hour == 10);

    CHECK(dg_date_parse("2025-03-02T01:02:03Z", &dt) == 0);
    CHECK(dt.has_zone && dt.tz_min == 0 && dt.sec == 3);

    CHECK(dg_date_parse("2025-03-02T01:02:03.250-05:30", &dt) == 0);
    CHECK(dt.tz_min == -330);

    CHECK(dg_date_parse("2025/03/02", &dt) == 0);
    CHECK(dt.year == 2025 && dt.month == 3 && dt.day == 2);

    CHECK(dg_date_parse("2025-3-2", &dt) == 0);
    CHECK(dt.month == 3 && dt.day == 2);

    CHECK(dg_date_parse("2025-03-02 10:00", &dt) == 0);
    CHECK(dt.hour == 10 && dt.has_time && !dt.has_zone);

    CHECK(dg_date_parse("2022/10/17", &dt) == 0);
    CHECK(dg_date_parse("2024-02-29", &dt) == 0);

    /* Not dates. */
    dg_datetime keep = {.year = 7};
    dt = keep;
    CHECK(dg_date_parse("2025-02-29", &dt) == -1); /* not a leap year */
    CHECK(dt.year == 7);                           /* untouched */
    CHECK(dg_date_parse("2100-02-29", &dt) == -1);
    CHECK(dg_date_parse("2025-02-30", &dt) == -1);
    CHECK(dg_date_parse("2025-13-01", &dt) == -1);
    CHECK(dg_date_parse("2025-00-10", &dt) == -1);
    CHECK(dg_date_parse("2025-03-02 25:00", &dt) == -1);
    CHECK(dg_date_parse("2025-03/02", &dt) == -1);
    CHECK(dg_date_parse("yesterday", &dt) == -1);
    CHECK(dg_date_parse("", &dt) == -1);
    CHECK(dg_date_parse("2025-03-02 junk", &dt) == -1);
    CHECK(dg_date_parse("20250302", &dt) == -1);
    CHECK(dg_date_parse("2025-03-02T", &dt) == -1);
    CHECK(dg_date_parse(NULL, &dt) == -1);
}

static void test_order(void)
{
    dg_datetime a, b;
    /* Same instant in two zones. */
    dg_date_parse("2024-03-01 08:00:00 +0800", &a);
    dg_date_parse("2024-03-01T00:00:00Z", &b);
    CHECK(dg_datetime_cmp(&a, &b) == 0);
    CHECK(dg_datetime_epoch(&a) == dg_datetime_epoch(&b));
    CHECK(dg_datetime_epoch(&b) == 1709251200LL);
    /* Written later but earlier as an instant. */
    dg_date_parse("2024-02-29 23:30:00 -0800", &b);
    CHECK(dg_datetime_cmp(&a, &b) < 0);
    CHECK(dg_datetime_cmp(&b, &a) > 0);
    /* Without zones: the written fields. */
    dg_date_parse("2024-02-29 23:30", &a);
    dg_date_parse("2024-03-01", &b);
    CHECK(dg_datetime_cmp(&a, &b) < 0);
    dg_date_parse("1970-01-01", &a);
    CHECK(dg_datetime_epoch(&a) == 0);
}

typedef struct fm_result {
    int rc;
    size_t body_off;
    dg_post p;
    char log[2048];
} fm_result;

static fm_result fm(dg_arena *a, const char *text)
{
    fm_result r = {0};
    dg_diag *d = dg_diag_new(NULL);
    r.p.published = true;
    r.rc = dg_frontmatter_parse(&r.p, a, "post.md", text, strlen(text), &r.body_off, d);
    snprintf(r.log, sizeof r.log, "%s", dg_diag_text(d));
    dg_diag_free(d);
    return r;
}

static void test_good(void)
{
    dg_arena *a = dg_arena_new();
    const char *text = "---\n"
                       "layout:     post\n"
                       "title:      A~Share022\n"
                       "subtitle:   一只分享\n"
                       "date:       2025-03-02 10:00:00 +0800\n"
                       "author:     Lanyuxs\n"
                       "header-img: img/post-bg.jpg\n"
                       "catalog: true\n"
                       "description: \"描述: 有冒号\"\n"
                       "tags:\n"
                       "    - 分享\n"
                       "    - weekly\n"
                       "categories: 生活, 技术 读书\n"
                       "comments: {enabled: true}\n"
                       "---\n"
                       "body\n";
    fm_result r = fm(a, text);
    CHECK(r.rc == 0);
    CHECK_STR(r.log, "");
    CHECK_STR(r.p.title, "A~Share022");
    CHECK_STR(r.p.subtitle, "一只分享");
    CHECK_STR(r.p.author, "Lanyuxs");
    CHECK_STR(r.p.header_img, "img/post-bg.jpg");
    CHECK_STR(r.p.description, "描述: 有冒号");
    CHECK(r.p.catalog);
    CHECK(r.p.published);
    CHECK(r.p.has_date && r.p.date.year == 2025 && r.p.date.tz_min == 480);
    CHECK(r.p.date_line == 5);
    CHECK(r.p.ntags == 2);
    if (r.p.ntags == 2) {
        CHECK_STR(r.p.tags[0], "分享");
        CHECK_STR(r.p.tags[1], "weekly");
    }
    CHECK(r.p.ncategories == 3);
    if (r.p.ncategories == 3) {
        CHECK_STR(r.p.categories[0], "生活");
        CHECK_STR(r.p.categories[1], "技术");
        CHECK_STR(r.p.categories[2], "读书");
    }
    CHECK_STR(text + r.body_off, "body\n");

    /* No front matter: body at 0, nothing set. */
    r = fm(a, "# Title\n\ntext\n");
    CHECK(r.rc == 0 && r.body_off == 0 && !r.p.title && !r.p.has_date);

    /* '...' closes; empty values are absent; published false; tags as a word. */
    text = "---\ntitle:\ndate: 2022/10/17\npublished: false\ntags: 周刊\n...\nrest";
    r = fm(a, text);
    CHECK(r.rc == 0);
    CHECK(r.p.title == NULL);
    CHECK(!r.p.published);
    CHECK(r.p.ntags == 1);
    CHECK(r.p.date.year == 2022 && r.p.date.month == 10 && r.p.date.day == 17);
    CHECK_STR(text + r.body_off, "rest");

    /* Empty front matter, closing fence at end of file without newline. */
    text = "---\n---";
    r = fm(a, text);
    CHECK(r.rc == 0 && r.body_off == strlen(text));

    /* A quoted date and an unquoted ISO timestamp. */
    r = fm(a, "---\ndate: '2025-03-02'\n---\n");
    CHECK(r.rc == 0 && r.p.has_date);
    r = fm(a, "---\ndate: 2025-03-02T10:00:00+08:00\n---\n");
    CHECK(r.rc == 0 && r.p.date.hour == 10 && r.p.date.tz_min == 480);
    /* author as a list or a mapping. */
    r = fm(a, "---\nauthor: [甲, 乙]\n---\n");
    CHECK_STR(r.p.author, "甲, 乙");
    r = fm(a, "---\nauthor:\n  name: 丙\n---\n");
    CHECK_STR(r.p.author, "丙");
    dg_arena_free(a);
}

static void test_broken(void)
{
    dg_arena *a = dg_arena_new();
    fm_result r = fm(a, "---\ntitle: never closed\n\nbody\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:1:1: error: front matter opened with '---' is never closed");

    r = fm(a, "---");
    CHECK(r.rc == -1);

    /* libyaml's position, counted in the whole file (front matter starts at line 2). */
    r = fm(a, "---\ntitle: ok\nsubtitle: a: b\n---\nbody\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:3:12: error: bad YAML in front matter: mapping values are not "
                          "allowed in this context");
    CHECK_CONTAINS(r.log, " 3 | subtitle: a: b\n");

    /* an unclosed flow sequence is noticed lines later: its start is named */
    r = fm(a, "---\ntitle: [never closed\ndate: 2025-01-19\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "flow sequence that starts at line 2:8");

    r = fm(a, "---\ntitle: ok\n  bad: indent\n---\n");
    CHECK_CONTAINS(r.log, "post.md:3:6: error: bad YAML");

    r = fm(a, "---\ndate: 2025-02-30\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:2:7: error: '2025-02-30' is not a date");

    r = fm(a, "---\ntitle: {zh: 标题}\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:2:8: error: 'title' must be text");

    r = fm(a, "---\ntags: {a: 1}\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "'tags' must be a list or text");

    r = fm(a, "---\ntags: [[a]]\n---\n");
    CHECK(r.rc == -1);

    r = fm(a, "---\ndate: [2025-03-02]\n---\n");
    CHECK(r.rc == -1);

    r = fm(a, "---\npublished: maybe\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "'published' must be true or false");

    r = fm(a, "---\n- just\n- a list\n---\n");
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:2:1: error: front matter must be");
    dg_arena_free(a);
}

/* Parses TEXT as a whole file; returns the post or NULL. */
static dg_post *fm_parse(dg_arena *a, dg_diag *d, const char *text, size_t *body)
{
    dg_post *p = dg_alloc(a, sizeof *p);
    p->published = true;
    if (dg_frontmatter_parse(p, a, "p.md", text, strlen(text), body, d) != 0)
        return NULL;
    return p;
}

static void test_toml_and_aliases(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    size_t body = 0;
    const char *t = "+++\ntitle = \"标题\"\nDate = 2024-05-06T10:00:00+08:00\n"
                    "tags = [\"a\", \"b\"]\nkeywords = [\"k\"]\nnumber = 42\n"
                    "categories = \"x y\"\n[params]\ntitle = \"not this\"\n+++\nbody\n";
    dg_post *p = fm_parse(a, d, t, &body);
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->title, "标题");
        CHECK(p->has_date && p->date.tz_min == 480 && p->date_line == 3);
        CHECK(p->date_source == DG_DATE_META);
        CHECK(p->ntags == 2 && p->number == 42 && p->ncategories == 2);
        CHECK_STR(t + body, "body\n");
    }
    /* errors point into the file */
    CHECK(fm_parse(a, d, "+++\ntitle = \"x\"\ndate = \"yesterday\"\n+++\n", &body) == NULL);
    CHECK_CONTAINS(dg_diag_text(d), "p.md:3:8: error: 'yesterday' is not a date");
    CHECK(fm_parse(a, d, "+++\ntitle = \"x\"\ndraft = \"yes\"\n+++\n", &body) == NULL);
    CHECK_CONTAINS(dg_diag_text(d), "p.md:3:9: error: 'draft' must be true or false");
    CHECK(fm_parse(a, d, "+++\ntitle = \"x\"\n", &body) == NULL);
    CHECK_CONTAINS(dg_diag_text(d), "p.md:1:1: error: front matter opened with '+++' is never closed");
    CHECK(fm_parse(a, d, "+++\nauthor = {name = \"x\"}\n+++\n", &body) == NULL);
    CHECK_CONTAINS(dg_diag_text(d), "p.md:2:10: error: TOML: inline tables");
    p = fm_parse(a, d, "+++\ndraft = true\n+++\n", &body);
    CHECK(p && !p->published);

    /* YAML keys: any case, with aliases */
    p = fm_parse(a, d, "---\nTitle: 大写\npubDate: 2023-02-03\nTags: [x]\nNumber: 7\n---\n", &body);
    CHECK(p && !strcmp(p->title, "大写") && p->date.day == 3 && p->ntags == 1 && p->number == 7);
    p = fm_parse(a, d, "---\npublished: 2023-04-05\n---\n", &body);
    CHECK(p && p->has_date && p->date.month == 4 && p->published);
    p = fm_parse(a, d, "---\ndate: 2023-04-05\npubDate: 2020-01-01\n---\n", &body);
    CHECK(p && p->date.year == 2023);
    p = fm_parse(a, d, "---\ndraft: true\n---\n", &body);
    CHECK(p && !p->published);
    p = fm_parse(a, d, "---\nkeywords: a, b\n---\n", &body);
    CHECK(p && p->ntags == 2);
    /* Pelican's Number: header */
    p = fm_parse(a, d, "Title: This Week 604\nNumber: 604\nDate: 2025-06-18\n\nBody\n", &body);
    CHECK(p && p->number == 604 && p->date_source == DG_DATE_META);
    dg_diag_free(d);
    dg_arena_free(a);
}

int main(void)
{
    test_toml_and_aliases();
    test_dates();
    test_order();
    test_good();
    test_broken();
    TEST_DONE();
}
