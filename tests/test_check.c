/* test_check.c - digest check: every problem reported with its position,
 * the exit status, nothing built; and each site shape read through the same
 * options build uses (dates table, include/exclude, git, mtime). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "app/app.h"
#include "site/site.h"
#include "test.h"

#define FIX TEST_SOURCE_DIR "/fixtures/shapes"

static void test_check_site(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = FIX "/check";
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    int st = dg_check(&o, f, d);
    fclose(f);
    CHECK(st == DG_EXIT_INPUT); /* the broken front matter is an error */
    const char *log = dg_diag_text(d);
    CHECK_CONTAINS(log, "2024-01-08-broken.md:3:1: error: bad YAML in front matter");
    CHECK_CONTAINS(log, "undated.md: warning: no date in front matter or file name; left out");
    CHECK_CONTAINS(log, "2024-01-07-images.md:8:9: warning: image '/img/gone.png' is missing");
    CHECK_CONTAINS(log, "2024-01-07-images.md:10:8: warning: image '../../../../etc/passwd' is "
                        "outside the site");
    CHECK_CONTAINS(log, "2024-01-07-images.md:12:11: warning: image 'missing%20raw.jpg' is missing");
    CHECK_CONTAINS(log, " 12 | <img src=\"missing%20raw.jpg\" alt=\"x\">");
    CHECK_CONTAINS(log, "same-day.md:3:1: warning: same date as");
    CHECK_CONTAINS(log, "2024-01-07-images.md (2024-01-07)");
    CHECK_NOT_CONTAINS(log, "ok.png");
    CHECK_NOT_CONTAINS(log, "example.com");
    /* quotes turned the wrong way at a paragraph's edges, not in code */
    CHECK_CONTAINS(log, "same-day.md:8:3: warning: a closing quote ” opens this paragraph");
    CHECK_CONTAINS(log, "same-day.md:10:14: warning: an opening quote “ closes this paragraph");
    CHECK_NOT_CONTAINS(log, "same-day.md:13");
    CHECK_NOT_CONTAINS(log, "same-day.md:16");
    CHECK_CONTAINS(out, "4 posts read, 2 in 1 month, 2 left out; 1 error, 7 warnings");
    free(out);
    dg_diag_free(d);

    /* warnings alone: exit 0 */
    d = dg_diag_new(NULL);
    const char *ex[] = {"*broken*"};
    o.exclude = ex;
    o.nexclude = 1;
    CHECK(dg_check(&o, NULL, d) == DG_EXIT_OK);
    CHECK(dg_diag_errors(d) == 0 && dg_diag_warnings(d) == 7);
    dg_diag_free(d);
    /* no such site: usage error */
    d = dg_diag_new(NULL);
    o.site = FIX "/no-such-site";
    CHECK(dg_check(&o, NULL, d) == DG_EXIT_USAGE);
    dg_diag_free(d);
}

static dg_site *open_with(dg_options *o, dg_diag *d)
{
    dg_site_opts so;
    dg_site *s = NULL;
    dg_options_site(o, &so);
    if (dg_site_open_opts(&s, &so, d) != 0)
        return NULL;
    return s;
}

static const char *relpaths(dg_site *s)
{
    static char buf[2048];
    buf[0] = 0;
    for (size_t i = 0; i < s->nposts; i++) {
        strncat(buf, s->posts[i]->relpath, sizeof buf - strlen(buf) - 2);
        strncat(buf, ";", sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

static void test_numbered(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = FIX "/numbered";
    o.posts_dir = "posts";
    dg_site *s = open_with(&o, d);
    CHECK(s != NULL);
    if (s) {
        /* README.md and SOURCE.md are not posts, _drafts is skipped, 01 has no date */
        CHECK_STR(relpaths(s), "posts/100-无忧孩童.md;posts/101-大写.md;");
        CHECK(s->nall == 3);
        CHECK(s->nposts == 2 && s->posts[0]->number == 100);
        CHECK_STR(s->posts[0]->title, "无忧孩童");
        CHECK_STR(s->posts[1]->title, "大写键"); /* Title: matched case-insensitively */
        CHECK(s->posts[1]->date.day == 24);
        CHECK_CONTAINS(dg_diag_text(d), "01-旧文.md: warning: no date");
    }
    dg_site_free(s);
    dg_diag_free(d);
}

static void test_folders_and_globs(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = FIX "/folders";
    o.posts_dir = "daily";
    const char *ex[] = {"notes.md"};
    o.exclude = ex;
    o.nexclude = 1;
    dg_site *s = open_with(&o, d);
    CHECK(s && s->nposts == 2 && s->nall == 2);
    if (s && s->nposts == 2) {
        CHECK_STR(s->posts[0]->title, "第一篇文件夹文章");
        CHECK(s->posts[0]->date.year == 2025 && s->posts[0]->date.month == 9 &&
              s->posts[0]->date.day == 24);
        CHECK(s->posts[0]->date_source == DG_DATE_NAME);
    }
    CHECK(dg_diag_warnings(d) == 0);
    dg_site_free(s);
    /* include: only September's folder */
    const char *in[] = {"daily/2025/202509/**"};
    o.include = in;
    o.ninclude = 1;
    s = open_with(&o, d);
    CHECK(s && s->nposts == 1);
    dg_site_free(s);
    dg_diag_free(d);

    CHECK(dg_glob_match("*.md", "a/b/c.md"));
    CHECK(dg_glob_match("drafts", "posts/drafts/x.md"));
    CHECK(!dg_glob_match("posts/*.md", "posts/a/b.md"));
    CHECK(dg_glob_match("posts/**/*.md", "posts/a/b.md"));
    CHECK(dg_glob_match("posts/**/*.md", "posts/b.md"));
    CHECK(dg_glob_match("**", "x/y/z"));
    CHECK(dg_glob_match("issue-[0-9]*.md", "docs/issue-12.md"));
    CHECK(!dg_glob_match("issue-[!0-9]*.md", "docs/issue-12.md"));
    CHECK(dg_glob_match("?.md", "中.md"));
}

static void test_dates_table(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = FIX "/nodates";
    o.posts_dir = "docs";
    dg_site *s = open_with(&o, d);
    CHECK(s && s->nposts == 0 && s->nskipped == 3);
    dg_site_free(s);
    dg_diag_free(d);

    d = dg_diag_new(NULL);
    o.dates_file = "dates.csv"; /* relative to the site */
    s = open_with(&o, d);
    CHECK(s && s->nposts == 3);
    if (s && s->nposts == 3) {
        CHECK_STR(relpaths(s), "docs/issue-1.md;docs/issue-2.md;docs/issue-3.md;");
        CHECK(s->posts[1]->date.month == 10 && s->posts[1]->date_source == DG_DATE_TABLE);
        size_t nm;
        dg_site_months(s, &nm);
        CHECK(nm == 2);
    }
    CHECK(dg_diag_errors(d) == 0 && dg_diag_warnings(d) == 0);
    dg_site_free(s);
    dg_diag_free(d);

    /* the configuration's rows come first; the file's win for the same path */
    d = dg_diag_new(NULL);
    dg_date_row rows[] = {{"docs/issue-1.md", "2020-01-05"}, {"docs/issue-2.md", "2020-02-05"}};
    o.dates = rows;
    o.ndates = 2;
    o.dates_file = NULL;
    s = open_with(&o, d);
    CHECK(s && s->nposts == 2 && s->posts[0]->date.year == 2020);
    dg_site_free(s);
    o.dates_file = "dates.csv";
    s = open_with(&o, d);
    CHECK(s && s->nposts == 3 && s->posts[0]->date.year == 2021);
    dg_site_free(s);
    dg_diag_free(d);

    /* bad rows are errors with their positions */
    d = dg_diag_new(NULL);
    o.dates = NULL;
    o.ndates = 0;
    o.dates_file = "bad-dates.csv";
    s = open_with(&o, d);
    CHECK_CONTAINS(dg_diag_text(d), "bad-dates.csv:1:17: error: '2021-13-01' is not a date");
    CHECK_CONTAINS(dg_diag_text(d), "bad-dates.csv:2:1: error: expected 'path,YYYY-MM-DD'");
    dg_site_free(s);
    dg_diag_free(d);
}

static void test_hugo_toml(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = FIX "/hugo-toml";
    dg_site *s = open_with(&o, d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->title, "Hugo 站点");
        CHECK_STR(s->author, "作者甲");
        CHECK_STR(s->lang, "zh-CN");
        /* draft = true is left out, bad.md is an error */
        CHECK_STR(relpaths(s), "content/posts/toml-post.md;content/posts/bundle/index.md;");
        if (s->nposts == 2) {
            CHECK_STR(s->posts[0]->title, "TOML 标题");
            CHECK(s->posts[0]->number == 12 && s->posts[0]->ntags == 2);
            CHECK(s->posts[0]->date.has_zone && s->posts[0]->date.tz_min == 480);
        }
        CHECK_CONTAINS(dg_diag_text(d), "bad.md:2:9: error: TOML: expected a value");
    }
    dg_site_free(s);
    dg_diag_free(d);
}

static int run(const char *cmd)
{
    int r = system(cmd);
    return r;
}

static void test_mtime_and_git(void)
{
    char dir[] = "/tmp/test_check-XXXXXX";
    if (!mkdtemp(dir))
        return;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/posts && printf 'a\\n' > %s/posts/a.md && printf 'b\\n' > %s/posts/b.md",
             dir, dir, dir);
    CHECK(run(cmd) == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/posts/a.md", dir);
    /* 2023-06-15 12:00 UTC */
    struct utimbuf ut = {1686830400, 1686830400};
    CHECK(utime(path, &ut) == 0);
    setenv("TZ", "UTC", 1);
    tzset();

    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = dir;
    o.posts_dir = "posts";
    o.date_from = DG_DATE_FROM_MTIME;
    dg_site *s = open_with(&o, d);
    CHECK(s && s->nposts == 2);
    if (s && s->nposts == 2) {
        CHECK(s->posts[0]->date.year == 2023 && s->posts[0]->date.month == 6 &&
              s->posts[0]->date.day == 15 && s->posts[0]->date_source == DG_DATE_MTIME);
    }
    dg_site_free(s);
    dg_diag_free(d);

    /* git: a tiny history made with the git CLI, when there is one */
    if (run("git --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "test_check: git absent: --date-from git not tested\n");
    } else {
        /* the machine's own git configuration ($HOME, /etc) stays out of it */
        snprintf(cmd, sizeof cmd,
                 "export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 && "
                 "cd %s && git init -q . && git config user.email t@example.com && "
                 "git config user.name T && git add posts/a.md && "
                 "GIT_AUTHOR_DATE='2021-03-04T05:06:07+08:00' GIT_COMMITTER_DATE='2021-03-04T05:06:07+08:00' "
                 "git commit -qm one && printf 'a2\\n' >> posts/a.md && git add posts/b.md posts/a.md && "
                 "GIT_AUTHOR_DATE='2022-07-08T00:30:00-07:00' GIT_COMMITTER_DATE='2022-07-08T00:30:00-07:00' "
                 "git commit -qm two",
                 dir);
        CHECK(run(cmd) == 0);
        d = dg_diag_new(NULL);
        o.date_from = DG_DATE_FROM_GIT;
        s = open_with(&o, d);
        CHECK(s && s->nposts == 2);
        if (s && s->nposts == 2) {
            /* a.md: added by the first commit (the second only changed it) */
            const dg_post *a = s->posts[0], *b = s->posts[1];
            CHECK_STR(a->relpath, "posts/a.md");
            CHECK(a->date_source == DG_DATE_GIT);
            CHECK(a->date.year == 2021 && a->date.month == 3 && a->date.day == 4 &&
                  a->date.hour == 5 && a->date.tz_min == 480);
            /* b.md: the second, in the author's own zone */
            CHECK(b->date.year == 2022 && b->date.month == 7 && b->date.day == 8 &&
                  b->date.hour == 0 && b->date.min == 30 && b->date.tz_min == -420);
        }
        if (dg_diag_warnings(d))
            fprintf(stderr, "%s", dg_diag_text(d));
        dg_site_free(s);
        dg_diag_free(d);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    run(cmd);
}

int main(void)
{
    test_check_site();
    test_numbered();
    test_folders_and_globs();
    test_dates_table();
    test_hugo_toml();
    test_mtime_and_git();
    TEST_DONE();
}
