/* epub.c - the EPUB3 writer: a dg_book becomes one .epub through libzip.
 *
 * Order of work: every file of the container is first made in memory (so a
 * failure leaves nothing half-written), then the zip is written to a
 * temporary name next to the output and renamed into place.
 *
 * Chapters: each post is one XHTML file, or several when it is long.  The
 * content tree's top-level blocks are measured, then cut into parts of at
 * most EPUB_PART_BUDGET bytes, preferably just before a heading.  A map from
 * every id to the file holding it lets the nav, the NCX and in-book links
 * (footnotes) point into the right part.
 *
 * The trees are serialized here, not with xmlNodeDump: the writer walks them
 * iteratively, emits XHTML without namespace clutter, rewrites links, and
 * drops what an EPUB may not contain (links to files that are not in the
 * book, attributes HTML5 forbids), so the output stays epubcheck-clean even
 * when a tree carries something unexpected.
 */
#include "epub/epub.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "content/url.h"
#include "epub/template.h"

/* Readers derived from Adobe's engine (and Kindle conversion) slow down or
 * refuse spine items over ~260 KB; no XHTML file we write is bigger. */
#define EPUB_MAX_XHTML (260 * 1000)
/* Body bytes per part: the limit less room for the page skeleton, the chapter
 * head and links that grow when rewritten to point into other parts. */
#define EPUB_PART_BUDGET (EPUB_MAX_XHTML - 24 * 1000)
/* How many containers deep a block too big for one file is opened to split
 * it among its children; deeper than this it stays whole (and too big). */
#define EPUB_SPLIT_DEPTH 8
/* Deflate level for everything but mimetype: size matters more than speed. */
#define EPUB_DEFLATE_LEVEL 9

#define NS_XHTML "http://www.w3.org/1999/xhtml"

/* ------------------------------------------------------------------ */
/* id -> file map                                                      */

typedef struct id_entry {
    const char *id;
    const char *file;
    const void *owner; /* the node that carries the id (NULL: the chapter head) */
} id_entry;

/* The entry of ID in M (id -> id_entry), or NULL. */
static const id_entry *map_get(const dg_map *m, const char *id)
{
    void *e;
    return dg_map_get(m, id, &e) ? e : NULL;
}

/* Records ID in FILE unless it is already known (the first one wins; later
 * duplicates lose their id attribute when serialized). */
static void map_put(dg_map *m, const char *id, const char *file, const void *owner)
{
    if (dg_map_get(m, id, NULL))
        return;
    id_entry *e = dg_alloc(m->a, sizeof *e);
    e->id = dg_strdup(m->a, id);
    e->file = file;
    e->owner = owner;
    dg_map_put(m, e->id, e);
}

/* ------------------------------------------------------------------ */
/* The book being made                                                 */

typedef struct part {
    size_t first, end; /* units [first, end) of the chapter */
    const char *file;  /* "post-01-2.xhtml" */
    const char *item;  /* manifest id "post-01-2" */
} part;

/* A piece of a chapter that goes whole into one file: a top-level block, or,
 * inside a container too big for one file, one of its children (CHAIN holds
 * the containers from the top down, reopened in each file). */
typedef struct unit {
    xmlNodePtr node;
    xmlNodePtr *chain;
    size_t nchain;
    size_t size;
} unit;

typedef struct chap {
    const dg_chapter *c;
    unit *units;
    size_t nunits;
    part *parts;
    size_t nparts;
} chap;

typedef struct entry {
    const char *name;
    const char *data;
    size_t len;
    bool store;
} entry;

typedef struct writer {
    const dg_book *book;
    dg_diag *d;
    dg_arena *a;
    bool zh;         /* CJK labels (dates: dg_format_date) */
    const char *lang;
    dg_map ids;      /* id -> id_entry: the file that holds it */
    chap *chaps;
    size_t nchaps;
    entry *entries;
    size_t nentries, capentries;
    const char *tpl_chapter, *tpl_head, *tpl_cover, *css;
    int failed;
} writer;

static void add_entry(writer *w, const char *name, const char *data, size_t len, bool store)
{
    dg_arena_grow(w->a, &w->entries, w->nentries, &w->capentries, sizeof *w->entries, 32);
    w->entries[w->nentries++] = (entry){name, data, len, store};
}

/* ------------------------------------------------------------------ */
/* Text helpers                                                        */

/* XML-escapes S for text or attribute values, dropping characters XML 1.0
 * cannot carry (C0 controls other than tab, newline, return). */
static void put_esc(dg_buf *b, const char *s, bool attr)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': dg_buf_puts(b, "&amp;"); break;
        case '<': dg_buf_puts(b, "&lt;"); break;
        case '>': dg_buf_puts(b, "&gt;"); break;
        case '"': dg_buf_puts(b, attr ? "&quot;" : "\""); break;
        case '\n': dg_buf_puts(b, attr ? "&#10;" : "\n"); break;
        case '\t': dg_buf_puts(b, attr ? "&#9;" : "\t"); break;
        case '\r': dg_buf_puts(b, "&#13;"); break;
        default:
            if (*p >= 0x20)
                dg_buf_putc(b, (char)*p);
        }
    }
}

static char *esc(dg_arena *a, const char *s)
{
    dg_buf b = {0};
    put_esc(&b, s, true);
    return dg_buf_to_arena(&b, a);
}

static bool is_ws_only(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static bool all_digits(const char *s, bool sign)
{
    if (sign && *s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The post's title with its issue number ("第 105 期 · 富士山下"), as the
 * contents, the cover list and the chapter head show it. */
static const char *post_title(writer *w, const dg_chapter *c)
{
    if (c->post && c->post->title && !is_ws_only(c->post->title))
        return dg_post_display_title(w->a, c->post, w->lang);
    if (c->post && c->post->number > 0)
        return dg_post_number_label(w->a, c->post, w->lang);
    return c->id ? c->id : "untitled";
}

/* ------------------------------------------------------------------ */
/* Links                                                               */

static const char *media_type(const dg_asset *as);
static bool href_ok(const char *h);

/* An asset the book packs: known media type, safe name, some bytes. */
static bool asset_usable(const dg_asset *as)
{
    return as && media_type(as) && href_ok(as->href) && as->image.data;
}

static bool is_asset(const dg_book *b, const char *href)
{
    for (size_t i = 0; i < b->reg.nassets; i++)
        if (asset_usable(b->reg.assets[i]) && strcmp(b->reg.assets[i]->href, href) == 0)
            return true;
    return false;
}

/* The href to write for a link found in the tree, or NULL to drop it.
 * FILE is the file being written (for links inside the same part). */
static const char *resolve_href(writer *w, const char *href, const char *file)
{
    if (!href)
        return NULL;
    while (*href == ' ' || *href == '\t' || *href == '\n')
        href++;
    if (*href == '#') {
        const id_entry *e = map_get(&w->ids, href + 1);
        if (!e)
            return NULL;
        if (file && strcmp(e->file, file) == 0)
            return dg_sprintf(w->a, "#%s", e->id);
        return dg_sprintf(w->a, "%s#%s", e->file, e->id);
    }
    if (href[0] == '/' && href[1] == '/')
        return dg_url_clean(w->a, dg_sprintf(w->a, "https:%s", href));
    char sch[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme(href, sch);
    if (sch[0]) {
        static const char *const ok[] = {"http", "https", "mailto", "ftp", "ftps", "tel", "news"};
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
            if (strcmp(sch, ok[i]) == 0)
                return dg_url_clean(w->a, href);
        return NULL;
    }
    if (is_asset(w->book, href))
        return href;
    return NULL; /* a relative link to something that is not in the book */
}

/* ------------------------------------------------------------------ */
/* Serializing a content tree                                          */

static bool is_void(const xmlChar *n)
{
    static const char *const v[] = {"br", "hr", "img", "wbr"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (xmlStrEqual(n, (const xmlChar *)v[i]))
            return true;
    return false;
}

static bool is_heading(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->name[0] == 'h' && n->name[1] >= '1' &&
           n->name[1] <= '6' && n->name[2] == '\0';
}

static bool el_is(xmlNodePtr n, const char *name)
{
    return xmlStrEqual(n->name, (const xmlChar *)name);
}

static void put_attr(dg_buf *b, const char *name, const char *val)
{
    dg_buf_printf(b, " %s=\"", name);
    put_esc(b, val, true);
    dg_buf_putc(b, '"');
}

/* Writes the start tag of element N.  Returns false when the element is
 * replaced (an img whose source is not in the book becomes a placeholder
 * span, written here). */
static bool start_tag(writer *w, dg_buf *b, xmlNodePtr n, const char *file, long start)
{
    bool is_img = el_is(n, "img"), has_alt = false;
    if (is_img) {
        xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
        bool ok = src && is_asset(w->book, (const char *)src);
        xmlFree(src);
        if (!ok) {
            xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
            dg_buf_puts(b, "<span class=\"placeholder image\">[");
            dg_buf_puts(b, w->zh ? "图片" : "image");
            dg_buf_puts(b, "]");
            if (alt && *alt) {
                dg_buf_putc(b, ' ');
                put_esc(b, (const char *)alt, false);
            }
            dg_buf_puts(b, "</span>");
            xmlFree(alt);
            return false;
        }
    }
    dg_buf_printf(b, "<%s", (const char *)n->name);
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        const char *an = (const char *)at->name;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
        const char *val = v ? (const char *)v : "";
        if (at->ns && at->ns->prefix) {
            if (xmlStrEqual(at->ns->prefix, (const xmlChar *)"xml") && strcmp(an, "lang") == 0)
                put_attr(b, "xml:lang", val);
        } else if (strcmp(an, "id") == 0) {
            const id_entry *e = map_get(&w->ids, val);
            if (*val && !strpbrk(val, " \t\n\r") && e && e->owner == n &&
                (!file || strcmp(e->file, file) == 0))
                put_attr(b, "id", val);
        } else if (strcmp(an, "class") == 0 || strcmp(an, "title") == 0 ||
                   strcmp(an, "lang") == 0 || strcmp(an, "dir") == 0) {
            put_attr(b, an, val);
        } else if (strcmp(an, "href") == 0 && el_is(n, "a")) {
            const char *h = resolve_href(w, val, file);
            if (h)
                put_attr(b, "href", h);
        } else if (strcmp(an, "src") == 0 && is_img) {
            put_attr(b, "src", val);
        } else if (strcmp(an, "alt") == 0 && is_img) {
            put_attr(b, "alt", val);
            has_alt = true;
        } else if ((strcmp(an, "width") == 0 || strcmp(an, "height") == 0) && is_img) {
            if (all_digits(val, false))
                put_attr(b, an, val);
        } else if (strcmp(an, "start") == 0 && el_is(n, "ol")) {
            if (all_digits(val, true) && !start)
                put_attr(b, an, val);
        } else if (strcmp(an, "colspan") == 0 || strcmp(an, "rowspan") == 0) {
            if (all_digits(val, false) && atoi(val) > 0)
                put_attr(b, an, val);
        } else if (strcmp(an, "align") == 0 && (el_is(n, "td") || el_is(n, "th"))) {
            /* HTML5 has no align attribute: the same thing as a style. */
            if (!strcmp(val, "left") || !strcmp(val, "right") || !strcmp(val, "center") ||
                !strcmp(val, "justify"))
                dg_buf_printf(b, " style=\"text-align: %s\"", val);
        }
        xmlFree(v);
    }
    if (is_img && !has_alt)
        put_attr(b, "alt", "");
    if (start)
        dg_buf_printf(b, " start=\"%ld\"", start);
    return true;
}

/* Serializes TOP and its subtree into B (iteratively: deep trees cannot
 * overflow the stack). */
static void serialize(writer *w, dg_buf *b, xmlNodePtr top, const char *file)
{
    xmlNodePtr n = top;
    while (n) {
        bool descend = false;
        switch (n->type) {
        case XML_ELEMENT_NODE:
            if (!start_tag(w, b, n, file, 0))
                break;
            if (is_void(n->name)) {
                dg_buf_puts(b, "/>");
            } else {
                dg_buf_putc(b, '>');
                if (n->children)
                    descend = true;
                else
                    dg_buf_printf(b, "</%s>", (const char *)n->name);
            }
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            put_esc(b, (const char *)n->content, false);
            break;
        default: /* comments, processing instructions, entity references */
            break;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* Next sibling, else close the parents on the way up. */
        while (n && n != top && !n->next) {
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE)
                dg_buf_printf(b, "</%s>", (const char *)n->name);
        }
        if (!n || n == top)
            break;
        n = n->next;
    }
}

/* Records every id in the subtree of TOP as living in FILE. */
static void collect_ids(writer *w, xmlNodePtr top, const char *file)
{
    xmlNodePtr n = top;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
            if (id && *id)
                map_put(&w->ids, (const char *)id, file, n);
            xmlFree(id);
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && n != top && !n->next)
            n = n->parent;
        if (!n || n == top)
            break;
        n = n->next;
    }
}

/* ------------------------------------------------------------------ */
/* Splitting chapters                                                  */

static size_t measure(writer *w, xmlNodePtr n)
{
    dg_buf tmp = {0};
    serialize(w, &tmp, n, NULL);
    size_t len = tmp.len;
    dg_buf_free(&tmp);
    return len;
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

static void push_unit(writer *w, chap *ch, size_t *cap, xmlNodePtr n, xmlNodePtr *chain,
                      size_t nchain, size_t size)
{
    dg_arena_grow(w->a, &ch->units, ch->nunits, cap, sizeof *ch->units, 64);
    unit *u = &ch->units[ch->nunits++];
    u->node = n;
    u->size = size;
    u->nchain = nchain;
    u->chain = nchain ? dg_allocn(w->a, nchain, sizeof *chain) : NULL;
    if (nchain)
        memcpy(u->chain, chain, nchain * sizeof *chain);
}

/* Adds N as a unit of the chapter, or, when it alone is over the budget and
 * is a container (list, table, quote, div), its children, inside it. */
static void add_units(writer *w, chap *ch, size_t *cap, xmlNodePtr n, xmlNodePtr *chain,
                      size_t nchain)
{
    size_t size = measure(w, n);
    if (size > EPUB_PART_BUDGET && n->type == XML_ELEMENT_NODE && has_element_child(n) &&
        nchain < EPUB_SPLIT_DEPTH && !el_is(n, "pre") && !el_is(n, "p")) {
        chain[nchain] = n;
        for (xmlNodePtr k = n->children; k; k = k->next)
            add_units(w, ch, cap, k, chain, nchain + 1);
        return;
    }
    push_unit(w, ch, cap, n, chain, nchain, size);
}

static void add_part(writer *w, chap *ch, size_t *cap, size_t first, size_t end)
{
    dg_arena_grow(w->a, &ch->parts, ch->nparts, cap, sizeof *ch->parts, 4);
    ch->parts[ch->nparts++] = (part){first, end, NULL, NULL};
}

/* Cuts chapter C into parts of at most EPUB_PART_BUDGET bytes, cutting before
 * a heading where one is in reach. */
static void plan_chapter(writer *w, chap *ch, size_t index, int width)
{
    const dg_chapter *c = ch->c;
    xmlNodePtr root = c->doc ? xmlDocGetRootElement(c->doc) : NULL;
    xmlNodePtr chain[EPUB_SPLIT_DEPTH];
    size_t ucap = 0, pcap = 0;
    for (xmlNodePtr k = root ? root->children : NULL; k; k = k->next)
        add_units(w, ch, &ucap, k, chain, 0);
    size_t n = ch->nunits;

    /* Greedy: fill a part; when the next unit does not fit, cut before the
     * last heading of the part (if that leaves something before it), else
     * right here. */
    size_t first = 0, used = 0;
    bool warned = false;
    for (size_t i = 0; i < n; i++) {
        if (i > first && used + ch->units[i].size > EPUB_PART_BUDGET) {
            size_t cut = i;
            for (size_t j = i - 1; j > first; j--)
                if (is_heading(ch->units[j].node)) {
                    cut = j;
                    break;
                }
            add_part(w, ch, &pcap, first, cut);
            first = cut;
            used = 0;
            for (size_t j = first; j < i; j++)
                used += ch->units[j].size;
        }
        if (ch->units[i].size > EPUB_PART_BUDGET && !warned) {
            dg_report_file(w->d, DG_WARNING, c->post ? c->post->path : NULL,
                           "a block of %zu bytes (<%s>) cannot be split: its EPUB file is over "
                           "%d bytes",
                           ch->units[i].size,
                           ch->units[i].node->type == XML_ELEMENT_NODE
                               ? (const char *)ch->units[i].node->name
                               : "text",
                           EPUB_MAX_XHTML);
            warned = true;
        }
        used += ch->units[i].size;
    }
    add_part(w, ch, &pcap, first, n);

    for (size_t p = 0; p < ch->nparts; p++) {
        const char *item = p == 0 ? dg_sprintf(w->a, "post-%0*zu", width, index + 1)
                                  : dg_sprintf(w->a, "post-%0*zu-%zu", width, index + 1, p + 1);
        ch->parts[p].item = item;
        ch->parts[p].file = dg_sprintf(w->a, "%s.xhtml", item);
    }
    /* The chapter head (its h1 carries the chapter's id) opens part one;
     * a split container keeps its id in the first part it opens in. */
    if (c->id && *c->id)
        map_put(&w->ids, c->id, ch->parts[0].file, NULL);
    for (size_t p = 0; p < ch->nparts; p++)
        for (size_t i = ch->parts[p].first; i < ch->parts[p].end; i++) {
            const unit *u = &ch->units[i];
            for (size_t k = 0; k < u->nchain; k++) {
                xmlChar *id = xmlGetProp(u->chain[k], (const xmlChar *)"id");
                if (id && *id)
                    map_put(&w->ids, (const char *)id, ch->parts[p].file, u->chain[k]);
                xmlFree(id);
            }
            collect_ids(w, u->node, ch->parts[p].file);
        }
}

/* The li elements before LI in its list. */
static long li_before(xmlNodePtr li)
{
    long n = 0;
    for (xmlNodePtr k = li->prev; k; k = k->prev)
        if (k->type == XML_ELEMENT_NODE && el_is(k, "li"))
            n++;
    return n;
}

/* Writes the units of part PT: the ancestors of split containers are opened
 * and closed around them as the chain changes. */
static void write_units(writer *w, dg_buf *b, const chap *ch, const part *pt)
{
    xmlNodePtr open[EPUB_SPLIT_DEPTH];
    size_t nopen = 0;
    for (size_t i = pt->first; i < pt->end; i++) {
        const unit *u = &ch->units[i];
        size_t common = 0;
        while (common < nopen && common < u->nchain && open[common] == u->chain[common])
            common++;
        while (nopen > common) {
            nopen--;
            dg_buf_printf(b, "</%s>\n", (const char *)open[nopen]->name);
        }
        for (size_t k = common; k < u->nchain; k++) {
            xmlNodePtr el = u->chain[k];
            long start = 0;
            /* A list continued in a later file keeps its numbering. */
            xmlNodePtr next = k + 1 < u->nchain ? u->chain[k + 1] : u->node;
            if (el_is(el, "ol") && next->type == XML_ELEMENT_NODE && el_is(next, "li") &&
                li_before(next) > 0) {
                xmlChar *st = xmlGetProp(el, (const xmlChar *)"start");
                long base = st && all_digits((const char *)st, true) ? atol((const char *)st) : 1;
                xmlFree(st);
                start = base + li_before(next);
            }
            start_tag(w, b, el, pt->file, start);
            dg_buf_puts(b, ">");
            open[nopen++] = el;
        }
        serialize(w, b, u->node, pt->file);
        /* One block a line: readable, and diffs between builds stay small. */
        if (u->node->type == XML_ELEMENT_NODE &&
            (!u->node->next || u->node->next->type != XML_TEXT_NODE))
            dg_buf_putc(b, '\n');
    }
    while (nopen > 0) {
        nopen--;
        dg_buf_printf(b, "</%s>\n", (const char *)open[nopen]->name);
    }
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */

/* Parses an XHTML/XML file we made; a failure means a broken template
 * override (or a bug) and is reported instead of writing a bad book. */
static int check_xml(writer *w, const char *name, const char *data, size_t len)
{
    int rc = -1;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, name, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
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

static void add_xml(writer *w, const char *name, dg_buf *b)
{
    size_t len = b->len;
    char *data = dg_buf_to_arena(b, w->a);
    if (check_xml(w, name, data, len) != 0)
        w->failed = 1;
    add_entry(w, name, data, len, false);
}

static const char *tags_html(writer *w, const dg_post *p)
{
    if (!p || !p->ntags)
        return "";
    dg_buf b = {0};
    for (size_t i = 0; i < p->ntags; i++) {
        if (!p->tags[i] || !*p->tags[i])
            continue;
        dg_buf_puts(&b, "<span class=\"tag\">");
        put_esc(&b, p->tags[i], false);
        dg_buf_puts(&b, "</span> ");
    }
    return dg_buf_to_arena(&b, w->a);
}

static void write_chapter(writer *w, chap *ch)
{
    const dg_chapter *c = ch->c;
    const dg_post *p = c->post;
    const char *title = post_title(w, c);
    for (size_t pi = 0; pi < ch->nparts; pi++) {
        part *pt = &ch->parts[pi];
        dg_buf body = {0};
        if (pi == 0) {
            const char *date = "", *date_iso = "";
            if (p && p->has_date) {
                date = dg_format_date(w->a, w->lang, p->date.year, p->date.month, p->date.day);
                date_iso = dg_sprintf(w->a, "%04d-%02d-%02d", p->date.year, p->date.month,
                                      p->date.day);
            }
            const char *tags = tags_html(w, p);
            dg_var v[] = {
                {"id", c->id && *c->id ? c->id : ""},
                {"title", title},
                {"plain_title", p && p->title ? p->title : title},
                {"number", p ? dg_post_number_label(w->a, p, w->lang) : ""},
                {"subtitle", p && p->subtitle ? p->subtitle : ""},
                {"date", date},
                {"date_iso", date_iso},
                {"author", p && p->author ? p->author : ""},
                {"tags", *tags ? "1" : ""},
                {"tags_html", tags},
                {"lang", w->lang},
            };
            dg_buf_puts(&body, dg_template_expand(w->a, w->tpl_head, v, sizeof v / sizeof v[0]));
            dg_buf_putc(&body, '\n');
        }
        dg_buf_puts(&body, "<section class=\"post-body\">\n");
        write_units(w, &body, ch, pt);
        dg_buf_puts(&body, "\n</section>");
        const char *part_title =
            pi == 0 ? title : dg_sprintf(w->a, "%s (%zu)", title, pi + 1);
        dg_var v[] = {
            {"lang", w->lang},
            {"title", part_title},
            {"body", body.data ? body.data : ""},
        };
        dg_buf out = {0};
        dg_buf_puts(&out, dg_template_expand(w->a, w->tpl_chapter, v, sizeof v / sizeof v[0]));
        dg_buf_free(&body);
        if (out.len > EPUB_MAX_XHTML)
            dg_report_file(w->d, DG_WARNING, p ? p->path : NULL,
                           "%s is %zu bytes, over the %d-byte limit some readers have", pt->file,
                           out.len, EPUB_MAX_XHTML);
        add_xml(w, dg_sprintf(w->a, "OEBPS/%s", pt->file), &out);
    }
}

static const char *lang_attr(writer *w)
{
    return dg_sprintf(w->a, " xml:lang=\"%s\" lang=\"%s\"", esc(w->a, w->lang), esc(w->a, w->lang));
}

static void write_cover(writer *w)
{
    const dg_book *bk = w->book;
    dg_buf list = {0};
    for (size_t i = 0; i < w->nchaps; i++) {
        dg_buf_printf(&list, "<li><a href=\"%s\">", w->chaps[i].parts[0].file);
        put_esc(&list, post_title(w, w->chaps[i].c), false);
        dg_buf_puts(&list, "</a></li>\n");
    }
    const char *posts = dg_buf_to_arena(&list, w->a);
    dg_var v[] = {
        {"lang", w->lang},
        {"title", bk->title},
        {"site_title", bk->site && bk->site->title ? bk->site->title : ""},
        {"month_label", bk->month_label ? bk->month_label : bk->month},
        /* The author falls back to the site title: do not print it twice. */
        {"author", bk->author && !(bk->site && bk->site->title && !strcmp(bk->author, bk->site->title))
                       ? bk->author : ""},
        {"cover_src", asset_usable(bk->cover) ? bk->cover->href : ""},
        {"cover_alt", bk->title},
        {"posts_label", w->zh ? "本期文章" : "In this issue"},
        {"posts", posts},
    };
    dg_buf out = {0};
    dg_buf_puts(&out, dg_template_expand(w->a, w->tpl_cover, v, sizeof v / sizeof v[0]));
    add_xml(w, "OEBPS/cover.xhtml", &out);
}

/* A heading of the nav: the chapter's h1/h2 that can be linked. */
typedef struct navhead {
    const dg_heading *h;
    const char *file;
    int depth; /* 2 or 3 (the post is depth 1) */
} navhead;

static navhead *nav_heads(writer *w, const chap *ch, size_t *n)
{
    const dg_chapter *c = ch->c;
    navhead *out = dg_allocn(w->a, c->nheadings ? c->nheadings : 1, sizeof *out);
    int top = 3;
    for (size_t i = 0; i < c->nheadings; i++)
        if (c->headings[i].level <= 2 && c->headings[i].level < top)
            top = c->headings[i].level;
    size_t k = 0;
    bool have_parent = false;
    for (size_t i = 0; i < c->nheadings; i++) {
        const dg_heading *h = &c->headings[i];
        if (h->level > 2 || !h->id || !h->text || is_ws_only(h->text))
            continue;
        const id_entry *e = map_get(&w->ids, h->id);
        if (!e || e->owner == NULL)
            continue;
        int depth = (h->level == top || !have_parent) ? 2 : 3;
        if (depth == 2)
            have_parent = true;
        out[k++] = (navhead){h, e->file, depth};
    }
    *n = k;
    return out;
}

static void write_nav(writer *w)
{
    const dg_book *bk = w->book;
    dg_buf b = {0};
    const char *toc = w->zh ? "目录" : "Contents";
    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                  "<html xmlns=\"" NS_XHTML "\" xmlns:epub=\"http://www.idpf.org/2007/ops\"%s>\n"
                  "<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n"
                  "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n"
                  "<body>\n<nav epub:type=\"toc\" id=\"toc\" class=\"toc\">\n<h1>%s</h1>\n<ol>\n",
                  lang_attr(w), toc, toc);
    for (size_t i = 0; i < w->nchaps; i++) {
        const chap *ch = &w->chaps[i];
        dg_buf_printf(&b, "<li><a href=\"%s\">", ch->parts[0].file);
        put_esc(&b, post_title(w, ch->c), false);
        dg_buf_puts(&b, "</a>");
        size_t nh;
        navhead *hs = nav_heads(w, ch, &nh);
        int depth = 1;
        for (size_t k = 0; k < nh; k++) {
            if (hs[k].depth > depth) {
                dg_buf_puts(&b, "\n<ol>\n");
            } else if (hs[k].depth < depth) {
                dg_buf_puts(&b, "</li>\n</ol>\n</li>\n");
            } else {
                dg_buf_puts(&b, "</li>\n");
            }
            depth = hs[k].depth;
            dg_buf_printf(&b, "<li><a href=\"%s#%s\">", hs[k].file, esc(w->a, hs[k].h->id));
            put_esc(&b, hs[k].h->text, false);
            dg_buf_puts(&b, "</a>");
        }
        for (; depth > 1; depth--)
            dg_buf_puts(&b, "</li>\n</ol>\n");
        dg_buf_puts(&b, "</li>\n");
    }
    dg_buf_printf(&b,
                  "</ol>\n</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n"
                  "<ol>\n<li><a epub:type=\"cover\" href=\"cover.xhtml\">%s</a></li>\n"
                  "<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">%s</a></li>\n"
                  "<li><a epub:type=\"bodymatter\" href=\"%s\">%s</a></li>\n</ol>\n</nav>\n"
                  "</body>\n</html>\n",
                  w->zh ? "封面" : "Cover", toc, w->chaps[0].parts[0].file,
                  w->zh ? "正文" : "Start of content");
    (void)bk;
    add_xml(w, "OEBPS/nav.xhtml", &b);
}

static void ncx_point(writer *w, dg_buf *b, int *order, const char *label, const char *src)
{
    (*order)++;
    dg_buf_printf(b, "<navPoint id=\"np-%d\" playOrder=\"%d\"><navLabel><text>", *order, *order);
    put_esc(b, label, false);
    dg_buf_printf(b, "</text></navLabel><content src=\"%s\"/>", esc(w->a, src));
}

static void write_ncx(writer *w)
{
    const dg_book *bk = w->book;
    int maxdepth = 1, order = 0;
    dg_buf map = {0};
    for (size_t i = 0; i < w->nchaps; i++) {
        const chap *ch = &w->chaps[i];
        ncx_point(w, &map, &order, post_title(w, ch->c), ch->parts[0].file);
        size_t nh;
        navhead *hs = nav_heads(w, ch, &nh);
        int depth = 1;
        for (size_t k = 0; k < nh; k++) {
            if (hs[k].depth <= depth)
                dg_buf_puts(&map, "</navPoint>");
            if (hs[k].depth < depth)
                dg_buf_puts(&map, "</navPoint>");
            depth = hs[k].depth;
            if (depth > maxdepth)
                maxdepth = depth;
            ncx_point(w, &map, &order, hs[k].h->text,
                      dg_sprintf(w->a, "%s#%s", hs[k].file, hs[k].h->id));
        }
        for (; depth >= 1; depth--)
            dg_buf_puts(&map, "</navPoint>");
        dg_buf_putc(&map, '\n');
    }
    dg_buf b = {0};
    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" "
                  "xml:lang=\"%s\">\n<head>\n<meta name=\"dtb:uid\" content=\"%s\"/>\n"
                  "<meta name=\"dtb:depth\" content=\"%d\"/>\n"
                  "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                  "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
                  "<docTitle><text>%s</text></docTitle>\n",
                  esc(w->a, w->lang), esc(w->a, bk->uuid), maxdepth, esc(w->a, bk->title));
    if (bk->author && *bk->author)
        dg_buf_printf(&b, "<docAuthor><text>%s</text></docAuthor>\n", esc(w->a, bk->author));
    dg_buf_puts(&b, "<navMap>\n");
    if (map.data)
        dg_buf_put(&b, map.data, map.len);
    dg_buf_free(&map);
    dg_buf_puts(&b, "</navMap>\n</ncx>\n");
    add_xml(w, "OEBPS/toc.ncx", &b);
}

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

static void write_opf(writer *w, const char *modified)
{
    const dg_book *bk = w->book;
    dg_buf b = {0};
    const char *cover_item = NULL;
    dg_buf man = {0};
    dg_buf_puts(&man, "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
                      "properties=\"nav\"/>\n"
                      "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n"
                      "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n"
                      "<item id=\"cover\" href=\"cover.xhtml\" "
                      "media-type=\"application/xhtml+xml\"/>\n");
    for (size_t i = 0; i < bk->reg.nassets; i++) {
        const dg_asset *as = bk->reg.assets[i];
        if (!asset_usable(as))
            continue;
        const char *mt = media_type(as);
        bool is_cover = asset_usable(bk->cover) && strcmp(bk->cover->href, as->href) == 0;
        const char *item = dg_sprintf(w->a, "img-%zu", i + 1);
        if (is_cover && !cover_item)
            cover_item = item;
        dg_buf_printf(&man, "<item id=\"%s\" href=\"%s\" media-type=\"%s\"%s/>\n", item, as->href,
                      mt, is_cover && cover_item == item ? " properties=\"cover-image\"" : "");
    }
    for (size_t i = 0; i < w->nchaps; i++)
        for (size_t p = 0; p < w->chaps[i].nparts; p++)
            dg_buf_printf(&man, "<item id=\"%s\" href=\"%s\" media-type=\"application/xhtml+xml\"/>\n",
                          w->chaps[i].parts[p].item, w->chaps[i].parts[p].file);

    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                  "unique-identifier=\"bookid\" xml:lang=\"%s\">\n"
                  "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                  "<dc:identifier id=\"bookid\">%s</dc:identifier>\n"
                  "<dc:title>%s</dc:title>\n<dc:language>%s</dc:language>\n",
                  esc(w->a, w->lang), esc(w->a, bk->uuid), esc(w->a, bk->title),
                  esc(w->a, w->lang));
    if (bk->author && *bk->author)
        dg_buf_printf(&b, "<dc:creator>%s</dc:creator>\n", esc(w->a, bk->author));
    if (bk->site && bk->site->description && !is_ws_only(bk->site->description))
        dg_buf_printf(&b, "<dc:description>%s</dc:description>\n",
                      esc(w->a, bk->site->description));
    dg_buf_printf(&b, "<dc:date>%s</dc:date>\n<meta property=\"dcterms:modified\">%s</meta>\n",
                  book_date(w), modified);
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
    add_xml(w, "OEBPS/content.opf", &b);
}

/* ------------------------------------------------------------------ */
/* The zip                                                             */

/* The book's time as an MS-DOS date/time in UTC (the zip format keeps no
 * zone; using UTC rather than localtime makes the bytes independent of TZ). */
static void dos_time(long long t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t < 315532800LL) /* 1980-01-01, the first day MS-DOS dates can hold */
        tt = 315532800;
    gmtime_r(&tt, &tm);
    if (tm.tm_year > 2107 - 1900) {
        tm.tm_year = 2107 - 1900;
    }
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static int write_zip(writer *w, const char *path)
{
    int rc = -1;
    zip_t *z = NULL;
    int zerr = 0;
    char *tmp = dg_tmp_path_for(w->a, path);
    zip_uint16_t dt, dd;
    dos_time(w->book->modified, &dt, &dd);

    (void)unlink(tmp);
    z = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, zerr);
        dg_report_file(w->d, DG_ERROR, path, "cannot create EPUB: %s",
                  zip_error_strerror(&e));
        zip_error_fini(&e);
        goto out;
    }
    for (size_t i = 0; i < w->nentries; i++) {
        const entry *e = &w->entries[i];
        zip_source_t *src = zip_source_buffer(z, e->data, e->len, 0);
        zip_int64_t idx = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_GUESS) : -1;
        if (idx < 0) {
            if (src)
                zip_source_free(src);
            goto zfail;
        }
        if (zip_set_file_compression(z, (zip_uint64_t)idx, e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                     e->store ? 0 : EPUB_DEFLATE_LEVEL) < 0 ||
            zip_file_set_dostime(z, (zip_uint64_t)idx, dt, dd, 0) < 0)
            goto zfail;
    }
    if (zip_close(z) < 0)
        goto zfail;
    z = NULL;
    if (rename(tmp, path) != 0) {
        dg_report_file(w->d, DG_ERROR, path, "cannot write EPUB: %s", strerror(errno));
        (void)unlink(tmp);
        goto out;
    }
    rc = 0;
    goto out;
zfail:
    dg_report_file(w->d, DG_ERROR, path, "cannot write EPUB: %s",
              zip_error_strerror(zip_get_error(z)));
    zip_discard(z);
    z = NULL;
    (void)unlink(tmp);
out:
    return rc;
}

/* ------------------------------------------------------------------ */

static const char CONTAINER_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "<rootfiles>\n"
    "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "</rootfiles>\n</container>\n";

static const char MIMETYPE[] = "application/epub+zip";

int dg_epub_write(const dg_book *book, const char *path, dg_diag *d)
{
    int rc = -1;
    writer w = {0};
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

    const char *modified = book->modified_iso;
    if (!modified) {
        struct tm tm;
        time_t t = (time_t)book->modified;
        gmtime_r(&t, &tm);
        modified = dg_sprintf(w.a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    }

    int width = 2;
    for (size_t n = book->nchapters; n >= 100; n /= 10)
        width++;
    w.nchaps = book->nchapters;
    w.chaps = dg_allocn(w.a, w.nchaps, sizeof *w.chaps);
    for (size_t i = 0; i < w.nchaps; i++) {
        w.chaps[i].c = &book->chapters[i];
        plan_chapter(&w, &w.chaps[i], i, width);
    }

    add_entry(&w, "mimetype", MIMETYPE, sizeof MIMETYPE - 1, true);
    add_entry(&w, "META-INF/container.xml", CONTAINER_XML, sizeof CONTAINER_XML - 1, false);
    write_opf(&w, modified);
    write_nav(&w);
    write_ncx(&w);
    add_entry(&w, "OEBPS/style.css", w.css, strlen(w.css), false);
    write_cover(&w);
    for (size_t i = 0; i < w.nchaps; i++)
        write_chapter(&w, &w.chaps[i]);
    for (size_t i = 0; i < book->reg.nassets; i++) {
        const dg_asset *as = book->reg.assets[i];
        if (!asset_usable(as)) {
            dg_report_file(d, DG_WARNING, path, "image %s left out of the EPUB",
                      as && as->href ? as->href : "(unnamed)");
            continue;
        }
        add_entry(&w, dg_sprintf(w.a, "OEBPS/%s", as->href), (const char *)as->image.data,
                  as->image.len, false);
    }
    if (w.failed)
        goto out;
    rc = write_zip(&w, path);
out:
    dg_arena_free(w.a);
    return rc;
}
