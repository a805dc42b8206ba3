/* hyphen.h - hyphenation points of Latin words, from libhyphen's TeX-derived
 * patterns (/usr/share/hyphen/hyph_LL_RR.dic).  Stage file: pdf/hyphen.c.
 *
 * A dictionary is loaded once per process for each language asked for and
 * shared by every thread (months are typeset in parallel); a lookup only
 * reads it.
 */
#ifndef DIGEST_PDF_HYPHEN_H
#define DIGEST_PDF_HYPHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The shortest word that is hyphenated, and the fewest letters kept before
 * and after a hyphen (TeX's \lefthyphenmin and \righthyphenmin for English). */
#define DG_HYPHEN_MIN_WORD  5
#define DG_HYPHEN_MIN_LEFT  2
#define DG_HYPHEN_MIN_RIGHT 3
/* Longer words are left alone (no word of any language is; a run of letters
 * this long is not prose). */
#define DG_HYPHEN_MAX_WORD 64

typedef struct dg_hyph_dict dg_hyph_dict;

/* The dictionary for the language tag LANG ("en", "en-GB", "de_DE", "fr"),
 * loaded on first use: hyph_LL_RR.dic, then hyph_LL.dic.  Chinese, Japanese
 * and Korean text, and no tag at all, take English: the Latin words of mixed
 * East Asian text are mostly English.  NULL when no dictionary for the
 * language is installed (its words are then not hyphenated). */
const dg_hyph_dict *dg_hyphen_dict(const char *lang);

/* The hyphenation points of WORD (N code points, letters only, any case):
 * POINTS[i] is set to 1 when a hyphen may follow character i, else 0 (N
 * entries).  Applies DG_HYPHEN_MIN_WORD, _LEFT and _RIGHT.  Returns the
 * number of points (0 for a word the dictionary cannot spell). */
size_t dg_hyphen_points(const dg_hyph_dict *d, const uint32_t *word, size_t n, char *points);

#endif
