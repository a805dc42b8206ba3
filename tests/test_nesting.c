/* test_nesting.c - deep nesting in the PDF layout: a 60-deep quote, a
 * 40-deep list, a 30-deep quote holding a list and a table, 30-deep
 * definitions, at A4 and e-reader size.  Every word of the source is set,
 * whole, inside the text block; quote bars and grounds stay between the
 * head and foot bands; the capped indentation is reported once per post. */
#include <stdlib.h>

#include "../tests/fixtures/pdf/book_fixture.h"
#include "pdf/layout.h"
#include "test.h"

static dg_fonts *fonts;
static dg_diag *diag;

/* A unique word of letters only (no digits, so no break opportunity the
 * line breaker could take inside it): "nest" + KIND + N spelt in letters. */
static void word(dg_buf *b, char kind, int n)
{
    dg_buf_printf(b, "nest%c", kind);
    do {
        dg_buf_putc(b, (char)('a' + n % 26));
        n /= 26;
    } while (n);
}

/* NWORDS words of KIND from FIRST, space separated. */
static void words(dg_buf *b, char kind, int first, int nwords)
{
    for (int i = 0; i < nwords; i++) {
        if (i)
            dg_buf_putc(b, ' ');
        word(b, kind, first + i);
    }
}

static const char *deep_quote(dg_arena *a)
{
    dg_buf b = {0};
    for (int i = 0; i < 60; i++)
        dg_buf_puts(&b, "<blockquote>");
    dg_buf_puts(&b, "<p>");
    words(&b, 'q', 0, 120);
    dg_buf_puts(&b, "</p>");
    for (int i = 0; i < 60; i++)
        dg_buf_puts(&b, "</blockquote>");
    return dg_buf_to_arena(&b, a);
}

static const char *deep_list(dg_arena *a)
{
    dg_buf b = {0};
    for (int i = 0; i < 40; i++) {
        dg_buf_puts(&b, i % 2 ? "<ol><li>" : "<ul><li>");
        words(&b, 'l', i * 4, 4);
    }
    for (int i = 39; i >= 0; i--)
        dg_buf_puts(&b, i % 2 ? "</li></ol>" : "</li></ul>");
    return dg_buf_to_arena(&b, a);
}

static const char *quote_list_table(dg_arena *a)
{
    dg_buf b = {0};
    for (int i = 0; i < 30; i++)
        dg_buf_puts(&b, "<blockquote>");
    dg_buf_puts(&b, "<p>");
    words(&b, 'p', 0, 30);
    dg_buf_puts(&b, "</p><ul><li>");
    words(&b, 'i', 0, 12);
    dg_buf_puts(&b, "</li><li>");
    words(&b, 'i', 12, 12);
    dg_buf_puts(&b, "</li></ul><table><thead><tr>");
    for (int c = 0; c < 3; c++) {
        dg_buf_puts(&b, "<th>");
        word(&b, 'h', c);
        dg_buf_puts(&b, "</th>");
    }
    dg_buf_puts(&b, "</tr></thead><tbody>");
    for (int r = 0; r < 3; r++) {
        dg_buf_puts(&b, "<tr>");
        for (int c = 0; c < 3; c++) {
            dg_buf_puts(&b, "<td>");
            words(&b, 't', (r * 3 + c) * 2, 2);
            dg_buf_puts(&b, "</td>");
        }
        dg_buf_puts(&b, "</tr>");
    }
    dg_buf_puts(&b, "</tbody></table><pre><code>");
    words(&b, 'c', 0, 6);
    dg_buf_puts(&b, "</code></pre>");
    for (int i = 0; i < 30; i++)
        dg_buf_puts(&b, "</blockquote>");
    return dg_buf_to_arena(&b, a);
}

static const char *deep_dl(dg_arena *a)
{
    dg_buf b = {0};
    for (int i = 0; i < 30; i++) {
        dg_buf_puts(&b, "<dl><dt>");
        word(&b, 't', 100 + i);
        dg_buf_puts(&b, "</dt><dd>");
        words(&b, 'd', i * 3, 3);
    }
    for (int i = 0; i < 30; i++)
        dg_buf_puts(&b, "</dd></dl>");
    return dg_buf_to_arena(&b, a);
}

/* Top of the text block: the band of running heads and page numbers is at
 * least 3.8 times their size of 0.8 of the text (layout.c). */
static double band(const dg_layout *l)
{
    return l->margin > l->base * 0.8 * 3.8 ? l->margin : l->base * 0.8 * 3.8;
}

/* The set words of chapter CH, one per line, from the glyphs of its lines
 * in the text block (a space or a line end ends a word). */
static const char *chapter_words(dg_arena *a, const dg_layout *l, int ch)
{
    double top = band(l), bottom = l->page_h - band(l);
    dg_buf b = {0};
    dg_buf_putc(&b, '\n');
    for (size_t p = 0; p < l->npages; p++) {
        if (l->pages[p].chapter != ch)
            continue;
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_TEXT || it->y <= top || it->y > bottom + 0.01)
                continue;
            /* a line ending in a hyphen the engine drew continues its word */
            bool hy = it->line->hyphen;
            for (size_t g = 0; g < it->line->n - (hy ? 1 : 0); g++) {
                uint32_t cp = it->line->glyphs[g].cp;
                if (cp == ' ') {
                    dg_buf_putc(&b, '\n');
                    continue;
                }
                char u[4];
                dg_buf_put(&b, u, (size_t)dg_utf8_encode(cp, u));
            }
            if (!hy)
                dg_buf_putc(&b, '\n');
        }
    }
    return dg_buf_to_arena(&b, a);
}

/* Every word of SRC's text (the letters-only words starting "nest") is a
 * whole word of SET. */
static int missing_words(dg_arena *a, const char *src, const char *set)
{
    int missing = 0;
    for (const char *p = src; (p = strstr(p, "nest")) != NULL;) {
        size_t n = 0;
        while (p[n] >= 'a' && p[n] <= 'z')
            n++;
        bool ok = strstr(set, dg_sprintf(a, "\n%.*s\n", (int)n, p)) != NULL;
        if (!ok) {
            if (missing < 5)
                fprintf(stderr, "  word not set whole: %.*s\n", (int)n, p);
            missing++;
        }
        p += n;
    }
    return missing;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void check_size(dg_page_size size, const char *name)
{
    dg_arena *a = dg_arena_new();
    const char *bodies[] = {deep_quote(a), deep_list(a), quote_list_table(a), deep_dl(a)};
    const char *titles[] = {"Quote", "List", "Mixed", "Definitions"};
    const size_t nch = sizeof bodies / sizeof *bodies;
    dg_book *b = fix_book(a, bodies, titles, nch);
    b->lang = "en";
    for (size_t i = 0; i < nch; i++)
        fix_posts[i].path = dg_sprintf(a, "deep-%zu.md", i + 1);
    dg_pdf_opts o = {.page = size, .link_notes = 0};
    dg_layout *l = NULL;
    dg_diag *d = dg_diag_new(NULL);
    CHECK(dg_layout_book(&l, b, fonts, &o, a, d) == 0);
    /* the second layout's reports repeat the first's: printed once */
    CHECK(dg_layout_book(&l, b, fonts, &o, a, d) == 0);
    if (!l)
        goto out;

    for (size_t i = 0; i < nch; i++) {
        const char *cw = chapter_words(a, l, (int)i);
        /* Every word is whole, or hyphenated (joined again above), also at
         * e-reader size, where half the text block holds three or four
         * Latin words: a loose line beats a split with no hyphen. */
        int miss = missing_words(a, bodies[i], cw);
        if (miss)
            fprintf(stderr, "%s, %s: %d words lost or broken\n", name, titles[i], miss);
        CHECK(miss == 0);
    }

    /* The text block, between the bands of running heads and page numbers. */
    double left = l->margin, right = l->page_w - l->margin;
    double top = band(l), bottom = l->page_h - band(l), eps = 0.01;
    int outside = 0, bars_out = 0;
    for (size_t p = l->body_start; p < l->npages; p++) {
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_TEXT && it->y > top && it->y <= bottom + eps) {
                if (it->x < left - eps || it->x + it->w > right + eps) {
                    if (outside < 3)
                        fprintf(stderr, "  %s p%zu: line at x %.1f width %.1f, block %.1f-%.1f\n",
                                name, p, it->x, it->w, left, right);
                    outside++;
                }
            } else if ((it->kind == DG_ITEM_RULE && it->h > 0) || it->kind == DG_ITEM_FILL) {
                /* quote bars and code grounds (the rule under a running head
                 * is horizontal and belongs in its band) */
                double y0 = it->y, y1 = it->y + it->h;
                if (y0 < top - eps || y1 > bottom + eps || it->x < left - eps ||
                    it->x + it->w > right + eps) {
                    if (bars_out < 3)
                        fprintf(stderr, "  %s p%zu: rule/fill %.1f-%.1f, bands end at %.1f, %.1f\n",
                                name, p, y0, y1, top, bottom);
                    bars_out++;
                }
            }
        }
    }
    CHECK(outside == 0);
    CHECK(bars_out == 0);
    /* Once per post. */
    const char *t = dg_diag_text(d);
    for (size_t i = 1; i <= nch; i++) {
        char key[64];
        snprintf(key, sizeof key, "deep-%zu.md: warning: quotes and lists nested deeper", i);
        if (count(t, key) != 1)
            fprintf(stderr, "%s: reports:\n%s", name, t);
        CHECK(count(t, key) == 1);
    }
out:
    dg_diag_free(d);
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
    check_size(DG_PAGE_A4, "a4");
    check_size(DG_PAGE_EREADER, "ereader");
    dg_fonts_close(fonts);
    dg_diag_free(diag);
    TEST_DONE();
}
