/* siteconfig.c - the site's own settings: title, author, language and
 * description from the site generator's configuration (Hugo's config.toml,
 * hugo.toml or config.yaml; Jekyll's or Hexo's _config.yml).
 */
#include "site/siteconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "site/lang.h"
#include "site/toml.h"
#include "site/yaml.h"

/* A site configuration past this size is not a site configuration. */
#define CONFIG_MAX_BYTES (1024 * 1024)

static const char *cfg_scalar(yaml_document_t *doc, yaml_node_t *n, dg_arena *a)
{
    if (!n)
        return NULL;
    if (n->type == YAML_MAPPING_NODE) {
        /* author: {name: ..., email: ...} */
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, "name"))
                return cfg_scalar(doc, yaml_document_get_node(doc, p->value), a);
        }
        return NULL;
    }
    if (n->type != YAML_SCALAR_NODE || !n->data.scalar.length)
        return NULL;
    const char *v = (const char *)n->data.scalar.value;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!strcmp(v, "~") || !strcmp(v, "null")))
        return NULL;
    return dg_strndup(a, v, n->data.scalar.length);
}

/* The entry of language KEY (N bytes) of the table, added when new; NULL
 * past DG_SITE_MAX_LANGUAGES. */
static dg_site_language *lang_entry(dg_site_config *s, dg_arena *a, const char *key, size_t n)
{
    for (size_t i = 0; i < s->nlangs; i++)
        if (strlen(s->langs[i].key) == n && !strncmp(s->langs[i].key, key, n))
            return &s->langs[i];
    if (!s->langs)
        s->langs = dg_allocn(a, DG_SITE_MAX_LANGUAGES, sizeof *s->langs);
    if (s->nlangs >= DG_SITE_MAX_LANGUAGES)
        return NULL;
    dg_site_language *l = &s->langs[s->nlangs++];
    *l = (dg_site_language){0};
    l->key = dg_strndup(a, key, n);
    return l;
}

/* FIELD of a language of the table: languageCode or locale, contentDir,
 * title, weight; the others are not digest's business. */
static void lang_field(dg_site_language *l, dg_arena *a, const char *field, const char *val)
{
    if (!l || !val)
        return;
    if (!strcmp(field, "languageCode") || !strcmp(field, "locale")) {
        const char *t = dg_lang_norm(a, val);
        if (t && (!l->tag || !strcmp(field, "languageCode")))
            l->tag = t;
    } else if (!strcmp(field, "contentDir") && *val) {
        l->content_dir = dg_path_normalize(a, val);
    } else if (!strcmp(field, "title") && *val) {
        l->title = val;
    } else if (!strcmp(field, "weight")) {
        l->weight = atoi(val);
    }
}

/* The table settled: every language has a tag (its key, when that is one;
 * a key that is none and has no languageCode is dropped), in weight order. */
static void langs_settle(dg_site_config *s, dg_arena *a)
{
    size_t k = 0;
    for (size_t i = 0; i < s->nlangs; i++) {
        dg_site_language *l = &s->langs[i];
        if (!l->tag)
            l->tag = dg_lang_norm(a, l->key);
        if (l->tag)
            s->langs[k++] = *l;
    }
    s->nlangs = k;
    /* insertion sort, stable: weighted languages first, lightest first */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0; j--) {
            int wa = s->langs[j - 1].weight, wb = s->langs[j].weight;
            if (!(wb > 0 && (wa <= 0 || wb < wa)))
                break;
            dg_site_language t = s->langs[j];
            s->langs[j] = s->langs[j - 1];
            s->langs[j - 1] = t;
        }
}

/* Hugo's languages mapping in YAML: {en: {languageCode: en-US, contentDir:
 * content/en, title: ..., weight: 1}, ...}. */
static void yaml_languages(dg_site_config *s, dg_arena *a, yaml_document_t *doc, yaml_node_t *v)
{
    if (!v || v->type != YAML_MAPPING_NODE)
        return;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *m = yaml_document_get_node(doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE || !k->data.scalar.length)
            continue;
        dg_site_language *l =
            lang_entry(s, a, (const char *)k->data.scalar.value, k->data.scalar.length);
        if (!l || !m || m->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *f = m->data.mapping.pairs.start; f < m->data.mapping.pairs.top;
             f++) {
            yaml_node_t *fk = yaml_document_get_node(doc, f->key);
            yaml_node_t *fv = yaml_document_get_node(doc, f->value);
            if (fk && fk->type == YAML_SCALAR_NODE && fv && fv->type == YAML_SCALAR_NODE)
                lang_field(l, a, (const char *)fk->data.scalar.value, cfg_scalar(doc, fv, a));
        }
    }
}

/* True, after a warning, when PATH (SHOWN) leads out of the site ROOT
 * through a symlink: it is not read, and the defaults apply. */
static bool outside(dg_arena *a, const char *root, const char *path, const char *shown, dg_diag *d)
{
    char *real;
    if (dg_resolve_inside(a, root, path, &real) == 0 || !real)
        return false;
    dg_report_file(d, DG_WARNING, shown, "%s; not read, site defaults apply",
                   dg_outside_why(a, path, real));
    return true;
}

/* Reads configuration file NAME of the site into *DATA (malloc'd) and
 * *SHOWN.  1 when there is no such file, 0 when read, -1 after a warning (it
 * leads out of the site, is unreadable or too large: the defaults apply). */
static int read_config_file(dg_arena *a, const char *root, const char *root_arg,
                            const char *name, const char **shown, char **data, size_t *len,
                            dg_diag *d)
{
    char *path = dg_path_join(a, root, name);
    *shown = dg_path_join(a, root_arg, name);
    *data = NULL;
    *len = 0;
    if (!dg_is_file(path))
        return 1;
    if (outside(a, root, path, *shown, d))
        return -1;
    if (dg_read_file_max(path, CONFIG_MAX_BYTES, data, len) != 0) {
        if (errno == EFBIG)
            dg_report_file(d, DG_WARNING, *shown,
                           "larger than %d bytes; ignored, site defaults apply", CONFIG_MAX_BYTES);
        else
            dg_report_file(d, DG_WARNING, *shown, "cannot read: %s; site defaults apply",
                           strerror(errno));
        return -1;
    }
    return 0;
}

/* Reads a YAML site configuration (Jekyll's or Hexo's _config.yml, Hugo's
 * config.yaml) when present.  A broken file is a warning: the defaults apply. */
static int read_yaml_config(dg_site_config *s, dg_arena *a, const char *root, const char *root_arg,
                            const char *name, dg_diag *d)
{
    const char *shown;
    char *data;
    size_t len;
    yaml_document_t doc;
    bool have_doc = false;
    int rc = read_config_file(a, root, root_arg, name, &shown, &data, &len, d);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    rc = -1;
    dg_yaml_src ys = {shown, data, len, 0, len, 0, "YAML", "site defaults apply"};
    if (dg_yaml_load(&doc, &ys, DG_WARNING, d) != 0)
        goto out;
    have_doc = true;
    rc = 0; /* a file that holds no mapping sets nothing */
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (!top || top->type != YAML_MAPPING_NODE)
        goto out;
    for (yaml_node_pair_t *p = top->data.mapping.pairs.start; p < top->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        if (!strcmp(key, "languages")) {
            yaml_languages(s, a, &doc, v);
            continue;
        }
        const char *val = cfg_scalar(&doc, v, a);
        if (!val)
            continue;
        if (!strcmp(key, "title"))
            s->title = val;
        else if (!strcmp(key, "author"))
            s->author = val;
        else if (!strcmp(key, "lang") || !strcmp(key, "language") || !strcmp(key, "locale") ||
                 !strcmp(key, "languageCode"))
            s->lang = val;
        else if (!strcmp(key, "defaultContentLanguage") && !s->lang)
            s->lang = val; /* Hugo's: a key of its languages table */
        else if (!strcmp(key, "description"))
            s->description = val;
        else if (!strcmp(key, "url"))
            s->url = val;
    }
out:
    if (have_doc)
        yaml_document_delete(&doc);
    free(data);
    return rc;
}

/* Hugo's config.toml / hugo.toml: title, languageCode, author (text, or
 * [author] name, or [params] author) and [params] description. */
static int read_toml_config(dg_site_config *s, dg_arena *a, const char *root, const char *root_arg,
                            const char *name, dg_diag *d)
{
    const char *shown;
    char *data;
    size_t len;
    int rc = read_config_file(a, root, root_arg, name, &shown, &data, &len, d);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    dg_diag *quiet = dg_diag_new(NULL);
    /* Hugo configs use every TOML feature; only the keys read here matter,
     * so the strict reader's complaints are not the user's problem. */
    (void)dg_toml_parse(&kv, &n, a, shown, data, len, 0, quiet);
    dg_diag_free(quiet);
    for (size_t i = 0; i < n; i++) {
        const dg_toml_kv *k = &kv[i];
        const char *tab = k->table ? k->table : "";
        /* [languages.en] contentDir = ..., or languages.en.contentDir = ... */
        const char *full = *tab ? dg_sprintf(a, "%s.%s", tab, k->key) : k->key;
        if (!strncmp(full, "languages.", 10)) {
            const char *code = full + 10, *dot = strchr(code, '.');
            if (dot && dot > code && (k->type == DG_TOML_STRING || k->type == DG_TOML_INT))
                lang_field(lang_entry(s, a, code, (size_t)(dot - code)), a, dot + 1, k->str);
            continue;
        }
        if (k->type != DG_TOML_STRING || !*k->str)
            continue;
        if (!*tab && !strcmp(k->key, "title"))
            s->title = k->str;
        else if (!*tab &&
                 (!strcmp(k->key, "languageCode") || !strcmp(k->key, "defaultContentLanguage")))
            s->lang = s->lang && !strcmp(k->key, "defaultContentLanguage") ? s->lang : k->str;
        else if ((!*tab || !strcmp(tab, "params")) && !strcmp(k->key, "author"))
            s->author = k->str;
        else if (!strcmp(tab, "author") && !strcmp(k->key, "name"))
            s->author = k->str;
        else if ((!*tab || !strcmp(tab, "params")) && !strcmp(k->key, "description"))
            s->description = k->str;
        else if (!*tab && !strcmp(k->key, "baseURL"))
            s->url = k->str;
    }
    free(data);
    return rc;
}

void dg_site_config_read(dg_site_config *c, dg_arena *a, const char *root, const char *root_arg,
                         dg_diag *d)
{
    *c = (dg_site_config){0};
    /* Hugo's, then Jekyll's or Hexo's _config.yml (the later file wins); a
     * broken file was a warning, and the defaults apply */
    (void)read_toml_config(c, a, root, root_arg, "config.toml", d);
    (void)read_toml_config(c, a, root, root_arg, "hugo.toml", d);
    (void)read_yaml_config(c, a, root, root_arg, "config.yaml", d);
    (void)read_yaml_config(c, a, root, root_arg, "_config.yml", d);
    langs_settle(c, a);
}
