/* epub_parts.c - a chapter cut into the XHTML files it is written in, and
 * the map from every id of the book to the file that holds it.
 *
 * Each post is one XHTML file, or several when it is long.  The content
 * tree's top-level blocks are measured, then cut into parts of at most
 * EPUB_PART_BUDGET bytes, preferably just before a heading.  The id map lets
 * the nav, the NCX and in-book links (footnotes) point into the right part.
 */
#include <libxml/tree.h>
#include <string.h>

#include "epub/epub_impl.h"

/* ------------------------------------------------------------------ */
/* id -> file map                                                      */

const id_entry *epub_id_get(const writer *w, const char *id)
{
    void *e;
    return dg_map_get(&w->ids, id, &e) ? e : NULL;
}

/* Records ID in FILE unless it is already known (the first one wins; later
 * duplicates lose their id attribute when serialized).  Returns the new
 * entry, or NULL when ID was known. */
static id_entry *id_put(writer *w, const char *id, const char *file, const void *owner)
{
    if (dg_map_get(&w->ids, id, NULL))
        return NULL;
    id_entry *e = dg_alloc(w->a, sizeof *e);
    e->id = dg_strdup(w->a, id);
    e->file = file;
    e->owner = owner;
    e->level = 0;
    dg_map_put(&w->ids, e->id, e);
    return e;
}

static bool is_heading(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->name[0] == 'h' && n->name[1] >= '1' &&
           n->name[1] <= '6' && n->name[2] == '\0';
}

/* The post's headings under its chapter title (h1) never skip a level: each
 * heading is one level below the nearest heading before it with a smaller
 * source level (the chapter title when there is none), so a "###" straight
 * under the title becomes h2.  The stack holds the source levels of the open
 * headings, strictly increasing, so at most six. */
typedef struct outline {
    int src[6];
    int n;
} outline;

static int outline_level(outline *o, int src)
{
    while (o->n > 0 && o->src[o->n - 1] >= src)
        o->n--;
    int out = o->n + 2 > 6 ? 6 : o->n + 2;
    o->src[o->n++] = src;
    return out;
}

/* Records every id in the subtree of TOP as living in FILE, and the output
 * level of each heading (O: the chapter's outline so far). */
static void collect_ids(writer *w, xmlNodePtr top, const char *file, outline *o)
{
    xmlNodePtr n = top;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
            id_entry *e = id && *id ? id_put(w, (const char *)id, file, n) : NULL;
            if (is_heading(n)) {
                int level = outline_level(o, n->name[1] - '0');
                if (e)
                    e->level = level;
            }
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
    epub_serialize(w, &tmp, n, NULL);
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
        nchain < EPUB_SPLIT_DEPTH && !epub_el_is(n, "pre") && !epub_el_is(n, "p")) {
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

/* Parts of at most EPUB_PART_BUDGET bytes, cut before a heading where one is
 * in reach. */
void epub_plan_chapter(writer *w, chap *ch, size_t index, int width)
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
        id_put(w, c->id, ch->parts[0].file, NULL);
    outline o = {.n = 0};
    for (size_t p = 0; p < ch->nparts; p++)
        for (size_t i = ch->parts[p].first; i < ch->parts[p].end; i++) {
            const unit *u = &ch->units[i];
            for (size_t k = 0; k < u->nchain; k++) {
                xmlChar *id = xmlGetProp(u->chain[k], (const xmlChar *)"id");
                if (id && *id)
                    id_put(w, (const char *)id, ch->parts[p].file, u->chain[k]);
                xmlFree(id);
            }
            collect_ids(w, u->node, ch->parts[p].file, &o);
        }
}
