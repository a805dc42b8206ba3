/* layout_block.c - the body of the layout (layout_impl.h): one post after
 * another, each from a new page.  Blocks are walked from the DOM (headings,
 * paragraphs, images, code, lists, quotes, tables through layout_table.c,
 * footnotes); their inline content goes through layout_inline.c and their
 * lines onto pages through layout_page.c.  A post ends with its link notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "pdf/layout_block.h"
#include "pdf/layout_table.h"

/* Line height of body text, as a multiple of the font size (Chinese text
 * needs more leading than Latin). */
#define BODY_LEADING 1.7
#define CODE_LEADING 1.4
#define HEAD_LEADING 1.35
/* An image may shrink to this share of its size to fit the rest of a page. */
#define IMAGE_MIN_SHRINK 0.7

static void flow(lay *l, const xmlNode *parent, int depth);

/* ---- blocks ---------------------------------------------------------------- */

static bool is_block(const xmlNode *n)
{
    static const char *const blocks[] = {
        "p",  "h1",  "h2",      "h3",     "h4",         "h5",    "h6",    "blockquote", "ul",
        "ol", "li",  "pre",     "hr",     "table",      "thead", "tbody", "tr",         "th",
        "td", "div", "section", "figure", "figcaption", "dl",    "dt",    "dd",         NULL};
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

/* The spans collected, a paragraph longer than PARA_WINDOW, laid out and
 * placed a window at a time (first-line indent FI, justified: JUSTIFY).
 * Each window but the last gives all its lines but the last, which begins
 * the next window: the lines are those the whole paragraph would get. */
static void paragraph_windows(lay *l, double fi, bool justify, double size)
{
    size_t ns = l->nspans;
    dg_span *all = dg_allocn(l->a, ns, sizeof *all); /* the builder's spans are reused */
    memcpy(all, l->spans, ns * sizeof *all);
    dg_para_opts o = {.width = l->width > 10 ? l->width : 10, .justify = justify, .lang = l->lang};
    size_t si = 0, off = 0; /* where the window begins */
    bool first = true;
    while (si < ns) {
        dg_arena *wa = lay_window_arena(l);
        dg_span *w = dg_allocn(wa, ns - si, sizeof *w);
        size_t nw = 0, bytes = 0, sj = si, so = off;
        while (sj < ns && bytes < PARA_WINDOW) {
            size_t take = all[sj].len - so;
            if (take > PARA_WINDOW - bytes)
                take = PARA_WINDOW - bytes;
            w[nw] = all[sj];
            w[nw].text = all[sj].text + so;
            w[nw++].len = take;
            bytes += take;
            so += take;
            if (so == all[sj].len)
                sj++, so = 0;
        }
        bool last = sj >= ns;
        o.first_indent = first ? fi : 0;
        dg_para p = {0};
        dg_para_layout(&p, l->fonts, w, nw, &o, wa);
        size_t keep = p.nlines;
        /* the last line is set again with what follows it (unless the
         * window made one line only: then it ends where it was cut) */
        if (!last && p.nlines >= 2 && p.tail_span < nw) {
            keep--;
            sj = si + p.tail_span;
            so = (p.tail_span == 0 ? off : 0) + p.tail_off;
        }
        lay_put_lines_part(l, &p, keep, l->x0, size * BODY_LEADING, size, 0, false, !first,
                           sj < ns);
        lay_window_placed(l, wa);
        si = sj;
        off = so;
        first = false;
    }
}

static void paragraph_range(lay *l, const xmlNode *first, const xmlNode *end, int depth,
                            bool indent, int align_center)
{
    double size = lay_body_size(l);
    lay_clear_spans(l);
    lay_collect_range(l, first, end, lay_base_style(l, size), depth);
    if (!lay_has_spans(l))
        return;
    double fi = indent ? 2 * size : 0;
    size_t bytes = 0;
    for (size_t i = 0; i < l->nspans; i++)
        bytes += l->spans[i].len;
    if (bytes > PARA_WINDOW) {
        paragraph_windows(l, fi, !align_center, size);
        return;
    }
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
    lay_put_lines(l, &p, l->x0, size * BODY_LEADING, size, 0, false);
}

/* Framed boxes (media, placeholders, images that cannot be drawn): lines in
 * a smaller size inside a grey frame. */
typedef struct box {
    double size, pad, lh;
} box;

static box box_of(const lay *l)
{
    double size = lay_body_size(l) * 0.92;
    return (box){size, size * 0.6, size * 1.5};
}

static double box_height(const box *b, const dg_para *p)
{
    return p->nlines * b->lh + 2 * b->pad;
}

/* The frame of height H at the cursor and the lines of P inside it. */
static void box_draw(lay *l, const box *b, const dg_para *p, double h)
{
    double y0 = l->y;
    dg_item *r = lay_add_item(l, lay_cur_page(l), DG_ITEM_RECT);
    r->x = l->x0;
    r->y = y0;
    r->w = l->width;
    r->h = h;
    r->lw = 0.6;
    r->gray = 0.55;
    l->y += b->pad;
    for (size_t i = 0; i < p->nlines; i++)
        lay_put_line(l, &p->lines[i], l->x0 + b->pad, b->lh, b->size);
    l->y = y0 + h;
    lay_placed(l);
}

/* A framed box around the inline content [FIRST, END). */
static void framed_box(lay *l, const xmlNode *first, const xmlNode *end, int depth)
{
    box b = box_of(l);
    lay_clear_spans(l);
    lay_collect_range(l, first, end, lay_base_style(l, b.size), depth);
    dg_para p = lay_layout_spans(l, l->width - 2 * b.pad, 0, false, false);
    if (!p.nlines)
        return;
    double h = box_height(&b, &p);
    lay_vspace(l, b.size * 0.4);
    if (h <= l->bottom - l->top)
        lay_ensure(l, h);
    box_draw(l, &b, &p, h);
    lay_vspace(l, b.size * 0.4);
}

/* PNG and JPEG images of known size are drawn; others are named in a box. */
static bool drawable_image(const dg_asset *as)
{
    return as && (as->image.type == DG_IMG_PNG || as->image.type == DG_IMG_JPEG) &&
           as->image.width > 0 && as->image.height > 0;
}

static void image_block(lay *l, const xmlNode *img, const char *href_link, int depth)
{
    const char *src = lay_attr(l, img, "src");
    const char *alt = lay_attr(l, img, "alt");
    const dg_asset *as = src ? dg_registry_find(&l->book->reg, src) : NULL;
    if (!drawable_image(as)) {
        const char *t = dg_sprintf(l->a, "%s%s%s%s", l->zh ? "[图片] " : "[image] ", alt ? alt : "",
                                   href_link ? " " : "", href_link ? href_link : "");
        box b = box_of(l);
        lay_clear_spans(l);
        istyle st = lay_base_style(l, b.size);
        if (href_link)
            st.link = lay_add_link(l, href_link, NULL);
        bool sp = true;
        lay_push_text(l, t, &st, &sp);
        dg_para p = lay_layout_spans(l, l->width - 2 * b.pad, 0, false, false);
        double h = box_height(&b, &p);
        lay_vspace(l, b.size * 0.4);
        lay_ensure(l, h);
        box_draw(l, &b, &p, h);
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
    lay_clear_spans(l);
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
    lay_clear_spans(l);
    lay_push_span(l, text, len, DG_MONO, size, -1, 0, 0);
    lay_span_source(l, 0, pre, true);
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
    lay_put_lines(l, &p, l->x0 + pad, lh, size, l->x0 + l->width - pad * 0.5, true);
    l->y += pad;
    if (l->ndecos > 0 && l->decos[l->ndecos - 1].kind == DECO_CODE) {
        deco *dc = &l->decos[--l->ndecos];
        lay_deco_segment(l, dc, dc->start, l->y);
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
    double ind = lay_indent(l, size * 2.0);
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
    lay_outdent(l, ind);
    lay_vspace(l, size * 0.3);
}

static void quote_block(lay *l, const xmlNode *n, int depth)
{
    double size = lay_body_size(l);
    lay_vspace(l, size * 0.5);
    double bar_x = l->x0 + size * 0.4;
    double ind = lay_indent(l, size * 1.6);
    int di = -1;
    /* At the nesting cap the text is not indented: a bar of its own would
     * cross it, so the quote shares the bars around it. */
    if (ind > 0 && l->ndecos < DECO_MAX) {
        di = l->ndecos++;
        l->decos[di].kind = DECO_QUOTE;
        l->decos[di].x = bar_x;
        l->decos[di].w = 0;
        l->decos[di].start = l->y;
    }
    flow(l, n, depth + 1);
    lay_outdent(l, ind);
    if (di >= 0 && di == l->ndecos - 1) {
        deco *dc = &l->decos[--l->ndecos];
        lay_deco_segment(l, dc, dc->start, l->y);
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
            framed_box(l, n->children, NULL, depth);
        } else if (only && lay_name_is(only, "img")) {
            image_block(l, only, NULL, depth);
        } else if (only && lay_name_is(only, "a") && sole_element(only->children, NULL) &&
                   lay_name_is(sole_element(only->children, NULL), "img")) {
            const char *href = lay_attr(l, only, "href");
            image_block(l, sole_element(only->children, NULL),
                        href && lay_is_external(href) ? href : NULL, depth);
        } else if (only && lay_name_is(only, "span") && lay_has_class(l, only, "placeholder")) {
            framed_box(l, only->children, NULL, depth);
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
        framed_box(l, n->children, NULL, depth);
    } else if (!strcmp(name, "figcaption")) {
        double save = l->scale;
        l->scale = 0.88;
        lay_vspace(l, lay_body_size(l) * 0.3);
        paragraph_range(l, n->children, NULL, depth, false, 1);
        l->scale = save;
    } else if (!strcmp(name, "dt")) {
        lay_vspace(l, lay_body_size(l) * 0.45);
        lay_clear_spans(l);
        istyle st = lay_base_style(l, lay_body_size(l));
        st.style = DG_BOLD;
        lay_collect_range(l, n->children, NULL, st, depth);
        dg_para p = lay_layout_spans(l, l->width, 0, false, false);
        lay_put_lines(l, &p, l->x0, lay_body_size(l) * BODY_LEADING, lay_body_size(l), 0, false);
    } else if (!strcmp(name, "dd")) {
        double ind = lay_indent(l, lay_body_size(l) * 2);
        flow(l, n, depth + 1);
        lay_outdent(l, ind);
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
            framed_box(l, only->children, NULL, depth);
        } else {
            lay_vspace(l, lay_body_size(l) * 0.2);
            paragraph_range(l, c, end, depth, false, 0);
        }
        c = end;
    }
}

/* ---- chapters -------------------------------------------------------------- */

static void chapter_head(lay *l, const dg_chapter *ch)
{
    const dg_post *p = ch->post;
    lay_add_anchor(l, ch->id);
    l->y += l->base * 1.5;
    lay_text_block(l, dg_post_display_title(l->a, p, l->lang), DG_BOLD, l->base * 1.9, 0, 1.3,
                   false);
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
    if (drawable_image(hi)) {
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
    lay_text_block(l, dg_label(l->lang, DG_LABEL_LINKS), DG_BOLD, size * 1.05, 0, 1.6, false);
    for (size_t i = 0; i < l->nurls; i++) {
        lay_clear_spans(l);
        const char *num = dg_sprintf(l->a, "%zu. ", i + 1);
        lay_push_span(l, num, strlen(num), 0, size, -1, 0, 0);
        int lk = lay_add_link(l, l->urls[i], NULL);
        lay_push_span(l, l->urls[i], strlen(l->urls[i]), 0, size, lk, DG_TAG_LINK, 0);
        dg_para p = lay_layout_spans(l, l->width, 0, false, false);
        lay_put_lines(l, &p, l->x0, size * 1.5, size, 0, false);
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
    /* the post in its own language: line breaking, labels, number */
    const char *book_lang = l->lang;
    l->lang = ch->post->lang ? ch->post->lang : book_lang;
    l->zh = dg_lang_is_cjk(l->lang);
    l->chapter = (int)ci;
    l->keep = false;
    l->nurls = 0;
    l->ndecos = 0;
    l->marker = NULL;
    l->nest = 0;
    l->nest_capped = false;
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
        lay_put_lines(l, &fn->p, l->x0, l->base * FOOT_SCALE * FOOT_LEADING, l->base * FOOT_SCALE,
                      0, false);
    }
    link_notes(l);
    lay_flush_footnotes(l, lay_cur_page(l), l->foot, l->nfoot);
    l->nfoot = 0;
    l->nnotes_fn = 0;
    l->lang = book_lang;
    l->zh = dg_lang_is_cjk(l->lang);
}
