/* quote.c - double quotes turned the wrong way at a block's edges
 * (quote.h): found once, for the sanitizer and for digest check. */
#include "content/quote.h"
#include "content/tree.h"

#include <string.h>

#define OPEN_QUOTE  "\xE2\x80\x9C" /* “ */
#define CLOSE_QUOTE "\xE2\x80\x9D" /* ” */

static const char *const quote_blocks[] = {"p",  "li", "td", "th", "dt", "dd", "figcaption",
                                           "h1", "h2", "h3", "h4", "h5", "h6", NULL};

static bool named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static bool is_quote_block(xmlNodePtr n)
{
    for (const char *const *s = quote_blocks; *s; s++)
        if (named(n, *s))
            return true;
    return false;
}

static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\n\r\f")] == 0;
}

static bool in_code(xmlNodePtr n, xmlNodePtr block)
{
    for (; n && n != block; n = n->parent)
        if (named(n, "code") || named(n, "pre"))
            return true;
    return false;
}

/* The first (or with LAST the last) non-blank text of BLOCK when it is no
 * code, else NULL. */
static xmlNodePtr edge_text(xmlNodePtr block, bool last)
{
    xmlNodePtr text = NULL;
    for (xmlNodePtr n = block->children; n; n = dg_tree_next(n, block, true)) {
        if (n->type != XML_TEXT_NODE || !n->content || is_blank((const char *)n->content))
            continue;
        text = n;
        if (!last)
            break;
    }
    return text && !in_code(text, block) ? text : NULL;
}

/* Does TEXT hold the wrong quote at its start (or with AT_END its end)? */
static bool wrong(xmlNodePtr text, bool at_end)
{
    const char *t = (const char *)text->content;
    size_t len = strlen(t);
    if (!at_end)
        return !strncmp(t + strspn(t, " \t\n\r"), CLOSE_QUOTE, 3);
    while (len > 0 && strchr(" \t\n\r", t[len - 1]))
        len--;
    return len >= 3 && !strncmp(t + len - 3, OPEN_QUOTE, 3);
}

void dg_quote_turn(xmlNodePtr text, bool at_end)
{
    char *t = (char *)text->content;
    size_t len = strlen(t);
    if (!at_end) {
        size_t i = strspn(t, " \t\n\r");
        if (!strncmp(t + i, CLOSE_QUOTE, 3))
            t[i + 2] = (char)0x9C;
        return;
    }
    while (len > 0 && strchr(" \t\n\r", t[len - 1]))
        len--;
    if (len >= 3 && !strncmp(t + len - 3, OPEN_QUOTE, 3))
        t[len - 1] = (char)0x9D;
}

void dg_quote_scan(xmlNodePtr root, dg_quote_fn fn, void *ctx)
{
    for (xmlNodePtr n = root; n; n = dg_tree_next(n, root, true)) {
        if (!is_quote_block(n))
            continue;
        for (int end = 0; end < 2; end++) {
            xmlNodePtr t = edge_text(n, end);
            if (t && wrong(t, end))
                fn(n, t, end, ctx);
        }
    }
}

static void turn(xmlNodePtr block, xmlNodePtr text, bool at_end, void *ctx)
{
    (void)block;
    (void)ctx;
    dg_quote_turn(text, at_end);
}

void dg_quote_repair(xmlNodePtr root)
{
    dg_quote_scan(root, turn, NULL);
}
