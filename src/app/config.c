/* config.c - SITE/digest.yaml through libyaml's document API.
 *
 * Each key has a type; a value of the wrong type is an error naming the
 * key at path:line:col and the key keeps its default.  An unknown key is a
 * warning (a typo should not stop a build).  Every key is documented with
 * its default in digest.yaml.example.  Paths in the file are relative to
 * the site folder.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "digest/config.h"
#include "base/base.h"
#include "pdf/fonts.h"
#include "site/lang.h"
#include "site/post.h"
#include "site/yaml.h"

/* A configuration past this size is not one; the cap bounds libyaml's
 * document on hostile input. */
#define CONFIG_MAX_BYTES (1024 * 1024)
/* Globs and dates past these counts are not a blog's configuration. */
#define CONFIG_MAX_GLOBS 1024
#define CONFIG_MAX_DATES 100000

typedef struct cfg {
    dg_options *o;
    dg_arena *a;
    dg_diag *d;
    const char *path;      /* as shown */
    const char *site;      /* the site folder, for relative paths */
    const char *site_real; /* its real path: what the file names stays inside it */
    const char *text;
    size_t len;
    yaml_document_t *doc;
    int errors;
} cfg;

static void report(cfg *c, dg_severity sev, const yaml_node_t *n, const char *fmt, const char *a1,
                   const char *a2)
{
    int line = n ? (int)n->start_mark.line + 1 : 0, col = n ? (int)n->start_mark.column + 1 : 0;
    dg_report(c->d, sev, c->path, line, col, c->text, c->len, fmt, a1, a2 ? a2 : "");
    if (sev == DG_ERROR)
        c->errors++;
}

static const char *type_name(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE ? "a mapping" : n->type == YAML_SEQUENCE_NODE ? "a list"
                                                                                     : "text";
}

static bool is_null(const yaml_node_t *n)
{
    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null");
}

static const char *scalar(cfg *c, const char *key, const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE) {
        report(c, DG_ERROR, n, "'%s' must be text, not %s; default kept", key, type_name(n));
        return NULL;
    }
    return dg_strndup(c->a, (const char *)n->data.scalar.value, n->data.scalar.length);
}

/* A path relative to the site folder. */
static const char *site_path(cfg *c, const char *key, const yaml_node_t *n)
{
    const char *v = scalar(c, key, n);
    if (!v || !*v)
        return NULL;
    return v[0] == '/' ? v : dg_path_join(c->a, c->site, v);
}

/* A file or folder the site's digest.yaml names for the site stage to read
 * (KEY at N, PATH as site_path made it) must stay inside the site, the same
 * rule as every file of the site (dg_resolve_inside): PATH when it does or
 * is not there (its reader says so), else NULL after a positioned error. */
static const char *inside_site(cfg *c, const char *key, const yaml_node_t *n, const char *path)
{
    char *real;
    if (!path || !c->site_real || dg_resolve_inside(c->a, c->site_real, path, &real) == 0 || !real)
        return path;
    report(c, DG_ERROR, n, "'%s' leads outside the site (%s); not read", key, real);
    return NULL;
}

/* A font setting: a path relative to the site, or a family name left for
 * fontconfig when no such file is there. */
static const char *font_path(cfg *c, const char *key, const yaml_node_t *n)
{
    const char *p = site_path(c, key, n);
    const char *v = p ? scalar(c, key, n) : NULL;
    return p && !dg_is_file(p) && dg_font_is_family_name(v) ? v : p;
}

static int number(cfg *c, const char *key, const yaml_node_t *n, double lo, double hi, double *out)
{
    const char *v = scalar(c, key, n);
    if (!v)
        return -1;
    char *end;
    double x = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (end == v || (*end && strcmp(end, "pt") != 0) || x < lo || x > hi) {
        char range[64];
        snprintf(range, sizeof range, "%g to %g", lo, hi);
        report(c, DG_ERROR, n, "'%s' must be a number from %s; default kept", key, range);
        return -1;
    }
    *out = x;
    return 0;
}

static int boolean(cfg *c, const char *key, const yaml_node_t *n, bool *out)
{
    const char *v = scalar(c, key, n);
    if (!v)
        return -1;
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
        *out = false;
        return 0;
    }
    report(c, DG_ERROR, n, "'%s' must be true or false; default kept%s", key, NULL);
    return -1;
}

/* A list of text, or one text. */
static int list(cfg *c, const char *key, const yaml_node_t *n, const char ***out, size_t *nout)
{
    dg_vec v = {0};
    if (n->type == YAML_SCALAR_NODE) {
        dg_vec_push(&v, (void *)scalar(c, key, n));
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *item = yaml_document_get_node(c->doc, *it);
            if (!item || is_null(item))
                continue;
            if (item->type != YAML_SCALAR_NODE) {
                report(c, DG_ERROR, item, "items of '%s' must be text, not %s; ignored", key,
                       type_name(item));
                continue;
            }
            if (v.len < CONFIG_MAX_GLOBS)
                dg_vec_push(&v, (void *)scalar(c, key, item));
        }
    } else {
        report(c, DG_ERROR, n, "'%s' must be a list of text, not %s; default kept", key,
               type_name(n));
        dg_vec_free(&v);
        return -1;
    }
    const char **arr = dg_allocn(c->a, v.len ? v.len : 1, sizeof *arr);
    for (size_t i = 0; i < v.len; i++)
        arr[i] = v.items[i];
    *out = arr;
    *nout = v.len;
    dg_vec_free(&v);
    return 0;
}

typedef void (*key_fn)(cfg *c, const char *key, yaml_node_t *v, void *ctx);

/* Calls FN for every key of mapping N; KNOWN lists the keys this mapping
 * may hold (others are warned about). */
static void each_key(cfg *c, const char *where, yaml_node_t *n, const char *const *known,
                     key_fn fn, void *ctx)
{
    if (n->type != YAML_MAPPING_NODE) {
        report(c, DG_ERROR, n, "'%s' must be a mapping (key: value lines), not %s; defaults kept",
               where, type_name(n));
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE) {
            report(c, DG_ERROR, k, "keys of '%s' must be text%s", where, NULL);
            continue;
        }
        const char *key = (const char *)k->data.scalar.value;
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = !strcmp(key, known[i]);
        /* fonts: a language's own ("ko: {text: ..., bold: ...}") */
        char tag[DG_LANG_MAX];
        ok = ok || (!strcmp(where, "fonts") && dg_lang_normalize(key, strlen(key), tag) == 0);
        if (!ok) {
            report(c, DG_WARNING, k, "unknown key '%s'%s; ignored (see digest.yaml.example)", key,
                   *where ? dg_sprintf(c->a, " in '%s'", where) : "");
            continue;
        }
        if (!v || is_null(v))
            continue; /* "key:" with no value keeps the default */
        fn(c, key, v, ctx);
    }
}

/* fonts: LANG: PATH, or {text: PATH, bold: PATH}: that language's text fonts */
static void lang_font_key(cfg *c, const char *key, yaml_node_t *v)
{
    dg_font_config *f = &c->o->fonts;
    dg_lang_font lf = {dg_lang_norm(c->a, key), NULL, NULL};
    const char *where = dg_sprintf(c->a, "fonts.%s", key);
    if (v->type == YAML_SCALAR_NODE) {
        lf.text = font_path(c, where, v);
    } else if (v->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
            yaml_node_t *val = yaml_document_get_node(c->doc, pr->value);
            const char *kk =
                k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
            if (!strcmp(kk, "text") && val)
                lf.text = font_path(c, where, val);
            else if (!strcmp(kk, "bold") && val)
                lf.bold = font_path(c, where, val);
            else
                report(c, DG_WARNING, k, "unknown key '%s' in 'fonts.%s'; ignored", kk, key);
        }
    } else {
        report(c, DG_ERROR, v, "'fonts.%s' must be a path or {text, bold}, not %s", key,
               type_name(v));
        return;
    }
    if (!lf.text) {
        report(c, DG_ERROR, v, "'fonts.%s' gives no text font; ignored%s", key, NULL);
        return;
    }
    dg_lang_font *arr = dg_allocn(c->a, f->nlangs + 1, sizeof *arr);
    for (size_t i = 0; i < f->nlangs; i++)
        arr[i] = f->langs[i];
    arr[f->nlangs] = lf;
    f->langs = arr;
    f->nlangs++;
}

/* fonts: text/bold/mono: PATH, or {path: PATH, index: N}; LANG: see lang_font_key */
static void font_key(cfg *c, const char *key, yaml_node_t *v, void *ctx)
{
    dg_font_config *f = &c->o->fonts;
    if (strcmp(key, "text") && strcmp(key, "bold") && strcmp(key, "mono") &&
        strcmp(key, "fallback")) {
        lang_font_key(c, key, v);
        return;
    }
    if (!strcmp(key, "fallback")) {
        /* fonts tried after the others (symbols, a colour emoji font) */
        const char **paths;
        size_t n;
        if (list(c, "fonts.fallback", v, &paths, &n) != 0)
            return;
        for (size_t i = 0; i < n; i++)
            if (paths[i] && paths[i][0] != '/') {
                const char *p = dg_path_join(c->a, c->site, paths[i]);
                if (dg_is_file(p) || !dg_font_is_family_name(paths[i]))
                    paths[i] = p;
            }
        f->fallback = paths;
        f->nfallback = n;
        return;
    }
    const char **path = !strcmp(key, "text") ? &f->text : !strcmp(key, "bold") ? &f->text_bold
                                                                               : &f->mono;
    int *index = !strcmp(key, "text") ? &f->text_index : !strcmp(key, "bold") ? &f->text_bold_index
                                                                              : &f->mono_index;
    (void)ctx;
    if (v->type == YAML_SCALAR_NODE) {
        *path = font_path(c, key, v);
        *index = 0;
        return;
    }
    if (v->type != YAML_MAPPING_NODE) {
        report(c, DG_ERROR, v, "'fonts.%s' must be a path or {path, index}, not %s", key,
               type_name(v));
        return;
    }
    const char *p = NULL;
    double idx = 0;
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *val = yaml_document_get_node(c->doc, pr->value);
        const char *kk = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
        if (!strcmp(kk, "path") && val)
            p = font_path(c, "path", val);
        else if (!strcmp(kk, "index") && val)
            number(c, "index", val, 0, 255, &idx);
        else
            report(c, DG_WARNING, k, "unknown key '%s' in 'fonts.%s'; ignored", kk, key);
    }
    if (p) {
        *path = p;
        *index = (int)idx;
    }
}

static void page_key(cfg *c, const char *key, yaml_node_t *v, void *ctx)
{
    dg_pdf_opts *po = &c->o->pdf_opts;
    (void)ctx;
    if (!strcmp(key, "size")) {
        const char *s = scalar(c, key, v);
        if (!s)
            return;
        if (dg_parse_page_size(s, &po->page) != 0)
            report(c, DG_ERROR, v, "'page.size' is '%s'; expected a4, a5, letter or ereader%s", s,
                   NULL);
    } else if (!strcmp(key, "margin")) {
        number(c, "page.margin", v, 1, 300, &po->margin);
    } else if (!strcmp(key, "font_size")) {
        number(c, "page.font_size", v, 4, 72, &po->base_size);
    } else if (!strcmp(key, "indent")) {
        boolean(c, "page.indent", v, &po->indent);
    } else if (!strcmp(key, "link_notes")) {
        bool b;
        if (boolean(c, "page.link_notes", v, &b) == 0)
            po->link_notes = b ? 1 : 0;
    } else if (!strcmp(key, "cover")) {
        const char *s = scalar(c, "page.cover", v);
        if (s && !strcmp(s, "image"))
            po->cover_image = true;
        else if (s && !strcmp(s, "text"))
            po->cover_image = false;
        else if (s)
            report(c, DG_ERROR, v, "'page.cover' is '%s'; expected image or text%s", s, NULL);
    }
}

static void output_key(cfg *c, const char *key, yaml_node_t *v, void *ctx)
{
    (void)ctx;
    if (!strcmp(key, "dir")) {
        const char *p = site_path(c, "output.dir", v);
        if (p)
            c->o->out_dir = p;
    } else if (!strcmp(key, "file")) {
        const char *p = scalar(c, "output.file", v);
        if (p && (!*p || strchr(p, '/')))
            report(c, DG_ERROR, v, "'output.file' must be a file name without '/', such as "
                                   "\"{yyyy}-{mm}\"; default kept%s%s", "", NULL);
        else if (p)
            c->o->out_pattern = p;
    } else if (!strcmp(key, "formats")) {
        const char **f;
        size_t n;
        if (list(c, "output.formats", v, &f, &n) != 0)
            return;
        bool epub = false, pdf = false;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(f[i], "epub"))
                epub = true;
            else if (!strcmp(f[i], "pdf"))
                pdf = true;
            else
                report(c, DG_ERROR, v, "'output.formats': '%s' is not epub or pdf%s", f[i], NULL);
        }
        if (epub || pdf) {
            c->o->epub = epub;
            c->o->pdf = pdf;
        }
    }
}

/* languages: {LANG: {title: TEXT}} (a language with no title: LANG: ~) */
static void languages_key(cfg *c, yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE) {
        report(c, DG_ERROR, v, "'languages' must be a mapping (LANG: {title: ...}), not %s",
               type_name(v), NULL);
        return;
    }
    size_t n = 0, cap = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    dg_lang_title *arr = dg_allocn(c->a, cap ? cap : 1, sizeof *arr);
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *m = yaml_document_get_node(c->doc, p->value);
        const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
        const char *tag = dg_lang_norm(c->a, key);
        if (!tag) {
            report(c, DG_ERROR, k, "'%s' in 'languages' is not a language tag (BCP 47: en, zh-CN)",
                   key, NULL);
            continue;
        }
        arr[n] = (dg_lang_title){tag, NULL};
        if (m && m->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *f = m->data.mapping.pairs.start; f < m->data.mapping.pairs.top;
                 f++) {
                yaml_node_t *fk = yaml_document_get_node(c->doc, f->key);
                yaml_node_t *fv = yaml_document_get_node(c->doc, f->value);
                const char *kk =
                    fk && fk->type == YAML_SCALAR_NODE ? (const char *)fk->data.scalar.value : "";
                if (!strcmp(kk, "title") && fv)
                    arr[n].title = scalar(c, "languages.title", fv);
                else
                    report(c, DG_WARNING, fk, "unknown key '%s' in 'languages.%s'; ignored", kk,
                           key);
            }
        } else if (m && !is_null(m)) {
            report(c, DG_ERROR, m, "'languages.%s' must be a mapping ({title: ...}), not %s", key,
                   type_name(m));
            continue;
        }
        n++;
    }
    c->o->languages = arr;
    c->o->nlanguages = n;
}

static void dates_key(cfg *c, yaml_node_t *v)
{
    if (v->type == YAML_SCALAR_NODE) {
        c->o->dates_file = inside_site(c, "dates", v, site_path(c, "dates", v));
        return;
    }
    if (v->type != YAML_MAPPING_NODE) {
        report(c, DG_ERROR, v, "'%s' must be a CSV file's path or a mapping path: YYYY-MM-DD, "
                               "not %s", "dates", type_name(v));
        return;
    }
    dg_vec rows = {0};
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(c->doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE || !val || val->type != YAML_SCALAR_NODE) {
            report(c, DG_ERROR, val ? val : k, "'dates' rows must be path: YYYY-MM-DD%s%s", "",
                   NULL);
            continue;
        }
        dg_datetime dt;
        const char *date = (const char *)val->data.scalar.value;
        if (dg_date_parse(date, &dt) != 0) {
            report(c, DG_ERROR, val, "'%s' is not a date (use YYYY-MM-DD)%s", date, NULL);
            continue;
        }
        if (rows.len >= CONFIG_MAX_DATES)
            break;
        dg_date_row *r = dg_alloc(c->a, sizeof *r);
        r->path = dg_strdup(c->a, (const char *)k->data.scalar.value);
        r->date = dg_strdup(c->a, date);
        dg_vec_push(&rows, r);
    }
    dg_date_row *arr = dg_allocn(c->a, rows.len ? rows.len : 1, sizeof *arr);
    for (size_t i = 0; i < rows.len; i++)
        arr[i] = *(dg_date_row *)rows.items[i];
    c->o->dates = arr;
    c->o->ndates = rows.len;
    c->o->dates_origin = c->path;
    dg_vec_free(&rows);
}

static void top_key(cfg *c, const char *key, yaml_node_t *v, void *ctx)
{
    dg_options *o = c->o;
    (void)ctx;
    static const char *const font_keys[] = {"text", "bold", "mono", "fallback", NULL};
    static const char *const page_keys[] = {"size", "margin", "font_size", "indent", "link_notes", "cover",
                                            NULL};
    static const char *const output_keys[] = {"dir", "file", "formats", NULL};
    const char *s;
    if (!strcmp(key, "title")) {
        if ((s = scalar(c, key, v)))
            o->title_pattern = s;
    } else if (!strcmp(key, "site_title")) {
        if ((s = scalar(c, key, v)))
            o->site_title = s;
    } else if (!strcmp(key, "language")) {
        if ((s = scalar(c, key, v)))
            o->lang = s;
    } else if (!strcmp(key, "author")) {
        if ((s = scalar(c, key, v)))
            o->author = s;
    } else if (!strcmp(key, "posts")) {
        if ((s = scalar(c, key, v)) && inside_site(c, key, v, site_path(c, key, v)))
            o->posts_dir = s;
    } else if (!strcmp(key, "include")) {
        list(c, key, v, &o->include, &o->ninclude);
    } else if (!strcmp(key, "exclude")) {
        list(c, key, v, &o->exclude, &o->nexclude);
    } else if (!strcmp(key, "dates")) {
        dates_key(c, v);
    } else if (!strcmp(key, "date_from")) {
        if (!(s = scalar(c, key, v)))
            return;
        if (dg_parse_date_from(s, &o->date_from) != 0)
            report(c, DG_ERROR, v, "'date_from' is '%s'; expected git, mtime or none%s", s, NULL);
    } else if (!strcmp(key, "fonts")) {
        each_key(c, "fonts", v, font_keys, font_key, NULL);
    } else if (!strcmp(key, "page")) {
        each_key(c, "page", v, page_keys, page_key, NULL);
    } else if (!strcmp(key, "templates")) {
        o->templates_dir = site_path(c, key, v);
    } else if (!strcmp(key, "cover_image")) {
        o->cover_image = inside_site(c, key, v, site_path(c, key, v));
    } else if (!strcmp(key, "output")) {
        each_key(c, "output", v, output_keys, output_key, NULL);
    } else if (!strcmp(key, "jobs")) {
        double j;
        if (number(c, key, v, 1, 64, &j) == 0)
            o->jobs = (int)j;
    } else if (!strcmp(key, "fetch_images")) {
        bool b;
        if (boolean(c, key, v, &b) == 0)
            o->fetch_images = b;
    } else if (!strcmp(key, "image_cache_max")) {
        if ((s = scalar(c, key, v)) && dg_parse_size(s, &o->image_cache_max) != 0)
            report(c, DG_ERROR, v, "'image_cache_max' is '%s'; expected a size such as 2 GiB or "
                   "500 MB%s", s, NULL);
    } else if (!strcmp(key, "languages")) {
        languages_key(c, v);
    } else if (!strcmp(key, "split_languages")) {
        bool b;
        if (boolean(c, key, v, &b) == 0)
            o->split_languages = b;
    } else if (!strcmp(key, "period")) {
        if ((s = scalar(c, key, v)) && dg_parse_periods(s, &o->periods) != 0)
            report(c, DG_ERROR, v, "'period' is '%s'; expected month, year, all or a list "
                   "such as month,year%s", s, NULL);
    }
}

int dg_config_load(dg_options *o, const char *path, dg_arena *a, dg_diag *d)
{
    static const char *const keys[] = {"title", "site_title", "language", "author", "posts",
                                       "include", "exclude", "dates", "date_from", "fonts",
                                       "page", "templates", "output", "jobs", "fetch_images",
                                       "image_cache_max",
                                       "split_languages", "cover_image",
                                       "languages", "period", NULL};
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    yaml_document_t doc;
    bool have_doc = false;
    cfg c = {o, a, d, path, o->site ? o->site : ".", NULL, NULL, 0, NULL, 0};
    char *real;
    if (!dg_is_file(path))
        return 0;
    if (dg_resolve_inside(a, "/", c.site, &real) == 0)
        c.site_real = real;
    if (dg_read_file_max(path, CONFIG_MAX_BYTES, &data, &len) != 0) {
        if (errno == EFBIG)
            dg_report_file(d, DG_ERROR, path, "larger than %d bytes; not read",
                      CONFIG_MAX_BYTES);
        else
            dg_report_file(d, DG_ERROR, path, "cannot read the configuration");
        goto out;
    }
    c.text = data;
    c.len = len;
    dg_yaml_src ys = {path, data, len, 0, len, 0, "YAML", "not read"};
    if (dg_yaml_load(&doc, &ys, DG_ERROR, d) != 0)
        goto out;
    have_doc = true;
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && !is_null(root))
        each_key(&c, "", root, keys, top_key, NULL);
    rc = c.errors ? -1 : 0;
out:
    if (have_doc)
        yaml_document_delete(&doc);
    free(data);
    return rc;
}

void dg_config_overlay(dg_options *o, const dg_options *cli, unsigned set)
{
    if (set & DG_SET_OUT)
        o->out_dir = cli->out_dir;
    if (set & DG_SET_POSTS)
        o->posts_dir = cli->posts_dir;
    if (set & DG_SET_FORMAT) {
        o->epub = cli->epub;
        o->pdf = cli->pdf;
    }
    if (set & DG_SET_JOBS)
        o->jobs = cli->jobs;
    if (set & DG_SET_TITLE)
        o->title_pattern = cli->title_pattern;
    if (set & DG_SET_PAGE)
        o->pdf_opts.page = cli->pdf_opts.page;
    if (set & DG_SET_MARGIN)
        o->pdf_opts.margin = cli->pdf_opts.margin;
    if (set & DG_SET_FONTSIZE)
        o->pdf_opts.base_size = cli->pdf_opts.base_size;
    if (set & DG_SET_INDENT)
        o->pdf_opts.indent = cli->pdf_opts.indent;
    if (set & DG_SET_NOTES)
        o->pdf_opts.link_notes = cli->pdf_opts.link_notes;
    if (set & DG_SET_PDF_COVER)
        o->pdf_opts.cover_image = cli->pdf_opts.cover_image;
    if (set & DG_SET_FONT) {
        o->fonts.text = cli->fonts.text;
        o->fonts.text_index = cli->fonts.text_index;
    }
    if (set & DG_SET_BOLD) {
        o->fonts.text_bold = cli->fonts.text_bold;
        o->fonts.text_bold_index = cli->fonts.text_bold_index;
    }
    if (set & DG_SET_MONO) {
        o->fonts.mono = cli->fonts.mono;
        o->fonts.mono_index = cli->fonts.mono_index;
    }
    if (set & DG_SET_FALLBACK) {
        o->fonts.fallback = cli->fonts.fallback;
        o->fonts.nfallback = cli->fonts.nfallback;
    }
    if (set & DG_SET_INCLUDE) {
        o->include = cli->include;
        o->ninclude = cli->ninclude;
    }
    if (set & DG_SET_EXCLUDE) {
        o->exclude = cli->exclude;
        o->nexclude = cli->nexclude;
    }
    if (set & DG_SET_DATES)
        o->dates_file = cli->dates_file;
    if (set & DG_SET_FETCH)
        o->fetch_images = cli->fetch_images;
    if (set & DG_SET_CACHE_MAX)
        o->image_cache_max = cli->image_cache_max;
    if (set & DG_SET_SPLIT)
        o->split_languages = cli->split_languages;
    if (set & DG_SET_PERIOD)
        o->periods = cli->periods;
    if (set & DG_SET_DATE_FROM)
        o->date_from = cli->date_from;
    /* never from the file: what to do this time */
    o->site = cli->site;
    o->months = cli->months;
    o->nmonths = cli->nmonths;
    o->force = cli->force;
    o->refresh_images = cli->refresh_images;
    o->progress = cli->progress;
    o->from = cli->from;
    o->to = cli->to;
    o->prune = cli->prune;
}

int dg_parse_page_size(const char *s, dg_page_size *out)
{
    static const struct {
        const char *name;
        dg_page_size size;
    } sizes[] = {{"a4", DG_PAGE_A4}, {"a5", DG_PAGE_A5}, {"letter", DG_PAGE_LETTER},
                 {"ereader", DG_PAGE_EREADER}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (!strcmp(s, sizes[i].name)) {
            *out = sizes[i].size;
            return 0;
        }
    return -1;
}

int dg_parse_date_from(const char *s, dg_date_from *out)
{
    if (!strcmp(s, "git"))
        *out = DG_DATE_FROM_GIT;
    else if (!strcmp(s, "mtime"))
        *out = DG_DATE_FROM_MTIME;
    else if (!strcmp(s, "none"))
        *out = DG_DATE_FROM_NONE;
    else
        return -1;
    return 0;
}

int dg_parse_periods(const char *s, unsigned *out)
{
    static const char *const words[] = {"month", "year", "all"};
    unsigned bits = 0;
    for (const char *p = s;;) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (k < 3 && !(strlen(words[k]) == n && !strncmp(p, words[k], n)))
            k++;
        if (k == 3)
            return -1;
        bits |= 1u << k; /* DG_PERIOD_MONTH, _YEAR, _ALL in this order */
        if (!p[n])
            break;
        p += n + 1;
    }
    *out = bits;
    return 0;
}

int dg_parse_size(const char *s, unsigned long long *out)
{
    static const struct {
        const char *unit;
        unsigned long long mult;
    } units[] = {{"", 1},          {"B", 1},          {"KB", 1000},       {"MB", 1000000},
                 {"GB", 1000000000}, {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
                 {"K", 1ull << 10}, {"M", 1ull << 20},  {"G", 1ull << 30}};
    char *end;
    errno = 0;
    if (!s || *s < '0' || *s > '9')
        return -1;
    double v = strtod(s, &end);
    if (errno || end == s)
        return -1;
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(end, units[i].unit)) {
            double bytes = v * (double)units[i].mult;
            if (bytes < 1 || bytes > 1e18)
                return -1;
            *out = (unsigned long long)bytes;
            return 0;
        }
    return -1;
}

struct dg_config {
    dg_arena *arena;
};

dg_config *dg_config_resolve(dg_options *o, const dg_options *cli, unsigned set, dg_diag *d)
{
    dg_config *c = calloc(1, sizeof *c);
    if (!c)
        dg_oom();
    c->arena = dg_arena_new();
    dg_options_init(o);
    o->site = cli->site;
    /* SITE/digest.yaml leading out of the site is not the site's: refused,
     * the defaults apply (a warning: nothing of the site is lost) */
    const char *path = dg_path_join(c->arena, cli->site, "digest.yaml");
    char *site_real, *real;
    if (dg_resolve_inside(c->arena, "/", cli->site, &site_real) == 0 && dg_is_file(path) &&
        dg_resolve_inside(c->arena, site_real, path, &real) != 0 && real)
        dg_report_file(d, DG_WARNING, path, "%s; not read, the defaults apply",
                       dg_outside_why(c->arena, path, real));
    else
        dg_config_load(o, path, c->arena, d);
    dg_config_overlay(o, cli, set);
    return c;
}

void dg_config_free(dg_config *c)
{
    if (!c)
        return;
    dg_arena_free(c->arena);
    free(c);
}
