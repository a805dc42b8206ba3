/* pagemap.h - the page map: where each body page of a book's PDF begins in
 * the book's content trees (dg_chapter.doc), so that the EPUB of the same
 * run can carry the PDF's page numbers (a page-list in its nav and a
 * page-break marker in the text where each page begins), and a reader can
 * cite "p. 12" in either.  The PDF writer fills it (pdf/pdf_pagemap.c), the
 * EPUB writer reads it; the content stage holds the type both see.
 *
 * A mark points into the book's trees: it is valid while the book is.
 */
#ifndef DIGEST_CONTENT_PAGEMAP_H
#define DIGEST_CONTENT_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "base/base.h"

typedef enum dg_page_at {
    DG_PAGE_AT_TEXT,    /* the page's first line begins in text node NODE at byte OFF */
    DG_PAGE_AT_CHAPTER, /* the page opens the chapter: before the post's head */
    DG_PAGE_AT_NEXT,    /* no text of the tree on it (an image, the link notes): where
                           the next page begins, or at the chapter's end */
} dg_page_at;

typedef struct dg_page_mark {
    unsigned number; /* the number printed on the page (the cover is page 1) */
    size_t chapter;  /* index in dg_book.chapters */
    dg_page_at at;
    const xmlNode *node; /* AT_TEXT: a text or CDATA node of the chapter's tree */
    size_t off;          /* AT_TEXT: byte offset in NODE's content */
} dg_page_mark;

typedef struct dg_page_map {
    dg_arena *a;         /* where the marks live (the caller's) */
    dg_page_mark *marks; /* in page order */
    size_t n, cap;
    const char *source; /* the edition the numbers are of: the PDF's file name */
} dg_page_map;

/* An empty map whose marks go in A. */
void dg_page_map_init(dg_page_map *m, dg_arena *a);
/* Appends a copy of MK. */
void dg_page_map_add(dg_page_map *m, const dg_page_mark *mk);

#endif
