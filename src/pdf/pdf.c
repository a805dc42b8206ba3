/* pdf.c - the PDF writer: draws a layout (layout_internal.h) with libharu.
 *
 * Fonts: every font the layout uses is cut down with HarfBuzz's hb-subset to
 * the code points of this digest, written to a temporary file next to the
 * output (libharu loads fonts only from files) and embedded by libharu in its
 * UTF-8 mode, whose content-stream codes are UTF-16 code units.  libharu 2.3's
 * ToUnicode stream is malformed (begincidrange), so it is rewritten with
 * bfrange rows that map each code unit to itself.  Characters beyond the BMP
 * cannot be encoded in that mode: they are drawn as FreeType-rendered glyph
 * images.  Output is deterministic: no clock, no random /ID.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <libdeflate.h>
#include <qpdf/qpdf-c.h>

#include "pdf/layout.h"
#include "pdf/pdf.h"

/* Oversampling of glyph images drawn for characters beyond the BMP: 4 pixels
 * per point (288 dpi) looks sharp in print and stays small. */
#define GLYPH_IMAGE_SCALE 4.0
/* Shear of slanted (italic) text: about 11 degrees. */
#define ITALIC_SHEAR 0.2

typedef struct pdf_font {
    const char *key; /* path + index: one libharu font per face file */
    const dg_font *font;
    unsigned char *used; /* bitmap of BMP code points */
    HPDF_Font hfont;
    const char *tmp; /* the subset file, deleted at the end */
    /* The font as embedded (embed_font): built from the subset and deflated
     * on a thread of its own while the pages are drawn; pack_pdf puts it in
     * place of libharu's copy. */
    unsigned char *embed, *z; /* malloc'd */
    size_t embed_len, zlen;
    /* Its CIDToGIDMap (cid_map): predicted, then deflated with the font;
     * GIDS, the glyph of each used code (0 for the others) */
    unsigned char *map, *mapz; /* malloc'd */
    size_t map_len, mapz_len;
    uint16_t *gids; /* malloc'd, CID_MAP_CODES entries */
    pthread_t th;
    bool th_started;
    bool placed; /* pack_pdf has put it in */
    HPDF_FontDef def;
    /* subset_font's outcome, on a thread of its own */
    enum { SUB_OK = 0, SUB_READ, SUB_SUBSET, SUB_TMP_CREATE, SUB_TMP_WRITE } fail;
    int fail_errno;
} pdf_font;

/* A PNG of the book: libharu draws a 1x1 placeholder; a thread of its own
 * decodes and deflates the pixels (one image at a time, so memory stays at
 * one image's worth), and pack_pdf puts them into the placeholder's object. */
/* Threads that decode and deflate the PNGs of one PDF (more than the cores
 * gain nothing; screenshot-heavy months spend most of their time there). */
#define PDF_IMAGE_THREADS 4

typedef struct pdf_image {
    const dg_asset *as;
    HPDF_Image placeholder;
    int width, height;
    unsigned char *z, *az; /* deflated RGB and alpha (NULL: opaque); malloc'd */
    size_t zlen, azlen;
    bool failed; /* libpng could not decode it */
} pdf_image;

typedef struct drawn_img {
    const dg_asset *as;
    HPDF_Image img; /* NULL: it could not be embedded */
} drawn_img;

typedef struct glyph_img {
    int font;
    uint32_t cp;
    double size;
    HPDF_Image img;
    double left, top, w, h; /* placement relative to the pen, points */
} glyph_img;

typedef struct pdf_ctx {
    const dg_book *book;
    const char *cur_post; /* path of the post on the page being drawn (diagnostics) */
    dg_fonts *fonts;
    dg_layout *lay;
    dg_arena *a;
    dg_diag *d;
    const char *path;
    HPDF_Doc pdf;
    HPDF_Error_Handler handler;
    unsigned long err, err_detail;
    pdf_font *pf; /* one per face file */
    size_t npf;
    int *font_map; /* dg_fonts id -> index in pf, -1 unused */
    size_t nfonts;
    HPDF_Page *pages;
    HPDF_Destination *page_dest;
    glyph_img *gimgs;
    size_t ngimgs, capgimgs;
    drawn_img *imgs; /* the images drawn so far, by asset */
    size_t nimgs, capimgs;
    pdf_image *pimgs; /* the PNGs, in order of first use */
    size_t npimgs;
    atomic_size_t img_next; /* the next PNG an image_worker takes */
    pthread_t img_th[PDF_IMAGE_THREADS];
    int img_threads; /* started */
    FT_Library ft;
    HPDF_ExtGState clear; /* alpha 0: stand-ins under glyph images */
    dg_vec deferred;      /* glyph images of the page being drawn (deferred_img*) */
    dg_vec anchors;       /* dg_item* of every anchor */
    dg_vec anchor_pages;  /* (void*)(page index + 1) */
} pdf_ctx;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_ctx *c = user;
    if (!c->err) {
        c->err = error_no;
        c->err_detail = detail_no;
    }
}

static bool failed(pdf_ctx *c, const char *what)
{
    if (!c->err)
        return false;
    dg_report_file(c->d, DG_ERROR, c->path, "libharu failed %s (error 0x%04lX, detail %lu)", what, c->err, c->err_detail);
    return true;
}

/* ---- fonts ---------------------------------------------------------------- */

/* A colour (bitmap) font cannot be embedded as TrueType: its characters are
 * drawn as images, like those beyond the BMP. */
static bool drawn_as_image(pdf_ctx *c, int font, uint32_t cp)
{
    const dg_font *f = font >= 0 ? dg_fonts_get(c->fonts, font) : NULL;
    return f && (cp > 0xFFFF || f->color);
}

static void mark_used(pdf_ctx *c, int font, uint32_t cp)
{
    if (font < 0 || (size_t)font >= c->nfonts || drawn_as_image(c, font, cp))
        return;
    if (c->font_map[font] < 0) {
        const dg_font *f = dg_fonts_get(c->fonts, font);
        const char *key = dg_sprintf(c->a, "%s#%d", f->path, f->index);
        size_t i;
        for (i = 0; i < c->npf; i++)
            if (!strcmp(c->pf[i].key, key))
                break;
        if (i == c->npf) {
            c->pf[i].key = key;
            c->pf[i].font = f;
            c->pf[i].used = dg_alloc(c->a, 0x10000 / 8);
            c->npf++;
        }
        c->font_map[font] = (int)i;
    }
    pdf_font *p = &c->pf[c->font_map[font]];
    p->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
}

static void collect_used(pdf_ctx *c)
{
    for (size_t i = 0; i < c->lay->npages; i++) {
        const dg_lpage *pg = &c->lay->pages[i];
        for (size_t k = 0; k < pg->n; k++) {
            const dg_item *it = &pg->items[k];
            if (it->kind != DG_ITEM_TEXT)
                continue;
            for (size_t g = 0; g < it->line->n; g++)
                mark_used(c, it->line->glyphs[g].font, it->line->glyphs[g].cp);
        }
    }
}

/* libharu finds a code's glyph by a linear scan of the cmap's segments, and
 * its CID font set-up looks up all 65,536 codes: with a subset CJK font (one
 * segment per character) that is tens of millions of steps, most of the time
 * of a month.  The cmap it parsed is replaced by one segment for codes 0 to
 * FFFE with a glyph array (and the FFFF segment every format 4 cmap ends
 * with): the same glyphs for the used codes, each found in one step.
 * (libharu embeds no cmap in a CID font; this table only serves its
 * lookups.) */
static void fast_cmap(HPDF_FontDef def, const uint16_t *glyphs)
{
    HPDF_TTFontDefAttr attr = def->attr;
    if (!attr || !glyphs || attr->cmap.format != 4 || attr->cmap.seg_count_x2 == 0)
        return;
    enum { NSEG = 2, NCODES = 0xFFFF };
    HPDF_UINT16 *end = HPDF_GetMem(def->mmgr, sizeof *end * NSEG);
    HPDF_UINT16 *start = HPDF_GetMem(def->mmgr, sizeof *start * NSEG);
    HPDF_INT16 *delta = HPDF_GetMem(def->mmgr, sizeof *delta * NSEG);
    HPDF_UINT16 *iro = HPDF_GetMem(def->mmgr, sizeof *iro * NSEG);
    HPDF_UINT16 *gids = HPDF_GetMem(def->mmgr, sizeof *gids * NCODES);
    if (!end || !start || !delta || !iro || !gids) {
        HPDF_FreeMem(def->mmgr, end);
        HPDF_FreeMem(def->mmgr, start);
        HPDF_FreeMem(def->mmgr, delta);
        HPDF_FreeMem(def->mmgr, iro);
        HPDF_FreeMem(def->mmgr, gids);
        return;
    }
    memcpy(gids, glyphs, sizeof *gids * NCODES);
    start[0] = 0;
    end[0] = NCODES - 1;
    delta[0] = 0;
    /* libharu: index = iro / 2 + (code - start) - (segments - segment) */
    iro[0] = 2 * NSEG;
    start[1] = end[1] = 0xFFFF; /* no glyph */
    delta[1] = 1;
    iro[1] = 0;
    HPDF_FreeMem(def->mmgr, attr->cmap.end_count);
    HPDF_FreeMem(def->mmgr, attr->cmap.start_count);
    HPDF_FreeMem(def->mmgr, attr->cmap.id_delta);
    HPDF_FreeMem(def->mmgr, attr->cmap.id_range_offset);
    HPDF_FreeMem(def->mmgr, attr->cmap.glyph_id_array);
    attr->cmap.end_count = end;
    attr->cmap.start_count = start;
    attr->cmap.id_delta = delta;
    attr->cmap.id_range_offset = iro;
    attr->cmap.glyph_id_array = gids;
    attr->cmap.glyph_id_array_count = NCODES;
    attr->cmap.seg_count_x2 = 2 * NSEG;
}

/* A CID font's glyphs are found through its CIDToGIDMap: the embedded font
 * needs no cmap (xelatex leaves it out too).  libharu has read it by now (the
 * lookups use the parsed copy); renamed in its table directory, it is written
 * with length 0, like the hinting tables the subset has not got: about 5 KiB
 * less per CJK font. */
static void drop_cmap(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr attr = def ? def->attr : NULL;
    if (!attr || !attr->offset_tbl.table)
        return;
    for (HPDF_UINT i = 0; i < attr->offset_tbl.num_tables; i++)
        if (!memcmp(attr->offset_tbl.table[i].tag, "cmap", 4))
            memcpy(attr->offset_tbl.table[i].tag, "cma_", 4);
}

/* Tables libharu would not embed (it writes OS/2, cmap, cvt, fpgm, glyf,
 * head, hhea, hmtx, loca, maxp, name, post, prep): not worth subsetting. */
static const char unembedded_tables[][5] = {
    "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "vhea", "vmtx", "VORG", "DSIG", "gasp",
    "hdmx", "LTSH", "VDMX", "PCLT", "meta", "STAT", "COLR", "CPAL", "SVG ", "CBDT", "CBLC", "sbix",
    "EBDT", "EBLC", "EBSC", "fvar", "gvar", "avar", "HVAR", "VVAR", "MVAR", "cvar"};

/* TrueType tables of an embedded font, in tag order: what PDF readers use
 * (glyf, head, hhea, hmtx, loca, maxp) and what names and describes the font.
 * No cmap: a CID font's glyphs are found through its CIDToGIDMap (xelatex
 * leaves it out too); the subset has no hinting tables. */
static const char embed_tables[][5] = {"OS/2", "glyf", "head", "hhea", "hmtx",
                                       "loca", "maxp", "name", "post"};
#define EMBED_MAX_TABLES (sizeof embed_tables / sizeof *embed_tables)

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t table_sum(const unsigned char *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 4)
        sum += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3];
    return sum;
}

/* Deflates IN with compressor ZC into a malloc'd zlib stream (*OUT,
 * *OUT_LEN); -1 when out of memory.  libdeflate rather than zlib: at the
 * same speed its output is smaller, and its higher levels (near-optimal
 * parsing) take a few percent more off the fonts, most of a PDF's bytes. */
static int zdeflate(struct libdeflate_compressor *zc, const unsigned char *in, size_t len,
                    unsigned char **out, size_t *out_len)
{
    size_t cap = libdeflate_zlib_compress_bound(zc, len);
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf)
        return -1;
    size_t n = libdeflate_zlib_compress(zc, in, len, buf, cap);
    if (n == 0) {
        free(buf);
        return -1;
    }
    /* the bound is the input's size: give back what a screenshot does not use */
    unsigned char *fit = n < cap / 2 ? realloc(buf, n) : NULL;
    *out = fit ? fit : buf;
    *out_len = n;
    return 0;
}

/* Fonts up to this size (a bold or symbol subset) are deflated at level 10,
 * whose near-optimal parsing takes 1 % more off glyph data at 2.5 times the
 * time: they finish while the regular face, larger ones, deflates at 9 on
 * the other core, as long as the pages take (see docs/BENCHMARKS.md). */
#define FONT_SLOW_DEFLATE_MAX (256u << 10)

static void *deflate_font(void *arg)
{
    pdf_font *p = arg;
    p->z = p->mapz = NULL;
    struct libdeflate_compressor *zc =
        libdeflate_alloc_compressor(p->embed_len <= FONT_SLOW_DEFLATE_MAX ? 10 : 9);
    if (zc && zdeflate(zc, p->embed, p->embed_len, &p->z, &p->zlen) != 0)
        p->z = NULL;
    libdeflate_free_compressor(zc);
    /* the CIDToGIDMap, long runs of zeros: level 6 is 7 times faster than 9
     * there, for 10 % more (about 200 bytes) */
    zc = p->map ? libdeflate_alloc_compressor(6) : NULL;
    if (zc && zdeflate(zc, p->map, p->map_len, &p->mapz, &p->mapz_len) != 0)
        p->mapz = NULL;
    libdeflate_free_compressor(zc);
    return NULL;
}

/* Writes SUB's embedded tables as a TrueType file into P->embed (NULL when
 * out of memory: pack_pdf then reports the font). */
static void embed_font(pdf_font *p, hb_face_t *sub)
{
    hb_blob_t *blobs[EMBED_MAX_TABLES];
    unsigned lens[EMBED_MAX_TABLES];
    uint32_t tags[EMBED_MAX_TABLES];
    size_t n = 0, total = 0;
    for (size_t i = 0; i < EMBED_MAX_TABLES; i++) {
        hb_tag_t tag = hb_tag_from_string(embed_tables[i], 4);
        hb_blob_t *b = hb_face_reference_table(sub, tag);
        unsigned len = hb_blob_get_length(b);
        if (len == 0) {
            hb_blob_destroy(b);
            continue;
        }
        blobs[n] = b;
        lens[n] = len;
        tags[n] = tag;
        total += (len + 3u) & ~3u;
        n++;
    }
    size_t head = 12 + 16 * n;
    unsigned char *f = n ? calloc(1, head + total) : NULL;
    if (f) {
        unsigned sel = 0;
        while ((2u << sel) <= n)
            sel++;
        f[0] = 0, f[1] = 1; /* version 1.0: TrueType outlines */
        f[4] = (unsigned char)(n >> 8), f[5] = (unsigned char)n;
        unsigned range = 16u << sel;
        f[6] = (unsigned char)(range >> 8), f[7] = (unsigned char)range;
        f[8] = 0, f[9] = (unsigned char)sel;
        unsigned shift = (unsigned)(16 * n) - range;
        f[10] = (unsigned char)(shift >> 8), f[11] = (unsigned char)shift;
        size_t off = head, adjust = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char *rec = f + 12 + 16 * i;
            memcpy(f + off, hb_blob_get_data(blobs[i], NULL), lens[i]);
            if (tags[i] == HB_TAG('h', 'e', 'a', 'd') && lens[i] >= 12) {
                memset(f + off + 8, 0, 4); /* checkSumAdjustment, set below */
                adjust = off + 8;
            }
            put_be32(rec, tags[i]);
            put_be32(rec + 4, table_sum(f + off, (lens[i] + 3u) & ~3u));
            put_be32(rec + 8, (uint32_t)off);
            put_be32(rec + 12, lens[i]);
            off += (lens[i] + 3u) & ~3u;
        }
        if (adjust)
            put_be32(f + adjust, 0xB1B0AFBAu - table_sum(f, head + total));
        p->embed = f;
        p->embed_len = head + total;
    }
    for (size_t i = 0; i < n; i++)
        hb_blob_destroy(blobs[i]);
}

static void join_fonts(pdf_ctx *c)
{
    for (size_t i = 0; i < c->npf; i++) {
        if (c->pf[i].th_started)
            pthread_join(c->pf[i].th, NULL);
        c->pf[i].th_started = false;
    }
}

/* Codes in the content are UTF-16 code units (libharu's UTF-8 mode), used as
 * CIDs; the CIDToGIDMap gives each one its glyph in the subset: 2 bytes a
 * CID, 0 to FFFF.  Written here rather than by libharu (which looked up all
 * 65536 and wrote zeros for the unused ones): an unused CID takes the glyph
 * of the used one before it, so the map rises in steps of one, and the PNG
 * Sub predictor (DecodeParms in put_fonts: two 8-bit samples a pixel, so
 * that every reader takes it) turns it into zeros with a 1 at
 * each used code: less than half the deflated size.  P->map is NULL when
 * out of memory. */
#define CID_MAP_CODES 65536u

static void cid_map(pdf_font *p, hb_face_t *sub)
{
    hb_font_t *font = hb_font_create(sub);
    size_t n = 1 + 2 * CID_MAP_CODES; /* the row's filter byte, then the codes */
    unsigned char *m = malloc(n);
    uint16_t *gids = calloc(CID_MAP_CODES, sizeof *gids);
    if (m && gids) {
        m[0] = 1; /* PNG Sub */
        unsigned prev = 0;
        for (uint32_t cp = 0; cp < CID_MAP_CODES; cp++) {
            hb_codepoint_t gid = prev, g = 0;
            if ((p->used[cp >> 3] >> (cp & 7) & 1) && hb_font_get_nominal_glyph(font, cp, &g) &&
                g) {
                gid = g;
                gids[cp] = (uint16_t)g;
            }
            /* the difference with the code before, byte by byte */
            m[1 + 2 * cp] = (unsigned char)((gid >> 8) - (prev >> 8));
            m[2 + 2 * cp] = (unsigned char)((gid & 0xFF) - (prev & 0xFF));
            prev = (unsigned)gid;
        }
    } else {
        free(m);
        free(gids);
        m = NULL;
        gids = NULL;
    }
    p->map = m;
    p->map_len = m ? n : 0;
    p->gids = gids;
    hb_font_destroy(font);
}

/* Subsets face P to its used code points into P->tmp (a mkstemp template)
 * and P->embed.  Runs on a thread of its own: no arena, no reports (P->fail
 * says what went wrong). */
static void *subset_font(void *arg)
{
    pdf_font *p = arg;
    hb_blob_t *blob = NULL, *out_blob = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
    FILE *fp = NULL;
    char *tmpl = (char *)p->tmp; /* set again once the file exists */
    p->tmp = NULL;

    p->fail = SUB_READ;
    blob = hb_blob_create_from_file_or_fail(p->font->path);
    if (!blob)
        goto out;
    p->fail = SUB_SUBSET;
    face = hb_face_create(blob, (unsigned)p->font->index);
    in = hb_subset_input_create_or_fail();
    if (!in)
        goto out;
    hb_set_t *uni = hb_subset_input_unicode_set(in);
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        if (p->used[cp >> 3] & (1u << (cp & 7)))
            hb_set_add(uni, cp);
    /* Hinting is of no use in print and is the bulk of a subset's size. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    /* libharu draws code -> glyph through the cmap: glyphs that OpenType
     * layout could substitute and the layout tables themselves are dead
     * weight, and slow to subset. */
    hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof unembedded_tables / sizeof *unembedded_tables; i++)
        hb_set_add(drop, hb_tag_from_string(unembedded_tables[i], 4));
    sub = hb_subset_or_fail(face, in);
    if (!sub)
        goto out;
    out_blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(out_blob, &len);
    p->fail = SUB_TMP_CREATE;
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        p->fail_errno = errno;
        goto out;
    }
    p->tmp = tmpl;
    p->fail = SUB_TMP_WRITE;
    fp = fdopen(fd, "wb");
    if (!fp) {
        close(fd);
        goto out;
    }
    bool ok = fwrite(data, 1, len, fp) == len;
    if (fclose(fp) != 0 || !ok)
        goto out;
    embed_font(p, sub);
    cid_map(p, sub);
    p->fail = SUB_OK;
out:
    hb_blob_destroy(out_blob);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
}

/* Loads subset N (subset_font done) into libharu and starts deflating the
 * copy to embed. */
static int load_font(pdf_ctx *c, pdf_font *p, int n)
{
    switch (p->fail) {
    case SUB_OK: break;
    case SUB_READ:
        dg_report_file(c->d, DG_ERROR, p->font->path, "cannot read the font file");
        return -1;
    case SUB_SUBSET:
        dg_report_file(c->d, DG_ERROR, p->font->path, "HarfBuzz could not subset the font");
        return -1;
    case SUB_TMP_CREATE:
        dg_report_file(c->d, DG_ERROR, c->path, "cannot create a temporary font file: %s",
                  strerror(p->fail_errno));
        return -1;
    case SUB_TMP_WRITE:
        dg_report_file(c->d, DG_ERROR, p->tmp, "cannot write a temporary font file");
        return -1;
    }
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, p->tmp, HPDF_TRUE);
    if (!name) {
        if (!failed(c, "to load a subset font"))
            dg_report_file(c->d, DG_ERROR, p->font->path, "libharu could not load this font (a TrueType font with glyf outlines "
                      "is needed, e.g. LXGW WenKai)");
        return -1;
    }
    HPDF_FontDef def = HPDF_GetFontDef(c->pdf, name);
    fast_cmap(def, p->gids);
    /* The font and its CIDToGIDMap go in through pack_pdf, not libharu:
     * loaded as embedded (for the subset tag in its name), but from here on
     * libharu need not read each used glyph back from the file (two system
     * calls a glyph, to look for composite glyphs), nor make a map or copy. */
    if (def && def->attr)
        ((HPDF_TTFontDefAttr)def->attr)->embedding = HPDF_FALSE;
    p->hfont = HPDF_GetFont(c->pdf, name, "UTF-8");
    if (!p->hfont) {
        if (!failed(c, "to open a font"))
            dg_report_file(c->d, DG_ERROR, p->font->path, "libharu could not open this font in UTF-8 mode");
        return -1;
    }
    drop_cmap(HPDF_GetFontDef(c->pdf, name));
    /* marks the font dictionary for pack_pdf, which takes the mark out */
    HPDF_Dict_AddNumber((HPDF_Dict)p->hfont, "DGFont", n);
    p->def = HPDF_GetFontDef(c->pdf, name);
    if (p->embed) {
        if (pthread_create(&p->th, NULL, deflate_font, p) == 0)
            p->th_started = true;
        else
            deflate_font(p);
    }
    return 0;
}

/* libharu's ToUnicode uses begincidrange, which is no ToUnicode syntax.  Codes
 * are UTF-16 code units, so the identity map in bfrange rows is exact. */
static int fix_tounicode(pdf_ctx *c, const pdf_font *pf)
{
    HPDF_Font font = pf->hfont;
    HPDF_Dict tu = HPDF_Dict_GetItem((HPDF_Dict)font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream)
        return 0;
    HPDF_MemStream_FreeData(tu->stream);
    dg_buf b = {0};
    dg_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* One row per 256-code block the font is used for (and FF: the U+FFFC
     * stand-ins); surrogate code units (D8-DF) never occur: libharu cannot
     * encode them. */
    bool want[256] = {false};
    want[0xFF] = true;
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        if (pf->used && ((pf->used[cp >> 3] >> (cp & 7)) & 1))
            want[cp >> 8] = true;
    int rows[256], nrows = 0;
    for (int hi = 0; hi < 256; hi++)
        if ((hi < 0xD8 || hi > 0xDF) && (want[hi] || !pf->used))
            rows[nrows++] = hi;
    for (int i = 0; i < nrows; i += 100) {
        int n = nrows - i < 100 ? nrows - i : 100;
        dg_buf_printf(&b, "%d beginbfrange\n", n);
        for (int k = i; k < i + n; k++)
            dg_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", rows[k], rows[k], rows[k]);
        dg_buf_puts(&b, "endbfrange\n");
    }
    dg_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_STATUS st = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    dg_buf_free(&b);
    return st == HPDF_OK ? 0 : -1;
}

/* Fonts are subset on threads of their own (HarfBuzz, one face each), then
 * loaded into libharu one after the other, which is not thread-safe. */
static int load_fonts(pdf_ctx *c)
{
    int rc = 0;
    collect_used(c);
    for (size_t i = 0; i < c->npf; i++) {
        pdf_font *p = &c->pf[i];
        /* the space; not U+FFFC, the stand-in for glyph images: it is drawn
         * with alpha 0 (invisible_space), so .notdef serves as well */
        p->used[0x20 >> 3] |= 1u << (0x20 & 7);
        p->tmp = dg_sprintf(c->a, "%s.font%zu-XXXXXX", c->path, i);
        if (pthread_create(&p->th, NULL, subset_font, p) == 0)
            p->th_started = true;
        else
            subset_font(p);
    }
    for (size_t i = 0; i < c->npf; i++) {
        pdf_font *p = &c->pf[i];
        if (p->th_started)
            pthread_join(p->th, NULL);
        p->th_started = false;
        if (rc == 0 && (load_font(c, p, (int)i) != 0 || fix_tounicode(c, p) != 0 ||
                        failed(c, "to write a ToUnicode map")))
            rc = -1;
    }
    return rc;
}

/* ---- images ------------------------------------------------------------------ */

/* Widest PNG embedded, in pixels: about 300 dpi across an A4 text block
 * (larger screenshots are scaled down; print gains nothing from more). */
#define DG_PDF_IMAGE_MAX_WIDTH 2000

/* Decodes and deflates PNGs of the book until none is left (one of
 * start_images' threads; each image is the work of one thread, so the
 * output does not depend on which). */
static void *image_worker(void *arg)
{
    pdf_ctx *c = arg;
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(6);
    for (;;) {
        size_t i = atomic_fetch_add(&c->img_next, 1);
        if (i >= c->npimgs)
            break;
        pdf_image *pi = &c->pimgs[i];
        dg_arena *a = dg_arena_new();
        dg_pixels px;
        pi->failed = true;
        if (zc && dg_image_decode_png(&px, a, &pi->as->image, DG_PDF_IMAGE_MAX_WIDTH) == 0 &&
            zdeflate(zc, px.rgb, (size_t)px.width * (size_t)px.height * 3, &pi->z, &pi->zlen) ==
                0 &&
            (!px.alpha || zdeflate(zc, px.alpha, (size_t)px.width * (size_t)px.height, &pi->az,
                                   &pi->azlen) == 0)) {
            pi->width = px.width;
            pi->height = px.height;
            pi->failed = false;
        }
        dg_arena_free(a);
    }
    libdeflate_free_compressor(zc);
    return NULL;
}

/* Lists the PNGs the layout draws and starts image_worker threads on them
 * (up to one a core). */
static void start_images(pdf_ctx *c)
{
    size_t cap = 0;
    for (size_t pi = 0; pi < c->lay->npages; pi++) {
        const dg_lpage *pg = &c->lay->pages[pi];
        for (size_t k = 0; k < pg->n; k++) {
            const dg_item *it = &pg->items[k];
            if (it->kind != DG_ITEM_IMAGE || !it->asset || it->asset->image.type != DG_IMG_PNG)
                continue;
            size_t j = 0;
            while (j < c->npimgs && c->pimgs[j].as != it->asset)
                j++;
            if (j < c->npimgs)
                continue;
            dg_arena_grow(c->a, &c->pimgs, c->npimgs, &cap, sizeof *c->pimgs, 16);
            c->pimgs[c->npimgs++] = (pdf_image){.as = it->asset};
        }
    }
    atomic_init(&c->img_next, 0);
    if (c->npimgs == 0)
        return;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores > 0 ? (size_t)cores : 1;
    if (want > PDF_IMAGE_THREADS)
        want = PDF_IMAGE_THREADS;
    if (want > c->npimgs)
        want = c->npimgs;
    for (size_t i = 0; i < want; i++)
        if (pthread_create(&c->img_th[c->img_threads], NULL, image_worker, c) == 0)
            c->img_threads++;
    if (c->img_threads == 0)
        image_worker(c);
}

static void join_images(pdf_ctx *c)
{
    for (int i = 0; i < c->img_threads; i++)
        pthread_join(c->img_th[i], NULL);
    c->img_threads = 0;
}

static HPDF_Image asset_image(pdf_ctx *c, const dg_asset *as)
{
    for (size_t i = 0; i < c->nimgs; i++)
        if (c->imgs[i].as == as)
            return c->imgs[i].img;
    HPDF_Image img = NULL;
    if (as->image.type == DG_IMG_PNG) {
        /* Decoded by libpng, not libharu: libharu 2.3 refuses some ordinary
         * RGBA files (HPDF_LIBPNG_ERROR), leaves alpha uncompressed, embeds
         * screenshots at full size, and copies the pixels byte by byte. */
        static const HPDF_BYTE white[3] = {255, 255, 255};
        for (size_t k = 0; k < c->npimgs; k++)
            if (c->pimgs[k].as == as) {
                img = HPDF_LoadRawImageFromMem(c->pdf, white, 1, 1, HPDF_CS_DEVICE_RGB, 8);
                if (img && !c->err) {
                    /* marks the image for put_images, which takes the mark out */
                    HPDF_Dict_AddNumber((HPDF_Dict)img, "DGImage", (HPDF_INT32)k);
                    c->pimgs[k].placeholder = img;
                }
                break;
            }
    } else if (as->image.type == DG_IMG_JPEG) {
        img = HPDF_LoadJpegImageFromMem(c->pdf, as->image.data, (HPDF_UINT)as->image.len);
    }
    if (c->err || !img) {
        dg_report_file(c->d, DG_WARNING, as->key, "libharu cannot embed this image (error 0x%04lX); it is left out of the PDF",
                  c->err);
        c->err = 0;
        HPDF_ResetError(c->pdf);
        img = NULL;
    }
    dg_arena_grow(c->a, &c->imgs, c->nimgs, &c->capimgs, sizeof *c->imgs, 16);
    c->imgs[c->nimgs].as = as;
    c->imgs[c->nimgs++].img = img;
    return img;
}

/* A glyph beyond the BMP as an image: black ink with the coverage as soft
 * mask (or the colour bitmap of a colour font).  Uses a FreeType library of
 * its own: the shared faces of dg_fonts must not change size under others. */
static glyph_img *glyph_image(pdf_ctx *c, int font, uint32_t cp, double size)
{
    for (size_t i = 0; i < c->ngimgs; i++)
        if (c->gimgs[i].font == font && c->gimgs[i].cp == cp && c->gimgs[i].size == size)
            return &c->gimgs[i];
    dg_arena_grow(c->a, &c->gimgs, c->ngimgs, &c->capgimgs, sizeof *c->gimgs, 16);
    glyph_img *g = &c->gimgs[c->ngimgs++];
    memset(g, 0, sizeof *g);
    g->font = font;
    g->cp = cp;
    g->size = size;
    const dg_font *f = dg_fonts_get(c->fonts, font);
    FT_Face face = NULL;
    if (!c->ft && FT_Init_FreeType(&c->ft) != 0)
        return g;
    if (FT_New_Face(c->ft, f->path, f->index, &face) != 0)
        return g;
    unsigned px = (unsigned)lround(size * GLYPH_IMAGE_SCALE);
    if (FT_HAS_FIXED_SIZES(face) && !FT_IS_SCALABLE(face)) {
        FT_Select_Size(face, 0);
    } else if (FT_Set_Pixel_Sizes(face, 0, px) != 0) {
        goto done;
    }
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_COLOR) != 0)
        goto done;
    FT_GlyphSlot s = face->glyph;
    FT_Bitmap *bm = &s->bitmap;
    unsigned w = bm->width, h = bm->rows;
    if (!w || !h)
        goto done;
    double scale = size / (double)(face->size->metrics.y_ppem ? face->size->metrics.y_ppem : px);
    unsigned char *ink = dg_allocn(c->a, (size_t)w * h, 3);
    unsigned char *alpha = dg_allocn(c->a, (size_t)w * h, 1);
    for (unsigned y = 0; y < h; y++) {
        const unsigned char *row = bm->buffer + (long)y * bm->pitch;
        for (unsigned x = 0; x < w; x++) {
            size_t o = (size_t)y * w + x;
            if (bm->pixel_mode == FT_PIXEL_MODE_BGRA) {
                unsigned b = row[4 * x], gg = row[4 * x + 1], r = row[4 * x + 2],
                         al = row[4 * x + 3];
                /* premultiplied: undo it */
                ink[3 * o] = (unsigned char)(al ? r * 255 / al : 0);
                ink[3 * o + 1] = (unsigned char)(al ? gg * 255 / al : 0);
                ink[3 * o + 2] = (unsigned char)(al ? b * 255 / al : 0);
                alpha[o] = (unsigned char)al;
            } else if (bm->pixel_mode == FT_PIXEL_MODE_GRAY) {
                alpha[o] = row[x];
            } else if (bm->pixel_mode == FT_PIXEL_MODE_MONO) {
                alpha[o] = (row[x >> 3] & (0x80 >> (x & 7))) ? 255 : 0;
            }
        }
    }
    HPDF_Image im = HPDF_LoadRawImageFromMem(c->pdf, ink, w, h, HPDF_CS_DEVICE_RGB, 8);
    HPDF_Image mask = HPDF_LoadRawImageFromMem(c->pdf, alpha, w, h, HPDF_CS_DEVICE_GRAY, 8);
    if (!im || !mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK) {
        c->err = 0;
        HPDF_ResetError(c->pdf);
        goto done;
    }
    g->img = im;
    g->left = s->bitmap_left * scale;
    g->top = s->bitmap_top * scale;
    g->w = w * scale;
    g->h = h * scale;
done:
    FT_Done_Face(face);
    return g;
}

/* Glyph images are drawn after the page's text: an image between two text
 * runs makes text extractors (MuPDF) start a new line there. */
typedef struct deferred_img {
    HPDF_Image img;
    double x, y, w, h;
} deferred_img;

/* ---- text --------------------------------------------------------------------- */

static HPDF_Font hfont_of(pdf_ctx *c, int font)
{
    if (font < 0 || (size_t)font >= c->nfonts || c->font_map[font] < 0)
        return NULL;
    return c->pf[c->font_map[font]].hfont;
}

static void set_colour(HPDF_Page page, unsigned tag)
{
    if (tag & DG_TAG_LINK)
        HPDF_Page_SetRGBFill(page, 0.10f, 0.27f, 0.60f);
    else if (tag & DG_TAG_GREY)
        HPDF_Page_SetGrayFill(page, 0.40f);
    else
        HPDF_Page_SetGrayFill(page, 0.0f);
}

/* An invisible U+FFFC (OBJECT REPLACEMENT CHARACTER) over a glyph drawn as
 * an image or a box: text extraction then sees one line with a placeholder
 * there, rather than a gap that splits the line (MuPDF) or nothing at all.
 * It is filled with alpha 0 (MuPDF leaves render mode 3 text out of its
 * lines), so it draws no ink whatever glyph the font maps it to. */
static void invisible_space(pdf_ctx *c, HPDF_Page page, const dg_line *ln, size_t i, double gx,
                            double base)
{
    HPDF_Font f = NULL;
    for (size_t k = i; k-- > 0 && !f;)
        f = hfont_of(c, ln->glyphs[k].font);
    for (size_t k = i + 1; k < ln->n && !f; k++)
        f = hfont_of(c, ln->glyphs[k].font);
    for (size_t k = 0; k < c->npf && !f; k++)
        f = c->pf[k].hfont;
    if (!f)
        return;
    const dg_glyph *g = &ln->glyphs[i];
    double w = g->advance > 0 ? g->advance : g->size;
    double own = HPDF_Font_GetUnicodeWidth(f, 0xFFFC) * g->size / 1000.0;
    if (!c->clear) {
        c->clear = HPDF_CreateExtGState(c->pdf);
        HPDF_ExtGState_SetAlphaFill(c->clear, 0);
    }
    HPDF_Page_GSave(page);
    HPDF_Page_SetExtGState(page, c->clear);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)g->size);
    HPDF_Page_SetCharSpace(page, (HPDF_REAL)(w - own));
    HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)gx, (HPDF_REAL)(base + g->rise));
    HPDF_Page_ShowText(page, "\xEF\xBF\xBC");
    HPDF_Page_SetCharSpace(page, 0);
    HPDF_Page_EndText(page);
    HPDF_Page_GRestore(page);
}

static bool same_run(const dg_glyph *a, const dg_glyph *b)
{
    return a->font == b->font && a->size == b->size && a->rise == b->rise &&
           (a->style & DG_ITALIC) == (b->style & DG_ITALIC) &&
           (a->tag & (DG_TAG_LINK | DG_TAG_GREY)) == (b->tag & (DG_TAG_LINK | DG_TAG_GREY)) &&
           a->cp <= 0xFFFF && b->cp <= 0xFFFF;
}

/* Run positions in the content stream to an eighth of a point (0.04 mm):
 * an eighth is exact in binary, so libharu prints "755.625" rather than
 * "755.71002", which compresses far better; the shift cannot be seen and
 * justification is untouched (Tc carries it inside each run). */
static double round2(double v)
{
    return floor(v * 8 + 0.5) / 8;
}

/* One text object (BT ... ET) for the lines of a page until something that
 * is not text (a rule, a box, an image) closes it: the font, size, character
 * spacing and colour are set only when they change (they are graphics state
 * and outlive ET), and runs move by Td from the one before (Tm only for
 * slanted runs). */
typedef struct text_state {
    bool open, plain; /* inside BT; the text matrix has no shear */
    double ox, oy;    /* origin of the last run (rounded) */
    HPDF_Font font;
    double size, tc;
    unsigned colour;
} text_state;

static void text_close(HPDF_Page page, text_state *ts)
{
    if (ts->open)
        HPDF_Page_EndText(page);
    ts->open = false;
}

/* The space after glyph I of LN beyond its advance: what Tc must add. */
static double run_gap(pdf_ctx *c, const dg_line *ln, size_t i)
{
    const dg_glyph *p = &ln->glyphs[i], *q = &ln->glyphs[i + 1];
    return (q->x + q->x_offset) - (p->x + p->x_offset) -
           dg_fonts_advance(c->fonts, p->font, p->cp) * p->size;
}

static void draw_line(pdf_ctx *c, HPDF_Page page, const dg_item *it, text_state *tsp)
{
    const dg_line *ln = it->line;
    double base = c->lay->page_h - it->y;
    size_t i = 0;
    char buf[4096];
    text_state ts = *tsp;
    while (i < ln->n) {
        const dg_glyph *g = &ln->glyphs[i];
        double gx = it->x + g->x + g->x_offset;
        if (g->font < 0 || !hfont_of(c, g->font)) {
            text_close(page, &ts);
            if (drawn_as_image(c, g->font, g->cp)) {
                glyph_img *gi = glyph_image(c, g->font, g->cp, g->size);
                if (gi->img) {
                    deferred_img *di = dg_alloc(c->a, sizeof *di);
                    di->img = gi->img;
                    di->x = gx + gi->left;
                    di->y = base + g->rise + gi->top - gi->h;
                    di->w = gi->w;
                    di->h = gi->h;
                    dg_vec_push(&c->deferred, di);
                    invisible_space(c, page, ln, i, gx, base);
                    i++;
                    continue;
                }
            }
            if (g->cp != ' ' && g->cp != 0x3000) {
                if (g->font < 0 || g->cp <= 0xFFFF) {
                    /* once per digest (the key names the month), at the post
                     * that first shows it, with the character itself */
                    char u[5] = {0};
                    dg_utf8_encode(g->cp, u);
                    dg_report_once(
                        c->d, dg_sprintf(c->a, "nofont:%s:U+%04X", c->book->month, (unsigned)g->cp),
                        DG_WARNING, c->cur_post, 0, 0,
                        "no font has U+%04X (%s); it is drawn as a box in the %s PDF "
                        "(a font that has it can be added with fonts: in digest.yaml)",
                        (unsigned)g->cp, u, c->book->month);
                }
                double w = g->advance > 0 ? g->advance : g->size * 0.6;
                HPDF_Page_SetLineWidth(page, 0.5f);
                HPDF_Page_SetGrayStroke(page, 0.3f);
                HPDF_Page_Rectangle(page, (HPDF_REAL)(gx + w * 0.1),
                                    (HPDF_REAL)(base - g->size * 0.1), (HPDF_REAL)(w * 0.8),
                                    (HPDF_REAL)(g->size * 0.8));
                HPDF_Page_Stroke(page);
                invisible_space(c, page, ln, i, gx, base);
            }
            i++;
            continue;
        }
        /* A run: same font and style, with the same extra gap after every
         * glyph (justification spreads slack evenly), drawn with Tc. */
        /* A glyph whose gap to the next differs from the gap after that
         * (the space before a Latin word in a justified line) is a run of
         * its own: a single glyph needs no Tc, and the word then takes one
         * Tc rather than two. */
        size_t j = i + 1;
        double gap = ts.tc;
        if (j < ln->n && same_run(g, &ln->glyphs[j]) && hfont_of(c, ln->glyphs[j].font)) {
            double first = run_gap(c, ln, i);
            if (j + 1 >= ln->n || !same_run(g, &ln->glyphs[j + 1]) ||
                fabs(run_gap(c, ln, j) - first) <= 0.01) {
                gap = first;
                j++;
                while (j < ln->n && same_run(g, &ln->glyphs[j]) &&
                       fabs(run_gap(c, ln, j - 1) - gap) <= 0.01)
                    j++;
            }
        }
        size_t len = 0;
        for (size_t k = i; k < j; k++) {
            char u[4];
            int n = dg_utf8_encode(ln->glyphs[k].cp, u);
            if (len + (size_t)n + 1 >= sizeof buf) {
                j = k;
                break;
            }
            memcpy(buf + len, u, (size_t)n);
            len += (size_t)n;
        }
        buf[len] = 0;
        if (!ts.open) {
            HPDF_Page_BeginText(page);
            ts.open = ts.plain = true;
            ts.ox = ts.oy = 0;
        }
        unsigned colour = (unsigned)g->tag & (DG_TAG_LINK | DG_TAG_GREY);
        if (colour != ts.colour) {
            set_colour(page, colour);
            ts.colour = colour;
        }
        HPDF_Font hf = hfont_of(c, g->font);
        if (hf != ts.font || g->size != ts.size) {
            HPDF_Page_SetFontAndSize(page, hf, (HPDF_REAL)g->size);
            ts.font = hf;
            ts.size = g->size;
        }
        gap = floor(gap * 1000 + 0.5) / 1000;
        if (gap != ts.tc) {
            HPDF_Page_SetCharSpace(page, (HPDF_REAL)gap);
            ts.tc = gap;
        }
        double shear = (g->style & DG_ITALIC) ? ITALIC_SHEAR : 0;
        /* slanted glyphs lean right by shear * ascent at their top: start
         * them that much to the left so no ink passes the line's end */
        double lean = 0;
        if (shear > 0) {
            const dg_font *f = dg_fonts_get(c->fonts, g->font);
            lean = shear * (f && f->ascent > 0 ? f->ascent : 0.9) * g->size;
        }
        double x = round2(gx - lean), y = round2(base + g->rise);
        if (shear > 0 || !ts.plain) {
            HPDF_Page_SetTextMatrix(page, 1, 0, (HPDF_REAL)shear, 1, (HPDF_REAL)x, (HPDF_REAL)y);
            ts.plain = shear == 0;
        } else {
            HPDF_Page_MoveTextPos(page, (HPDF_REAL)round2(x - ts.ox), (HPDF_REAL)round2(y - ts.oy));
        }
        ts.ox = x;
        ts.oy = y;
        HPDF_Page_ShowText(page, buf);
        i = j;
    }
    /* strike-through */
    for (i = 0; i < ln->n; i++) {
        const dg_glyph *g = &ln->glyphs[i];
        if (!(g->tag & DG_TAG_STRIKE))
            continue;
        text_close(page, &ts);
        double y = base + g->rise + g->size * 0.3;
        HPDF_Page_SetLineWidth(page, (HPDF_REAL)(g->size * 0.06));
        HPDF_Page_SetGrayStroke(page, 0.2f);
        HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x + g->x), (HPDF_REAL)y);
        HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + g->x + g->advance), (HPDF_REAL)y);
        HPDF_Page_Stroke(page);
    }
    *tsp = ts;
}

/* ---- pages ------------------------------------------------------------------ */

static void draw_page(pdf_ctx *c, size_t pi)
{
    const dg_lpage *pg = &c->lay->pages[pi];
    HPDF_Page page = c->pages[pi];
    double H = c->lay->page_h;
    c->cur_post = pg->chapter >= 0 && (size_t)pg->chapter < c->book->nchapters
                      ? c->book->chapters[pg->chapter].post->path
                      : NULL;
    /* backgrounds first */
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_FILL)
            continue;
        HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray);
        HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                            (HPDF_REAL)it->w, (HPDF_REAL)it->h);
        HPDF_Page_Fill(page);
    }
    /* grounds of inline code and highlights */
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_TEXT)
            continue;
        const dg_line *ln = it->line;
        for (size_t i = 0; i < ln->n;) {
            unsigned t = (unsigned)ln->glyphs[i].tag & (DG_TAG_CODE | DG_TAG_MARK);
            size_t j = i + 1;
            while (j < ln->n && ((unsigned)ln->glyphs[j].tag & (DG_TAG_CODE | DG_TAG_MARK)) == t)
                j++;
            if (t) {
                const dg_glyph *a = &ln->glyphs[i], *b = &ln->glyphs[j - 1];
                double pad = a->size * 0.15;
                double x0 = it->x + a->x - pad, x1 = it->x + b->x + b->advance + pad;
                double y0 = H - it->y - a->size * 0.25, hh = a->size * 1.2;
                if (t & DG_TAG_MARK)
                    HPDF_Page_SetRGBFill(page, 1.0f, 0.95f, 0.6f);
                else
                    HPDF_Page_SetGrayFill(page, 0.93f);
                HPDF_Page_Rectangle(page, (HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)(x1 - x0),
                                    (HPDF_REAL)hh);
                HPDF_Page_Fill(page);
            }
            i = j;
        }
    }
    HPDF_Page_SetGrayFill(page, 0);
    text_state ts = {.tc = 0, .colour = 0};
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind == DG_ITEM_RECT || it->kind == DG_ITEM_RULE || it->kind == DG_ITEM_IMAGE)
            text_close(page, &ts);
        switch (it->kind) {
        case DG_ITEM_TEXT: draw_line(c, page, it, &ts); break;
        case DG_ITEM_RECT:
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->lw > 0 ? it->lw : 0.5));
            HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
            HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                                (HPDF_REAL)it->w, (HPDF_REAL)it->h);
            HPDF_Page_Stroke(page);
            break;
        case DG_ITEM_RULE:
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->lw > 0 ? it->lw : 0.5));
            HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
            HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y));
            HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(H - it->y - it->h));
            HPDF_Page_Stroke(page);
            break;
        case DG_ITEM_IMAGE: {
            HPDF_Image img = asset_image(c, it->asset);
            if (img)
                HPDF_Page_DrawImage(page, img, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                                    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
            break;
        }
        case DG_ITEM_ANCHOR:
            dg_vec_push(&c->anchors, (void *)it);
            dg_vec_push(&c->anchor_pages, (void *)(uintptr_t)(pi + 1));
            break;
        default: break;
        }
    }
    text_close(page, &ts);
    for (size_t k = 0; k < c->deferred.len; k++) {
        const deferred_img *di = c->deferred.items[k];
        HPDF_Page_DrawImage(page, di->img, (HPDF_REAL)di->x, (HPDF_REAL)di->y, (HPDF_REAL)di->w,
                            (HPDF_REAL)di->h);
    }
    c->deferred.len = 0;
}

static HPDF_Destination dest_for(pdf_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->anchors.len; i++) {
        const dg_item *it = c->anchors.items[i];
        if (strcmp(it->dest, id) != 0)
            continue;
        size_t pi = (uintptr_t)c->anchor_pages.items[i] - 1;
        HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[pi]);
        double top = c->lay->page_h - it->y + 4;
        if (top > c->lay->page_h)
            top = c->lay->page_h;
        /* [page /XYZ left top null]: libharu refuses a null zoom (keep the
         * reader's zoom), so the array is written by hand. */
        HPDF_Array arr = (HPDF_Array)dst;
        HPDF_Array_Clear(arr);
        HPDF_Array_Add(arr, c->pages[pi]);
        HPDF_Array_Add(arr, HPDF_Name_New(c->pdf->mmgr, "XYZ"));
        HPDF_Array_Add(arr, HPDF_Real_New(c->pdf->mmgr, 0));
        HPDF_Array_Add(arr, HPDF_Real_New(c->pdf->mmgr, (HPDF_REAL)ceil(top)));
        HPDF_Array_Add(arr, HPDF_Null_New(c->pdf->mmgr));
        return dst;
    }
    return NULL;
}

/* Percent-encodes everything outside printable ASCII (and a few delimiters
 * PDF viewers trip over) so the URI string is plain ASCII. */
static char *uri_ascii(dg_arena *a, const char *s)
{
    dg_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F || strchr("\"<>\\^`{|}", *p))
            dg_buf_printf(&b, "%%%02X", *p);
        else
            dg_buf_putc(&b, (char)*p);
    }
    if (!b.data)
        return dg_strdup(a, "");
    return dg_buf_to_arena(&b, a);
}

static void add_links(pdf_ctx *c, size_t pi)
{
    const dg_lpage *pg = &c->lay->pages[pi];
    double H = c->lay->page_h;
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_LINK)
            continue;
        /* whole points, rounded outwards: libharu writes a float's noise
         * ("531.96765"), and 150 links a month add up */
        HPDF_Rect r = {(HPDF_REAL)floor(it->x), (HPDF_REAL)floor(H - it->y - it->h),
                       (HPDF_REAL)ceil(it->x + it->w), (HPDF_REAL)ceil(H - it->y)};
        HPDF_Annotation an = NULL;
        if (it->uri) {
            an = HPDF_Page_CreateURILinkAnnot(c->pages[pi], r, uri_ascii(c->a, it->uri));
        } else if (it->dest) {
            HPDF_Destination dst = dest_for(c, it->dest);
            if (dst)
                an = HPDF_Page_CreateLinkAnnot(c->pages[pi], r, dst);
        }
        if (an) {
            HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
            HPDF_Dict_RemoveElement((HPDF_Dict)an, "P"); /* optional back link */
        }
    }
}

static void add_outline(pdf_ctx *c)
{
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    HPDF_Outline root =
        HPDF_CreateOutline(c->pdf, NULL, c->book->title ? c->book->title : "Digest", enc);
    HPDF_Outline_SetOpened(root, HPDF_TRUE);
    if (c->lay->npages > 0) {
        HPDF_Destination d0 = HPDF_Page_CreateDestination(c->pages[0]);
        HPDF_Outline_SetDestination(root, d0);
    }
    enum { MAXLEV = 8 };
    HPDF_Outline stack[MAXLEV + 1];
    stack[0] = root;
    int depth = 0;
    for (size_t i = 0; i < c->lay->noutline; i++) {
        const dg_outline_entry *e = &c->lay->outline[i];
        int lev = e->level < 1 ? 1 : e->level > MAXLEV ? MAXLEV : e->level;
        if (lev > depth + 1)
            lev = depth + 1;
        HPDF_Outline o = HPDF_CreateOutline(c->pdf, stack[lev - 1], e->title, enc);
        HPDF_Destination dst = dest_for(c, e->dest);
        if (dst)
            HPDF_Outline_SetDestination(o, dst);
        HPDF_Outline_SetOpened(o, lev == 1 ? HPDF_TRUE : HPDF_FALSE);
        stack[lev] = o;
        depth = lev;
    }
}

static void info_date(HPDF_Date *dt, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    memset(dt, 0, sizeof *dt);
    dt->year = tm.tm_year + 1900;
    dt->month = tm.tm_mon + 1;
    dt->day = tm.tm_mday;
    dt->hour = tm.tm_hour;
    dt->minutes = tm.tm_min;
    dt->seconds = tm.tm_sec;
    dt->ind = 'Z';
}

/* Info strings as UTF-16BE text strings (libharu's SetInfoAttr writes raw bytes). */
static void set_info(pdf_ctx *c, HPDF_InfoType type, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    HPDF_SetInfoAttr(c->pdf, type, "-");
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    HPDF_String s = HPDF_String_New(c->pdf->mmgr, value, enc);
    if (s && c->pdf->info)
        HPDF_Dict_Add(c->pdf->info, key, s);
}

static void add_info(pdf_ctx *c)
{
    const dg_book *b = c->book;
    set_info(c, HPDF_INFO_TITLE, "Title", b->title);
    set_info(c, HPDF_INFO_AUTHOR, "Author", b->author);
    set_info(c, HPDF_INFO_SUBJECT, "Subject", b->month_label);
    set_info(c, HPDF_INFO_CREATOR, "Creator", "digest " DIGEST_VERSION);
    dg_buf kw = {0};
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_post *p = b->chapters[i].post;
        for (size_t t = 0; p && t < p->ntags; t++) {
            /* each tag once */
            char *needle = dg_sprintf(c->a, "%s", p->tags[t]);
            bool seen = false;
            if (kw.data) {
                const char *q = kw.data;
                size_t nl = strlen(needle);
                while (*q) {
                    const char *e = strstr(q, ", ");
                    size_t l = e ? (size_t)(e - q) : strlen(q);
                    if (l == nl && !strncmp(q, needle, nl))
                        seen = true;
                    q += l;
                    if (e)
                        q += 2;
                }
            }
            if (seen)
                continue;
            if (kw.len)
                dg_buf_puts(&kw, ", ");
            dg_buf_puts(&kw, needle);
        }
    }
    if (kw.data)
        set_info(c, HPDF_INFO_KEYWORDS, "Keywords", dg_buf_to_arena(&kw, c->a));
    HPDF_Date dt;
    info_date(&dt, b->modified);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, dt);
}

/* Rewrites libharu's PDF 1.4 through qpdf: the many small objects of a
 * digest (one link annotation per URL, outline items, font dictionaries)
 * go into compressed object streams with a cross-reference stream, which
 * libharu cannot write.  A month with 150 links shrinks by about 15 %.  The
 * /ID is derived from the content, so the output stays reproducible.  It is
 * also the one place streams are compressed (libharu writes them plain).  On
 * failure the caller keeps libharu's own bytes, uncompressed. */
/* Font dictionaries on a page's resources: at most this many (a digest uses
 * a handful of faces). */
#define PACK_MAX_PAGE_FONTS 64

/* Puts the deflated fonts of embed_font into the font descriptors (libharu
 * was told to leave them out), found through the marks load_font left in the
 * font dictionaries.  -1 when one is missing. */
static int put_fonts(pdf_ctx *c, qpdf_data q)
{
    int npages = qpdf_get_num_pages(q);
    for (int pg = 0; pg < npages; pg++) {
        qpdf_oh res = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)pg), "/Resources");
        qpdf_oh fonts = qpdf_oh_get_key(q, res, "/Font");
        if (!qpdf_oh_is_dictionary(q, fonts))
            continue;
        qpdf_oh fl[PACK_MAX_PAGE_FONTS];
        int nf = 0;
        qpdf_oh_begin_dict_key_iter(q, fonts);
        while (qpdf_oh_dict_more_keys(q) && nf < PACK_MAX_PAGE_FONTS)
            fl[nf++] = qpdf_oh_get_key(q, fonts, qpdf_oh_dict_next_key(q));
        for (int i = 0; i < nf; i++) {
            if (!qpdf_oh_has_key(q, fl[i], "/DGFont"))
                continue;
            int k = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, fl[i], "/DGFont"));
            qpdf_oh_remove_key(q, fl[i], "/DGFont");
            if (k < 0 || (size_t)k >= c->npf || !c->pf[k].z)
                continue;
            qpdf_oh cid =
                qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, fl[i], "/DescendantFonts"), 0);
            qpdf_oh fd = qpdf_oh_get_key(q, cid, "/FontDescriptor");
            if (!qpdf_oh_is_dictionary(q, fd))
                continue;
            qpdf_oh ff = qpdf_oh_new_stream(q);
            qpdf_oh_replace_stream_data(q, ff, c->pf[k].z, c->pf[k].zlen,
                                        qpdf_oh_new_name(q, "/FlateDecode"), qpdf_oh_new_null(q));
            qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, ff), "/Length1",
                                qpdf_oh_new_integer(q, (long long)c->pf[k].embed_len));
            qpdf_oh_replace_key(q, fd, "/FontFile2", ff);
            if (!c->pf[k].mapz)
                continue;
            qpdf_oh map = qpdf_oh_new_stream(q);
            qpdf_oh_replace_stream_data(
                q, map, c->pf[k].mapz, c->pf[k].mapz_len, qpdf_oh_new_name(q, "/FlateDecode"),
                qpdf_oh_parse(q,
                              "<< /Predictor 11 /Colors 2 /BitsPerComponent 8 /Columns 65536 >>"));
            qpdf_oh_replace_key(q, cid, "/CIDToGIDMap", map);
            c->pf[k].placed = true;
        }
    }
    for (size_t k = 0; k < c->npf; k++)
        if (!c->pf[k].placed)
            return -1;
    return 0;
}

/* Streams deflated here rather than by qpdf: at most this large (a page's
 * text, a 128 KiB CIDToGIDMap, a decoded image fit). */
#define PACK_MAX_STREAM (64u << 20)
/* Streams up to this size (pages, ToUnicode maps) are deflated at level 9;
 * larger ones (the mostly-zero CIDToGIDMaps, images) at 6, which is ten
 * times faster there and as small within 1 %. */
#define PACK_SMALL_STREAM (64u << 10)

/* Rewrites the hexadecimal strings libharu writes for CID fonts in a page's
 * content (<4E2D6587> Tj) as literal strings ((N-e\x87) Tj): half the
 * bytes, and about 4 % less once deflated.  A content stream from draw_page
 * holds no dictionaries or inline images, so '<' always opens a string;
 * literal strings already there are copied as they are. */
static void literal_strings(const unsigned char *in, size_t n, dg_buf *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char ch = in[i];
        if (ch == '(') { /* a literal string: copy through its end */
            size_t j = i + 1;
            int depth = 1;
            while (j < n && depth > 0) {
                if (in[j] == '\\')
                    j++;
                else if (in[j] == '(')
                    depth++;
                else if (in[j] == ')')
                    depth--;
                j++;
            }
            dg_buf_put(out, in + i, j - i);
            i = j;
            continue;
        }
        if (ch == '<' && i + 1 < n && in[i + 1] == '<') { /* never written here: kept */
            dg_buf_put(out, in + i, 2);
            i += 2;
            continue;
        }
        if (ch != '<') { /* operators and numbers, up to the next string */
            size_t j = i + 1;
            while (j < n && in[j] != '(' && in[j] != '<')
                j++;
            dg_buf_put(out, in + i, j - i);
            i = j;
            continue;
        }
        size_t j = i + 1;
        while (j < n && in[j] != '>')
            j++;
        if (j >= n || (j - i - 1) % 2 != 0) { /* malformed: leave it */
            dg_buf_put(out, in + i, n - i);
            return;
        }
        bool hex = true;
        for (size_t k = i + 1; k < j && hex; k++)
            hex = dg_hexval(in[k]) >= 0;
        if (!hex) {
            dg_buf_put(out, in + i, j + 1 - i);
            i = j + 1;
            continue;
        }
        dg_buf_putc(out, '(');
        for (size_t k = i + 1; k < j; k += 2) {
            char b = (char)(dg_hexval(in[k]) << 4 | dg_hexval(in[k + 1]));
            if (b == '(' || b == ')' || b == '\\')
                dg_buf_putc(out, '\\');
            if (b == '\r') /* a bare CR would be read as an end of line */
                dg_buf_puts(out, "\\r");
            else
                dg_buf_putc(out, b);
        }
        dg_buf_putc(out, ')');
        i = j + 1;
    }
}

/* libharu makes every link destination an object of its own ([page /XYZ x
 * y null], one per link and bookmark); written into the link or bookmark
 * instead (dictionary OH), each saves its object number, offset and
 * cross-reference entry.  /ProcSet, obsolete since PDF 1.4, goes from the
 * pages too. */
static void inline_dest(qpdf_data q, qpdf_oh oh)
{
    if (qpdf_oh_has_key(q, oh, "/Resources")) {
        qpdf_oh res = qpdf_oh_get_key(q, oh, "/Resources");
        if (qpdf_oh_is_dictionary(q, res) && !qpdf_oh_is_indirect(q, res))
            qpdf_oh_remove_key(q, res, "/ProcSet");
    }
    if (!qpdf_oh_has_key(q, oh, "/Dest"))
        return;
    qpdf_oh dst = qpdf_oh_get_key(q, oh, "/Dest");
    if (!qpdf_oh_is_indirect(q, dst) || !qpdf_oh_is_array(q, dst))
        return;
    qpdf_oh copy = qpdf_oh_new_array(q);
    int n = qpdf_oh_get_array_n_items(q, dst);
    for (int i = 0; i < n; i++)
        qpdf_oh_append_item(q, copy, qpdf_oh_get_array_item(q, dst, i));
    qpdf_oh_replace_key(q, oh, "/Dest", copy);
}

/* One pass over the document libharu wrote, while the font threads still
 * run: every stream it wrote plain (it compresses none: see dg_pdf_write) is
 * deflated, and every dictionary gets its destination inline. */
static void prepare_objects(qpdf_data q)
{
    struct libdeflate_compressor *small = libdeflate_alloc_compressor(9);
    struct libdeflate_compressor *large = libdeflate_alloc_compressor(6);
    if (!small || !large) {
        libdeflate_free_compressor(small);
        libdeflate_free_compressor(large);
        return; /* qpdf compresses them */
    }
    /* the object numbers of page contents, for literal_strings */
    int npages = qpdf_get_num_pages(q);
    int *contents = calloc(npages > 0 ? (size_t)npages : 1, sizeof *contents);
    for (int pg = 0; contents && pg < npages; pg++)
        contents[pg] = qpdf_oh_get_object_id(
            q, qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)pg), "/Contents"));
    dg_buf lit = {0};
    long long size = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size"));
    for (long long id = 1; id < size && id < INT32_MAX; id++) {
        qpdf_oh oh = qpdf_get_object_by_id(q, (int)id, 0);
        if (qpdf_oh_is_dictionary(q, oh)) {
            inline_dest(q, oh);
            continue;
        }
        if (!qpdf_oh_is_stream(q, oh) || qpdf_oh_has_key(q, qpdf_oh_get_dict(q, oh), "/Filter"))
            continue;
        unsigned char *raw = NULL, *z = NULL;
        size_t len = 0, zlen = 0;
        QPDF_BOOL filtered = QPDF_FALSE;
        if (qpdf_oh_get_stream_data(q, oh, qpdf_dl_none, &filtered, &raw, &len) != QPDF_SUCCESS)
            continue;
        for (int pg = 0; contents && pg < npages; pg++) {
            if (contents[pg] != (int)id)
                continue;
            lit.len = 0;
            literal_strings(raw, len, &lit);
            if (lit.len <= len) {
                memcpy(raw, lit.data, lit.len);
                len = lit.len;
            }
            break;
        }
        if (len <= PACK_MAX_STREAM &&
            zdeflate(len <= PACK_SMALL_STREAM ? small : large, raw, len, &z, &zlen) == 0)
            qpdf_oh_replace_stream_data(q, oh, z, zlen, qpdf_oh_new_name(q, "/FlateDecode"),
                                        qpdf_oh_new_null(q));
        free(raw);
        free(z);
    }
    libdeflate_free_compressor(small);
    libdeflate_free_compressor(large);
    dg_buf_free(&lit);
    free(contents);
}

/* Puts the pixels image_worker deflated into the placeholders asset_image
 * marked (and an SMask for those with transparency). */
static void put_images(pdf_ctx *c, qpdf_data q)
{
    long long size = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size"));
    for (long long id = 1; id < size && id < INT32_MAX; id++) {
        qpdf_oh oh = qpdf_get_object_by_id(q, (int)id, 0);
        if (!qpdf_oh_is_stream(q, oh))
            continue;
        qpdf_oh dict = qpdf_oh_get_dict(q, oh);
        if (!qpdf_oh_has_key(q, dict, "/DGImage"))
            continue;
        int k = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/DGImage"));
        qpdf_oh_remove_key(q, dict, "/DGImage");
        if (k < 0 || (size_t)k >= c->npimgs)
            continue;
        const pdf_image *pi = &c->pimgs[k];
        if (pi->failed) {
            dg_report_file(c->d, DG_WARNING, pi->as->key, "libpng cannot decode this image; it is left out of the PDF");
            continue;
        }
        qpdf_oh_replace_stream_data(q, oh, pi->z, pi->zlen, qpdf_oh_new_name(q, "/FlateDecode"),
                                    qpdf_oh_new_null(q));
        qpdf_oh_replace_key(q, dict, "/Width", qpdf_oh_new_integer(q, pi->width));
        qpdf_oh_replace_key(q, dict, "/Height", qpdf_oh_new_integer(q, pi->height));
        if (!pi->az)
            continue;
        qpdf_oh mask = qpdf_oh_new_stream(q);
        qpdf_oh md = qpdf_oh_get_dict(q, mask);
        qpdf_oh_replace_key(q, md, "/Type", qpdf_oh_new_name(q, "/XObject"));
        qpdf_oh_replace_key(q, md, "/Subtype", qpdf_oh_new_name(q, "/Image"));
        qpdf_oh_replace_key(q, md, "/Width", qpdf_oh_new_integer(q, pi->width));
        qpdf_oh_replace_key(q, md, "/Height", qpdf_oh_new_integer(q, pi->height));
        qpdf_oh_replace_key(q, md, "/ColorSpace", qpdf_oh_new_name(q, "/DeviceGray"));
        qpdf_oh_replace_key(q, md, "/BitsPerComponent", qpdf_oh_new_integer(q, 8));
        qpdf_oh_replace_stream_data(q, mask, pi->az, pi->azlen, qpdf_oh_new_name(q, "/FlateDecode"),
                                    qpdf_oh_new_null(q));
        qpdf_oh_replace_key(q, dict, "/SMask", mask);
    }
}

static int pack_pdf(pdf_ctx *c, const unsigned char *in, size_t n, dg_buf *out)
{
    int rc = -1;
    const char *path = c->path;
    dg_diag *d = c->d;
    qpdf_data q = qpdf_init();
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read_memory(q, path, (const char *)in, (unsigned long long)n, NULL) & QPDF_ERRORS)
        goto out;
    prepare_objects(q);
    join_fonts(c);
    if (put_fonts(c, q) != 0) {
        dg_report_file(d, DG_ERROR, path, "a subset font could not be embedded");
        goto out;
    }
    join_images(c);
    put_images(c, q);
    if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        goto out;
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    qpdf_set_stream_data_mode(q, qpdf_s_compress);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    qpdf_set_decode_level(q, qpdf_dl_none);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto out;
    dg_buf_put(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    rc = 0;
out:
    if (rc != 0 && qpdf_has_error(q))
        dg_report_file(d, DG_ERROR, path, "qpdf could not write the PDF (%s)",
                  qpdf_get_error_full_text(q, qpdf_get_error(q)));
    qpdf_cleanup(&q);
    return rc;
}

int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d)
{
    int rc = -1;
    pdf_ctx c = {0};
    c.book = book;
    c.fonts = fonts;
    c.d = d;
    c.path = path;
    c.a = dg_arena_new();
    dg_pdf_opts o = opts ? *opts : (dg_pdf_opts){.link_notes = -1};

    if (dg_layout_book(&c.lay, book, fonts, &o, c.a, d) != 0)
        goto out;
    c.nfonts = dg_fonts_count(fonts);
    c.font_map = dg_allocn(c.a, c.nfonts + 1, sizeof *c.font_map);
    for (size_t i = 0; i < c.nfonts; i++)
        c.font_map[i] = -1;
    c.pf = dg_allocn(c.a, c.nfonts + 1, sizeof *c.pf);

    c.pdf = HPDF_New(on_hpdf_error, &c);
    if (!c.pdf) {
        dg_report_file(d, DG_ERROR, path, "libharu could not start a document");
        goto out;
    }
    /* No compression here: libharu writes /Filter as an array, which qpdf
     * does not pass through, so it inflated and deflated every stream again
     * (a quarter of the run).  qpdf (pack_pdf) compresses each stream once. */
    HPDF_SetCompressionMode(c.pdf, HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(c.pdf);
    HPDF_SetCurrentEncoder(c.pdf, "UTF-8");
    start_images(&c);
    if (failed(&c, "to set up UTF-8 text") || load_fonts(&c) != 0)
        goto out;

    c.pages = dg_allocn(c.a, c.lay->npages + 1, sizeof *c.pages);
    for (size_t i = 0; i < c.lay->npages; i++) {
        c.pages[i] = HPDF_AddPage(c.pdf);
        HPDF_Page_SetWidth(c.pages[i], (HPDF_REAL)c.lay->page_w);
        HPDF_Page_SetHeight(c.pages[i], (HPDF_REAL)c.lay->page_h);
    }
    if (failed(&c, "to add pages"))
        goto out;
    for (size_t i = 0; i < c.lay->npages; i++)
        draw_page(&c, i);
    if (failed(&c, "to draw a page"))
        goto out;
    for (size_t i = 0; i < c.lay->npages; i++)
        add_links(&c, i);
    add_outline(&c);
    HPDF_SetPageMode(c.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    add_info(&c);
    if (failed(&c, "to add links, outline or document info"))
        goto out;

    if (HPDF_SaveToStream(c.pdf) != HPDF_OK || failed(&c, "to write the document"))
        goto out;
    HPDF_UINT32 size = HPDF_GetStreamSize(c.pdf);
    unsigned char *data = malloc(size ? size : 1);
    if (!data)
        abort();
    HPDF_UINT32 got = size;
    HPDF_ResetStream(c.pdf);
    if (HPDF_ReadFromStream(c.pdf, data, &got) != HPDF_OK && got != size) {
        /* HPDF_ReadFromStream returns HPDF_STREAM_EOF at the end */
    }
    if (got != size) {
        free(data);
        dg_report_file(d, DG_ERROR, path, "libharu returned a short document");
        goto out;
    }
    c.err = 0;
    dg_buf packed = {0};
    int packed_rc = pack_pdf(&c, data, size, &packed);
    free(data);
    if (packed_rc != 0) {
        dg_buf_free(&packed);
        goto out;
    }
    size = (HPDF_UINT32)packed.len;
    data = (unsigned char *)packed.data;
    if (dg_write_file_atomic(path, data, size) != 0) {
        dg_report_file(d, DG_ERROR, path, "cannot write the PDF: %s", strerror(errno));
        free(data);
        goto out;
    }
    free(data);
    rc = 0;
out:
    join_fonts(&c);
    join_images(&c);
    for (size_t i = 0; i < c.npimgs; i++) {
        free(c.pimgs[i].z);
        free(c.pimgs[i].az);
    }
    for (size_t i = 0; i < c.npf; i++) {
        if (c.pf[i].tmp)
            unlink(c.pf[i].tmp);
        free(c.pf[i].embed);
        free(c.pf[i].z);
        free(c.pf[i].map);
        free(c.pf[i].mapz);
        free(c.pf[i].gids);
    }
    if (c.pdf)
        HPDF_Free(c.pdf);
    if (c.ft)
        FT_Done_FreeType(c.ft);
    dg_vec_free(&c.deferred);
    dg_vec_free(&c.anchors);
    dg_vec_free(&c.anchor_pages);
    dg_arena_free(c.a);
    return rc;
}
