/* toml.h - a strict, small TOML reader for front matter (+++) and Hugo's
 * site configuration.  Stage file: src/site/toml.c.
 *
 * Debian 12 ships no C TOML library, so this reads the subset front matter
 * uses: bare and quoted keys (dotted keys join with '.'), basic and literal
 * strings (single-line and multi-line), integers (with '_' separators, hex,
 * octal, binary), floats, booleans, offset/local date-times, dates and
 * times, arrays (of any of these, nested arrays flattened to text),
 * [table] and [[array of tables]] headers.  Inline tables are refused with a
 * clear error.  Every error is reported as path:line:col with the source
 * line.
 */
#ifndef DIGEST_TOML_H
#define DIGEST_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "digest/diag.h"
#include "base/base.h"

typedef enum dg_toml_type {
    DG_TOML_STRING, DG_TOML_INT, DG_TOML_FLOAT, DG_TOML_BOOL, DG_TOML_DATE, DG_TOML_ARRAY
} dg_toml_type;

typedef struct dg_toml_kv {
    const char *table;   /* "" at the top, else the [table] name ("a.b") */
    const char *key;     /* dotted keys joined with '.' */
    dg_toml_type type;
    const char *str;     /* the value as text: strings unescaped, dates as written,
                          * numbers and booleans as written (for any type) */
    long long i;         /* DG_TOML_INT */
    bool b;              /* DG_TOML_BOOL */
    const char **items;  /* DG_TOML_ARRAY: every item as text */
    size_t nitems;
    int line, col;       /* of the value, in the reported text */
} dg_toml_kv;

/* Parses TEXT (LEN bytes), whose first line is line LINE0 + 1 of the file
 * reported as PATH (SRC/SRCLEN: the whole file, for excerpts; may be TEXT).
 * Returns 0 with *OUT and *N set (in A), or -1 after reporting the first error
 * (*OUT and *N then hold the pairs read before it). */
int dg_toml_parse(dg_toml_kv **out, size_t *n, dg_arena *a, const char *path, const char *text,
                  size_t len, int line0, dg_diag *d);

/* Same, with an explicit excerpt source (the whole file) for diagnostics. */
int dg_toml_parse_in(dg_toml_kv **out, size_t *n, dg_arena *a, const char *path,
                     const char *text, size_t len, int line0, const char *src, size_t srclen,
                     dg_diag *d);

#endif
