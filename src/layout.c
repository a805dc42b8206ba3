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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "digest/layout_internal.h"

/* Elements nested deeper than this are laid out as plain text of their
 * parent: the content stage already bounds nesting; this guards the
 * recursion of the block and inline walks. */
#define LAYOUT_MAX_DEPTH 48
/* Line height of body text, as a multiple of the font size (Chinese text
 * needs more leading than Latin). */
#define BODY_LEADING 1.7
#define CODE_LEADING 1.4
#define HEAD_LEADING 1.35
/* Passes to settle the number of contents pages (it changes at most a few times). */
#define CONTENTS_PASSES 6
/* Spans per paragraph are kept in a growable array; this caps one table's columns. */
#define TABLE_MAX_COLS 64
#define DECO_MAX 32
/* Footnotes set at the foot of one page; more are left for the next pages. */
#define FOOT_MAX 32

typedef struct link_ref {
    const char *uri;   /* external */
    const char *dest;  /* internal */
} link_ref;

typedef enum deco_kind { DECO_QUOTE, DECO_CODE } deco_kind;
typedef struct deco {
    deco_kind kind;
    double x, w, start;
} deco;

/* A footnote of the current post: laid out when first referenced and set at
 * the foot of that page. */
typedef struct fn_note {
    const char *id;
    const xmlNode *li;
    int num;
    dg_para p;
    double h;
    bool laid, placed;
} fn_note;

typedef struct lay {
    const dg_book *book;
    dg_fonts *fonts;
    dg_arena *a;
    dg_diag *d;
    dg_layout *L;         /* pages being filled */
    const char *lang;
    bool zh;
    double W, H, M, base;
    double top, bottom, left, right;
    bool indent, notes;
    int chapter;
    double y;             /* next free y on the current page */
    double x0, width;     /* current column */
    double scale;         /* size factor (footnotes, tables) */
    /* keep-with-next: items from keep_item on the current page move along */
    bool keep;
    size_t keep_page, keep_item;
    double keep_y;
    deco decos[DECO_MAX];
    int ndecos;
    /* a list marker waiting for the first line of its item */
    const dg_line *marker;
    double marker_x;
    /* spans of the paragraph being collected */
    dg_span *spans;
    size_t nspans, capspans;
    link_ref *links;
    size_t nlinks, caplinks;
    /* external links of the current post (link notes) */
    const char **urls;
    size_t nurls, capurls;
    bool in_pre;
    /* footnotes of the current post, and those waiting at the current page's foot */
    fn_note *notes_fn;
    size_t nnotes_fn;
    fn_note *foot[FOOT_MAX];
    size_t nfoot;
    double page_bottom;   /* bottom of the text block; bottom is above it when notes wait */
    int depth_fn;
} lay;

/* ---- pages and items -------------------------------------------------------- */

static dg_lpage *cur_page(lay *l)
{
    return &l->L->pages[l->L->npages - 1];
}

static dg_item *add_item(lay *l, dg_lpage *pg, dg_item_kind kind)
{
    if (pg->n == pg->cap) {
        size_t cap = pg->cap ? pg->cap * 2 : 64;
        dg_item *n = dg_allocn(l->a, cap, sizeof *n);
        if (pg->n)
            memcpy(n, pg->items, pg->n * sizeof *n);
        pg->items = n;
        pg->cap = cap;
    }
    dg_item *it = &pg->items[pg->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

static void new_page(lay *l, dg_page_kind kind)
{
    dg_layout *L = l->L;
    if (L->npages == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 16;
        dg_lpage *n = dg_allocn(l->a, cap, sizeof *n);
        if (L->npages)
            memcpy(n, L->pages, L->npages * sizeof *n);
        L->pages = n;
        L->cap = cap;
    }
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
    dg_item *r = add_item(l, pg, DG_ITEM_RULE);
    r->x = l->left;
    r->y = y + size * 0.3;
    r->w = (l->right - l->left) * 0.3;
    r->lw = 0.5;
    r->gray = 0.4;
    y += size * 0.8;
    for (size_t i = 0; i < n; i++) {
        const fn_note *fn = notes[i];
        dg_item *a = add_item(l, pg, DG_ITEM_ANCHOR);
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
    dg_lpage *pg = cur_page(l);
    if (dc->kind == DECO_QUOTE) {
        dg_item *it = add_item(l, pg, DG_ITEM_RULE);
        it->x = dc->x;
        it->y = from;
        it->w = 0;
        it->h = to - from;
        it->lw = 2.0;
        it->gray = 0.75;
    } else {
        dg_item *it = add_item(l, pg, DG_ITEM_FILL);
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
static void break_page(lay *l)
{
    for (int i = 0; i < l->ndecos; i++)
        deco_segment(l, &l->decos[i], l->decos[i].start, l->y);
    size_t old = l->L->npages - 1;
    double old_y = l->y;
    fn_note *waiting[FOOT_MAX];
    size_t nwaiting = l->nfoot;
    memcpy(waiting, l->foot, nwaiting * sizeof *waiting);
    new_page(l, DG_PAGE_BODY);
    if (l->keep && l->keep_page == old && l->keep_y > l->top + 1.0) {
        dg_lpage *from = &l->L->pages[old];
        dg_lpage *to = cur_page(l);
        double dy = l->top - l->keep_y;
        for (size_t k = l->keep_item; k < from->n; k++) {
            dg_item *it = add_item(l, to, from->items[k].kind);
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

static bool at_top(const lay *l)
{
    return l->y <= l->top + 0.5;
}

/* Room for H more points, else a new page (unless the page is still empty). */
static void ensure(lay *l, double h)
{
    if (l->y + h > l->bottom + 0.01 && !at_top(l))
        break_page(l);
}

static void vspace(lay *l, double h)
{
    if (!at_top(l))
        l->y += h;
}

static void placed(lay *l)
{
    l->keep = false;
}

static void add_anchor(lay *l, const char *id)
{
    if (!id || !*id)
        return;
    dg_item *it = add_item(l, cur_page(l), DG_ITEM_ANCHOR);
    it->x = l->x0;
    it->y = l->y;
    it->dest = id;
}

/* ---- spans ------------------------------------------------------------------- */

static int add_link(lay *l, const char *uri, const char *dest)
{
    if (l->nlinks == l->caplinks) {
        size_t cap = l->caplinks ? l->caplinks * 2 : 64;
        link_ref *n = dg_allocn(l->a, cap, sizeof *n);
        if (l->nlinks)
            memcpy(n, l->links, l->nlinks * sizeof *n);
        l->links = n;
        l->caplinks = cap;
    }
    l->links[l->nlinks].uri = uri;
    l->links[l->nlinks].dest = dest;
    return (int)l->nlinks++;
}

static void push_span(lay *l, const char *text, size_t len, unsigned style, double size, int link,
                      int tag, double rise)
{
    if (!len)
        return;
    if (l->nspans == l->capspans) {
        size_t cap = l->capspans ? l->capspans * 2 : 32;
        dg_span *n = dg_allocn(l->a, cap, sizeof *n);
        if (l->nspans)
            memcpy(n, l->spans, l->nspans * sizeof *n);
        l->spans = n;
        l->capspans = cap;
    }
    dg_span *s = &l->spans[l->nspans++];
    s->text = text;
    s->len = len;
    s->style = style;
    s->size = size;
    s->link = link;
    s->tag = tag;
    s->rise = rise;
}

static int note_number(lay *l, const char *url)
{
    for (size_t i = 0; i < l->nurls; i++)
        if (!strcmp(l->urls[i], url))
            return (int)i + 1;
    if (l->nurls == l->capurls) {
        size_t cap = l->capurls ? l->capurls * 2 : 16;
        const char **n = dg_allocn(l->a, cap, sizeof *n);
        if (l->nurls)
            memcpy(n, l->urls, l->nurls * sizeof *n);
        l->urls = n;
        l->capurls = cap;
    }
    l->urls[l->nurls++] = url;
    return (int)l->nurls;
}

static bool name_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const char *attr(lay *l, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp((xmlNodePtr)n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = dg_strdup(l->a, (const char *)v);
    xmlFree(v);
    return s;
}

static bool has_class(lay *l, const xmlNode *n, const char *cls)
{
    const char *c = attr(l, n, "class");
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

typedef struct istyle {
    unsigned style;
    double size, rise;
    int link, tag;
} istyle;

/* Text with white space collapsed (outside pre).  PREV_SPACE carries
 * across spans so "a <em> b</em>" keeps one space. */
static void push_text(lay *l, const char *s, const istyle *st, bool *prev_space)
{
    if (l->in_pre) {
        push_span(l, s, strlen(s), st->style, st->size, st->link, st->tag, st->rise);
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
    push_span(l, out, o, st->style, st->size, st->link, st->tag, st->rise);
}

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);

static void inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        inline_walk(l, c, st, depth + 1, sp);
}

static void inline_walk(lay *l, const xmlNode *n, istyle st, int depth, bool *sp)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            push_text(l, (const char *)n->content, &st, sp);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return;
    const char *name = (const char *)n->name;
    if (depth > LAYOUT_MAX_DEPTH) {
        xmlChar *t = xmlNodeGetContent((xmlNodePtr)n);
        if (t)
            push_text(l, dg_strdup(l->a, (const char *)t), &st, sp);
        xmlFree(t);
        return;
    }
    if (!strcmp(name, "br")) {
        push_span(l, "\n", 1, st.style, st.size, -1, st.tag, st.rise);
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
        const char *alt = attr(l, n, "alt");
        const char *t = dg_sprintf(l->a, l->zh ? "[图片%s%s]" : "[image%s%s]",
                                   alt && *alt ? (l->zh ? "：" : ": ") : "", alt ? alt : "");
        istyle g = st;
        g.tag |= DG_TAG_GREY;
        push_text(l, t, &g, sp);
        return;
    } else if (!strcmp(name, "a")) {
        const char *href = attr(l, n, "href");
        if (has_class(l, n, "footnote-backref") || (href && !strncmp(href, "#fnref", 6)))
            return; /* "back to the text" arrows mean nothing on paper */
        if (href && href[0] == '#' && href[1]) {
            st.link = add_link(l, NULL, href + 1);
        } else if (href && is_external(href)) {
            st.link = add_link(l, href, NULL);
            st.tag |= DG_TAG_LINK;
            inline_children(l, n, st, depth, sp);
            if (l->notes) {
                int num = note_number(l, href);
                istyle sup = st;
                sup.rise += st.size * 0.35;
                sup.size *= 0.6;
                sup.style &= ~(unsigned)DG_ITALIC;
                const char *t = dg_sprintf(l->a, "%d", num);
                push_span(l, t, strlen(t), sup.style, sup.size, sup.link, sup.tag, sup.rise);
                *sp = false;
            }
            return;
        }
    }
    inline_children(l, n, st, depth, sp);
}

static istyle base_style(const lay *l, double size)
{
    istyle st = {0, size, 0, -1, 0};
    return st;
}

/* ---- lines --------------------------------------------------------------- */

static dg_para layout_spans(lay *l, double width, double first_indent, bool justify, bool code)
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
static const dg_line *simple_line(lay *l, const char *text, unsigned style, double size, int tag)
{
    size_t save = l->nspans;
    dg_span *saved = l->spans;
    size_t savecap = l->capspans;
    l->spans = NULL;
    l->nspans = l->capspans = 0;
    push_span(l, text, strlen(text), style, size, -1, tag, 0);
    dg_para p = layout_spans(l, 1e6, 0, false, false);
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
    dg_item *it = add_item(l, pg, DG_ITEM_TEXT);
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
            dg_item *r = add_item(l, pg, DG_ITEM_LINK);
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

static void place_line_at(lay *l, const dg_line *ln, double x, double base, double size)
{
    place_line_on(l, cur_page(l), ln, x, base, size);
}

/* Places one line at the cursor: line height LH, left edge X. */
static void put_line(lay *l, const dg_line *ln, double x, double lh, double size)
{
    double base = l->y + (lh - size) / 2 + size * 0.88;
    /* the marker first: text extractors read the content in order */
    if (l->marker) {
        place_line_at(l, l->marker, l->marker_x - l->marker->width, base, size);
        l->marker = NULL;
    }
    place_line_at(l, ln, x, base, size);
    l->y += lh;
}

static fn_note *find_note(lay *l, const char *id)
{
    for (size_t i = 0; id && i < l->nnotes_fn; i++)
        if (!strcmp(l->notes_fn[i].id, id))
            return &l->notes_fn[i];
    return NULL;
}

static void inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);

static void lay_out_note(lay *l, fn_note *fn)
{
    double size = l->base * FOOT_SCALE;
    l->nspans = 0;
    const char *num = dg_sprintf(l->a, "%d. ", fn->num);
    push_span(l, num, strlen(num), 0, size, -1, 0, 0);
    istyle st = {0, size, 0, -1, 0};
    bool sp = true;
    inline_children(l, fn->li, st, 1, &sp);
    fn->p = layout_spans(l, l->right - l->left, 0, false, false);
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
        } else if (at_top(l)) {
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
            break_page(l);
            continue;
        }
        for (size_t j = 0; j < k; j++) {
            const dg_line *ln = &p->lines[i + j];
            /* a line with a footnote reference needs its note on this page */
            double need = notes_need(l, ln);
            if (need > 0 && l->y + lh + need > l->bottom + 0.01 && !at_top(l)) {
                k = j;
                break;
            }
            if (code && ln->continued) {
                const dg_line *m = simple_line(l, "\xE2\x86\xA9", DG_MONO, size * 0.8, DG_TAG_GREY);
                double base = l->y + (lh - size) / 2 + size * 0.88;
                place_line_at(l, m, xr - m->width, base, size);
            }
            put_line(l, ln, x, lh, size);
            placed(l);
            if (need > 0)
                reserve_notes(l, ln, need);
        }
        i += k;
        if (i < n)
            break_page(l);
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

static double body_size(const lay *l)
{
    return l->base * l->scale;
}

static void paragraph_range(lay *l, const xmlNode *first, const xmlNode *end, int depth,
                            bool indent, int align_center)
{
    double size = body_size(l);
    l->nspans = 0;
    collect_range(l, first, end, base_style(l, size), depth);
    if (!l->nspans)
        return;
    double fi = indent ? 2 * size : 0;
    dg_para p = layout_spans(l, l->width, fi, !align_center, false);
    if (!p.nlines)
        return;
    if (align_center && p.nlines == 1) {
        dg_line *ln = &p.lines[0];
        double x = l->x0 + (l->width - ln->width) / 2;
        ensure(l, size * BODY_LEADING);
        put_line(l, ln, x, size * BODY_LEADING, size);
        placed(l);
        return;
    }
    put_lines(l, &p, l->x0, size * BODY_LEADING, size, 0, false);
}

/* A framed box around inline content (media, placeholders, missing images). */
static void framed_box(lay *l, const xmlNode *first, const xmlNode *end, const char *extra, int depth)
{
    double size = body_size(l) * 0.92, pad = size * 0.6, lh = size * 1.5;
    l->nspans = 0;
    istyle st = base_style(l, size);
    collect_range(l, first, end, st, depth);
    if (extra) {
        st.tag = DG_TAG_GREY;
        bool sp = false;
        push_text(l, extra, &st, &sp);
    }
    dg_para p = layout_spans(l, l->width - 2 * pad, 0, false, false);
    if (!p.nlines)
        return;
    double h = p.nlines * lh + 2 * pad;
    vspace(l, size * 0.4);
    if (h <= l->bottom - l->top)
        ensure(l, h);
    double y0 = l->y;
    dg_item *r = add_item(l, cur_page(l), DG_ITEM_RECT);
    r->x = l->x0;
    r->y = y0;
    r->w = l->width;
    r->h = h;
    r->lw = 0.6;
    r->gray = 0.55;
    l->y += pad;
    for (size_t i = 0; i < p.nlines; i++)
        put_line(l, &p.lines[i], l->x0 + pad, lh, size);
    l->y = y0 + h;
    placed(l);
    vspace(l, size * 0.4);
}

static void image_block(lay *l, const xmlNode *img, const char *href_link, int depth)
{
    const char *src = attr(l, img, "src");
    const char *alt = attr(l, img, "alt");
    const dg_asset *as = src ? dg_registry_find(&l->book->reg, src) : NULL;
    if (!as || (as->image.type != DG_IMG_PNG && as->image.type != DG_IMG_JPEG) ||
        as->image.width <= 0 || as->image.height <= 0) {
        const char *t = dg_sprintf(l->a, "%s%s%s%s", l->zh ? "[图片] " : "[image] ", alt ? alt : "",
                                   href_link ? " " : "", href_link ? href_link : "");
        l->nspans = 0;
        double size = body_size(l) * 0.92, pad = size * 0.6, lh = size * 1.5;
        istyle st = base_style(l, size);
        if (href_link) {
            st.link = add_link(l, href_link, NULL);
        }
        bool sp = true;
        push_text(l, t, &st, &sp);
        dg_para p = layout_spans(l, l->width - 2 * pad, 0, false, false);
        double h = p.nlines * lh + 2 * pad;
        vspace(l, size * 0.4);
        ensure(l, h);
        dg_item *r = add_item(l, cur_page(l), DG_ITEM_RECT);
        r->x = l->x0;
        r->y = l->y;
        r->w = l->width;
        r->h = h;
        r->lw = 0.6;
        r->gray = 0.55;
        double y0 = l->y;
        l->y += pad;
        for (size_t i = 0; i < p.nlines; i++)
            put_line(l, &p.lines[i], l->x0 + pad, lh, size);
        l->y = y0 + h;
        placed(l);
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
    vspace(l, body_size(l) * 0.5);
    ensure(l, h);
    dg_item *it = add_item(l, cur_page(l), DG_ITEM_IMAGE);
    it->x = l->x0 + (l->width - w) / 2;
    it->y = l->y;
    it->w = w;
    it->h = h;
    it->asset = as;
    if (href_link) {
        dg_item *k = add_item(l, cur_page(l), DG_ITEM_LINK);
        k->x = it->x;
        k->y = it->y;
        k->w = w;
        k->h = h;
        k->uri = href_link;
    }
    l->y += h;
    placed(l);
    vspace(l, body_size(l) * 0.5);
    (void)depth;
}

static const double heading_scale[7] = {1.0, 1.55, 1.35, 1.2, 1.08, 1.0, 1.0};

static void heading(lay *l, const xmlNode *n, int level, int depth)
{
    double size = l->base * heading_scale[level];
    double lh = size * HEAD_LEADING;
    vspace(l, size * (level <= 2 ? 1.2 : 0.9));
    l->nspans = 0;
    istyle st = base_style(l, size);
    st.style = DG_BOLD;
    bool sp = true;
    inline_children(l, n, st, depth, &sp);
    dg_para p = layout_spans(l, l->width, 0, false, false);
    if (!p.nlines)
        return;
    /* a heading needs itself and two lines of text below */
    ensure(l, p.nlines * lh + 2 * l->base * BODY_LEADING);
    if (!l->keep) {
        l->keep = true;
        l->keep_page = l->L->npages - 1;
        l->keep_item = cur_page(l)->n;
        l->keep_y = l->y;
    }
    add_anchor(l, attr(l, n, "id"));
    for (size_t i = 0; i < p.nlines; i++)
        put_line(l, &p.lines[i], l->x0, lh, size);
    l->y += size * 0.35;
}

static void code_block(lay *l, const xmlNode *pre)
{
    double size = body_size(l) * 0.86, pad = size * 0.7, lh = size * CODE_LEADING;
    xmlChar *t = xmlNodeGetContent((xmlNodePtr)pre);
    char *text = dg_strdup(l->a, t ? (const char *)t : "");
    xmlFree(t);
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = 0;
    l->nspans = 0;
    push_span(l, text, len, DG_MONO, size, -1, 0, 0);
    double mark = size * 1.2;
    dg_para p = layout_spans(l, l->width - 2 * pad - mark, 0, false, true);
    if (!p.nlines)
        return;
    vspace(l, size * 0.6);
    ensure(l, pad + lh * (p.nlines < 2 ? p.nlines : 2));
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
    vspace(l, size * 0.6);
}

static void hrule(lay *l)
{
    vspace(l, l->base * 0.8);
    ensure(l, l->base);
    dg_item *it = add_item(l, cur_page(l), DG_ITEM_RULE);
    it->x = l->x0 + l->width * 0.3;
    it->y = l->y + l->base * 0.5;
    it->w = l->width * 0.4;
    it->lw = 0.6;
    it->gray = 0.5;
    l->y += l->base;
    placed(l);
    vspace(l, l->base * 0.8);
}

static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA"};

static void list_block(lay *l, const xmlNode *n, bool ordered, int depth, int level)
{
    long num = 1;
    const char *start = attr(l, n, "start");
    if (ordered && start)
        num = strtol(start, NULL, 10);
    double size = body_size(l);
    double ind = size * 2.0;
    double save_x = l->x0, save_w = l->width;
    l->x0 += ind;
    l->width -= ind;
    vspace(l, size * 0.3);
    for (const xmlNode *li = n->children; li; li = li->next) {
        if (!name_is(li, "li"))
            continue;
        char mbuf[32];
        const char *m;
        if (has_class(l, li, "task"))
            m = NULL;
        else if (ordered) {
            snprintf(mbuf, sizeof mbuf, "%ld.", num);
            m = mbuf;
        } else {
            m = bullets[level % 3];
        }
        num++;
        if (m) {
            l->marker = simple_line(l, dg_strdup(l->a, m), 0, size, 0);
            l->marker_x = l->x0 - size * 0.5;
        }
        add_anchor(l, attr(l, li, "id"));
        flow(l, li, depth + 1);
        l->marker = NULL;
        vspace(l, size * 0.15);
    }
    l->x0 = save_x;
    l->width = save_w;
    vspace(l, size * 0.3);
}

static void quote_block(lay *l, const xmlNode *n, int depth)
{
    double size = body_size(l);
    double ind = size * 1.6;
    vspace(l, size * 0.5);
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
    vspace(l, size * 0.5);
}

/* ---- tables ------------------------------------------------------------------ */

typedef struct cell {
    dg_para p;
    bool head;
    int align; /* 0 left, 1 centre, 2 right */
    double minw, maxw;
} cell;

typedef struct row {
    cell *cells;
    size_t n;
    bool head;
    double h;
} row;

/* Widest unbreakable piece of the spans: Latin words; ideographs stand alone. */
static double min_width(lay *l)
{
    double best = 0, cur = 0;
    for (size_t s = 0; s < l->nspans; s++) {
        const dg_span *sp = &l->spans[s];
        for (size_t i = 0; i < sp->len;) {
            uint32_t cp;
            int k = dg_utf8_decode(sp->text + i, sp->len - i, &cp);
            if (k <= 0) {
                i++;
                continue;
            }
            i += (size_t)k;
            if (cp == ' ' || cp == '\n') {
                cur = 0;
                continue;
            }
            int f = dg_fonts_pick(l->fonts, sp->style, cp);
            double w = f >= 0 ? dg_fonts_advance(l->fonts, f, cp) * sp->size : sp->size * 0.6;
            if (dg_is_cjk(cp))
                cur = 0;
            cur += w;
            if (cur > best)
                best = cur;
            if (dg_is_cjk(cp) || cp == '/' || cp == '-')
                cur = 0;
        }
    }
    return best;
}

static void draw_row(lay *l, const row *r, const double *cw, size_t ncols, double pad, double lh,
                     double size)
{
    double x = l->x0;
    dg_lpage *pg = cur_page(l);
    if (r->head) {
        double tw = 0;
        for (size_t c = 0; c < ncols; c++)
            tw += cw[c];
        dg_item *f = add_item(l, pg, DG_ITEM_FILL);
        f->x = x;
        f->y = l->y;
        f->w = tw;
        f->h = r->h;
        f->gray = 0.92;
    }
    double y0 = l->y;
    for (size_t c = 0; c < ncols; c++) {
        dg_item *b = add_item(l, pg, DG_ITEM_RECT);
        b->x = x;
        b->y = y0;
        b->w = cw[c];
        b->h = r->h;
        b->lw = 0.5;
        b->gray = 0.6;
        if (c < r->n) {
            l->y = y0 + pad;
            const cell *ce = &r->cells[c];
            for (size_t i = 0; i < ce->p.nlines; i++) {
                const dg_line *ln = &ce->p.lines[i];
                double room = cw[c] - 2 * pad - ln->width;
                double dx = ce->align == 2 ? room : ce->align == 1 ? room / 2 : 0;
                put_line(l, ln, x + pad + (dx > 0 ? dx : 0), lh, size);
            }
        }
        x += cw[c];
    }
    l->y = y0 + r->h;
}

static void table_block(lay *l, const xmlNode *t, int depth)
{
    double size = body_size(l) * 0.9, pad = size * 0.45, lh = size * 1.5;
    /* rows, in order, from thead/tbody/tr */
    dg_vec trs = {0};
    const xmlNode *stack[4];
    int sp = 0;
    stack[sp++] = t->children;
    while (sp > 0) {
        const xmlNode *c = stack[--sp];
        for (; c; c = c->next) {
            if (name_is(c, "tr")) {
                dg_vec_push(&trs, (void *)c);
            } else if ((name_is(c, "thead") || name_is(c, "tbody") || name_is(c, "tfoot")) &&
                       sp < 3) {
                stack[sp++] = c->next;
                stack[sp++] = c->children;
                break;
            }
        }
    }
    if (!trs.len) {
        dg_vec_free(&trs);
        return;
    }
    row *rows = dg_allocn(l->a, trs.len, sizeof *rows);
    size_t ncols = 0;
    double minw[TABLE_MAX_COLS] = {0}, maxw[TABLE_MAX_COLS] = {0};
    for (size_t r = 0; r < trs.len; r++) {
        const xmlNode *tr = trs.items[r];
        size_t n = 0;
        for (const xmlNode *c = tr->children; c; c = c->next)
            if (name_is(c, "td") || name_is(c, "th"))
                n++;
        if (n > TABLE_MAX_COLS)
            n = TABLE_MAX_COLS;
        rows[r].cells = dg_allocn(l->a, n + 1, sizeof(cell));
        rows[r].head = tr->parent && name_is(tr->parent, "thead");
        bool allth = n > 0;
        size_t k = 0;
        for (const xmlNode *c = tr->children; c && k < n; c = c->next) {
            if (!name_is(c, "td") && !name_is(c, "th"))
                continue;
            cell *ce = &rows[r].cells[k];
            ce->head = name_is(c, "th");
            const char *al = attr(l, c, "align");
            if (!al) {
                /* cmark-gfm writes style="text-align: right"; the tree keeps align */
                al = "";
            }
            ce->align = !strcmp(al, "right") ? 2 : !strcmp(al, "center") ? 1 : 0;
            if (!ce->head)
                allth = false;
            l->nspans = 0;
            istyle st = base_style(l, size);
            if (ce->head)
                st.style = DG_BOLD;
            bool s = true;
            inline_children(l, c, st, depth, &s);
            ce->minw = min_width(l) + 2 * pad;
            dg_para wide = layout_spans(l, 1e6, 0, false, false);
            double mw = 0;
            for (size_t i = 0; i < wide.nlines; i++)
                if (wide.lines[i].width > mw)
                    mw = wide.lines[i].width;
            ce->maxw = mw + 2 * pad;
            if (ce->minw > minw[k])
                minw[k] = ce->minw;
            if (ce->maxw > maxw[k])
                maxw[k] = ce->maxw;
            k++;
        }
        rows[r].n = k;
        if (r == 0 && allth)
            rows[r].head = true;
        if (k > ncols)
            ncols = k;
    }
    if (!ncols) {
        dg_vec_free(&trs);
        return;
    }
    /* column widths: the classic auto-table rule */
    double avail = l->width, smin = 0, smax = 0, cw[TABLE_MAX_COLS];
    for (size_t c = 0; c < ncols; c++) {
        if (minw[c] < 2 * pad + size)
            minw[c] = 2 * pad + size;
        if (maxw[c] < minw[c])
            maxw[c] = minw[c];
        smin += minw[c];
        smax += maxw[c];
    }
    for (size_t c = 0; c < ncols; c++) {
        if (smax <= avail)
            cw[c] = maxw[c];
        else if (smin >= avail)
            cw[c] = minw[c] * avail / smin;
        else
            cw[c] = minw[c] + (maxw[c] - minw[c]) * (avail - smin) / (smax - smin);
    }
    /* cell text at the final widths */
    for (size_t r = 0; r < trs.len; r++) {
        const xmlNode *tr = trs.items[r];
        size_t k = 0;
        double h = 0;
        for (const xmlNode *c = tr->children; c && k < rows[r].n; c = c->next) {
            if (!name_is(c, "td") && !name_is(c, "th"))
                continue;
            l->nspans = 0;
            istyle st = base_style(l, size);
            if (rows[r].cells[k].head)
                st.style = DG_BOLD;
            bool s = true;
            inline_children(l, c, st, depth, &s);
            rows[r].cells[k].p = layout_spans(l, cw[k] - 2 * pad, 0, false, false);
            double ch = rows[r].cells[k].p.nlines * lh;
            if (ch > h)
                h = ch;
            k++;
        }
        rows[r].h = (h > 0 ? h : lh) + 2 * pad;
    }
    vspace(l, size * 0.6);
    size_t nhead = 0;
    while (nhead < trs.len && rows[nhead].head)
        nhead++;
    double headh = 0;
    for (size_t r = 0; r < nhead; r++)
        headh += rows[r].h;
    for (size_t r = 0; r < trs.len; r++) {
        double need = -1;
        if (r == 0 && nhead > 0)
            need = headh + (nhead < trs.len ? rows[nhead].h : 0); /* the head with one row */
        else if (r >= nhead)
            need = rows[r].h;
        if (need > 0 && l->y + need > l->bottom + 0.01 && !at_top(l)) {
            break_page(l);
            if (r > 0 && r >= nhead)
                for (size_t hr = 0; hr < nhead; hr++)
                    draw_row(l, &rows[hr], cw, ncols, pad, lh, size);
        }
        draw_row(l, &rows[r], cw, ncols, pad, lh, size);
        placed(l);
    }
    vspace(l, size * 0.6);
    dg_vec_free(&trs);
}

/* ---- flow ------------------------------------------------------------------ */

static void footnotes_block(lay *l, const xmlNode *n, int depth)
{
    vspace(l, l->base * 1.0);
    ensure(l, l->base * 3);
    dg_item *it = add_item(l, cur_page(l), DG_ITEM_RULE);
    it->x = l->x0;
    it->y = l->y;
    it->w = l->width * 0.3;
    it->lw = 0.5;
    it->gray = 0.4;
    l->y += l->base * 0.5;
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
    add_anchor(l, attr(l, n, "id"));
    if (!strcmp(name, "p")) {
        const xmlNode *only = sole_element(n->children, NULL);
        if (has_class(l, n, "media")) {
            framed_box(l, n->children, NULL, NULL, depth);
        } else if (only && name_is(only, "img")) {
            image_block(l, only, NULL, depth);
        } else if (only && name_is(only, "a") && sole_element(only->children, NULL) &&
                   name_is(sole_element(only->children, NULL), "img")) {
            const char *href = attr(l, only, "href");
            image_block(l, sole_element(only->children, NULL),
                        href && is_external(href) ? href : NULL, depth);
        } else if (only && name_is(only, "span") && has_class(l, only, "placeholder")) {
            framed_box(l, only->children, NULL, NULL, depth);
        } else {
            vspace(l, body_size(l) * 0.45);
            paragraph_range(l, n->children, NULL, depth, l->indent, 0);
        }
    } else if (!strcmp(name, "blockquote")) {
        quote_block(l, n, depth);
    } else if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
        int level = 0;
        for (const xmlNode *p = n->parent; p; p = p->parent)
            if (name_is(p, "ul") || name_is(p, "ol"))
                level++;
        list_block(l, n, !strcmp(name, "ol"), depth, level);
    } else if (!strcmp(name, "pre")) {
        code_block(l, n);
    } else if (!strcmp(name, "hr")) {
        hrule(l);
    } else if (!strcmp(name, "table")) {
        table_block(l, n, depth);
    } else if (!strcmp(name, "div") && has_class(l, n, "footnotes")) {
        if (!l->nnotes_fn)
            footnotes_block(l, n, depth); /* notes without ids: at the end of the post */
    } else if ((!strcmp(name, "div") || !strcmp(name, "span")) &&
               (has_class(l, n, "media") || has_class(l, n, "placeholder"))) {
        framed_box(l, n->children, NULL, NULL, depth);
    } else if (!strcmp(name, "figcaption")) {
        double save = l->scale;
        l->scale = 0.88;
        vspace(l, body_size(l) * 0.3);
        paragraph_range(l, n->children, NULL, depth, false, 1);
        l->scale = save;
    } else if (!strcmp(name, "dt")) {
        vspace(l, body_size(l) * 0.45);
        l->nspans = 0;
        istyle st = base_style(l, body_size(l));
        st.style = DG_BOLD;
        collect_range(l, n->children, NULL, st, depth);
        dg_para p = layout_spans(l, l->width, 0, false, false);
        put_lines(l, &p, l->x0, body_size(l) * BODY_LEADING, body_size(l), 0, false);
    } else if (!strcmp(name, "dd")) {
        double ind = body_size(l) * 2;
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
        } else if (only && name_is(only, "img")) {
            image_block(l, only, NULL, depth);
        } else if (only && name_is(only, "span") && has_class(l, only, "placeholder")) {
            framed_box(l, only->children, NULL, NULL, depth);
        } else {
            vspace(l, body_size(l) * 0.2);
            paragraph_range(l, c, end, depth, false, 0);
        }
        c = end;
    }
}

/* ---- chapters ---------------------------------------------------------------- */

static void text_block(lay *l, const char *text, unsigned style, double size, int tag, double lead,
                       bool center)
{
    if (!text || !*text)
        return;
    l->nspans = 0;
    istyle st = base_style(l, size);
    st.style = style;
    st.tag = tag;
    bool sp = true;
    push_text(l, text, &st, &sp);
    dg_para p = layout_spans(l, l->width, 0, false, false);
    for (size_t i = 0; i < p.nlines; i++) {
        double x = center ? l->x0 + (l->width - p.lines[i].width) / 2 : l->x0;
        ensure(l, size * lead);
        put_line(l, &p.lines[i], x, size * lead, size);
    }
}

static void chapter_head(lay *l, const dg_chapter *ch)
{
    const dg_post *p = ch->post;
    add_anchor(l, ch->id);
    l->y += l->base * 1.5;
    text_block(l, p->title, DG_BOLD, l->base * 1.9, 0, 1.3, false);
    if (p->subtitle) {
        l->y += l->base * 0.2;
        text_block(l, p->subtitle, 0, l->base * 1.2, DG_TAG_GREY, 1.4, false);
    }
    dg_buf meta = {0};
    if (p->has_date)
        dg_buf_printf(&meta, "%04d-%02d-%02d", p->date.year, p->date.month, p->date.day);
    if (p->author)
        dg_buf_printf(&meta, "%s%s", meta.len ? " · " : "", p->author);
    if (meta.data) {
        l->y += l->base * 0.4;
        text_block(l, dg_buf_to_arena(&meta, l->a), 0, l->base * 0.9, DG_TAG_GREY, 1.5, false);
    }
    if (p->ntags) {
        dg_buf tg = {0};
        for (size_t i = 0; i < p->ntags; i++)
            dg_buf_printf(&tg, "%s#%s", i ? "  " : "", p->tags[i]);
        text_block(l, dg_buf_to_arena(&tg, l->a), 0, l->base * 0.9, DG_TAG_GREY, 1.5, false);
    }
    l->y += l->base * 0.6;
    dg_item *r = add_item(l, cur_page(l), DG_ITEM_RULE);
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
        dg_item *it = add_item(l, cur_page(l), DG_ITEM_IMAGE);
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
    vspace(l, l->base * 1.5);
    ensure(l, size * 5);
    text_block(l, l->zh ? "链接" : "Links", DG_BOLD, size * 1.05, 0, 1.6, false);
    for (size_t i = 0; i < l->nurls; i++) {
        l->nspans = 0;
        const char *num = dg_sprintf(l->a, "%zu. ", i + 1);
        push_span(l, num, strlen(num), 0, size, -1, 0, 0);
        int lk = add_link(l, l->urls[i], NULL);
        push_span(l, l->urls[i], strlen(l->urls[i]), 0, size, lk, DG_TAG_LINK, 0);
        dg_para p = layout_spans(l, l->width, 0, false, false);
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
        if (!name_is(d, "div") || !has_class(l, d, "footnotes"))
            continue;
        for (const xmlNode *ol = d->children; ol; ol = ol->next) {
            if (!name_is(ol, "ol"))
                continue;
            size_t n = 0;
            for (const xmlNode *li = ol->children; li; li = li->next)
                n += name_is(li, "li");
            fn_note *arr = dg_allocn(l->a, l->nnotes_fn + n + 1, sizeof *arr);
            if (l->nnotes_fn)
                memcpy(arr, l->notes_fn, l->nnotes_fn * sizeof *arr);
            l->notes_fn = arr;
            int num = 1;
            for (const xmlNode *li = ol->children; li; li = li->next) {
                if (!name_is(li, "li"))
                    continue;
                const char *id = attr(l, li, "id");
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

static void layout_chapter(lay *l, size_t ci)
{
    const dg_chapter *ch = &l->book->chapters[ci];
    l->chapter = (int)ci;
    l->keep = false;
    l->nurls = 0;
    l->ndecos = 0;
    l->marker = NULL;
    new_page(l, DG_PAGE_BODY);
    cur_page(l)->chapter_start = true;
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
            vspace(l, l->base);
            ensure(l, l->base * 3);
            dg_item *it = add_item(l, cur_page(l), DG_ITEM_RULE);
            it->x = l->x0;
            it->y = l->y;
            it->w = l->width * 0.3;
            it->lw = 0.5;
            it->gray = 0.4;
            l->y += l->base * 0.5;
            rule = true;
        }
        if (!fn->laid)
            lay_out_note(l, fn);
        fn->placed = true;
        add_anchor(l, fn->id);
        put_lines(l, &fn->p, l->x0, l->base * FOOT_SCALE * FOOT_LEADING, l->base * FOOT_SCALE, 0,
                  false);
    }
    link_notes(l);
    flush_footnotes(l, cur_page(l), l->foot, l->nfoot);
    l->nfoot = 0;
    l->nnotes_fn = 0;
}

/* ---- front matter -------------------------------------------------------------- */

static void cover(lay *l)
{
    const dg_book *b = l->book;
    new_page(l, DG_PAGE_COVER);
    l->x0 = l->left;
    l->width = l->right - l->left;
    l->y = l->top + (l->page_bottom - l->top) * 0.22;
    const char *site = b->site && b->site->title ? b->site->title : NULL;
    text_block(l, site ? site : b->title, DG_BOLD, l->base * 2.6, 0, 1.3, true);
    l->y += l->base;
    text_block(l, b->month_label, 0, l->base * 1.6, 0, 1.4, true);
    l->y += l->base * 2.5;
    dg_item *r = add_item(l, cur_page(l), DG_ITEM_RULE);
    r->x = l->x0 + l->width * 0.35;
    r->y = l->y;
    r->w = l->width * 0.3;
    r->lw = 0.6;
    r->gray = 0.4;
    l->y += l->base * 2;
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_post *p = b->chapters[i].post;
        const char *t = p->has_date ? dg_sprintf(l->a, "%02d-%02d  %s", p->date.month, p->date.day, p->title)
                                    : p->title;
        if (l->y + l->base * 1.8 > l->bottom)
            break;
        text_block(l, t, 0, l->base * 1.05, 0, 1.8, true);
    }
    if (b->author) {
        l->y = l->bottom - l->base * 2;
        text_block(l, b->author, 0, l->base, DG_TAG_GREY, 1.5, true);
    }
}

typedef struct toc_entry {
    int level;
    const char *title, *dest;
    int page; /* 1-based page number */
} toc_entry;

static const dg_line *leader_line(lay *l, double width, double size)
{
    int f = dg_fonts_pick(l->fonts, 0, '.');
    double step = size * 0.5;
    size_t n = width > step ? (size_t)(width / step) : 0;
    dg_line *ln = dg_alloc(l->a, sizeof *ln);
    ln->glyphs = dg_allocn(l->a, n + 1, sizeof(dg_glyph));
    for (size_t i = 0; i < n; i++) {
        dg_glyph *g = &ln->glyphs[i];
        g->cp = '.';
        g->font = f;
        g->x = width - (double)(n - i) * step;
        g->advance = f >= 0 ? dg_fonts_advance(l->fonts, f, '.') * size : step;
        g->size = size;
        g->link = -1;
        g->tag = DG_TAG_GREY;
    }
    ln->n = n;
    ln->width = width;
    ln->last = true;
    return ln;
}

static void contents(lay *l, const toc_entry *e, size_t n)
{
    new_page(l, DG_PAGE_CONTENTS);
    l->x0 = l->left;
    l->width = l->right - l->left;
    l->y += l->base;
    text_block(l, l->zh ? "目录" : "Contents", DG_BOLD, l->base * 1.6, 0, 1.5, false);
    l->y += l->base;
    double numw = l->base * 3;
    for (size_t i = 0; i < n; i++) {
        double size = e[i].level == 0 ? l->base * 1.05 : l->base * 0.95;
        double ind = e[i].level == 0 ? 0 : size * 2 * e[i].level;
        double lh = size * 1.6;
        l->nspans = 0;
        istyle st = base_style(l, size);
        st.style = e[i].level == 0 ? DG_BOLD : 0;
        int lk = add_link(l, NULL, e[i].dest);
        st.link = lk;
        bool sp = true;
        push_text(l, e[i].title, &st, &sp);
        dg_para p = layout_spans(l, l->width - ind - numw - size, 0, false, false);
        if (!p.nlines)
            continue;
        if (e[i].level == 0)
            vspace(l, size * 0.5);
        if (l->y + lh * p.nlines > l->bottom + 0.01)
            new_page(l, DG_PAGE_CONTENTS);
        for (size_t k = 0; k < p.nlines; k++) {
            if (k + 1 == p.nlines) {
                const dg_line *last = &p.lines[k];
                double base = l->y + (lh - size) / 2 + size * 0.88;
                const char *num = dg_sprintf(l->a, "%d", e[i].page);
                const dg_line *nl = simple_line(l, num, 0, size, 0);
                double lx = l->x0 + ind + last->width + size * 0.5;
                double lw = l->x0 + l->width - nl->width - size * 0.5 - lx;
                if (lw > size)
                    place_line_at(l, leader_line(l, lw, size), lx, base, size);
                place_line_at(l, nl, l->x0 + l->width - nl->width, base, size);
                dg_item *r = add_item(l, cur_page(l), DG_ITEM_LINK);
                r->x = l->x0 + l->width - nl->width;
                r->w = nl->width;
                r->y = base - size;
                r->h = size * 1.2;
                r->dest = e[i].dest;
            }
            put_line(l, &p.lines[k], l->x0 + ind, lh, size);
        }
    }
}

/* ---- running heads, numbers ------------------------------------------------------ */

static void finish_pages(lay *l)
{
    dg_layout *L = l->L;
    double hs = l->base * 0.8;
    for (size_t i = 0; i < L->npages; i++) {
        dg_lpage *pg = &L->pages[i];
        if (pg->kind == DG_PAGE_COVER)
            continue;
        size_t num = i + 1;
        const char *ns = dg_sprintf(l->a, "%zu", num);
        const dg_line *nl = simple_line(l, ns, 0, hs, DG_TAG_GREY);
        double fy = l->H - l->M * 0.45;
        dg_item *it = add_item(l, pg, DG_ITEM_TEXT);
        it->x = (l->W - nl->width) / 2;
        it->y = fy;
        it->line = nl;
        it->w = nl->width;
        it->h = hs;
        if (pg->kind != DG_PAGE_BODY || pg->chapter_start || pg->chapter < 0)
            continue;
        const char *head = num % 2 == 0 ? l->book->title : l->book->chapters[pg->chapter].post->title;
        if (!head)
            continue;
        /* a head longer than the text width is cut to its first line */
        l->nspans = 0;
        push_span(l, head, strlen(head), 0, hs, -1, DG_TAG_GREY, 0);
        dg_para p = layout_spans(l, l->right - l->left, 0, false, false);
        if (!p.nlines)
            continue;
        const dg_line *hl = &p.lines[0];
        double hy = l->M * 0.62;
        dg_item *h = add_item(l, pg, DG_ITEM_TEXT);
        h->x = num % 2 == 0 ? l->left : l->right - hl->width;
        h->y = hy;
        h->line = hl;
        h->w = hl->width;
        h->h = hs;
        dg_item *r = add_item(l, pg, DG_ITEM_RULE);
        r->x = l->left;
        r->y = hy + hs * 0.45;
        r->w = l->right - l->left;
        r->lw = 0.3;
        r->gray = 0.6;
    }
}

/* ---- entry points ---------------------------------------------------------------- */

void dg_layout_geometry(const dg_pdf_opts *opts, double *w, double *h, double *margin,
                        double *base)
{
    const double mm = 72.0 / 25.4;
    switch (opts ? opts->page : DG_PAGE_A4) {
    case DG_PAGE_A5:
        *w = 148 * mm, *h = 210 * mm, *margin = 15 * mm, *base = 9.5;
        break;
    case DG_PAGE_LETTER:
        *w = 612, *h = 792, *margin = 54, *base = 10.5;
        break;
    case DG_PAGE_EREADER:
        *w = 90 * mm, *h = 120 * mm, *margin = 6 * mm, *base = 8.5;
        break;
    default:
        *w = 210 * mm, *h = 297 * mm, *margin = 20 * mm, *base = 10.5;
        break;
    }
    if (opts && opts->margin > 0)
        *margin = opts->margin;
    if (opts && opts->base_size > 0)
        *base = opts->base_size;
}

int dg_layout_find_anchor(const dg_layout *l, const char *id, double *y)
{
    for (size_t p = 0; p < l->npages; p++)
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind == DG_ITEM_ANCHOR && !strcmp(it->dest, id)) {
                if (y)
                    *y = it->y;
                return (int)p;
            }
        }
    return -1;
}

char *dg_layout_line_text(dg_arena *a, const dg_line *line)
{
    dg_buf b = {0};
    for (size_t i = 0; i < line->n; i++) {
        char u[4];
        int n = dg_utf8_encode(line->glyphs[i].cp, u);
        dg_buf_put(&b, u, (size_t)n);
    }
    if (!b.data)
        return dg_strdup(a, "");
    return dg_buf_to_arena(&b, a);
}

int dg_layout_book(dg_layout **out, const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                   dg_arena *a, dg_diag *d)
{
    lay l = {0};
    l.book = book;
    l.fonts = fonts;
    l.a = a;
    l.d = d;
    l.lang = book->lang ? book->lang : "zh-CN";
    l.zh = !strncmp(l.lang, "zh", 2) || !strncmp(l.lang, "ja", 2);
    dg_layout_geometry(opts, &l.W, &l.H, &l.M, &l.base);
    l.top = l.M;
    l.bottom = l.page_bottom = l.H - l.M;
    l.left = l.M;
    l.right = l.W - l.M;
    l.indent = opts && opts->indent;
    int ln = opts ? opts->link_notes : -1;
    l.notes = ln < 0 ? (!opts || opts->page == DG_PAGE_A4 || opts->page == DG_PAGE_A5) : ln > 0;
    l.scale = 1.0;

    /* the body */
    dg_layout *body = dg_alloc(a, sizeof *body);
    l.L = body;
    for (size_t i = 0; i < book->nchapters; i++)
        layout_chapter(&l, i);

    /* contents entries: posts and their h1-h2 */
    size_t n = 0;
    for (size_t i = 0; i < book->nchapters; i++)
        n += 1 + book->chapters[i].nheadings;
    toc_entry *e = dg_allocn(a, n + 1, sizeof *e);
    dg_outline_entry *ol = dg_allocn(a, n + 1, sizeof *ol);
    size_t ne = 0, no = 0;
    int *local = dg_allocn(a, n + 1, sizeof *local);
    for (size_t i = 0; i < book->nchapters; i++) {
        const dg_chapter *ch = &book->chapters[i];
        e[ne] = (toc_entry){0, ch->post->title, ch->id, 0};
        local[ne++] = dg_layout_find_anchor(body, ch->id, NULL);
        ol[no++] = (dg_outline_entry){1, ch->post->title, ch->id};
        for (size_t h = 0; h < ch->nheadings; h++) {
            const dg_heading *hd = &ch->headings[h];
            ol[no++] = (dg_outline_entry){1 + hd->level, hd->text, hd->id};
            if (hd->level <= 2) {
                e[ne] = (toc_entry){hd->level, hd->text, hd->id, 0};
                local[ne++] = dg_layout_find_anchor(body, hd->id, NULL);
            }
        }
    }

    /* front matter, until the number of contents pages settles */
    dg_layout *front = NULL;
    size_t nc = 1;
    for (int pass = 0; pass < CONTENTS_PASSES; pass++) {
        for (size_t i = 0; i < ne; i++)
            e[i].page = local[i] >= 0 ? (int)(1 + nc + (size_t)local[i] + 1) : 0;
        front = dg_alloc(a, sizeof *front);
        l.L = front;
        l.chapter = -1;
        cover(&l);
        contents(&l, e, ne);
        size_t got = front->npages - 1;
        if (got == nc)
            break;
        nc = got;
    }

    dg_layout *L = dg_alloc(a, sizeof *L);
    L->npages = front->npages + body->npages;
    L->cap = L->npages;
    L->pages = dg_allocn(a, L->npages + 1, sizeof *L->pages);
    memcpy(L->pages, front->pages, front->npages * sizeof *L->pages);
    if (body->npages)
        memcpy(L->pages + front->npages, body->pages, body->npages * sizeof *L->pages);
    L->ncontents = front->npages - 1;
    L->body_start = front->npages;
    L->page_w = l.W;
    L->page_h = l.H;
    L->margin = l.M;
    L->base = l.base;
    L->outline = ol;
    L->noutline = no;
    l.L = L;
    finish_pages(&l);
    *out = L;
    return 0;
}
