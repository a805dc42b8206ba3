/* para.h - the paragraph engine: Chinese and Latin text into justified lines.
 * Stage files: pdf/linebreak.c (break opportunities: libunibreak UAX #14 with
 * a clreq strict-level tailoring), pdf/para_items.c (items, CJK-Latin
 * spacing, punctuation compression, word and token splits), pdf/hyphen.c
 * (hyphenation points), pdf/para_break.c (total-fit and first-fit
 * breaking), pdf/para.c (the entry point and justification); their
 * shared state is in pdf/para_impl.h, the spans and lines in pdf/para_model.h.
 *
 * Input is a run of styled spans; output is lines of positioned glyphs.  The
 * engine knows nothing of pages or PDF.
 */
#ifndef DIGEST_PARA_H
#define DIGEST_PARA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "pdf/fonts.h"
#include "pdf/para_model.h"

/* Lays out SPANS into lines of OPTS->width.  Uses total-fit breaking (first-fit
 * beyond DG_PARA_TOTALFIT_MAX characters), hyphenating Latin words by the
 * dictionary of OPTS->lang (pdf/hyphen.h) when the paragraph needs it.
 * Never overflows: a token longer than the line is split at a conventional
 * point, else anywhere (a prose word with a hyphen).  Everything lives in A.
 * Returns 0. */
int dg_para_layout(dg_para *out, dg_fonts *fonts, const dg_span *spans, size_t nspans,
                   const dg_para_opts *opts, dg_arena *a);

/* The widest piece of SPANS that no line break may split, in points (CSS's
 * min-content width): the engine's own break opportunities and hyphenation
 * points (a piece with its hyphen) count.  SPLIT, when not NULL, gets the
 * same with the conventional split points of long tokens (URLs,
 * identifiers) counted too.  A split anywhere never counts.  OPTS gives the
 * language and code mode; its width is not used. */
double dg_para_min_width(dg_fonts *fonts, const dg_span *spans, size_t nspans,
                         const dg_para_opts *opts, double *split);

/* Characters beyond which a paragraph is broken first-fit (cost guard). */
#define DG_PARA_TOTALFIT_MAX 20000

/* Break classes after clreq tailoring (pdf/linebreak.c), for tests:
 * for each character of TEXT (NCP code points), BREAKS[i] is 1 when a line
 * may break after character i, 2 when it must, 0 when not. */
void dg_linebreaks(const uint32_t *text, size_t ncp, const char *lang, char *breaks);
/* True when an emergency break (a word longer than the line) may fall between
 * LEFT and RIGHT without breaking a clreq rule (no forbidden line start or end,
 * no split of a dash or ellipsis pair, no base separated from its mark). */
bool dg_linebreak_emergency_ok(uint32_t left, uint32_t right);

#endif
