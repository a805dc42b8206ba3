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

/* Puts the anchors of page PG, the book's page PAGE, into M (ids copied
 * into A): the first of an id wins, or with REPLACE the page's own first
 * replaces an earlier place.  Each place put is pushed on ADDED when it is
 * not NULL. */
static void page_anchors(dg_map *m, const dg_lpage *pg, int page, dg_arena *a, bool replace,
                         dg_vec *added)
{
    for (size_t i = 0; i < pg->n; i++) {
        /* replacing, the items go backwards: the last put stays */
        const dg_item *it = &pg->items[replace ? pg->n - 1 - i : i];
        void *old;
        if (it->kind != DG_ITEM_ANCHOR || (!replace && dg_map_get(m, it->dest, &old)))
            continue;
        dg_anchor_at *at = dg_alloc(a, sizeof *at);
        at->page = page;
        at->y = it->y;
        dg_map_put(m, dg_strdup(a, it->dest), at);
        if (added)
            dg_vec_push(added, at);
    }
}

void dg_layout_index_anchors(const dg_layout *l, dg_map *m, dg_arena *a)
{
    for (size_t p = 0; p < l->npages; p++)
        page_anchors(m, &l->pages[p], (int)p, a, false, NULL);
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

struct dg_layout_run {
    lay l;
    dg_arena *a; /* the run's: front matter, page list, anchors, outline */
    size_t keep; /* bytes of chapters' pages kept between the passes */
    size_t kept;
    dg_layout *L;      /* the book's pages: front, then body */
    dg_lpage *body;    /* body pages during pass one (then L's) */
    size_t nbody, capbody;
    size_t *first;     /* each chapter's first body page; [nchapters]: the count */
    dg_arena **ca;     /* each chapter's arena while its pages are kept */
    dg_map anchors;    /* id -> dg_anchor_at: body-relative in pass one */
    dg_page_fn seen, fn; /* the passes' callers, and their context */
    void *ctx;
    size_t ci;         /* the chapter laid out again in pass two */
    dg_vec body_at;    /* the body's dg_anchor_at, to renumber after the front */
    bool own;          /* chapters laid out in the run's arena (dg_layout_book) */
};

/* The builder's growing buffers live in its arena: a new arena starts them
 * afresh (a chapter's links, spans and notes are its own). */
static void use_arena(lay *l, dg_arena *a)
{
    l->a = a;
    l->spans = NULL;
    l->nspans = l->capspans = 0;
    l->links = NULL;
    l->nlinks = l->caplinks = 0;
    l->urls = NULL;
    l->nurls = l->capurls = 0;
    l->notes_fn = NULL;
    l->nnotes_fn = 0;
}

dg_layout_run *dg_layout_run_new(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                                 size_t keep, dg_arena *a, dg_diag *d)
{
    dg_layout_run *r = dg_alloc(a, sizeof *r);
    memset(r, 0, sizeof *r);
    r->a = a;
    r->keep = keep;
    dg_map_init(&r->anchors, a);
    r->first = dg_allocn(a, book->nchapters + 1, sizeof *r->first);
    r->ca = dg_allocn(a, book->nchapters + 1, sizeof *r->ca);
    lay *l = &r->l;
    l->book = book;
    l->fonts = fonts;
    l->a = a;
    l->d = d;
    l->lang = book->lang ? book->lang : "zh-CN";
    l->zh = dg_lang_is_cjk(l->lang);
    l->cover_image = opts->cover_image && book->cover_jpeg;
    dg_layout_geometry(opts, &l->W, &l->H, &l->M, &l->base);
    /* The running head and the page number sit in bands above and below
     * the text: at least 3.8 times their size, so that a small margin (the
     * e-reader page's 6 mm) still leaves air between head, text and edge. */
    double hs = l->base * HEAD_SCALE;
    l->band = l->M > hs * 3.8 ? l->M : hs * 3.8;
    l->top = l->band;
    l->bottom = l->page_bottom = l->H - l->band;
    l->left = l->M;
    l->right = l->W - l->M;
    l->indent = opts && opts->indent;
    int ln = opts ? opts->link_notes : -1;
    l->notes = ln < 0 ? (!opts || opts->page == DG_PAGE_A4 || opts->page == DG_PAGE_A5) : ln > 0;
    l->scale = 1.0;
    return r;
}

/* Chapter CI laid out in its own arena CA, each page handed to DONE as it
 * is done: its pages (*N of them). */
static dg_lpage *lay_chapter(dg_layout_run *r, size_t ci, dg_arena *ca, size_t *n,
                             void (*done)(lay *l, size_t k))
{
    lay *l = &r->l;
    dg_layout *cl = dg_alloc(ca, sizeof *cl);
    memset(cl, 0, sizeof *cl);
    use_arena(l, ca);
    lay_begin(l, cl);
    l->page_done = done;
    l->page_ctx = r;
    l->free_windows = !r->own;
    l->windowed = false;
    lay_layout_chapter(l, ci);
    if (cl->npages)
        lay_page_done(l, cl->npages - 1);
    l->page_done = NULL;
    use_arena(l, r->a);
    *n = cl->npages;
    return cl->pages;
}

/* A page whose items are freed: what pass two needs to lay its chapter out
 * again and head it stays. */
static void forget_items(dg_lpage *pg)
{
    pg->items = NULL;
    pg->n = pg->cap = 0;
}

/* Pass one's hook: page K of the chapter being laid out is done. */
static void measured(lay *l, size_t k)
{
    dg_layout_run *r = l->page_ctx;
    const dg_lpage *pg = &l->L->pages[k];
    page_anchors(&r->anchors, pg, (int)(r->nbody + k), r->a, false, &r->body_at);
    r->seen(r->ctx, DG_PAGE_NONE, pg);
}

/* Pass one's body: each chapter laid out, its pages seen as they are done,
 * listed, and kept or freed. */
static void measure_body(dg_layout_run *r)
{
    const dg_book *book = r->l.book;
    for (size_t ci = 0; ci < book->nchapters; ci++) {
        dg_arena *ca = r->own ? r->a : dg_arena_new();
        size_t n;
        dg_lpage *p = lay_chapter(r, ci, ca, &n, measured);
        r->first[ci] = r->nbody;
        size_t bytes = r->own ? 0 : dg_arena_bytes(ca);
        /* a chapter whose windows are freed points to freed lines */
        bool keep = r->own || (!r->l.windowed && r->kept + bytes <= r->keep);
        if (keep) {
            r->kept += bytes;
            r->ca[ci] = ca;
        }
        for (size_t k = 0; k < n; k++) {
            dg_arena_grow(r->a, &r->body, r->nbody, &r->capbody, sizeof *r->body, 64);
            r->body[r->nbody] = p[k];
            if (!keep)
                forget_items(&r->body[r->nbody]);
            r->nbody++;
        }
        if (!keep)
            dg_arena_free(ca);
    }
    r->first[book->nchapters] = r->nbody;
}

/* Pass one's front matter: contents entries from the body's anchors, the
 * cover and contents until the number of contents pages settles; then the
 * book's page list, and the anchors numbered in it. */
static void measure_front(dg_layout_run *r)
{
    lay *l = &r->l;
    const dg_book *book = l->book;
    dg_arena *a = r->a;
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
    int *local = dg_allocn(a, n + 1, sizeof *local);
    int gd = book->group_depth; /* levels above a post: 0 in a month's book */
    for (size_t i = 0; i < book->nchapters; i++) {
        const dg_chapter *ch = &book->chapters[i];
        for (size_t g = 0; g < book->ngroups; g++) {
            const dg_book_group *gr = &book->groups[g];
            if (gr->first != i)
                continue;
            e[ne] = (lay_toc_entry){gr->level - 1, gr->label, ch->id, 0};
            local[ne++] = anchor_page(&r->anchors, ch->id, NULL);
            ol[no++] = (dg_outline_entry){gr->level, gr->label, ch->id};
        }
        const char *title =
            dg_post_display_title(a, ch->post, ch->post->lang ? ch->post->lang : l->lang);
        e[ne] = (lay_toc_entry){gd, title, ch->id, 0};
        local[ne++] = anchor_page(&r->anchors, ch->id, NULL);
        ol[no++] = (dg_outline_entry){1 + gd, title, ch->id};
        for (size_t h = 0; h < ch->nheadings; h++) {
            const dg_heading *hd = &ch->headings[h];
            ol[no++] = (dg_outline_entry){1 + gd + hd->level, hd->text, hd->id};
            if (hd->level <= 2 && !gd) {
                e[ne] = (lay_toc_entry){hd->level, hd->text, hd->id, 0};
                local[ne++] = anchor_page(&r->anchors, hd->id, NULL);
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
        memset(front, 0, sizeof *front);
        lay_begin(l, front);
        l->chapter = -1;
        lay_front_matter(l, e, ne);
        size_t got = front->npages - 1;
        if (got == nc)
            break;
        nc = got;
    }

    dg_layout *L = dg_alloc(a, sizeof *L);
    L->npages = front->npages + r->nbody;
    L->pages = dg_allocn(a, L->npages + 1, sizeof *L->pages);
    memcpy(L->pages, front->pages, front->npages * sizeof *L->pages);
    if (r->nbody)
        memcpy(L->pages + front->npages, r->body, r->nbody * sizeof *L->pages);
    r->body = L->pages + front->npages;
    L->ncontents = front->npages - 1;
    L->body_start = front->npages;
    L->page_w = l->W;
    L->page_h = l->H;
    L->margin = l->M;
    L->base = l->base;
    L->outline = ol;
    L->noutline = no;
    r->L = L;
    /* the anchors in the book's numbering; the front's own come first */
    for (size_t i = 0; i < r->body_at.len; i++)
        ((dg_anchor_at *)r->body_at.items[i])->page += (int)L->body_start;
    dg_vec_free(&r->body_at);
    for (size_t p = front->npages; p-- > 0;)
        page_anchors(&r->anchors, &L->pages[p], (int)p, a, true, NULL);
}

int dg_layout_run_measure(dg_layout_run *r, dg_page_fn seen, void *ctx)
{
    r->seen = seen;
    r->ctx = ctx;
    measure_body(r);
    measure_front(r);
    dg_layout *L = r->L;
    for (size_t p = 0; p < L->body_start; p++)
        seen(ctx, DG_PAGE_NONE, &L->pages[p]);
    /* the running heads and numbers, each page's on a page of its own
     * (what the page holds was seen above) */
    dg_arena *scratch = dg_arena_new();
    for (size_t p = 0; p < L->npages; p++) {
        dg_lpage head = {.kind = L->pages[p].kind,
                         .chapter = L->pages[p].chapter,
                         .chapter_start = L->pages[p].chapter_start};
        use_arena(&r->l, scratch);
        lay_running_head(&r->l, &head, dg_page_number(p));
        seen(ctx, DG_PAGE_NONE, &head);
        use_arena(&r->l, r->a);
        if (p % 64 == 63) {
            dg_arena_free(scratch);
            scratch = dg_arena_new();
        }
    }
    dg_arena_free(scratch);
    return 0;
}

/* Body page K (of the book's list) handed over with its head. */
static void hand_over(dg_layout_run *r, size_t k, dg_lpage *pg)
{
    size_t p = r->L->body_start + k;
    lay_running_head(&r->l, pg, dg_page_number(p));
    r->fn(r->ctx, p, pg);
}

/* Pass two's hook: page K of the chapter laid out again is done. */
static void drawn(lay *l, size_t k)
{
    dg_layout_run *r = l->page_ctx;
    hand_over(r, r->first[r->ci] + k, &l->L->pages[k]);
}

/* Chapter CI laid out again, its pages handed over as they are done.  0, or
 * -1 after reporting. */
static int chapter_again(dg_layout_run *r, size_t ci)
{
    dg_arena *ca = dg_arena_new();
    size_t n;
    r->ci = ci;
    lay_chapter(r, ci, ca, &n, drawn);
    dg_arena_free(ca);
    size_t want = r->first[ci + 1] - r->first[ci];
    if (n != want) {
        dg_report_file(r->l.d, DG_ERROR, r->l.book->chapters[ci].post->path,
                       "internal error: the post took %zu PDF pages laid out again, %zu the "
                       "first time",
                       n, want);
        return -1;
    }
    return 0;
}

int dg_layout_run_pages(dg_layout_run *r, bool release, dg_page_fn fn, void *ctx)
{
    dg_layout *L = r->L;
    r->fn = fn;
    r->ctx = ctx;
    for (size_t p = 0; p < L->body_start; p++) {
        lay_running_head(&r->l, &L->pages[p], dg_page_number(p));
        fn(ctx, p, &L->pages[p]);
    }
    for (size_t ci = 0; ci < r->l.book->nchapters; ci++) {
        if (!r->ca[ci]) {
            if (chapter_again(r, ci) != 0)
                return -1;
            continue;
        }
        use_arena(&r->l, r->ca[ci]);
        for (size_t k = r->first[ci]; k < r->first[ci + 1]; k++)
            hand_over(r, k, &r->body[k]);
        use_arena(&r->l, r->a);
        if (release && !r->own) {
            for (size_t k = r->first[ci]; k < r->first[ci + 1]; k++)
                forget_items(&r->body[k]);
            dg_arena_free(r->ca[ci]);
            r->ca[ci] = NULL;
        }
    }
    return 0;
}

const dg_layout *dg_layout_run_layout(const dg_layout_run *r)
{
    return r->L;
}

const dg_map *dg_layout_run_anchors(const dg_layout_run *r)
{
    return &r->anchors;
}

void dg_layout_run_free(dg_layout_run *r)
{
    if (!r)
        return;
    for (size_t ci = 0; ci < r->l.book->nchapters; ci++) {
        if (r->ca[ci] != r->a)
            dg_arena_free(r->ca[ci]);
        r->ca[ci] = NULL;
    }
    dg_vec_free(&r->body_at);
}

static void ignore_page(void *ctx, size_t pi, const dg_lpage *pg)
{
    (void)ctx, (void)pi, (void)pg;
}

int dg_layout_book(dg_layout **out, const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                   dg_arena *a, dg_diag *d)
{
    dg_layout_run *r = dg_layout_run_new(book, fonts, opts, SIZE_MAX, a, d);
    r->own = true;
    int rc = dg_layout_run_measure(r, ignore_page, NULL) != 0 ||
                     dg_layout_run_pages(r, false, ignore_page, NULL) != 0
                 ? -1
                 : 0;
    dg_layout_run_free(r);
    if (rc)
        return -1;
    *out = r->L;
    return 0;
}
