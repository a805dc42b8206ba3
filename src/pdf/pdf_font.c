/* pdf_font.c - the fonts of the PDF writer (pdf_impl.h): every face the
 * layout uses is cut down with HarfBuzz's hb-subset to the code points of
 * this digest, put in an anonymous memory file (memfd_create; libharu loads
 * fonts only from files, and reads it as /proc/self/fd/N; a temporary file
 * next to the output where that is not possible) and loaded by libharu in its UTF-8 mode, whose
 * content-stream codes are UTF-16 code units.  The copy embedded (TrueType
 * tables without cmap) and its CIDToGIDMap are built here and deflated on
 * threads of their own; pdf_pack.c puts them in.  libharu 2.3's ToUnicode
 * stream is malformed (begincidrange), so it is rewritten with bfrange rows
 * that map each code unit to itself.  Characters beyond the BMP cannot be
 * encoded in that mode: pdf_image.c draws them as glyph images.
 */
/* memfd_create(2) is a GNU extension of glibc (2.27+) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <libdeflate.h>

#include "base/deflate.h"
#include "pdf/pdf_impl.h"

/* ---- which glyphs -------------------------------------------------------- */

bool pdf_drawn_as_image(pdf_ctx *c, int font, uint32_t cp)
{
    const dg_font *f = font >= 0 ? dg_fonts_get(c->fonts, font) : NULL;
    return f && (cp > 0xFFFF || f->color);
}

static void mark_used(pdf_ctx *c, int font, uint32_t cp)
{
    if (font < 0 || (size_t)font >= c->nfonts || pdf_drawn_as_image(c, font, cp))
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

void pdf_note_glyphs(pdf_ctx *c, const dg_lpage *pg)
{
    if (!c->font_map) {
        c->nfonts = dg_fonts_count(c->fonts);
        c->font_map = dg_allocn(c->a, c->nfonts + 1, sizeof *c->font_map);
        for (size_t i = 0; i < c->nfonts; i++)
            c->font_map[i] = -1;
        c->pf = dg_allocn(c->a, c->nfonts + 1, sizeof *c->pf);
    }
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_TEXT)
            continue;
        for (size_t g = 0; g < it->line->n; g++)
            mark_used(c, it->line->glyphs[g].font, it->line->glyphs[g].cp);
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
    if (zc && dg_deflate(zc, DG_DEFLATE_ZLIB, p->embed, p->embed_len, &p->z, &p->zlen) != 0)
        p->z = NULL;
    libdeflate_free_compressor(zc);
    /* the CIDToGIDMap, long runs of zeros: level 6 is 7 times faster than 9
     * there, for 10 % more (about 200 bytes) */
    zc = p->map ? libdeflate_alloc_compressor(6) : NULL;
    if (zc && dg_deflate(zc, DG_DEFLATE_ZLIB, p->map, p->map_len, &p->mapz, &p->mapz_len) != 0)
        p->mapz = NULL;
    libdeflate_free_compressor(zc);
    return NULL;
}

/* Writes SUB's embedded tables as a TrueType file into P->embed (NULL when
 * out of memory: pdf_pack then reports the font). */
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

HPDF_Font pdf_hfont_of(pdf_ctx *c, int font)
{
    if (font < 0 || (size_t)font >= c->nfonts || c->font_map[font] < 0)
        return NULL;
    return c->pf[c->font_map[font]].hfont;
}

HPDF_Font pdf_any_hfont(pdf_ctx *c)
{
    for (size_t k = 0; k < c->npf; k++)
        if (c->pf[k].hfont)
            return c->pf[k].hfont;
    return NULL;
}

void pdf_join_fonts(pdf_ctx *c)
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

/* A file for the subset of P, which libharu can open by P->tmp: a memfd
 * when the kernel has them (nothing on disk, nothing left by a killed
 * build), else TMPL made with mkstemp.  0, or -1 with errno. */
static int subset_file(pdf_font *p, char *tmpl)
{
    int fd = memfd_create("digest-font-subset", MFD_CLOEXEC);
    if (fd >= 0) {
        snprintf(p->fd_path, sizeof p->fd_path, "/proc/self/fd/%d", fd);
        if (access(p->fd_path, R_OK) == 0) { /* /proc is mounted */
            p->fd = fd;
            p->has_fd = true;
            p->tmp = p->fd_path;
            return 0;
        }
        close(fd);
    }
    fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    p->fd = fd;
    p->has_fd = true;
    p->tmp = tmpl;
    p->tmp_on_disk = true;
    return 0;
}

/* Subsets face P to its used code points into a file (subset_file; P->tmp
 * holds a mkstemp template for the fallback) and P->embed.  Runs on a
 * thread of its own: no arena, no reports (P->fail says what went wrong). */
static void *subset_font(void *arg)
{
    pdf_font *p = arg;
    hb_blob_t *blob = NULL, *out_blob = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
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
    if (subset_file(p, tmpl) != 0) {
        p->fail_errno = errno;
        goto out;
    }
    p->fail = SUB_TMP_WRITE;
    if (dg_write_all(p->fd, data, len) != 0) {
        p->fail_errno = errno;
        goto out;
    }
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

/* Reports what went wrong in subset_font: 0 when nothing did, else -1. */
static int subset_outcome(pdf_ctx *c, const pdf_font *p)
{
    switch (p->fail) {
    case SUB_OK: return 0;
    case SUB_READ:
        dg_report_file(c->d, DG_ERROR, p->font->path, "cannot read the font file");
        break;
    case SUB_SUBSET:
        dg_report_file(c->d, DG_ERROR, p->font->path, "HarfBuzz could not subset the font");
        break;
    case SUB_TMP_CREATE:
        dg_report_file(c->d, DG_ERROR, dg_path_dirname(c->a, c->path),
                       "cannot create a temporary file for a subset of %s: %s", p->font->path,
                       strerror(p->fail_errno));
        break;
    case SUB_TMP_WRITE:
        dg_report_file(c->d, DG_ERROR, p->tmp_on_disk ? p->tmp : c->path,
                       "cannot write a subset of %s%s: %s", p->font->path,
                       p->tmp_on_disk ? "" : " to memory", strerror(p->fail_errno));
        break;
    }
    return -1;
}

/* Loads subset N (subset_font done) into libharu and starts deflating the
 * copy to embed.  0, or -1 after reporting. */
static int load_font(pdf_ctx *c, pdf_font *p, int n)
{
    int rc = -1;
    if (subset_outcome(c, p) != 0)
        goto out;
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, p->tmp, HPDF_TRUE);
    if (!name) {
        if (!pdf_failed(c, "to load a subset font"))
            dg_report_file(c->d, DG_ERROR, p->font->path,
                           "libharu could not load this font (a TrueType font with glyf outlines "
                           "is needed, e.g. LXGW WenKai)");
        goto out;
    }
    HPDF_FontDef def = HPDF_GetFontDef(c->pdf, name);
    fast_cmap(def, p->gids);
    /* The font and its CIDToGIDMap go in through pdf_pack, not libharu:
     * loaded as embedded (for the subset tag in its name), but from here on
     * libharu need not read each used glyph back from the file (two system
     * calls a glyph, to look for composite glyphs), nor make a map or copy. */
    if (def && def->attr)
        ((HPDF_TTFontDefAttr)def->attr)->embedding = HPDF_FALSE;
    p->hfont = HPDF_GetFont(c->pdf, name, "UTF-8");
    if (!p->hfont) {
        if (!pdf_failed(c, "to open a font"))
            dg_report_file(c->d, DG_ERROR, p->font->path,
                           "libharu could not open this font in UTF-8 mode");
        goto out;
    }
    drop_cmap(HPDF_GetFontDef(c->pdf, name));
    /* marks the font dictionary for pdf_pack, which takes the mark out */
    HPDF_Dict_AddNumber((HPDF_Dict)p->hfont, "DGFont", n);
    p->def = HPDF_GetFontDef(c->pdf, name);
    if (p->embed) {
        if (pthread_create(&p->th, NULL, deflate_font, p) == 0)
            p->th_started = true;
        else
            deflate_font(p);
    }
    rc = 0;
out:
    return rc;
}

/* The ToUnicode CMap of PF into B.  Codes are UTF-16 code units, so the
 * identity map in bfrange rows is exact. */
static void tounicode_cmap(const pdf_font *pf, dg_buf *b)
{
    dg_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
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
        dg_buf_printf(b, "%d beginbfrange\n", n);
        for (int k = i; k < i + n; k++)
            dg_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", rows[k], rows[k], rows[k]);
        dg_buf_puts(b, "endbfrange\n");
    }
    dg_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* libharu's ToUnicode uses begincidrange, which is no ToUnicode syntax: it is
 * replaced by tounicode_cmap's.  0, or -1 after reporting. */
static int fix_tounicode(pdf_ctx *c, const pdf_font *pf)
{
    int rc = -1;
    dg_buf b = {0};
    HPDF_STATUS st = HPDF_OK;
    HPDF_Dict tu = HPDF_Dict_GetItem((HPDF_Dict)pf->hfont, "ToUnicode", HPDF_OCLASS_DICT);
    if (tu && tu->stream) {
        HPDF_MemStream_FreeData(tu->stream);
        tounicode_cmap(pf, &b);
        st = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    }
    if (pdf_failed(c, "to write a ToUnicode map"))
        goto out;
    if (st != HPDF_OK) {
        dg_report_file(c->d, DG_ERROR, c->path, "libharu could not write a ToUnicode map");
        goto out;
    }
    rc = 0;
out:
    dg_buf_free(&b);
    return rc;
}

/* Fonts are subset on threads of their own (HarfBuzz, one face each), then
 * loaded into libharu one after the other, which is not thread-safe. */
int pdf_load_fonts(pdf_ctx *c)
{
    int rc = 0;
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
        if (rc == 0 && (load_font(c, p, (int)i) != 0 || fix_tounicode(c, p) != 0))
            rc = -1;
    }
    return rc;
}

void pdf_free_fonts(pdf_ctx *c)
{
    pdf_join_fonts(c);
    for (size_t i = 0; i < c->npf; i++) {
        if (c->pf[i].tmp_on_disk)
            unlink(c->pf[i].tmp);
        if (c->pf[i].has_fd)
            close(c->pf[i].fd);
        free(c->pf[i].embed);
        free(c->pf[i].z);
        free(c->pf[i].map);
        free(c->pf[i].mapz);
        free(c->pf[i].gids);
    }
}
