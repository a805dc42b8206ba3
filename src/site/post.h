/* post.h - one post: its file read, front matter parsed, Markdown rendered.
 *
 * Stage files: src/site/post.c (reading, text repair, title fallbacks),
 * src/site/frontmatter*.c (YAML, TOML and Pelican metadata; frontmatter.h),
 * src/site/date.c (dates, date.h), src/site/markdown.c (cmark-gfm with GFM
 * extensions, CJK soft breaks).
 */
#ifndef DIGEST_POST_H
#define DIGEST_POST_H

#include <stdbool.h>
#include <stddef.h>

#include "digest/diag.h"
#include "base/base.h"
#include "site/date.h"

/* Where a post's date came from. */
typedef enum dg_date_source {
    DG_DATE_NONE = 0,
    DG_DATE_META,   /* front matter or headers (date_line says where) */
    DG_DATE_NAME,   /* the file or folder name */
    DG_DATE_TABLE,  /* a dates table (--dates, dates: in digest.yaml) */
    DG_DATE_GIT,    /* the commit that added the file */
    DG_DATE_MTIME   /* the file's modification time */
} dg_date_source;

/* Where a post's language came from (site/lang.h has the order). */
typedef enum dg_lang_source {
    DG_LANG_NONE = 0,
    DG_LANG_META,   /* lang, language or locale in the metadata */
    DG_LANG_HUGO,   /* Hugo: a file-name suffix (post.en.md) or a language's contentDir */
    DG_LANG_FOLDER, /* a language folder in its path (docs/en/) */
    DG_LANG_TEXT    /* the scripts of its text, else the site's language */
} dg_lang_source;

typedef struct dg_post {
    const char *path;     /* as shown in diagnostics (the path the user can open) */
    const char *relpath;  /* relative to the site root */
    const char *dir;      /* absolute, normalized folder holding the file */
    const char *slug;     /* file name without date prefix and extension */

    const char *title;       /* never NULL after dg_post_parse succeeds */
    const char *subtitle, *author, *description, *header_img; /* NULL when absent */
    const char **tags;       size_t ntags;
    const char **categories; size_t ncategories;
    bool catalog;
    bool published;          /* false: the post is left out */
    bool title_from_h1;      /* the body's first H1 became the title and was removed */
    bool has_date;
    dg_datetime date;
    int date_line;           /* source line of the date (0: from the file name) */
    dg_date_source date_source;
    int number;              /* issue number: Number: / number: in the metadata, else a
                              * numeric file-name prefix ("105-富士山下.md"); 0 = none */
    const char *lang;        /* BCP 47, normalized ("zh-CN", "en"): from the metadata at
                              * first, settled by the site (site/lang.h); never NULL in
                              * the posts of an opened site */
    dg_lang_source lang_source;
    const char *name_lang;   /* the language of a file name's suffix ("post.en.md"), or NULL */

    /* The whole file as repaired UTF-8 (BOM dropped, invalid bytes -> U+FFFD,
     * control characters dropped; line structure kept so positions match). */
    const char *text;
    size_t text_len;
    int body_line;           /* 1-based line where the Markdown body starts */

    /* cmark-gfm HTML of the body.  Raw HTML is passed through unsanitized (the
     * content stage sanitizes it); block elements carry data-sourcepos
     * "l:c-l:c" with lines counted in the whole file. */
    const char *html;
} dg_post;

/* Parses a post from memory.  PATH is used in diagnostics; RELPATH is the
 * path relative to the site root, used for the slug and the date fallback
 * from the file name; DIR is the post's absolute folder.  Returns 0 with *OUT
 * set, or -1 after reporting an error (broken front matter): the post is left
 * out.  Warnings (bad UTF-8, control characters) do not fail.  A post with
 * published: false succeeds with published == false.  Everything lives in A. */
int dg_post_parse(dg_post **out, dg_arena *a, const char *path, const char *relpath,
                  const char *dir, const char *data, size_t len, dg_diag *d);

/* Reads the file at ABSPATH and calls dg_post_parse. -1 on unreadable file
 * (reported) or parse failure. */
int dg_post_read(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                 const char *relpath, dg_diag *d);

/* Like dg_post_read, but the body's Markdown is not rendered yet (HTML stays
 * NULL until dg_post_render); the title fallback from a first H1 is settled
 * all the same.  For site scans that build a few months of many. */
int dg_post_read_lazy(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                      const char *relpath, dg_diag *d);
/* Renders P's body into P->html (in A) when that is still NULL. */
void dg_post_render(dg_post *p, dg_arena *a);

/* "YYYY-MM" of the post's date (in its own zone), into buf[8]. */
void dg_post_month(const dg_post *p, char buf[8]);

/* Front matter alone (src/site/frontmatter.c), for tests and the fuzzer:
 * parses the metadata TEXT opens with (YAML between "---" lines, TOML
 * between "+++" lines, or Pelican's "Title:" headers) into P's fields.
 * *BODY_OFF receives the byte offset where the body starts (0, or past a
 * BOM, when there is no front matter).  Returns 0, or -1 after reporting an
 * error. */
int dg_frontmatter_parse(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
                         size_t *body_off, dg_diag *d);

/* The characters of MD (LEN bytes) at which cmark-gfm's inline parser stops
 * and makes a node or a delimiter: up to about 490 bytes each (markdown.c). */
size_t dg_markdown_markers(const char *md, size_t len);
/* More than this in a post's body and the post is left out (post.c): 16 MiB
 * of "a* " took 2.3 GB in the parser, "a` " 2.7 GB; the largest post of the
 * four real archives we test on has 3,316.  Keeps a post under 200 MiB of
 * parser nodes. */
#define DG_MARKDOWN_MAX_MARKERS 400000

/* Markdown alone (src/site/markdown.c): renders MD (starting at source line
 * FIRST_LINE) to HTML.  When TAKE_H1 is true and the document's first block is
 * an H1, its text is returned in *H1 and the heading removed from the output. */
char *dg_markdown_render(dg_arena *a, const char *md, size_t len, int first_line, bool take_h1,
                         char **h1);

#endif
