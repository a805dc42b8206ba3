/* test_number.c - issue numbers where a reader looks for them: the EPUB's
 * nav, toc.ncx, cover list and chapter head, and the PDF's contents, outline
 * and chapter head ("第 105 期 · 富士山下", "No. 7 · Hello"); never doubled when
 * the title already shows the number. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "content/book.h"
#include "epub/epub.h"
#include "pdf/layout.h"
#include "site/site.h"
#include "test.h"

static dg_diag *diag;

static void test_format(void)
{
    dg_arena *a = dg_arena_new();
    dg_post p = {0};
    p.title = "富士山下";
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "富士山下"); /* no number */
    CHECK_STR(dg_post_number_label(a, &p, "zh-CN"), "");
    p.number = 105;
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "第 105 期 · 富士山下");
    CHECK_STR(dg_post_display_title(a, &p, "zh-TW"), "第 105 期 · 富士山下");
    CHECK_STR(dg_post_display_title(a, &p, NULL), "第 105 期 · 富士山下");
    CHECK_STR(dg_post_display_title(a, &p, "ja"), "第 105 号 · 富士山下");
    CHECK_STR(dg_post_number_label(a, &p, "en"), "No. 105");
    p.title = "Hello";
    CHECK_STR(dg_post_display_title(a, &p, "en-US"), "No. 105 · Hello");
    /* the title already shows it: as written */
    p.title = "This Week in Rust 105";
    CHECK_STR(dg_post_display_title(a, &p, "en"), "This Week in Rust 105");
    p.title = "科技爱好者周刊（第 105 期）：标题";
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "科技爱好者周刊（第 105 期）：标题");
    p.title = "第 0105 期";
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "第 0105 期");
    /* a longer or shorter digit run is another number */
    p.title = "1050 条消息与 10 个链接";
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "第 105 期 · 1050 条消息与 10 个链接");
    p.title = "2025 年 99999999999999 次";
    CHECK_STR(dg_post_display_title(a, &p, "zh-CN"), "第 105 期 · 2025 年 99999999999999 次");
    p.title = "";
    CHECK_STR(dg_post_display_title(a, &p, "en"), "No. 105");
    dg_arena_free(a);
}

static char *read_entry(zip_t *z, const char *name)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0)
        return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return NULL;
    char *buf = malloc(st.size + 1);
    zip_int64_t n = buf ? zip_fread(f, buf, st.size) : -1;
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* Every text line of the layout, spaces left out (the typesetter may draw a
 * space as a gap), one line each. */
static char *layout_text(dg_arena *a, const dg_layout *l, size_t from, size_t to)
{
    dg_buf b = {0};
    for (size_t p = from; p < to && p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_TEXT)
                continue;
            for (const char *s = dg_layout_line_text(a, it->line); *s; s++)
                if (*s != ' ')
                    dg_buf_putc(&b, *s);
            dg_buf_putc(&b, '\n');
        }
    return dg_buf_to_arena(&b, a);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Builds SITE's March 2025 as an EPUB and a layout and checks that each shows
 * NUMBERED (the display title, spaces in PDF text left out) and not DOUBLED. */
static void check_site(const char *site_dir, const char *numbered, const char *numbered_nosp,
                       const char *doubled, const char *plain, dg_fonts *fonts)
{
    dg_site *site = NULL;
    CHECK(dg_site_open(&site, site_dir, NULL, diag) == 0);
    if (!site)
        return;
    dg_book *b = dg_book_new(site, "2025-03", NULL, diag);
    CHECK(b != NULL);
    if (!b) {
        dg_site_free(site);
        return;
    }
    const char *path = dg_sprintf(b->arena, "%s/number-%s.epub", TEST_BINARY_DIR, b->lang);
    CHECK(dg_epub_write(b, path, diag) == 0);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    CHECK(z != NULL);
    if (z) {
        const char *files[] = {"OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/cover.xhtml",
                               "OEBPS/post-01.xhtml"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char *t = read_entry(z, files[i]);
            CHECK(t != NULL);
            CHECK_CONTAINS(t, numbered);
            CHECK_NOT_CONTAINS(t, doubled);
            if (i < 3)
                CHECK_CONTAINS(t, plain); /* the title that shows its number, as written */
            free(t);
        }
        /* the chapter head's title element carries the number as well */
        char *ch = read_entry(z, "OEBPS/post-01.xhtml");
        CHECK_CONTAINS(ch, dg_sprintf(b->arena, "class=\"chapter-title\">%s</h1>", numbered));
        free(ch);
        zip_close(z);
    }
    unlink(path);

    if (fonts) {
        dg_arena *a = dg_arena_new();
        dg_pdf_opts o = {.page = DG_PAGE_A5, .link_notes = -1};
        dg_layout *l = NULL;
        CHECK(dg_layout_book(&l, b, fonts, &o, a, diag) == 0);
        if (l) {
            /* cover list, contents and chapter head */
            const char *cover = layout_text(a, l, 0, 1);
            const char *contents = layout_text(a, l, 1, l->body_start);
            const char *body = layout_text(a, l, l->body_start, l->npages);
            CHECK_CONTAINS(cover, numbered_nosp);
            CHECK_CONTAINS(contents, numbered_nosp);
            CHECK_CONTAINS(body, numbered_nosp);
            CHECK(count(contents, numbered_nosp) == 1);
            CHECK(l->noutline > 0 && strcmp(l->outline[0].title, numbered) == 0);
        }
        dg_arena_free(a);
    }
    dg_book_free(b);
    dg_site_free(site);
}

int main(void)
{
    diag = dg_diag_new(NULL);
    test_format();
    setenv("SOURCE_DATE_EPOCH", "1741000000", 1);
    dg_fonts *fonts = dg_fonts_open(NULL, diag);
    CHECK(fonts != NULL); /* the bundled fonts */
    check_site(TEST_SOURCE_DIR "/fixtures/number/zh", "第 105 期 · 富士山下", "第105期·富士山下",
               "第 106 期 · 第 106 期", "第 106 期：回顾", fonts);
    check_site(TEST_SOURCE_DIR "/fixtures/number/en", "No. 7 · Hello", "No.7·Hello",
               "No. 8 · ", "This Week in Widgets 8", fonts);
    if (test_failures)
        fprintf(stderr, "%s", dg_diag_text(diag));
    dg_fonts_close(fonts);
    dg_diag_free(diag);
    TEST_DONE();
}
