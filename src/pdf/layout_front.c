/* layout_front.c - the front matter of the layout (layout_impl.h): cover and
 * contents (layout.c runs them until the contents' page count is stable),
 * and the running head and number of a page (added as the page is handed
 * over).
 */
#include <stdio.h>
#include <string.h>

#include "pdf/layout_front.h"

/* The number of lines TEXT takes at SIZE across the column (as
 * lay_text_block would lay it out). */
static size_t block_lines(lay *l, const char *text, double size)
{
    lay_clear_spans(l);
    istyle st = lay_base_style(l, size);
    bool sp = true;
    lay_push_text(l, text, &st, &sp);
    return lay_layout_spans(l, l->width, 0, false, false).nlines;
}

/* --pdf-cover image: the book's cover image (src/cover/) alone on the first
 * page, as large as the page takes it, centred. */
static void cover_image(lay *l)
{
    const dg_book *b = l->book;
    lay_new_page(l, DG_PAGE_COVER);
    dg_asset *as = dg_alloc(l->a, sizeof *as);
    as->key = "cover-image";
    as->href = "images/cover" DG_COVER_EXT;
    if (dg_image_from_memory(&as->image, l->a, b->cover_jpeg, b->cover_jpeg_len) != 0 ||
        as->image.type != DG_IMG_JPEG || as->image.width <= 0 || as->image.height <= 0)
        return; /* the app made it: cannot happen; an empty first page at worst */
    double iw = as->image.width, ih = as->image.height;
    double h = l->H, w = h * iw / ih;
    if (w > l->W) {
        w = l->W;
        h = w * ih / iw;
    }
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_IMAGE);
    it->x = (l->W - w) / 2;
    it->y = (l->H - h) / 2;
    it->w = w;
    it->h = h;
    it->asset = as;
}

static void cover(lay *l)
{
    const dg_book *b = l->book;
    if (l->cover_image) {
        cover_image(l);
        return;
    }
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
    /* The list ends above the author line (a line and a half of space
     * between); when not every title fits, a last line says how many more
     * posts there are, so room for it is kept while titles remain. */
    double size = l->base * 1.05, lh = size * 1.8;
    double limit = b->author ? l->bottom - l->base * 2 - l->base * 1.5 : l->bottom;
    size_t shown = 0;
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_post *p = b->chapters[i].post;
        const char *title = dg_post_display_title(l->a, p, p->lang ? p->lang : l->lang);
        const char *t = p->has_date
                            ? dg_sprintf(l->a, "%02d-%02d  %s", p->date.month, p->date.day, title)
                            : title;
        double need = (double)block_lines(l, t, size) * lh + (i + 1 < b->nchapters ? lh : 0);
        if (l->y + need > limit + 0.01)
            break;
        lay_text_block(l, t, 0, size, 0, 1.8, true);
        shown++;
    }
    if (shown < b->nchapters && l->y + lh <= limit + 0.01) {
        size_t more = b->nchapters - shown;
        lay_text_block(l,
                       l->zh ? dg_sprintf(l->a, "另有 %zu 篇", more)
                             : dg_sprintf(l->a, "and %zu more", more),
                       0, size, DG_TAG_GREY, 1.8, true);
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
    lay_text_block(l, dg_label(l->lang, DG_LABEL_CONTENTS), DG_BOLD, l->base * 1.6, 0, 1.5, false);
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

void lay_running_head(lay *l, dg_lpage *pg, size_t num)
{
    double hs = l->base * HEAD_SCALE;
    if (pg->kind == DG_PAGE_COVER)
        return;
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
        return;
    /* a volume's even pages name the post's month, a month's the book */
    const dg_book_group *grp = dg_book_group_of(l->book, (size_t)pg->chapter);
    const char *head = num % 2 == 0 ? (grp ? grp->label : l->book->title)
                                    : l->book->chapters[pg->chapter].post->title;
    if (!head)
        return;
    /* a head longer than the text width is cut to its first line */
    lay_clear_spans(l);
    lay_push_span(l, head, strlen(head), 0, hs, -1, DG_TAG_GREY, 0);
    dg_para p = lay_layout_spans(l, l->right - l->left, 0, false, false);
    if (!p.nlines)
        return;
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
