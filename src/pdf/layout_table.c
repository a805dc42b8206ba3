/* layout_table.c - GFM tables in the layout (layout_impl.h): column widths
 * from the cells' narrowest and widest content, wrapped cells, borders, the
 * head row repeated after a page break.  Called by layout_block.c; builds
 * with layout_page.c and layout_inline.c.
 *
 * Column widths follow CSS's automatic table layout: each column's minimum
 * (its widest unbreakable piece, words after hyphenation) and maximum (its
 * widest cell set on one line) content widths; when the maxima do not fit,
 * each column gets its minimum and the rest of the width is shared in
 * proportion to maximum - minimum.  Only when the minima alone are wider
 * than the text block are URLs and identifiers split at their conventional
 * points: the same rule then runs from a second, smaller minimum.  When even
 * those are too wide, the columns are set in groups, one table after the
 * other, each as wide as the text block allows; only a single column too
 * wide alone is scaled down and its words split.
 */
#include <string.h>

#include "pdf/layout_table.h"

/* Columns of one table at most (the rest of a wider row is left out). */
#define TABLE_MAX_COLS 64

typedef struct cell {
    dg_para p;
    const xmlNode *node; /* the td or th */
    bool head;
    int align; /* 0 left, 1 centre, 2 right */
    double minw, splitw, maxw;
} cell;

typedef struct row {
    cell *cells;
    size_t n;
    bool head;
    double h;
} row;

/* Lines [FROM, FROM + N) of every cell of R as one band of height H. */
static void draw_band(lay *l, const row *r, const double *cw, size_t ncols, double pad, double lh,
                      double size, size_t from, size_t n, double h)
{
    double x = l->x0;
    dg_lpage *pg = lay_cur_page(l);
    if (r->head) {
        double tw = 0;
        for (size_t c = 0; c < ncols; c++)
            tw += cw[c];
        dg_item *f = lay_add_item(l, pg, DG_ITEM_FILL);
        f->x = x;
        f->y = l->y;
        f->w = tw;
        f->h = h;
        f->gray = 0.92;
    }
    double y0 = l->y;
    for (size_t c = 0; c < ncols; c++) {
        dg_item *b = lay_add_item(l, pg, DG_ITEM_RECT);
        b->x = x;
        b->y = y0;
        b->w = cw[c];
        b->h = h;
        b->lw = 0.5;
        b->gray = 0.6;
        if (c < r->n) {
            l->y = y0 + pad;
            const cell *ce = &r->cells[c];
            for (size_t i = from; i < ce->p.nlines && i < from + n; i++) {
                const dg_line *ln = &ce->p.lines[i];
                double room = cw[c] - 2 * pad - ln->width;
                double dx = ce->align == 2 ? room : ce->align == 1 ? room / 2 : 0;
                lay_put_line(l, ln, x + pad + (dx > 0 ? dx : 0), lh, size);
            }
        }
        x += cw[c];
    }
    l->y = y0 + h;
}

/* A row; one taller than the room left on an empty page is cut into bands
 * of whole lines, one per page, so no cell is ever clipped. */
static void draw_row(lay *l, const row *r, const double *cw, size_t ncols, double pad, double lh,
                     double size)
{
    if (l->y + r->h <= l->bottom + 0.01 || r->h <= l->page_bottom - l->top) {
        draw_band(l, r, cw, ncols, pad, lh, size, 0, (size_t)-1 / 2, r->h);
        return;
    }
    size_t most = 0;
    for (size_t c = 0; c < r->n; c++)
        if (r->cells[c].p.nlines > most)
            most = r->cells[c].p.nlines;
    size_t from = 0;
    while (from < most) {
        double room = l->bottom - l->y - 2 * pad;
        size_t n = room > lh ? (size_t)(room / lh) : 0;
        if (n == 0) {
            lay_break_page(l);
            continue;
        }
        if (n > most - from)
            n = most - from;
        draw_band(l, r, cw, ncols, pad, lh, size, from, n, n * lh + 2 * pad);
        from += n;
        if (from < most)
            lay_break_page(l);
    }
}

/* Columns [FROM, TO) of ROWS set as one table: widths by CSS's automatic
 * layout (see the top), the cells laid out at them, the rows drawn with the
 * head repeated after a page break. */
static void table_part(lay *l, const row *rows, size_t nrows, size_t from, size_t to,
                       const double *minw, const double *splitw, const double *maxw, double size,
                       double pad, double lh, int depth)
{
    size_t ncols = to - from;
    double avail = l->width, smin = 0, ssplit = 0, smax = 0, cw[TABLE_MAX_COLS];
    for (size_t c = from; c < to; c++) {
        ssplit += splitw[c];
        smin += minw[c];
        smax += maxw[c];
    }
    for (size_t c = from; c < to; c++) {
        if (smax <= avail)
            cw[c - from] = maxw[c];
        else if (smin <= avail)
            cw[c - from] = minw[c] + (maxw[c] - minw[c]) * (avail - smin) / (smax - smin);
        else if (ssplit < avail)
            cw[c - from] = splitw[c] + (maxw[c] - splitw[c]) * (avail - ssplit) / (smax - ssplit);
        else
            cw[c - from] = splitw[c] * avail / ssplit;
    }
    /* the rows of these columns: a view of the cells, laid out at the widths */
    row *part = dg_allocn(l->a, nrows, sizeof *part);
    for (size_t r = 0; r < nrows; r++) {
        part[r] = rows[r];
        part[r].cells = rows[r].cells + from;
        part[r].n = rows[r].n > from ? (rows[r].n < to ? rows[r].n : to) - from : 0;
        double h = 0;
        for (size_t k = 0; k < part[r].n; k++) {
            cell *ce = &part[r].cells[k];
            lay_clear_spans(l);
            istyle st = lay_base_style(l, size);
            if (ce->head)
                st.style = DG_BOLD;
            bool s = true;
            lay_inline_children(l, ce->node, st, depth, &s);
            ce->p = lay_layout_spans(l, cw[k] - 2 * pad, 0, false, false);
            double ch = ce->p.nlines * lh;
            if (ch > h)
                h = ch;
        }
        part[r].h = (h > 0 ? h : lh) + 2 * pad;
    }
    size_t nhead = 0;
    while (nhead < nrows && part[nhead].head)
        nhead++;
    double headh = 0;
    for (size_t r = 0; r < nhead; r++)
        headh += part[r].h;
    for (size_t r = 0; r < nrows; r++) {
        double need = -1;
        if (r == 0 && nhead > 0)
            need = headh + (nhead < nrows ? part[nhead].h : 0); /* the head with one row */
        else if (r >= nhead)
            need = part[r].h;
        if (need > 0 && l->y + need > l->bottom + 0.01 && !lay_at_top(l)) {
            lay_break_page(l);
            if (r > 0 && r >= nhead)
                for (size_t hr = 0; hr < nhead; hr++)
                    draw_row(l, &part[hr], cw, ncols, pad, lh, size);
        }
        draw_row(l, &part[r], cw, ncols, pad, lh, size);
        lay_placed(l);
    }
}

void lay_table_block(lay *l, const xmlNode *t, int depth)
{
    double size = lay_body_size(l) * 0.9, pad = size * 0.45, lh = size * 1.5;
    /* rows, in order, from thead/tbody/tr */
    dg_vec trs = {0};
    const xmlNode *stack[4];
    int sp = 0;
    stack[sp++] = t->children;
    while (sp > 0) {
        const xmlNode *c = stack[--sp];
        for (; c; c = c->next) {
            if (lay_name_is(c, "tr")) {
                dg_vec_push(&trs, (void *)c);
            } else if ((lay_name_is(c, "thead") || lay_name_is(c, "tbody") ||
                        lay_name_is(c, "tfoot")) &&
                       sp < 3) {
                stack[sp++] = c->next;
                stack[sp++] = c->children;
                break;
            }
        }
    }
    if (!trs.len) {
        dg_vec_free(&trs);
        return;
    }
    row *rows = dg_allocn(l->a, trs.len, sizeof *rows);
    size_t ncols = 0;
    double minw[TABLE_MAX_COLS] = {0}, splitw[TABLE_MAX_COLS] = {0}, maxw[TABLE_MAX_COLS] = {0};
    for (size_t r = 0; r < trs.len; r++) {
        const xmlNode *tr = trs.items[r];
        size_t n = 0;
        for (const xmlNode *c = tr->children; c; c = c->next)
            if (lay_name_is(c, "td") || lay_name_is(c, "th"))
                n++;
        if (n > TABLE_MAX_COLS)
            n = TABLE_MAX_COLS;
        rows[r].cells = dg_allocn(l->a, n + 1, sizeof(cell));
        rows[r].head = tr->parent && lay_name_is(tr->parent, "thead");
        bool allth = n > 0;
        size_t k = 0;
        for (const xmlNode *c = tr->children; c && k < n; c = c->next) {
            if (!lay_name_is(c, "td") && !lay_name_is(c, "th"))
                continue;
            cell *ce = &rows[r].cells[k];
            ce->node = c;
            ce->head = lay_name_is(c, "th");
            const char *al = lay_attr(l, c, "align");
            if (!al) {
                /* cmark-gfm writes style="text-align: right"; the tree keeps align */
                al = "";
            }
            ce->align = !strcmp(al, "right") ? 2 : !strcmp(al, "center") ? 1 : 0;
            if (!ce->head)
                allth = false;
            lay_clear_spans(l);
            istyle st = lay_base_style(l, size);
            if (ce->head)
                st.style = DG_BOLD;
            bool s = true;
            lay_inline_children(l, c, st, depth, &s);
            ce->minw = lay_spans_min_width(l, &ce->splitw) + 2 * pad;
            ce->splitw += 2 * pad;
            dg_para wide = lay_layout_spans(l, 1e6, 0, false, false);
            double mw = 0;
            for (size_t i = 0; i < wide.nlines; i++)
                if (wide.lines[i].width > mw)
                    mw = wide.lines[i].width;
            ce->maxw = mw + 2 * pad;
            if (ce->minw > minw[k])
                minw[k] = ce->minw;
            if (ce->splitw > splitw[k])
                splitw[k] = ce->splitw;
            if (ce->maxw > maxw[k])
                maxw[k] = ce->maxw;
            k++;
        }
        rows[r].n = k;
        if (r == 0 && allth)
            rows[r].head = true;
        if (k > ncols)
            ncols = k;
    }
    if (!ncols) {
        dg_vec_free(&trs);
        return;
    }
    /* Columns in groups, each set as a table of its own one after the
     * other, when even the split minima of all are wider than the text
     * block (a 30-column table on an e-reader page): otherwise cells
     * narrower than a letter would overlap.  Each group takes as many
     * columns as fit; a single column too wide is a group alone. */
    double avail = l->width, ssplit = 0;
    for (size_t c = 0; c < ncols; c++) {
        if (splitw[c] < 2 * pad + size)
            splitw[c] = 2 * pad + size;
        if (minw[c] < splitw[c])
            minw[c] = splitw[c];
        if (maxw[c] < minw[c])
            maxw[c] = minw[c];
        ssplit += splitw[c];
    }
    lay_vspace(l, size * 0.6);
    for (size_t from = 0; from < ncols;) {
        size_t to = ncols;
        if (ssplit > avail) {
            double s = 0;
            for (to = from; to < ncols && (to == from || s + splitw[to] <= avail); to++)
                s += splitw[to];
        }
        table_part(l, rows, trs.len, from, to, minw, splitw, maxw, size, pad, lh, depth);
        from = to;
        if (from < ncols)
            lay_vspace(l, size * 0.6);
    }
    lay_vspace(l, size * 0.6);
    dg_vec_free(&trs);
}
