/* site.c - the site: _config.yml defaults and every post under the posts
 * folder, read in path order and sorted by date-time, then relpath.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "digest/site.h"

/* Folders deeper than this under the posts folder are not walked: Jekyll
 * sites nest posts a few levels (year/month) at most, and the cap bounds the
 * walk on a hostile tree. */
#define SITE_MAX_DEPTH 16
/* A _config.yml past this size is not a site configuration. */
#define CONFIG_MAX_BYTES (1024 * 1024)

/* The site with what the month queries need, computed once. */
typedef struct site_priv {
    dg_site pub; /* first: a dg_site * is a site_priv * */
    const char **months;
    size_t nmonths;
    dg_post ***mposts;
    size_t *nmposts;
} site_priv;

/* ---- _config.yml ------------------------------------------------------------ */

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

/* Reads SITE/_config.yml when present.  A broken file is a warning: the
 * defaults apply. */
static void read_config(dg_site *s, dg_diag *d)
{
    dg_arena *a = s->arena;
    char *path = dg_path_join(a, s->root, "_config.yml");
    const char *shown = dg_path_join(a, s->root_arg, "_config.yml");
    char *data = NULL;
    size_t len = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    if (!dg_is_file(path))
        return;
    if (dg_read_file(path, &data, &len) != 0) {
        dg_report(d, DG_WARNING, shown, 0, 0, NULL, 0, "cannot read: %s; site defaults apply",
                  strerror(errno));
        goto out;
    }
    if (len > CONFIG_MAX_BYTES) {
        dg_report(d, DG_WARNING, shown, 0, 0, NULL, 0,
                  "larger than %d bytes; ignored, site defaults apply", CONFIG_MAX_BYTES);
        goto out;
    }
    if (!yaml_parser_initialize(&parser))
        abort();
    have_parser = true;
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        dg_report(d, DG_WARNING, shown, (int)parser.problem_mark.line + 1,
                  (int)parser.problem_mark.column + 1, data, len,
                  "bad YAML: %s; site defaults apply",
                  parser.problem ? parser.problem : "syntax error");
        goto out;
    }
    have_doc = true;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        goto out;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        const char *val = cfg_scalar(&doc, v, a);
        if (!val)
            continue;
        if (!strcmp(key, "title"))
            s->title = val;
        else if (!strcmp(key, "author"))
            s->author = val;
        else if (!strcmp(key, "lang") || !strcmp(key, "language") || !strcmp(key, "locale"))
            s->lang = val;
        else if (!strcmp(key, "description"))
            s->description = val;
    }
out:
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    free(data);
}

/* ---- the posts folder ------------------------------------------------------- */

static bool is_markdown(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name && (!strcmp(dot, ".md") || !strcmp(dot, ".markdown"));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Collects the relpaths (relative to the posts folder) of every Markdown file
 * under it.  Iterative, hidden entries skipped, symlinked folders not followed
 * (no cycles). */
static void collect(dg_arena *a, const char *base, dg_vec *files, dg_diag *d, const char *shown)
{
    dg_vec todo = {0};  /* relative folder paths still to read ("" is the base) */
    dg_vec depth = {0}; /* their depth, as (void *)(uintptr_t) */
    dg_vec_push(&todo, dg_strdup(a, ""));
    dg_vec_push(&depth, (void *)(uintptr_t)0);
    while (todo.len) {
        char *rel = todo.items[--todo.len];
        size_t dep = (size_t)(uintptr_t)depth.items[--depth.len];
        char *abs = *rel ? dg_path_join(a, base, rel) : dg_strdup(a, base);
        DIR *dir = opendir(abs);
        if (!dir) {
            dg_report(d, DG_WARNING, *rel ? dg_path_join(a, shown, rel) : shown, 0, 0, NULL, 0,
                      "cannot read folder: %s", strerror(errno));
            continue;
        }
        struct dirent *e;
        dg_vec here = {0}; /* this folder's Markdown files */
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            char *crel = *rel ? dg_path_join(a, rel, e->d_name) : dg_strdup(a, e->d_name);
            char *cabs = dg_path_join(a, abs, e->d_name);
            struct stat st, lst;
            if (lstat(cabs, &lst) != 0 || stat(cabs, &st) != 0)
                continue;
            if (S_ISDIR(st.st_mode)) {
                if (S_ISLNK(lst.st_mode))
                    continue;
                if (dep + 1 >= SITE_MAX_DEPTH) {
                    dg_report(d, DG_WARNING, dg_path_join(a, shown, crel), 0, 0, NULL, 0,
                              "folder nested deeper than %d levels; not read", SITE_MAX_DEPTH);
                    continue;
                }
                dg_vec_push(&todo, crel);
                dg_vec_push(&depth, (void *)(uintptr_t)(dep + 1));
            } else if (S_ISREG(st.st_mode) && is_markdown(e->d_name) &&
                       strcmp(e->d_name, "_index.md") != 0) {
                dg_vec_push(&here, crel);
            }
        }
        /* A README.md in the posts folder itself or beside other Markdown
         * files describes the folder; alone in a subfolder (a dated folder,
         * a page bundle) it is the post. */
        for (size_t i = 0; i < here.len; i++) {
            const char *b = dg_path_basename(here.items[i]);
            if ((here.len > 1 || dep == 0) &&
                (!strcasecmp(b, "README.md") || !strcasecmp(b, "README.markdown")))
                continue;
            dg_vec_push(files, here.items[i]);
        }
        dg_vec_free(&here);
        closedir(dir);
    }
    dg_vec_free(&todo);
    dg_vec_free(&depth);
    qsort(files->items, files->len, sizeof *files->items, cmp_str);
}

static int cmp_post(const void *x, const void *y)
{
    const dg_post *a = *(dg_post *const *)x, *b = *(dg_post *const *)y;
    int c = dg_datetime_cmp(&a->date, &b->date);
    return c ? c : strcmp(a->relpath, b->relpath);
}

/* Posts are in instant order; with mixed zones a month may come back later,
 * so months are collected, sorted and deduplicated, then filled in order. */
static void index_months(site_priv *sp)
{
    dg_site *s = &sp->pub;
    char **all = dg_allocn(s->arena, s->nposts ? s->nposts : 1, sizeof *all);
    for (size_t i = 0; i < s->nposts; i++) {
        all[i] = dg_alloc(s->arena, 8);
        dg_post_month(s->posts[i], all[i]);
    }
    qsort(all, s->nposts, sizeof *all, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < s->nposts; i++)
        if (k == 0 || strcmp(all[k - 1], all[i]) != 0)
            all[k++] = all[i];
    sp->months = (const char **)all;
    sp->nmonths = k;
    sp->mposts = dg_allocn(s->arena, k ? k : 1, sizeof *sp->mposts);
    sp->nmposts = dg_allocn(s->arena, k ? k : 1, sizeof *sp->nmposts);
    for (size_t m = 0; m < k; m++) {
        sp->mposts[m] = dg_allocn(s->arena, s->nposts, sizeof **sp->mposts);
        for (size_t i = 0; i < s->nposts; i++) {
            char buf[8];
            dg_post_month(s->posts[i], buf);
            if (!strcmp(buf, all[m]))
                sp->mposts[m][sp->nmposts[m]++] = s->posts[i];
        }
    }
}

/* No language in the configuration: zh-CN, unless the posts are plainly
 * written in a Latin script (under 1 % CJK among letters), then "en". */
static const char *guess_lang(const dg_site *s)
{
    unsigned long long cjk = 0, latin = 0;
    for (size_t i = 0; i < s->nposts; i++) {
        const char *t = s->posts[i]->text;
        size_t n = s->posts[i]->text_len;
        for (size_t k = 0; k < n;) {
            uint32_t cp;
            int l = dg_utf8_decode(t + k, n - k, &cp);
            k += l ? (size_t)l : 1;
            if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
                latin++;
            else if (dg_is_cjk(cp))
                cjk++;
        }
    }
    return latin > 0 && cjk * 100 < latin ? "en" : "zh-CN";
}

/* A folder name for the default title: the last component of ROOT. */
static const char *folder_name(const char *root)
{
    const char *b = dg_path_basename(root);
    return *b ? b : root;
}

int dg_site_open(dg_site **out, const char *root, const char *posts_dir, dg_diag *d)
{
    int rc = -1;
    dg_vec files = {0}, posts = {0};
    dg_site *s = NULL;
    dg_arena *a = dg_arena_new();
    *out = NULL;
    char *real = realpath(root, NULL);
    if (!real) {
        dg_report(d, DG_ERROR, root, 0, 0, NULL, 0, "cannot open the site: %s", strerror(errno));
        goto out;
    }
    if (!dg_is_dir(real)) {
        dg_report(d, DG_ERROR, root, 0, 0, NULL, 0, "the site is not a folder");
        goto out;
    }
    site_priv *sp = dg_alloc(a, sizeof *sp);
    s = &sp->pub;
    s->arena = a;
    s->root = dg_strdup(a, real);
    s->root_arg = dg_strdup(a, root);
    read_config(s, d);
    if (!s->title)
        s->title = dg_strdup(a, folder_name(s->root));

    /* The posts folder: --posts, else the first known site shape present
     * (Jekyll, Hexo, Hugo, Pelican). */
    static const char *const shapes[] = {"_posts", "source/_posts", "content/posts",
                                         "content/post", "content"};
    const char *pd = posts_dir && *posts_dir ? posts_dir : NULL;
    for (size_t i = 0; !pd && i < sizeof shapes / sizeof *shapes; i++)
        if (dg_is_dir(dg_path_join(a, s->root, shapes[i])))
            pd = shapes[i];
    if (!pd) {
        dg_report(d, DG_ERROR, root, 0, 0, NULL, 0,
                  "no posts folder found (looked for _posts, source/_posts, content/posts, "
                  "content/post and content); give --posts DIR");
        goto out;
    }
    char *pabs = pd[0] == '/' ? dg_strdup(a, pd) : dg_path_join(a, s->root, pd);
    s->posts_dir = dg_path_normalize(a, pabs);
    const char *pshown = pd[0] == '/' ? pd : dg_path_join(a, s->root_arg, pd);
    if (!dg_is_dir(s->posts_dir)) {
        dg_report(d, DG_ERROR, pshown, 0, 0, NULL, 0, "no such posts folder");
        goto out;
    }
    /* Relpaths are relative to the site root, so the posts folder's own
     * path inside the site prefixes each file's. */
    const char *prefix = "";
    size_t rl = strlen(s->root);
    if (dg_path_inside(s->root, s->posts_dir) && strlen(s->posts_dir) > rl)
        prefix = s->posts_dir + rl + (s->root[rl - 1] == '/' ? 0 : 1);

    collect(a, s->posts_dir, &files, d, pshown);
    for (size_t i = 0; i < files.len; i++) {
        const char *frel = files.items[i];
        char *fabs = dg_path_join(a, s->posts_dir, frel);
        char *relpath = *prefix ? dg_path_join(a, prefix, frel) : dg_strdup(a, frel);
        char *shown = dg_path_join(a, pshown, frel);
        dg_post *p;
        if (dg_post_read(&p, a, shown, fabs, relpath, d) != 0) {
            s->nskipped++;
            continue;
        }
        if (!p->published) {
            s->nskipped++;
            continue;
        }
        if (!p->has_date) {
            char *key = dg_sprintf(a, "nodate:%s", shown);
            dg_report_once(d, key, DG_WARNING, shown, 0, 0,
                           "no date in front matter or file name; left out");
            s->nskipped++;
            continue;
        }
        dg_vec_push(&posts, p);
    }
    qsort(posts.items, posts.len, sizeof *posts.items, cmp_post);
    s->nposts = posts.len;
    s->posts = dg_allocn(a, posts.len ? posts.len : 1, sizeof *s->posts);
    for (size_t i = 0; i < posts.len; i++)
        s->posts[i] = posts.items[i];
    if (!s->lang)
        s->lang = guess_lang(s);
    index_months(sp);
    *out = s;
    rc = 0;
out:
    free(real);
    dg_vec_free(&files);
    dg_vec_free(&posts);
    if (rc != 0)
        dg_arena_free(a);
    return rc;
}

void dg_site_free(dg_site *s)
{
    if (s)
        dg_arena_free(s->arena);
}

/* Months are computed once in dg_site_open, so these two calls allocate
 * nothing and may be made from the threads that build months in parallel. */
const char **dg_site_months(const dg_site *s, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    *n = sp->nmonths;
    return sp->months;
}

dg_post **dg_site_month_posts(const dg_site *s, const char *month, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    for (size_t i = 0; i < sp->nmonths; i++) {
        if (!strcmp(sp->months[i], month)) {
            *n = sp->nmposts[i];
            return sp->mposts[i];
        }
    }
    *n = 0;
    return NULL;
}
