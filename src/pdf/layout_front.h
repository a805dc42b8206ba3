/* layout_front.h - the front matter of the layout (layout_front.c), for
 * layout.c. */
#ifndef DIGEST_PDF_LAYOUT_FRONT_H
#define DIGEST_PDF_LAYOUT_FRONT_H

#include "pdf/layout_impl.h"

/* A line of the contents: a post (level 0) or one of its headings. */
typedef struct lay_toc_entry {
    int level;
    const char *title, *dest;
    int page; /* 1-based page number */
} lay_toc_entry;

/* Adds the cover and the contents (entries E) to l->L. */
void lay_front_matter(lay *l, const lay_toc_entry *e, size_t n);
/* Adds the page number NUM (1-based), and on a body page the running head,
 * to PG (nothing to a cover). */
void lay_running_head(lay *l, dg_lpage *pg, size_t num);

#endif
