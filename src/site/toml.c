/* toml.c - a strict, small TOML reader (see toml.h for the subset).
 *
 * A single forward pass over the text with a cursor; every value becomes a
 * dg_toml_kv holding its text, so callers read what they need and the rest is
 * ignored.  The only recursion is arrays inside arrays, capped at
 * TOML_MAX_DEPTH.
 */
#include <stdlib.h>
#include <string.h>

#include "site/toml.h"

/* Arrays nested deeper than this are not front matter; the cap bounds the
 * recursion of the array reader, and the flattening of nested arrays (each
 * level copies its items) to 32 copies.  Named in its error message. */
#define TOML_MAX_DEPTH 32
/* Pairs past this count are not front matter; the cap bounds the
 * duplicate-key check, which is quadratic. */
#define TOML_MAX_PAIRS 4096

typedef struct tp {
    const char *s, *end;   /* cursor, end */
    const char *text;      /* start of the text */
    const char *line_start;
    int line;              /* 1-based, in TEXT */
    int line0;
    const char *path;
    const char *src;
    size_t srclen;
    dg_arena *a;
    dg_diag *d;
    const char *table;
    dg_vec kvs;
    bool failed;
} tp;

static int col_of(const tp *t, const char *at)
{
    int col = 1;
    for (const char *c = t->line_start; c < at; c++)
        col += ((unsigned char)*c & 0xC0) != 0x80;
    return col;
}

static void fail_at(tp *t, const char *at, const char *msg, const char *arg)
{
    if (t->failed)
        return;
    t->failed = true;
    int line, col;
    dg_text_position(t->text, (size_t)(at - t->text), &line, &col);
    dg_report(t->d, DG_ERROR, t->path, t->line0 + line, col, t->src, t->srclen, "TOML: %s%s", msg,
              arg ? arg : "");
}

static bool at_end(const tp *t)
{
    return t->s >= t->end;
}

static void skip_blanks(tp *t)
{
    while (t->s < t->end && (*t->s == ' ' || *t->s == '\t'))
        t->s++;
}

static void newline(tp *t)
{
    t->s++; /* the '\n' */
    t->line++;
    t->line_start = t->s;
}

/* Blanks, comments and newlines (inside arrays). */
static void skip_space_nl(tp *t)
{
    for (;;) {
        skip_blanks(t);
        if (t->s < t->end && *t->s == '#')
            while (t->s < t->end && *t->s != '\n')
                t->s++;
        if (t->s < t->end && *t->s == '\r' && t->s + 1 < t->end && t->s[1] == '\n')
            t->s++;
        if (t->s < t->end && *t->s == '\n') {
            newline(t);
            continue;
        }
        return;
    }
}

/* After a value or header: blanks, an optional comment, then a newline or
 * the end. */
static int end_of_line(tp *t)
{
    skip_blanks(t);
    if (t->s < t->end && *t->s == '#')
        while (t->s < t->end && *t->s != '\n')
            t->s++;
    if (t->s < t->end && *t->s == '\r')
        t->s++;
    if (at_end(t))
        return 0;
    if (*t->s != '\n') {
        fail_at(t, t->s, "expected the end of the line after the value", NULL);
        return -1;
    }
    newline(t);
    return 0;
}

static bool is_bare(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}


/* A string starting at the cursor (on its opening quote).  MULTI strings
 * may span lines.  Sets *OUT to the unescaped text in the arena and returns
 * 0, or -1 after reporting. */
static int read_string(tp *t, char **out)
{
    int rc = -1;
    const char *open = t->s;
    char q = *t->s;
    bool literal = q == '\'';
    bool multi = t->end - t->s >= 3 && t->s[1] == q && t->s[2] == q;
    dg_buf b = {0};
    t->s += multi ? 3 : 1;
    if (multi) { /* a newline right after the opening quotes is trimmed */
        if (t->s < t->end && *t->s == '\r' && t->s + 1 < t->end && t->s[1] == '\n')
            t->s++;
        if (t->s < t->end && *t->s == '\n')
            newline(t);
    }
    for (;;) {
        if (at_end(t)) {
            fail_at(t, open, "string never closed", NULL);
            goto out;
        }
        char c = *t->s;
        if (c == q) {
            if (!multi) {
                t->s++;
                break;
            }
            if (t->end - t->s >= 3 && t->s[1] == q && t->s[2] == q) {
                /* up to two more quotes may belong to the content */
                size_t extra = 0;
                while (extra < 2 && t->s + 3 + extra < t->end && t->s[3 + extra] == q)
                    extra++;
                dg_buf_put(&b, t->s, extra);
                t->s += 3 + extra;
                break;
            }
            dg_buf_putc(&b, c);
            t->s++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (!multi) {
                fail_at(t, t->s, "string not closed on its line", NULL);
                goto out;
            }
            if (c == '\r') {
                t->s++;
                continue;
            }
            dg_buf_putc(&b, '\n');
            newline(t);
            continue;
        }
        if ((unsigned char)c < 0x20 && c != '\t') {
            fail_at(t, t->s, "control character in a string", NULL);
            goto out;
        }
        if (c == '\\' && !literal) {
            const char *esc = t->s;
            t->s++;
            if (at_end(t)) {
                fail_at(t, esc, "string never closed", NULL);
                goto out;
            }
            char e = *t->s;
            if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
                /* line-ending backslash: drop the newline and following blanks */
                const char *k = t->s;
                while (k < t->end && (*k == ' ' || *k == '\t' || *k == '\r'))
                    k++;
                if (k >= t->end || *k != '\n') {
                    fail_at(t, esc, "bad escape in a string", NULL);
                    goto out;
                }
                t->s = k;
                while (t->s < t->end && (*t->s == ' ' || *t->s == '\t' || *t->s == '\n' ||
                                         *t->s == '\r')) {
                    if (*t->s == '\n')
                        newline(t);
                    else
                        t->s++;
                }
                continue;
            }
            t->s++;
            switch (e) {
            case 'b': dg_buf_putc(&b, '\b'); break;
            case 't': dg_buf_putc(&b, '\t'); break;
            case 'n': dg_buf_putc(&b, '\n'); break;
            case 'f': dg_buf_putc(&b, '\f'); break;
            case 'r': dg_buf_putc(&b, '\r'); break;
            case '"': dg_buf_putc(&b, '"'); break;
            case '\\': dg_buf_putc(&b, '\\'); break;
            case 'u':
            case 'U': {
                int nd = e == 'u' ? 4 : 8;
                unsigned long cp = 0;
                for (int k = 0; k < nd; k++) {
                    int h = t->s + k < t->end ? dg_hexval(t->s[k]) : -1;
                    if (h < 0) {
                        fail_at(t, esc, "bad \\u escape (expected hex digits)", NULL);
                        goto out;
                    }
                    cp = cp * 16 + (unsigned long)h;
                }
                t->s += nd;
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    fail_at(t, esc, "\\u escape is not a Unicode scalar value", NULL);
                    goto out;
                }
                char u[4];
                dg_buf_put(&b, u, (size_t)dg_utf8_encode((uint32_t)cp, u));
                break;
            }
            default:
                fail_at(t, esc, "bad escape in a string", NULL);
                goto out;
            }
            continue;
        }
        dg_buf_putc(&b, c);
        t->s++;
    }
    if (!b.data)
        dg_buf_puts(&b, "");
    *out = dg_buf_to_arena(&b, t->a);
    rc = 0;
out:
    dg_buf_free(&b);
    return rc;
}

/* A key: bare or quoted parts joined by '.', into *OUT.  Returns 0, or -1
 * after reporting. */
static int read_key(tp *t, char **out)
{
    dg_buf b = {0};
    int rc = -1;
    for (;;) {
        skip_blanks(t);
        if (at_end(t)) {
            fail_at(t, t->s, "expected a key", NULL);
            goto out;
        }
        if (*t->s == '"' || *t->s == '\'') {
            if (t->end - t->s >= 3 && t->s[1] == *t->s && t->s[2] == *t->s) {
                fail_at(t, t->s, "a key cannot be a multi-line string", NULL);
                goto out;
            }
            char *k;
            if (read_string(t, &k) != 0)
                goto out;
            dg_buf_puts(&b, k);
        } else if (is_bare(*t->s)) {
            const char *k = t->s;
            while (t->s < t->end && is_bare(*t->s))
                t->s++;
            dg_buf_put(&b, k, (size_t)(t->s - k));
        } else {
            fail_at(t, t->s, "expected a key (letters, digits, '-', '_' or a quoted string)",
                    NULL);
            goto out;
        }
        skip_blanks(t);
        if (t->s < t->end && *t->s == '.') {
            t->s++;
            dg_buf_putc(&b, '.');
            continue;
        }
        break;
    }
    *out = dg_buf_to_arena(&b, t->a);
    rc = 0;
out:
    dg_buf_free(&b);
    return rc;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* Integers: [+-]digits with single '_' between digits (no leading zeros),
 * or 0x / 0o / 0b. */
static bool parse_int(const char *s, long long *v)
{
    int base = 10, sign = 1;
    const char *p = s;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
    } else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
        base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
        p += 2;
    }
    if (base == 10 && p[0] == '0' && p[1])
        return false;
    unsigned long long x = 0;
    bool digit = false;
    for (; *p; p++) {
        if (*p == '_') {
            if (!digit || !p[1] || p[1] == '_')
                return false;
            continue;
        }
        int h = dg_hexval(*p);
        if (h < 0 || h >= base)
            return false;
        if (x > (unsigned long long)(9223372036854775807LL) / (unsigned)base)
            return false;
        x = x * (unsigned)base + (unsigned)h;
        digit = true;
    }
    if (!digit || x > 9223372036854775807ULL)
        return false;
    *v = sign * (long long)x;
    return true;
}

static bool parse_float(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!strcmp(p, "inf") || !strcmp(p, "nan"))
        return true;
    bool dig = false, dot = false, exp = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            dig = true;
        else if (*p == '_' && dig && p[1] >= '0' && p[1] <= '9')
            ;
        else if (*p == '.' && !dot && !exp && dig && p[1] >= '0' && p[1] <= '9')
            dot = true;
        else if ((*p == 'e' || *p == 'E') && !exp && dig) {
            exp = true;
            dig = false;
            if (p[1] == '+' || p[1] == '-')
                p++;
        } else
            return false;
    }
    return dig && (dot || exp);
}

/* Dates and times: 1979-05-27, 1979-05-27T07:32:00Z, 1979-05-27 07:32:00-07:00,
 * 07:32:00 (the calendar itself is checked by dg_date_parse's callers). */
static bool looks_date(const char *s)
{
    size_t n = strlen(s);
    if (n >= 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
        all_digits(s + 8, 2))
        return true;
    return n >= 8 && all_digits(s, 2) && s[2] == ':' && all_digits(s + 3, 2) && s[5] == ':';
}

static bool is_token(char c)
{
    return is_bare(c) || c == ':' || c == '+' || c == '.';
}

static int read_value(tp *t, dg_toml_kv *kv, int depth);

/* An array at the cursor (on its '['), into KV: its items as text, nested
 * arrays flattened.  DEPTH: arrays being read around it. */
static int read_array(tp *t, dg_toml_kv *kv, int depth)
{
    const char *open = t->s;
    dg_vec items = {0};
    int rc = -1;
    if (depth >= TOML_MAX_DEPTH) {
        fail_at(t, t->s, "arrays nested too deeply (more than 32 levels)", NULL);
        goto out;
    }
    t->s++;
    for (;;) {
        skip_space_nl(t);
        if (at_end(t)) {
            fail_at(t, open, "array never closed (no ']')", NULL);
            goto out;
        }
        if (*t->s == ']') {
            t->s++;
            break;
        }
        dg_toml_kv item = {0};
        if (read_value(t, &item, depth + 1) != 0)
            goto out;
        if (item.type == DG_TOML_ARRAY)
            for (size_t i = 0; i < item.nitems; i++)
                dg_vec_push(&items, (void *)item.items[i]);
        else
            dg_vec_push(&items, (void *)item.str);
        skip_space_nl(t);
        if (t->s < t->end && *t->s == ',') {
            t->s++;
            continue;
        }
        if (t->s < t->end && *t->s == ']') {
            t->s++;
            break;
        }
        fail_at(t, t->s, "expected ',' or ']' in the array", NULL);
        goto out;
    }
    kv->type = DG_TOML_ARRAY;
    kv->nitems = items.len;
    kv->items = dg_allocn(t->a, items.len ? items.len : 1, sizeof *kv->items);
    for (size_t i = 0; i < items.len; i++)
        kv->items[i] = items.items[i];
    kv->str = items.len ? kv->items[0] : "";
    rc = 0;
out:
    dg_vec_free(&items);
    return rc;
}

/* A value at the cursor, into KV.  DEPTH: arrays being read around it. */
static int read_value(tp *t, dg_toml_kv *kv, int depth)
{
    kv->line = t->line0 + t->line;
    kv->col = col_of(t, t->s);
    if (at_end(t) || *t->s == '\n' || *t->s == '\r' || *t->s == '#') {
        fail_at(t, t->s, "expected a value after '='", NULL);
        return -1;
    }
    char c = *t->s;
    if (c == '"' || c == '\'') {
        char *str;
        kv->type = DG_TOML_STRING;
        if (read_string(t, &str) != 0)
            return -1;
        kv->str = str;
        return 0;
    }
    if (c == '{') {
        fail_at(t, t->s, "inline tables ({ ... }) are not supported in front matter; "
                         "use a [table] section", NULL);
        return -1;
    }
    if (c == '[')
        return read_array(t, kv, depth);
    const char *tok = t->s;
    while (t->s < t->end && is_token(*t->s))
        t->s++;
    /* a date and a time separated by one blank: 1979-05-27 07:32:00 */
    if (t->s - tok == 10 && t->s + 2 < t->end && *t->s == ' ' && t->s[1] >= '0' &&
        t->s[1] <= '9' && t->s[2] >= '0' && t->s[2] <= '9' && tok[4] == '-') {
        t->s++;
        while (t->s < t->end && is_token(*t->s))
            t->s++;
    }
    char *v = dg_strndup(t->a, tok, (size_t)(t->s - tok));
    kv->str = v;
    if (!*v) {
        fail_at(t, tok, "expected a value (a \"string\" in quotes, number, true/false, date "
                         "or [array])", NULL);
        return -1;
    }
    if (!strcmp(v, "true") || !strcmp(v, "false")) {
        kv->type = DG_TOML_BOOL;
        kv->b = v[0] == 't';
    } else if (looks_date(v)) {
        kv->type = DG_TOML_DATE;
    } else if (parse_int(v, &kv->i)) {
        kv->type = DG_TOML_INT;
    } else if (parse_float(v)) {
        kv->type = DG_TOML_FLOAT;
    } else {
        t->s = tok;
        fail_at(t, tok, "not a TOML value: ", v);
        if (v[0] != '"')
            dg_report(t->d, DG_NOTE, t->path, kv->line, kv->col, NULL, 0,
                      "text must be quoted: key = \"%s\"", v);
        return -1;
    }
    return 0;
}

static bool duplicate(const tp *t, const char *table, const char *key)
{
    for (size_t i = 0; i < t->kvs.len; i++) {
        const dg_toml_kv *k = t->kvs.items[i];
        if (!strcmp(k->table, table) && !strcmp(k->key, key))
            return true;
    }
    return false;
}

int dg_toml_parse_in(dg_toml_kv **out, size_t *n, dg_arena *a, const char *path,
                     const char *text, size_t len, int line0, const char *src, size_t srclen,
                     dg_diag *d)
{
    tp t = {0};
    t.s = t.text = t.line_start = text;
    t.end = text + len;
    t.line = 1;
    t.line0 = line0;
    t.path = path;
    t.src = src;
    t.srclen = srclen;
    t.a = a;
    t.d = d;
    t.table = "";
    t.s += dg_utf8_bom_len(t.s, len);
    while (!t.failed) {
        skip_space_nl(&t);
        if (at_end(&t))
            break;
        if (*t.s == '[') {
            bool arr = t.s + 1 < t.end && t.s[1] == '[';
            t.s += arr ? 2 : 1;
            char *name;
            if (read_key(&t, &name) != 0)
                break;
            if (t.s >= t.end || *t.s != ']' || (arr && (t.s + 1 >= t.end || t.s[1] != ']'))) {
                fail_at(&t, t.s, arr ? "expected ']]' after the table name"
                                     : "expected ']' after the table name", NULL);
                break;
            }
            t.s += arr ? 2 : 1;
            t.table = name;
            if (end_of_line(&t) != 0)
                break;
            continue;
        }
        const char *kstart = t.s;
        char *key;
        if (read_key(&t, &key) != 0)
            break;
        skip_blanks(&t);
        if (at_end(&t) || *t.s != '=') {
            fail_at(&t, t.s, "expected '=' after the key", NULL);
            break;
        }
        t.s++;
        skip_blanks(&t);
        if (duplicate(&t, t.table, key)) {
            fail_at(&t, kstart, "key defined twice: ", key);
            break;
        }
        if (t.kvs.len >= TOML_MAX_PAIRS) {
            fail_at(&t, kstart, "too many keys", NULL);
            break;
        }
        dg_toml_kv *kv = dg_alloc(a, sizeof *kv);
        kv->table = t.table;
        kv->key = key;
        if (read_value(&t, kv, 0) != 0)
            break;
        dg_vec_push(&t.kvs, kv);
        if (end_of_line(&t) != 0)
            break;
    }
    *n = t.kvs.len;
    *out = dg_allocn(a, t.kvs.len ? t.kvs.len : 1, sizeof **out);
    for (size_t i = 0; i < t.kvs.len; i++)
        (*out)[i] = *(dg_toml_kv *)t.kvs.items[i];
    dg_vec_free(&t.kvs);
    return t.failed ? -1 : 0;
}

int dg_toml_parse(dg_toml_kv **out, size_t *n, dg_arena *a, const char *path, const char *text,
                  size_t len, int line0, dg_diag *d)
{
    return dg_toml_parse_in(out, n, a, path, text, len, line0, text, len, d);
}
