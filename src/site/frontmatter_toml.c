/* frontmatter_toml.c - TOML front matter between "+++" lines (Hugo, Zola),
 * read with site/toml.c; the same keys as the YAML reader. */
#include <string.h>
#include <strings.h>

#include "site/frontmatter.h"
#include "site/toml.h"

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
    fm_split_words(c->a, kv->str, &v, true);
    return fm_list(c->a, &v, n);
}

static int toml_apply(fm_ctx *c, const dg_toml_kv *kv)
{
    dg_post *p = c->p;
    fm_key k = kv->table && *kv->table ? K_NONE : fm_key_kind(kv->key);
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
            val = fm_join(c->a, kv->items, kv->nitems);
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
                                                                               : fm_number(kv->str);
        return 0;
    case K_LANG:
        if (text)
            fm_lang(p, c->a, c->path, c->text, c->len, kv->line, kv->col, kv->str, c->d);
        return 0;
    case K_NONE: break;
    }
    return 0;
}

int fm_toml(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
            const char *s, size_t *body_off, dg_diag *d)
{
    fm_block b;
    if (fm_find_block(&b, path, text, len, s, "+++", NULL, d) != 0)
        return -1;
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    if (dg_toml_parse_in(&kv, &n, a, path, b.start, (size_t)(b.stop - b.start), b.line, text, len,
                         d) != 0)
        return -1;
    fm_ctx c = {p, a, path, text, len, b.line, d, NULL};
    for (size_t i = 0; i < n; i++)
        if (toml_apply(&c, &kv[i]) != 0)
            return -1;
    *body_off = (size_t)(b.after - text);
    return 0;
}

