/* content.c - one content tree per post: cmark-gfm's HTML (raw HTML passed
 * through) parsed by libxml2's HTML parser and rebuilt as a fresh, sanitized
 * XHTML DOM that both writers use.
 *
 * The rebuild is a whitelist: every source element is looked up in one table
 * and kept (possibly renamed), unwrapped (children kept, so no text is lost),
 * dropped, or handled specially (img, media, the task-list checkbox).  While
 * appending, the builder keeps the output valid XHTML: inline content
 * arriving in a section/blockquote/div is wrapped in an automatic <p>, stray
 * children of lists and tables get automatic li/tr/td wrappers, and a block
 * arriving inside inline context is unwrapped.  Two passes over the finished
 * tree then give every heading and every surviving id a digest-wide unique id
 * and repoint the "#fragment" links.
 *
 * Every walk is iterative (explicit stack or parent links): a post with 100k
 * nested <div>s cannot overflow the C stack.
 */
#include "content/content.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/asset.h"
#include "content/quote.h"
#include "content/tree.h"
#include "content/url.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"

/* Nesting depth of the output tree.  Deeper source elements are unwrapped
 * (their text is kept): no reader or page layout gains from deeper trees, and
 * the cap bounds the work of every later recursive consumer. */
#define DG_CONTENT_MAX_DEPTH 96
/* Largest HTML of one post handed to libxml2, in MiB (its API takes an int
 * length; a weekly post is well under 1 MiB, and the site stage already
 * leaves out a post file past 16 MiB, whose HTML can grow a few times by
 * escaping). */
#define DG_CONTENT_MAX_HTML_MIB 256u
#define DG_CONTENT_MAX_HTML (DG_CONTENT_MAX_HTML_MIB * 1024u * 1024u)
static bool is(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* ------------------------------------------------------------ element table */

enum action { KEEP, UNWRAP, DROP, IMG, MEDIA, INPUT };

typedef struct elem_rule {
    const char *name; /* source element (libxml2 lowercases HTML names) */
    enum action act;
    const char *out; /* output name for KEEP (NULL: same) */
} elem_rule;

static const elem_rule rules[] = {
    {"a", KEEP, NULL},          {"address", KEEP, "div"}, {"applet", DROP, NULL},
    {"area", DROP, NULL},       {"article", KEEP, "div"}, {"aside", KEEP, "div"},
    {"audio", MEDIA, NULL},     {"b", KEEP, "strong"},    {"base", DROP, NULL},
    {"blockquote", KEEP, NULL}, {"br", KEEP, NULL},       {"button", DROP, NULL},
    {"canvas", DROP, NULL},     {"center", KEEP, "div"},  {"cite", KEEP, "em"},
    {"code", KEEP, NULL},       {"col", DROP, NULL},      {"colgroup", DROP, NULL},
    {"datalist", DROP, NULL},   {"dd", KEEP, NULL},       {"del", KEEP, NULL},
    {"details", KEEP, "div"},   {"dfn", KEEP, "em"},      {"dialog", KEEP, "div"},
    {"div", KEEP, NULL},        {"dl", KEEP, NULL},       {"dt", KEEP, NULL},
    {"em", KEEP, NULL},         {"embed", DROP, NULL},    {"fieldset", KEEP, "div"},
    {"figcaption", KEEP, NULL}, {"figure", KEEP, NULL},   {"footer", KEEP, "div"},
    {"form", KEEP, "div"},      {"frame", DROP, NULL},    {"frameset", DROP, NULL},
    {"h1", KEEP, NULL},         {"h2", KEEP, NULL},       {"h3", KEEP, NULL},
    {"h4", KEEP, NULL},         {"h5", KEEP, NULL},       {"h6", KEEP, NULL},
    {"head", DROP, NULL},       {"header", KEEP, "div"},  {"hgroup", KEEP, "div"},
    {"hr", KEEP, NULL},         {"i", KEEP, "em"},        {"iframe", MEDIA, NULL},
    {"img", IMG, NULL},         {"input", INPUT, NULL},   {"kbd", KEEP, NULL},
    {"label", DROP, NULL},      {"legend", KEEP, "p"},    {"li", KEEP, NULL},
    {"link", DROP, NULL},       {"listing", KEEP, "pre"}, {"main", KEEP, "div"},
    {"map", DROP, NULL},        {"mark", KEEP, NULL},     {"meta", DROP, NULL},
    {"meter", DROP, NULL},      {"nav", KEEP, "div"},     {"noembed", DROP, NULL},
    {"noframes", DROP, NULL},   {"noscript", DROP, NULL}, {"object", DROP, NULL},
    {"ol", KEEP, NULL},         {"optgroup", DROP, NULL}, {"option", DROP, NULL},
    {"output", DROP, NULL},     {"p", KEEP, NULL},        {"param", DROP, NULL},
    {"plaintext", KEEP, "pre"}, {"pre", KEEP, NULL},      {"progress", DROP, NULL},
    {"s", KEEP, "del"},         {"samp", KEEP, "code"},   {"script", DROP, NULL},
    {"section", KEEP, NULL},    {"select", DROP, NULL},   {"small", KEEP, NULL},
    {"source", DROP, NULL},     {"span", KEEP, NULL},     {"strike", KEEP, "del"},
    {"strong", KEEP, NULL},     {"style", DROP, NULL},    {"sub", KEEP, NULL},
    {"summary", KEEP, "p"},     {"sup", KEEP, NULL},      {"svg", DROP, NULL},
    {"table", KEEP, NULL},      {"tbody", KEEP, NULL},    {"td", KEEP, NULL},
    {"template", DROP, NULL},   {"textarea", DROP, NULL}, {"tfoot", KEEP, "tbody"},
    {"th", KEEP, NULL},         {"thead", KEEP, NULL},    {"title", DROP, NULL},
    {"tr", KEEP, NULL},         {"track", DROP, NULL},    {"tt", KEEP, "code"},
    {"ul", KEEP, NULL},         {"var", KEEP, "em"},      {"video", MEDIA, NULL},
    {"wbr", DROP, NULL},        {"xmp", KEEP, "pre"},
};

static const elem_rule *rule_for(const xmlChar *name)
{
    size_t lo = 0, hi = sizeof rules / sizeof rules[0];
    while (lo < hi) { /* the table is sorted by name */
        size_t mid = (lo + hi) / 2;
        int c = strcmp((const char *)name, rules[mid].name);
        if (c == 0)
            return &rules[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL; /* unknown: unwrapped */
}

static bool name_in(const xmlChar *name, const char *const *set)
{
    for (; *set; set++)
        if (is(name, *set))
            return true;
    return false;
}

static const char *const inline_names[] = {"a",  "em",  "strong", "del",   "code", "sup", "sub",
                                           "br", "img", "span",   "small", "mark", "kbd", NULL};
static bool is_inline(const xmlChar *name)
{
    return name_in(name, inline_names);
}

/* Elements whose content model is phrasing only: no block may go inside. */
static bool is_phrasing_container(const xmlChar *name)
{
    static const char *const set[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", NULL};
    return is_inline(name) || name_in(name, set);
}

static bool is_heading(const xmlChar *n)
{
    return n && n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && n[2] == 0;
}

/* Marks an automatic wrapper (xmlNode._private); other non-NULL values of
 * _private during the build are the element's source id. */
static char auto_mark;

/* ------------------------------------------------------------------- builder */

typedef struct frame {
    xmlNodePtr src; /* next source node to process at this level */
    xmlNodePtr dst; /* where its output goes */
    int depth;      /* output nesting depth of dst */
    bool in_link, in_pre;
} frame;

typedef struct build {
    dg_asset_scope sc; /* registry, diagnostics, post, site root, post folder */
    dg_registry *reg;
    dg_arena *a;
    const dg_post *post;
    xmlDocPtr doc;
    xmlNsPtr ns;
    const char *chapter_id;
    dg_map idmap; /* source id -> output id */
    int nheadings;
    frame *stack;
    size_t nstack, capstack;
    dg_buf tmp; /* scratch for text cleaning */
} build;

static void push(build *b, xmlNodePtr src, xmlNodePtr dst, int depth, bool in_link, bool in_pre)
{
    if (b->nstack == b->capstack) {
        size_t cap = b->capstack ? b->capstack * 2 : 64;
        frame *n = realloc(b->stack, cap * sizeof *n);
        if (!n)
            dg_oom();
        b->stack = n;
        b->capstack = cap;
    }
    b->stack[b->nstack++] = (frame){src, dst, depth, in_link, in_pre};
}

static xmlNodePtr new_elem(build *b, const char *name)
{
    return xmlNewDocNode(b->doc, b->ns, BAD_CAST name, NULL);
}

/* Copies S with invalid UTF-8 replaced by U+FFFD and characters XML 1.0
 * forbids (C0 controls but tab/LF/CR, U+FFFE/FFFF) dropped; into b->tmp. */
static const char *clean(build *b, const char *s, size_t n)
{
    b->tmp.len = 0;
    dg_buf_put(&b->tmp, "", 0);
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = dg_utf8_decode(s + i, n - i, &cp);
        if (k <= 0) {
            dg_buf_puts(&b->tmp, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                  (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (ok)
            dg_buf_put(&b->tmp, s + i, (size_t)k);
        i += (size_t)k;
    }
    return b->tmp.data;
}

static char *clean_dup(build *b, const char *s)
{
    return dg_strdup(b->a, clean(b, s, strlen(s)));
}

/* Value of attribute NAME of source element S, or NULL. */
static const char *sattr(xmlNodePtr s, const char *name)
{
    for (xmlAttrPtr at = s->properties; at; at = at->next)
        if (is(at->name, name)) {
            if (at->children && at->children->content)
                return (const char *)at->children->content;
            return "";
        }
    return NULL;
}

/* The Markdown line of S: data-sourcepos of the nearest block around it. */
static int src_line(xmlNodePtr s)
{
    for (; s && s->type == XML_ELEMENT_NODE; s = s->parent) {
        const char *v = sattr(s, "data-sourcepos");
        if (v) {
            long l = strtol(v, NULL, 10);
            return l > 0 && l < INT_MAX ? (int)l : 0;
        }
    }
    return 0;
}

static bool is_space_only(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f')
            return false;
    return true;
}

/* Where a child named CHILD (NULL: text) may go under PARENT: PARENT itself,
 * or an automatic wrapper made (or reused) so the result stays valid:
 * inline content in section/blockquote/div goes into a <p>, anything but li
 * in a list into an <li>, and table parts get their tr/td. */
static xmlNodePtr place(build *b, xmlNodePtr parent, const char *child)
{
    for (int guard = 0; guard < 4; guard++) {
        const xmlChar *pn = parent->name;
        const char *need;
        const xmlChar *c = BAD_CAST child;
        if (is(pn, "ul") || is(pn, "ol")) {
            if (is(c, "li"))
                return parent;
            need = "li";
        } else if (is(pn, "dl")) {
            if (is(c, "dt") || is(c, "dd"))
                return parent;
            need = "dd";
        } else if (is(pn, "table")) {
            if (is(c, "thead") || is(c, "tbody") || is(c, "tr"))
                return parent;
            need = "tr";
        } else if (is(pn, "thead") || is(pn, "tbody")) {
            if (is(c, "tr"))
                return parent;
            need = "tr";
        } else if (is(pn, "tr")) {
            if (is(c, "td") || is(c, "th"))
                return parent;
            need = "td";
        } else if (is(pn, "section") || is(pn, "blockquote") || is(pn, "div")) {
            if (c && !is_inline(c))
                return parent;
            need = "p";
        } else {
            return parent;
        }
        xmlNodePtr last = parent->last;
        if (last && last->type == XML_ELEMENT_NODE && last->_private == &auto_mark &&
            is(last->name, need)) {
            parent = last;
        } else {
            xmlNodePtr w = new_elem(b, need);
            w->_private = &auto_mark;
            xmlAddChild(parent, w);
            parent = w;
        }
    }
    return parent;
}

static bool restricted(const xmlChar *n)
{
    static const char *const set[] = {"ul", "ol", "dl", "table", "thead", "tbody", "tr", NULL};
    return name_in(n, set);
}

/* Appends a text node without merging it into a text node before it:
 * libxml2's merge re-measures the whole earlier text each time, which is
 * quadratic on a paragraph of a million tiny elements.  merge_text() joins
 * the neighbours once at the end. */
static void append_text(build *b, xmlNodePtr parent, const char *text)
{
    xmlNodePtr n = xmlNewDocText(b->doc, BAD_CAST text);
    n->parent = parent;
    n->prev = parent->last;
    if (parent->last)
        parent->last->next = n;
    else
        parent->children = n;
    parent->last = n;
}

static void add_text(build *b, xmlNodePtr parent, const char *text)
{
    append_text(b, place(b, parent, NULL), text);
}

static void emit_text(build *b, const frame *f, const xmlChar *content)
{
    if (!content || !*content)
        return;
    const char *t = clean(b, (const char *)content, strlen((const char *)content));
    if (!*t)
        return;
    if (!f->in_pre && is_space_only(t)) {
        /* Whitespace between blocks: kept where text may stand, never as
         * the start of an automatic paragraph. */
        const xmlChar *pn = f->dst->name;
        if (restricted(pn))
            return;
        if (is(pn, "section") || is(pn, "blockquote") || is(pn, "div")) {
            xmlNodePtr last = f->dst->last;
            if (last && last->_private == &auto_mark && is(last->name, "p"))
                append_text(b, last, t);
            else
                append_text(b, f->dst, t);
            return;
        }
    }
    add_text(b, f->dst, t);
}

/* Is WANT a valid child of PARENT as far as context-bound elements go? */
static bool context_ok(const char *want, const xmlNodePtr parent)
{
    const xmlChar *pn = parent->name;
    const xmlChar *w = BAD_CAST want;
    if (is(w, "li"))
        return is(pn, "ul") || is(pn, "ol");
    if (is(w, "dt") || is(w, "dd"))
        return is(pn, "dl");
    if (is(w, "tr"))
        return is(pn, "table") || is(pn, "thead") || is(pn, "tbody");
    if (is(w, "td") || is(w, "th"))
        return is(pn, "tr");
    if (is(w, "thead") || is(w, "tbody"))
        return is(pn, "table");
    if (is(w, "figcaption"))
        return is(pn, "figure");
    if (is_heading(pn) && is_heading(w))
        return false;
    return true;
}

/* --------------------------------------------------------------- attributes */

static bool plain_int(const char *v, int max)
{
    if (!v || !*v)
        return false;
    long n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || n > max)
            return false;
        n = n * 10 + (*p - '0');
    }
    return n > 0 && n <= max;
}

static bool has_class(const char *classes, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = classes; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
            e++;
        if ((size_t)(e - p) == n && memcmp(p, name, n) == 0)
            return true;
        p = e;
    }
    return false;
}

/* Copies the attributes OUT may keep from S to EL. */
static void copy_attrs(build *b, xmlNodePtr s, xmlNodePtr el, const char *out)
{
    const xmlChar *o = BAD_CAST out;
    const char *v;
    if ((v = sattr(s, "id")) != NULL && *v)
        el->_private = clean_dup(b, v);
    else if (is(o, "a") && (v = sattr(s, "name")) != NULL && *v)
        el->_private = clean_dup(b, v);
    if ((v = sattr(s, "title")) != NULL && *v)
        xmlNewProp(el, BAD_CAST "title", BAD_CAST clean(b, v, strlen(v)));
    const char *cls = sattr(s, "class");
    if (cls) {
        if (is(o, "code")) {
            /* language-xxx of fenced code blocks */
            const char *l = strstr(cls, "language-");
            if (l && (l == cls || l[-1] == ' ')) {
                size_t n = 9;
                while (l[n] && (l[n] == '-' || l[n] == '_' || l[n] == '+' || l[n] == '#' ||
                                l[n] == '.' || (l[n] >= '0' && l[n] <= '9') ||
                                (l[n] >= 'a' && l[n] <= 'z') || (l[n] >= 'A' && l[n] <= 'Z')))
                    n++;
                if (n > 9 && n < 64)
                    xmlNewProp(el, BAD_CAST "class", BAD_CAST dg_strndup(b->a, l, n));
            }
        } else if (is(o, "sup") && has_class(cls, "footnote-ref")) {
            xmlNewProp(el, BAD_CAST "class", BAD_CAST "footnote-ref");
        } else if (is(o, "a") && has_class(cls, "footnote-backref")) {
            xmlNewProp(el, BAD_CAST "class", BAD_CAST "footnote-backref");
        } else if (is(o, "div") && has_class(cls, "footnotes")) {
            xmlNewProp(el, BAD_CAST "class", BAD_CAST "footnotes");
        }
    }
    if (is(o, "ol") && (v = sattr(s, "start")) != NULL && plain_int(v, 1000000))
        xmlNewProp(el, BAD_CAST "start", BAD_CAST v);
    if (is(o, "td") || is(o, "th")) {
        if ((v = sattr(s, "colspan")) != NULL && plain_int(v, 1000))
            xmlNewProp(el, BAD_CAST "colspan", BAD_CAST v);
        if ((v = sattr(s, "rowspan")) != NULL && plain_int(v, 65534))
            xmlNewProp(el, BAD_CAST "rowspan", BAD_CAST v);
        const char *al = sattr(s, "align");
        const char *st = sattr(s, "style");
        const char *al_out = NULL;
        static const char *const aligns[] = {"left", "center", "right"};
        for (int i = 0; i < 3; i++) {
            if (al && strcasecmp(al, aligns[i]) == 0)
                al_out = aligns[i];
            if (!al && st && strstr(st, "text-align") && strstr(st, aligns[i]))
                al_out = aligns[i];
        }
        if (al_out)
            xmlNewProp(el, BAD_CAST "align", BAD_CAST al_out);
    }
}

/* ------------------------------------------------------------------- images */

/* "[图片] ALT" as a placeholder span, linked to URL when given. */
static void placeholder(build *b, const frame *f, const char *alt, const char *url)
{
    xmlNodePtr parent = place(b, f->dst, "span");
    xmlNodePtr span = new_elem(b, "span");
    xmlNewProp(span, BAD_CAST "class", BAD_CAST "placeholder image");
    xmlAddChild(parent, span);
    xmlNodePtr in = span;
    if (url && !f->in_link) {
        in = new_elem(b, "a");
        xmlNewProp(in, BAD_CAST "href", BAD_CAST url);
        xmlAddChild(span, in);
    }
    const char *label = alt && *alt ? dg_sprintf(b->a, "[图片] %s", alt) : "[图片]";
    append_text(b, in, label);
}

static const char *collapse_ws(build *b, const char *s)
{
    dg_buf o = {0};
    bool sp = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            sp = o.len > 0;
            continue;
        }
        if (sp)
            dg_buf_putc(&o, ' ');
        sp = false;
        dg_buf_putc(&o, *s);
    }
    if (!o.data)
        return "";
    return dg_buf_to_arena(&o, b->a);
}

/* The file name at the end of a path or URL (for an alt text). */
static const char *file_label(build *b, const char *src)
{
    if (strncasecmp(src, "data:", 5) == 0)
        return "";
    size_t n = strcspn(src, "?#");
    const char *s = dg_strndup(b->a, src, n);
    const char *base = dg_path_basename(s);
    return clean_dup(b, base);
}

/* The reference of source <img> S: src, else data-src or data-original
 * (lazy-loading themes); NULL or "" when it has none. */
static const char *img_ref(xmlNodePtr s)
{
    const char *src = sattr(s, "src");
    if (!src || !*src)
        src = sattr(s, "data-src");
    if (!src || !*src)
        src = sattr(s, "data-original");
    return src;
}

static void handle_img(build *b, const frame *f, xmlNodePtr s)
{
    const char *src = img_ref(s);
    const char *alt = sattr(s, "alt");
    alt = alt ? collapse_ws(b, clean_dup(b, alt)) : "";
    if (!src || !*src) {
        if (*alt)
            placeholder(b, f, alt, NULL);
        return;
    }
    if (!*alt)
        alt = file_label(b, src);
    const char *remote;
    int line = src_line(s);
    if (line == 0 && b->post->text) {
        /* Raw HTML blocks carry no data-sourcepos: find the path in the file. */
        const char *at = strstr(b->post->text, src);
        int col;
        if (at)
            dg_text_position(b->post->text, (size_t)(at - b->post->text), &line, &col);
    }
    const dg_asset *as = dg_asset_for_ref(&b->sc, src, line, false, &remote);
    if (!as) {
        placeholder(b, f, alt, remote);
        return;
    }
    xmlNodePtr parent = place(b, f->dst, "img");
    xmlNodePtr img = new_elem(b, "img");
    xmlNewProp(img, BAD_CAST "src", BAD_CAST as->href);
    xmlNewProp(img, BAD_CAST "alt", BAD_CAST alt);
    const char *w = sattr(s, "width"), *h = sattr(s, "height");
    if (plain_int(w, 100000))
        xmlNewProp(img, BAD_CAST "width", BAD_CAST w);
    if (plain_int(h, 100000))
        xmlNewProp(img, BAD_CAST "height", BAD_CAST h);
    const char *title = sattr(s, "title");
    if (title && *title)
        xmlNewProp(img, BAD_CAST "title", BAD_CAST clean(b, title, strlen(title)));
    if (sattr(s, "id") && *sattr(s, "id"))
        img->_private = clean_dup(b, sattr(s, "id"));
    xmlAddChild(parent, img);
}

/* ------------------------------------------------------------------- media */

static void handle_media(build *b, const frame *f, xmlNodePtr s)
{
    const char *kind = is(s->name, "video") ? "视频" : is(s->name, "audio") ? "音频" : "嵌入内容";
    const char *src = sattr(s, "src");
    if (!src || !*src)
        src = sattr(s, "data-src");
    for (xmlNodePtr c = s->children; (!src || !*src) && c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && is(c->name, "source"))
            src = sattr(c, "src");
    const char *url = src && *src ? dg_url_web(b->a, src) : NULL;
    const char *shown = url ? url : src && *src ? clean_dup(b, dg_url_trim(b->a, src)) : NULL;
    const char *label =
        shown ? dg_sprintf(b->a, "▶ %s: %s", kind, shown) : dg_sprintf(b->a, "▶ %s", kind);
    xmlNodePtr parent = place(b, f->dst, "p");
    bool inline_ctx = is_phrasing_container(parent->name);
    if (inline_ctx)
        parent = f->dst;
    xmlNodePtr box = parent;
    if (!inline_ctx) {
        box = new_elem(b, "p");
        xmlNewProp(box, BAD_CAST "class", BAD_CAST "media");
        xmlAddChild(parent, box);
    }
    if (url && !f->in_link) {
        xmlNodePtr a = new_elem(b, "a");
        xmlNewProp(a, BAD_CAST "href", BAD_CAST url);
        if (inline_ctx)
            xmlNewProp(a, BAD_CAST "class", BAD_CAST "media");
        xmlAddChild(place(b, box, "a"), a);
        append_text(b, a, label);
    } else {
        add_text(b, box, label);
    }
}

/* ------------------------------------------------------------------ the walk */

static void handle_input(build *b, const frame *f, xmlNodePtr s)
{
    const char *type = sattr(s, "type");
    if (!type || strcasecmp(type, "checkbox") != 0)
        return;
    for (xmlNodePtr p = f->dst; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is(p->name, "li")) {
            if (!xmlHasProp(p, BAD_CAST "class"))
                xmlNewProp(p, BAD_CAST "class", BAD_CAST "task");
            break;
        }
    add_text(b, f->dst, sattr(s, "checked") ? "☑" : "☐");
}

static void handle_element(build *b, size_t fi, xmlNodePtr s)
{
    frame f = b->stack[fi];
    const elem_rule *r = rule_for(s->name);
    enum action act = r ? r->act : UNWRAP;
    switch (act) {
    case DROP: return;
    case IMG: handle_img(b, &f, s); return;
    case MEDIA: handle_media(b, &f, s); return;
    case INPUT: handle_input(b, &f, s); return;
    case UNWRAP: push(b, s->children, f.dst, f.depth, f.in_link, f.in_pre); return;
    case KEEP: break;
    }
    const char *out = r->out ? r->out : r->name;
    const char *cls = sattr(s, "class");
    if (is(s->name, "section") && cls && has_class(cls, "footnotes"))
        out = "div";
    const char *href = NULL;
    if (is(BAD_CAST out, "a")) {
        const char *h = sattr(s, "href");
        href = h ? dg_url_link(b->a, h) : NULL;
        if (h && !href && dg_url_bad_host(b->a, h))
            dg_post_warn(b->sc.d, b->post, src_line(s),
                         dg_sprintf(b->a, "link to '%s' kept as text: its host is no host name",
                                    h));
        const char *id = sattr(s, "id"), *name = sattr(s, "name");
        bool anchor = (id && *id) || (name && *name);
        if (f.in_link || (!href && !anchor)) {
            push(b, s->children, f.dst, f.depth, f.in_link, f.in_pre);
            return;
        }
    }
    xmlNodePtr target = place(b, f.dst, out);
    bool block = !is_inline(BAD_CAST out);
    if (f.depth >= DG_CONTENT_MAX_DEPTH || !context_ok(out, target) ||
        (block && is_phrasing_container(target->name))) {
        /* Unwrapped; a block met in inline context keeps a line break so
         * its text does not run into what came before. */
        if (block && is_phrasing_container(target->name) && target->last &&
            !(target->last->type == XML_ELEMENT_NODE && is(target->last->name, "br")))
            xmlAddChild(target, new_elem(b, "br"));
        push(b, s->children, f.dst, f.depth, f.in_link, f.in_pre);
        return;
    }
    xmlNodePtr el = new_elem(b, out);
    if (href)
        xmlNewProp(el, BAD_CAST "href", BAD_CAST href);
    copy_attrs(b, s, el, out);
    xmlAddChild(target, el);
    if (is(BAD_CAST out, "br") || is(BAD_CAST out, "hr"))
        return;
    push(b, s->children, el, f.depth + 1, f.in_link || is(BAD_CAST out, "a"),
         f.in_pre || is(BAD_CAST out, "pre"));
}

static void walk(build *b, xmlNodePtr first, xmlNodePtr root)
{
    push(b, first, root, 1, false, false);
    while (b->nstack) {
        frame *f = &b->stack[b->nstack - 1];
        xmlNodePtr s = f->src;
        if (!s) {
            b->nstack--;
            continue;
        }
        f->src = s->next;
        if (s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE)
            emit_text(b, f, s->content);
        else if (s->type == XML_ELEMENT_NODE)
            handle_element(b, b->nstack - 1, s);
        /* comments, processing instructions, DTD: dropped */
    }
}

/* Replaces N by its children (linked by hand: no text merging). */
static void unwrap_node(xmlNodePtr n)
{
    while (n->children) {
        xmlNodePtr c = n->children;
        xmlUnlinkNode(c);
        c->parent = n->parent;
        c->prev = n->prev;
        c->next = n;
        if (n->prev)
            n->prev->next = c;
        else
            n->parent->children = c;
        n->prev = c;
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

/* Joins neighbouring text nodes into one (linear: one copy per run). */
static void merge_text(xmlNodePtr root)
{
    dg_buf buf = {0};
    for (xmlNodePtr n = root; n; n = dg_tree_next(n, root, true)) {
        if (n->type != XML_TEXT_NODE || !n->next || n->next->type != XML_TEXT_NODE)
            continue;
        buf.len = 0;
        dg_buf_puts(&buf, (const char *)n->content);
        while (n->next && n->next->type == XML_TEXT_NODE) {
            xmlNodePtr t = n->next;
            dg_buf_puts(&buf, (const char *)t->content);
            xmlUnlinkNode(t);
            xmlFreeNode(t);
        }
        xmlNodeSetContentLen(n, BAD_CAST buf.data, (int)buf.len);
    }
    dg_buf_free(&buf);
}

/* Removes elements left empty by the sanitizer (<p><script/></p>, a <span>
 * around a dropped form): they would show as blank lines.  Children come
 * after their parent in document order, so one backward sweep also removes
 * parents that only held empty elements.  Elements with an id stay. */
static void prune_empty(xmlNodePtr root)
{
    static const char *const set[] = {"p",   "span",  "em",   "strong", "del", "code", "sup",
                                      "sub", "small", "mark", "kbd",    "div", "a",    NULL};
    dg_vec all = {0};
    for (xmlNodePtr n = root->children; n; n = dg_tree_next(n, root, true))
        if (n->type == XML_ELEMENT_NODE)
            dg_vec_push(&all, n);
    for (size_t i = all.len; i-- > 0;) {
        xmlNodePtr n = all.items[i];
        if (n->children || !name_in(n->name, set) || (n->_private && n->_private != &auto_mark))
            continue;
        if (is(n->name, "code") && n->parent && is(n->parent->name, "pre"))
            continue;
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
    dg_vec_free(&all);
}

/* Heading ids and the other ids, then the "#..." links that point at them. */
static void fix_ids(build *b, xmlNodePtr root, dg_chapter *out)
{
    dg_vec heads = {0};
    dg_vec drop = {0};
    char slug[DG_SLUG_MAX + 1];
    for (xmlNodePtr n = root; n; n = dg_tree_next(n, root, true)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *srcid = n->_private == &auto_mark ? NULL : n->_private;
        n->_private = NULL;
        const char *id = NULL;
        if (is_heading(n->name)) {
            xmlChar *txt = xmlNodeGetContent(n);
            const char *text = collapse_ws(b, txt ? (const char *)txt : "");
            xmlFree(txt);
            dg_slugify(text, slug);
            b->nheadings++;
            const char *base = slug[0] ? dg_sprintf(b->a, "%s-%s", b->chapter_id, slug)
                                       : dg_sprintf(b->a, "%s-sec%d", b->chapter_id, b->nheadings);
            id = dg_registry_claim_id(b->reg, base);
            dg_heading *h = dg_alloc(b->a, sizeof *h);
            h->level = n->name[1] - '0';
            h->id = id;
            h->text = text;
            dg_vec_push(&heads, h);
            /* kramdown-style links to "#heading-text" keep working */
            if (slug[0] && !dg_map_get(&b->idmap, slug, NULL))
                dg_map_put(&b->idmap, dg_strdup(b->a, slug), (void *)id);
        } else if (srcid) {
            dg_slugify(srcid, slug);
            id = dg_registry_claim_id(
                b->reg, dg_sprintf(b->a, "%s-%s", b->chapter_id, slug[0] ? slug : "id"));
        }
        if (id) {
            xmlSetProp(n, BAD_CAST "id", BAD_CAST id);
            /* the first element with an id wins, as in browsers */
            if (srcid)
                dg_map_add(&b->idmap, srcid, (void *)id);
        }
    }
    for (xmlNodePtr n = root; n; n = dg_tree_next(n, root, true)) {
        if (n->type != XML_ELEMENT_NODE || !is(n->name, "a"))
            continue;
        xmlAttrPtr href = xmlHasProp(n, BAD_CAST "href");
        if (!href || !href->children || !href->children->content ||
            href->children->content[0] != '#')
            continue;
        void *to;
        if (dg_map_get(&b->idmap, (const char *)href->children->content + 1, &to)) {
            xmlSetProp(n, BAD_CAST "href", BAD_CAST dg_sprintf(b->a, "#%s", (const char *)to));
        } else if (xmlHasProp(n, BAD_CAST "id")) {
            xmlRemoveProp(href); /* the anchor stays, the dangling link goes */
        } else {
            dg_vec_push(&drop, n);
        }
    }
    for (size_t i = 0; i < drop.len; i++)
        unwrap_node(drop.items[i]);
    out->nheadings = heads.len;
    out->headings = dg_allocn(b->a, heads.len ? heads.len : 1, sizeof(dg_heading));
    for (size_t i = 0; i < heads.len; i++)
        out->headings[i] = *(dg_heading *)heads.items[i];
    dg_vec_free(&heads);
    dg_vec_free(&drop);
}

/* Line of the "header-img:" key in the front matter, for diagnostics. */
static int header_line(const dg_post *p)
{
    if (!p->text)
        return 0;
    const char *k = strstr(p->text, "\nheader-img:");
    if (!k)
        return 0;
    int line, col;
    dg_text_position(p->text, (size_t)(k + 1 - p->text), &line, &col);
    return line;
}

int dg_content_parse(const char *html, const char *path, htmlDocPtr *out, dg_diag *d)
{
    int rc = -1;
    dg_buf in = {0};
    htmlParserCtxtPtr ctxt = NULL;
    *out = NULL;
    size_t len = strlen(html);
    if (len > DG_CONTENT_MAX_HTML) {
        dg_report_file(d, DG_ERROR, path,
                       "the post's HTML is %zu MiB, more than the %u MiB digest takes; left out",
                       (len + (1u << 20) - 1) >> 20, DG_CONTENT_MAX_HTML_MIB);
        goto out;
    }
    xmlInitParser();
    /* A whole document around the fragment: the parser then puts everything
     * in <body> and invents nothing around it. */
    dg_buf_puts(&in, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>");
    dg_buf_put(&in, html, len);
    dg_buf_puts(&in, "</body></html>");
    /* HUGE lifts libxml2's nesting limit from 256 to 2048 elements (beyond
     * it the parser stops, and the rest of the post would be lost). */
    ctxt = htmlNewParserCtxt();
    if (!ctxt)
        goto out;
    *out = htmlCtxtReadMemory(ctxt, in.data, (int)in.len, NULL, "UTF-8",
                              HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                  (int)XML_PARSE_HUGE);
    if (!*out) {
        dg_report_file(d, DG_ERROR, path, "the HTML of this post cannot be parsed");
        goto out;
    }
    if (ctxt->disableSAX != 0)
        dg_report_file(d, DG_WARNING, path,
                       "the HTML of this post nests too deep for the HTML parser: the text after "
                       "the deepest part is lost");
    rc = 0;
out:
    if (ctxt)
        htmlFreeParserCtxt(ctxt);
    dg_buf_free(&in);
    return rc;
}

void dg_content_images(htmlDocPtr src, dg_content_img_fn fn, void *ctx)
{
    xmlNodePtr root = (xmlNodePtr)src;
    for (xmlNodePtr n = root->children; n;) {
        bool into = false;
        if (n->type == XML_ELEMENT_NODE) {
            const elem_rule *r = rule_for(n->name);
            enum action act = r ? r->act : UNWRAP;
            if (act == IMG) {
                const char *ref = img_ref(n);
                if (ref && *ref)
                    fn(n, ref, ctx);
            }
            /* the walk goes into what it keeps or unwraps, nothing else */
            into = act == KEEP || act == UNWRAP;
        }
        n = dg_tree_next(n, root, into);
    }
}

int dg_chapter_build(dg_chapter *out, const dg_post *post, const char *site_root, dg_registry *reg,
                     dg_diag *d)
{
    int rc = -1;
    build b = {0};
    htmlDocPtr src = NULL;
    char *real_root = NULL;
    memset(out, 0, sizeof *out);
    out->post = post;

    if (dg_content_parse(post->html ? post->html : "", post->path, &src, d) != 0)
        goto out;

    b.reg = reg;
    b.a = reg->arena;
    b.post = post;
    dg_map_init(&b.idmap, b.a);
    real_root = realpath(site_root ? site_root : ".", NULL);
    const char *root_path =
        real_root ? dg_strdup(b.a, real_root) : dg_path_normalize(b.a, site_root ? site_root : ".");
    b.sc = (dg_asset_scope){.reg = reg,
                            .d = d,
                            .post = post,
                            .site_root = root_path,
                            .post_dir = post->dir ? post->dir : root_path};
    b.chapter_id = dg_registry_claim_id(reg, dg_sprintf(b.a, "post-%02d",
                                                        dg_registry_next_chapter(reg)));
    out->id = b.chapter_id;

    b.doc = xmlNewDoc(BAD_CAST "1.0");
    b.doc->encoding = xmlStrdup(BAD_CAST "UTF-8"); /* serialized as UTF-8, not &#x..; */
    xmlNodePtr root = xmlNewDocNode(b.doc, NULL, BAD_CAST "section", NULL);
    b.ns = xmlNewNs(root, BAD_CAST XHTML_NS, NULL);
    xmlSetNs(root, b.ns);
    xmlNewProp(root, BAD_CAST "class", BAD_CAST "post-body");
    xmlDocSetRootElement(b.doc, root);
    out->doc = b.doc;

    if (post->header_img && *post->header_img) {
        const char *remote;
        out->header_image =
            dg_asset_for_ref(&b.sc, post->header_img, header_line(post), true, &remote);
    }
    walk(&b, src->children, root);
    prune_empty(root);
    fix_ids(&b, root, out);
    merge_text(root);
    dg_quote_repair(root);
    rc = 0;
out:
    if (rc != 0 && out->doc) {
        xmlFreeDoc(out->doc);
        out->doc = NULL;
    }
    if (src)
        xmlFreeDoc(src);
    free(real_root);
    free(b.stack);
    dg_buf_free(&b.tmp);
    return rc;
}

void dg_chapter_free(dg_chapter *c)
{
    if (c->doc)
        xmlFreeDoc(c->doc);
    c->doc = NULL;
}

char *dg_sanitize_fragment(dg_arena *a, const char *html, const char *site_root,
                           const char *post_dir, dg_registry *reg, dg_diag *d)
{
    dg_post post = {0};
    post.path = "<fragment>";
    post.html = html;
    post.dir = post_dir;
    dg_chapter ch = {0};
    xmlBufferPtr buf = NULL;
    char *res = NULL;
    if (dg_chapter_build(&ch, &post, site_root, reg, d) != 0)
        goto out;
    buf = xmlBufferCreate();
    if (buf && xmlNodeDump(buf, ch.doc, xmlDocGetRootElement(ch.doc), 0, 0) >= 0)
        res = dg_strndup(a, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
out:
    if (buf)
        xmlBufferFree(buf);
    dg_chapter_free(&ch);
    return res; /* NULL after a report */
}
