/* test_markdown.c - cmark-gfm rendering: GFM features, CJK soft breaks,
 * source lines, the first H1. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "site/post.h"
#include "test.h"

static char *md(dg_arena *a, const char *s)
{
    return dg_markdown_render(a, s, strlen(s), 1, false, NULL);
}

static void test_gfm(void)
{
    dg_arena *a = dg_arena_new();
    char *h = md(a, "| 名称 | 值 |\n|---|--:|\n| a | 1 |\n");
    CHECK_CONTAINS(h, "<table");
    CHECK_CONTAINS(h, "<th");
    CHECK_CONTAINS(h, "<td");
    CHECK_CONTAINS(h, "align=\"right\"");

    h = md(a, "这是~~删除~~的字。\n");
    CHECK_CONTAINS(h, "<del>删除</del>");

    h = md(a, "- [x] 完成\n- [ ] 未完成\n");
    CHECK_CONTAINS(h, "type=\"checkbox\"");
    CHECK_CONTAINS(h, "checked=\"\"");

    h = md(a, "正文[^1]。\n\n[^1]: 脚注内容。\n");
    CHECK_CONTAINS(h, "class=\"footnotes\"");
    CHECK_CONTAINS(h, "脚注内容");
    CHECK_CONTAINS(h, "href=\"#fn-1\"");

    h = md(a, "见 https://example.com/a?b=1 和 www.example.org 。\n");
    CHECK_CONTAINS(h, "<a href=\"https://example.com/a?b=1\">");
    CHECK_CONTAINS(h, "<a href=\"http://www.example.org\">");

    /* Raw HTML is kept (the content stage sanitizes it). */
    h = md(a, "<iframe src=\"//music.163.com/x\"></iframe>\n\n段落 <b>粗</b>\n");
    CHECK_CONTAINS(h, "<iframe src=\"//music.163.com/x\"></iframe>");
    CHECK_CONTAINS(h, "<b>粗</b>");

    h = md(a, "```c\nint x;\n```\n");
    CHECK_CONTAINS(h, "<code class=\"language-c\">int x;");
    dg_arena_free(a);
}

static void test_softbreaks(void)
{
    dg_arena *a = dg_arena_new();
    /* Between two CJK characters the soft break vanishes. */
    char *h = md(a, "第一行\n第二行。\n");
    CHECK_CONTAINS(h, "第一行第二行。");
    /* CJK punctuation counts as CJK. */
    h = md(a, "句号。\n下一句\n");
    CHECK_CONTAINS(h, "句号。下一句");
    /* Inside emphasis on either side. */
    h = md(a, "*强调*\n中文\n");
    CHECK_CONTAINS(h, "<em>强调</em>中文");
    h = md(a, "中文\n**加粗**\n");
    CHECK_CONTAINS(h, "中文<strong>加粗</strong>");
    /* Latin on one side: the break stays (a space when shown). */
    h = md(a, "中文\nEnglish\n");
    CHECK_CONTAINS(h, "中文\nEnglish");
    h = md(a, "English\n中文\n");
    CHECK_CONTAINS(h, "English\n中文");
    h = md(a, "one\ntwo\n");
    CHECK_CONTAINS(h, "one\ntwo");
    /* A hard break is not touched. */
    h = md(a, "中文  \n中文\n");
    CHECK_CONTAINS(h, "<br />");
    /* Full-width forms and kana. */
    h = md(a, "（括号）\nカタカナ\n");
    CHECK_CONTAINS(h, "（括号）カタカナ");
    dg_arena_free(a);
}

static void test_sourcepos(void)
{
    dg_arena *a = dg_arena_new();
    const char *body = "# 标题\n\n段落\n\n- 列表\n";
    char *h = dg_markdown_render(a, body, strlen(body), 1, false, NULL);
    CHECK_CONTAINS(h, "<h1 data-sourcepos=\"1:1-1:8\">");
    CHECK_CONTAINS(h, "<p data-sourcepos=\"3:1-3:6\">");
    /* The body starts at line 10 of its file. */
    h = dg_markdown_render(a, body, strlen(body), 10, false, NULL);
    CHECK_CONTAINS(h, "<h1 data-sourcepos=\"10:1-10:8\">");
    CHECK_CONTAINS(h, "<p data-sourcepos=\"12:1-12:6\">");
    CHECK_CONTAINS(h, "<ul data-sourcepos=\"14:1-14:8\">");
    /* Indented code right at the start of the body is still code. */
    h = dg_markdown_render(a, "    code\n", 9, 5, false, NULL);
    CHECK_CONTAINS(h, "<pre data-sourcepos=\"5:5-5:8\"><code>code");
    dg_arena_free(a);
}

static void test_h1(void)
{
    dg_arena *a = dg_arena_new();
    char *h1 = (char *)"unset";
    const char *s = "# 标题 *强调* `code`\n\n正文\n";
    char *h = dg_markdown_render(a, s, strlen(s), 4, true, &h1);
    CHECK_STR(h1, "标题 强调 code");
    CHECK_NOT_CONTAINS(h, "<h1");
    CHECK_CONTAINS(h, "<p data-sourcepos=\"6:1-6:6\">正文</p>");

    /* Setext H1 counts. */
    s = "大标题\n===\n\n正文\n";
    h = dg_markdown_render(a, s, strlen(s), 1, true, &h1);
    CHECK_STR(h1, "大标题");
    CHECK_NOT_CONTAINS(h, "<h1");

    /* Leading blank lines are fine. */
    s = "\n\n# 标题\n";
    h = dg_markdown_render(a, s, strlen(s), 1, true, &h1);
    CHECK_STR(h1, "标题");

    /* Not the first block, or not level 1: kept, no title. */
    s = "段落\n\n# 标题\n";
    h = dg_markdown_render(a, s, strlen(s), 1, true, &h1);
    CHECK(h1 == NULL);
    CHECK_CONTAINS(h, "<h1");
    s = "## 二级\n";
    h = dg_markdown_render(a, s, strlen(s), 1, true, &h1);
    CHECK(h1 == NULL);
    CHECK_CONTAINS(h, "<h2");
    /* take_h1 false keeps it. */
    s = "# 标题\n";
    h = dg_markdown_render(a, s, strlen(s), 1, false, &h1);
    CHECK(h1 == NULL);
    CHECK_CONTAINS(h, "<h1");
    /* An H1 with no text (only an image) is kept. */
    s = "# ![](a.png)\n";
    h = dg_markdown_render(a, s, strlen(s), 1, true, &h1);
    CHECK(h1 == NULL);
    CHECK_CONTAINS(h, "<h1");
    /* Empty input. */
    h = dg_markdown_render(a, "", 0, 1, true, &h1);
    CHECK(h1 == NULL);
    CHECK_STR(h, "");
    dg_arena_free(a);
}

/* Months are built on several threads, each rendering its own posts.
 * cmark-gfm keeps the special characters of its inline extensions (the
 * autolink's ':' and 'w', the strikethrough's '~') in one process-wide table
 * that every parse sets and clears: unserialized, one thread's parse loses
 * another's autolinks now and then.  Every render on every thread must equal
 * the single-threaded one. */
#define MT_THREADS 4
#define MT_ROUNDS 150

static const char MT_DOC[] =
    "See www.example.com and https://example.org/a, ~~gone~~ and ~~also~~.\n\n"
    "| a | b |\n|---|---|\n| www.example.net | ~~x~~ https://x.example/ |\n\n"
    "- [ ] www.one.example\n- [x] https://two.example/path and www.three.example\n";

/* Without "www.": parsed with the autolink extension's ':' alone. */
static const char MT_DOC_NO_WWW[] = "We were wowed: see https://w.example/wow, ~~wet~~ and mailto:w@w.example\n";

typedef struct mt_arg {
    const char *want, *want_no_www;
    int mismatches;
} mt_arg;

static void *mt_render(void *p)
{
    mt_arg *m = p;
    for (int i = 0; i < MT_ROUNDS; i++) {
        dg_arena *a = dg_arena_new();
        bool www = i % 2 == 0;
        const char *doc = www ? MT_DOC : MT_DOC_NO_WWW;
        size_t len = www ? sizeof MT_DOC - 1 : sizeof MT_DOC_NO_WWW - 1;
        const char *got = dg_markdown_render(a, doc, len, 1, false, NULL);
        if (strcmp(got, www ? m->want : m->want_no_www) != 0)
            m->mismatches++;
        dg_arena_free(a);
    }
    return NULL;
}

/* The autolink extension stops at every 'w' only when the text holds
 * "www." (markdown.c): links of both kinds still come out, wherever "www."
 * is, and one parse's choice does not stay for the next. */
static void test_autolink_chars(void)
{
    dg_arena *a = dg_arena_new();
    CHECK_CONTAINS(md(a, "wow, we went to www.example.com"), "href=\"http://www.example.com\"");
    CHECK_CONTAINS(md(a, "we were at https://w.example/w"), "href=\"https://w.example/w\"");
    CHECK_STR(md(a, "we were wowed"), "<p data-sourcepos=\"1:1-1:13\">we were wowed</p>\n");
    CHECK_CONTAINS(md(a, "w\n\nwww.a.example"), "href=\"http://www.a.example\"");
    CHECK_CONTAINS(md(a, "www.b"), "href=\"http://www.b\"");
    CHECK_CONTAINS(md(a, "x www.c.example"), "href=\"http://www.c.example\"");
    dg_arena_free(a);
}

static void test_threads(void)
{
    dg_arena *a = dg_arena_new();
    const char *want = dg_markdown_render(a, MT_DOC, sizeof MT_DOC - 1, 1, false, NULL);
    const char *want_no_www =
        dg_markdown_render(a, MT_DOC_NO_WWW, sizeof MT_DOC_NO_WWW - 1, 1, false, NULL);
    CHECK_CONTAINS(want, "href=\"http://www.example.com\"");
    CHECK_CONTAINS(want_no_www, "href=\"https://w.example/wow\"");
    CHECK_CONTAINS(want, "<del>gone</del>");
    pthread_t t[MT_THREADS];
    mt_arg args[MT_THREADS];
    for (int i = 0; i < MT_THREADS; i++) {
        args[i] = (mt_arg){want, want_no_www, 0};
        CHECK(pthread_create(&t[i], NULL, mt_render, &args[i]) == 0);
    }
    int bad = 0;
    for (int i = 0; i < MT_THREADS; i++) {
        pthread_join(t[i], NULL);
        bad += args[i].mismatches;
    }
    if (bad)
        fprintf(stderr, "%d of %d renders on %d threads differ from the single-threaded one\n",
                bad, MT_THREADS * MT_ROUNDS, MT_THREADS);
    CHECK(bad == 0);
    dg_arena_free(a);
}

int main(void)
{
    test_threads();
    test_autolink_chars();
    test_gfm();
    test_softbreaks();
    test_sourcepos();
    test_h1();
    TEST_DONE();
}
