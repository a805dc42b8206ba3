/* layout_front.c - the front matter of the layout (layout_impl.h): cover and
 * contents (layout.c runs them until the contents' page count is stable),
 * then running heads and page numbers on every page.
 */
#include <stdio.h>
#include <string.h>

#include "pdf/layout_front.h"

static void cover(lay *l)
{
    const dg_book *b = l->book;
    lay_new_page(l, DG_PAGE_COVER);
    l->x0 = l->left;
    l->width = l->right - l->left;
    l->y = l->top + (l->page_bottom - l->top) * 0.22;
    const char *site = b->site && b->site->title ? b->site->title : NULL;
    lay_text_block(l, site ? site : b->title, DG_BOLD, l->base * 2.6, 0, 1.3, true);
    l->y += l->base;
    lay_text_block(l, b->month_label, 0, l->base * 1.6, 0, 1.4, true);
    if (b->site && b->site->description && *b->site->description) {
        l->y += l->base * 0.8;
        lay_text_block(l, b->site->description, 0, l->base * 0.95, DG_TAG_GREY, 1.6, true);
    }
    l->y += l->base * 2.5;
    dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_RULE);
    r->x = l->x0 + l->width * 0.35;
    r->y = l->y;
    r->w = l->width * 0.3;
    r->lw = 0.6;
    r->gray = 0.4;
    l->y += l->base * 2;
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_post *p = b->chapters[i].post;
        const char *title = dg_post_display_title(l->a, p, l->lang);
        const char *t = p->has_date
                            ? dg_sprintf(l->a, "%02d-%02d  %s", p->date.month, p->date.day, title)
                            : title;
        /* a title of several lines must end above the author's line */
        lay_clear_spans(l);
        istyle st = lay_base_style(l, l->base * 1.05);
        bool sp = true;
        lay_push_text(l, t, &st, &sp);
        dg_para tp = lay_layout_spans(l, l->width, 0, false, false);
        double stop = b->author ? l->bottom - l->base * 2 : l->bottom;
        if (l->y + (double)(tp.nlines ? tp.nlines : 1) * l->base * 1.05 * 1.8 > stop + 0.01)
            break;
        lay_text_block(l, t, 0, l->base * 1.05, 0, 1.8, true);
    }
    if (b->author) {
        l->y = l->bottom - l->base * 2;
        lay_text_block(l, b->author, 0, l->base, DG_TAG_GREY, 1.5, true);
    }
}

static const dg_line *leader_line(lay *l, double width, double size)
{
    int f = dg_fonts_pick(l->fonts, 0, '.');
    double step = size * 0.5;
    size_t n = width > step ? (size_t)(width / step) : 0;
    dg_line *ln = dg_alloc(l->a, sizeof *ln);
    ln->glyphs = dg_allocn(l->a, n + 1, sizeof(dg_glyph));
    for (size_t i = 0; i < n; i++) {
        dg_glyph *g = &ln->glyphs[i];
        g->cp = '.';
        g->font = f;
        g->x = width - (double)(n - i) * step;
        g->advance = f >= 0 ? dg_fonts_advance(l->fonts, f, '.') * size : step;
        g->size = size;
        g->link = -1;
        g->tag = DG_TAG_GREY;
    }
    ln->n = n;
    ln->width = width;
    ln->last = true;
    return ln;
}

static void contents(lay *l, const lay_toc_entry *e, size_t n)
{
    lay_new_page(l, DG_PAGE_CONTENTS);
    l->x0 = l->left;
    l->width = l->right - l->left;
    l->y += l->base;
    lay_text_block(l, l->zh ? "目录" : "Contents", DG_BOLD, l->base * 1.6, 0, 1.5, false);
    l->y += l->base;
    double numw = l->base * 3;
    for (size_t i = 0; i < n; i++) {
        double size = e[i].level == 0 ? l->base * 1.05 : l->base * 0.95;
        double ind = e[i].level == 0 ? 0 : size * 2 * e[i].level;
        double lh = size * 1.6;
        lay_clear_spans(l);
        istyle st = lay_base_style(l, size);
        st.style = e[i].level == 0 ? DG_BOLD : 0;
        int lk = lay_add_link(l, NULL, e[i].dest);
        st.link = lk;
        bool sp = true;
        lay_push_text(l, e[i].title, &st, &sp);
        dg_para p = lay_layout_spans(l, l->width - ind - numw - size, 0, false, false);
        if (!p.nlines)
            continue;
        if (e[i].level == 0)
            lay_vspace(l, size * 0.5);
        if (l->y + lh * p.nlines > l->bottom + 0.01)
            lay_new_page(l, DG_PAGE_CONTENTS);
        for (size_t k = 0; k < p.nlines; k++) {
            if (k + 1 == p.nlines) {
                const dg_line *last = &p.lines[k];
                double base = lay_baseline(l->y, lh, size);
                const char *num = dg_sprintf(l->a, "%d", e[i].page);
                const dg_line *nl = lay_simple_line(l, num, 0, size, 0);
                double lx = l->x0 + ind + last->width + size * 0.5;
                double lw = l->x0 + l->width - nl->width - size * 0.5 - lx;
                if (lw > size)
                    lay_place_line_at(l, leader_line(l, lw, size), lx, base, size);
                lay_place_line_at(l, nl, l->x0 + l->width - nl->width, base, size);
                dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_LINK);
                r->x = l->x0 + l->width - nl->width;
                r->w = nl->width;
                r->y = base - size;
                r->h = size * 1.2;
                r->dest = e[i].dest;
            }
            lay_put_line(l, &p.lines[k], l->x0 + ind, lh, size);
        }
    }
}

void lay_front_matter(lay *l, const lay_toc_entry *e, size_t n)
{
    cover(l);
    contents(l, e, n);
}

void lay_running_heads(lay *l)
{
    dg_layout *L = l->L;
    double hs = l->base * HEAD_SCALE;
    for (size_t i = 0; i < L->npages; i++) {
        dg_lpage *pg = &L->pages[i];
        if (pg->kind == DG_PAGE_COVER)
            continue;
        size_t num = i + 1;
        const char *ns = dg_sprintf(l->a, "%zu", num);
        const dg_line *nl = lay_simple_line(l, ns, 0, hs, DG_TAG_GREY);
        double fy = l->H - l->band * 0.45;
        dg_item *it = lay_add_item(l, pg, DG_ITEM_TEXT);
        it->x = (l->W - nl->width) / 2;
        it->y = fy;
        it->line = nl;
        it->w = nl->width;
        it->h = hs;
        if (pg->kind != DG_PAGE_BODY || pg->chapter_start || pg->chapter < 0)
            continue;
        const char *head =
            num % 2 == 0 ? l->book->title : l->book->chapters[pg->chapter].post->title;
        if (!head)
            continue;
        /* a head longer than the text width is cut to its first line */
        lay_clear_spans(l);
        lay_push_span(l, head, strlen(head), 0, hs, -1, DG_TAG_GREY, 0);
        dg_para p = lay_layout_spans(l, l->right - l->left, 0, false, false);
        if (!p.nlines)
            continue;
        const dg_line *hl = &p.lines[0];
        double hy = l->band * 0.62;
        dg_item *h = lay_add_item(l, pg, DG_ITEM_TEXT);
        h->x = num % 2 == 0 ? l->left : l->right - hl->width;
        h->y = hy;
        h->line = hl;
        h->w = hl->width;
        h->h = hs;
        dg_item *r = lay_add_item(l, pg, DG_ITEM_RULE);
        r->x = l->left;
        r->y = hy + hs * 0.45;
        r->w = l->right - l->left;
        r->lw = 0.3;
        r->gray = 0.6;
    }
}
