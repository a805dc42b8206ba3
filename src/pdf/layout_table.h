/* layout_table.h - GFM tables in the layout (layout_table.c), for
 * layout_block.c. */
#ifndef DIGEST_PDF_LAYOUT_TABLE_H
#define DIGEST_PDF_LAYOUT_TABLE_H

#include <libxml/tree.h>

#include "pdf/layout_impl.h"

/* Lays out table element T at the cursor; DEPTH is its nesting. */
void lay_table_block(lay *l, const xmlNode *t, int depth);

#endif
