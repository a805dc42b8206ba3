/* pdf_pagemap.c - the page map (content/pagemap.h) of the PDF being written:
 * for each body page drawn, where its first line of text begins in the
 * content tree.  The lines know the span they start in (dg_line.src, from
 * layout_inline.c) and where in the span's text it begins; the span's text
 * is the tree's text with its white space collapsed (lay_push_text), or a
 * code block's text as it is.  The marks point into the book's trees, not
 * into the layout, whose pages are freed once drawn.
 */
#include "content/tree.h"
#include "pdf/pdf_impl.h"

/* The text node and byte offset where the character AT of the text of span
 * source S is in the tree, found from cursor PM on (or from the start when
 * AT is before it or in another text).  False when it is not found. */
static bool locate(struct pagemap_cursor *pm, const dg_line_src *s, const char *at,
                   const xmlNode **node, size_t *noff)
{
    if (!s->node || !s->text || !at || at < s->text)
        return false;
    size_t off = (size_t)(at - s->text);
    if (!s->verbatim) {
        /* the same non-space bytes, in the same order: count them */
        const char *t = s->text, *src = (const char *)s->node->content;
        if (!src)
            return false;
        if (pm->node != s->node || pm->text != t || off < pm->toff)
            *pm = (struct pagemap_cursor){.node = s->node, .text = t};
        size_t k = pm->toff;
        for (; k < off && t[k]; k++)
            pm->tcount += !dg_collapsed_space(t[k]);
        pm->toff = k;
        size_t i = pm->sidx;
        while (src[i] && pm->scount < pm->tcount) {
            pm->scount += !dg_collapsed_space(src[i]);
            i++;
        }
        pm->sidx = i;
        /* a line begins at a visible character: past the spaces before it */
        if (t[off] && !dg_collapsed_space(t[off]))
            while (src[i] && dg_collapsed_space(src[i]))
                i++;
        *node = s->node;
        *noff = i;
        return true;
    }
    /* an element's text as it is: its text nodes one after the other */
    xmlNodePtr root = (xmlNodePtr)s->node;
    xmlNodePtr k = root->children;
    size_t base = 0;
    if (pm->root == s->node && pm->vnode && off >= pm->vbase) {
        k = (xmlNodePtr)pm->vnode;
        base = pm->vbase;
    }
    for (; k; k = dg_tree_next(k, root, true)) {
        if ((k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE) || !k->content)
            continue;
        size_t len = k == pm->vnode ? pm->vlen : strlen((const char *)k->content);
        if (off - base < len) {
            pm->root = s->node;
            pm->vnode = k;
            pm->vbase = base;
            pm->vlen = len;
            *node = k;
            *noff = off - base;
            return true;
        }
        base += len;
    }
    return false;
}

void pdf_pagemap_add(pdf_ctx *c, size_t pi, const dg_lpage *pg)
{
    if (!c->map || pg->kind != DG_PAGE_BODY || pg->chapter < 0)
        return;
    dg_page_mark mk = {.number = (unsigned)dg_page_number(pi),
                       .chapter = (size_t)pg->chapter,
                       .at = pg->chapter_start ? DG_PAGE_AT_CHAPTER : DG_PAGE_AT_NEXT};
    /* the items are in the order they were placed: the first line of text
     * from the tree is the page's top line (running heads, list markers and
     * the post's head come from elsewhere and have no source) */
    for (size_t i = 0; i < pg->n && mk.at == DG_PAGE_AT_NEXT; i++) {
        const dg_item *it = &pg->items[i];
        if (it->kind == DG_ITEM_TEXT && it->line && it->line->src &&
            locate(&c->pm, it->line->src, it->line->src_at, &mk.node, &mk.off))
            mk.at = DG_PAGE_AT_TEXT;
    }
    dg_page_map_add(c->map, &mk);
}
