/* frontmatter_yaml.c - YAML front matter, through libyaml's document API.
 *
 * The front matter is the text between a first line "---" and the next line
 * "---" or "...".  libyaml sees only that text, so its marks are shifted by
 * the opening line when reported.  Only the top-level mapping is read; values
 * of unknown keys are kept in the YAML document and ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "site/frontmatter.h"
#include "site/yaml.h"

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
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No",
                                     "NO",    "off",   "Off",   "OFF"};
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
        fm_split_words(c->a, (const char *)n->data.scalar.value, &v, true);
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
    if (rc == 0)
        *out = fm_list(c->a, &v, nout);
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
        c->p->author = fm_join(c->a, names, nn);
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

static int apply_key(fm_ctx *c, const char *key, const yaml_node_t *v)
{
    dg_post *p = c->p;
    switch (fm_key_kind(key)) {
    case K_TITLE: return get_string(c, key, v, &p->title);
    case K_SUBTITLE: return get_string(c, key, v, &p->subtitle);
    case K_DESCRIPTION:
        return p->description && strcasecmp(key, "description")
                   ? 0
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
            p->number = fm_number((const char *)v->data.scalar.value);
        return 0;
    case K_LANG:
        if (v && v->type == YAML_SCALAR_NODE)
            fm_lang(p, c->a, c->path, c->text, c->len, (int)v->start_mark.line + c->line0 + 1,
                    (int)v->start_mark.column + 1, (const char *)v->data.scalar.value, c->d);
        return 0;
    case K_NONE: break;
    }
    return 0; /* other keys: kept in the YAML, ignored */
}

int fm_yaml(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
            const char *s, size_t *body_off, dg_diag *d)
{
    yaml_document_t doc;
    bool have_doc = false;
    int rc = -1;
    fm_block b;
    if (fm_line_end(s, text + len) == text + len) {
        dg_report(d, DG_ERROR, path, 1, 1, text, len,
                  "front matter opened with '---' is never closed; post left out");
        goto out;
    }
    if (fm_find_block(&b, path, text, len, s, "---", "...", d) != 0)
        goto out;
    fm_ctx c = {p, a, path, text, len, b.line, d, NULL};
    dg_yaml_src ys = {path, text, len, (size_t)(b.start - text), (size_t)(b.stop - text),
                      b.line, "YAML in front matter", "post left out"};
    if (dg_yaml_load(&doc, &ys, DG_ERROR, d) != 0)
        goto out;
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
    *body_off = (size_t)(b.after - text);
    rc = 0;
out:
    if (have_doc)
        yaml_document_delete(&doc);
    return rc;
}
