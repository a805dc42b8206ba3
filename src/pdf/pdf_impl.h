/* pdf_impl.h - the state the PDF writer's files share while one PDF is
 * written: pdf.c (entry point, links, outline, document info), pdf_font.c
 * (subsetting and embedding), pdf_image.c (PNG threads, glyph images),
 * pdf_draw.c (page content), pdf_pagemap.c (where the pages begin in the
 * content trees) and pdf_pack.c (the qpdf pass).  Private to
 * those files.
 *
 * Order of work (dg_pdf_write): the layout's first pass shows every page
 * (pdf_note_glyphs, pdf_note_images); pdf_start_images and pdf_load_fonts
 * start their threads; the second pass hands the pages over as they are
 * drawn; libharu writes the document, and pdf_pack joins the threads and
 * puts their output in.
 */
#ifndef DIGEST_PDF_IMPL_H
#define DIGEST_PDF_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hpdf.h>

#include "base/base.h"
#include "base/fs.h"
#include "content/book.h"
#include "content/pagemap.h"
#include "digest/diag.h"
#include "pdf/fonts.h"
#include "pdf/layout.h"

/* One face file of the layout, subset and embedded (pdf_font.c). */
typedef struct pdf_font {
    const char *key; /* path + index: one libharu font per face file */
    const dg_font *font;
    unsigned char *used; /* bitmap of BMP code points */
    HPDF_Font hfont;
    /* The subset as libharu reads it: "/proc/self/fd/N" of a memfd (never on
     * disk), else a temporary file next to the output, deleted at the end
     * (TMP_ON_DISK); a later build removes one left by a killed build. */
    const char *tmp;
    char fd_path[32];
    int fd; /* the memfd or the temporary file, open until the end */
    bool has_fd, tmp_on_disk;
    /* The font as embedded (embed_font): built from the subset and deflated
     * on a thread of its own while the pages are drawn; pdf_pack puts it in
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
    bool placed; /* pdf_pack has put it in */
    HPDF_FontDef def;
    /* subset_font's outcome, on a thread of its own */
    enum { SUB_OK = 0, SUB_READ, SUB_SUBSET, SUB_TMP_CREATE, SUB_TMP_WRITE } fail;
    int fail_errno;
} pdf_font;

/* Laid-out pages kept between the layout's two passes (layout.h): a
 * month's book, a few MiB, is laid out once; a volume's chapters beyond
 * this are freed after the first pass and laid out again as they are drawn,
 * so that the layout's memory stays at this much plus one chapter however
 * large the volume, for the cost of laying those chapters out twice. */
#define DG_PDF_LAYOUT_KEEP ((size_t)48 << 20)

/* Threads that decode and deflate the PNGs of one PDF (more than the cores
 * gain nothing; screenshot-heavy months spend most of their time there). */
#define PDF_IMAGE_THREADS 4

/* A PNG of the book: libharu draws a 1x1 placeholder; a thread of its own
 * decodes and deflates the pixels (one image at a time, so memory stays at
 * one image's worth), and pdf_pack puts them into the placeholder's object. */
typedef struct pdf_image {
    const dg_asset *as; /* valid while the layout is (the cover image's is in its arena) */
    const char *key;    /* the asset's key, in the writer's arena: for pdf_pack's warning */
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

/* A glyph drawn as an image (beyond the BMP, or of a colour font). */
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
    const dg_layout *lay; /* page size, pages, outline (dg_layout_run_layout) */
    dg_arena *a;
    dg_diag *d;
    const char *path;
    HPDF_Doc pdf;
    unsigned long err, err_detail; /* libharu's first error since the last check */
    pdf_font *pf;                  /* one per face file */
    size_t npf;
    int *font_map; /* dg_fonts id -> index in pf, -1 unused */
    size_t nfonts;
    HPDF_Page *pages;
    glyph_img *gimgs;
    size_t ngimgs, capgimgs;
    drawn_img *imgs; /* the images drawn so far, by asset */
    size_t nimgs, capimgs;
    pdf_image *pimgs; /* the PNGs, in order of first use */
    size_t npimgs, cappimgs;
    atomic_size_t img_next; /* the next PNG an image_worker takes */
    pthread_t img_th[PDF_IMAGE_THREADS];
    int img_threads; /* started */
    FT_Library ft;
    FT_Face *gfaces; /* by dg_fonts id: the faces of glyph images, opened once (pdf_image.c) */
    size_t ngfaces;
    HPDF_ExtGState clear; /* alpha 0: stand-ins under glyph images */
    dg_vec deferred;      /* glyph images of the page being drawn (deferred_img*) */
    const dg_map *anchor_at; /* anchor id -> dg_anchor_at (layout.h), in the layout's arena */
    /* Drawn pages' content, parked in a scratch file until libharu writes
     * the document (pdf_park_page) */
    dg_scratch park;
    uint64_t park_end;
    int park_errno; /* the first write that failed */
    /* The caller's page map, filled as the pages are drawn (NULL: none) */
    dg_page_map *map;
    /* Where pdf_pagemap.c traced the last page to: pages come in order, so
     * the next one in the same text starts from here (a 16 MiB paragraph's
     * 4,500 pages each counted from the text's start took a minute) */
    struct pagemap_cursor {
        const xmlNode *node; /* running text: its node, its collapsed text */
        const char *text;
        size_t toff, tcount; /* bytes of TEXT passed, and of them not spaces */
        size_t sidx, scount; /* the same in the node's content */
        const xmlNode *root; /* verbatim: the element, the text node reached */
        const xmlNode *vnode;
        size_t vbase, vlen; /* bytes of the element's text before VNODE; VNODE's */
    } pm;
} pdf_ctx;

/* ---- pdf.c */

/* The document's XMP metadata packet (the Info's title, author, subject and
 * keywords, and the book's publisher, source and series), *LEN bytes. */
const char *pdf_xmp(pdf_ctx *c, size_t *len);

/* true, after reporting, when libharu has failed since the last check; WHAT
 * completes "libharu failed ...". */
bool pdf_failed(pdf_ctx *c, const char *what);

/* ---- pdf_font.c */

/* A colour (bitmap) font cannot be embedded as TrueType: its characters are
 * drawn as images, like those beyond the BMP. */
bool pdf_drawn_as_image(pdf_ctx *c, int font, uint32_t cp);
/* Notes the glyphs page PG draws (before pdf_load_fonts). */
void pdf_note_glyphs(pdf_ctx *c, const dg_lpage *pg);
/* Subsets every face the layout uses (a thread each), loads the subsets into
 * libharu and starts deflating the copies to embed.  0, or -1 after
 * reporting. */
int pdf_load_fonts(pdf_ctx *c);
/* The libharu font of dg_fonts id FONT (NULL: none loaded). */
HPDF_Font pdf_hfont_of(pdf_ctx *c, int font);
/* The first font loaded, or NULL. */
HPDF_Font pdf_any_hfont(pdf_ctx *c);
/* Waits for the deflating threads. */
void pdf_join_fonts(pdf_ctx *c);
/* Joins the threads, deletes the subset files, frees what is malloc'd. */
void pdf_free_fonts(pdf_ctx *c);

/* ---- pdf_image.c */

/* Notes the PNGs page PG draws (before pdf_start_images). */
void pdf_note_images(pdf_ctx *c, const dg_lpage *pg);
/* Starts decoding the PNGs noted on threads. */
void pdf_start_images(pdf_ctx *c);
/* Waits for the decoding threads. */
void pdf_join_images(pdf_ctx *c);
/* Joins the threads and frees the decoded pixels. */
void pdf_free_images(pdf_ctx *c);
/* The image object of AS (a placeholder for a PNG), or NULL after a warning. */
HPDF_Image pdf_asset_image(pdf_ctx *c, const dg_asset *as);
/* The image of glyph CP of FONT at SIZE (img NULL when it cannot be drawn). */
glyph_img *pdf_glyph_image(pdf_ctx *c, int font, uint32_t cp, double size);

/* ---- pdf_draw.c */

/* Draws the items of layout page PG on c->pages[PI] (anchors and links are
 * pdf.c's, through c->anchor_at). */
void pdf_draw_page(pdf_ctx *c, size_t pi, const dg_lpage *pg);
/* Moves the content of drawn page PI out of memory into the scratch file
 * c->park, from which libharu reads it when it writes the document: a
 * thousand-page volume's content is not held in memory until then.
 * Nothing more may be drawn on the page.  0, or -1 (c->park_errno set). */
int pdf_park_page(pdf_ctx *c, size_t pi);

/* ---- pdf_pagemap.c */

/* Adds page PI, PG, just drawn, to c->map (when there is one): where the
 * page begins in the content tree, for a body page. */
void pdf_pagemap_add(pdf_ctx *c, size_t pi, const dg_lpage *pg);

/* ---- pdf_pack.c */

/* Rewrites libharu's document, the file DOC, through qpdf into c->path
 * (written atomically), with the fonts and images of the threads put in.
 * 0, or -1 after reporting (and c->path untouched). */
int pdf_pack(pdf_ctx *c, const char *doc);

#endif
