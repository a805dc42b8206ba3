/* layout.c - content trees into pages (layout.h): the layout's entry points.
 *
 * The body is laid out first, one post after another, each from a new page
 * (layout_block.c).  The cover and the contents come after (layout_front.c),
 * in a second pass that knows the body's page numbers; the number of
 * contents pages is iterated until stable.  Running heads and page numbers
 * are added last.  The builder state (layout_impl.h) lives here, for the
 * length of one dg_layout_book.
 */
#include <string.h>

#include "pdf/layout.h"
#include "pdf/layout_block.h"
#include "pdf/layout_front.h"
#include "pdf/layout_impl.h"

/* Passes to settle the number of contents pages (it changes at most a few times). */
#define CONTENTS_PASSES 6

void dg_layout_geometry(const dg_pdf_opts *opts, double *w, double *h, double *margin, double *base)
{
    const double mm = 72.0 / 25.4;
    switch (opts ? opts->page : DG_PAGE_A4) {
    case DG_PAGE_A5: *w = 148 * mm, *h = 210 * mm, *margin = 15 * mm, *base = 9.5; break;
    case DG_PAGE_LETTER: *w = 612, *h = 792, *margin = 54, *base = 10.5; break;
    case DG_PAGE_EREADER: *w = 90 * mm, *h = 120 * mm, *margin = 6 * mm, *base = 8.5; break;
    default: *w = 210 * mm, *h = 297 * mm, *margin = 20 * mm, *base = 10.5; break;
    }
    if (opts && opts->margin > 0)
        *margin = opts->margin;
    if (opts && opts->base_size > 0)
        *base = opts->base_size;
}

void dg_layout_index_anchors(const dg_layout *l, dg_map *m, dg_arena *a)
{
    for (size_t p = 0; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_ANCHOR)
                continue;
            void *old;
            if (dg_map_get(m, it->dest, &old))
                continue;
            dg_anchor_at *at = dg_alloc(a, sizeof *at);
            at->page = (int)p;
            at->y = it->y;
            dg_map_put(m, it->dest, at);
        }
}

/* AT's page, and *Y its y; -1 when there is no such anchor. */
static int anchor_page(const dg_map *m, const char *id, double *y)
{
    void *v;
    if (!dg_map_get(m, id, &v))
        return -1;
    const dg_anchor_at *at = v;
    if (y)
        *y = at->y;
    return at->page;
}

int dg_layout_find_anchor(const dg_layout *l, const char *id, double *y)
{
    dg_arena *a = dg_arena_new();
    dg_map m;
    dg_map_init(&m, a);
    dg_layout_index_anchors(l, &m, a);
    int p = anchor_page(&m, id, y);
    dg_arena_free(a);
    return p;
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
    l.cover_image = opts->cover_image && book->cover_png;
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
    lay_begin(&l, body);
    for (size_t i = 0; i < book->nchapters; i++)
        lay_layout_chapter(&l, i);

    /* contents entries: posts and their h1-h2.  A volume's posts are
     * nested under their groups (month; year and month in the complete
     * volume), which link to their first post; its contents list the
     * groups and posts, its outline the headings too. */
    size_t n = book->ngroups;
    for (size_t i = 0; i < book->nchapters; i++)
        n += 1 + book->chapters[i].nheadings;
    lay_toc_entry *e = dg_allocn(a, n + 1, sizeof *e);
    dg_outline_entry *ol = dg_allocn(a, n + 1, sizeof *ol);
    size_t ne = 0, no = 0;
    dg_map anchors;
    dg_map_init(&anchors, a);
    dg_layout_index_anchors(body, &anchors, a);
    int *local = dg_allocn(a, n + 1, sizeof *local);
    int gd = book->group_depth; /* levels above a post: 0 in a month's book */
    for (size_t i = 0; i < book->nchapters; i++) {
        const dg_chapter *ch = &book->chapters[i];
        for (size_t g = 0; g < book->ngroups; g++) {
            const dg_book_group *gr = &book->groups[g];
            if (gr->first != i)
                continue;
            e[ne] = (lay_toc_entry){gr->level - 1, gr->label, ch->id, 0};
            local[ne++] = anchor_page(&anchors, ch->id, NULL);
            ol[no++] = (dg_outline_entry){gr->level, gr->label, ch->id};
        }
        const char *title =
            dg_post_display_title(a, ch->post, ch->post->lang ? ch->post->lang : l.lang);
        e[ne] = (lay_toc_entry){gd, title, ch->id, 0};
        local[ne++] = anchor_page(&anchors, ch->id, NULL);
        ol[no++] = (dg_outline_entry){1 + gd, title, ch->id};
        for (size_t h = 0; h < ch->nheadings; h++) {
            const dg_heading *hd = &ch->headings[h];
            ol[no++] = (dg_outline_entry){1 + gd + hd->level, hd->text, hd->id};
            if (hd->level <= 2 && !gd) {
                e[ne] = (lay_toc_entry){hd->level, hd->text, hd->id, 0};
                local[ne++] = anchor_page(&anchors, hd->id, NULL);
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
        lay_begin(&l, front);
        l.chapter = -1;
        lay_front_matter(&l, e, ne);
        size_t got = front->npages - 1;
        if (got == nc)
            break;
        nc = got;
    }

    dg_layout *L = dg_alloc(a, sizeof *L);
    L->npages = front->npages + body->npages;
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
    lay_begin(&l, L);
    lay_running_heads(&l);
    *out = L;
    return 0;
}
