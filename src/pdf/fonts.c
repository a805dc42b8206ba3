/* fonts.c - the font chain: FreeType faces, metrics, coverage, fallback.
 *
 * Faces are opened once per run with FT_New_Face, which maps the file and
 * reads only the tables it needs (cmap, hhea, OS/2): a 15 MiB CJK font opens
 * in a few milliseconds.  Glyph ids and advances are looked up lazily and
 * cached: a table of 65,536 packed entries per font for the BMP (calloc'd,
 * so untouched pages cost nothing) and a small open-addressing hash for the
 * rest.  Entries are written once under the mutex and read with atomic loads,
 * so months laid out in parallel share one dg_fonts.
 *
 * A character no font of the chain has is looked for in the system's fonts
 * (dg_fonts_system): fontconfig ranks them once a run, the first TrueType
 * face whose charset has the character is added to the fonts, and the answer
 * is cached per code point (CJK Extension B from Debian's fonts-hanazono).
 * Each such character is noted in the asking thread's dg_fonts_log, so that
 * a book's record holds what it took from outside the chain (stamp.h).
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

/* Faces found on the system (fontconfig) for characters that no font of the
 * chain has, added to the run's fonts as they are first needed: at most this
 * many a run (each costs a cache like the chain's; a site needing more scripts
 * than this that no bundled font covers is very rare).  Past it such a
 * character is a box, as when no system font has it. */
#define SYSTEM_FACES_MAX 16
/* Slots of the per-code-point cache of those lookups (power of two; three
 * quarters are used): a character found once is not looked up again.  When
 * full, lookups are answered uncached, with the same answer. */
#define SYSTEM_CACHE_SLOTS 8192
/* The pattern the system's fonts are ranked by, once a run: a fixed language
 * and family, so the ranking does not follow the locale (FcDefaultSubstitute
 * would take the language from LANG).  The default book language, and serif
 * (a Ming face) next to the text font. */
#define SYSTEM_PATTERN "serif:lang=zh-cn"

typedef struct face_rec {
    FT_Face face;
    _Atomic uint64_t *bmp; /* 65,536 entries */
    dg_u64map astral;      /* code point -> entry, ASTRAL_SLOTS, under the mutex */
} face_rec;

struct dg_fonts {
    FT_Library lib;
    pthread_mutex_t mu;
    dg_font fonts[FONTS_MAX + SYSTEM_FACES_MAX];
    face_rec recs[FONTS_MAX + SYSTEM_FACES_MAX];
    /* Faces opened; system faces are added while months are laid out on
     * other threads (under MU, the face written before N grows): readers
     * see N atomically and the faces below it complete. */
    atomic_size_t n;
    int chain[CHAIN_COUNT][FONTS_MAX];
    size_t nchain[CHAIN_COUNT];
    struct {
        char *lang;
        int text, bold; /* font ids; bold -1: the chain's */
    } langs[FONTS_MAX_LANGS];
    size_t nlangs;
    /* Characters no chain font has (system_pick), under MU: code point ->
     * font id + 1 (0: no system font has it); the system's fonts ranked
     * once (an FcFontSet *, NULL until needed or when fontconfig cannot be
     * used); faces added; a sink for the reasons a system face is not used
     * (a CFF or restricted font is skipped, not an error). */
    dg_u64map sys_cache;
    FcFontSet *sys_fonts;
    bool sys_ranked;
    size_t nsys;
    dg_diag *sys_quiet;
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
#define FC_FUNCS(X)             \
    X(FcInitLoadConfigAndFonts) \
    X(FcNameParse)              \
    X(FcConfigSubstitute)       \
    X(FcDefaultSubstitute)      \
    X(FcFontMatch)              \
    X(FcPatternGetString)       \
    X(FcPatternGetInteger)      \
    X(FcPatternDestroy) X(FcFontSort) X(FcFontSetDestroy) X(FcPatternGetCharSet) X(FcCharSetHasChar)
#define FC_DECLARE(f) __typeof__(f) *f;
static struct {
    FC_FUNCS(FC_DECLARE)
} fc_api;
#undef FC_DECLARE
static pthread_once_t fc_once = PTHREAD_ONCE_INIT;
static const char *fc_missing; /* why fontconfig cannot be used, or NULL */
static FcConfig *fc_config;
/* fontconfig's calls, which older versions do not make thread-safe: the
 * family lookups of dg_fonts_open and the ranking of system_fonts, which
 * runs while months are laid out (taken after a dg_fonts' own mutex). */
static pthread_mutex_t fc_mu = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&fc_mu);
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
    pthread_mutex_unlock(&fc_mu);
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
 * reporting.  The same file and index opened twice share one id.  A SYSTEM
 * face (system_pick) counts against SYSTEM_FACES_MAX, not FONTS_MAX. */
static int add_font(dg_fonts *f, const char *path, int index, bool system, dg_diag *d)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fonts[i].index == index && strcmp(f->fonts[i].path, path) == 0)
            return (int)i;
    if (system ? f->nsys >= SYSTEM_FACES_MAX : f->n >= FONTS_MAX) {
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
                       has_table(face, TTAG_CFF) || has_table(face, TTAG_CFF2) ? "CFF (PostScript)"
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
    f->nsys += system;
    return (int)f->n++; /* the face is the chain's now (N grows after it is complete) */
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
    if (dg_u64map_init(&f->sys_cache, SYSTEM_CACHE_SLOTS) != 0 ||
        !(f->sys_quiet = dg_diag_new(NULL)))
        dg_oom();
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
    int sym = add_font(f, paths[3], 0, false, d);
    int emoji = add_font(f, paths[4], 0, false, d);
    int mono_cjk = paths[5] ? add_font(f, paths[5], 0, false, d) : -1;
    if (text < 0 || bold < 0 || mono < 0)
        goto out;
    int extra[FONTS_MAX];
    size_t nextra = 0;
    for (size_t i = 0; i < cfg->nfallback && cfg->fallback; i++) {
        int index = 0;
        char *file = font_file(cfg->fallback[i], NULL, &index, d);
        int id = file ? add_font(f, file, index, false, d) : -1;
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
    int hangul_id = add_font(f, paths[6], 0, false, d);
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
        f->langs[f->nlangs].bold = add_font(f, paths[7], 0, false, d);
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
    dg_u64map_free(&f->sys_cache);
    if (f->sys_fonts)
        fc_api.FcFontSetDestroy(f->sys_fonts);
    dg_diag_free(f->sys_quiet);
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

/* ---- characters no chain font has: the system's fonts ---------------------- */

/* Whether CP is worth looking for in the system's fonts: not a control, a
 * space, a format character, a variation selector or tag, a surrogate, a
 * noncharacter, nor private use (whose glyphs mean what each font wants). */
static bool system_wanted(uint32_t cp)
{
    static const uint32_t skip[][2] = {{0x0000, 0x0020},   {0x007F, 0x00A0}, {0x2000, 0x200F},
                                       {0x2028, 0x202F},   {0x2060, 0x206F}, {0x3000, 0x3000},
                                       {0xD800, 0xF8FF},   {0xFDD0, 0xFDEF}, {0xFE00, 0xFE0F},
                                       {0xFEFF, 0xFEFF},   {0xFFF0, 0xFFFB}, {0xE0000, 0xE0FFF},
                                       {0xF0000, 0x10FFFF}};
    if ((cp & 0xFFFE) == 0xFFFE || cp > 0x10FFFF)
        return false;
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (cp >= skip[i][0] && cp <= skip[i][1])
            return false;
    return true;
}

/* The system's fonts in fontconfig's order of preference for SYSTEM_PATTERN
 * (FcFontSort, untrimmed), or NULL when fontconfig cannot be used. */
static FcFontSet *system_fonts(void)
{
    pthread_once(&fc_once, fc_load);
    if (fc_missing)
        return NULL;
    pthread_mutex_lock(&fc_mu);
    FcFontSet *set = NULL;
    FcResult res = FcResultNoMatch;
    FcPattern *pat = fc_api.FcNameParse((const FcChar8 *)SYSTEM_PATTERN);
    if (pat && fc_api.FcConfigSubstitute(fc_config, pat, FcMatchPattern)) {
        fc_api.FcDefaultSubstitute(pat);
        set = fc_api.FcFontSort(fc_config, pat, FcFalse, NULL, &res);
    }
    if (pat)
        fc_api.FcPatternDestroy(pat);
    pthread_mutex_unlock(&fc_mu);
    return set;
}

/* The first of the system's fonts (system_fonts' order) that has CP, is
 * TrueType with glyf outlines and may be embedded, added to the run's fonts;
 * -1 when there is none.  Depends on CP alone (and the system's fonts), not
 * on what was looked up before: the same input gives the same PDF whatever
 * order months' threads ask in.  Caller holds MU. */
static int system_face(dg_fonts *f, uint32_t cp)
{
    if (!f->sys_ranked) {
        f->sys_ranked = true;
        f->sys_fonts = system_fonts();
    }
    for (int i = 0; f->sys_fonts && i < f->sys_fonts->nfont; i++) {
        FcPattern *p = f->sys_fonts->fonts[i];
        FcCharSet *cs = NULL;
        FcChar8 *file = NULL, *format = NULL;
        int index = 0;
        if (fc_api.FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
            !fc_api.FcCharSetHasChar(cs, cp) ||
            fc_api.FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch ||
            strcmp((const char *)format, "TrueType") != 0 ||
            fc_api.FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
            continue;
        fc_api.FcPatternGetInteger(p, FC_INDEX, 0, &index);
        /* one face for a file and its links (Debian's
         * fonts-japanese-mincho.ttf is HanaMinA.ttf); a CFF, restricted or
         * unreadable face is passed over (its reason goes to the quiet
         * sink); past SYSTEM_FACES_MAX so is every new one */
        char *real = realpath((const char *)file, NULL);
        int id = add_font(f, real ? real : (const char *)file, index, true, f->sys_quiet);
        free(real);
        if (id >= 0 && FT_Get_Char_Index(f->recs[id].face, cp))
            return id;
    }
    return -1;
}

/* ---- which characters a book asked the system for ------------------------------ */

/* Each thread lays out its own books: one open log per thread. */
static _Thread_local dg_fonts_log *log_current;

void dg_fonts_log_begin(dg_fonts_log *log, dg_arena *a)
{
    memset(log, 0, sizeof *log);
    log->a = a;
    dg_map_init(&log->seen, a);
    log_current = log;
}

void dg_fonts_log_end(void)
{
    log_current = NULL;
}

void dg_fonts_log_add(dg_fonts_log *log, uint32_t cp)
{
    if (!log)
        return;
    char key[16];
    snprintf(key, sizeof key, "%X", (unsigned)cp);
    if (dg_map_get(&log->seen, key, NULL))
        return;
    dg_map_put(&log->seen, dg_strdup(log->a, key), NULL);
    dg_arena_grow(log->a, &log->cp, log->n, &log->cap, sizeof *log->cp, 16);
    log->cp[log->n++] = cp;
}

/* A face of the system for CP, which no font of the chain has (see
 * dg_fonts_system); -1 when none.  Noted in the thread's log: the book
 * depends on the answer. */
static int system_pick(dg_fonts *f, uint32_t cp)
{
    if (!system_wanted(cp))
        return -1;
    dg_fonts_log_add(log_current, cp);
    pthread_mutex_lock(&f->mu);
    uint64_t v = 0;
    if (!dg_u64map_get(&f->sys_cache, (uint64_t)cp + 1, &v)) {
        v = (uint64_t)(system_face(f, cp) + 1);
        dg_u64map_put(&f->sys_cache, (uint64_t)cp + 1, v);
    }
    pthread_mutex_unlock(&f->mu);
    return (int)v - 1;
}

int dg_fonts_system(dg_fonts *f, uint32_t cp)
{
    return f && f->n > 0 ? system_pick(f, cp) : -1;
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
    return system_pick(f, cp);
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
