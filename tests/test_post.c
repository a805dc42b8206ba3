/* test_post.c - one post from memory: text repair, title and date fallbacks,
 * months in the post's own zone. */
#include <stdio.h>
#include <string.h>

#include "site/post.h"
#include "test.h"

typedef struct parsed {
    int rc;
    dg_post *p;
    char log[4096];
    int warnings, errors;
} parsed;

static parsed parse(dg_arena *a, const char *relpath, const char *data, size_t len)
{
    parsed r = {0};
    dg_diag *d = dg_diag_new(NULL);
    r.rc = dg_post_parse(&r.p, a, relpath, relpath, "/site/_posts", data, len, d);
    snprintf(r.log, sizeof r.log, "%s", dg_diag_text(d));
    r.warnings = dg_diag_warnings(d);
    r.errors = dg_diag_errors(d);
    dg_diag_free(d);
    return r;
}

#define PARSE(a, rel, lit) parse(a, rel, lit, sizeof lit - 1)

static void test_titles(void)
{
    dg_arena *a = dg_arena_new();
    /* Front matter title wins; an H1 stays in the body. */
    parsed r = PARSE(a, "_posts/2025-03-02-share022.md",
                     "---\ntitle: 前言标题\n---\n# 正文标题\n\n内容\n");
    CHECK(r.rc == 0);
    CHECK_STR(r.p->title, "前言标题");
    CHECK(!r.p->title_from_h1);
    CHECK_CONTAINS(r.p->html, "<h1 data-sourcepos=\"4:1-4:14\">正文标题</h1>");
    CHECK_STR(r.p->slug, "share022");

    /* The same words as the title: not repeated in the body. */
    r = PARSE(a, "_posts/2025-03-02-share022.md", "---\ntitle: 正文标题\n---\n# 正文标题\n\n内容\n");
    CHECK_STR(r.p->title, "正文标题");
    CHECK(!r.p->title_from_h1);
    CHECK_NOT_CONTAINS(r.p->html, "<h1");
    CHECK_CONTAINS(r.p->html, "<p data-sourcepos=\"6:1-6:6\">内容</p>");

    /* No title: the first H1, removed from the body. */
    r = PARSE(a, "_posts/2025-03-02-share022.md", "---\ndate: 2025-03-02\n---\n\n# 正文标题\n\n内容\n");
    CHECK_STR(r.p->title, "正文标题");
    CHECK(r.p->title_from_h1);
    CHECK_NOT_CONTAINS(r.p->html, "<h1");
    CHECK_CONTAINS(r.p->html, "<p data-sourcepos=\"7:1-7:6\">内容</p>");

    /* Neither: the file name without date and extension. */
    r = PARSE(a, "_posts/2025-03-02-my-notes.markdown", "## 二级\n\n内容\n");
    CHECK_STR(r.p->title, "my-notes");
    CHECK_STR(r.p->slug, "my-notes");
    r = PARSE(a, "posts/150-山顶咖啡.md", "---\ndate: 2025/06/30\n---\n内容\n");
    /* A number prefix is the issue number, not part of the title. */
    CHECK_STR(r.p->title, "山顶咖啡");
    CHECK(r.p->number == 150);
    CHECK(r.p->date_source == DG_DATE_META);
    r = PARSE(a, "posts/07_notes.md", "正文\n");
    CHECK_STR(r.p->title, "notes");
    CHECK(r.p->number == 7);
    CHECK(!r.p->has_date);
    r = PARSE(a, "posts/2024.md", "正文\n");
    CHECK(r.p->number == 0);
    CHECK_STR(r.p->title, "2024");
    r = PARSE(a, "_posts/2025-03-02-x.md", "正文\n");
    CHECK(r.p->number == 0);
    CHECK(r.p->date_source == DG_DATE_NAME);
    /* An empty title in front matter counts as none. */
    r = PARSE(a, "_posts/2025-03-02-x.md", "---\ntitle: ''\n---\n# H\n");
    CHECK_STR(r.p->title, "H");
    dg_arena_free(a);
}

static void test_dates(void)
{
    dg_arena *a = dg_arena_new();
    char m[8];
    /* From the file name. */
    parsed r = PARSE(a, "_posts/2025-03-02-share022.md", "内容\n");
    CHECK(r.rc == 0 && r.p->has_date && r.p->date_line == 0);
    CHECK(r.p->date.year == 2025 && r.p->date.month == 3 && r.p->date.day == 2);
    dg_post_month(r.p, m);
    CHECK_STR(m, "2025-03");
    CHECK(r.p->published);
    /* Front matter wins over the file name. */
    r = PARSE(a, "_posts/2025-03-02-share022.md", "---\ndate: 2025-04-01\n---\n");
    dg_post_month(r.p, m);
    CHECK_STR(m, "2025-04");
    CHECK(r.p->date_line == 2);
    /* The month as written in its own zone: 23:30 -0800 on the 29th is
     * already March in UTC, but the post belongs to February. */
    r = PARSE(a, "_posts/x.md", "---\ndate: 2024-02-29 23:30:00 -0800\n---\n");
    dg_post_month(r.p, m);
    CHECK_STR(m, "2024-02");
    r = PARSE(a, "_posts/x.md", "---\ndate: 2024-03-01T00:30:00+09:00\n---\n");
    dg_post_month(r.p, m);
    CHECK_STR(m, "2024-03");
    /* No date anywhere. */
    r = PARSE(a, "_posts/notes.md", "---\ntitle: t\n---\n");
    CHECK(r.rc == 0 && !r.p->has_date);
    r = PARSE(a, "_posts/2025-02-30-bad.md", "x\n"); /* not a calendar date */
    CHECK(r.rc == 0 && !r.p->has_date);
    CHECK_STR(r.p->slug, "2025-02-30-bad");
    /* published: false parses, and says so. */
    r = PARSE(a, "_posts/2025-03-02-d.md", "---\npublished: false\n---\n");
    CHECK(r.rc == 0 && !r.p->published);
    /* Broken front matter fails the post. */
    r = PARSE(a, "_posts/2025-03-02-d.md", "---\ntitle: x\n");
    CHECK(r.rc == -1 && r.errors == 1);
    dg_arena_free(a);
}

static void test_text(void)
{
    dg_arena *a = dg_arena_new();
    /* BOM and CRLF: front matter found, lines kept, no CR left. */
    parsed r = PARSE(a, "_posts/2025-03-02-a.md",
                     "\xEF\xBB\xBF---\r\ntitle: 标题\r\n---\r\n\r\n第一行\r\n第二行\r\n\r\nline one\r\nline two");
    CHECK(r.rc == 0);
    CHECK_STR(r.p->title, "标题");
    CHECK(r.p->body_line == 4);
    CHECK(r.warnings == 0);
    CHECK(memchr(r.p->text, '\r', r.p->text_len) == NULL);
    CHECK(strncmp(r.p->text, "---\n", 4) == 0);
    CHECK_CONTAINS(r.p->html, "<p data-sourcepos=\"5:1-6:9\">第一行第二行</p>");
    /* No final newline: the last line is kept whole. */
    CHECK_CONTAINS(r.p->html, "<p data-sourcepos=\"8:1-9:8\">line one\nline two</p>");

    /* Invalid UTF-8: U+FFFD and one warning per line with its position. */
    r = PARSE(a, "_posts/2025-03-02-b.md", "---\ntitle: t\n---\n好\xFF\xFE字\nok\n\xC3\n");
    CHECK(r.rc == 0);
    CHECK_CONTAINS(r.p->text, "好\xEF\xBF\xBD\xEF\xBF\xBD字\nok\n\xEF\xBF\xBD\n");
    CHECK_CONTAINS(r.log, "_posts/2025-03-02-b.md:4:2: warning: invalid UTF-8 (2 bytes) replaced with U+FFFD");
    CHECK_CONTAINS(r.log, "_posts/2025-03-02-b.md:6:1: warning: invalid UTF-8 (1 byte)");
    CHECK(r.warnings == 2);
    CHECK_CONTAINS(r.p->html, "好\xEF\xBF\xBD\xEF\xBF\xBD字");

    /* Invalid UTF-8 inside the front matter still parses. */
    r = PARSE(a, "_posts/2025-03-02-c.md", "---\ntitle: t\xFF\n---\n");
    CHECK(r.rc == 0);
    CHECK_STR(r.p->title, "t\xEF\xBF\xBD");

    /* Control characters dropped (C0 but tab, DEL, C1), merged per line. */
    r = PARSE(a, "_posts/2025-03-02-d.md", "a\x01" "b\x7F" "c\td\n\xC2\x85x\x00y\n");
    CHECK(r.rc == 0);
    CHECK_STR(r.p->text, "abc\td\nxy\n");
    CHECK_CONTAINS(r.log, ":1:2: warning: 2 control characters dropped");
    CHECK_CONTAINS(r.log, ":2:1: warning: 2 control characters dropped");
    CHECK(r.warnings == 2);

    /* Many bad lines: a few reported, the rest summed up. */
    dg_buf b = {0};
    for (int i = 0; i < 30; i++)
        dg_buf_puts(&b, "\xB0\xA1\xB0\xA1\n"); /* GBK */
    r = parse(a, "_posts/2025-03-02-gbk.md", b.data, b.len);
    dg_buf_free(&b);
    CHECK(r.rc == 0);
    CHECK(r.warnings <= 9);
    CHECK_CONTAINS(r.log, "invalid UTF-8 on 22 more lines");

    /* Empty file. */
    r = parse(a, "_posts/2025-03-02-empty.md", "", 0);
    CHECK(r.rc == 0 && r.p->text_len == 0);
    CHECK_STR(r.p->title, "empty");
    dg_arena_free(a);
}

static void test_read(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_post *p = NULL;
    const char *f = TEST_SOURCE_DIR "/fixtures/site/basic/_posts/2024-02-12-h1-title.markdown";
    CHECK(dg_post_read(&p, a, "shown.md", f, "_posts/2024-02-12-h1-title.markdown", d) == 0);
    if (p) {
        CHECK_STR(p->title, "标题来自 H1");
        CHECK(p->dir[0] == '/');
        CHECK(strstr(p->dir, "fixtures/site/basic/_posts") != NULL);
        CHECK(p->date.month == 2 && p->date.day == 12);
    }
    CHECK(dg_post_read(&p, a, "missing.md", "/nonexistent/missing.md", "missing.md", d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "missing.md: error: cannot read the post");
    dg_diag_free(d);
    dg_arena_free(a);
}

/* A lazy read settles the title from the first block alone and renders the
 * body later, to the same HTML as an eager read. */
static void test_lazy(void)
{
    static const char *const cases[] = {
        "# 标题来自 H1\n\n正文[链接](https://example.com)。\n",
        "\n\n  # Spaced H1 #\n\ntext\n",
        "Setext 标题\n===\n\n正文\n",
        "# [Linked][r] title\n\n[r]: https://example.com\n",
        "[r]: https://example.com\n\n# After a definition\n",
        "# Note[^1]\n\n[^1]: the note\n",
        "---\ntitle: Given\n---\n# Given\n\nbody\n",
        "---\ntitle: Given\n---\n# Other\n\nbody\n",
        "---\ntitle: Given\n---\nno heading\n",
        "```\ncode\n\n# not a heading\n```\n",
        "<!-- c -->\n\n# After HTML\n",
        "## Level two\n\ntext\n",
        "",
        "\n\n\n",
        "---\ntitle: x\n---",
        "Title\n  ===\n\nbody\n",
        "#NoSpace\n\nbody\n",
        "    # indented code\n",
        "\t# tab code\n",
        "<img src=\"x.png\">\n\n# Later\n",
        "para\n= not an underline\n",
        "#\n\nempty heading\n",
    };
    char path[512];
    snprintf(path, sizeof path, "%s/test_post_lazy.md", TEST_BINARY_DIR);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL);
        if (!f)
            return;
        fputs(cases[i], f);
        fclose(f);
        dg_arena *a = dg_arena_new();
        dg_diag *d = dg_diag_new(NULL);
        dg_post *e = NULL, *l = NULL;
        CHECK(dg_post_read(&e, a, "x.md", path, "2024-01-02-x.md", d) == 0);
        CHECK(dg_post_read_lazy(&l, a, "x.md", path, "2024-01-02-x.md", d) == 0);
        if (e && l) {
            CHECK_STR(l->title, e->title);
            CHECK(l->title_from_h1 == e->title_from_h1);
            CHECK(e->html != NULL);
            dg_post_render(l, a);
            CHECK(l->html != NULL);
            if (l->html && e->html)
                CHECK_STR(l->html, e->html);
        }
        dg_diag_free(d);
        dg_arena_free(a);
    }
    remove(path);
}

int main(void)
{
    test_titles();
    test_dates();
    test_text();
    test_read();
    test_lazy();
    TEST_DONE();
}
