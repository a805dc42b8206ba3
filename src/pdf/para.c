/* para.c - the paragraph engine: styled spans into justified lines.
 *
 * Three steps (para_impl.h): the spans become a row of boxes and gaps
 * (para_items.c: spacing and punctuation compression), the breaker chooses
 * where the lines end (para_break.c: total-fit or first-fit), and each line
 * is justified here: its gaps stretched or shrunk by one ratio, its glyphs
 * positioned, the spaces inside it turned into space glyphs, a hyphen drawn
 * where it ends inside a word.  A paragraph with words to hyphenate is
 * first broken without (TeX's pretolerance pass), and hyphenated only when
 * that leaves a loose line.
 */
#include "pdf/para.h"

#include "pdf/para_impl.h"

/* Line LINENO of boxes A..B into LN: justified (when OPTS->justify and the
 * line is not the last before a forced break) by one stretch or shrink ratio
 * for all its gaps, or left ragged when that ratio would open holes. */
static void emit_line(const para_ctx *c, dg_line *ln, size_t lineno, size_t a, size_t b,
                      dg_arena *ar)
{
    const dg_para_opts *o = c->o;
    double L = para_line_width(c, lineno);
    double w = para_nat_w(c, a, b), st = para_st_w(c, a, b), sh = para_sh_w(c, a, b);
    bool fend = para_forced_after(c, b);
    double r = 0;
    if (w > L + EPS && sh > 0 && !o->code)
        r = (L - w) / sh < -1 ? -1 : (L - w) / sh;
    else if (o->justify && !o->code && !fend && w < L && st > 0)
        r = (L - w) / st;
    /* A line that could only be justified by opening holes (a few gaps
     * before a long unbreakable word or URL) stays ragged instead. */
    if (r > JUSTIFY_MAX_RATIO)
        r = 0;
    /* a line ending inside a word draws a hyphen after its last box, unless
     * even shrunk the line would then run over the measure (a letter and a
     * hyphen wider than the box: the breaker's last resort when nothing
     * fits) */
    bool hyphen = !fend && c->g[b].hyw > 0 && w - sh <= L + EPS;
    size_t ng = hyphen ? 1 : 0;
    for (size_t i = a; i <= b; i++) {
        if (!(c->b[i].flags & B_NL))
            ng++;
        if (i < b && c->g[i].space)
            ng++;
    }
    ln->glyphs = ng ? dg_allocn(ar, ng, sizeof *ln->glyphs) : NULL;
    double x = lineno == 0 ? o->first_indent : 0;
    double asc = 0, desc = 0;
    size_t gi = 0;
    /* Shrink of an opening mark's left half, taken from the gap before it. */
    double lshrink = 0;
    /* The box whose end shrinks: the last one, or the one before a newline. */
    size_t endbox = (c->b[b].flags & B_NL) && b > a ? b - 1 : b;
    for (size_t i = a; i <= b; i++) {
        const para_box *bx = &c->b[i];
        const dg_font *f = bx->font >= 0 ? dg_fonts_get(c->fonts, bx->font) : NULL;
        double fa = f ? f->ascent : 0.8, fd = f ? f->descent : -0.2;
        double ga = fa * bx->size + bx->rise, gd = fd * bx->size + bx->rise;
        if (i == a || ga > asc)
            asc = ga;
        if (i == a || gd < desc)
            desc = gd;
        if (bx->flags & B_NL)
            continue;
        double adv = bx->adv + lshrink, xoff = bx->xoff + lshrink;
        lshrink = 0;
        if (i == endbox && r < 0)
            adv += r * bx->eshr;
        /* A mark's shrink inside the line comes out of its own empty half, so
         * glyph boxes never overlap. */
        if (i < b && r < 0 && !c->g[i].space && c->g[i].sh > 0 && c->g[i].w == 0) {
            if (bx->flags & B_CLOSE)
                adv += r * c->g[i].sh;
            else
                lshrink = r * c->g[i].sh;
        }
        dg_glyph *gl = &ln->glyphs[gi++];
        gl->cp = bx->cp;
        gl->font = bx->font;
        gl->x = x;
        gl->advance = adv;
        gl->size = bx->size;
        gl->rise = bx->rise;
        gl->style = bx->style;
        gl->link = bx->link;
        gl->tag = bx->tag;
        gl->span = bx->span;
        gl->x_offset = xoff;
        x += adv;
        if (i < b) {
            const para_gap *g = &c->g[i];
            double gw = g->w + (r > 0 ? r * g->st : g->w > 0 ? r * g->sh : 0);
            if (g->space) {
                dg_glyph *sg = &ln->glyphs[gi++];
                *sg = *gl;
                sg->cp = ' ';
                sg->font = g->space_font;
                sg->x = x;
                sg->advance = gw;
                sg->size = g->space_size;
                sg->x_offset = 0;
                /* A space between two links belongs to neither. */
                if (c->b[i + 1].link != bx->link)
                    sg->link = -1;
            }
            x += gw;
        }
    }
    if (hyphen) {
        dg_glyph *hg = &ln->glyphs[gi++];
        *hg = ln->glyphs[gi - 2];
        hg->cp = '-';
        hg->font = dg_fonts_pick(c->fonts, hg->style, '-');
        hg->x = x;
        hg->advance = c->g[b].hyw;
        hg->x_offset = 0;
        x += hg->advance;
    }
    ln->n = gi;
    ln->hyphen = hyphen;
    ln->width = x;
    if (o->justify && !o->code && !fend && r > 0 && st > 0)
        ln->width = o->width; /* exact, whatever the rounding */
    else if (r < 0 && w - sh <= L + EPS && r > -1)
        ln->width = o->width;
    ln->ascent = asc;
    ln->descent = desc;
    ln->last = b + 1 == c->n;
    ln->continued = o->code && !fend;
    ln->src = c->spans[c->b[a].span].src;
    ln->src_at = c->spans[c->b[a].span].text + c->b[a].off;
}

int dg_para_layout(dg_para *out, dg_fonts *fonts, const dg_span *spans, size_t nspans,
                   const dg_para_opts *opts, dg_arena *a)
{
    out->lines = NULL;
    out->nlines = 0;
    if (!spans || nspans == 0 || !opts)
        return 0;
    /* A first-line indent takes at most half the measure: in a narrow box
     * (a deep list, a table cell) a wider one would leave the first line
     * no room, and a line of it alone would overflow. */
    dg_para_opts o = *opts;
    if (o.first_indent > o.width / 2)
        o.first_indent = o.width > 0 ? o.width / 2 : 0;
    /* The items and the breaker's arrays (about five times the lines' size)
     * live only for this call: a scratch arena, so a long paragraph leaves
     * only its lines in A. */
    dg_arena *scratch = dg_arena_new();
    para_ctx c = {.fonts = fonts, .o = &o};
    if (para_items(&c, spans, nspans, scratch) != 0) {
        size_t *ends = dg_allocn(scratch, c.n, sizeof *ends);
        size_t nl = c.nwords ? para_break_pretolerant(&c, ends) : 0;
        if (nl == 0) {
            if (c.n > DG_PARA_TOTALFIT_MAX)
                c.hyphenated = c.hyph_lazy = true; /* first-fit: see para_hyphenate_at */
            else
                para_hyphenate(&c);
            nl = para_break(&c, ends);
        }
        out->lines = dg_allocn(a, nl, sizeof *out->lines);
        size_t start = 0;
        for (size_t i = 0; i < nl; i++) {
            if (i + 1 == nl && start < c.n) {
                out->tail_span = (size_t)c.b[start].span;
                out->tail_off = c.b[start].off;
            }
            emit_line(&c, &out->lines[i], i, start, ends[i], a);
            start = ends[i] + 1;
        }
        out->nlines = nl;
    }
    dg_arena_free(scratch);
    return 0;
}

double dg_para_min_width(dg_fonts *fonts, const dg_span *spans, size_t nspans,
                         const dg_para_opts *opts, double *split)
{
    if (split)
        *split = 0;
    if (!spans || nspans == 0 || !opts)
        return 0;
    /* the items live only for this call, as in dg_para_layout */
    dg_arena *scratch = dg_arena_new();
    para_ctx c = {.fonts = fonts, .o = opts};
    if (para_items(&c, spans, nspans, scratch) == 0) {
        dg_arena_free(scratch);
        return 0;
    }
    para_hyphenate(&c);
    /* pieces between breaks, and between breaks or conventional splits */
    double best = 0, best_split = 0;
    size_t start = 0, start_split = 0;
    for (size_t k = 0; k < c.n; k++) {
        int brk = k + 1 == c.n ? BRK_FORCED : c.g[k].brk;
        bool whole = brk == BRK_ALLOW || brk == BRK_HYPH || brk == BRK_FORCED;
        if (!whole && brk != BRK_EMERGENCY)
            continue;
        double w = para_nat_w(&c, start_split, k);
        if (w > best_split)
            best_split = w;
        start_split = k + 1;
        if (!whole)
            continue;
        w = para_nat_w(&c, start, k);
        if (w > best)
            best = w;
        start = k + 1;
    }
    dg_arena_free(scratch);
    if (split)
        *split = best_split;
    return best;
}
