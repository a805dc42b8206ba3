/* epub_xhtml.c - a content tree serialized as the XHTML of an EPUB file.
 *
 * The trees are serialized here, not with xmlNodeDump: the writer walks them
 * iteratively, emits XHTML without namespace clutter, rewrites links, and
 * drops what an EPUB may not contain (links to files that are not in the
 * book, attributes HTML5 forbids), so the output stays epubcheck-clean even
 * when a tree carries something unexpected.  Links into the book point into
 * the part that holds their target (the id map of epub_parts.c).
 */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "content/tree.h"
#include "content/url.h"
#include "epub/epub_impl.h"

/* ------------------------------------------------------------------ */
/* Text helpers                                                        */

void epub_put_esc(dg_buf *b, const char *s, bool attr)
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

char *epub_esc(dg_arena *a, const char *s)
{
    dg_buf b = {0};
    epub_put_esc(&b, s, true);
    return dg_buf_to_arena(&b, a);
}

bool epub_is_ws_only(const char *s)
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

/* ------------------------------------------------------------------ */
/* Links                                                               */

bool epub_is_asset(const dg_book *b, const char *href)
{
    for (size_t i = 0; i < b->reg.nassets; i++)
        if (epub_asset_usable(b->reg.assets[i]) && strcmp(b->reg.assets[i]->href, href) == 0)
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
        const id_entry *e = epub_id_get(w, href + 1);
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
    if (epub_is_asset(w->book, href))
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

/* True when N holds no text but white space (and no image). */
static bool is_blank(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = dg_tree_next(k, n, true))
        if (((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
             !epub_is_ws_only((const char *)k->content)) ||
            (k->type == XML_ELEMENT_NODE && epub_el_is(k, "img")))
            return false;
    return true;
}

const char *epub_el_name(const writer *w, xmlNodePtr n)
{
    static const char *const h[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
    const char *name = (const char *)n->name;
    /* A header cell with nothing in it heads nothing: a plain cell (WCAG
     * 1.3.1; Ace's empty-table-header), as in the corner of a table whose
     * first column names the rows. */
    if (!strcmp(name, "th") && is_blank(n))
        return "td";
    if (name[0] != 'h' || name[1] < '1' || name[1] > '6' || name[2])
        return name;
    xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
    const id_entry *e = id ? epub_id_get(w, (const char *)id) : NULL;
    xmlFree(id);
    return e && e->owner == n && e->level >= 1 && e->level <= 6 ? h[e->level - 1] : name;
}

static void put_attr(dg_buf *b, const char *name, const char *val)
{
    dg_buf_printf(b, " %s=\"", name);
    epub_put_esc(b, val, true);
    dg_buf_putc(b, '"');
}

/* Writes the start tag of element N.  Returns false when the element is
 * replaced (an img whose source is not in the book becomes a placeholder
 * span, written here). */
static bool start_tag(writer *w, dg_buf *b, xmlNodePtr n, const char *file, long start)
{
    bool is_img = epub_el_is(n, "img"), has_alt = false;
    if (is_img) {
        xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
        bool ok = src && epub_is_asset(w->book, (const char *)src);
        xmlFree(src);
        if (!ok) {
            xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
            dg_buf_puts(b, "<span class=\"placeholder image\">[");
            dg_buf_puts(b, w->zh ? "图片" : "image");
            dg_buf_puts(b, "]");
            if (alt && *alt) {
                dg_buf_putc(b, ' ');
                epub_put_esc(b, (const char *)alt, false);
            }
            dg_buf_puts(b, "</span>");
            xmlFree(alt);
            return false;
        }
    }
    const char *name = epub_el_name(w, n);
    /* A heading moved to another level keeps its source level as a class. */
    const char *src_level =
        strcmp(name, (const char *)n->name) ? dg_sprintf(w->a, "src-%s", n->name) : NULL;
    dg_buf_printf(b, "<%s", name);
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        const char *an = (const char *)at->name;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
        const char *val = v ? (const char *)v : "";
        if (at->ns && at->ns->prefix) {
            if (xmlStrEqual(at->ns->prefix, (const xmlChar *)"xml") && strcmp(an, "lang") == 0)
                put_attr(b, "xml:lang", val);
        } else if (strcmp(an, "id") == 0) {
            const id_entry *e = epub_id_get(w, val);
            if (*val && !strpbrk(val, " \t\n\r") && e && e->owner == n &&
                (!file || strcmp(e->file, file) == 0))
                put_attr(b, "id", val);
        } else if (strcmp(an, "class") == 0 && src_level) {
            put_attr(b, an, dg_sprintf(w->a, "%s %s", val, src_level));
            src_level = NULL;
        } else if (strcmp(an, "class") == 0 || strcmp(an, "title") == 0 ||
                   strcmp(an, "lang") == 0 || strcmp(an, "dir") == 0) {
            put_attr(b, an, val);
        } else if (strcmp(an, "href") == 0 && epub_el_is(n, "a")) {
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
        } else if (strcmp(an, "start") == 0 && epub_el_is(n, "ol")) {
            if (all_digits(val, true) && !start)
                put_attr(b, an, val);
        } else if (strcmp(an, "colspan") == 0 || strcmp(an, "rowspan") == 0) {
            if (all_digits(val, false) && atoi(val) > 0)
                put_attr(b, an, val);
        } else if (strcmp(an, "align") == 0 && (epub_el_is(n, "td") || epub_el_is(n, "th"))) {
            /* HTML5 has no align attribute: the same thing as a style. */
            if (!strcmp(val, "left") || !strcmp(val, "right") || !strcmp(val, "center") ||
                !strcmp(val, "justify"))
                dg_buf_printf(b, " style=\"text-align: %s\"", val);
        }
        xmlFree(v);
    }
    if (is_img && !has_alt)
        put_attr(b, "alt", "");
    if (src_level)
        put_attr(b, "class", src_level);
    if (start)
        dg_buf_printf(b, " start=\"%ld\"", start);
    return true;
}

/* Latin-context quotes (clreq): ’ ‘ “ ” take the width of their context, and
 * a reader sets them full-width in a Chinese or Japanese chapter unless the
 * text says otherwise.  A run of text between East Asian characters that
 * holds such a quote and a Latin letter ("“It’s the small things.”") is
 * marked English, trimmed of the blanks at its ends; the rest of TEXT is
 * written as it is. */
static bool is_quote(uint32_t c)
{
    return c >= 0x2018 && c <= 0x201D && c != 0x201A && c != 0x201B;
}

static void put_text_latin_quotes(dg_arena *a, dg_buf *b, const char *text)
{
    size_t len = strlen(text), done = 0;
    for (size_t i = 0; i < len;) {
        /* the run of characters that are not East Asian from I */
        size_t e = i;
        bool quote = false, latin = false;
        while (e < len) {
            uint32_t cp;
            int l = dg_utf8_decode(text + e, len - e, &cp);
            if (l && dg_is_cjk(cp))
                break;
            quote |= l && is_quote(cp);
            latin |= (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
            e += l ? (size_t)l : 1;
        }
        /* trimmed of blanks, of a closing mark at its start and an opening
         * one at its end: those face the East Asian text around it */
        size_t s = i, t = e;
        for (bool more = true; more && s < t;) {
            more = false;
            while (s < t && (text[s] == ' ' || text[s] == '\n' || text[s] == '\t'))
                s++;
            while (t > s && (text[t - 1] == ' ' || text[t - 1] == '\n' || text[t - 1] == '\t'))
                t--;
            /* ’ ” (E2 80 99, E2 80 9D) opening the run; ‘ “ (E2 80 98, E2 80 9C) ending it */
            if (t - s >= 3 && !memcmp(text + s, "\xE2\x80", 2) &&
                (text[s + 2] == '\x99' || text[s + 2] == '\x9D') && s > 0)
                s += 3, more = true;
            if (t - s >= 3 && !memcmp(text + t - 3, "\xE2\x80", 2) &&
                (text[t - 1] == '\x98' || text[t - 1] == '\x9C') && t < len)
                t -= 3, more = true;
        }
        if (quote && latin) {
            epub_put_esc(b, dg_strndup(a, text + done, s - done), false);
            dg_buf_puts(b, "<span xml:lang=\"en\" lang=\"en\">");
            epub_put_esc(b, dg_strndup(a, text + s, t - s), false);
            dg_buf_puts(b, "</span>");
            done = t;
        }
        /* past the run and the East Asian character that ended it */
        i = e;
        if (i < len) {
            uint32_t cp;
            int l = dg_utf8_decode(text + i, len - i, &cp);
            i += l ? (size_t)l : 1;
        }
    }
    epub_put_esc(b, text + done, false);
}

/* TEXT of text node N in the chapter being written: in a Chinese or
 * Japanese chapter, its Latin-context quotes marked (outside code). */
static void put_text(writer *w, dg_buf *b, xmlNodePtr n, const char *text)
{
    dg_arena *a = w->a;
    const char *lang = w->chap_lang;
    bool mark = lang && dg_lang_is_cjk(lang) && text && strstr(text, "\xE2\x80");
    for (xmlNodePtr p = n->parent; mark && p && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (epub_el_is(p, "code") || epub_el_is(p, "pre"))
            mark = false;
    if (mark)
        put_text_latin_quotes(a, b, text);
    else
        epub_put_esc(b, text, false);
}

static void put_cdata(writer *w, dg_buf *b, xmlNodePtr n, const char *text)
{
    (void)w, (void)n;
    epub_put_esc(b, text, false);
}

/* Iteratively: deep trees cannot overflow the stack. */
void epub_serialize(writer *w, dg_buf *b, xmlNodePtr top, const char *file)
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
                    dg_buf_printf(b, "</%s>", epub_el_name(w, n));
            }
            break;
        case XML_TEXT_NODE: epub_put_marked_text(w, b, n, file, put_text); break;
        case XML_CDATA_SECTION_NODE: epub_put_marked_text(w, b, n, file, put_cdata); break;
        default: /* comments, processing instructions, entity references */ break;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* Next sibling, else close the parents on the way up. */
        while (n && n != top && !n->next) {
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE)
                dg_buf_printf(b, "</%s>", epub_el_name(w, n));
        }
        if (!n || n == top)
            break;
        n = n->next;
    }
}

/* ------------------------------------------------------------------ */
/* The units of one part                                               */

/* The li elements before LI in its list. */
static long li_before(xmlNodePtr li)
{
    long n = 0;
    for (xmlNodePtr k = li->prev; k; k = k->prev)
        if (k->type == XML_ELEMENT_NODE && epub_el_is(k, "li"))
            n++;
    return n;
}

/* The ancestors of split containers are opened and closed around the units
 * as the chain changes. */
void epub_write_units(writer *w, dg_buf *b, const chap *ch, const part *pt)
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
            dg_buf_printf(b, "</%s>\n", epub_el_name(w, open[nopen]));
        }
        for (size_t k = common; k < u->nchain; k++) {
            xmlNodePtr el = u->chain[k];
            long start = 0;
            /* A list continued in a later file keeps its numbering. */
            xmlNodePtr next = k + 1 < u->nchain ? u->chain[k + 1] : u->node;
            if (epub_el_is(el, "ol") && next->type == XML_ELEMENT_NODE && epub_el_is(next, "li") &&
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
        epub_serialize(w, b, u->node, pt->file);
        /* One block a line: readable, and diffs between builds stay small. */
        if (u->node->type == XML_ELEMENT_NODE &&
            (!u->node->next || u->node->next->type != XML_TEXT_NODE))
            dg_buf_putc(b, '\n');
    }
    while (nopen > 0) {
        nopen--;
        dg_buf_printf(b, "</%s>\n", epub_el_name(w, open[nopen]));
    }
}
