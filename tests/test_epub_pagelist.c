/* test_epub_pagelist.c - the EPUB writer given a page map by hand
 * (dg_epub_write_mapped, content/pagemap.h): a page-break marker where each
 * page begins (before the post's head for a page that opens a post, inside
 * a text node at its byte offset, just before the next page's marker or at
 * the post's end for a page with no text of its own), the nav's page-list in
 * page order, the accessibility metadata; the markers' ids kept clear of the
 * book's own; and an empty map changes nothing. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "epub/epub.h"
#include "test.h"

#define SECTION_OPEN "<section xmlns=\"http://www.w3.org/1999/xhtml\" class=\"post-body\">"
#define MARK(n)                                                                                \
    "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-" #n "\" aria-label=\"" #n \
    "\"/>"

static const char CH1[] = SECTION_OPEN "<p>Alpha beta gamma delta.</p>"
                                       "<p>Second <em>paragraph</em> here.</p>"
                                       "<pre><code>line one\nline two</code></pre>"
                                       "</section>";
static const char CH2[] = SECTION_OPEN "<p>Other post.</p></section>";
static const char CH2_ID[] = SECTION_OPEN "<p id=\"page-9\">Other post.</p></section>";

typedef struct sample {
    dg_site site;
    dg_post posts[2];
    dg_chapter chapters[2];
    dg_book book;
} sample;

static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "chapter.xhtml", "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL);
    return doc;
}

static void make_sample(sample *s, dg_arena *a, const char *site_root, const char *ch2)
{
    memset(s, 0, sizeof *s);
    s->site.root = site_root;
    s->site.title = "Page list site";
    s->site.lang = "en";
    const char *xml[2] = {CH1, ch2};
    for (int i = 0; i < 2; i++) {
        dg_post *p = &s->posts[i];
        p->path = dg_sprintf(a, "_posts/2025-03-0%d-post.md", 2 + i);
        p->relpath = p->path;
        p->title = i ? "Second" : "First";
        p->has_date = true;
        p->published = true;
        p->date = (dg_datetime){.year = 2025, .month = 3, .day = 2 + i};
        dg_chapter *c = &s->chapters[i];
        c->post = p;
        c->id = dg_sprintf(a, "post-0%d", i + 1);
        c->doc = parse(xml[i]);
    }
    dg_book *b = &s->book;
    b->site = &s->site;
    memcpy(b->month, "2025-03", 8);
    b->year = 2025;
    b->mon = 3;
    b->title = "Page list site · March 2025";
    b->month_label = "March 2025";
    b->lang = "en";
    b->uuid = "urn:uuid:5b1e8c7a-0d4f-5a3b-9e2c-7f6a5d4c3b21";
    b->modified = 1743292800;
    b->modified_iso = "2025-03-30T00:00:00Z";
    b->chapters = s->chapters;
    b->nchapters = 2;
    b->reg.arena = a;
    b->arena = a;
}

static void free_sample(sample *s)
{
    for (int i = 0; i < 2; i++)
        xmlFreeDoc(s->chapters[i].doc);
}

/* The first text node under the N-th (0-based) element named NAME. */
static const xmlNode *text_in(const dg_chapter *c, const char *name, int n)
{
    xmlNodePtr root = xmlDocGetRootElement(c->doc);
    int seen = 0; /* depth first, in document order */
    xmlNodePtr stack[32];
    int top = 0;
    stack[top++] = root;
    while (top) {
        xmlNodePtr k = stack[--top];
        if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, name) && seen++ == n)
            for (xmlNodePtr t = k->children; t; t = t->children)
                if (t->type == XML_TEXT_NODE)
                    return t;
        for (xmlNodePtr ch = k->last; ch && top < 32; ch = ch->prev)
            stack[top++] = ch;
    }
    return NULL;
}

static char *entry(const char *path, const char *name)
{
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    if (!z)
        return NULL;
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        buf = calloc(1, st.size + 1);
        if (f && zip_fread(f, buf, st.size) != (zip_int64_t)st.size) {
            free(buf);
            buf = NULL;
        }
        if (f)
            zip_fclose(f);
    }
    zip_close(z);
    return buf;
}

static bool same_file(const char *p1, const char *p2)
{
    char *a = NULL, *b = NULL;
    size_t n1 = 0, n2 = 0;
    bool same = dg_read_file(p1, &a, &n1) == 0 && dg_read_file(p2, &b, &n2) == 0 && n1 == n2 &&
                memcmp(a, b, n1) == 0;
    free(a);
    free(b);
    return same;
}

static void add(dg_page_map *m, unsigned num, size_t ch, dg_page_at at, const xmlNode *n,
                size_t off)
{
    dg_page_mark mk = {.number = num, .chapter = ch, .at = at, .node = n, .off = off};
    dg_page_map_add(m, &mk);
}

int main(void)
{
    xmlInitParser();
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    char *dir = dg_sprintf(a, "%s/epub-pagelist-%ld", TEST_BINARY_DIR, (long)getpid());
    CHECK(dg_mkdir_p(dir) == 0);

    sample s;
    make_sample(&s, a, dir, CH2);
    const dg_chapter *c1 = &s.chapters[0];
    const xmlNode *alpha = text_in(c1, "p", 0), *second = text_in(c1, "p", 1);
    const xmlNode *code = text_in(c1, "code", 0);
    CHECK(alpha && second && code);

    /* page 3 opens post 1; 4 begins at "gamma"; 5 has no text (an image):
     * its marker goes before 6's, which begins at "here"; 7 (link notes)
     * at the post's end; 8 opens post 2 */
    dg_page_map m;
    dg_page_map_init(&m, a);
    m.source = "2025-03.pdf";
    add(&m, 3, 0, DG_PAGE_AT_CHAPTER, NULL, 0);
    add(&m, 4, 0, DG_PAGE_AT_TEXT, alpha, strlen("Alpha beta "));
    add(&m, 5, 0, DG_PAGE_AT_NEXT, NULL, 0);
    add(&m, 6, 0, DG_PAGE_AT_TEXT, second && second->next ? second->next->next : NULL, 1);
    add(&m, 7, 0, DG_PAGE_AT_TEXT, code, strlen("line one\n"));
    add(&m, 8, 0, DG_PAGE_AT_NEXT, NULL, 0);
    add(&m, 9, 1, DG_PAGE_AT_CHAPTER, NULL, 0);

    char *plain = dg_path_join(a, dir, "plain.epub"), *none = dg_path_join(a, dir, "none.epub");
    char *paged = dg_path_join(a, dir, "paged.epub");
    CHECK(dg_epub_write(&s.book, plain, d) == 0);
    dg_page_map empty;
    dg_page_map_init(&empty, a);
    CHECK(dg_epub_write_mapped(&s.book, none, &empty, d) == 0);
    CHECK(same_file(plain, none)); /* no map: not a byte changes */
    CHECK(dg_epub_write_mapped(&s.book, paged, &m, d) == 0);
    CHECK(dg_diag_errors(d) == 0);

    char *p1 = entry(paged, "OEBPS/post-01.xhtml"), *p2 = entry(paged, "OEBPS/post-02.xhtml");
    CHECK_CONTAINS(p1, MARK(3) "\n<header class=\"chapter-head\">");
    CHECK_CONTAINS(p1, "<p>Alpha beta " MARK(4) "gamma delta.</p>");
    CHECK_CONTAINS(p1, "<em>paragraph</em> " MARK(5) MARK(6) "here.</p>");
    CHECK_CONTAINS(p1, "line one\n" MARK(7) "line two</code></pre>");
    CHECK_CONTAINS(p1, MARK(8) "\n</section>");
    CHECK_CONTAINS(p2, MARK(9) "\n<header class=\"chapter-head\">");
    char *nav = entry(paged, "OEBPS/nav.xhtml");
    CHECK_CONTAINS(nav, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" "
                        "hidden=\"hidden\">\n<ol>\n"
                        "<li><a href=\"post-01.xhtml#page-3\">3</a></li>\n"
                        "<li><a href=\"post-01.xhtml#page-4\">4</a></li>\n"
                        "<li><a href=\"post-01.xhtml#page-5\">5</a></li>\n"
                        "<li><a href=\"post-01.xhtml#page-6\">6</a></li>\n"
                        "<li><a href=\"post-01.xhtml#page-7\">7</a></li>\n"
                        "<li><a href=\"post-01.xhtml#page-8\">8</a></li>\n"
                        "<li><a href=\"post-02.xhtml#page-9\">9</a></li>\n</ol>\n</nav>");
    char *opf = entry(paged, "OEBPS/content.opf");
    CHECK_CONTAINS(opf, "\"schema:accessibilityFeature\">pageBreakMarkers</meta>");
    CHECK_CONTAINS(opf, "\"schema:accessibilityFeature\">pageNavigation</meta>");
    CHECK_CONTAINS(opf, "<dc:source id=\"page-source\">2025-03.pdf</dc:source>\n"
                        "<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>");
    CHECK_CONTAINS(opf, "page numbers of the PDF edition made with it (2025-03.pdf)");
    char *plain_opf = entry(plain, "OEBPS/content.opf");
    CHECK_NOT_CONTAINS(plain_opf, "pageBreakMarkers");
    CHECK_NOT_CONTAINS(plain_opf, "page-source");
    free(p1);
    free(p2);
    free(nav);
    free(opf);
    free(plain_opf);
    free_sample(&s);

    /* the book has an id "page-9" of its own: the markers take another prefix */
    make_sample(&s, a, dir, CH2_ID);
    dg_page_map m2;
    dg_page_map_init(&m2, a);
    add(&m2, 8, 0, DG_PAGE_AT_CHAPTER, NULL, 0);
    add(&m2, 9, 1, DG_PAGE_AT_CHAPTER, NULL, 0);
    CHECK(dg_epub_write_mapped(&s.book, paged, &m2, d) == 0);
    p2 = entry(paged, "OEBPS/post-02.xhtml");
    CHECK_CONTAINS(p2, "id=\"pdf-page-9\" aria-label=\"9\"/>");
    CHECK_CONTAINS(p2, "<p id=\"page-9\">Other post.</p>");
    nav = entry(paged, "OEBPS/nav.xhtml");
    CHECK_CONTAINS(nav, "<li><a href=\"post-02.xhtml#pdf-page-9\">9</a></li>");
    free(p2);
    free(nav);
    free_sample(&s);

    if (dg_diag_errors(d))
        fprintf(stderr, "%s", dg_diag_text(d));
    CHECK(dg_diag_errors(d) == 0);
    dg_diag_free(d);
    dg_arena_free(a);
    xmlCleanupParser();
    TEST_DONE();
}
