/* frontmatter.c - YAML front matter (through libyaml's document API) and dates.
 *
 * The front matter is the text between a first line "---" and the next line
 * "---" or "...".  libyaml sees only that text, so its marks are shifted by
 * the opening line when reported.  Only the top-level mapping is read; values
 * of unknown keys are kept in the YAML document and ignored.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "site/post.h"
#include "site/toml.h"

/* A front matter past this size is not the header of a weekly post; the cap
 * keeps libyaml's document (one node per scalar) small on hostile input. */
#define FM_MAX_BYTES (1024 * 1024)
/* Tags and categories past this count are dropped: no chapter head shows more. */
#define FM_MAX_LIST 256

/* ---- dates ---------------------------------------------------------------- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads 1..MAXD digits; returns how many were read (0: none). */
static int read_num(const char *s, int maxd, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && s[n] >= '0' && s[n] <= '9') {
        x = x * 10 + (s[n] - '0');
        n++;
    }
    if (n > 0 && s[n] >= '0' && s[n] <= '9')
        return 0; /* too many digits */
    *v = x;
    return n;
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int dg_date_parse(const char *s, dg_datetime *out)
{
    if (!s)
        return -1;
    dg_datetime dt = {0};
    s = skip_ws(s);
    int n = read_num(s, 4, &dt.year);
    if (n != 4)
        return -1;
    s += n;
    char sep = *s;
    if (sep != '-' && sep != '/' && sep != '.')
        return -1;
    s++;
    if (!(n = read_num(s, 2, &dt.month)))
        return -1;
    s += n;
    if (*s != sep)
        return -1;
    s++;
    if (!(n = read_num(s, 2, &dt.day)))
        return -1;
    s += n;
    if (dt.year < 1 || dt.month < 1 || dt.month > 12 || dt.day < 1 ||
        dt.day > days_in_month(dt.year, dt.month))
        return -1;

    /* Optional time: 'T' or blanks, then HH:MM[:SS[.fraction]]. */
    const char *t = s;
    if (*t == 'T' || *t == 't')
        t++;
    else
        t = skip_ws(t);
    if (t != s && *t >= '0' && *t <= '9') {
        if (!(n = read_num(t, 2, &dt.hour)) || t[n] != ':')
            return -1;
        t += n + 1;
        if (!(n = read_num(t, 2, &dt.min)) || n != 2)
            return -1;
        t += n;
        if (*t == ':') {
            t++;
            if (!(n = read_num(t, 2, &dt.sec)) || n != 2)
                return -1;
            t += n;
            if (*t == '.' || *t == ',') {
                t++;
                if (!(*t >= '0' && *t <= '9'))
                    return -1;
                while (*t >= '0' && *t <= '9')
                    t++;
            }
        }
        if (dt.hour > 23 || dt.min > 59 || dt.sec > 60)
            return -1;
        dt.has_time = true;
        s = t;
        /* Optional zone: Z, +HH:MM, +HHMM, +HH (blanks before it allowed). */
        t = skip_ws(s);
        if (*t == 'Z' || *t == 'z') {
            dt.has_zone = true;
            s = t + 1;
        } else if (*t == '+' || *t == '-') {
            int sign = *t == '-' ? -1 : 1, zh = 0, zm = 0;
            t++;
            n = read_num(t, 4, &zh);
            if (n == 4) {
                zm = zh % 100;
                zh /= 100;
            } else if (n == 2 || n == 1) {
                t += n;
                if (*t == ':') {
                    t++;
                    if (read_num(t, 2, &zm) != 2)
                        return -1;
                    n = 2;
                } else {
                    n = 0;
                }
            } else {
                return -1;
            }
            t += n;
            if (zh > 18 || zm > 59)
                return -1;
            dt.has_zone = true;
            dt.tz_min = sign * (zh * 60 + zm);
            s = t;
        }
    }
    s = skip_ws(s);
    while (*s == '\r' || *s == '\n' || *s == ' ' || *s == '\t')
        s++;
    if (*s)
        return -1;
    *out = dt;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long long dg_datetime_epoch(const dg_datetime *dt)
{
    long long t = days_from_civil(dt->year, dt->month, dt->day) * 86400LL + dt->hour * 3600LL +
                  dt->min * 60LL + dt->sec;
    if (dt->has_zone)
        t -= dt->tz_min * 60LL;
    return t;
}

static int cmp_int(long long a, long long b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

int dg_datetime_cmp(const dg_datetime *a, const dg_datetime *b)
{
    if (a->has_zone && b->has_zone)
        return cmp_int(dg_datetime_epoch(a), dg_datetime_epoch(b));
    int c;
    if ((c = cmp_int(a->year, b->year)) || (c = cmp_int(a->month, b->month)) ||
        (c = cmp_int(a->day, b->day)) || (c = cmp_int(a->hour, b->hour)) ||
        (c = cmp_int(a->min, b->min)) || (c = cmp_int(a->sec, b->sec)))
        return c;
    return 0;
}

/* ---- front matter ---------------------------------------------------------- */

/* True when the line at S (up to END) is MARK followed only by blanks. */
static bool is_fence(const char *s, const char *end, const char *mark)
{
    size_t ml = strlen(mark);
    if ((size_t)(end - s) < ml || memcmp(s, mark, ml) != 0)
        return false;
    for (s += ml; s < end && *s != '\n'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

static const char *line_end(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    return nl ? nl : end;
}

typedef struct fm_ctx {
    dg_post *p;
    dg_arena *a;
    const char *path;
    const char *text;  /* the whole file, for excerpts */
    size_t len;
    int line0;         /* file line of the YAML's first line, minus one */
    dg_diag *d;
    yaml_document_t *doc;
} fm_ctx;

static void fm_error(fm_ctx *c, const yaml_node_t *n, const char *fmt, const char *key)
{
    int line = n ? (int)n->start_mark.line + c->line0 + 1 : 0;
    int col = n ? (int)n->start_mark.column + 1 : 0;
    dg_report(c->d, DG_ERROR, c->path, line, col, c->text, c->len, fmt, key);
}

/* A plain scalar that YAML reads as null: "", "~", "null". */
static bool is_null(const yaml_node_t *n)
{
    if (!n || n->type == YAML_NO_NODE)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static const char *scalar_dup(fm_ctx *c, const yaml_node_t *n)
{
    return dg_strndup(c->a, (const char *)n->data.scalar.value, n->data.scalar.length);
}

/* A string value: a scalar; NULL (ok) for null; -1 for a mapping or sequence. */
static int get_string(fm_ctx *c, const char *key, const yaml_node_t *n, const char **out)
{
    if (is_null(n)) {
        *out = NULL;
        return 0;
    }
    if (n->type != YAML_SCALAR_NODE) {
        fm_error(c, n, "'%s' must be text, not a list or mapping; post left out", key);
        return -1;
    }
    *out = scalar_dup(c, n);
    return 0;
}

static int get_bool(fm_ctx *c, const char *key, const yaml_node_t *n, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    if (is_null(n))
        return 0;
    if (n->type == YAML_SCALAR_NODE) {
        const char *v = (const char *)n->data.scalar.value;
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (!strcmp(v, yes[i])) {
                *out = true;
                return 0;
            }
            if (!strcmp(v, no[i])) {
                *out = false;
                return 0;
            }
        }
    }
    fm_error(c, n, "'%s' must be true or false; post left out", key);
    return -1;
}

/* Splits a scalar at commas (ASCII, full-width and the ideographic
 * enumeration comma) and, when AT_BLANKS, at blanks, into VEC. */
static void split_words(fm_ctx *c, const char *s, dg_vec *vec, bool at_blanks)
{
    while (*s && vec->len < FM_MAX_LIST) {
        size_t sep = 0;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == ',' || *s == '\n' || *s == '\r')
            sep = 1;
        else if (!strncmp(s, "\xEF\xBC\x8C", 3) || !strncmp(s, "\xE3\x80\x81", 3)) /* ， 、 */
            sep = 3;
        if (sep) {
            s += sep;
            continue;
        }
        const char *w = s;
        while (*s && (!at_blanks || (*s != ' ' && *s != '\t')) && *s != ',' && *s != '\n' &&
               *s != '\r' && strncmp(s, "\xEF\xBC\x8C", 3) && strncmp(s, "\xE3\x80\x81", 3))
            s++;
        const char *we = s;
        while (we > w && (we[-1] == ' ' || we[-1] == '\t'))
            we--;
        if (we > w)
            dg_vec_push(vec, dg_strndup(c->a, w, (size_t)(we - w)));
    }
}

/* A list: a sequence of scalars, or one scalar of words. */
static int get_list(fm_ctx *c, const char *key, const yaml_node_t *n, const char ***out,
                    size_t *nout)
{
    dg_vec v = {0};
    int rc = -1;
    if (is_null(n)) {
        rc = 0;
        goto out;
    }
    if (n->type == YAML_SCALAR_NODE) {
        split_words(c, (const char *)n->data.scalar.value, &v, true);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top && v.len < FM_MAX_LIST; it++) {
            yaml_node_t *item = yaml_document_get_node(c->doc, *it);
            if (is_null(item))
                continue;
            if (item->type != YAML_SCALAR_NODE) {
                fm_error(c, item, "items of '%s' must be text; post left out", key);
                goto out;
            }
            if (item->data.scalar.length)
                dg_vec_push(&v, (void *)scalar_dup(c, item));
        }
    } else {
        fm_error(c, n, "'%s' must be a list or text, not a mapping; post left out", key);
        goto out;
    }
    rc = 0;
out:
    if (rc == 0) {
        const char **arr = dg_allocn(c->a, v.len ? v.len : 1, sizeof *arr);
        for (size_t i = 0; i < v.len; i++)
            arr[i] = v.items[i];
        *out = arr;
        *nout = v.len;
    }
    dg_vec_free(&v);
    return rc;
}

/* author may be text, a list of names (joined with ", ") or a mapping with a name. */
static int get_author(fm_ctx *c, const yaml_node_t *n)
{
    if (n->type == YAML_SEQUENCE_NODE) {
        const char **names;
        size_t nn;
        if (get_list(c, "author", n, &names, &nn) != 0)
            return -1;
        dg_buf b = {0};
        for (size_t i = 0; i < nn; i++) {
            if (i)
                dg_buf_puts(&b, ", ");
            dg_buf_puts(&b, names[i]);
        }
        c->p->author = b.data ? dg_buf_to_arena(&b, c->a) : NULL;
        return 0;
    }
    if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
            if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, "name"))
                return get_string(c, "author.name", yaml_document_get_node(c->doc, pr->value),
                                  &c->p->author);
        }
        fm_error(c, n, "'%s' is a mapping without a name; post left out", "author");
        return -1;
    }
    return get_string(c, "author", n, &c->p->author);
}

static int get_date(fm_ctx *c, const yaml_node_t *n)
{
    if (is_null(n))
        return 0;
    if (n->type != YAML_SCALAR_NODE) {
        fm_error(c, n, "'%s' must be a date, not a list or mapping; post left out", "date");
        return -1;
    }
    dg_datetime dt;
    if (dg_date_parse((const char *)n->data.scalar.value, &dt) != 0) {
        fm_error(c, n,
                 "'%s' is not a date (use 2025-03-02, 2025-03-02 10:00:00 +0800 or "
                 "2025/03/02); post left out",
                 (const char *)n->data.scalar.value);
        return -1;
    }
    c->p->date = dt;
    c->p->has_date = true;
    c->p->date_source = DG_DATE_META;
    c->p->date_line = (int)n->start_mark.line + c->line0 + 1;
    return 0;
}

/* An issue number: digits, maybe after '#' or "No." ("No. 105", "#105"). */
static int parse_number(const char *v)
{
    while (*v == ' ' || *v == '#')
        v++;
    if (!strncasecmp(v, "No.", 3))
        v += 3;
    while (*v == ' ')
        v++;
    long n = 0;
    int digits = 0;
    for (; *v >= '0' && *v <= '9' && digits < 9; v++, digits++)
        n = n * 10 + (*v - '0');
    while (*v == ' ')
        v++;
    return digits && !*v ? (int)n : 0;
}

/* Key names are matched case-insensitively, with the aliases other site
 * generators use (Hugo, Hexo, Astro, Pelican). */
typedef enum {
    K_NONE, K_TITLE, K_SUBTITLE, K_DESCRIPTION, K_HEADER_IMG, K_AUTHOR, K_DATE, K_CATALOG,
    K_PUBLISHED, K_DRAFT, K_TAGS, K_KEYWORDS, K_CATEGORIES, K_NUMBER
} fm_key;

static fm_key key_kind(const char *k)
{
    static const struct {
        const char *name;
        fm_key kind;
    } keys[] = {
        {"title", K_TITLE},         {"subtitle", K_SUBTITLE},     {"description", K_DESCRIPTION},
        {"summary", K_DESCRIPTION}, {"excerpt", K_DESCRIPTION},   {"header-img", K_HEADER_IMG},
        {"header_img", K_HEADER_IMG}, {"author", K_AUTHOR},       {"authors", K_AUTHOR},
        {"date", K_DATE},           {"pubdate", K_DATE},          {"pub_date", K_DATE},
        {"publishdate", K_DATE},    {"created", K_DATE},          {"catalog", K_CATALOG},
        {"published", K_PUBLISHED}, {"draft", K_DRAFT},           {"tags", K_TAGS},
        {"tag", K_TAGS},            {"keywords", K_KEYWORDS},     {"categories", K_CATEGORIES},
        {"category", K_CATEGORIES}, {"number", K_NUMBER},         {"issue", K_NUMBER},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcasecmp(k, keys[i].name))
            return keys[i].kind;
    return K_NONE;
}

static int apply_key(fm_ctx *c, const char *key, const yaml_node_t *v)
{
    dg_post *p = c->p;
    switch (key_kind(key)) {
    case K_TITLE: return get_string(c, key, v, &p->title);
    case K_SUBTITLE: return get_string(c, key, v, &p->subtitle);
    case K_DESCRIPTION:
        return p->description && strcasecmp(key, "description") ? 0
                                                                 : get_string(c, key, v, &p->description);
    case K_HEADER_IMG: return get_string(c, key, v, &p->header_img);
    case K_AUTHOR: return is_null(v) ? 0 : get_author(c, v);
    case K_DATE:
        /* the first date key wins: date before pubDate before created */
        return p->has_date && p->date_source == DG_DATE_META && strcasecmp(key, "date")
                   ? 0
                   : get_date(c, v);
    case K_CATALOG: return get_bool(c, key, v, &p->catalog);
    case K_PUBLISHED: {
        /* Astro's and others' "published: 2024-05-01" is a date */
        dg_datetime dt;
        if (v && v->type == YAML_SCALAR_NODE &&
            dg_date_parse((const char *)v->data.scalar.value, &dt) == 0)
            return p->has_date ? 0 : get_date(c, v);
        return get_bool(c, key, v, &p->published);
    }
    case K_DRAFT: {
        bool draft = false;
        if (get_bool(c, key, v, &draft) != 0)
            return -1;
        if (draft)
            p->published = false;
        return 0;
    }
    case K_TAGS: return get_list(c, key, v, &p->tags, &p->ntags);
    case K_KEYWORDS: return p->ntags ? 0 : get_list(c, key, v, &p->tags, &p->ntags);
    case K_CATEGORIES: return get_list(c, key, v, &p->categories, &p->ncategories);
    case K_NUMBER:
        if (v && v->type == YAML_SCALAR_NODE)
            p->number = parse_number((const char *)v->data.scalar.value);
        return 0;
    case K_NONE: break;
    }
    return 0; /* other keys: kept in the YAML, ignored */
}

/* ---- TOML front matter (+++) ---------------------------------------------------- */

static void toml_error(fm_ctx *c, const dg_toml_kv *kv, const char *fmt, const char *arg)
{
    dg_report(c->d, DG_ERROR, c->path, kv->line, kv->col, c->text, c->len, fmt, arg);
}

static const char **toml_list(fm_ctx *c, const dg_toml_kv *kv, size_t *n)
{
    if (kv->type == DG_TOML_ARRAY) {
        size_t k = kv->nitems < FM_MAX_LIST ? kv->nitems : FM_MAX_LIST;
        *n = k;
        return kv->items;
    }
    dg_vec v = {0};
    split_words(c, kv->str, &v, true);
    const char **arr = dg_allocn(c->a, v.len ? v.len : 1, sizeof *arr);
    for (size_t i = 0; i < v.len; i++)
        arr[i] = v.items[i];
    *n = v.len;
    dg_vec_free(&v);
    return arr;
}

static int toml_apply(fm_ctx *c, const dg_toml_kv *kv)
{
    dg_post *p = c->p;
    fm_key k = kv->table && *kv->table ? K_NONE : key_kind(kv->key);
    bool text = kv->type == DG_TOML_STRING;
    const char *name = kv->key;
    switch (k) {
    case K_TITLE:
    case K_SUBTITLE:
    case K_DESCRIPTION:
    case K_HEADER_IMG:
    case K_AUTHOR: {
        const char *val = kv->str;
        if (k == K_AUTHOR && kv->type == DG_TOML_ARRAY) {
            dg_buf b = {0};
            for (size_t i = 0; i < kv->nitems; i++) {
                if (i)
                    dg_buf_puts(&b, ", ");
                dg_buf_puts(&b, kv->items[i]);
            }
            val = b.data ? dg_buf_to_arena(&b, c->a) : NULL;
        } else if (!text) {
            toml_error(c, kv, "'%s' must be a \"string\"; post left out", name);
            return -1;
        }
        const char **dst = k == K_TITLE ? &p->title : k == K_SUBTITLE ? &p->subtitle
                           : k == K_DESCRIPTION ? &p->description : k == K_HEADER_IMG
                               ? &p->header_img : &p->author;
        if (k == K_DESCRIPTION && p->description && strcasecmp(name, "description"))
            return 0;
        *dst = val && *val ? val : NULL;
        return 0;
    }
    case K_DATE: {
        if (p->has_date && strcasecmp(name, "date"))
            return 0;
        dg_datetime dt;
        if ((kv->type != DG_TOML_DATE && kv->type != DG_TOML_STRING) ||
            dg_date_parse(kv->str, &dt) != 0) {
            toml_error(c, kv,
                       "'%s' is not a date (use 2025-03-02 or 2025-03-02T10:00:00+08:00); "
                       "post left out", kv->str);
            return -1;
        }
        p->date = dt;
        p->has_date = true;
        p->date_source = DG_DATE_META;
        p->date_line = kv->line;
        return 0;
    }
    case K_PUBLISHED:
    case K_DRAFT:
    case K_CATALOG: {
        if (k == K_PUBLISHED && kv->type == DG_TOML_DATE) {
            dg_datetime dt;
            if (!p->has_date && dg_date_parse(kv->str, &dt) == 0) {
                p->date = dt;
                p->has_date = true;
                p->date_source = DG_DATE_META;
                p->date_line = kv->line;
            }
            return 0;
        }
        if (kv->type != DG_TOML_BOOL) {
            toml_error(c, kv, "'%s' must be true or false; post left out", name);
            return -1;
        }
        if (k == K_PUBLISHED)
            p->published = kv->b;
        else if (k == K_DRAFT)
            p->published = p->published && !kv->b;
        else
            p->catalog = kv->b;
        return 0;
    }
    case K_TAGS:
    case K_KEYWORDS:
    case K_CATEGORIES:
        if (kv->type != DG_TOML_ARRAY && !text) {
            toml_error(c, kv, "'%s' must be an array of strings or a string; post left out",
                       name);
            return -1;
        }
        if (k == K_CATEGORIES)
            p->categories = toml_list(c, kv, &p->ncategories);
        else if (k == K_TAGS || !p->ntags)
            p->tags = toml_list(c, kv, &p->ntags);
        return 0;
    case K_NUMBER:
        p->number = kv->type == DG_TOML_INT && kv->i > 0 && kv->i < 1000000000 ? (int)kv->i
                                                                               : parse_number(kv->str);
        return 0;
    case K_NONE: break;
    }
    return 0;
}

/* Front matter between "+++" lines (Hugo, Zola). */
static int toml_frontmatter(dg_post *p, dg_arena *a, const char *path, const char *text,
                            size_t len, const char *s, size_t *body_off, dg_diag *d)
{
    const char *end = text + len;
    const char *le = line_end(s, end);
    int opening_lines = 1;
    for (const char *q = text; q < s; q++)
        opening_lines += *q == '\n';
    const char *start = le < end ? le + 1 : end, *stop = NULL, *after = NULL;
    for (const char *q = start; q < end;) {
        const char *qe = line_end(q, end);
        if (is_fence(q, end, "+++")) {
            stop = q;
            after = qe < end ? qe + 1 : end;
            break;
        }
        q = qe < end ? qe + 1 : end;
    }
    if (!stop) {
        dg_report(d, DG_ERROR, path, opening_lines, 1, text, len,
                  "front matter opened with '+++' is never closed (no second '+++' line); "
                  "post left out");
        return -1;
    }
    if ((size_t)(stop - start) > FM_MAX_BYTES) {
        dg_report(d, DG_ERROR, path, opening_lines, 1, text, len,
                  "front matter is larger than %d bytes; post left out", FM_MAX_BYTES);
        return -1;
    }
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    if (dg_toml_parse_in(&kv, &n, a, path, start, (size_t)(stop - start), opening_lines, text,
                         len, d) != 0)
        return -1;
    fm_ctx c = {p, a, path, text, len, opening_lines, d, NULL};
    for (size_t i = 0; i < n; i++)
        if (toml_apply(&c, &kv[i]) != 0)
            return -1;
    *body_off = (size_t)(after - text);
    return 0;
}

/* ---- Pelican-style headers ---------------------------------------------------
 *
 * "Title: ...", "Date: ..." lines at the very top, ending at the first blank
 * line (Python-Markdown's meta extension, as Pelican reads it).  Recognised
 * only when the first line is Title: or Date:, so an ordinary first line such
 * as "Note: ..." is never taken for metadata. */

/* Length of the key when LINE is "Key: value" (key of letters, digits, - _). */
static size_t header_key(const char *line, const char *end)
{
    size_t n = 0;
    while (line + n < end && ((line[n] >= 'A' && line[n] <= 'Z') || (line[n] >= 'a' && line[n] <= 'z') ||
                              (n > 0 && ((line[n] >= '0' && line[n] <= '9') || line[n] == '-' ||
                                         line[n] == '_'))))
        n++;
    if (n == 0 || line + n >= end || line[n] != ':')
        return 0;
    if (line + n + 1 < end && line[n + 1] != ' ' && line[n + 1] != '\t' && line[n + 1] != '\n')
        return 0;
    return n;
}

static bool key_is(const char *k, size_t n, const char *name)
{
    return strlen(name) == n && !strncasecmp(k, name, n);
}

static int pelican_parse(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
                         const char *s, size_t *body_off, dg_diag *d)
{
    const char *end = text + len;
    size_t kl = header_key(s, end);
    if (!kl || !(key_is(s, kl, "title") || key_is(s, kl, "date")))
        return 0;
    int line = 1;
    for (const char *q = text; q < s; q++)
        line += *q == '\n';
    const char *q = s;
    while (q < end) {
        const char *le = line_end(q, end);
        kl = header_key(q, le);
        if (!kl)
            break; /* a blank line or the first line of the body */
        const char *v = q + kl + 1;
        while (v < le && (*v == ' ' || *v == '\t'))
            v++;
        const char *ve = le;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
            ve--;
        char *val = dg_strndup(a, v, (size_t)(ve - v));
        int col = 1;
        for (const char *c = q; c < v; c++)
            col += ((unsigned char)*c & 0xC0) != 0x80;
        if (key_is(q, kl, "title")) {
            p->title = *val ? val : NULL;
        } else if (key_is(q, kl, "subtitle")) {
            p->subtitle = *val ? val : NULL;
        } else if (key_is(q, kl, "date")) {
            if (dg_date_parse(val, &p->date) != 0) {
                dg_report(d, DG_ERROR, path, line, col, text, len,
                          "'%s' is not a date (use 2025-03-02 or 2025-03-02 10:00); post left out",
                          val);
                return -1;
            }
            p->has_date = true;
            p->date_source = DG_DATE_META;
            p->date_line = line;
        } else if (key_is(q, kl, "number") || key_is(q, kl, "issue")) {
            p->number = parse_number(val);
        } else if (key_is(q, kl, "author") || key_is(q, kl, "authors")) {
            p->author = *val ? val : NULL;
        } else if (key_is(q, kl, "summary") || key_is(q, kl, "description")) {
            p->description = *val ? val : NULL;
        } else if (key_is(q, kl, "tags")) {
            fm_ctx c = {p, a, path, text, len, 0, d, NULL};
            dg_vec vec = {0};
            split_words(&c, val, &vec, false);
            p->tags = dg_allocn(a, vec.len ? vec.len : 1, sizeof *p->tags);
            for (size_t i = 0; i < vec.len; i++)
                p->tags[i] = vec.items[i];
            p->ntags = vec.len;
            dg_vec_free(&vec);
        } else if (key_is(q, kl, "category")) {
            if (*val) {
                p->categories = dg_allocn(a, 1, sizeof *p->categories);
                p->categories[0] = val;
                p->ncategories = 1;
            }
        } else if (key_is(q, kl, "status")) {
            if (!strcasecmp(val, "draft") || !strcasecmp(val, "hidden"))
                p->published = false;
        }
        q = le < end ? le + 1 : end;
        line++;
    }
    *body_off = (size_t)(q - text);
    return 0;
}

int dg_frontmatter_parse(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
                         size_t *body_off, dg_diag *d)
{
    const char *end = text + len, *s = text;
    *body_off = 0;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    *body_off = (size_t)(s - text);
    if (is_fence(s, end, "+++"))
        return toml_frontmatter(p, a, path, text, len, s, body_off, d);
    if (!is_fence(s, end, "---"))
        return pelican_parse(p, a, path, text, len, s, body_off, d);
    const char *le = line_end(s, end);
    if (le == end) {
        dg_report(d, DG_ERROR, path, 1, 1, text, len,
                  "front matter opened with '---' is never closed; post left out");
        return -1;
    }
    const char *yaml_start = le + 1, *yaml_end = NULL, *after = NULL;
    int opening_lines = 1;
    for (const char *q = text; q < s; q++)
        opening_lines += *q == '\n';
    for (const char *q = yaml_start; q < end;) {
        const char *qe = line_end(q, end);
        if (is_fence(q, end, "---") || is_fence(q, end, "...")) {
            yaml_end = q;
            after = qe < end ? qe + 1 : end;
            break;
        }
        q = qe < end ? qe + 1 : end;
    }
    if (!yaml_end) {
        dg_report(d, DG_ERROR, path, opening_lines, 1, text, len,
                  "front matter opened with '---' is never closed (no second '---' line); "
                  "post left out");
        return -1;
    }
    if ((size_t)(yaml_end - yaml_start) > FM_MAX_BYTES) {
        dg_report(d, DG_ERROR, path, opening_lines, 1, text, len,
                  "front matter is larger than %d bytes; post left out", FM_MAX_BYTES);
        return -1;
    }

    fm_ctx c = {p, a, path, text, len, opening_lines, d, NULL};
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    int rc = -1;
    if (!yaml_parser_initialize(&parser))
        abort(); /* out of memory, as everywhere */
    have_parser = true;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml_start,
                                 (size_t)(yaml_end - yaml_start));
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, &doc)) {
        int line = (int)parser.problem_mark.line + opening_lines + 1;
        int col = (int)parser.problem_mark.column + 1;
        const char *ctx = parser.context ? parser.context : "";
        /* libyaml notices an unclosed [ or { only where the text runs out:
         * name where that construct began, which is where the mistake is */
        char started[64] = "";
        if (*ctx && parser.context_mark.line != parser.problem_mark.line)
            snprintf(started, sizeof started, " that starts at line %d:%d",
                     (int)parser.context_mark.line + opening_lines + 1,
                     (int)parser.context_mark.column + 1);
        dg_report(d, DG_ERROR, path, line, col, text, len,
                  "bad YAML in front matter: %s%s%s%s; post left out",
                  parser.problem ? parser.problem : "syntax error", *ctx ? " " : "", ctx, started);
        goto out;
    }
    have_doc = true;
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && !is_null(root)) {
        if (root->type != YAML_MAPPING_NODE) {
            fm_error(&c, root, "front matter must be 'key: value' lines%s; post left out", "");
            goto out;
        }
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
            if (!k || k->type != YAML_SCALAR_NODE)
                continue;
            if (apply_key(&c, (const char *)k->data.scalar.value, v) != 0)
                goto out;
        }
    }
    *body_off = (size_t)(after - text);
    rc = 0;
out:
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    return rc;
}
