/* layout_page.c - the layout's page builder (layout_impl.h): pages and their
 * items, the cursor going down the text block, page breaks that carry a
 * pending heading (keep-with-next) and open decorations along, lines placed
 * with their link rectangles and with widow and orphan control, and
 * footnotes set at the foot of the page that references them.
 */
#include <string.h>

#include "pdf/layout_impl.h"

/* ---- pages and the cursor -------------------------------------------------- */

dg_lpage *lay_cur_page(lay *l)
{
    return &l->L->pages[l->L->npages - 1];
}

void lay_begin(lay *l, dg_layout *L)
{
    l->L = L;
    l->pages_cap = L->npages;
}

dg_item *lay_add_item(lay *l, dg_lpage *pg, dg_item_kind kind)
{
    dg_arena_grow(l->a, &pg->items, pg->n, &pg->cap, sizeof *pg->items, 64);
    dg_item *it = &pg->items[pg->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void lay_new_page(lay *l, dg_page_kind kind)
{
    dg_layout *L = l->L;
    if (L->npages == l->pages_cap) {
        size_t cap = l->pages_cap ? 2 * l->pages_cap : 16;
        dg_lpage *pages = dg_allocn(l->a, cap, sizeof *pages);
        if (L->npages)
            memcpy(pages, L->pages, L->npages * sizeof *pages);
        L->pages = pages;
        l->pages_cap = cap;
    }
    dg_lpage *pg = &L->pages[L->npages++];
    memset(pg, 0, sizeof *pg);
    pg->kind = kind;
    pg->chapter = kind == DG_PAGE_BODY ? l->chapter : -1;
    l->y = l->top;
    l->bottom = l->page_bottom;
    l->nfoot = 0;
}

bool lay_at_top(const lay *l)
{
    return l->y <= l->top + 0.5;
}

/* Room for H more points, else a new page (unless the page is still empty). */
void lay_ensure(lay *l, double h)
{
    if (l->y + h > l->bottom + 0.01 && !lay_at_top(l))
        lay_break_page(l);
}

void lay_vspace(lay *l, double h)
{
    if (!lay_at_top(l))
        l->y += h;
}

void lay_placed(lay *l)
{
    l->keep = false;
}

void lay_add_anchor(lay *l, const char *id)
{
    if (!id || !*id)
        return;
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_ANCHOR);
    it->x = l->x0;
    it->y = l->y;
    it->dest = id;
}

/* ---- lines ----------------------------------------------------------------- */

double lay_baseline(double top, double lh, double size)
{
    return top + (lh - size) / 2 + size * 0.88;
}

static double line_ascent(const dg_line *ln, double size)
{
    return ln->ascent > 0 ? ln->ascent : size * 0.9;
}

/* Places LN with its left edge at X and baseline BASE on the current page,
 * with rectangles for its links. */
static void place_line_on(lay *l, dg_lpage *pg, const dg_line *ln, double x, double base,
                          double size)
{
    dg_item *it = lay_add_item(l, pg, DG_ITEM_TEXT);
    it->x = x;
    it->y = base;
    it->line = ln;
    it->w = ln->width;
    it->h = size;
    double asc = line_ascent(ln, size), desc = ln->descent < 0 ? -ln->descent : size * 0.2;
    for (size_t i = 0; i < ln->n;) {
        int lk = ln->glyphs[i].link;
        size_t j = i + 1;
        while (j < ln->n && ln->glyphs[j].link == lk)
            j++;
        if (lk >= 0 && (size_t)lk < l->nlinks) {
            dg_item *r = lay_add_item(l, pg, DG_ITEM_LINK);
            r->x = x + ln->glyphs[i].x;
            r->w = ln->glyphs[j - 1].x + ln->glyphs[j - 1].advance - ln->glyphs[i].x;
            r->y = base - asc;
            r->h = asc + desc;
            r->uri = l->links[lk].uri;
            r->dest = l->links[lk].dest;
        }
        i = j;
    }
}

void lay_place_line_at(lay *l, const dg_line *ln, double x, double base, double size)
{
    place_line_on(l, lay_cur_page(l), ln, x, base, size);
}

/* Places one line at the cursor: line height LH, left edge X. */
void lay_put_line(lay *l, const dg_line *ln, double x, double lh, double size)
{
    double base = lay_baseline(l->y, lh, size);
    /* the marker first: text extractors read the content in order */
    if (l->marker) {
        lay_place_line_at(l, l->marker, l->marker_x - l->marker->width, base, size);
        l->marker = NULL;
    }
    lay_place_line_at(l, ln, x, base, size);
    l->y += lh;
}

/* ---- footnotes ------------------------------------------------------------- */

/* Sets NOTES at the foot of page PG. */
void lay_flush_footnotes(lay *l, dg_lpage *pg, fn_note *const *notes, size_t n)
{
    if (!n)
        return;
    double size = l->base * FOOT_SCALE, lh = size * FOOT_LEADING;
    double total = size * 0.8;
    for (size_t i = 0; i < n; i++)
        total += notes[i]->h;
    double y = l->page_bottom - total;
    dg_item *r = lay_add_item(l, pg, DG_ITEM_RULE);
    r->x = l->left;
    r->y = y + size * 0.3;
    r->w = (l->right - l->left) * 0.3;
    r->lw = 0.5;
    r->gray = 0.4;
    y += size * 0.8;
    for (size_t i = 0; i < n; i++) {
        const fn_note *fn = notes[i];
        dg_item *a = lay_add_item(l, pg, DG_ITEM_ANCHOR);
        a->x = l->left;
        a->y = y;
        a->dest = fn->id;
        for (size_t k = 0; k < fn->p.nlines; k++) {
            double base = lay_baseline(y, lh, size);
            place_line_on(l, pg, &fn->p.lines[k], l->left, base, size);
            y += lh;
        }
    }
}

static fn_note *find_note(lay *l, const char *id)
{
    for (size_t i = 0; id && i < l->nnotes_fn; i++)
        if (!strcmp(l->notes_fn[i].id, id))
            return &l->notes_fn[i];
    return NULL;
}

void lay_out_note(lay *l, fn_note *fn)
{
    double size = l->base * FOOT_SCALE;
    lay_clear_spans(l);
    const char *num = dg_sprintf(l->a, "%d. ", fn->num);
    lay_push_span(l, num, strlen(num), 0, size, -1, 0, 0);
    istyle st = {0, size, 0, -1, 0};
    bool sp = true;
    lay_inline_children(l, fn->li, st, 1, &sp);
    fn->p = lay_layout_spans(l, l->right - l->left, 0, false, false);
    fn->h = fn->p.nlines * size * FOOT_LEADING;
    fn->laid = true;
}

/* Height the notes first referenced in LN need at the page's foot. */
static double notes_need(lay *l, const dg_line *ln)
{
    double need = 0;
    int last = -1;
    for (size_t i = 0; i < ln->n && l->nnotes_fn; i++) {
        int lk = ln->glyphs[i].link;
        if (lk < 0 || lk == last || (size_t)lk >= l->nlinks)
            continue;
        last = lk;
        fn_note *fn = find_note(l, l->links[lk].dest);
        if (!fn || fn->placed)
            continue;
        if (!fn->laid)
            lay_out_note(l, fn);
        need += fn->h;
    }
    if (need > 0 && l->nfoot == 0)
        need += l->base * FOOT_SCALE * 0.8;
    return need;
}

static void reserve_notes(lay *l, const dg_line *ln, double need)
{
    int last = -1;
    for (size_t i = 0; i < ln->n; i++) {
        int lk = ln->glyphs[i].link;
        if (lk < 0 || lk == last || (size_t)lk >= l->nlinks)
            continue;
        last = lk;
        fn_note *fn = find_note(l, l->links[lk].dest);
        if (!fn || fn->placed || l->nfoot >= FOOT_MAX)
            continue;
        fn->placed = true;
        l->foot[l->nfoot++] = fn;
    }
    l->bottom -= need;
}

/* ---- nesting --------------------------------------------------------------- */

double lay_indent(lay *l, double ind)
{
    if (l->width - ind < (l->right - l->left) * NEST_MIN_WIDTH) {
        if (!l->nest_capped && l->chapter >= 0) {
            const dg_post *post = l->book->chapters[l->chapter].post;
            dg_report_file(l->d, DG_WARNING, post ? post->path : NULL,
                           "quotes and lists nested deeper than %d levels are set at level "
                           "%d's indent in the PDF",
                           l->nest, l->nest);
        }
        l->nest_capped = true;
        return 0;
    }
    l->x0 += ind;
    l->width -= ind;
    l->nest++;
    return ind;
}

void lay_outdent(lay *l, double applied)
{
    if (applied <= 0)
        return;
    l->x0 -= applied;
    l->width += applied;
    l->nest--;
}

/* ---- page breaks ----------------------------------------------------------- */

void lay_deco_segment(lay *l, const deco *dc, double from, double to)
{
    if (from < l->top)
        from = l->top;
    if (to > l->page_bottom)
        to = l->page_bottom;
    if (to - from < 0.5)
        return;
    dg_lpage *pg = lay_cur_page(l);
    if (dc->kind == DECO_QUOTE) {
        dg_item *it = lay_add_item(l, pg, DG_ITEM_RULE);
        it->x = dc->x;
        it->y = from;
        it->w = 0;
        it->h = to - from;
        it->lw = 2.0;
        it->gray = 0.75;
    } else {
        dg_item *it = lay_add_item(l, pg, DG_ITEM_FILL);
        it->x = dc->x;
        it->y = from;
        it->w = dc->w;
        it->h = to - from;
        it->gray = 0.94;
    }
}

/* Moves to a new page.  Open decorations are closed on the old page and
 * reopened on the new one; a pending keep (a heading waiting for what
 * follows) moves to the new page with everything after it. */
void lay_break_page(lay *l)
{
    for (int i = 0; i < l->ndecos; i++)
        lay_deco_segment(l, &l->decos[i], l->decos[i].start, l->y);
    size_t old = l->L->npages - 1;
    double old_y = l->y;
    fn_note *waiting[FOOT_MAX];
    size_t nwaiting = l->nfoot;
    memcpy(waiting, l->foot, nwaiting * sizeof *waiting);
    lay_new_page(l, DG_PAGE_BODY);
    if (l->keep && l->keep_page == old && l->keep_y > l->top + 1.0) {
        dg_lpage *from = &l->L->pages[old];
        dg_lpage *to = lay_cur_page(l);
        double dy = l->top - l->keep_y;
        for (size_t k = l->keep_item; k < from->n; k++) {
            dg_item *it = lay_add_item(l, to, from->items[k].kind);
            *it = from->items[k];
            it->y += dy;
        }
        from->n = l->keep_item;
        l->y = old_y + dy;
        l->keep_page = l->L->npages - 1;
        l->keep_item = 0;
        l->keep_y = l->top;
    }
    for (int i = 0; i < l->ndecos; i++)
        l->decos[i].start = l->top;
    /* the old page's notes, after the kept items have left it */
    lay_flush_footnotes(l, &l->L->pages[old], waiting, nwaiting);
    lay_page_done(l, old);
}

/* ---- pages handed over, windows of long paragraphs ------------------------- */

void lay_page_done(lay *l, size_t k)
{
    if (l->page_done) {
        /* the hook lays out a running head: the spans being collected wait */
        dg_span *spans = l->spans;
        size_t n = l->nspans, cap = l->capspans;
        l->spans = NULL;
        l->nspans = l->capspans = 0;
        l->page_done(l, k);
        l->spans = spans;
        l->nspans = n;
        l->capspans = cap;
    }
    int kept = 0;
    for (int i = 0; i < l->nwin; i++) {
        if (l->win_page[i] <= k) {
            dg_arena_free(l->win[i]);
            continue;
        }
        l->win[kept] = l->win[i];
        l->win_page[kept++] = l->win_page[i];
    }
    l->nwin = kept;
}

dg_arena *lay_window_arena(lay *l)
{
    if (!l->free_windows || l->nwin == WINDOWS_MAX)
        return l->a;
    l->windowed = true;
    return dg_arena_new();
}

void lay_window_placed(lay *l, dg_arena *wa)
{
    if (wa == l->a)
        return;
    l->win[l->nwin] = wa;
    l->win_page[l->nwin++] = l->L->npages - 1;
}

/* ---- paragraphs ------------------------------------------------------------ */

void lay_put_lines(lay *l, const dg_para *p, double x, double lh, double size, double xr, bool code)
{
    lay_put_lines_part(l, p, p->nlines, x, lh, size, xr, code, false, false);
}

/* Places the lines of P with widow and orphan control: a paragraph of four
 * or more lines leaves at least two on each page; a shorter one is not split;
 * a page does not end with a hyphen the paragraph engine drew.  A window of
 * a long paragraph (CONT: lines came before it; MORE: lines follow) is held
 * to the rules only at the paragraph's own ends.
 * CODE: code lines continued get a mark at XR. */
void lay_put_lines_part(lay *l, const dg_para *p, size_t nlines, double x, double lh, double size,
                        double xr, bool code, bool cont, bool more)
{
    size_t n = nlines, i = 0;
    while (i < n) {
        double room = l->bottom - l->y;
        size_t avail = room >= lh - 0.01 ? (size_t)((room + 0.01) / lh) : 0;
        size_t rest = n - i;
        size_t k;
        if (avail >= rest) {
            k = rest;
        } else if (lay_at_top(l)) {
            k = avail ? avail : 1; /* taller than a page: split where it must */
        } else if (n < 4 && !code && !cont && !more) {
            k = 0;
        } else {
            k = avail;
            if (rest - k < 2 && !more)
                k = rest >= 2 ? rest - 2 : 0;
            if (i == 0 && k < 2 && !cont)
                k = 0;
            /* no page ends with a hyphenated word when a line less will do */
            if (k > 2 && p->lines[i + k - 1].hyphen)
                k--;
        }
        if (k == 0) {
            lay_break_page(l);
            continue;
        }
        for (size_t j = 0; j < k; j++) {
            const dg_line *ln = &p->lines[i + j];
            /* a line with a footnote reference needs its note on this page */
            double need = notes_need(l, ln);
            if (need > 0 && l->y + lh + need > l->bottom + 0.01 && !lay_at_top(l)) {
                k = j;
                break;
            }
            if (code && ln->continued) {
                const dg_line *m =
                    lay_simple_line(l, "\xE2\x86\xA9", DG_MONO, size * 0.8, DG_TAG_GREY);
                double base = lay_baseline(l->y, lh, size);
                lay_place_line_at(l, m, xr - m->width, base, size);
            }
            lay_put_line(l, ln, x, lh, size);
            lay_placed(l);
            if (need > 0)
                reserve_notes(l, ln, need);
        }
        i += k;
        if (i < n)
            lay_break_page(l);
    }
}

void lay_text_block(lay *l, const char *text, unsigned style, double size, int tag, double lead,
                    bool center)
{
    if (!text || !*text)
        return;
    lay_clear_spans(l);
    istyle st = lay_base_style(l, size);
    st.style = style;
    st.tag = tag;
    bool sp = true;
    lay_push_text(l, text, &st, &sp);
    dg_para p = lay_layout_spans(l, l->width, 0, false, false);
    for (size_t i = 0; i < p.nlines; i++) {
        double x = center ? l->x0 + (l->width - p.lines[i].width) / 2 : l->x0;
        lay_ensure(l, size * lead);
        lay_put_line(l, &p.lines[i], x, size * lead, size);
    }
}
