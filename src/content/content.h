/* content.h - one content tree per post: sanitized XHTML held as a libxml2 DOM.
 *
 * The EPUB writer serializes these trees and the PDF layout typesets the very
 * same trees, so the two formats always agree.  Stage files: src/content/
 * content.c (the sanitizer), registry.c (images and ids shared by the
 * chapters), asset.c (image references), url.c (links), quote.c (quotes).
 *
 * The tree of a chapter is a document whose root is
 *     <section xmlns="http://www.w3.org/1999/xhtml" class="post-body">
 * holding only these elements (everything else is unwrapped or dropped):
 *   blocks: p h1-h6 blockquote ul ol li pre hr table thead tbody tr th td
 *           div (plain, from raw-HTML div/center/details/article...; or class
 *           "footnotes") section
 *           figure figcaption dl dt dd
 *   inline: a em strong del code sup sub br img span small mark kbd
 * Attributes kept: id, class, href (a), src/alt/width/height (img), start (ol),
 * colspan/rowspan/align (th, td), title.  Every heading has an id unique within
 * the whole digest; every img has an alt and a src that names an asset of the
 * book ("images/NNN.ext") - images that cannot be packed become
 *     <span class="placeholder image"><a href="URL">[图片] alt</a></span>
 * (remote: links to the URL; refused or missing: no link) and media
 * (iframe/video/audio) become
 *     <p class="media"><a href="https://...">▶ 视频 / 音频 / 嵌入内容: URL</a></p>
 * (inside a paragraph: just <a class="media" href="...">▶ ...</a>)
 * Task list items carry class "task" and begin with ☐ or ☑ as text.
 * Footnote references are <sup class="footnote-ref"><a href="#post-01-fn-1"
 * id="post-01-fnref-1">1</a></sup> links into <div class="footnotes"><ol>
 * <li id="post-01-fn-1">... at the end of the tree, whose back links carry
 * class "footnote-backref".  Code blocks keep class "language-xxx" on <code>.
 */
#ifndef DIGEST_CONTENT_H
#define DIGEST_CONTENT_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "digest/diag.h"
#include "content/registry.h"
#include "site/post.h"
#include "base/base.h"

typedef struct dg_heading {
    int level;          /* 1..6 */
    const char *id;
    const char *text;   /* plain text */
} dg_heading;

typedef struct dg_chapter {
    const dg_post *post;
    const char *id;         /* unique id of the chapter ("post-01"), also its title's anchor */
    xmlDocPtr doc;          /* owned; freed by dg_chapter_free */
    dg_heading *headings;   /* in document order */
    size_t nheadings;
    const dg_asset *header_image; /* the post's header-img, when it could be packed */
} dg_chapter;

/* Builds the tree of POST.  OUT->id is "post-NN", numbered in the order the
 * chapters are built with REG (so build them in book order).  The caller
 * should have called xmlInitParser() once before starting threads.
 * SITE_ROOT (absolute) bounds every local path: relative paths resolve
 * against the post's folder, "/x" against SITE_ROOT (header-img: SITE_ROOT,
 * then the post's folder, as Jekyll themes do), and anything resolving
 * outside (including through symlinks) is refused with a warning (asset.h:
 * the rule digest check applies too).  Diagnostics point at the Markdown
 * (data-sourcepos). */
int dg_chapter_build(dg_chapter *out, const dg_post *post, const char *site_root,
                     dg_registry *reg, dg_diag *d);
void dg_chapter_free(dg_chapter *c);

/* Parses HTML (the rendered Markdown of the post at PATH, NUL-terminated)
 * into *OUT as the sanitizer reads it; the caller frees *OUT with
 * xmlFreeDoc.  The one place that says what is wrong with a post's HTML, for
 * build and check alike: more than DG_CONTENT_MAX_HTML bytes or unparsable
 * is an error (-1, nothing to free); nesting past the parser's limit, where
 * the rest of the post is lost, a warning (0). */
int dg_content_parse(const char *html, const char *path, htmlDocPtr *out, dg_diag *d);

/* Calls FN for every <img> of SRC (from dg_content_parse) that the sanitizer
 * resolves, with the reference it reads (src, else data-src, else
 * data-original): images inside what the sanitizer drops whole (script,
 * noscript, svg, video ...) are not met, nor those without a reference.
 * digest check sees the images a build packs through this. */
typedef void (*dg_content_img_fn)(xmlNodePtr img, const char *ref, void *ctx);
void dg_content_images(htmlDocPtr src, dg_content_img_fn fn, void *ctx);

/* Sanitizes an HTML fragment alone (for tests and the fuzzer): returns the
 * resulting XHTML serialized, in A. */
char *dg_sanitize_fragment(dg_arena *a, const char *html, const char *site_root,
                           const char *post_dir, dg_registry *reg, dg_diag *d);

#endif
