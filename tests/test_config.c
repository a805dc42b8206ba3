/* test_config.c - digest.yaml: values, unknown keys, wrong types with their
 * positions, the command line over the file, and the documented example. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "digest/config.h"
#include "test.h"

#define FIX TEST_SOURCE_DIR "/fixtures/shapes"

static void test_bad_file(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = "site";
    CHECK(dg_config_load(&o, FIX "/config-bad.yaml", a, d) == -1);
    const char *log = dg_diag_text(d);
    CHECK_CONTAINS(log, "config-bad.yaml:2:1: warning: unknown key 'languag'");
    CHECK_CONTAINS(log, "config-bad.yaml:4:9: error: 'page.size' is 'b5'");
    CHECK_CONTAINS(log, "config-bad.yaml:5:11: error: 'page.margin' must be a number");
    CHECK_CONTAINS(log, "config-bad.yaml:12:14: error: 'notadate' is not a date");
    CHECK_CONTAINS(log, "config-bad.yaml:13:8: error: 'posts' must be text, not a list");
    CHECK_CONTAINS(log, " 13 | posts: [a, b]");
    CHECK(dg_diag_errors(d) == 4);
    CHECK(dg_diag_warnings(d) == 1);
    /* good keys are kept, bad ones keep their defaults */
    CHECK_STR(o.title_pattern, "配置");
    CHECK(o.pdf_opts.page == DG_PAGE_A4);
    CHECK(o.pdf_opts.margin == 0);
    CHECK(o.pdf_opts.indent);
    CHECK_STR(o.out_pattern, "digest-{yyyy}{mm}");
    CHECK(o.nexclude == 1 && !strcmp(o.exclude[0], "drafts/**"));
    CHECK(o.ndates == 1 && !strcmp(o.dates[0].path, "docs/a.md"));
    CHECK(o.posts_dir == NULL);
    dg_diag_free(d);
    dg_arena_free(a);
}

static void test_example_and_overlay(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = "mysite";
    /* the documented example loads with no complaint and changes nothing
     * that matters: its values are the defaults */
    CHECK(dg_config_load(&o, TEST_SOURCE_DIR "/../digest.yaml.example", a, d) == 0);
    CHECK(dg_diag_errors(d) == 0 && dg_diag_warnings(d) == 0);
    if (dg_diag_errors(d) || dg_diag_warnings(d))
        fprintf(stderr, "%s", dg_diag_text(d));
    CHECK_STR(o.title_pattern, "{site} · {label}");
    CHECK(o.epub && o.pdf);
    CHECK_STR(o.out_dir, "mysite/_digests");
    CHECK(o.pdf_opts.page == DG_PAGE_A4 && o.pdf_opts.link_notes == -1);
    CHECK(o.date_from == DG_DATE_FROM_NONE);
    CHECK(o.split_languages == -1); /* split_languages: ~ keeps "by the site" */
    CHECK(o.fonts.nlangs == 0);
    /* an absent file is fine */
    CHECK(dg_config_load(&o, FIX "/no-such.yaml", a, d) == 0);

    /* the command line wins where it was given */
    dg_options cli;
    dg_options_init(&cli);
    cli.site = "mysite";
    cli.out_dir = "elsewhere";
    cli.pdf_opts.page = DG_PAGE_EREADER;
    cli.title_pattern = "not given";
    cli.date_from = DG_DATE_FROM_GIT;
    dg_config_overlay(&o, &cli, DG_SET_OUT | DG_SET_PAGE | DG_SET_DATE_FROM);
    CHECK_STR(o.out_dir, "elsewhere");
    CHECK(o.pdf_opts.page == DG_PAGE_EREADER);
    CHECK(o.date_from == DG_DATE_FROM_GIT);
    CHECK_STR(o.title_pattern, "{site} · {label}");
    dg_diag_free(d);
    dg_arena_free(a);
}

/* split_languages and a language's fonts (fonts: {LANG: ...}) */
static void test_languages(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = "/site";
    char path[] = "/tmp/test_config-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char yaml[] = "split_languages: true\n"
                        "fonts:\n"
                        "  ko: {text: /f/ko.ttf, bold: /f/ko-bold.ttf}\n"
                        "  ja_JP: /f/ja.ttf\n"
                        "  zh-tw: [a]\n"
                        "  en: {bold: /f/b.ttf}\n";
    CHECK(fd >= 0 && write(fd, yaml, sizeof yaml - 1) == (ssize_t)(sizeof yaml - 1));
    if (fd >= 0)
        close(fd);
    CHECK(dg_config_load(&o, path, a, d) == -1);
    unlink(path);
    CHECK(o.split_languages == 1);
    CHECK(o.fonts.nlangs == 2);
    if (o.fonts.nlangs == 2) {
        CHECK_STR(o.fonts.langs[0].lang, "ko");
        CHECK_STR(o.fonts.langs[0].text, "/f/ko.ttf");
        CHECK_STR(o.fonts.langs[0].bold, "/f/ko-bold.ttf");
        CHECK_STR(o.fonts.langs[1].lang, "ja-JP");
        CHECK_STR(o.fonts.langs[1].text, "/f/ja.ttf");
        CHECK(o.fonts.langs[1].bold == NULL);
    }
    const char *log = dg_diag_text(d);
    CHECK_CONTAINS(log, ":5:10: error: 'fonts.zh-tw' must be a path or {text, bold}, not a list");
    CHECK_CONTAINS(log, ":6:7: error: 'fonts.en' gives no text font");
    /* the command line's --no-split-languages wins */
    dg_options cli;
    dg_options_init(&cli);
    cli.site = "/site";
    cli.split_languages = 0;
    dg_config_overlay(&o, &cli, DG_SET_SPLIT);
    CHECK(o.split_languages == 0);
    dg_diag_free(d);
    dg_arena_free(a);
}

static void test_output_name(void)
{
    dg_arena *a = dg_arena_new();
    CHECK_STR(dg_output_name(a, NULL, "2025-03"), "2025-03");
    CHECK_STR(dg_output_name(a, "{yyyy}-{mm}", "2025-03"), "2025-03");
    CHECK_STR(dg_output_name(a, "weekly-{year}{mm}", "2025-03"), "weekly-202503");
    CHECK_STR(dg_output_name(a, "{month} {m}月", "2025-03"), "2025-03 3月");
    CHECK_STR(dg_output_name(a, "a/b", "2025-03"), "a-b");
    dg_arena_free(a);
}

int main(void)
{
    test_bad_file();
    test_example_and_overlay();
    test_languages();
    test_output_name();
    TEST_DONE();
}
