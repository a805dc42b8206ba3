/* fonts.c - the font chain: FreeType faces, metrics, coverage, fallback.
 *
 * Faces are opened once per run with FT_New_Face, which maps the file and
 * reads only the tables it needs (cmap, hhea, OS/2): a 15 MiB CJK font opens
 * in a few milliseconds.  Glyph ids and advances are looked up lazily and
 * cached: a table of 65,536 packed entries per font for the BMP (calloc'd,
 * so untouched pages cost nothing) and a small open-addressing hash for the
 * rest.  Entries are written once under the mutex and read with atomic loads,
 * so months laid out in parallel share one dg_fonts.
 */
#include "pdf/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base.h"
#include "base/u64map.h"
#include "site/lang.h"

/* Faces in a chain: text, bold, mono, symbol fallback and the extra fallbacks
 * of the config.  A config with more fallbacks than this is cut short (with a
 * warning): each extra face costs a cmap lookup for every uncovered
 * character, and no sane setup needs more. */
#define FONTS_MAX 16
/* Languages with fonts of their own: at most as many as style bits hold. */
#define FONTS_MAX_LANGS 15
/* Chains: regular (and italic), bold, mono. */
enum { CHAIN_REGULAR, CHAIN_BOLD, CHAIN_MONO, CHAIN_COUNT };

/* A cache entry: bit 63 = filled, bits 32..62 = glyph id, low 32 bits = the
 * advance in font units (FreeType's FT_Fixed would be 16.16 only when scaled;
 * FT_LOAD_NO_SCALE gives plain units, which fit easily). */
#define ENTRY_FILLED (UINT64_C(1) << 63)

/* Size of the non-BMP hash of one font (power of two).  When it is full, new
 * characters are answered uncached (still correct, only slower): emoji and
 * Extension B characters are rare in a digest. */
#define ASTRAL_SLOTS 1024

typedef struct face_rec {
    FT_Face face;
    _Atomic uint64_t *bmp; /* 65,536 entries */
    dg_u64map astral;      /* code point -> entry, ASTRAL_SLOTS, under the mutex */
} face_rec;

struct dg_fonts {
    FT_Library lib;
    pthread_mutex_t mu;
    dg_font fonts[FONTS_MAX];
    face_rec recs[FONTS_MAX];
    size_t n;
    int chain[CHAIN_COUNT][FONTS_MAX];
    size_t nchain[CHAIN_COUNT];
    struct {
        char *lang;
        int text, bold; /* font ids; bold -1: the chain's */
    } langs[FONTS_MAX_LANGS];
    size_t nlangs;
};

static const char *const WORKING_FONTS =
    "LXGW WenKai (Debian fonts-lxgw-wenkai) or WenQuanYi Micro Hei (fonts-wqy-microhei)";

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        dg_oom();
    memcpy(p, s, n);
    return p;
}

/* The bundled font NAME: the installed data directory first, then the source
 * tree (tests and uninstalled runs).  Returns a malloc'd path. */
static char *bundled_path(const char *name)
{
    const char *dirs[] = {DIGEST_DATA_DIR "/fonts", DIGEST_SOURCE_DIR "/fonts"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        size_t n = strlen(dirs[i]) + 1 + strlen(name) + 1;
        char *p = malloc(n);
        if (!p)
            dg_oom();
        snprintf(p, n, "%s/%s", dirs[i], name);
        if (dg_is_file(p))
            return p;
        free(p);
    }
    /* Reported by the caller when FreeType cannot open it. */
    size_t n = strlen(DIGEST_SOURCE_DIR "/fonts/") + strlen(name) + 1;
    char *p = malloc(n);
    if (!p)
        dg_oom();
    snprintf(p, n, "%s/%s", DIGEST_SOURCE_DIR "/fonts", name);
    return p;
}

/* ---- family names, through fontconfig ---------------------------------------- */

/* fontconfig is loaded by name when a configured font is a family name, not
 * at start-up: most runs use the bundled fonts, and its set-up reads every
 * font of the system. */
#define FC_FUNCS(X)                                                                    \
    X(FcInitLoadConfigAndFonts)                                                        \
    X(FcNameParse)                                                                     \
    X(FcConfigSubstitute)                                                              \
    X(FcDefaultSubstitute) X(FcFontMatch) X(FcPatternGetString) X(FcPatternGetInteger) \
        X(FcPatternDestroy)
#define FC_DECLARE(f) __typeof__(f) *f;
static struct {
    FC_FUNCS(FC_DECLARE)
} fc_api;
#undef FC_DECLARE
static pthread_once_t fc_once = PTHREAD_ONCE_INIT;
static const char *fc_missing; /* why fontconfig cannot be used, or NULL */
static FcConfig *fc_config;

static void fc_load(void)
{
#define FC_NAME(f) #f,
#define FC_SLOT(f) (void **)&fc_api.f,
    static const char *const names[] = {FC_FUNCS(FC_NAME)};
    void **const slots[] = {FC_FUNCS(FC_SLOT)};
#undef FC_NAME
#undef FC_SLOT
    static char why[256];
    fc_missing = dg_dlopen_funcs(DIGEST_LIBFONTCONFIG_SONAME, names, slots,
                                 sizeof names / sizeof *names, why, sizeof why);
    if (!fc_missing && !(fc_config = fc_api.FcInitLoadConfigAndFonts()))
        fc_missing = "fontconfig could not read its configuration";
}

bool dg_font_is_family_name(const char *spec)
{
    if (strchr(spec, '/'))
        return false;
    size_t n = strlen(spec);
    static const char *const ext[] = {".ttf", ".ttc", ".otf", ".otc"};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (n >= 4 && !strcasecmp(spec + n - 4, ext[i]))
            return false;
    return n > 0;
}

/* The file of family NAME (PATTERN adds a style, e.g. ":weight=bold"), its
 * face index in *INDEX; NULL after reporting when fontconfig is missing or
 * knows no such family (its best match is then another family). */
static char *family_file(const char *name, const char *style, int *index, dg_diag *d)
{
    pthread_once(&fc_once, fc_load);
    if (fc_missing) {
        dg_report_file(d, DG_ERROR, name,
                       "no such font file, and fontconfig, which would look the family up, cannot "
                       "be used: %s",
                       fc_missing);
        return NULL;
    }
    size_t nl = strlen(name), sl = style ? strlen(style) : 0;
    char *spec = malloc(nl + sl + 1);
    if (!spec)
        dg_oom();
    memcpy(spec, name, nl);
    memcpy(spec + nl, style ? style : "", sl + 1);
    FcPattern *pat = fc_api.FcNameParse((const FcChar8 *)spec);
    free(spec);
    char *file = NULL;
    FcResult res = FcResultNoMatch;
    FcPattern *m = NULL;
    if (pat && fc_api.FcConfigSubstitute(fc_config, pat, FcMatchPattern)) {
        fc_api.FcDefaultSubstitute(pat);
        m = fc_api.FcFontMatch(fc_config, pat, &res);
    }
    /* fontconfig always finds something: it must be the family asked for */
    size_t fam_len = strcspn(name, ":");
    while (fam_len > 0 && name[fam_len - 1] == ' ')
        fam_len--;
    bool same = false;
    FcChar8 *fam = NULL, *first = NULL;
    for (int i = 0; m && fc_api.FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch; i++) {
        if (i == 0)
            first = fam;
        same |=
            strlen((const char *)fam) == fam_len && !strncasecmp((const char *)fam, name, fam_len);
    }
    FcChar8 *path = NULL;
    int idx = 0;
    if (same && fc_api.FcPatternGetString(m, FC_FILE, 0, &path) == FcResultMatch) {
        fc_api.FcPatternGetInteger(m, FC_INDEX, 0, &idx);
        file = xstrdup((const char *)path);
        *index = idx;
    } else {
        dg_report_file(d, DG_ERROR, name,
                       "no such font file, and fontconfig knows no family of that name%s%s%s; "
                       "'fc-list : family' lists the families, and a path to a .ttf file works too",
                       first ? " (its nearest: '" : "", first ? (const char *)first : "",
                       first ? "')" : "");
    }
    if (m)
        fc_api.FcPatternDestroy(m);
    if (pat)
        fc_api.FcPatternDestroy(pat);
    return file;
}

/* The file for a configured font SPEC: SPEC itself when it is a file or
 * looks like one (FreeType then reports it), else the file fontconfig has
 * for that family (STYLE added).  NULL after reporting. */
static char *font_file(const char *spec, const char *style, int *index, dg_diag *d)
{
    if (dg_is_file(spec) || !dg_font_is_family_name(spec))
        return xstrdup(spec);
    return family_file(spec, style, index, d);
}

static bool has_table(FT_Face face, FT_ULong tag)
{
    FT_ULong len = 0;
    return FT_Load_Sfnt_Table(face, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Opens PATH (face INDEX) as the next font; returns its id, or -1 after
 * reporting.  The same file and index opened twice share one id. */
static int add_font(dg_fonts *f, const char *path, int index, bool fallback, dg_diag *d)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fonts[i].index == index && strcmp(f->fonts[i].path, path) == 0)
            return (int)i;
    if (f->n >= FONTS_MAX) {
        dg_report_file(d, DG_WARNING, path,
                       "too many fonts in the chain (at most %d): this one is not used", FONTS_MAX);
        return -1;
    }
    FT_Face face = NULL;
    FT_Error err = FT_New_Face(f->lib, path, index, &face);
    if (err) {
        face = NULL;
        if (!dg_is_file(path))
            dg_report_file(d, DG_ERROR, path, "font file not found");
        else
            dg_report_file(d, DG_ERROR, path,
                           "not a font FreeType can read (error %d, face %d); use a TrueType font "
                           "such as %s",
                           err, index, WORKING_FONTS);
        goto out;
    }
    bool color = has_table(face, TTAG_CBDT) || has_table(face, TTAG_sbix);
    if (!FT_IS_SFNT(face) || (!has_table(face, TTAG_glyf) && !color)) {
        dg_report_file(d, DG_ERROR, path,
                       "font '%s' has %s outlines, which the PDF writer cannot embed; use a "
                       "TrueType (glyf) font such as %s",
                       face->family_name ? face->family_name : "?",
                       has_table(face, TTAG_CFF) || has_table(face, TTAG_CFF2)
                           ? "CFF (PostScript)"
                           : "non-TrueType",
                       WORKING_FONTS);
        goto out;
    }
    TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    if (os2 && os2->version != 0xFFFF && (os2->fsType & 0x000F) == 0x0002) {
        dg_report_file(d, DG_ERROR, path,
                       "font '%s' forbids embedding (OS/2 fsType restricted licence); use a font "
                       "that may be embedded, such as %s",
                       face->family_name ? face->family_name : "?", WORKING_FONTS);
        goto out;
    }
    face_rec *r = &f->recs[f->n];
    dg_font *font = &f->fonts[f->n];
    r->face = face;
    r->bmp = calloc(65536, sizeof *r->bmp);
    if (!r->bmp || dg_u64map_init(&r->astral, ASTRAL_SLOTS) != 0)
        dg_oom();
    font->path = xstrdup(path);
    font->index = index;
    const char *ps = FT_Get_Postscript_Name(face);
    font->name = xstrdup(ps ? ps : (face->family_name ? face->family_name : "font"));
    font->units_per_em = face->units_per_EM ? face->units_per_EM : 1000;
    /* A bitmap-only (colour emoji) face reports no units per em, while its
     * hmtx advances are in the head table's units: take them from there. */
    const TT_Header *head = FT_Get_Sfnt_Table(face, FT_SFNT_HEAD);
    if (!FT_IS_SCALABLE(face) && head && head->Units_Per_EM)
        font->units_per_em = head->Units_Per_EM;
    double upem = font->units_per_em;
    TT_HoriHeader *hhea = FT_Get_Sfnt_Table(face, FT_SFNT_HHEA);
    if (os2 && os2->version != 0xFFFF && (os2->fsSelection & (1u << 7))) {
        /* USE_TYPO_METRICS */
        font->ascent = os2->sTypoAscender / upem;
        font->descent = os2->sTypoDescender / upem;
    } else if (hhea && hhea->Ascender) {
        font->ascent = hhea->Ascender / upem;
        font->descent = hhea->Descender / upem;
    } else {
        font->ascent = face->ascender / upem;
        font->descent = face->descender / upem;
    }
    if (font->ascent <= 0)
        font->ascent = 0.88;
    if (font->descent > 0)
        font->descent = -font->descent;
    font->ft_face = face;
    font->color = color;
    (void)fallback;
    return (int)f->n++; /* the face is the chain's now */
out:
    if (face)
        FT_Done_Face(face);
    return -1;
}

static void chain_add(dg_fonts *f, int chain, int id)
{
    if (id < 0)
        return;
    for (size_t i = 0; i < f->nchain[chain]; i++)
        if (f->chain[chain][i] == id)
            return;
    if (f->nchain[chain] < FONTS_MAX)
        f->chain[chain][f->nchain[chain]++] = id;
}

dg_fonts *dg_fonts_open(const dg_font_config *cfg, dg_diag *d)
{
    static const dg_font_config zero;
    if (!cfg)
        cfg = &zero;
    dg_fonts *f = calloc(1, sizeof *f);
    char *paths[8] = {0};
    int ok = -1;
    if (!f)
        dg_oom();
    pthread_mutex_init(&f->mu, NULL);
    if (FT_Init_FreeType(&f->lib)) {
        dg_report_file(d, DG_ERROR, NULL, "cannot initialise FreeType");
        f->lib = NULL;
        goto out;
    }
    /* A configured text font without a bold companion keeps its own face
     * for bold (its family's bold face when it is given by family name)
     * rather than mixing in the bundled family. */
    int text_index = cfg->text ? cfg->text_index : 0;
    int bold_index = cfg->text_bold ? cfg->text_bold_index : text_index;
    int mono_index = cfg->mono ? cfg->mono_index : 0;
    paths[0] = cfg->text ? font_file(cfg->text, NULL, &text_index, d)
                         : bundled_path("LXGWWenKai-Regular.ttf");
    paths[1] = cfg->text_bold ? font_file(cfg->text_bold, NULL, &bold_index, d)
               : cfg->text    ? font_file(cfg->text, ":weight=bold", &bold_index, d)
                              : bundled_path("LXGWWenKai-Bold.ttf");
    paths[2] =
        cfg->mono ? font_file(cfg->mono, NULL, &mono_index, d) : bundled_path("DejaVuSansMono.ttf");
    if (!paths[0] || !paths[1] || !paths[2])
        goto out;
    paths[3] = bundled_path("DejaVuSans.ttf");
    paths[4] = bundled_path("Symbola.ttf"); /* emoji and symbols, outlines */
    /* CJK inside code: a monospaced face, so columns line up and code lines
     * read as code (the text face is proportional). */
    paths[5] = cfg->mono ? NULL : bundled_path("LXGWWenKaiMono-Regular.ttf");

    /* Hangul: the text fonts have none, and Korean must never be boxes */
    paths[6] = bundled_path("NanumMyeongjo.ttf");
    paths[7] = bundled_path("NanumMyeongjoBold.ttf");

    int text = add_font(f, paths[0], text_index, false, d);
    int bold = add_font(f, paths[1], bold_index, false, d);
    int mono = add_font(f, paths[2], mono_index, false, d);
    int sym = add_font(f, paths[3], 0, true, d);
    int emoji = add_font(f, paths[4], 0, true, d);
    int mono_cjk = paths[5] ? add_font(f, paths[5], 0, true, d) : -1;
    if (text < 0 || bold < 0 || mono < 0)
        goto out;
    int extra[FONTS_MAX];
    size_t nextra = 0;
    for (size_t i = 0; i < cfg->nfallback && cfg->fallback; i++) {
        int index = 0;
        char *file = font_file(cfg->fallback[i], NULL, &index, d);
        int id = file ? add_font(f, file, index, true, d) : -1;
        free(file);
        if (id < 0)
            goto out;
        if (nextra < FONTS_MAX)
            extra[nextra++] = id;
    }
    chain_add(f, CHAIN_REGULAR, text);
    chain_add(f, CHAIN_REGULAR, sym);
    chain_add(f, CHAIN_BOLD, bold);
    chain_add(f, CHAIN_BOLD, text);
    chain_add(f, CHAIN_BOLD, sym);
    chain_add(f, CHAIN_MONO, mono);
    chain_add(f, CHAIN_MONO, mono_cjk);
    chain_add(f, CHAIN_MONO, text);
    chain_add(f, CHAIN_MONO, sym);
    for (size_t i = 0; i < nextra; i++)
        for (int c = 0; c < CHAIN_COUNT; c++)
            chain_add(f, c, extra[i]);
    /* configured fallbacks (a colour emoji font) come before the bundled
     * Hangul and Symbola */
    int hangul_id = add_font(f, paths[6], 0, true, d);
    for (int c = 0; c < CHAIN_COUNT; c++) {
        chain_add(f, c, hangul_id);
        chain_add(f, c, emoji);
    }
    /* Korean posts in the Hangul font by default: the text font has only the
     * 2,350 common syllables, and one face reads better than two */
    bool ko = false;
    for (size_t i = 0; i < cfg->nlangs && cfg->langs; i++)
        ko |= dg_lang_same(cfg->langs[i].lang, "ko");
    if (!ko && hangul_id >= 0) {
        f->langs[f->nlangs].lang = xstrdup("ko");
        f->langs[f->nlangs].text = hangul_id;
        f->langs[f->nlangs].bold = add_font(f, paths[7], 0, true, d);
        f->nlangs++;
    }
    /* each language's own text fonts, tried first for its posts */
    for (size_t i = 0; i < cfg->nlangs && cfg->langs; i++) {
        const dg_lang_font *lf = &cfg->langs[i];
        if (f->nlangs >= FONTS_MAX_LANGS) {
            dg_report_file(d, DG_WARNING, lf->text,
                           "fonts for more than %d languages: those of %s are not used",
                           FONTS_MAX_LANGS, lf->lang);
            break;
        }
        int ti = 0, bi = 0;
        char *tf = lf->text ? font_file(lf->text, NULL, &ti, d) : NULL;
        char *bf = lf->bold   ? font_file(lf->bold, NULL, &bi, d)
                   : lf->text ? font_file(lf->text, ":weight=bold", &bi, d)
                              : NULL;
        int tid = tf ? add_font(f, tf, ti, false, d) : -1;
        int bid = bf ? add_font(f, bf, bi, false, d) : -1;
        free(tf);
        free(bf);
        if (tid < 0 || (lf->bold && bid < 0))
            goto out;
        f->langs[f->nlangs].lang = xstrdup(lf->lang);
        f->langs[f->nlangs].text = tid;
        f->langs[f->nlangs].bold = bid;
        f->nlangs++;
    }
    ok = 0;
out:
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        free(paths[i]);
    if (ok != 0) {
        dg_fonts_close(f);
        return NULL;
    }
    return f;
}

void dg_fonts_close(dg_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        FT_Done_Face(f->recs[i].face);
        free((void *)f->recs[i].bmp);
        dg_u64map_free(&f->recs[i].astral);
        free((char *)f->fonts[i].path);
        free((char *)f->fonts[i].name);
    }
    for (size_t i = 0; i < f->nlangs; i++)
        free(f->langs[i].lang);
    if (f->lib)
        FT_Done_FreeType(f->lib);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

size_t dg_fonts_count(const dg_fonts *f)
{
    return f ? f->n : 0;
}

const dg_font *dg_fonts_get(const dg_fonts *f, int id)
{
    if (!f || id < 0 || (size_t)id >= f->n)
        return NULL;
    return &f->fonts[id];
}

/* Asks FreeType for CP in face R; caller holds the mutex. */
static uint64_t compute_entry(face_rec *r, uint32_t cp)
{
    FT_UInt gid = FT_Get_Char_Index(r->face, cp);
    FT_Fixed adv = 0;
    if (gid && FT_Get_Advance(r->face, gid, FT_LOAD_NO_SCALE, &adv) != 0)
        adv = 0;
    if (adv < 0)
        adv = 0;
    return ENTRY_FILLED | ((uint64_t)(gid & 0x7FFFFFFFu) << 32) | (uint64_t)(uint32_t)adv;
}

static uint64_t lookup(dg_fonts *f, int font, uint32_t cp)
{
    face_rec *r = &f->recs[font];
    if (cp < 65536) {
        uint64_t e = atomic_load_explicit(&r->bmp[cp], memory_order_acquire);
        if (e & ENTRY_FILLED)
            return e;
        pthread_mutex_lock(&f->mu);
        e = compute_entry(r, cp);
        atomic_store_explicit(&r->bmp[cp], e, memory_order_release);
        pthread_mutex_unlock(&f->mu);
        return e;
    }
    /* Beyond the BMP: the hash keeps a quarter free so probes stay short;
     * when it is full, the entry is computed and not cached. */
    pthread_mutex_lock(&f->mu);
    uint64_t e;
    if (!dg_u64map_get(&r->astral, cp, &e)) {
        e = compute_entry(r, cp);
        dg_u64map_put(&r->astral, cp, e);
    }
    pthread_mutex_unlock(&f->mu);
    return e;
}

static unsigned entry_gid(uint64_t e)
{
    return (unsigned)((e >> 32) & 0x7FFFFFFFu);
}

unsigned dg_fonts_lang_slot(const dg_fonts *f, const char *lang)
{
    if (!f || !lang)
        return 0;
    for (size_t i = 0; i < f->nlangs; i++)
        if (!strcasecmp(f->langs[i].lang, lang))
            return (unsigned)i + 1;
    for (size_t i = 0; i < f->nlangs; i++)
        if (dg_lang_same(f->langs[i].lang, lang))
            return (unsigned)i + 1;
    return 0;
}

int dg_fonts_pick(dg_fonts *f, unsigned style, uint32_t cp)
{
    if (!f || f->n == 0 || cp > 0x10FFFF)
        return -1;
    unsigned slot = (style >> DG_LANG_SHIFT) & 0xFu;
    if (slot && slot <= f->nlangs && !(style & DG_MONO)) {
        int id = (style & DG_BOLD) && f->langs[slot - 1].bold >= 0 ? f->langs[slot - 1].bold
                                                                   : f->langs[slot - 1].text;
        if (id >= 0 && entry_gid(lookup(f, id, cp)))
            return id;
    }
    int c = (style & DG_MONO) ? CHAIN_MONO : (style & DG_BOLD) ? CHAIN_BOLD : CHAIN_REGULAR;
    for (size_t i = 0; i < f->nchain[c]; i++) {
        int id = f->chain[c][i];
        if (entry_gid(lookup(f, id, cp)))
            return id;
    }
    return -1;
}

double dg_fonts_advance(dg_fonts *f, int font, uint32_t cp)
{
    if (!f || font < 0 || (size_t)font >= f->n || cp > 0x10FFFF)
        return 0;
    uint64_t e = lookup(f, font, cp);
    return (double)(uint32_t)(e & 0xFFFFFFFFu) / f->fonts[font].units_per_em;
}

unsigned dg_fonts_glyph(dg_fonts *f, int font, uint32_t cp)
{
    if (!f || font < 0 || (size_t)font >= f->n || cp > 0x10FFFF)
        return 0;
    return entry_gid(lookup(f, font, cp));
}
