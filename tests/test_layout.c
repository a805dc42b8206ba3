/* test_layout.c - page breaking of the PDF layout: posts start new pages,
 * headings keep with what follows, no widows or orphans, images are never
 * split, table heads repeat, contents numbers name the real pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/fixtures/pdf/book_fixture.h"
#include "pdf/layout.h"
#include "test.h"

static dg_fonts *fonts;
static dg_diag *diag;

static dg_layout *lay_out(dg_arena *a, dg_book *b, dg_page_size size)
{
    dg_pdf_opts o = {0};
    o.page = size;
    o.link_notes = -1;
    dg_layout *l = NULL;
    CHECK(dg_layout_book(&l, b, fonts, &o, a, diag) == 0);
    return l;
}

static double body_top(const dg_layout *l)
{
    return l->margin;
}
static double body_bottom(const dg_layout *l)
{
    return l->page_h - l->margin;
}

/* Text items inside the text block (not running heads or page numbers). */
static bool in_body(const dg_layout *l, const dg_item *it)
{
    return it->kind == DG_ITEM_TEXT && it->y > body_top(l) && it->y < body_bottom(l);
}

static void test_posts_start_pages(void)
{
    dg_arena *a = dg_arena_new();
    const char *bodies[] = {"<p>第一篇。</p>", "<p>第二篇。</p>", "<p>第三篇。</p>"};
    const char *titles[] = {"一", "二", "三"};
    dg_book *b = fix_book(a, bodies, titles, 3);
    dg_layout *l = lay_out(a, b, DG_PAGE_A4);
    int p1 = dg_layout_find_anchor(l, "post-01", NULL);
    int p2 = dg_layout_find_anchor(l, "post-02", NULL);
    int p3 = dg_layout_find_anchor(l, "post-03", NULL);
    CHECK(p1 >= 2); /* after the cover and the contents */
    CHECK(p2 == p1 + 1);
    CHECK(p3 == p2 + 1);
    CHECK(l->pages[p2].chapter_start);
    CHECK(l->pages[0].kind == DG_PAGE_COVER);
    CHECK(l->pages[1].kind == DG_PAGE_CONTENTS);
    CHECK(l->noutline == 3);
    fix_book_free(b);
    dg_arena_free(a);
}

/* Many sections of varied length, so that headings and paragraph breaks land
 * everywhere on the pages; then the rules are checked on every page. */
static void test_keep_widows_orphans(void)
{
    dg_arena *a = dg_arena_new();
    dg_buf x = {0};
    for (int i = 0; i < 60; i++) {
        dg_buf_printf(&x, "<h2 id=\"s%d\">第 %d 节</h2>", i, i);
        int np = 1 + i % 3;
        for (int k = 0; k < np; k++)
            dg_buf_printf(&x, "<p>%s</p>", fix_text(a, 30 + (i * 37 + k * 53) % 260, i * 7 + k));
    }
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"分页测试"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_layout *l = lay_out(a, b, DG_PAGE_A5);
    CHECK(l->npages > 10);
    int headings_last = 0, widows = 0, orphans = 0;
    const dg_item *prev_last = NULL;
    for (size_t p = l->body_start; p < l->npages; p++) {
        const dg_lpage *pg = &l->pages[p];
        const dg_item *first = NULL, *last = NULL, *before_last = NULL;
        for (size_t k = 0; k < pg->n; k++) {
            const dg_item *it = &pg->items[k];
            if (!in_body(l, it))
                continue;
            if (!first)
                first = it;
            before_last = last;
            last = it;
        }
        if (!last)
            continue;
        /* the last line of a page is never a heading (size above the base) */
        if (last->h > l->base * 1.01) {
            headings_last++;
            fprintf(stderr, "page %zu ends with a heading\n", p + 1);
        }
        /* widow: a paragraph's last line alone at the top of a page */
        if (first && prev_last && first->h == l->base && first->line->last && !prev_last->line->last &&
            !pg->chapter_start) {
            widows++;
            fprintf(stderr, "page %zu starts with a widow\n", p + 1);
        }
        /* orphan: a paragraph's first line alone at the bottom */
        if (last->h == l->base && !last->line->last &&
            (!before_last || before_last->h != l->base || before_last->line->last)) {
            orphans++;
            fprintf(stderr, "page %zu ends with an orphan\n", p + 1);
        }
        prev_last = last;
        /* nothing below the text block */
        for (size_t k = 0; k < pg->n; k++)
            if (pg->items[k].kind == DG_ITEM_TEXT && pg->items[k].y > body_bottom(l) + 1 &&
                pg->items[k].y < l->page_h - l->margin * 0.6)
                CHECK(!"text below the text block");
    }
    CHECK(headings_last == 0);
    CHECK(widows == 0);
    CHECK(orphans == 0);
    /* each heading's anchor is on the page of its text */
    for (int i = 0; i < 60; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        double y;
        int p = dg_layout_find_anchor(l, id, &y);
        CHECK(p >= 0);
        if (p >= 0)
            CHECK(y >= body_top(l) - 0.5 && y < body_bottom(l));
    }
    fix_book_free(b);
    dg_arena_free(a);
}

static void test_images_not_split(void)
{
    dg_arena *a = dg_arena_new();
    dg_buf x = {0};
    for (int i = 0; i < 8; i++)
        dg_buf_printf(&x, "<p>%s</p><p><img src=\"images/001.png\" alt=\"图 %d\"/></p>",
                      fix_text(a, 40 + i * 30, i), i);
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"图片"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    const dg_asset *as = dg_registry_add_image(&b->reg, TEST_SOURCE_DIR "/fixtures/pdf/tall.png");
    CHECK(as != NULL);
    if (as)
        CHECK_STR(as->href, "images/001.png");
    dg_layout *l = lay_out(a, b, DG_PAGE_A5);
    int images = 0;
    for (size_t p = 0; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_IMAGE)
                continue;
            images++;
            CHECK(it->y >= body_top(l) - 0.5);
            CHECK(it->y + it->h <= body_bottom(l) + 0.5);
            CHECK(it->x >= l->margin - 0.5 && it->x + it->w <= l->page_w - l->margin + 0.5);
        }
    CHECK(images == 8);
    fix_book_free(b);
    dg_arena_free(a);
}

static void test_table_head_repeats(void)
{
    dg_arena *a = dg_arena_new();
    dg_buf x = {0};
    dg_buf_puts(&x, "<table><thead><tr><th>名称</th><th>Description</th></tr></thead><tbody>");
    for (int i = 0; i < 90; i++)
        dg_buf_printf(&x, "<tr><td>项目 %d</td><td>%s</td></tr>", i, fix_text(a, 10 + i % 40, i));
    dg_buf_puts(&x, "</tbody></table>");
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"表格"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_layout *l = lay_out(a, b, DG_PAGE_A4);
    int pages_with_table = 0, heads = 0;
    for (size_t p = l->body_start; p < l->npages; p++) {
        bool any = false, head_first = false;
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (!in_body(l, it))
                continue;
            char *t = dg_layout_line_text(a, it->line);
            if (!strncmp(t, "项目", 6) && !any)
                head_first = false, any = true;
            else if (!strcmp(t, "名称") && !any)
                head_first = true, any = true;
        }
        if (any) {
            pages_with_table++;
            heads += head_first;
        }
    }
    CHECK(pages_with_table >= 2);
    CHECK(heads == pages_with_table);
    fix_book_free(b);
    dg_arena_free(a);
}

/* A row taller than a page is cut into bands; nothing leaves the text block. */
static void test_table_tall_row(void)
{
    dg_arena *a = dg_arena_new();
    char *body = dg_sprintf(a, "<table><thead><tr><th>甲</th><th>乙</th></tr></thead><tbody>"
                               "<tr><td>短</td><td>%s</td></tr></tbody></table>",
                            fix_text(a, 4000, 3));
    const char *bodies[] = {body};
    const char *titles[] = {"长单元格"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_layout *l = lay_out(a, b, DG_PAGE_A5);
    CHECK(l->npages >= l->body_start + 3);
    for (size_t p = l->body_start; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_RECT)
                CHECK(it->y >= body_top(l) - 0.5 && it->y + it->h <= body_bottom(l) + 0.5);
            if (it->kind == DG_ITEM_TEXT && it->h < l->base)
                CHECK(it->y < body_bottom(l) || it->y > l->page_h - l->margin * 0.6);
        }
    fix_book_free(b);
    dg_arena_free(a);
}

/* The number printed after each contents entry is the page of its anchor,
 * also when the contents take several pages. */
static void test_contents_numbers(void)
{
    dg_arena *a = dg_arena_new();
    const char *bodies[3], *titles[3] = {"甲", "乙", "丙"};
    for (int c = 0; c < 3; c++) {
        dg_buf x = {0};
        for (int i = 0; i < 45; i++)
            dg_buf_printf(&x, "<h2 id=\"c%d-%d\">小节 %d</h2><p>%s</p>", c, i, i, fix_text(a, 60, i));
        bodies[c] = dg_buf_to_arena(&x, a);
    }
    dg_book *b = fix_book(a, bodies, titles, 3);
    dg_layout *l = lay_out(a, b, DG_PAGE_A4);
    CHECK(l->ncontents >= 2);
    int checked = 0, wrong = 0;
    for (size_t p = 1; p < l->body_start; p++) {
        const dg_lpage *pg = &l->pages[p];
        CHECK(pg->kind == DG_PAGE_CONTENTS);
        for (size_t k = 0; k < pg->n; k++) {
            const dg_item *r = &pg->items[k];
            if (r->kind != DG_ITEM_LINK || !r->dest || r->x < l->page_w / 2)
                continue;
            for (size_t j = 0; j < pg->n; j++) {
                const dg_item *t = &pg->items[j];
                if (t->kind != DG_ITEM_TEXT || t->x != r->x || t->y <= r->y || t->y >= r->y + r->h)
                    continue;
                int num = atoi(dg_layout_line_text(a, t->line));
                int real = dg_layout_find_anchor(l, r->dest, NULL) + 1;
                checked++;
                if (num != real && wrong++ < 10) {
                    fprintf(stderr, "%s: contents say %d, it is on %d\n", r->dest, num, real);
                }
            }
        }
    }
    CHECK(checked == 3 + 3 * 45);
    CHECK(wrong == 0);
    /* the page numbers at the foot agree with the page index */
    fix_book_free(b);
    dg_arena_free(a);
}

/* Footnotes sit at the foot of the page that references them. */
static void test_footnotes_at_foot(void)
{
    dg_arena *a = dg_arena_new();
    dg_buf x = {0}, notes = {0};
    dg_buf_puts(&notes, "<div class=\"footnotes\"><ol>");
    for (int i = 1; i <= 12; i++) {
        dg_buf_printf(&x, "<p>%s<sup class=\"footnote-ref\"><a href=\"#post-01-fn-%d\" "
                          "id=\"post-01-fnref-%d\">%d</a></sup>%s</p>",
                      fix_text(a, 80 + i * 23, i), i, i, i, fix_text(a, 60 + i * 11, i + 50));
        dg_buf_printf(&notes, "<li id=\"post-01-fn-%d\"><p>脚注 %d：%s <a href=\"#post-01-fnref-%d\" "
                              "class=\"footnote-backref\">↩</a></p></li>",
                      i, i, fix_text(a, 20 + i * 5, i + 99), i);
    }
    dg_buf_puts(&notes, "</ol></div>");
    dg_buf_puts(&x, notes.data);
    dg_buf_free(&notes);
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"脚注"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_layout *l = lay_out(a, b, DG_PAGE_A5);
    for (int i = 1; i <= 12; i++) {
        char id[32];
        snprintf(id, sizeof id, "post-01-fn-%d", i);
        double ny = 0;
        int np = dg_layout_find_anchor(l, id, &ny);
        int rp = -1;
        double ry = 0;
        for (size_t p = 0; p < l->npages && rp < 0; p++)
            for (size_t k = 0; k < l->pages[p].n; k++)
                if (l->pages[p].items[k].kind == DG_ITEM_LINK && l->pages[p].items[k].dest &&
                    !strcmp(l->pages[p].items[k].dest, id)) {
                    rp = (int)p;
                    ry = l->pages[p].items[k].y;
                    break;
                }
        CHECK(np >= 0 && np == rp);
        CHECK(ny > ry);
        if (np != rp)
            fprintf(stderr, "note %d on page %d, referenced on %d\n", i, np + 1, rp + 1);
    }
    /* no body text runs into the notes: every page's text above its first note */
    for (size_t p = l->body_start; p < l->npages; p++) {
        double first_note = 1e9;
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_ANCHOR && !strncmp(it->dest, "post-01-fn-", 11) && it->y < first_note)
                first_note = it->y;
        }
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_TEXT && it->h == l->base && it->y > first_note)
                CHECK(!"body text below a footnote");
        }
    }
    fix_book_free(b);
    dg_arena_free(a);
}

/* The text of every page, in order. */
static char *layout_text(dg_arena *a, const dg_layout *l)
{
    dg_buf b = {0};
    for (size_t p = 0; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_TEXT)
                continue;
            for (size_t g = 0; g < it->line->n; g++) {
                char u[4];
                dg_buf_put(&b, u, (size_t)dg_utf8_encode(it->line->glyphs[g].cp, u));
            }
            dg_buf_putc(&b, '\n');
        }
    return dg_buf_to_arena(&b, a);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Link notes list the URLs of links on paper, but not of a link whose text
 * is its own address. */
static void test_link_notes(void)
{
    dg_arena *a = dg_arena_new();
    const char *bodies[] = {"<p>读了<a href=\"https://a.example/x\">一篇文章</a>，"
                            "地址是 <a href=\"https://b.example/\">https://b.example/</a>。</p>"};
    const char *titles[] = {"链接"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    const char *t = layout_text(a, lay_out(a, b, DG_PAGE_A4));
    CHECK(count(t, "a.example/x") == 1); /* in the notes only: the text says 一篇文章 */
    CHECK(count(t, "b.example") == 1);   /* in the text only */
    dg_pdf_opts o = {.page = DG_PAGE_A4, .link_notes = 0};
    dg_layout *off = NULL;
    CHECK(dg_layout_book(&off, b, fonts, &o, a, diag) == 0);
    CHECK(off && count(layout_text(a, off), "a.example") == 0);
    fix_book_free(b);
    dg_arena_free(a);
}

/* One post of N sections, each a heading and a short paragraph: the
 * contents list every heading and look up its anchor's page.  Returns the
 * CPU seconds of the layout, for test_growth. */
static double layout_headings(void *ctx, size_t n)
{
    (void)ctx;
    dg_arena *a = dg_arena_new();
    dg_buf html = {0};
    for (size_t i = 0; i < n; i++)
        dg_buf_printf(&html, "<h2 id=\"h%zu\">节 %zu</h2><p>短短的一段。</p>", i, i);
    const char *bodies[] = {html.data};
    const char *titles[] = {"很多小节"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    double t0 = test_cpu_seconds();
    dg_layout *l = lay_out(a, b, DG_PAGE_A4);
    double t = test_cpu_seconds() - t0;
    CHECK(l && l->noutline == n + 1);
    fix_book_free(b);
    dg_buf_free(&html);
    dg_arena_free(a);
    return t;
}

/* The contents find each heading's page through an index, not a scan of
 * every page per heading (quadratic: a post of 4,000 headings took 8 times
 * as long as one of 1,000). */
static void test_many_headings_linear(void)
{
    CHECK(test_growth("contents of many headings", layout_headings, NULL, 1000) <
          TEST_LINEAR_GROWTH);
}

/* A paragraph of over three windows (PARA_WINDOW, 64 KiB): every word in
 * order, and every line but the paragraph's last justified to the full
 * measure (a window's own last line is set again with the next window, not
 * left short inside the paragraph). */
static void test_long_paragraph(void)
{
    dg_arena *a = dg_arena_new();
    dg_buf body = {0};
    dg_buf_puts(&body, "<p>");
    size_t nwords = 30000;
    for (size_t i = 0; i < nwords; i++)
        dg_buf_printf(&body, "%sw%zu", i ? " " : "", i);
    dg_buf_puts(&body, "</p>");
    CHECK(body.len > 3 * 64 * 1024);
    const char *bodies[] = {dg_buf_to_arena(&body, a)};
    const char *titles[] = {"Long"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_layout *l = lay_out(a, b, DG_PAGE_A4);
    double measure = l->page_w - 2 * l->margin;
    dg_buf text = {0};
    size_t lines = 0, short_lines = 0;
    const dg_line *last = NULL;
    for (size_t p = l->body_start; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (!in_body(l, it) || !it->line->n || it->line->glyphs[0].cp != 'w')
                continue;
            if (last && last->width < measure - 0.01)
                short_lines++;
            last = it->line;
            lines++;
            size_t n = it->line->n - (it->line->hyphen ? 1 : 0);
            for (size_t g = 0; g < n; g++) {
                char u[4];
                dg_buf_put(&text, u, (size_t)dg_utf8_encode(it->line->glyphs[g].cp, u));
            }
            if (!it->line->hyphen)
                dg_buf_putc(&text, ' ');
        }
    CHECK(lines > 500);
    CHECK(short_lines == 0);
    /* the words, in order, none lost or repeated */
    size_t i = 0;
    for (char *w = text.data ? strtok(text.data, " ") : NULL; w; w = strtok(NULL, " "), i++) {
        char want[32];
        snprintf(want, sizeof want, "w%zu", i);
        if (strcmp(w, want) != 0) {
            CHECK_STR(w, want);
            break;
        }
    }
    CHECK(i == nwords);
    dg_buf_free(&text);
    fix_book_free(b);
    dg_arena_free(a);
}

int main(void)
{
    diag = dg_diag_new(NULL);
    fonts = dg_fonts_open(NULL, diag);
    CHECK(fonts != NULL);
    if (!fonts) {
        fprintf(stderr, "%s", dg_diag_text(diag));
        TEST_DONE();
    }
    test_posts_start_pages();
    test_keep_widows_orphans();
    test_images_not_split();
    test_table_head_repeats();
    test_contents_numbers();
    test_table_tall_row();
    test_footnotes_at_foot();
    test_link_notes();
    test_many_headings_linear();
    test_long_paragraph();
    dg_fonts_close(fonts);
    dg_diag_free(diag);
    TEST_DONE();
}
