/* layout.c - content trees into pages (the page model of layout_internal.h).
 *
 * The body is laid out first, one post after another, each from a new page:
 * blocks are walked from the DOM, their inline content goes through the
 * paragraph engine (para.h) and the lines are stacked onto pages with
 * keep-with-next for headings and widow/orphan control for paragraphs.  The
 * cover and the contents come after, in a second pass that knows the body's
 * page numbers; the number of contents pages is iterated until stable.
 * Running heads and page numbers are added last.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#define DG_LAYOUT_INTERNALS
#include "pdf/layout.h"

/* ---- pages and items -------------------------------------------------------- */

dg_lpage *lay_cur_page(lay *l)
{
    return &l->L->pages[l->L->npages - 1];
}

dg_item *lay_add_item(lay *l, dg_lpage *pg, dg_item_kind kind)
{
    dg_arena_grow(l->a, &pg->items, pg->n, &pg->cap, sizeof *pg->items, 64);
    dg_item *it = &pg->items[pg->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void lay_new_page(lay *l, dg_page_kind kind)
{
    dg_layout *L = l->L;
    dg_arena_grow(l->a, &L->pages, L->npages, &L->cap, sizeof *L->pages, 16);
    dg_lpage *pg = &L->pages[L->npages++];
    memset(pg, 0, sizeof *pg);
    pg->kind = kind;
    pg->chapter = kind == DG_PAGE_BODY ? l->chapter : -1;
    l->y = l->top;
    l->bottom = l->page_bottom;
    l->nfoot = 0;
}

static void place_line_on(lay *l, dg_lpage *pg, const dg_line *ln, double x, double base,
                         double size);

#define FOOT_SCALE 0.8
#define FOOT_LEADING 1.45

/* Sets NOTES at the foot of page PG. */
static void flush_footnotes(lay *l, dg_lpage *pg, fn_note *const *notes, size_t n)
{
    if (!n)
        return;
    double size = l->base * FOOT_SCALE, lh = size * FOOT_LEADING;
    double total = size * 0.8;
    for (size_t i = 0; i < n; i++)
        total += notes[i]->h;
    double y = l->page_bottom - total;
    dg_item *r = lay_add_item(l, pg, DG_ITEM_RULE);
    r->x = l->left;
    r->y = y + size * 0.3;
    r->w = (l->right - l->left) * 0.3;
    r->lw = 0.5;
    r->gray = 0.4;
    y += size * 0.8;
    for (size_t i = 0; i < n; i++) {
        const fn_note *fn = notes[i];
        dg_item *a = lay_add_item(l, pg, DG_ITEM_ANCHOR);
        a->x = l->left;
        a->y = y;
        a->dest = fn->id;
        for (size_t k = 0; k < fn->p.nlines; k++) {
            double base = y + (lh - size) / 2 + size * 0.88;
            place_line_on(l, pg, &fn->p.lines[k], l->left, base, size);
            y += lh;
        }
    }
}

static void deco_segment(lay *l, const deco *dc, double from, double to)
{
    if (to - from < 0.5)
        return;
    dg_lpage *pg = lay_cur_page(l);
    if (dc->kind == DECO_QUOTE) {
        dg_item *it = lay_add_item(l, pg, DG_ITEM_RULE);
        it->x = dc->x;
        it->y = from;
        it->w = 0;
        it->h = to - from;
        it->lw = 2.0;
        it->gray = 0.75;
    } else {
        dg_item *it = lay_add_item(l, pg, DG_ITEM_FILL);
        it->x = dc->x;
        it->y = from;
        it->w = dc->w;
        it->h = to - from;
        it->gray = 0.94;
    }
}

/* Moves to a new page.  Open decorations are closed on the old page and
 * reopened on the new one; a pending keep (a heading waiting for what
 * follows) moves to the new page with everything after it. */
void lay_break_page(lay *l)
{
    for (int i = 0; i < l->ndecos; i++)
        deco_segment(l, &l->decos[i], l->decos[i].start, l->y);
    size_t old = l->L->npages - 1;
    double old_y = l->y;
    fn_note *waiting[FOOT_MAX];
    size_t nwaiting = l->nfoot;
    memcpy(waiting, l->foot, nwaiting * sizeof *waiting);
    lay_new_page(l, DG_PAGE_BODY);
    if (l->keep && l->keep_page == old && l->keep_y > l->top + 1.0) {
        dg_lpage *from = &l->L->pages[old];
        dg_lpage *to = lay_cur_page(l);
        double dy = l->top - l->keep_y;
        for (size_t k = l->keep_item; k < from->n; k++) {
            dg_item *it = lay_add_item(l, to, from->items[k].kind);
            *it = from->items[k];
            it->y += dy;
        }
        from->n = l->keep_item;
        l->y = old_y + dy;
        l->keep_page = l->L->npages - 1;
        l->keep_item = 0;
        l->keep_y = l->top;
    }
    for (int i = 0; i < l->ndecos; i++)
        l->decos[i].start = l->top;
    /* the old page's notes, after the kept items have left it */
    flush_footnotes(l, &l->L->pages[old], waiting, nwaiting);
}

bool lay_at_top(const lay *l)
{
    return l->y <= l->top + 0.5;
}

/* Room for H more points, else a new page (unless the page is still empty). */
void lay_ensure(lay *l, double h)
{
    if (l->y + h > l->bottom + 0.01 && !lay_at_top(l))
        lay_break_page(l);
}

void lay_vspace(lay *l, double h)
{
    if (!lay_at_top(l))
        l->y += h;
}

void lay_placed(lay *l)
{
    l->keep = false;
}

void lay_add_anchor(lay *l, const char *id)
{
    if (!id || !*id)
        return;
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_ANCHOR);
    it->x = l->x0;
    it->y = l->y;
    it->dest = id;
}

/* ---- spans ------------------------------------------------------------------- */

int lay_add_link(lay *l, const char *uri, const char *dest)
{
    dg_arena_grow(l->a, &l->links, l->nlinks, &l->caplinks, sizeof *l->links, 64);
    l->links[l->nlinks].uri = uri;
    l->links[l->nlinks].dest = dest;
    return (int)l->nlinks++;
}

void lay_push_span(lay *l, const char *text, size_t len, unsigned style, double size, int link,
                      int tag, double rise)
{
    if (!len)
        return;
    dg_arena_grow(l->a, &l->spans, l->nspans, &l->capspans, sizeof *l->spans, 32);
    dg_span *s = &l->spans[l->nspans++];
    s->text = text;
    s->len = len;
    s->style = style;
    s->size = size;
    s->link = link;
    s->tag = tag;
    s->rise = rise;
}

/* "https://x.org/a/" and "x.org/a" name the same place on paper. */
static const char *url_core(const char *u, size_t *len)
{
    static const char *const schemes[] = {"https://", "http://", "mailto:", "www."};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (!strncasecmp(u, schemes[i], strlen(schemes[i])))
            u += strlen(schemes[i]);
    if (!strncasecmp(u, "www.", 4))
        u += 4;
    size_t n = strlen(u);
    while (n > 0 && (u[n - 1] == '/' || isspace((unsigned char)u[n - 1])))
        n--;
    *len = n;
    return u;
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
    const char *tc = url_core(t, &tn), *hc = url_core(href, &hn);
    bool same = tn == hn && tn > 0 && !strncasecmp(tc, hc, tn);
    xmlFree(text);
    return same;
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

static bool is_external(const char *href)
{
    return !strncmp(href, "http://", 7) || !strncmp(href, "https://", 8) ||
           !strncmp(href, "mailto:", 7) || !strncmp(href, "ftp://", 6);
}


/* Text with white space collapsed (outside pre).  PREV_SPACE carries
 * across spans so "a <em> b</em>" keeps one space. */
void lay_push_text(lay *l, const char *s, const istyle *st, bool *prev_space)
{
    if (l->in_pre) {
        lay_push_span(l, s, strlen(s), st->style, st->size, st->link, st->tag, st->rise);
        return;
    }
    size_t n = strlen(s);
    char *out = dg_alloc(l->a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
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

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);

void lay_inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        inline_walk(l, c, st, depth + 1, sp);
}

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            lay_push_text(l, (const char *)n->content, &st, sp);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return;
    const char *name = (const char *)n->name;
    if (depth > LAYOUT_MAX_DEPTH) {
        xmlChar *t = xmlNodeGetContent((xmlNodePtr)n);
        if (t)
            lay_push_text(l, dg_strdup(l->a, (const char *)t), &st, sp);
        xmlFree(t);
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
    }
    else if (!strcmp(name, "del") || !strcmp(name, "s"))
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
        } else if (href && is_external(href)) {
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

istyle lay_base_style(const lay *l, double size)
{
    istyle st = {0, size, 0, -1, 0};
    return st;
}

/* ---- lines --------------------------------------------------------------- */

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

static double line_ascent(const dg_line *ln, double size)
{
    return ln->ascent > 0 ? ln->ascent : size * 0.9;
}

/* Places LN with its left edge at X and baseline BASE on the current page,
 * with rectangles for its links. */
static void place_line_on(lay *l, dg_lpage *pg, const dg_line *ln, double x, double base,
                         double size)
{
    dg_item *it = lay_add_item(l, pg, DG_ITEM_TEXT);
    it->x = x;
    it->y = base;
    it->line = ln;
    it->w = ln->width;
    it->h = size;
    double asc = line_ascent(ln, size), desc = ln->descent < 0 ? -ln->descent : size * 0.2;
    for (size_t i = 0; i < ln->n;) {
        int lk = ln->glyphs[i].link;
        size_t j = i + 1;
        while (j < ln->n && ln->glyphs[j].link == lk)
            j++;
        if (lk >= 0 && (size_t)lk < l->nlinks) {
            dg_item *r = lay_add_item(l, pg, DG_ITEM_LINK);
            r->x = x + ln->glyphs[i].x;
            r->w = ln->glyphs[j - 1].x + ln->glyphs[j - 1].advance - ln->glyphs[i].x;
            r->y = base - asc;
            r->h = asc + desc;
            r->uri = l->links[lk].uri;
            r->dest = l->links[lk].dest;
        }
        i = j;
    }
}

void lay_place_line_at(lay *l, const dg_line *ln, double x, double base, double size)
{
    place_line_on(l, lay_cur_page(l), ln, x, base, size);
}

/* Places one line at the cursor: line height LH, left edge X. */
void lay_put_line(lay *l, const dg_line *ln, double x, double lh, double size)
{
    double base = l->y + (lh - size) / 2 + size * 0.88;
    /* the marker first: text extractors read the content in order */
    if (l->marker) {
        lay_place_line_at(l, l->marker, l->marker_x - l->marker->width, base, size);
        l->marker = NULL;
    }
    lay_place_line_at(l, ln, x, base, size);
    l->y += lh;
}

static fn_note *find_note(lay *l, const char *id)
{
    for (size_t i = 0; id && i < l->nnotes_fn; i++)
        if (!strcmp(l->notes_fn[i].id, id))
            return &l->notes_fn[i];
    return NULL;
}

void lay_inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);

static void lay_out_note(lay *l, fn_note *fn)
{
    double size = l->base * FOOT_SCALE;
    l->nspans = 0;
    const char *num = dg_sprintf(l->a, "%d. ", fn->num);
    lay_push_span(l, num, strlen(num), 0, size, -1, 0, 0);
    istyle st = {0, size, 0, -1, 0};
    bool sp = true;
    lay_inline_children(l, fn->li, st, 1, &sp);
    fn->p = lay_layout_spans(l, l->right - l->left, 0, false, false);
    fn->h = fn->p.nlines * size * FOOT_LEADING;
    fn->laid = true;
}

/* Height the notes first referenced in LN need at the page's foot. */
static double notes_need(lay *l, const dg_line *ln)
{
    double need = 0;
    int last = -1;
    for (size_t i = 0; i < ln->n && l->nnotes_fn; i++) {
        int lk = ln->glyphs[i].link;
        if (lk < 0 || lk == last || (size_t)lk >= l->nlinks)
            continue;
        last = lk;
        fn_note *fn = find_note(l, l->links[lk].dest);
        if (!fn || fn->placed)
            continue;
        if (!fn->laid)
            lay_out_note(l, fn);
        need += fn->h;
    }
    if (need > 0 && l->nfoot == 0)
        need += l->base * FOOT_SCALE * 0.8;
    return need;
}

static void reserve_notes(lay *l, const dg_line *ln, double need)
{
    int last = -1;
    for (size_t i = 0; i < ln->n; i++) {
        int lk = ln->glyphs[i].link;
        if (lk < 0 || lk == last || (size_t)lk >= l->nlinks)
            continue;
        last = lk;
        fn_note *fn = find_note(l, l->links[lk].dest);
        if (!fn || fn->placed || l->nfoot >= FOOT_MAX)
            continue;
        fn->placed = true;
        l->foot[l->nfoot++] = fn;
    }
    l->bottom -= need;
}

/* Places the lines of P with widow and orphan control: a paragraph of four
 * or more lines leaves at least two on each page; a shorter one is not split.
 * MARK_CONT: code lines continued get a mark at XR. */
static void put_lines(lay *l, const dg_para *p, double x, double lh, double size, double xr,
                      bool code)
{
    size_t n = p->nlines, i = 0;
    while (i < n) {
        double room = l->bottom - l->y;
        size_t avail = room >= lh - 0.01 ? (size_t)((room + 0.01) / lh) : 0;
        size_t rest = n - i;
        size_t k;
        if (avail >= rest) {
            k = rest;
        } else if (lay_at_top(l)) {
            k = avail ? avail : 1; /* taller than a page: split where it must */
        } else if (n < 4 && !code) {
            k = 0;
        } else {
            k = avail;
            if (rest - k < 2)
                k = rest >= 2 ? rest - 2 : 0;
            if (i == 0 && k < 2)
                k = 0;
        }
        if (k == 0) {
            lay_break_page(l);
            continue;
        }
        for (size_t j = 0; j < k; j++) {
            const dg_line *ln = &p->lines[i + j];
            /* a line with a footnote reference needs its note on this page */
            double need = notes_need(l, ln);
            if (need > 0 && l->y + lh + need > l->bottom + 0.01 && !lay_at_top(l)) {
                k = j;
                break;
            }
            if (code && ln->continued) {
                const dg_line *m = lay_simple_line(l, "\xE2\x86\xA9", DG_MONO, size * 0.8, DG_TAG_GREY);
                double base = l->y + (lh - size) / 2 + size * 0.88;
                lay_place_line_at(l, m, xr - m->width, base, size);
            }
            lay_put_line(l, ln, x, lh, size);
            lay_placed(l);
            if (need > 0)
                reserve_notes(l, ln, need);
        }
        i += k;
        if (i < n)
            lay_break_page(l);
    }
}

/* ---- blocks ------------------------------------------------------------------ */

static void flow(lay *l, const xmlNode *parent, int depth);

static bool is_block(const xmlNode *n)
{
    static const char *const blocks[] = {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "hr",
        "table", "thead", "tbody", "tr", "th", "td", "div", "section", "figure", "figcaption",
        "dl", "dt", "dd", NULL};
    if (!n || n->type != XML_ELEMENT_NODE)
        return false;
    for (int i = 0; blocks[i]; i++)
        if (!strcmp((const char *)n->name, blocks[i]))
            return true;
    return false;
}

static bool blank_text(const xmlNode *n)
{
    if (n->type == XML_COMMENT_NODE)
        return true;
    if (n->type != XML_TEXT_NODE)
        return false;
    for (const xmlChar *p = n->content; p && *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

/* The only element among [FIRST, END) (ignoring blank text), or NULL. */
static const xmlNode *sole_element(const xmlNode *first, const xmlNode *end)
{
    const xmlNode *e = NULL;
    for (const xmlNode *c = first; c != end; c = c->next) {
        if (blank_text(c))
            continue;
        if (c->type != XML_ELEMENT_NODE || e)
            return NULL;
        e = c;
    }
    return e;
}

static void collect_range(lay *l, const xmlNode *first, const xmlNode *end, istyle st, int depth)
{
    bool sp = true;
    for (const xmlNode *c = first; c != end; c = c->next)
        inline_walk(l, c, st, depth, &sp);
}

double lay_body_size(const lay *l)
{
    return l->base * l->scale;
}

static void paragraph_range(lay *l, const xmlNode *first, const xmlNode *end, int depth,
                            bool indent, int align_center)
{
    double size = lay_body_size(l);
    l->nspans = 0;
    collect_range(l, first, end, lay_base_style(l, size), depth);
    if (!l->nspans)
        return;
    double fi = indent ? 2 * size : 0;
    dg_para p = lay_layout_spans(l, l->width, fi, !align_center, false);
    if (!p.nlines)
        return;
    if (align_center && p.nlines == 1) {
        dg_line *ln = &p.lines[0];
        double x = l->x0 + (l->width - ln->width) / 2;
        lay_ensure(l, size * BODY_LEADING);
        lay_put_line(l, ln, x, size * BODY_LEADING, size);
        lay_placed(l);
        return;
    }
    put_lines(l, &p, l->x0, size * BODY_LEADING, size, 0, false);
}

/* A framed box around inline content (media, placeholders, missing images). */
static void framed_box(lay *l, const xmlNode *first, const xmlNode *end, const char *extra, int depth)
{
    double size = lay_body_size(l) * 0.92, pad = size * 0.6, lh = size * 1.5;
    l->nspans = 0;
    istyle st = lay_base_style(l, size);
    collect_range(l, first, end, st, depth);
    if (extra) {
        st.tag = DG_TAG_GREY;
        bool sp = false;
        lay_push_text(l, extra, &st, &sp);
    }
    dg_para p = lay_layout_spans(l, l->width - 2 * pad, 0, false, false);
    if (!p.nlines)
        return;
    double h = p.nlines * lh + 2 * pad;
    lay_vspace(l, size * 0.4);
    if (h <= l->bottom - l->top)
        lay_ensure(l, h);
    double y0 = l->y;
    dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_RECT);
    r->x = l->x0;
    r->y = y0;
    r->w = l->width;
    r->h = h;
    r->lw = 0.6;
    r->gray = 0.55;
    l->y += pad;
    for (size_t i = 0; i < p.nlines; i++)
        lay_put_line(l, &p.lines[i], l->x0 + pad, lh, size);
    l->y = y0 + h;
    lay_placed(l);
    lay_vspace(l, size * 0.4);
}

static void image_block(lay *l, const xmlNode *img, const char *href_link, int depth)
{
    const char *src = lay_attr(l, img, "src");
    const char *alt = lay_attr(l, img, "alt");
    const dg_asset *as = src ? dg_registry_find(&l->book->reg, src) : NULL;
    if (!as || (as->image.type != DG_IMG_PNG && as->image.type != DG_IMG_JPEG) ||
        as->image.width <= 0 || as->image.height <= 0) {
        const char *t = dg_sprintf(l->a, "%s%s%s%s", l->zh ? "[图片] " : "[image] ", alt ? alt : "",
                                   href_link ? " " : "", href_link ? href_link : "");
        l->nspans = 0;
        double size = lay_body_size(l) * 0.92, pad = size * 0.6, lh = size * 1.5;
        istyle st = lay_base_style(l, size);
        if (href_link) {
            st.link = lay_add_link(l, href_link, NULL);
        }
        bool sp = true;
        lay_push_text(l, t, &st, &sp);
        dg_para p = lay_layout_spans(l, l->width - 2 * pad, 0, false, false);
        double h = p.nlines * lh + 2 * pad;
        lay_vspace(l, size * 0.4);
        lay_ensure(l, h);
        dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_RECT);
        r->x = l->x0;
        r->y = l->y;
        r->w = l->width;
        r->h = h;
        r->lw = 0.6;
        r->gray = 0.55;
        double y0 = l->y;
        l->y += pad;
        for (size_t i = 0; i < p.nlines; i++)
            lay_put_line(l, &p.lines[i], l->x0 + pad, lh, size);
        l->y = y0 + h;
        lay_placed(l);
        return;
    }
    /* 96 px per inch, at most the column width and 85 % of the text block */
    double w = as->image.width * 0.75, h;
    if (w > l->width)
        w = l->width;
    h = w * as->image.height / as->image.width;
    double maxh = (l->page_bottom - l->top) * 0.85;
    if (h > maxh) {
        h = maxh;
        w = h * as->image.width / as->image.height;
    }
    lay_vspace(l, lay_body_size(l) * 0.5);
    /* rather than leave a large gap, an image may shrink to 70 % to fit */
    double room = l->bottom - l->y;
    if (h > room && room >= h * IMAGE_MIN_SHRINK && !lay_at_top(l)) {
        w *= room / h;
        h = room;
    }
    lay_ensure(l, h);
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_IMAGE);
    it->x = l->x0 + (l->width - w) / 2;
    it->y = l->y;
    it->w = w;
    it->h = h;
    it->asset = as;
    if (href_link) {
        dg_item *k = lay_add_item(l, lay_cur_page(l), DG_ITEM_LINK);
        k->x = it->x;
        k->y = it->y;
        k->w = w;
        k->h = h;
        k->uri = href_link;
    }
    l->y += h;
    lay_placed(l);
    lay_vspace(l, lay_body_size(l) * 0.5);
    (void)depth;
}

static const double heading_scale[7] = {1.0, 1.55, 1.35, 1.2, 1.08, 1.0, 1.0};

static void heading(lay *l, const xmlNode *n, int level, int depth)
{
    double size = l->base * heading_scale[level];
    double lh = size * HEAD_LEADING;
    lay_vspace(l, size * (level <= 2 ? 1.2 : 0.9));
    l->nspans = 0;
    istyle st = lay_base_style(l, size);
    st.style = DG_BOLD;
    bool sp = true;
    lay_inline_children(l, n, st, depth, &sp);
    dg_para p = lay_layout_spans(l, l->width, 0, false, false);
    if (!p.nlines)
        return;
    /* a heading needs itself and two lines of text below */
    lay_ensure(l, p.nlines * lh + 2 * l->base * BODY_LEADING);
    if (!l->keep) {
        l->keep = true;
        l->keep_page = l->L->npages - 1;
        l->keep_item = lay_cur_page(l)->n;
        l->keep_y = l->y;
    }
    lay_add_anchor(l, lay_attr(l, n, "id"));
    for (size_t i = 0; i < p.nlines; i++)
        lay_put_line(l, &p.lines[i], l->x0, lh, size);
    l->y += size * 0.35;
}

static void code_block(lay *l, const xmlNode *pre)
{
    double size = lay_body_size(l) * 0.86, pad = size * 0.7, lh = size * CODE_LEADING;
    xmlChar *t = xmlNodeGetContent((xmlNodePtr)pre);
    char *text = dg_strdup(l->a, t ? (const char *)t : "");
    xmlFree(t);
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = 0;
    l->nspans = 0;
    lay_push_span(l, text, len, DG_MONO, size, -1, 0, 0);
    double mark = size * 1.2;
    dg_para p = lay_layout_spans(l, l->width - 2 * pad - mark, 0, false, true);
    if (!p.nlines)
        return;
    lay_vspace(l, size * 0.6);
    lay_ensure(l, pad + lh * (p.nlines < 2 ? p.nlines : 2));
    if (l->ndecos < DECO_MAX) {
        deco *dc = &l->decos[l->ndecos++];
        dc->kind = DECO_CODE;
        dc->x = l->x0;
        dc->w = l->width;
        dc->start = l->y;
    }
    l->y += pad;
    put_lines(l, &p, l->x0 + pad, lh, size, l->x0 + l->width - pad * 0.5, true);
    l->y += pad;
    if (l->ndecos > 0 && l->decos[l->ndecos - 1].kind == DECO_CODE) {
        deco *dc = &l->decos[--l->ndecos];
        deco_segment(l, dc, dc->start, l->y);
    }
    lay_vspace(l, size * 0.6);
}

static void hrule(lay *l)
{
    lay_vspace(l, l->base * 0.8);
    lay_ensure(l, l->base);
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_RULE);
    it->x = l->x0 + l->width * 0.3;
    it->y = l->y + l->base * 0.5;
    it->w = l->width * 0.4;
    it->lw = 0.6;
    it->gray = 0.5;
    l->y += l->base;
    lay_placed(l);
    lay_vspace(l, l->base * 0.8);
}

static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA"};

static void list_block(lay *l, const xmlNode *n, bool ordered, int depth, int level)
{
    long num = 1;
    const char *start = lay_attr(l, n, "start");
    if (ordered && start)
        num = strtol(start, NULL, 10);
    double size = lay_body_size(l);
    double ind = size * 2.0;
    double save_x = l->x0, save_w = l->width;
    l->x0 += ind;
    l->width -= ind;
    lay_vspace(l, size * 0.3);
    for (const xmlNode *li = n->children; li; li = li->next) {
        if (!lay_name_is(li, "li"))
            continue;
        char mbuf[32];
        const char *m;
        if (lay_has_class(l, li, "task"))
            m = NULL;
        else if (ordered) {
            snprintf(mbuf, sizeof mbuf, "%ld.", num);
            m = mbuf;
        } else {
            m = bullets[level % 3];
        }
        num++;
        if (m) {
            l->marker = lay_simple_line(l, dg_strdup(l->a, m), 0, size, 0);
            l->marker_x = l->x0 - size * 0.5;
        }
        lay_add_anchor(l, lay_attr(l, li, "id"));
        flow(l, li, depth + 1);
        l->marker = NULL;
        lay_vspace(l, size * 0.15);
    }
    l->x0 = save_x;
    l->width = save_w;
    lay_vspace(l, size * 0.3);
}

static void quote_block(lay *l, const xmlNode *n, int depth)
{
    double size = lay_body_size(l);
    double ind = size * 1.6;
    lay_vspace(l, size * 0.5);
    double save_x = l->x0, save_w = l->width;
    int di = -1;
    if (l->ndecos < DECO_MAX) {
        di = l->ndecos++;
        l->decos[di].kind = DECO_QUOTE;
        l->decos[di].x = l->x0 + size * 0.4;
        l->decos[di].w = 0;
        l->decos[di].start = l->y;
    }
    l->x0 += ind;
    l->width -= ind;
    flow(l, n, depth + 1);
    l->x0 = save_x;
    l->width = save_w;
    if (di >= 0 && di == l->ndecos - 1) {
        deco *dc = &l->decos[--l->ndecos];
        deco_segment(l, dc, dc->start, l->y);
    }
    lay_vspace(l, size * 0.5);
}

/* ---- flow ------------------------------------------------------------------ */

/* The short rule above notes at the end of a post. */
static void notes_rule(lay *l)
{
    lay_vspace(l, l->base);
    lay_ensure(l, l->base * 3);
    dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_RULE);
    it->x = l->x0;
    it->y = l->y;
    it->w = l->width * 0.3;
    it->lw = 0.5;
    it->gray = 0.4;
    l->y += l->base * 0.5;
}

static void footnotes_block(lay *l, const xmlNode *n, int depth)
{
    notes_rule(l);
    double save = l->scale;
    l->scale = 0.85;
    flow(l, n, depth + 1);
    l->scale = save;
}

static void block(lay *l, const xmlNode *n, int depth)
{
    const char *name = (const char *)n->name;
    if (depth > LAYOUT_MAX_DEPTH) {
        paragraph_range(l, n, n->next, depth, false, 0);
        return;
    }
    if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) {
        heading(l, n, name[1] - '0', depth);
        return;
    }
    lay_add_anchor(l, lay_attr(l, n, "id"));
    if (!strcmp(name, "p")) {
        const xmlNode *only = sole_element(n->children, NULL);
        if (lay_has_class(l, n, "media")) {
            framed_box(l, n->children, NULL, NULL, depth);
        } else if (only && lay_name_is(only, "img")) {
            image_block(l, only, NULL, depth);
        } else if (only && lay_name_is(only, "a") && sole_element(only->children, NULL) &&
                   lay_name_is(sole_element(only->children, NULL), "img")) {
            const char *href = lay_attr(l, only, "href");
            image_block(l, sole_element(only->children, NULL),
                        href && is_external(href) ? href : NULL, depth);
        } else if (only && lay_name_is(only, "span") && lay_has_class(l, only, "placeholder")) {
            framed_box(l, only->children, NULL, NULL, depth);
        } else {
            lay_vspace(l, lay_body_size(l) * 0.45);
            paragraph_range(l, n->children, NULL, depth, l->indent, 0);
        }
    } else if (!strcmp(name, "blockquote")) {
        quote_block(l, n, depth);
    } else if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
        int level = 0;
        for (const xmlNode *p = n->parent; p; p = p->parent)
            if (lay_name_is(p, "ul") || lay_name_is(p, "ol"))
                level++;
        list_block(l, n, !strcmp(name, "ol"), depth, level);
    } else if (!strcmp(name, "pre")) {
        code_block(l, n);
    } else if (!strcmp(name, "hr")) {
        hrule(l);
    } else if (!strcmp(name, "table")) {
        lay_table_block(l, n, depth);
    } else if (!strcmp(name, "div") && lay_has_class(l, n, "footnotes")) {
        if (!l->nnotes_fn)
            footnotes_block(l, n, depth); /* notes without ids: at the end of the post */
    } else if ((!strcmp(name, "div") || !strcmp(name, "span")) &&
               (lay_has_class(l, n, "media") || lay_has_class(l, n, "placeholder"))) {
        framed_box(l, n->children, NULL, NULL, depth);
    } else if (!strcmp(name, "figcaption")) {
        double save = l->scale;
        l->scale = 0.88;
        lay_vspace(l, lay_body_size(l) * 0.3);
        paragraph_range(l, n->children, NULL, depth, false, 1);
        l->scale = save;
    } else if (!strcmp(name, "dt")) {
        lay_vspace(l, lay_body_size(l) * 0.45);
        l->nspans = 0;
        istyle st = lay_base_style(l, lay_body_size(l));
        st.style = DG_BOLD;
        collect_range(l, n->children, NULL, st, depth);
        dg_para p = lay_layout_spans(l, l->width, 0, false, false);
        put_lines(l, &p, l->x0, lay_body_size(l) * BODY_LEADING, lay_body_size(l), 0, false);
    } else if (!strcmp(name, "dd")) {
        double ind = lay_body_size(l) * 2;
        l->x0 += ind;
        l->width -= ind;
        flow(l, n, depth + 1);
        l->x0 -= ind;
        l->width += ind;
    } else {
        /* section, div, figure, li, dl, stray table parts: their content */
        flow(l, n, depth + 1);
    }
}

/* Lays out the children of PARENT: block elements one by one, runs of inline
 * content between them as anonymous paragraphs. */
static void flow(lay *l, const xmlNode *parent, int depth)
{
    const xmlNode *c = parent->children;
    while (c) {
        if (is_block(c)) {
            block(l, c, depth);
            c = c->next;
            continue;
        }
        const xmlNode *end = c;
        while (end && !is_block(end))
            end = end->next;
        const xmlNode *only = sole_element(c, end);
        bool blank = true;
        for (const xmlNode *k = c; k != end; k = k->next)
            if (!blank_text(k))
                blank = false;
        if (blank) {
            /* nothing */
        } else if (only && lay_name_is(only, "img")) {
            image_block(l, only, NULL, depth);
        } else if (only && lay_name_is(only, "span") && lay_has_class(l, only, "placeholder")) {
            framed_box(l, only->children, NULL, NULL, depth);
        } else {
            lay_vspace(l, lay_body_size(l) * 0.2);
            paragraph_range(l, c, end, depth, false, 0);
        }
        c = end;
    }
}

/* ---- chapters ---------------------------------------------------------------- */

void lay_text_block(lay *l, const char *text, unsigned style, double size, int tag, double lead,
                       bool center)
{
    if (!text || !*text)
        return;
    l->nspans = 0;
    istyle st = lay_base_style(l, size);
    st.style = style;
    st.tag = tag;
    bool sp = true;
    lay_push_text(l, text, &st, &sp);
    dg_para p = lay_layout_spans(l, l->width, 0, false, false);
    for (size_t i = 0; i < p.nlines; i++) {
        double x = center ? l->x0 + (l->width - p.lines[i].width) / 2 : l->x0;
        lay_ensure(l, size * lead);
        lay_put_line(l, &p.lines[i], x, size * lead, size);
    }
}

static void chapter_head(lay *l, const dg_chapter *ch)
{
    const dg_post *p = ch->post;
    lay_add_anchor(l, ch->id);
    l->y += l->base * 1.5;
    lay_text_block(l, dg_post_display_title(l->a, p, l->lang), DG_BOLD, l->base * 1.9, 0, 1.3, false);
    if (p->subtitle) {
        l->y += l->base * 0.2;
        lay_text_block(l, p->subtitle, 0, l->base * 1.2, DG_TAG_GREY, 1.4, false);
    }
    dg_buf meta = {0};
    if (p->has_date)
        dg_buf_printf(&meta, "%04d-%02d-%02d", p->date.year, p->date.month, p->date.day);
    if (p->author)
        dg_buf_printf(&meta, "%s%s", meta.len ? " · " : "", p->author);
    if (meta.data) {
        l->y += l->base * 0.4;
        lay_text_block(l, dg_buf_to_arena(&meta, l->a), 0, l->base * 0.9, DG_TAG_GREY, 1.5, false);
    }
    if (p->ntags) {
        dg_buf tg = {0};
        for (size_t i = 0; i < p->ntags; i++)
            dg_buf_printf(&tg, "%s#%s", i ? "  " : "", p->tags[i]);
        lay_text_block(l, dg_buf_to_arena(&tg, l->a), 0, l->base * 0.9, DG_TAG_GREY, 1.5, false);
    }
    l->y += l->base * 0.6;
    dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_RULE);
    r->x = l->x0;
    r->y = l->y;
    r->w = l->width;
    r->lw = 0.8;
    r->gray = 0.3;
    l->y += l->base * 1.2;
    /* the post's header image, kept small: it is decoration */
    const dg_asset *hi = ch->header_image;
    if (hi && (hi->image.type == DG_IMG_PNG || hi->image.type == DG_IMG_JPEG) &&
        hi->image.width > 0 && hi->image.height > 0) {
        double w = l->width, h = w * hi->image.height / hi->image.width;
        double maxh = (l->page_bottom - l->top) * 0.28;
        if (h > maxh) {
            h = maxh;
            w = h * hi->image.width / hi->image.height;
        }
        dg_item *it = lay_add_item(l, lay_cur_page(l), DG_ITEM_IMAGE);
        it->x = l->x0 + (l->width - w) / 2;
        it->y = l->y;
        it->w = w;
        it->h = h;
        it->asset = hi;
        l->y += h + l->base;
    }
}

static void link_notes(lay *l)
{
    if (!l->nurls)
        return;
    double size = l->base * 0.85;
    lay_vspace(l, l->base * 1.5);
    lay_ensure(l, size * 5);
    lay_text_block(l, l->zh ? "链接" : "Links", DG_BOLD, size * 1.05, 0, 1.6, false);
    for (size_t i = 0; i < l->nurls; i++) {
        l->nspans = 0;
        const char *num = dg_sprintf(l->a, "%zu. ", i + 1);
        lay_push_span(l, num, strlen(num), 0, size, -1, 0, 0);
        int lk = lay_add_link(l, l->urls[i], NULL);
        lay_push_span(l, l->urls[i], strlen(l->urls[i]), 0, size, lk, DG_TAG_LINK, 0);
        dg_para p = lay_layout_spans(l, l->width, 0, false, false);
        put_lines(l, &p, l->x0, size * 1.5, size, 0, false);
    }
}

/* The footnotes of the post (div.footnotes > ol > li with ids). */
static void collect_notes(lay *l, const xmlNode *root)
{
    l->nnotes_fn = 0;
    if (!root)
        return;
    for (const xmlNode *d = root->children; d; d = d->next) {
        if (!lay_name_is(d, "div") || !lay_has_class(l, d, "footnotes"))
            continue;
        for (const xmlNode *ol = d->children; ol; ol = ol->next) {
            if (!lay_name_is(ol, "ol"))
                continue;
            size_t n = 0;
            for (const xmlNode *li = ol->children; li; li = li->next)
                n += lay_name_is(li, "li");
            fn_note *arr = dg_allocn(l->a, l->nnotes_fn + n + 1, sizeof *arr);
            if (l->nnotes_fn)
                memcpy(arr, l->notes_fn, l->nnotes_fn * sizeof *arr);
            l->notes_fn = arr;
            int num = 1;
            for (const xmlNode *li = ol->children; li; li = li->next) {
                if (!lay_name_is(li, "li"))
                    continue;
                const char *id = lay_attr(l, li, "id");
                if (!id) {
                    num++;
                    continue;
                }
                fn_note *fn = &l->notes_fn[l->nnotes_fn++];
                memset(fn, 0, sizeof *fn);
                fn->id = id;
                fn->li = li;
                fn->num = num++;
            }
        }
    }
}

void lay_layout_chapter(lay *l, size_t ci)
{
    const dg_chapter *ch = &l->book->chapters[ci];
    l->chapter = (int)ci;
    l->keep = false;
    l->nurls = 0;
    l->ndecos = 0;
    l->marker = NULL;
    lay_new_page(l, DG_PAGE_BODY);
    lay_cur_page(l)->chapter_start = true;
    l->x0 = l->left;
    l->width = l->right - l->left;
    l->scale = 1.0;
    chapter_head(l, ch);
    const xmlNode *root = ch->doc ? xmlDocGetRootElement(ch->doc) : NULL;
    collect_notes(l, root);
    if (root)
        flow(l, root, 0);
    /* notes never referenced from a body line (tables, headings): at the end */
    bool rule = false;
    for (size_t i = 0; i < l->nnotes_fn; i++) {
        fn_note *fn = &l->notes_fn[i];
        if (fn->placed)
            continue;
        if (!rule) {
            notes_rule(l);
            rule = true;
        }
        if (!fn->laid)
            lay_out_note(l, fn);
        fn->placed = true;
        lay_add_anchor(l, fn->id);
        put_lines(l, &fn->p, l->x0, l->base * FOOT_SCALE * FOOT_LEADING, l->base * FOOT_SCALE, 0,
                  false);
    }
    link_notes(l);
    flush_footnotes(l, lay_cur_page(l), l->foot, l->nfoot);
    l->nfoot = 0;
    l->nnotes_fn = 0;
}
