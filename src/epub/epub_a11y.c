/* epub_a11y.c - what the package says about the book's accessibility: the
 * schema.org properties of EPUB Accessibility 1.1, worked out from the book
 * itself so that they stay true.
 *
 * Every book is text with a table of contents (nav.xhtml), a reading order
 * that is the posts' order, and headings that never skip a level (the
 * outline of epub_parts.c).  It is also visual when it packs images; text
 * alone is sufficient, and the book claims WCAG 2.1 AA through EPUB
 * Accessibility 1.1, only when every image the reader sees has a text
 * alternative (a bare file name is not one).  A GIF may flash: a book with one does not say "none" for
 * hazards, only the ones it can rule out (digest drops audio and video).
 */
#include <string.h>
#include <strings.h>

#include "content/tree.h"
#include "epub/epub_impl.h"

/* True when ALT is a text alternative: not empty, and not a bare image file
 * name (the content stage writes the file name where a post gave none; a
 * file name as alt text fails WCAG's 1.1.1, technique F30). */
static bool real_alt(const char *alt)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"};
    if (!alt || epub_is_ws_only(alt))
        return false;
    if (strpbrk(alt, " \t\n"))
        return true;
    size_t n = strlen(alt);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcasecmp(alt + n - k, ext[i]) == 0)
            return false;
    }
    return true;
}

typedef struct a11y {
    size_t images, with_alt; /* img elements showing a packed image; those with alt text */
    bool gif;
} a11y;

/* Counts the images of chapter tree ROOT that the EPUB shows. */
static void count_images(writer *w, xmlNodePtr root, a11y *f)
{
    for (xmlNodePtr n = root; n; n = dg_tree_next(n, root, true)) {
        if (n->type != XML_ELEMENT_NODE || !epub_el_is(n, "img"))
            continue;
        xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
        if (src && epub_is_asset(w->book, (const char *)src)) {
            xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
            f->images++;
            if (real_alt((const char *)alt))
                f->with_alt++;
            xmlFree(alt);
        }
        xmlFree(src);
    }
}

static void facts(writer *w, bool cover_image, a11y *f)
{
    const dg_book *bk = w->book;
    *f = (a11y){0, 0, false};
    for (size_t i = 0; i < w->nchaps; i++) {
        const dg_chapter *c = w->chaps[i].c;
        xmlNodePtr root = c->doc ? xmlDocGetRootElement(c->doc) : NULL;
        if (root)
            count_images(w, root, f);
    }
    /* The cover image(s): alt text is the book's title (epub_pages.c). */
    if (cover_image)
        f->images++, f->with_alt++;
    else if (epub_asset_usable(bk->cover))
        f->images++, f->with_alt++;
    for (size_t i = 0; i < bk->reg.nassets; i++)
        if (epub_asset_usable(bk->reg.assets[i]) && bk->reg.assets[i]->image.type == DG_IMG_GIF)
            f->gif = true;
}

static void meta(dg_buf *b, const char *property, const char *value)
{
    dg_buf_printf(b, "<meta property=\"%s\">", property);
    epub_put_esc(b, value, false);
    dg_buf_puts(b, "</meta>\n");
}

static const char *summary(writer *w, const a11y *f)
{
    size_t missing = f->images - f->with_alt;
    if (w->zh) {
        const char *img = !f->images ? "本书没有图片。"
                          : !missing ? dg_sprintf(w->a, "全部 %zu 张图片都有替代文字。", f->images)
                                     : dg_sprintf(w->a, "%zu 张图片中有 %zu 张没有替代文字。",
                                                  f->images, missing);
        return dg_sprintf(w->a,
                          "本书收录 %zu 篇文章，按发布日期排列，有目录，标题层级连续，"
                          "可按标题导航。%s",
                          w->nchaps, img);
    }
    const char *img =
        !f->images ? "It has no images."
        : f->images == 1
            ? (missing ? "Its image has no text alternative." : "Its image has a text alternative.")
        : !missing ? dg_sprintf(w->a, "All %zu images have a text alternative.", f->images)
                   : dg_sprintf(w->a, "%zu of its %zu images %s no text alternative.", missing,
                                f->images, missing == 1 ? "has" : "have");
    return dg_sprintf(w->a,
                      "%zu post%s in the order of their dates, with a table of contents and "
                      "headings that never skip a level for navigation. %s",
                      w->nchaps, w->nchaps == 1 ? "" : "s", img);
}

void epub_put_a11y(writer *w, dg_buf *b, bool cover_image)
{
    a11y f;
    facts(w, cover_image, &f);
    bool all_alt = f.images == f.with_alt;
    meta(b, "schema:accessMode", "textual");
    if (f.images)
        meta(b, "schema:accessMode", "visual");
    if (all_alt)
        meta(b, "schema:accessModeSufficient", "textual");
    if (f.images)
        meta(b, "schema:accessModeSufficient", "textual,visual");
    meta(b, "schema:accessibilityFeature", "tableOfContents");
    meta(b, "schema:accessibilityFeature", "readingOrder");
    meta(b, "schema:accessibilityFeature", "structuralNavigation");
    if (f.images && all_alt)
        meta(b, "schema:accessibilityFeature", "alternativeText");
    bool paged = epub_page_marks(w) > 0;
    if (paged) {
        meta(b, "schema:accessibilityFeature", "pageBreakMarkers");
        meta(b, "schema:accessibilityFeature", "pageNavigation");
    }
    if (f.gif) {
        meta(b, "schema:accessibilityHazard", "noSoundHazard");
        meta(b, "schema:accessibilityHazard", "noMotionSimulationHazard");
    } else {
        meta(b, "schema:accessibilityHazard", "none");
    }
    const char *sum = summary(w, &f);
    if (paged) {
        /* the edition the page numbers are of, the EPUB 3.2 way (dc:source
         * refined by source-of): EPUB 3.3's pageBreakSource is an undefined
         * property to epubcheck 4.2 (Debian 12's), and Ace takes either */
        const char *src = w->pages->source ? w->pages->source : "PDF";
        dg_buf_printf(b, "<dc:source id=\"page-source\">%s</dc:source>\n", epub_esc(w->a, src));
        dg_buf_puts(b, "<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>\n");
        sum = dg_sprintf(w->a,
                         w->zh ? "%s页码标记与导航对应同时生成的 PDF 版（%s）的页码。"
                               : "%s Page break markers and page navigation give the page "
                                 "numbers of the PDF edition made with it (%s).",
                         sum, src);
    }
    meta(b, "schema:accessibilitySummary", sum);
    if (all_alt)
        meta(b, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
}
