/* epub_opf.c - content.opf, the package document: the book's metadata, the
 * manifest of every file in OEBPS/ and the spine (cover, contents, then the
 * parts of each post in order).  The manifest's rule for images lives here
 * too: an asset goes into the book only when it can be listed (a core media
 * type, a safe file name, some bytes).
 */
#include <string.h>

#include "epub/epub_impl.h"

/* The EPUB core media type of AS, or NULL when it has none. */
static const char *media_type(const dg_asset *as)
{
    const char *mt = as->image.media_type;
    static const char *const core[] = {"image/png", "image/jpeg", "image/gif", "image/svg+xml"};
    if (!mt) {
        switch (as->image.type) {
        case DG_IMG_PNG: mt = "image/png"; break;
        case DG_IMG_JPEG: mt = "image/jpeg"; break;
        case DG_IMG_GIF: mt = "image/gif"; break;
        case DG_IMG_SVG: mt = "image/svg+xml"; break;
        default: return NULL;
        }
    }
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
        if (strcmp(mt, core[i]) == 0)
            return mt;
    return NULL;
}

/* A relative name inside OEBPS/ of plain ASCII letters, digits and ._-/ */
static bool href_ok(const char *h)
{
    if (!h || !*h || h[0] == '/' || strstr(h, ".."))
        return false;
    for (; *h; h++)
        if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') ||
              *h == '.' || *h == '_' || *h == '-' || *h == '/'))
            return false;
    return true;
}

bool epub_asset_usable(const dg_asset *as)
{
    return as && media_type(as) && href_ok(as->href) && as->image.data;
}

/* The newest post date, "YYYY-MM-DD", else the month. */
static const char *book_date(writer *w)
{
    const dg_datetime *best = NULL;
    for (size_t i = 0; i < w->nchaps; i++) {
        const dg_post *p = w->chaps[i].c->post;
        if (p && p->has_date && (!best || dg_datetime_cmp(&p->date, best) > 0))
            best = &p->date;
    }
    if (best)
        return dg_sprintf(w->a, "%04d-%02d-%02d", best->year, best->month, best->day);
    return w->book->month;
}

/* The manifest's items into MAN; *COVER_ITEM, the cover image's item. */
static void put_manifest(writer *w, dg_buf *man, const char **cover_item)
{
    const dg_book *bk = w->book;
    dg_buf_puts(man, "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
                     "properties=\"nav\"/>\n"
                     "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n"
                     "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n"
                     "<item id=\"cover\" href=\"cover.xhtml\" "
                     "media-type=\"application/xhtml+xml\"/>\n");
    *cover_item = NULL;
    /* The cover image digest drew (src/cover/) is the book's cover-image;
     * without one, the first header image is. */
    if (bk->cover_jpeg) {
        *cover_item = "cover-image";
        dg_buf_puts(man, "<item id=\"cover-image\" href=\"" EPUB_COVER_IMAGE
                         "\" media-type=\"" DG_COVER_MEDIA_TYPE "\" properties=\"cover-image\"/>\n");
    }
    for (size_t i = 0; i < bk->reg.nassets; i++) {
        const dg_asset *as = bk->reg.assets[i];
        if (!epub_asset_usable(as))
            continue;
        const char *mt = media_type(as);
        bool is_cover = !bk->cover_jpeg && epub_asset_usable(bk->cover) &&
                        strcmp(bk->cover->href, as->href) == 0;
        const char *item = dg_sprintf(w->a, "img-%zu", i + 1);
        if (is_cover && !*cover_item)
            *cover_item = item;
        dg_buf_printf(man, "<item id=\"%s\" href=\"%s\" media-type=\"%s\"%s/>\n", item, as->href,
                      mt, is_cover && *cover_item == item ? " properties=\"cover-image\"" : "");
    }
    for (size_t i = 0; i < w->nchaps; i++)
        for (size_t p = 0; p < w->chaps[i].nparts; p++)
            dg_buf_printf(man,
                          "<item id=\"%s\" href=\"%s\" media-type=\"application/xhtml+xml\"/>\n",
                          w->chaps[i].parts[p].item, w->chaps[i].parts[p].file);
}

/* What a reader's library shows: description, subjects, publisher, source,
 * and the series (EPUB 3's belongs-to-collection, and Calibre's own metas,
 * which Calibre, KOReader and Kobo read). */
static void put_library_meta(writer *w, dg_buf *b)
{
    const dg_book *bk = w->book;
    const char *desc = bk->description;
    if (!desc && bk->site)
        desc = bk->site->description;
    if (desc && !epub_is_ws_only(desc))
        dg_buf_printf(b, "<dc:description>%s</dc:description>\n", epub_esc(w->a, desc));
    for (size_t i = 0; i < bk->nsubjects; i++)
        dg_buf_printf(b, "<dc:subject>%s</dc:subject>\n", epub_esc(w->a, bk->subjects[i]));
    if (bk->publisher && !epub_is_ws_only(bk->publisher))
        dg_buf_printf(b, "<dc:publisher>%s</dc:publisher>\n", epub_esc(w->a, bk->publisher));
    if (bk->source)
        dg_buf_printf(b, "<dc:source>%s</dc:source>\n", epub_esc(w->a, bk->source));
    if (bk->series && !epub_is_ws_only(bk->series) && bk->series_index > 0) {
        const char *name = epub_esc(w->a, bk->series);
        dg_buf_printf(b,
                      "<meta property=\"belongs-to-collection\" id=\"series\">%s</meta>\n"
                      "<meta refines=\"#series\" property=\"collection-type\">series</meta>\n"
                      "<meta refines=\"#series\" property=\"group-position\">%d</meta>\n"
                      "<meta name=\"calibre:series\" content=\"%s\"/>\n"
                      "<meta name=\"calibre:series_index\" content=\"%d\"/>\n",
                      name, bk->series_index, name, bk->series_index);
    }
}

int epub_write_opf(writer *w, const char *modified)
{
    const dg_book *bk = w->book;
    const char *cover_item;
    dg_buf man = {0};
    put_manifest(w, &man, &cover_item);

    dg_buf b = {0};
    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                  "unique-identifier=\"bookid\" xml:lang=\"%s\">\n"
                  "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                  "<dc:identifier id=\"bookid\">%s</dc:identifier>\n"
                  "<dc:title>%s</dc:title>\n<dc:language>%s</dc:language>\n",
                  epub_esc(w->a, w->lang), epub_esc(w->a, bk->uuid), epub_esc(w->a, bk->title),
                  epub_esc(w->a, w->lang));
    /* every other language of the chapters after the book's own */
    for (size_t i = 0; i < bk->nlangs; i++)
        if (strcmp(bk->langs[i], w->lang) != 0)
            dg_buf_printf(&b, "<dc:language>%s</dc:language>\n", epub_esc(w->a, bk->langs[i]));
    if (bk->author && *bk->author)
        dg_buf_printf(&b, "<dc:creator>%s</dc:creator>\n", epub_esc(w->a, bk->author));
    put_library_meta(w, &b);
    dg_buf_printf(&b, "<dc:date>%s</dc:date>\n<meta property=\"dcterms:modified\">%s</meta>\n",
                  book_date(w), modified);
    epub_put_a11y(w, &b, bk->cover_jpeg != NULL);
    if (cover_item)
        dg_buf_printf(&b, "<meta name=\"cover\" content=\"%s\"/>\n", cover_item);
    dg_buf_puts(&b, "</metadata>\n<manifest>\n");
    dg_buf_put(&b, man.data, man.len);
    dg_buf_free(&man);
    dg_buf_puts(&b, "</manifest>\n<spine toc=\"ncx\">\n<itemref idref=\"cover\"/>\n"
                    "<itemref idref=\"nav\"/>\n");
    for (size_t i = 0; i < w->nchaps; i++)
        for (size_t p = 0; p < w->chaps[i].nparts; p++)
            dg_buf_printf(&b, "<itemref idref=\"%s\"/>\n", w->chaps[i].parts[p].item);
    dg_buf_puts(&b, "</spine>\n</package>\n");
    return epub_add_xml(w, "OEBPS/content.opf", &b);
}
