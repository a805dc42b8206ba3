/* layout_block.h - the body of the layout (layout_block.c), for layout.c. */
#ifndef DIGEST_PDF_LAYOUT_BLOCK_H
#define DIGEST_PDF_LAYOUT_BLOCK_H

#include "pdf/layout_impl.h"

/* Adds chapter CI of l->book to l->L, from a new page. */
void lay_layout_chapter(lay *l, size_t ci);

#endif
