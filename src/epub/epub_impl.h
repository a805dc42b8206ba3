/* epub_impl.h - the state the EPUB writer's files share while one book is
 * written, private to them:
 *   epub.c        dg_epub_write: the order of work, the container's files
 *                 in memory and the XML check of each
 *   epub_parts.c  a chapter cut into parts; the id -> file map
 *   epub_xhtml.c  a content tree serialized as XHTML (links resolved)
 *   epub_pages.c  cover.xhtml and the chapter files, from the templates
 *   epub_nav.c    nav.xhtml and toc.ncx
 *   epub_pagelist.c  the PDF's page numbers: page-break markers in the text,
 *                 the nav's page-list (when the PDF of the run gave a map)
 *   epub_opf.c    content.opf (metadata, manifest, spine); which assets go in
 *   epub_zip.c    the zip written through libzip
 *
 * Functions that can fail return 0, or -1 after reporting.
 */
#ifndef DIGEST_EPUB_IMPL_H
#define DIGEST_EPUB_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "base/base.h"
#include "base/u64map.h"
#include "content/book.h"
#include "content/pagemap.h"
#include "digest/diag.h"

/* The cover image digest drew (dg_book.cover_jpeg), inside OEBPS/. */
#define EPUB_COVER_IMAGE "images/cover" DG_COVER_EXT

/* Readers derived from Adobe's engine (and Kindle conversion) slow down or
 * refuse spine items over ~260 KB; no XHTML file we write is bigger. */
#define EPUB_MAX_XHTML (260 * 1000)
/* Body bytes per part: the limit less room for the page skeleton, the chapter
 * head and links that grow when rewritten to point into other parts. */
#define EPUB_PART_BUDGET (EPUB_MAX_XHTML - 24 * 1000)
/* How many containers deep a block too big for one file is opened to split
 * it among its children; deeper than this it stays whole (and too big). */
#define EPUB_SPLIT_DEPTH 8

/* Where an id of the book lives. */
typedef struct id_entry {
    const char *id;
    const char *file;
    const void *owner; /* the node that carries the id (NULL: the chapter head) */
    int level;         /* a heading's level in the output (epub_parts.c), else 0 */
} id_entry;

/* One XHTML file of a chapter. */
typedef struct part {
    size_t first, end; /* units [first, end) of the chapter */
    const char *file;  /* "post-01-2.xhtml" */
    const char *item;  /* manifest id "post-01-2" */
} part;

/* A piece of a chapter that goes whole into one file: a top-level block, or,
 * inside a container too big for one file, one of its children (CHAIN holds
 * the containers from the top down, reopened in each file). */
typedef struct unit {
    xmlNodePtr node;
    xmlNodePtr *chain;
    size_t nchain;
    size_t size;
} unit;

typedef struct chap {
    const dg_chapter *c;
    unit *units;
    size_t nunits;
    part *parts; /* at least one once planned */
    size_t nparts;
} chap;

/* A file of the container, made in memory before the zip is written. */
typedef struct entry {
    const char *name;
    const char *data;
    size_t len;
    bool store; /* stored, not deflated (mimetype) */
} entry;

typedef struct writer {
    const dg_book *book;
    dg_diag *d;
    dg_arena *a;
    bool zh; /* CJK labels (dates: dg_format_date) */
    const char *lang;      /* the book's */
    const char *chap_lang; /* the chapter's being written (NULL: none yet) */
    dg_map ids; /* id -> id_entry: the file that holds it */
    chap *chaps;
    size_t nchaps;
    entry *entries;
    size_t nentries, capentries;
    const char *tpl_chapter, *tpl_head, *tpl_cover, *css;
    /* The PDF's page map (NULL or empty: no page numbers), epub_pagelist.c's */
    const dg_page_map *pages;
    dg_u64map page_at;      /* text node -> its first mark's index + 1 */
    const char **page_file; /* by mark: the file it was written in (NULL: not yet) */
    const char *page_id;    /* prefix of the markers' ids ("page-") */
} writer;

static inline bool epub_el_is(xmlNodePtr n, const char *name)
{
    return xmlStrEqual(n->name, (const xmlChar *)name);
}

/* epub.c: adds a file to the container; adds one we made as XML after
 * checking that it parses (B is emptied). */
void epub_add_entry(writer *w, const char *name, const char *data, size_t len, bool store);
int epub_add_xml(writer *w, const char *name, dg_buf *b);

/* epub_parts.c: cuts chapter CH (the INDEX-th, numbered WIDTH digits wide)
 * into parts and records where each of its ids lives. */
void epub_plan_chapter(writer *w, chap *ch, size_t index, int width);
/* The entry of ID, or NULL when the book has no such id. */
const id_entry *epub_id_get(const writer *w, const char *id);

/* epub_xhtml.c: true when HREF names an image the book packs. */
bool epub_is_asset(const dg_book *b, const char *href);
/* The element name N is written with: a heading's output level (h1-h6), td
 * for an empty th, else its own name. */
const char *epub_el_name(const writer *w, xmlNodePtr n);

/* epub_a11y.c: the schema.org accessibility metadata of the book, true for
 * its content: access modes from its images, alternativeText and
 * dcterms:conformsTo only when every image has a text alternative.
 * COVER_IMAGE: the book has a cover image whose alt text is its title. */
void epub_put_a11y(writer *w, dg_buf *b, bool cover_image);

/* epub_xhtml.c: XML-escapes S into B (for an attribute value when ATTR),
 * dropping characters XML 1.0 cannot carry; EPUB_ESC, the same into the
 * arena. */
void epub_put_esc(dg_buf *b, const char *s, bool attr);
char *epub_esc(dg_arena *a, const char *s);
/* True when S is NULL or only spaces, tabs and line ends. */
bool epub_is_ws_only(const char *s);
/* Serializes TOP and its subtree into B as part of FILE (NULL: measuring,
 * before the parts are known). */
void epub_serialize(writer *w, dg_buf *b, xmlNodePtr top, const char *file);
/* Writes the units of part PT of chapter CH. */
void epub_write_units(writer *w, dg_buf *b, const chap *ch, const part *pt);

/* epub_pages.c: the post's title as the contents, the cover list and the
 * chapter head show it; the cover and chapter pages. */
const char *epub_post_title(writer *w, const dg_chapter *c);
/* The post's language (the book's when it has none); " xml:lang=.. lang=.."
 * for an element that names the post in a page of the book's language, ""
 * when the two are the same. */
const char *epub_post_lang(const writer *w, const dg_chapter *c);
const char *epub_lang_attr(writer *w, const dg_chapter *c);
int epub_write_cover(writer *w);
int epub_write_chapter(writer *w, const chap *ch);

/* epub_nav.c */
int epub_write_nav(writer *w);
int epub_write_ncx(writer *w);

/* epub_opf.c: true when the book packs AS (known media type, safe name,
 * some bytes); content.opf with dcterms:modified MODIFIED. */
bool epub_asset_usable(const dg_asset *as);
int epub_write_opf(writer *w, const char *modified);

/* epub_pagelist.c: the page map W->pages made ready for the chapters (the
 * markers' ids are chosen not to clash with the book's).  0, or -1 when
 * memory runs out (after reporting). */
int epub_pages_begin(writer *w);
void epub_pages_end(writer *w);
/* Writes text node N (its text TEXT; CDATA: as it is) into B as part of
 * FILE, with the markers of the pages that begin in it. */
void epub_put_marked_text(writer *w, dg_buf *b, xmlNodePtr n, const char *file,
                          void (*put)(writer *w, dg_buf *b, xmlNodePtr n, const char *text));
/* The markers of chapter CI's pages that begin before its head (AT_END
 * false), or of those not yet written (AT_END: at the end of its last
 * part), into B as part of FILE. */
void epub_put_chapter_marks(writer *w, dg_buf *b, size_t ci, bool at_end, const char *file);
/* How many markers were written. */
size_t epub_page_marks(const writer *w);
/* nav.xhtml's page-list (nothing without markers). */
void epub_put_page_list(writer *w, dg_buf *b);

/* epub_zip.c: writes the entries to PATH through a temporary file. */
int epub_write_zip(writer *w, const char *path);

#endif
