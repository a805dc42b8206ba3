/* epub_pagelist.c - the page numbers of the PDF built in the same run
 * (content/pagemap.h) in the EPUB: an empty page-break marker
 *   <span epub:type="pagebreak" role="doc-pagebreak" id="page-12" aria-label="12"/>
 * where each body page of the PDF begins in the text (inside a paragraph
 * when the page begins mid-paragraph), and nav.xhtml's page-list of them in
 * page order, so that "p. 12" means the same place in both.
 *
 * A page that opens a post has its marker before the post's head; a page
 * with no text of the post's tree (an image, the link notes) has its marker
 * just before the next page's, or at the end of the post.  The cover and
 * contents pages have no place in the text and no marker; the numbers are
 * the ones the PDF prints (the cover is page 1).
 */
#include <stdint.h>
#include <string.h>

#include "epub/epub_impl.h"

int epub_pages_begin(writer *w)
{
    const dg_page_map *m = w->pages;
    if (!m || !m->n)
        return 0;
    size_t slots = 64;
    while (slots < 2 * m->n)
        slots *= 2;
    if (dg_u64map_init(&w->page_at, slots) != 0) {
        dg_report_file(w->d, DG_ERROR, NULL, "out of memory for the page list");
        return -1;
    }
    for (size_t k = m->n; k-- > 0;)
        if (m->marks[k].at == DG_PAGE_AT_TEXT && m->marks[k].node)
            dg_u64map_put(&w->page_at, (uint64_t)(uintptr_t)m->marks[k].node, k + 1);
    w->page_file = dg_allocn(w->a, m->n, sizeof *w->page_file);
    /* ids of the book's own that look like ours: a longer prefix */
    w->page_id = "page-";
    for (bool clash = true; clash;) {
        clash = false;
        for (size_t k = 0; k < m->n && !clash; k++)
            clash = epub_id_get(w, dg_sprintf(w->a, "%s%u", w->page_id, m->marks[k].number));
        if (clash)
            w->page_id = dg_sprintf(w->a, "pdf-%s", w->page_id);
    }
    return 0;
}

void epub_pages_end(writer *w)
{
    dg_u64map_free(&w->page_at);
}

static void put_one(writer *w, dg_buf *b, size_t k, const char *file)
{
    unsigned num = w->pages->marks[k].number;
    dg_buf_printf(b,
                  "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"%s%u\" "
                  "aria-label=\"%u\"/>",
                  w->page_id, num, num);
    w->page_file[k] = file;
}

/* Mark K, after the pages before it in its chapter that wait for it (no
 * text of their own) and are not written yet. */
static void put_mark(writer *w, dg_buf *b, size_t k, const char *file)
{
    const dg_page_mark *mk = w->pages->marks;
    size_t first = k;
    while (first > 0 && !w->page_file[first - 1] && mk[first - 1].at == DG_PAGE_AT_NEXT &&
           mk[first - 1].chapter == mk[k].chapter)
        first--;
    for (size_t i = first; i <= k; i++)
        if (!w->page_file[i])
            put_one(w, b, i, file);
}

void epub_put_marked_text(writer *w, dg_buf *b, xmlNodePtr n, const char *file,
                          void (*put)(writer *w, dg_buf *b, xmlNodePtr n, const char *text))
{
    const char *text = (const char *)n->content;
    uint64_t first = 0;
    if (!file || !w->page_file || !text ||
        !dg_u64map_get(&w->page_at, (uint64_t)(uintptr_t)n, &first)) {
        put(w, b, n, text);
        return;
    }
    size_t len = strlen(text), done = 0;
    const dg_page_map *m = w->pages;
    for (size_t k = (size_t)first - 1; k < m->n && m->marks[k].node == n; k++) {
        size_t off = m->marks[k].off;
        if (off > len)
            off = len;
        if (off > done) {
            put(w, b, n, dg_strndup(w->a, text + done, off - done));
            done = off;
        }
        put_mark(w, b, k, file);
    }
    put(w, b, n, text + done);
}

void epub_put_chapter_marks(writer *w, dg_buf *b, size_t ci, bool at_end, const char *file)
{
    const dg_page_map *m = w->pages;
    if (!w->page_file)
        return;
    for (size_t k = 0; k < m->n; k++)
        if (m->marks[k].chapter == ci && !w->page_file[k] &&
            (at_end || m->marks[k].at == DG_PAGE_AT_CHAPTER))
            put_one(w, b, k, file);
}

size_t epub_page_marks(const writer *w)
{
    size_t n = 0;
    for (size_t k = 0; w->page_file && k < w->pages->n; k++)
        n += w->page_file[k] != NULL;
    return n;
}

void epub_put_page_list(writer *w, dg_buf *b)
{
    if (!epub_page_marks(w))
        return;
    dg_buf_puts(b, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" "
                   "hidden=\"hidden\">\n<ol>\n");
    for (size_t k = 0; k < w->pages->n; k++)
        if (w->page_file[k])
            dg_buf_printf(b, "<li><a href=\"%s#%s%u\">%u</a></li>\n", w->page_file[k], w->page_id,
                          w->pages->marks[k].number, w->pages->marks[k].number);
    dg_buf_puts(b, "</ol>\n</nav>\n");
}
