/* layout_inline.c - inline content of the layout (layout_impl.h): elements
 * and text walked into styled spans (emphasis, code, links with their link
 * note numbers, footnote references), and spans broken into lines by the
 * paragraph engine (para.h).  Knows nothing of pages.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "content/url.h"
#include "pdf/layout_impl.h"

/* ---- elements -------------------------------------------------------------- */

bool lay_name_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

const char *lay_attr(lay *l, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp((xmlNodePtr)n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = dg_strdup(l->a, (const char *)v);
    xmlFree(v);
    return s;
}

bool lay_has_class(lay *l, const xmlNode *n, const char *cls)
{
    const char *c = lay_attr(l, n, "class");
    if (!c)
        return false;
    size_t len = strlen(cls);
    for (const char *p = c; (p = strstr(p, cls)) != NULL; p += len)
        if ((p == c || p[-1] == ' ') && (p[len] == 0 || p[len] == ' '))
            return true;
    return false;
}

/* ---- addresses ------------------------------------------------------------- */

/* An address the PDF links to (the sanitizer's dg_url_link keeps these and
 * tel:, which is not linked here; the prefixes are matched as written). */
bool lay_is_external(const char *href)
{
    return !strncmp(href, "http://", 7) || !strncmp(href, "https://", 8) ||
           !strncmp(href, "mailto:", 7) || !strncmp(href, "ftp://", 6);
}

/* A link whose text is its own address (an autolink) needs no note: the
 * address is already on the page. */
static bool shows_its_url(const xmlNode *a, const char *href)
{
    xmlChar *text = xmlNodeGetContent(a);
    if (!text)
        return false;
    const char *t = (const char *)text;
    while (isspace((unsigned char)*t))
        t++;
    size_t tn, hn;
    const char *tc = dg_url_core(t, &tn), *hc = dg_url_core(href, &hn);
    bool same = tn == hn && tn > 0 && !strncasecmp(tc, hc, tn);
    xmlFree(text);
    return same;
}

/* ---- spans ----------------------------------------------------------------- */

int lay_add_link(lay *l, const char *uri, const char *dest)
{
    dg_arena_grow(l->a, &l->links, l->nlinks, &l->caplinks, sizeof *l->links, 64);
    l->links[l->nlinks].uri = uri;
    l->links[l->nlinks].dest = dest;
    return (int)l->nlinks++;
}

static int note_number(lay *l, const char *url)
{
    for (size_t i = 0; i < l->nurls; i++)
        if (!strcmp(l->urls[i], url))
            return (int)i + 1;
    dg_arena_grow(l->a, &l->urls, l->nurls, &l->capurls, sizeof *l->urls, 16);
    l->urls[l->nurls++] = url;
    return (int)l->nurls;
}

void lay_clear_spans(lay *l)
{
    l->nspans = 0;
}

bool lay_has_spans(const lay *l)
{
    return l->nspans > 0;
}

/* Widest unbreakable piece of the spans (the paragraph engine's breaks,
 * hyphenation included); *SPLIT: with long tokens split by convention. */
double lay_spans_min_width(const lay *l, double *split)
{
    dg_para_opts o = {0};
    o.width = 1e6;
    o.lang = l->lang;
    return dg_para_min_width(l->fonts, l->spans, l->nspans, &o, split);
}

void lay_push_span(lay *l, const char *text, size_t len, unsigned style, double size, int link,
                   int tag, double rise)
{
    if (!len)
        return;
    dg_arena_grow(l->a, &l->spans, l->nspans, &l->capspans, sizeof *l->spans, 32);
    dg_span *s = &l->spans[l->nspans++];
    style |= DG_LANG_STYLE(dg_fonts_lang_slot(l->fonts, l->lang)); /* its language's fonts */
    s->text = text;
    s->len = len;
    s->style = style;
    s->size = size;
    s->link = link;
    s->tag = tag;
    s->rise = rise;
    s->src = NULL;
}

void lay_span_source(lay *l, size_t from, const xmlNode *n, bool verbatim)
{
    for (size_t i = from; i < l->nspans; i++) {
        dg_line_src *src = dg_alloc(l->a, sizeof *src);
        src->node = n;
        src->text = l->spans[i].text;
        src->verbatim = verbatim;
        l->spans[i].src = src;
    }
}

/* Text with white space collapsed (code blocks push their text as it is).
 * PREV_SPACE carries across spans so "a <em> b</em>" keeps one space. */
void lay_push_text(lay *l, const char *s, const istyle *st, bool *prev_space)
{
    size_t n = strlen(s);
    char *out = dg_alloc(l->a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (dg_collapsed_space(c)) {
            if (!*prev_space)
                out[o++] = ' ';
            *prev_space = true;
        } else {
            out[o++] = c;
            *prev_space = false;
        }
    }
    lay_push_span(l, out, o, st->style, st->size, st->link, st->tag, st->rise);
}

/* Elements that run inside a line: no word boundary at their edges. */
static bool is_inline(const xmlNode *n)
{
    static const char *const names[] = {"a",   "em",  "i",   "cite", "strong", "b",    "code",
                                        "kbd", "samp", "del", "s",    "mark",   "small", "sup",
                                        "sub", "span", "abbr", "q",   "u",      "ins"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (lay_name_is(n, names[i]))
            return true;
    return false;
}

/* The text of N, nested past LAYOUT_MAX_DEPTH, as one run: walked without
 * recursion, a space where a block (a quote, an item, a cell) begins or
 * ends, so that its words do not run into their neighbours'. */
static void flat_text(lay *l, const xmlNode *n, const istyle *st, bool *sp)
{
    const xmlNode *c = n;
    for (;;) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            size_t from = l->nspans;
            if (c->content)
                lay_push_text(l, (const char *)c->content, st, sp);
            lay_span_source(l, from, c, false);
        } else if (c->type == XML_ELEMENT_NODE && !is_inline(c)) {
            lay_push_text(l, " ", st, sp);
        }
        if (c->type == XML_ELEMENT_NODE && c->children) {
            c = c->children;
            continue;
        }
        while (c != n && !c->next) {
            c = c->parent;
            if (c->type == XML_ELEMENT_NODE && !is_inline(c))
                lay_push_text(l, " ", st, sp);
        }
        if (c == n)
            break;
        c = c->next;
    }
}

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);

void lay_inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        inline_walk(l, c, st, depth + 1, sp);
}

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        size_t from = l->nspans;
        if (n->content)
            lay_push_text(l, (const char *)n->content, &st, sp);
        lay_span_source(l, from, n, false);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return;
    const char *name = (const char *)n->name;
    if (depth > LAYOUT_MAX_DEPTH) {
        flat_text(l, n, &st, sp);
        return;
    }
    if (!strcmp(name, "br")) {
        lay_push_span(l, "\n", 1, st.style, st.size, -1, st.tag, st.rise);
        *sp = true;
        return;
    }
    if (!strcmp(name, "em") || !strcmp(name, "i") || !strcmp(name, "cite"))
        st.style |= DG_ITALIC;
    else if (!strcmp(name, "strong") || !strcmp(name, "b"))
        st.style |= DG_BOLD;
    else if (!strcmp(name, "code") || !strcmp(name, "kbd") || !strcmp(name, "samp")) {
        st.style |= DG_MONO;
        st.tag |= DG_TAG_CODE;
    } else if (!strcmp(name, "del") || !strcmp(name, "s"))
        st.tag |= DG_TAG_STRIKE;
    else if (!strcmp(name, "mark"))
        st.tag |= DG_TAG_MARK;
    else if (!strcmp(name, "small"))
        st.size *= 0.85;
    else if (!strcmp(name, "sup")) {
        st.rise += st.size * 0.35;
        st.size *= 0.7;
    } else if (!strcmp(name, "sub")) {
        st.rise -= st.size * 0.15;
        st.size *= 0.7;
    } else if (!strcmp(name, "img")) {
        const char *alt = lay_attr(l, n, "alt");
        const char *t = dg_sprintf(l->a, l->zh ? "[图片%s%s]" : "[image%s%s]",
                                   alt && *alt ? (l->zh ? "：" : ": ") : "", alt ? alt : "");
        istyle g = st;
        g.tag |= DG_TAG_GREY;
        lay_push_text(l, t, &g, sp);
        return;
    } else if (!strcmp(name, "a")) {
        const char *href = lay_attr(l, n, "href");
        if (lay_has_class(l, n, "footnote-backref") || (href && !strncmp(href, "#fnref", 6)))
            return; /* "back to the text" arrows mean nothing on paper */
        if (href && href[0] == '#' && href[1]) {
            st.link = lay_add_link(l, NULL, href + 1);
        } else if (href && lay_is_external(href)) {
            st.link = lay_add_link(l, href, NULL);
            st.tag |= DG_TAG_LINK;
            lay_inline_children(l, n, st, depth, sp);
            if (l->notes && !shows_its_url(n, href)) {
                int num = note_number(l, href);
                istyle sup = st;
                sup.rise += st.size * 0.35;
                sup.size *= 0.6;
                sup.style &= ~(unsigned)DG_ITALIC;
                const char *t = dg_sprintf(l->a, "%d", num);
                lay_push_span(l, t, strlen(t), sup.style, sup.size, sup.link, sup.tag, sup.rise);
                *sp = false;
            }
            return;
        }
    }
    lay_inline_children(l, n, st, depth, sp);
}

void lay_collect_range(lay *l, const xmlNode *first, const xmlNode *end, istyle st, int depth)
{
    bool sp = true;
    for (const xmlNode *c = first; c != end; c = c->next)
        inline_walk(l, c, st, depth, &sp);
}

double lay_body_size(const lay *l)
{
    return l->base * l->scale;
}

istyle lay_base_style(const lay *l, double size)
{
    istyle st = {0, size, 0, -1, 0};
    return st;
}

/* ---- lines ----------------------------------------------------------------- */

dg_para lay_layout_spans(lay *l, double width, double first_indent, bool justify, bool code)
{
    dg_para p = {0};
    dg_para_opts o = {0};
    o.width = width > 10 ? width : 10;
    o.first_indent = first_indent;
    o.justify = justify;
    o.code = code;
    o.lang = l->lang;
    if (l->nspans)
        dg_para_layout(&p, l->fonts, l->spans, l->nspans, &o, l->a);
    return p;
}

/* One line of TEXT (no page logic), for heads, numbers and markers. */
const dg_line *lay_simple_line(lay *l, const char *text, unsigned style, double size, int tag)
{
    size_t save = l->nspans;
    dg_span *saved = l->spans;
    size_t savecap = l->capspans;
    l->spans = NULL;
    l->nspans = l->capspans = 0;
    lay_push_span(l, text, strlen(text), style, size, -1, tag, 0);
    dg_para p = lay_layout_spans(l, 1e6, 0, false, false);
    l->spans = saved;
    l->nspans = save;
    l->capspans = savecap;
    if (p.nlines == 0) {
        dg_line *e = dg_alloc(l->a, sizeof *e);
        return e;
    }
    return &p.lines[0];
}
