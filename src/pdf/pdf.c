/* pdf.c - the PDF writer's entry point: lays the book out (layout.h), draws
 * the pages with libharu (pdf_draw.c) in the fonts of pdf_font.c and the
 * images of pdf_image.c, adds links, outline and document info, and packs
 * the document with qpdf (pdf_pack.c) before writing it.  Output is
 * deterministic: no clock, no random /ID.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "pdf/pdf.h"
#include "pdf/pdf_impl.h"

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_ctx *c = user;
    if (!c->err) {
        c->err = error_no;
        c->err_detail = detail_no;
    }
}

bool pdf_failed(pdf_ctx *c, const char *what)
{
    if (!c->err)
        return false;
    dg_report_file(c->d, DG_ERROR, c->path, "libharu failed %s (error 0x%04lX, detail %lu)", what,
                   c->err, c->err_detail);
    return true;
}

/* ---- links, outline, info --------------------------------------------------- */

static HPDF_Destination dest_for(pdf_ctx *c, const char *id)
{
    void *v;
    if (!dg_map_get(c->anchor_at, id, &v))
        return NULL;
    const dg_anchor_at *at = v;
    HPDF_Page page = c->pages[at->page];
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    double top = c->lay->page_h - at->y + 4;
    if (top > c->lay->page_h)
        top = c->lay->page_h;
    /* [page /XYZ left top null]: libharu refuses a null zoom (keep the
     * reader's zoom), so the array is written by hand. */
    HPDF_Array arr = (HPDF_Array)dst;
    HPDF_Array_Clear(arr);
    HPDF_Array_Add(arr, page);
    HPDF_Array_Add(arr, HPDF_Name_New(c->pdf->mmgr, "XYZ"));
    HPDF_Array_Add(arr, HPDF_Real_New(c->pdf->mmgr, 0));
    HPDF_Array_Add(arr, HPDF_Real_New(c->pdf->mmgr, (HPDF_REAL)ceil(top)));
    HPDF_Array_Add(arr, HPDF_Null_New(c->pdf->mmgr));
    return dst;
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

static void add_links(pdf_ctx *c, size_t pi, const dg_lpage *pg)
{
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

/* The subjects as one "a, b, c" string (NULL when there are none). */
static const char *keywords(pdf_ctx *c)
{
    const dg_book *b = c->book;
    if (!b->nsubjects)
        return NULL;
    dg_buf kw = {0};
    for (size_t i = 0; i < b->nsubjects; i++) {
        if (i)
            dg_buf_puts(&kw, ", ");
        dg_buf_puts(&kw, b->subjects[i]);
    }
    return dg_buf_to_arena(&kw, c->a);
}

static void add_info(pdf_ctx *c)
{
    const dg_book *b = c->book;
    set_info(c, HPDF_INFO_TITLE, "Title", b->title);
    set_info(c, HPDF_INFO_AUTHOR, "Author", b->author);
    set_info(c, HPDF_INFO_SUBJECT, "Subject", b->description ? b->description : b->month_label);
    set_info(c, HPDF_INFO_CREATOR, "Creator", "digest " DIGEST_VERSION);
    set_info(c, HPDF_INFO_KEYWORDS, "Keywords", keywords(c));
    HPDF_Date dt;
    info_date(&dt, b->modified);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, dt);
}

/* ------------------------------------------------------------------ */
/* XMP                                                                 */

static void xml_text(dg_buf *b, const char *s)
{
    if (s)
        dg_buf_put_xml(b, s, strlen(s));
}

/* <TAG><rdf:KIND><rdf:li [xml:lang="x-default"]>VALUE</rdf:li>...</TAG>, for
 * the N values of V; nothing when there are none. */
static void xmp_list(dg_buf *b, const char *tag, const char *kind, const char *const *v, size_t n,
                     bool lang)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i] || !*v[i])
            continue;
        if (!k++)
            dg_buf_printf(b, "   <%s><rdf:%s>", tag, kind);
        dg_buf_printf(b, "<rdf:li%s>", lang ? " xml:lang=\"x-default\"" : "");
        xml_text(b, v[i]);
        dg_buf_puts(b, "</rdf:li>");
    }
    if (k)
        dg_buf_printf(b, "</rdf:%s></%s>\n", kind, tag);
}

static void xmp_prop(dg_buf *b, const char *tag, const char *value)
{
    if (!value || !*value)
        return;
    dg_buf_printf(b, "   <%s>", tag);
    xml_text(b, value);
    dg_buf_printf(b, "</%s>\n", tag);
}

const char *pdf_xmp(pdf_ctx *c, size_t *len)
{
    const dg_book *b = c->book;
    dg_buf x = {0};
    dg_buf_puts(&x, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                    "  <rdf:Description rdf:about=\"\"\n"
                    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                    "    xmlns:calibre=\"http://calibre-ebook.com/xmp-namespace\"\n"
                    "    xmlns:calibreSI=\"http://calibre-ebook.com/xmp-namespace-series-index\">\n");
    xmp_prop(&x, "dc:format", "application/pdf");
    xmp_list(&x, "dc:title", "Alt", &b->title, 1, true);
    xmp_list(&x, "dc:creator", "Seq", &b->author, 1, false);
    xmp_list(&x, "dc:description", "Alt", &b->description, 1, true);
    xmp_list(&x, "dc:subject", "Bag", b->subjects, b->nsubjects, false);
    xmp_list(&x, "dc:publisher", "Bag", &b->publisher, 1, false);
    xmp_prop(&x, "dc:source", b->source);
    xmp_list(&x, "dc:language", "Bag", &b->lang, 1, false);
    xmp_list(&x, "dc:identifier", "Bag", &b->uuid, 1, false);
    xmp_prop(&x, "xmp:CreateDate", b->modified_iso);
    xmp_prop(&x, "xmp:ModifyDate", b->modified_iso);
    xmp_prop(&x, "xmp:MetadataDate", b->modified_iso);
    xmp_prop(&x, "xmp:CreatorTool", "digest " DIGEST_VERSION);
    xmp_prop(&x, "pdf:Keywords", keywords(c));
    if (b->series && *b->series && b->series_index > 0) {
        /* Calibre's form, which its PDF metadata reader takes back. */
        dg_buf_puts(&x, "   <calibre:series rdf:parseType=\"Resource\"><rdf:value>");
        xml_text(&x, b->series);
        dg_buf_printf(&x,
                      "</rdf:value><calibreSI:series_index>%d</calibreSI:series_index>"
                      "</calibre:series>\n",
                      b->series_index);
    }
    dg_buf_puts(&x, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
                    "<?xpacket end=\"r\"?>");
    *len = x.len;
    return dg_buf_to_arena(&x, c->a);
}

/* Pass one of the layout: what a page draws, noted. */
static void note_page(void *ctx, size_t pi, const dg_lpage *pg)
{
    pdf_ctx *c = ctx;
    (void)pi;
    pdf_note_glyphs(c, pg);
    pdf_note_images(c, pg);
}

/* Pass two: the page drawn, with its links. */
static void draw_page(void *ctx, size_t pi, const dg_lpage *pg)
{
    pdf_ctx *c = ctx;
    pdf_draw_page(c, pi, pg);
    add_links(c, pi, pg);
    pdf_pagemap_add(c, pi, pg);
    pdf_park_page(c, pi);
}

int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d)
{
    return dg_pdf_write_mapped(book, fonts, opts, path, NULL, d);
}

int dg_pdf_write_mapped(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                        const char *path, dg_page_map *map, dg_diag *d)
{
    int rc = -1;
    pdf_ctx c = {0};
    dg_scratch doc = {.fd = -1}; /* libharu's document, for qpdf to read */
    /* The layout's own arena: freed once the pages are drawn, before the
     * document is written and rewritten. */
    dg_arena *lay_a = dg_arena_new();
    dg_layout_run *run = NULL;
    c.book = book;
    c.fonts = fonts;
    c.d = d;
    c.path = path;
    c.map = map;
    c.a = dg_arena_new();
    c.park.fd = -1;
    dg_pdf_opts o = opts ? *opts : (dg_pdf_opts){.link_notes = -1};

    /* Pass one: every glyph and image the book draws, and its page count. */
    run = dg_layout_run_new(book, fonts, &o, o.layout_keep ? o.layout_keep : DG_PDF_LAYOUT_KEEP,
                            lay_a, d);
    if (dg_layout_run_measure(run, note_page, &c) != 0)
        goto out;
    c.lay = dg_layout_run_layout(run);
    c.anchor_at = dg_layout_run_anchors(run);

    c.pdf = HPDF_New(on_hpdf_error, &c);
    if (!c.pdf) {
        dg_report_file(d, DG_ERROR, path, "libharu could not start a document");
        goto out;
    }
    /* No compression here: libharu writes /Filter as an array, which qpdf
     * does not pass through, so it inflated and deflated every stream again
     * (a quarter of the run).  qpdf (pdf_pack) compresses each stream once. */
    HPDF_SetCompressionMode(c.pdf, HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(c.pdf);
    HPDF_SetCurrentEncoder(c.pdf, "UTF-8");
    pdf_start_images(&c);
    if (pdf_failed(&c, "to set up UTF-8 text") || pdf_load_fonts(&c) != 0)
        goto out;

    c.pages = dg_allocn(c.a, c.lay->npages + 1, sizeof *c.pages);
    for (size_t i = 0; i < c.lay->npages; i++) {
        c.pages[i] = HPDF_AddPage(c.pdf);
        HPDF_Page_SetWidth(c.pages[i], (HPDF_REAL)c.lay->page_w);
        HPDF_Page_SetHeight(c.pages[i], (HPDF_REAL)c.lay->page_h);
    }
    if (pdf_failed(&c, "to add pages"))
        goto out;
    /* Pass two: each page drawn as it is handed over, a chapter's pages
     * freed once drawn. */
    if (dg_layout_run_pages(run, true, draw_page, &c) != 0 ||
        pdf_failed(&c, "to draw a page or add its links"))
        goto out;
    if (c.park_errno) {
        dg_report_file(d, DG_ERROR, path, "cannot keep the drawn pages in a scratch file: %s",
                       strerror(c.park_errno));
        goto out;
    }
    add_outline(&c);
    HPDF_SetPageMode(c.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    add_info(&c);
    if (pdf_failed(&c, "to add the outline or document info"))
        goto out;
    /* Drawn: the layout goes before the document is written, once the PNG
     * threads, which read images the layout may own (the cover image of
     * --pdf-cover image), are done. */
    pdf_join_images(&c);
    c.lay = NULL;
    c.anchor_at = NULL;
    dg_layout_run_free(run);
    run = NULL;
    dg_arena_free(lay_a);
    lay_a = NULL;

    /* libharu writes its document to a scratch file (not to memory: it would
     * then be held three times, by libharu, in this copy and by qpdf) and is
     * freed; qpdf reads the file, loading each stream only when it is used. */
    if (dg_scratch_open(&doc, path) != 0) {
        dg_report_file(d, DG_ERROR, path, "cannot make a scratch file beside the PDF: %s",
                       strerror(errno));
        goto out;
    }
    if (HPDF_SaveToFile(c.pdf, dg_scratch_path(&doc)) != HPDF_OK ||
        pdf_failed(&c, "to write the document"))
        goto out;
    HPDF_Free(c.pdf);
    c.pdf = NULL;
    dg_scratch_close(&c.park);
    c.err = 0;
    if (pdf_pack(&c, dg_scratch_path(&doc)) != 0)
        goto out;
    if (map)
        map->source = dg_strdup(map->a, dg_path_basename(path));
    rc = 0;
out:
    if (rc != 0 && map)
        map->n = 0; /* no PDF, no page numbers of it */
    dg_scratch_close(&doc);
    dg_scratch_close(&c.park);
    pdf_free_fonts(&c);
    pdf_free_images(&c);
    if (c.pdf)
        HPDF_Free(c.pdf);
    if (c.ft)
        FT_Done_FreeType(c.ft);
    dg_vec_free(&c.deferred);
    dg_layout_run_free(run);
    dg_arena_free(lay_a);
    dg_arena_free(c.a);
    return rc;
}
