/* epub.c - the EPUB3 writer's entry point: a dg_book becomes one .epub.
 *
 * Order of work: each chapter is cut into parts (epub_parts.c), so every id
 * has its file before anything links to it; then every file of the
 * container is made in memory, in the order the zip holds them (so a
 * failure leaves nothing half-written), each XML one checked as it is
 * added; then the zip is written to a temporary name next to the output and
 * renamed into place (epub_zip.c).
 */
#include "epub/epub.h"

#include <libxml/parser.h>
#include <string.h>
#include <time.h>

#include "epub/epub_impl.h"
#include "epub/template.h"

static const char CONTAINER_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "<rootfiles>\n"
    "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "</rootfiles>\n</container>\n";

static const char MIMETYPE[] = "application/epub+zip";

/* ------------------------------------------------------------------ */
/* The container's files                                               */

void epub_add_entry(writer *w, const char *name, const char *data, size_t len, bool store)
{
    dg_arena_grow(w->a, &w->entries, w->nentries, &w->capentries, sizeof *w->entries, 32);
    w->entries[w->nentries++] = (entry){name, data, len, store};
}

/* Parses an XHTML/XML file we made; a failure means a broken template
 * override (or a bug) and is reported instead of writing a bad book.
 * XML_PARSE_HUGE: a post may be 16 MiB in one paragraph, past libxml2's
 * default 10 MB cap on one text node ("Huge input lookup"); what we
 * generated is trusted to be that large, and its depth is already capped by
 * the sanitizer. */
static int check_xml(writer *w, const char *name, const char *data, size_t len)
{
    int rc = -1;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, name, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_HUGE);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        int line = e ? e->line : 0;
        dg_report(w->d, DG_ERROR, name, line, 0, data, len,
                  "generated %s is not well-formed XML (check the templates): %s", name,
                  e && e->message ? e->message : "parse error");
        goto out;
    }
    rc = 0;
out:
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

int epub_add_xml(writer *w, const char *name, dg_buf *b)
{
    int rc = -1;
    size_t len = b->len;
    char *data = dg_buf_to_arena(b, w->a);
    if (check_xml(w, name, data, len) != 0)
        goto out;
    epub_add_entry(w, name, data, len, false);
    rc = 0;
out:
    return rc;
}

/* ------------------------------------------------------------------ */

/* The book's modified time as OPF's dcterms:modified wants it. */
static const char *modified_iso(writer *w)
{
    if (w->book->modified_iso)
        return w->book->modified_iso;
    struct tm tm;
    time_t t = (time_t)w->book->modified;
    gmtime_r(&t, &tm);
    return dg_sprintf(w->a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Cuts every chapter into parts, numbered post-01, post-02... (wider when
 * there are 100 posts or more). */
static void plan_chapters(writer *w)
{
    const dg_book *book = w->book;
    int width = 2;
    for (size_t n = book->nchapters; n >= 100; n /= 10)
        width++;
    w->nchaps = book->nchapters;
    w->chaps = dg_allocn(w->a, w->nchaps, sizeof *w->chaps);
    for (size_t i = 0; i < w->nchaps; i++) {
        w->chaps[i].c = &book->chapters[i];
        epub_plan_chapter(w, &w->chaps[i], i, width);
    }
}

/* The images the book packs, under OEBPS/; the others are reported. */
static void add_images(writer *w, const char *path)
{
    const dg_book *book = w->book;
    if (book->cover_jpeg) /* stored: a JPEG is compressed already */
        epub_add_entry(w, "OEBPS/" EPUB_COVER_IMAGE, (const char *)book->cover_jpeg,
                       book->cover_jpeg_len, true);
    for (size_t i = 0; i < book->reg.nassets; i++) {
        const dg_asset *as = book->reg.assets[i];
        if (!epub_asset_usable(as)) {
            dg_report_file(w->d, DG_WARNING, path, "image %s left out of the EPUB",
                           as && as->href ? as->href : "(unnamed)");
            continue;
        }
        epub_add_entry(w, dg_sprintf(w->a, "OEBPS/%s", as->href), (const char *)as->image.data,
                       as->image.len, false);
    }
}

/* Moves entries [FROM, the end) to AT, after the entries before AT. */
static void move_entries(writer *w, size_t at, size_t from)
{
    size_t n = w->nentries - from;
    entry *tail = dg_allocn(w->a, n + 1, sizeof *tail);
    memcpy(tail, w->entries + from, n * sizeof *tail);
    memmove(w->entries + at + n, w->entries + at, (from - at) * sizeof *tail);
    memcpy(w->entries + at, tail, n * sizeof *tail);
}

int dg_epub_write(const dg_book *book, const char *path, dg_diag *d)
{
    return dg_epub_write_mapped(book, path, NULL, d);
}

int dg_epub_write_mapped(const dg_book *book, const char *path, const dg_page_map *pages,
                         dg_diag *d)
{
    int rc = -1;
    writer w = {0};
    w.pages = pages;
    w.book = book;
    w.d = d;
    w.a = dg_arena_new();
    dg_map_init(&w.ids, w.a);
    w.lang = book->lang && *book->lang ? book->lang : "zh-CN";
    w.zh = dg_lang_is_cjk(w.lang);

    if (!book->nchapters) {
        dg_report_file(d, DG_ERROR, path, "no posts: no EPUB written");
        goto out;
    }
    if (!book->uuid || !book->title) {
        dg_report_file(d, DG_ERROR, path, "book has no identifier or title");
        goto out;
    }
    const char *site = book->templates_dir;
    w.tpl_chapter = dg_template_load(w.a, site, "chapter.xhtml", d);
    w.tpl_head = dg_template_load(w.a, site, "chapter-head.xhtml", d);
    w.tpl_cover = dg_template_load(w.a, site, "cover.xhtml", d);
    w.css = dg_template_load(w.a, site, "style.css", d);
    if (!w.tpl_chapter || !w.tpl_head || !w.tpl_cover || !w.css)
        goto out;

    plan_chapters(&w);
    if (epub_pages_begin(&w) != 0)
        goto out;
    epub_add_entry(&w, "mimetype", MIMETYPE, sizeof MIMETYPE - 1, true);
    epub_add_entry(&w, "META-INF/container.xml", CONTAINER_XML, sizeof CONTAINER_XML - 1, false);
    /* content.opf, nav.xhtml and toc.ncx go here, but are made after the
     * chapters: they list the page markers the chapters hold */
    size_t meta_at = w.nentries;
    epub_add_entry(&w, "OEBPS/style.css", w.css, strlen(w.css), false);
    if (epub_write_cover(&w) != 0)
        goto out;
    for (size_t i = 0; i < w.nchaps; i++)
        if (epub_write_chapter(&w, &w.chaps[i]) != 0)
            goto out;
    size_t meta_from = w.nentries;
    if (epub_write_opf(&w, modified_iso(&w)) != 0 || epub_write_nav(&w) != 0 ||
        epub_write_ncx(&w) != 0)
        goto out;
    move_entries(&w, meta_at, meta_from);
    add_images(&w, path);
    rc = epub_write_zip(&w, path);
out:
    epub_pages_end(&w);
    dg_arena_free(w.a);
    return rc;
}
