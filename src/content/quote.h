/* quote.h - the rule for double quotes turned the wrong way at a block's
 * edges, for the sanitizer (which turns them round) and digest check (which
 * reports them in the Markdown).
 *
 * A paragraph cannot open with a closing double quote nor close with an
 * opening one: in the source that is a typo (”值班室… for “值班室…), which a
 * reader takes for a misprint and a typesetter cannot place (no line may
 * start with ” nor end with “).  The blocks are p, li, td, th, dt, dd,
 * figcaption and h1-h6; their first and last non-blank text counts, unless
 * it is code.  Single quotes are left alone: a leading ’ is an apostrophe
 * (’90s).
 */
#ifndef DIGEST_CONTENT_QUOTE_H
#define DIGEST_CONTENT_QUOTE_H

#include <libxml/tree.h>
#include <stdbool.h>

/* Called for each wrong quote: TEXT (a text node of BLOCK) opens BLOCK with
 * ” (AT_END false) or closes it with “ (AT_END true).  A text node can be
 * met twice when quote blocks nest (a paragraph in a list item). */
typedef void (*dg_quote_fn)(xmlNodePtr block, xmlNodePtr text, bool at_end, void *ctx);

/* Calls FN for every wrong quote in the tree under ROOT, in document order
 * (a block's start before its end).  FN may turn the quote (dg_quote_turn). */
void dg_quote_scan(xmlNodePtr root, dg_quote_fn fn, void *ctx);

/* Turns the wrong quote of TEXT the right way round: ” at its start becomes
 * “ (AT_END false), “ at its end becomes ” (AT_END true). */
void dg_quote_turn(xmlNodePtr text, bool at_end);

/* Turns every wrong quote under ROOT the right way round. */
void dg_quote_repair(xmlNodePtr root);

#endif
