/* tree.h - the iterative walk over a libxml2 tree that the content stage's
 * passes share (sanitizer, quote rule): no recursion, so a post of 100k
 * nested elements cannot overflow the C stack. */
#ifndef DIGEST_CONTENT_TREE_H
#define DIGEST_CONTENT_TREE_H

#include <libxml/tree.h>
#include <stdbool.h>

/* The node after N in document order within the tree under ROOT, or NULL at
 * its end; with INTO false the children of N are skipped. */
static inline xmlNodePtr dg_tree_next(xmlNodePtr n, xmlNodePtr root, bool into)
{
    if (into && n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

#endif
