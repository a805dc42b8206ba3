/* frontmatter.h - what the readers of a post's metadata share: the fences,
 * the context for reports, word lists, issue numbers and the key names.
 * Private to src/site: frontmatter.c (the dispatch and the shared rules),
 * frontmatter_yaml.c ("---" YAML through libyaml), frontmatter_toml.c ("+++"
 * TOML) and frontmatter_pelican.c ("Title:" headers).  The public entry is
 * dg_frontmatter_parse in post.h.
 */
#ifndef DIGEST_SITE_FRONTMATTER_H
#define DIGEST_SITE_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "digest/diag.h"
#include "site/post.h"
#include "base/base.h"

/* A front matter past this size is not the header of a post (the largest
 * seen in real sites is a few KiB); the cap keeps libyaml's document (one
 * node per scalar) and its time small on hostile input, in a post that may
 * itself be 16 MiB.  Nesting has its own cap: DG_YAML_MAX_DEPTH. */
#define FM_MAX_KIB 256
#define FM_MAX_BYTES (FM_MAX_KIB * 1024)
/* Tags and categories past this count are dropped: no chapter head shows more. */
#define FM_MAX_LIST 256

struct yaml_document_s;

typedef struct fm_ctx {
    dg_post *p;
    dg_arena *a;
    const char *path;
    const char *text;  /* the whole file, for excerpts */
    size_t len;
    int line0;         /* file line of the metadata's first line, minus one */
    dg_diag *d;
    struct yaml_document_s *doc; /* YAML front matter only */
} fm_ctx;

/* Key names are matched case-insensitively, with the aliases other site
 * generators use (Hugo, Hexo, Astro, Pelican). */
typedef enum fm_key {
    K_NONE, K_TITLE, K_SUBTITLE, K_DESCRIPTION, K_HEADER_IMG, K_AUTHOR, K_DATE, K_CATALOG,
    K_PUBLISHED, K_DRAFT, K_TAGS, K_KEYWORDS, K_CATEGORIES, K_NUMBER, K_LANG
} fm_key;

/* The kind of the metadata key K (K_NONE: a key nobody reads). */
fm_key fm_key_kind(const char *k);
/* True when the line at S (up to END) is MARK followed only by blanks. */
bool fm_is_fence(const char *s, const char *end, const char *mark);
/* The end of the line at S: its '\n', or END. */
const char *fm_line_end(const char *s, const char *end);
/* Splits S at commas (ASCII, full-width and the ideographic enumeration
 * comma) and, when AT_BLANKS, at blanks, pushing the words (in A) to VEC;
 * at most FM_MAX_LIST in all. */
void fm_split_words(dg_arena *a, const char *s, dg_vec *vec, bool at_blanks);
/* A metadata block between fence lines: its text [START, STOP), AFTER where
 * the body begins, LINE the file line of the opening fence. */
typedef struct fm_block {
    const char *start, *stop, *after;
    int line;
} fm_block;
/* Finds the block that opens with the fence line FENCE at S in TEXT and
 * closes at the next line that is FENCE (or ALT_CLOSE, when not NULL).
 * Returns 0, or -1 after reporting a block never closed or too large. */
int fm_find_block(fm_block *b, const char *path, const char *text, size_t len, const char *s,
                  const char *fence, const char *alt_close, dg_diag *d);
/* The words of V as an array in A (*N of them); V is emptied. */
const char **fm_list(dg_arena *a, dg_vec *v, size_t *n);
/* Several authors as one: NAMES joined with ", "; NULL when N is 0. */
const char *fm_join(dg_arena *a, const char *const *names, size_t n);
/* The post's language from metadata value V (at LINE:COL of TEXT): P->lang
 * normalized (site/lang.h); a value that is no language tag is a warning,
 * and the language is then found as if the metadata had none. */
void fm_lang(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len, int line,
             int col, const char *v, dg_diag *d);
/* An issue number: digits, maybe after '#' or "No." ("No. 105", "#105"); 0
 * when V is not one. */
int fm_number(const char *v);

/* The three readers.  S is where the metadata starts in TEXT (after a BOM);
 * each sets *BODY_OFF and returns 0, or -1 after reporting an error. */
int fm_yaml(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
            const char *s, size_t *body_off, dg_diag *d);
int fm_toml(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
            const char *s, size_t *body_off, dg_diag *d);
int fm_pelican(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
               const char *s, size_t *body_off, dg_diag *d);

#endif
