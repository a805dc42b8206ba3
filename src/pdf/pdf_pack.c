/* pdf_pack.c - the PDF writer's last pass (pdf_impl.h): libharu's PDF 1.4
 * rewritten through qpdf.  The many small objects of a digest (one link
 * annotation per URL, outline items, font dictionaries) go into compressed
 * object streams with a cross-reference stream, which libharu cannot write.
 * A month with 150 links shrinks by about 15 %.  The /ID is derived from the
 * content, so the output stays reproducible.  It is also the one place
 * streams are compressed (libharu writes them plain), and where the fonts of
 * pdf_font.c and the pixels of pdf_image.c go in.  On failure no PDF is
 * written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <qpdf/qpdf-c.h>

#include "base/deflate.h"
#include "base/fs.h"
#include "pdf/pdf_impl.h"

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
            dg_deflate(len <= PACK_SMALL_STREAM ? small : large, DG_DEFLATE_ZLIB, raw, len, &z, &zlen) == 0)
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

/* Puts the pixels image_worker deflated into the placeholders pdf_asset_image
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
            dg_report_file(c->d, DG_WARNING, pi->key,
                           "libpng cannot decode this image; it is left out of the PDF");
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

/* The XMP packet as the catalog's /Metadata stream: left uncompressed, as
 * tools that scan files for XMP expect (qpdf compresses only streams that
 * have no filter and are not /Type /Metadata). */
static void put_xmp(pdf_ctx *c, qpdf_data q)
{
    size_t len;
    const char *xmp = pdf_xmp(c, &len);
    qpdf_oh st = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, st, (const unsigned char *)xmp, len, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    qpdf_oh dict = qpdf_oh_get_dict(q, st);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/Metadata", st);
}

/* Rewrites libharu's PDF 1.4 through qpdf; see the top of this file. */
int pdf_pack(pdf_ctx *c, const char *doc)
{
    int rc = -1;
    const char *path = c->path;
    dg_diag *d = c->d;
    char *tmp = NULL;
    int fd = -1;
    qpdf_data q = qpdf_init();
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read(q, doc, NULL) & QPDF_ERRORS)
        goto out;
    prepare_objects(q);
    pdf_join_fonts(c);
    if (put_fonts(c, q) != 0) {
        dg_report_file(d, DG_ERROR, path, "a subset font could not be embedded");
        goto out;
    }
    pdf_join_images(c);
    put_images(c, q);
    put_xmp(c, q);
    /* the document's language (PDF 1.4, 14.9.2): screen readers pick their voice by it */
    if (c->book && c->book->lang && *c->book->lang)
        qpdf_oh_replace_key(q, qpdf_get_root(q), "/Lang",
                            qpdf_oh_new_unicode_string(q, c->book->lang));
    /* straight to PATH's temporary file: no copy of the output in memory */
    fd = dg_atomic_open(path, &tmp);
    if (fd < 0) {
        dg_report_file(d, DG_ERROR, path, "cannot write the PDF: %s", strerror(errno));
        goto out;
    }
    if (qpdf_init_write(q, tmp) & QPDF_ERRORS)
        goto out;
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    qpdf_set_stream_data_mode(q, qpdf_s_compress);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    qpdf_set_decode_level(q, qpdf_dl_none);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto out;
    rc = 0;
out:
    if (rc != 0 && qpdf_has_error(q))
        dg_report_file(d, DG_ERROR, path, "qpdf could not write the PDF (%s)",
                       qpdf_get_error_full_text(q, qpdf_get_error(q)));
    qpdf_cleanup(&q); /* closes the temporary file qpdf wrote */
    if (fd >= 0 && dg_atomic_commit(fd, tmp, path, rc == 0) != 0 && rc == 0) {
        dg_report_file(d, DG_ERROR, path, "cannot write the PDF: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
