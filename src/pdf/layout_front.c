/* layout_front.c - the front matter and the book as a whole: cover,
 * contents (two passes: the body first, then contents until their page count
 * is stable), running heads, page numbers, and the layout's entry points.
 * Part of the layout (layout_internal.h). */
#include <stdio.h>
#include <string.h>

#define DG_LAYOUT_INTERNALS
#include "pdf/layout.h"

/* ---- front matter -------------------------------------------------------------- */

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
        const char *t = p->has_date ? dg_sprintf(l->a, "%02d-%02d  %s", p->date.month, p->date.day, title)
                                    : title;
        if (l->y + l->base * 1.8 > l->bottom)
            break;
        lay_text_block(l, t, 0, l->base * 1.05, 0, 1.8, true);
    }
    if (b->author) {
        l->y = l->bottom - l->base * 2;
        lay_text_block(l, b->author, 0, l->base, DG_TAG_GREY, 1.5, true);
    }
}

typedef struct toc_entry {
    int level;
    const char *title, *dest;
    int page; /* 1-based page number */
} toc_entry;

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

static void contents(lay *l, const toc_entry *e, size_t n)
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
        l->nspans = 0;
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
                double base = l->y + (lh - size) / 2 + size * 0.88;
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

/* ---- running heads, numbers ------------------------------------------------------ */

/* Size of running heads and page numbers, relative to the text. */
#define HEAD_SCALE 0.8

static void finish_pages(lay *l)
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
        const char *head = num % 2 == 0 ? l->book->title : l->book->chapters[pg->chapter].post->title;
        if (!head)
            continue;
        /* a head longer than the text width is cut to its first line */
        l->nspans = 0;
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

/* ---- entry points ---------------------------------------------------------------- */

void dg_layout_geometry(const dg_pdf_opts *opts, double *w, double *h, double *margin,
                        double *base)
{
    const double mm = 72.0 / 25.4;
    switch (opts ? opts->page : DG_PAGE_A4) {
    case DG_PAGE_A5:
        *w = 148 * mm, *h = 210 * mm, *margin = 15 * mm, *base = 9.5;
        break;
    case DG_PAGE_LETTER:
        *w = 612, *h = 792, *margin = 54, *base = 10.5;
        break;
    case DG_PAGE_EREADER:
        *w = 90 * mm, *h = 120 * mm, *margin = 6 * mm, *base = 8.5;
        break;
    default:
        *w = 210 * mm, *h = 297 * mm, *margin = 20 * mm, *base = 10.5;
        break;
    }
    if (opts && opts->margin > 0)
        *margin = opts->margin;
    if (opts && opts->base_size > 0)
        *base = opts->base_size;
}

int dg_layout_find_anchor(const dg_layout *l, const char *id, double *y)
{
    for (size_t p = 0; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_ANCHOR && !strcmp(it->dest, id)) {
                if (y)
                    *y = it->y;
                return (int)p;
            }
        }
    return -1;
}

char *dg_layout_line_text(dg_arena *a, const dg_line *line)
{
    dg_buf b = {0};
    for (size_t i = 0; i < line->n; i++) {
        char u[4];
        int n = dg_utf8_encode(line->glyphs[i].cp, u);
        dg_buf_put(&b, u, (size_t)n);
    }
    if (!b.data)
        return dg_strdup(a, "");
    return dg_buf_to_arena(&b, a);
}

int dg_layout_book(dg_layout **out, const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                   dg_arena *a, dg_diag *d)
{
    lay l = {0};
    l.book = book;
    l.fonts = fonts;
    l.a = a;
    l.d = d;
    l.lang = book->lang ? book->lang : "zh-CN";
    l.zh = dg_lang_is_cjk(l.lang);
    dg_layout_geometry(opts, &l.W, &l.H, &l.M, &l.base);
    /* The running head and the page number sit in bands above and below
     * the text: at least 3.8 times their size, so that a small margin (the
     * e-reader page's 6 mm) still leaves air between head, text and edge. */
    double hs = l.base * HEAD_SCALE;
    l.band = l.M > hs * 3.8 ? l.M : hs * 3.8;
    l.top = l.band;
    l.bottom = l.page_bottom = l.H - l.band;
    l.left = l.M;
    l.right = l.W - l.M;
    l.indent = opts && opts->indent;
    int ln = opts ? opts->link_notes : -1;
    l.notes = ln < 0 ? (!opts || opts->page == DG_PAGE_A4 || opts->page == DG_PAGE_A5) : ln > 0;
    l.scale = 1.0;

    /* the body */
    dg_layout *body = dg_alloc(a, sizeof *body);
    l.L = body;
    for (size_t i = 0; i < book->nchapters; i++)
        lay_layout_chapter(&l, i);

    /* contents entries: posts and their h1-h2 */
    size_t n = 0;
    for (size_t i = 0; i < book->nchapters; i++)
        n += 1 + book->chapters[i].nheadings;
    toc_entry *e = dg_allocn(a, n + 1, sizeof *e);
    dg_outline_entry *ol = dg_allocn(a, n + 1, sizeof *ol);
    size_t ne = 0, no = 0;
    int *local = dg_allocn(a, n + 1, sizeof *local);
    for (size_t i = 0; i < book->nchapters; i++) {
        const dg_chapter *ch = &book->chapters[i];
        const char *title = dg_post_display_title(a, ch->post, l.lang);
        e[ne] = (toc_entry){0, title, ch->id, 0};
        local[ne++] = dg_layout_find_anchor(body, ch->id, NULL);
        ol[no++] = (dg_outline_entry){1, title, ch->id};
        for (size_t h = 0; h < ch->nheadings; h++) {
            const dg_heading *hd = &ch->headings[h];
            ol[no++] = (dg_outline_entry){1 + hd->level, hd->text, hd->id};
            if (hd->level <= 2) {
                e[ne] = (toc_entry){hd->level, hd->text, hd->id, 0};
                local[ne++] = dg_layout_find_anchor(body, hd->id, NULL);
            }
        }
    }

    /* front matter, until the number of contents pages settles */
    dg_layout *front = NULL;
    size_t nc = 1;
    for (int pass = 0; pass < CONTENTS_PASSES; pass++) {
        for (size_t i = 0; i < ne; i++)
            e[i].page = local[i] >= 0 ? (int)(1 + nc + (size_t)local[i] + 1) : 0;
        front = dg_alloc(a, sizeof *front);
        l.L = front;
        l.chapter = -1;
        cover(&l);
        contents(&l, e, ne);
        size_t got = front->npages - 1;
        if (got == nc)
            break;
        nc = got;
    }

    dg_layout *L = dg_alloc(a, sizeof *L);
    L->npages = front->npages + body->npages;
    L->cap = L->npages;
    L->pages = dg_allocn(a, L->npages + 1, sizeof *L->pages);
    memcpy(L->pages, front->pages, front->npages * sizeof *L->pages);
    if (body->npages)
        memcpy(L->pages + front->npages, body->pages, body->npages * sizeof *L->pages);
    L->ncontents = front->npages - 1;
    L->body_start = front->npages;
    L->page_w = l.W;
    L->page_h = l.H;
    L->margin = l.M;
    L->base = l.base;
    L->outline = ol;
    L->noutline = no;
    l.L = L;
    finish_pages(&l);
    *out = L;
    return 0;
}

