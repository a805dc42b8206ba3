/* test_epub_parts.c - the EPUB writer's inside, through epub_impl.h: a
 * chapter cut into parts (before headings, inside a list too long for one
 * file), the id -> file map, and links and list numbering as each part is
 * serialized.  test_epub.c checks the same through whole books. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "epub/epub_impl.h"
#include "test.h"

#define SECTION_OPEN "<section xmlns=\"http://www.w3.org/1999/xhtml\" class=\"post-body\">"

static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "chapter.xhtml", "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL);
    return doc;
}

/* Part PT of CH serialized, inside a section (so that it parses). */
static char *part_text(writer *w, const chap *ch, size_t pt)
{
    dg_buf b = {0};
    dg_buf_puts(&b, SECTION_OPEN);
    epub_write_units(w, &b, ch, &ch->parts[pt]);
    dg_buf_puts(&b, "</section>");
    return dg_buf_to_arena(&b, w->a);
}

static bool parses(const char *s)
{
    xmlDocPtr doc = xmlReadMemory(s, (int)strlen(s), "part.xhtml", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc)
        xmlFreeDoc(doc);
    return doc != NULL;
}

static void start_writer(writer *w, dg_book *book, dg_diag *d)
{
    memset(w, 0, sizeof *w);
    w->book = book;
    w->d = d;
    w->a = dg_arena_new();
    dg_map_init(&w->ids, w->a);
    w->lang = "zh-CN";
    w->zh = true;
}

/* A short chapter: one part, named by its number and the width. */
static void test_short(dg_book *book, dg_diag *d)
{
    writer w;
    start_writer(&w, book, d);
    dg_chapter c = {0};
    c.id = "post-03";
    c.doc = parse(SECTION_OPEN "<p id=\"a\">甲<a href=\"#b\">乙</a></p><p id=\"b\">丙</p>"
                               "<p id=\"a\">重复</p>"
                               "<p><a href=\"//cdn.example.com/x\">x</a><a href=\"other.md\">y</a>"
                               "<a href=\"javascript:alert(1)\">z</a></p></section>");
    chap ch = {.c = &c};
    epub_plan_chapter(&w, &ch, 2, 3);
    CHECK(ch.nparts == 1);
    CHECK_STR(ch.parts[0].item, "post-003");
    CHECK_STR(ch.parts[0].file, "post-003.xhtml");
    const id_entry *e = epub_id_get(&w, "post-03");
    CHECK(e && e->owner == NULL && !strcmp(e->file, "post-003.xhtml"));
    CHECK(epub_id_get(&w, "nowhere") == NULL);

    char *t = part_text(&w, &ch, 0);
    CHECK(parses(t));
    CHECK_CONTAINS(t, "<p id=\"a\">甲<a href=\"#b\">乙</a></p>");
    CHECK_CONTAINS(t, "<p>重复</p>"); /* the second "a" loses its id */
    CHECK_CONTAINS(t, "<a href=\"https://cdn.example.com/x\">x</a><a>y</a><a>z</a>");
    xmlFreeDoc(c.doc);
    dg_arena_free(w.a);
}

/* Three sections of 75 KB and a list of ~500 KB, too long for one file. */
static void test_long(dg_book *book, dg_diag *d)
{
    writer w;
    start_writer(&w, book, d);
    dg_buf b = {0};
    dg_buf_puts(&b, SECTION_OPEN "<p><a href=\"#fn\" id=\"ref\">1</a></p>");
    for (int s = 1; s <= 3; s++) {
        dg_buf_printf(&b, "<h2 id=\"s%d\">第%d部分</h2>", s, s);
        for (int p = 0; p < 10; p++) {
            dg_buf_puts(&b, "<p>");
            for (int k = 0; k < 500; k++)
                dg_buf_puts(&b, "汉字排版。");
            dg_buf_puts(&b, "</p>");
        }
    }
    dg_buf_puts(&b, "<ol id=\"list\" start=\"5\">");
    for (int i = 0; i < 12000; i++)
        dg_buf_printf(&b, "<li>第%d项：汉字排版测试。</li>", i + 5);
    dg_buf_puts(&b, "</ol><p id=\"fn\"><a href=\"#ref\">↩</a></p></section>");
    dg_chapter c = {0};
    c.id = "post-01";
    c.doc = parse(dg_buf_to_arena(&b, w.a));
    chap ch = {.c = &c};
    epub_plan_chapter(&w, &ch, 0, 2);
    CHECK(ch.nparts >= 4);
    CHECK(dg_diag_warnings(d) == 0);
    for (size_t p = 0; p < ch.nparts; p++) {
        size_t used = 0;
        for (size_t i = ch.parts[p].first; i < ch.parts[p].end; i++)
            used += ch.units[i].size;
        CHECK(used <= EPUB_PART_BUDGET);
        CHECK(p == 0 || ch.parts[p].first == ch.parts[p - 1].end);
        char *t = part_text(&w, &ch, p);
        CHECK(parses(t));
    }
    CHECK(ch.parts[ch.nparts - 1].end == ch.nunits);
    CHECK_STR(ch.parts[1].file, "post-01-2.xhtml");
    /* The list's first items do not fit after the sections: the cut comes
     * before the last heading, not just before the list. */
    xmlChar *cut = xmlGetProp(ch.units[ch.parts[1].first].node, (const xmlChar *)"id");
    CHECK_STR((const char *)cut, "s3");
    xmlFree(cut);

    /* Each id lives where its element is written; links point there. */
    const id_entry *s1 = epub_id_get(&w, "s1"), *s3 = epub_id_get(&w, "s3");
    CHECK(s1 && !strcmp(s1->file, "post-01.xhtml"));
    CHECK(s3 && !strcmp(s3->file, "post-01-2.xhtml"));
    const id_entry *fn = epub_id_get(&w, "fn"), *list = epub_id_get(&w, "list");
    CHECK(fn && !strcmp(fn->file, ch.parts[ch.nparts - 1].file));
    CHECK(list && !strcmp(list->file, "post-01-2.xhtml"));
    char *first = part_text(&w, &ch, 0);
    CHECK_CONTAINS(first, dg_sprintf(w.a, "<a href=\"%s#fn\" id=\"ref\">", fn->file));

    /* The list opens in part two (with its id) and goes on in the next
     * parts, numbered on (without the id, which is already in the book). */
    char *two = part_text(&w, &ch, 1);
    CHECK_CONTAINS(two, "<ol id=\"list\" start=\"5\">");
    char *three = part_text(&w, &ch, 2);
    CHECK_NOT_CONTAINS(three, "id=\"list\"");
    const char *ol = strstr(three, "<ol start=\"");
    CHECK(ol != NULL);
    if (ol) {
        long start = atol(ol + strlen("<ol start=\""));
        CHECK(start > 5);
        CHECK_CONTAINS(three, dg_sprintf(w.a, "<li>第%ld项：", start));
    }
    xmlFreeDoc(c.doc);
    dg_arena_free(w.a);
}

int main(void)
{
    xmlInitParser();
    dg_diag *d = dg_diag_new(NULL);
    dg_book book;
    memset(&book, 0, sizeof book);
    test_short(&book, d);
    test_long(&book, d);
    if (dg_diag_errors(d) || dg_diag_warnings(d))
        fprintf(stderr, "%s", dg_diag_text(d));
    dg_diag_free(d);
    TEST_DONE();
}
