/* epub_nav.c - the book's contents twice: nav.xhtml (EPUB 3: the contents
 * and the landmarks) and toc.ncx (for EPUB 2 readers).  Each post is an
 * entry, with its h1/h2 headings under it, linked into the part that holds
 * them.  A volume's posts are nested under their month (and year: the
 * complete volume), each group linked to its first post.
 */
#include <stdbool.h>
#include <string.h>

#include "epub/epub_impl.h"

#define NS_XHTML "http://www.w3.org/1999/xhtml"

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
        if (h->level > 2 || !h->id || !h->text || epub_is_ws_only(h->text))
            continue;
        const id_entry *e = epub_id_get(w, h->id);
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

/* ------------------------------------------------------------------ */
/* nav.xhtml                                                           */

static const char *lang_attr(writer *w)
{
    return dg_sprintf(w->a, " xml:lang=\"%s\" lang=\"%s\"", epub_esc(w->a, w->lang),
                      epub_esc(w->a, w->lang));
}

/* A volume's groups in the nav and the NCX: before chapter I, the groups
 * that begin there are opened, after closing those of the same or a deeper
 * level still open.  N counts the open groups, LEVELS their levels. */
typedef struct groups_open {
    int levels[4];
    int n;
} groups_open;

/* Opens a group of LEVEL in G: returns how many open groups it closes
 * first (those of the same or a deeper level). */
static int group_push(groups_open *g, int level)
{
    int closed = 0;
    for (; g->n > 0 && g->levels[g->n - 1] >= level; g->n--)
        closed++;
    if (g->n < 4)
        g->levels[g->n++] = level;
    return closed;
}

/* Before chapter I: the groups beginning there, opened in the nav
 * (ORDER < 0: a list item whose list of posts stays open) or in the NCX (a
 * navPoint left open, with ORDER + 1, the playOrder of the post it points
 * to: the NCX gives one target one place in the reading order). */
static void put_groups(writer *w, dg_buf *b, size_t i, groups_open *g, int order)
{
    const dg_book *bk = w->book;
    const char *file = w->chaps[i].parts[0].file;
    for (size_t k = 0; k < bk->ngroups; k++) {
        const dg_book_group *gr = &bk->groups[k];
        if (gr->first != i)
            continue;
        for (int c = group_push(g, gr->level); c > 0; c--)
            dg_buf_puts(b, order < 0 ? "</ol>\n</li>\n" : "</navPoint>\n");
        if (order < 0)
            dg_buf_printf(b, "<li><a href=\"%s\">", file);
        else
            dg_buf_printf(b, "<navPoint id=\"np-group-%zu\" playOrder=\"%d\"><navLabel><text>", k,
                          order + 1);
        epub_put_esc(b, gr->label, false);
        if (order < 0)
            dg_buf_puts(b, "</a>\n<ol>\n");
        else
            dg_buf_printf(b, "</text></navLabel><content src=\"%s\"/>\n", epub_esc(w->a, file));
    }
}

int epub_write_nav(writer *w)
{
    groups_open open = {0};
    dg_buf b = {0};
    const char *toc = dg_label(w->lang, DG_LABEL_CONTENTS);
    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                  "<html xmlns=\"" NS_XHTML "\" xmlns:epub=\"http://www.idpf.org/2007/ops\"%s>\n"
                  "<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n"
                  "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n"
                  "<body>\n<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" class=\"toc\">\n"
                  "<h1>%s</h1>\n<ol>\n",
                  lang_attr(w), toc, toc);
    for (size_t i = 0; i < w->nchaps; i++) {
        const chap *ch = &w->chaps[i];
        put_groups(w, &b, i, &open, -1);
        dg_buf_printf(&b, "<li><a href=\"%s\"%s>", ch->parts[0].file, epub_lang_attr(w, ch->c));
        epub_put_esc(&b, epub_post_title(w, ch->c), false);
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
            dg_buf_printf(&b, "<li><a href=\"%s#%s\"%s>", hs[k].file, epub_esc(w->a, hs[k].h->id),
                          epub_lang_attr(w, ch->c));
            epub_put_esc(&b, hs[k].h->text, false);
            dg_buf_puts(&b, "</a>");
        }
        for (; depth > 1; depth--)
            dg_buf_puts(&b, "</li>\n</ol>\n");
        dg_buf_puts(&b, "</li>\n");
    }
    for (; open.n > 0; open.n--)
        dg_buf_puts(&b, "</ol>\n</li>\n");
    dg_buf_puts(&b, "</ol>\n</nav>\n");
    epub_put_page_list(w, &b);
    dg_buf_printf(&b,
                  "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n"
                  "<ol>\n<li><a epub:type=\"cover\" href=\"cover.xhtml\">%s</a></li>\n"
                  "<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">%s</a></li>\n"
                  "<li><a epub:type=\"bodymatter\" href=\"%s\">%s</a></li>\n</ol>\n</nav>\n"
                  "</body>\n</html>\n",
                  dg_label(w->lang, DG_LABEL_COVER), toc, w->chaps[0].parts[0].file,
                  dg_label(w->lang, DG_LABEL_START));
    return epub_add_xml(w, "OEBPS/nav.xhtml", &b);
}

/* ------------------------------------------------------------------ */
/* toc.ncx                                                             */

/* Opens navPoint number ++*ORDER, labelled in the language of chapter C;
 * the caller closes it. */
static void ncx_point(writer *w, dg_buf *b, int *order, const char *label, const char *src,
                      const dg_chapter *c)
{
    (*order)++;
    const char *lang = epub_post_lang(w, c);
    dg_buf_printf(b, "<navPoint id=\"np-%d\" playOrder=\"%d\"><navLabel%s%s%s><text>", *order,
                  *order, strcmp(lang, w->lang) ? " xml:lang=\"" : "",
                  strcmp(lang, w->lang) ? epub_esc(w->a, lang) : "",
                  strcmp(lang, w->lang) ? "\"" : "");
    epub_put_esc(b, label, false);
    dg_buf_printf(b, "</text></navLabel><content src=\"%s\"/>", epub_esc(w->a, src));
}

int epub_write_ncx(writer *w)
{
    const dg_book *bk = w->book;
    int maxdepth = 1, order = 0;
    groups_open open = {0};
    dg_buf map = {0};
    for (size_t i = 0; i < w->nchaps; i++) {
        const chap *ch = &w->chaps[i];
        put_groups(w, &map, i, &open, order);
        ncx_point(w, &map, &order, epub_post_title(w, ch->c), ch->parts[0].file, ch->c);
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
                      dg_sprintf(w->a, "%s#%s", hs[k].file, hs[k].h->id), ch->c);
        }
        for (; depth >= 1; depth--)
            dg_buf_puts(&map, "</navPoint>");
        dg_buf_putc(&map, '\n');
    }
    for (; open.n > 0; open.n--)
        dg_buf_puts(&map, "</navPoint>\n");
    maxdepth += bk->group_depth; /* a volume's posts sit under their groups */
    dg_buf b = {0};
    dg_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" "
                  "xml:lang=\"%s\">\n<head>\n<meta name=\"dtb:uid\" content=\"%s\"/>\n"
                  "<meta name=\"dtb:depth\" content=\"%d\"/>\n"
                  "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                  "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
                  "<docTitle><text>%s</text></docTitle>\n",
                  epub_esc(w->a, w->lang), epub_esc(w->a, bk->uuid), maxdepth,
                  epub_esc(w->a, bk->title));
    if (bk->author && *bk->author)
        dg_buf_printf(&b, "<docAuthor><text>%s</text></docAuthor>\n", epub_esc(w->a, bk->author));
    dg_buf_puts(&b, "<navMap>\n");
    if (map.data)
        dg_buf_put(&b, map.data, map.len);
    dg_buf_free(&map);
    dg_buf_puts(&b, "</navMap>\n</ncx>\n");
    return epub_add_xml(w, "OEBPS/toc.ncx", &b);
}
