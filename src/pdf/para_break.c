/* para_break.c - where the paragraph engine's lines end (para_impl.h).
 *
 * Total-fit (Knuth-Plass: active nodes, badness from the stretch/shrink
 * ratio, four fitness classes, demerits for each line) up to
 * DG_PARA_TOTALFIT_MAX boxes.  As in TeX, a paragraph with words to
 * hyphenate is first set without hyphenation, keeping only lines of badness
 * 100 or less (para_break_pretolerant); when that fails it is hyphenated and
 * set in a pass that keeps only moderately loose lines, then in one without
 * that limit.  First-fit beyond DG_PARA_TOTALFIT_MAX, for code, and when no
 * total-fit breaking exists.
 *
 * The order of costs: a hyphen (penalty 50, 2,500 demerits) < a split of a
 * long token at a conventional point (EMERGENCY_PENALTY squared, 4e8) < a
 * loose line of justified text, set ragged (LOOSE_DEMERITS, 1e9) < a split
 * of a token anywhere else (LAST_DEMERITS), taken only when the token is
 * wider than the line.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "pdf/para.h"
#include "pdf/para_impl.h"

/* Knuth-Plass constants (TeX's defaults scaled to Chinese text). */
#define LINE_PENALTY      10.0
#define ADJ_DEMERITS      3000.0
#define EMERGENCY_PENALTY 20000.0
/* A paragraph whose last line holds a single character costs this much:
 * more than any reasonable respacing of the lines above, less than an
 * emergency break. */
#define ORPHAN_DEMERITS 1.0e6
#define BADNESS_INF     10000.0
/* The first pass considers only lines stretched by at most this ratio
 * (badness 1000): it keeps the active list short.  A paragraph with no
 * solution within it gets a second pass without the limit. */
#define FIRST_PASS_MAX_RATIO 2.15
/* A line looser than JUSTIFY_MAX_RATIO (it is set ragged) costs more than
 * a conventional split of a long token, less than any split of a word. */
#define LOOSE_DEMERITS 1.0e9
/* A split of a token where no convention allows one: only when the token
 * is wider than the line; one leaving fewer than three characters on a side
 * (its gap's pen is 1) costs LAST_SHORT_FACTOR times more. */
#define LAST_DEMERITS     1.0e12
#define LAST_SHORT_FACTOR 100.0
/* Two lines in a row ending with a hyphen, and a hyphen ending the line
 * before the last (so the last holds a piece of a word): TeX's
 * \doublehyphendemerits, and a final-hyphen cost far above TeX's 5000 so
 * the last line of a paragraph is never a word's tail when it can be
 * avoided. */
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS  1.0e6
/* Ragged-right text (headings, list items, table cells) is judged as if
 * each line could stretch by this part of the line's width: a line that
 * ends short costs little, and a hyphen is taken only to avoid a ragged
 * edge deeper than about that. */
#define RAGGED_STRETCH 0.25
/* A line with less stretch than this part of its width is judged as if it
 * had this much (see total_fit). */
#define UNSTRETCHABLE_SLACK 0.05

/* First-fit: the longest line that fits, broken at the last opportunity
 * (a space or a hyphenation point; a conventional split of a long token
 * only when there is none; a split anywhere in a token when even that
 * fails; any character as the last resort).  Code prefers a break at a
 * space unless it wastes more than half the line.  Writes break positions
 * (last box of each line) to ENDS; returns their number. */
static size_t first_fit(para_ctx *c, size_t *ends)
{
    size_t nl = 0, start = 0, n = c->n;
    bool code = c->o->code;
    while (start < n) {
        double L = para_line_width(c, nl);
        long last_brk = -1, last_emg = -1, last_last = -1;
        long end = -1;
        size_t k;
        for (k = start; k < n; k++) {
            /* the text up to box K, and then with the hyphen a break here draws */
            double w = para_nat_w(c, start, k) - c->g[k].hyw - (code ? 0 : para_sh_w(c, start, k));
            if (w > L + EPS)
                break;
            if (para_forced_after(c, k)) {
                end = (long)k;
                break;
            }
            bool fits = w + c->g[k].hyw <= L + EPS;
            int brk = c->g[k].brk;
            if (brk == BRK_ALLOW || (brk == BRK_HYPH && fits))
                last_brk = (long)k;
            else if (brk == BRK_EMERGENCY)
                last_emg = (long)k;
            else if (brk == BRK_LAST && fits)
                last_last = (long)k;
        }
        /* the word the line's end falls in, hyphenated now: the line again */
        if (end < 0 && k < n && c->hyph_lazy && para_hyphenate_at(c, k))
            continue;
        if (end < 0) {
            long any = k > start ? (long)k - 1 : (long)start;
            if (code)
                end = last_brk >= 0 && para_nat_w(c, start, (size_t)last_brk) >= 0.5 * L ? last_brk
                                                                                         : any;
            else
                end = last_brk >= 0    ? last_brk
                      : last_emg >= 0  ? last_emg
                      : last_last >= 0 ? last_last
                                       : any;
        }
        ends[nl++] = (size_t)end;
        start = (size_t)end + 1;
    }
    return nl;
}

/* A feasible break: the best way found to end a line after box POS. */
typedef struct kp_node {
    long pos; /* last box of the line ending here; -1 for the start */
    size_t line;
    int fit;
    int prev;
    double dem;
} kp_node;

/* A growable array on malloc: it lives for one total_fit call, so a long
 * paragraph's nodes do not stay in the build's arena. */
typedef struct kp_vec {
    void *p;
    size_t len, cap, elt;
} kp_vec;

static void *kp_push(kp_vec *v)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        void *p = cap <= SIZE_MAX / v->elt ? realloc(v->p, cap * v->elt) : NULL;
        if (!p)
            dg_oom(); /* as the arena does: no recovering from OOM */
        v->p = p;
        v->cap = cap;
    }
    return (char *)v->p + v->elt * v->len++;
}

/* The breaks a pass of total_fit may take, beyond spaces, CJK and hyphens. */
enum { SPLIT_NONE, SPLIT_CONVENTIONAL, SPLIT_ANY };

/* Total-fit, keeping only lines no looser than MAX_R (but the last), and
 * splitting tokens at their conventional points (BRK_EMERGENCY) when SPLIT
 * is at least SPLIT_CONVENTIONAL, anywhere (BRK_LAST) when SPLIT_ANY.
 * Returns the number of lines, or 0 when no feasible breaking exists. */
static size_t total_fit(const para_ctx *c, size_t *ends, double max_r, int split)
{
    /* ragged text may end a line short at little cost (RAGGED_STRETCH) */
    double slack = c->o->justify ? UNSTRETCHABLE_SLACK : RAGGED_STRETCH;
    size_t n = c->n, result = 0;
    kp_vec nodes = {.elt = sizeof(kp_node)};
    kp_vec act = {.elt = sizeof(int)};
    kp_node *start = kp_push(&nodes);
    *start = (kp_node){.pos = -1, .line = 0, .fit = 2, .prev = -1, .dem = 0};
    *(int *)kp_push(&act) = 0;
    for (size_t k = 0; k < n; k++) {
        int brk = k + 1 == n ? BRK_FORCED : c->g[k].brk;
        if (brk == BRK_NONE || (brk == BRK_LAST && split < SPLIT_ANY) ||
            (brk == BRK_EMERGENCY && split < SPLIT_CONVENTIONAL))
            continue;
        bool forced = brk == BRK_FORCED;
        double pen = brk == BRK_EMERGENCY ? EMERGENCY_PENALTY : brk == BRK_LAST ? 0 : c->g[k].pen;
        double extra = brk == BRK_LAST ? LAST_DEMERITS * (c->g[k].pen ? LAST_SHORT_FACTOR : 1) : 0;
        bool flagged = !forced && c->g[k].flagged;
        double best[4] = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
        int bestprev[4] = {-1, -1, -1, -1};
        int *av = act.p;
        size_t keep = 0;
        for (size_t j = 0; j < act.len; j++) {
            int id = av[j];
            const kp_node *nd = &((kp_node *)nodes.p)[id];
            size_t a = (size_t)(nd->pos + 1);
            double L = para_line_width(c, nd->line);
            double w = para_nat_w(c, a, k), r;
            if (w > L + EPS) {
                double sh = para_sh_w(c, a, k);
                r = sh > 0 ? (L - w) / sh : -DBL_MAX;
            } else if (forced) {
                r = 0;
            } else {
                /* A line with little or nothing to stretch (a piece of URL)
                 * is judged as if it had UNSTRETCHABLE_SLACK of the width:
                 * it will be set ragged, and filling it nearly is enough. */
                double st = para_st_w(c, a, k);
                if (st < slack * L)
                    st = slack * L;
                r = st > 0 ? (L - w) / st : DBL_MAX;
            }
            if (r < -1.0 - EPS) {
                /* overfull now, and for every later break: drop it; unless
                 * only the hyphen a break here would draw overfills it */
                if (c->g[k].hyw > 0)
                    av[keep++] = id;
                continue;
            }
            if (r > max_r && !forced && nd->line >= 1) {
                /* Too loose to consider (first pass).  Actives are in order
                 * of position, all later ones start later on a line of the
                 * same width: less width and less stretch, so a larger ratio.
                 * None of them can make a line here either. */
                while (j < act.len)
                    av[keep++] = av[j++];
                break;
            }
            av[keep++] = id;
            if (r > max_r)
                continue;
            double ar = fabs(r);
            double bad = ar > 4.6 ? BADNESS_INF : 100.0 * ar * ar * ar;
            int fit = r < -0.5 ? 3 : r <= 0.5 ? 2 : r <= 1.0 ? 1 : 0;
            double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad) + pen * pen + extra;
            if (r > JUSTIFY_MAX_RATIO && !forced && c->o->justify)
                d += LOOSE_DEMERITS;
            bool prev_flagged = nd->pos >= 0 && c->g[nd->pos].flagged;
            if (prev_flagged && flagged)
                d += DOUBLE_HYPHEN_DEMERITS;
            else if (prev_flagged && forced)
                d += FINAL_HYPHEN_DEMERITS;
            if (abs(fit - nd->fit) > 1)
                d += ADJ_DEMERITS;
            if (forced && nd->pos >= 0 && !(c->b[nd->pos].flags & B_NL) &&
                c->pc[k + 1] - c->pc[a] <= 1)
                d += ORPHAN_DEMERITS;
            double tot = nd->dem + d;
            if (tot < best[fit]) {
                best[fit] = tot;
                bestprev[fit] = id;
            }
        }
        act.len = keep;
        if (forced)
            act.len = 0;
        /* A class whose demerits exceed the best by more than ADJ_DEMERITS
         * can never win (fitness saves at most that): not worth a node. */
        double floor_d = DBL_MAX;
        for (int f = 0; f < 4; f++)
            if (best[f] < floor_d)
                floor_d = best[f];
        for (int f = 0; f < 4; f++) {
            if (bestprev[f] < 0 || best[f] > floor_d + ADJ_DEMERITS)
                continue;
            kp_node *p = &((kp_node *)nodes.p)[bestprev[f]];
            kp_node nn = {
                .pos = (long)k, .line = p->line + 1, .fit = f, .prev = bestprev[f], .dem = best[f]};
            *(kp_node *)kp_push(&nodes) = nn;
            *(int *)kp_push(&act) = (int)nodes.len - 1;
        }
        if (act.len == 0)
            goto out; /* nothing feasible */
    }
    {
        int bestid = -1;
        double bd = DBL_MAX;
        for (size_t j = 0; j < act.len; j++) {
            int id = ((int *)act.p)[j];
            kp_node *nd = &((kp_node *)nodes.p)[id];
            if (nd->pos == (long)n - 1 && nd->dem < bd) {
                bd = nd->dem;
                bestid = id;
            }
        }
        if (bestid < 0)
            goto out;
        size_t nl = 0;
        for (int id = bestid; id > 0; id = ((kp_node *)nodes.p)[id].prev)
            nl++;
        size_t i = nl;
        for (int id = bestid; id > 0; id = ((kp_node *)nodes.p)[id].prev)
            ends[--i] = (size_t)((kp_node *)nodes.p)[id].pos;
        result = nl;
    }
out:
    free(nodes.p);
    free(act.p);
    return result;
}

size_t para_break_pretolerant(const para_ctx *c, size_t *ends)
{
    if (c->o->code || c->n > DG_PARA_TOTALFIT_MAX)
        return 0;
    return total_fit(c, ends, PARA_PRETOLERANCE_RATIO, SPLIT_NONE);
}

size_t para_break(para_ctx *c, size_t *ends)
{
    size_t nl = 0;
    /* the first pass may not split a token anywhere: filling its tight
     * lines that way would always be possible, and cheaper than failing */
    if (!c->o->code && c->n <= DG_PARA_TOTALFIT_MAX)
        nl = total_fit(c, ends, FIRST_PASS_MAX_RATIO, SPLIT_CONVENTIONAL);
    if (nl == 0 && !c->o->code && c->n <= DG_PARA_TOTALFIT_MAX)
        nl = total_fit(c, ends, DBL_MAX, SPLIT_ANY);
    if (nl == 0)
        nl = first_fit(c, ends);
    return nl;
}
