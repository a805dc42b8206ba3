/* fonts.h - the font chain: FreeType faces, metrics, coverage, fallback.
 * Stage file: src/pdf/fonts.c.
 *
 * A dg_fonts is opened once per run and shared by every month (read-only
 * after opening, except for internal caches and the system faces added for
 * characters the chain lacks, which are locked): loading a 15 MiB TTF is a
 * full parse, so it is done once.
 */
#ifndef DIGEST_FONTS_H
#define DIGEST_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/map.h"
#include "digest/diag.h"
#include "digest/digest.h"

/* Style bits of a run of text. */
enum {
    DG_BOLD = 1u << 0,
    DG_ITALIC = 1u << 1, /* CJK fonts have no italic: drawn slanted by the writer */
    DG_MONO = 1u << 2,   /* code */
};
/* A language's fonts (dg_font_config.langs) ride in the style bits: slot K
 * (1..15, from dg_fonts_lang_slot) as DG_LANG_STYLE(K); 0 is none. */
#define DG_LANG_SHIFT    8
#define DG_LANG_STYLE(k) ((unsigned)(k) << DG_LANG_SHIFT)

/* One face of the chain. */
typedef struct dg_font {
    const char *path; /* file */
    int index;        /* face index in a .ttc */
    const char *name; /* PostScript name */
    int units_per_em;
    double ascent, descent; /* in em (descent negative), from hhea/OS2 */
    void *ft_face;          /* FT_Face, for the writer (glyph images for non-BMP) */
    bool color;             /* a colour (CBDT/sbix) emoji font */
} dg_font;

typedef struct dg_fonts dg_fonts;

/* Whether a font setting names a family ("LXGW WenKai", with fontconfig's
 * ":bold" and the like) rather than a file: no '/' and no font file
 * extension.  A family is looked up through fontconfig when the chain is
 * opened. */
bool dg_font_is_family_name(const char *spec);

/* Opens the chain.  A font with CFF outlines, or whose OS/2 fsType forbids
 * embedding, is an error naming a font that works.  NULL after reporting. */
dg_fonts *dg_fonts_open(const dg_font_config *cfg, dg_diag *d);
void dg_fonts_close(dg_fonts *f);

size_t dg_fonts_count(const dg_fonts *f);
const dg_font *dg_fonts_get(const dg_fonts *f, int id);
/* The slot of LANG's own fonts (1..), for DG_LANG_STYLE; 0 when the
 * configuration gives it none.  An exact tag wins over one of the same
 * language ("ja" for "ja-JP"). */
unsigned dg_fonts_lang_slot(const dg_fonts *f, const char *lang);
/* The first font of STYLE's chain that has CP (after the fonts of STYLE's
 * language slot, for text that is not code); else the system's font for it
 * (dg_fonts_system); -1 when none has it. */
int dg_fonts_pick(dg_fonts *f, unsigned style, uint32_t cp);
/* A font of the system that has CP, found through fontconfig (loaded then):
 * the first, in fontconfig's ranking of the system's fonts for a fixed
 * pattern, that has CP in its charset and can be embedded (TrueType glyf,
 * embedding allowed).  It is added to the run's fonts (dg_fonts_count grows)
 * and the answer is cached per code point, so it depends on CP and the
 * system's fonts only.  -1 when none has it, when CP is no character to look
 * for (controls, spaces, private use...), or fontconfig cannot be used.
 * Thread-safe, like dg_fonts_pick, which calls it for what the chain lacks.
 * CP is noted in the calling thread's open dg_fonts_log, if any (not when
 * it is no character to look for). */
int dg_fonts_system(dg_fonts *f, uint32_t cp);
/* The characters a piece of work (one book's cover and PDF) asked the
 * system's fonts for (dg_fonts_system: no font of the chain has them), each
 * once, in the order first asked.  While a thread has a log open, every
 * such lookup on it is noted, whatever its answer (a system face, or none: a
 * box), so that the book's record can hold what it depended on outside the
 * chain (stamp.h).  Per thread, like dg_probe_log: the months laid out on
 * other threads at once note into their own. */
typedef struct dg_fonts_log {
    dg_arena *a;
    dg_map seen; /* "XXXX" (the code point in hex) -> NULL */
    uint32_t *cp;
    size_t n, cap;
} dg_fonts_log;
/* Opens LOG (its memory in A) for the calling thread, replacing any open
 * one; dg_fonts_log_end closes it.  dg_fonts_log_add notes CP in LOG (once). */
void dg_fonts_log_begin(dg_fonts_log *log, dg_arena *a);
void dg_fonts_log_end(void);
void dg_fonts_log_add(dg_fonts_log *log, uint32_t cp);
/* Advance width of CP in FONT, in em (multiply by the size in points). */
double dg_fonts_advance(dg_fonts *f, int font, uint32_t cp);
/* The glyph id of CP in FONT (0 when missing). */
unsigned dg_fonts_glyph(dg_fonts *f, int font, uint32_t cp);

#endif
