/* site.c - the site: _config.yml defaults and every post under the posts
 * folder, read in path order and sorted by date-time, then relpath.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "site/site.h"
#include "site/toml.h"

#include <git2.h>
#include <time.h>

/* Folders deeper than this under the posts folder are not walked: Jekyll
 * sites nest posts a few levels (year/month) at most, and the cap bounds the
 * walk on a hostile tree. */
#define SITE_MAX_DEPTH 16
/* A _config.yml past this size is not a site configuration. */
#define CONFIG_MAX_BYTES (1024 * 1024)
/* A dates table past this size is not a table of a blog's posts. */
#define DATES_MAX_BYTES (16 * 1024 * 1024)
/* Commits walked for --date-from git: a blog's history is far shorter; the
 * cap bounds the walk on a huge repository (older posts stay undated). */
#define GIT_MAX_COMMITS 200000

/* The site with what the month queries need, computed once. */
typedef struct site_priv {
    dg_site pub; /* first: a dg_site * is a site_priv * */
    const char **months;
    size_t nmonths;
    dg_post ***mposts;
    size_t *nmposts;
    bool lazy; /* posts read without their html (dg_site_opts.lazy_html) */
} site_priv;

/* Lazy rendering allocates in the site's arena from the threads that build
 * months: one at a time (a Markdown body takes well under a millisecond). */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

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

/* Reads a YAML site configuration (Jekyll's or Hexo's _config.yml, Hugo's
 * config.yaml) when present.  A broken file is a warning: the defaults apply. */
static void read_config(dg_site *s, const char *name, dg_diag *d)
{
    dg_arena *a = s->arena;
    char *path = dg_path_join(a, s->root, name);
    const char *shown = dg_path_join(a, s->root_arg, name);
    char *data = NULL;
    size_t len = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    if (!dg_is_file(path))
        return;
    if (dg_read_file_max(path, CONFIG_MAX_BYTES, &data, &len) != 0) {
        if (errno == EFBIG)
            dg_report_file(d, DG_WARNING, shown, "larger than %d bytes; ignored, site defaults apply", CONFIG_MAX_BYTES);
        else
            dg_report_file(d, DG_WARNING, shown, "cannot read: %s; site defaults apply",
                      strerror(errno));
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
        else if (!strcmp(key, "lang") || !strcmp(key, "language") || !strcmp(key, "locale") ||
                 !strcmp(key, "languageCode"))
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

/* Hugo's config.toml / hugo.toml: title, languageCode, author (text, or
 * [author] name, or [params] author) and [params] description. */
static void read_toml_config(dg_site *s, const char *name, dg_diag *d)
{
    dg_arena *a = s->arena;
    char *path = dg_path_join(a, s->root, name);
    const char *shown = dg_path_join(a, s->root_arg, name);
    char *data = NULL;
    size_t len = 0;
    if (!dg_is_file(path))
        return;
    if (dg_read_file(path, &data, &len) != 0 || len > CONFIG_MAX_BYTES) {
        dg_report_file(d, DG_WARNING, shown, "cannot read (or too large); site defaults apply");
        goto out;
    }
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    dg_diag *quiet = dg_diag_new(NULL);
    /* Hugo configs use every TOML feature; only the keys read here matter,
     * so the strict reader's complaints are not the user's problem. */
    int rc = dg_toml_parse(&kv, &n, a, shown, data, len, 0, quiet);
    dg_diag_free(quiet);
    if (rc != 0 && n == 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const dg_toml_kv *k = &kv[i];
        if (k->type != DG_TOML_STRING || !*k->str)
            continue;
        const char *tab = k->table ? k->table : "";
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
    }
out:
    free(data);
}

/* ---- globs -------------------------------------------------------------------- */

/* Named limit: patterns are short; the cap bounds the backtracking of '*'. */
#define GLOB_MAX_STEPS 100000

static bool glob_at(const char *p, const char *s, long *steps)
{
    while (*p) {
        if (++*steps > GLOB_MAX_STEPS)
            return false;
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            bool slash = *p == '/';
            if (slash && glob_at(p + 1, s, steps)) /* "**" + "/" matches no folder */
                return true;
            for (const char *t = s;; t++) {
                if (glob_at(p, t, steps))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_at(p, t, steps))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        }
        if (*p == '?') {
            if (!*s || *s == '/')
                return false;
            /* one whole UTF-8 character */
            s++;
            while ((*s & 0xC0) == 0x80)
                s++;
            p++;
            continue;
        }
        if (*p == '[') {
            const char *q = p + 1;
            bool neg = *q == '!' || *q == '^';
            if (neg)
                q++;
            bool hit = false;
            const char *start = q;
            while (*q && (*q != ']' || q == start)) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    hit |= *s >= q[0] && *s <= q[2];
                    q += 3;
                } else {
                    hit |= *s == *q;
                    q++;
                }
            }
            if (*q == ']') {
                if (!*s || *s == '/' || hit == neg)
                    return false;
                p = q + 1;
                s++;
                continue;
            }
            /* no closing bracket: a literal '[' */
        }
        if (*p == '\\' && p[1])
            p++;
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return !*s;
}

bool dg_glob_match(const char *pat, const char *path)
{
    long steps = 0;
    if (!strchr(pat, '/')) {
        /* No folder in the pattern: it may match the last component alone,
         * or any folder on the way (as .gitignore does). */
        if (glob_at(pat, path, &steps))
            return true;
        for (const char *c = path; *c; c++) {
            if (*c != '/')
                continue;
            const char *next = strchr(c + 1, '/');
            size_t n = next ? (size_t)(next - c - 1) : strlen(c + 1);
            char comp[1024];
            if (n >= sizeof comp)
                continue;
            memcpy(comp, c + 1, n);
            comp[n] = 0;
            steps = 0;
            if (glob_at(pat, comp, &steps))
                return true;
        }
        /* the first component too */
        const char *first = strchr(path, '/');
        if (first) {
            char comp[1024];
            size_t n = (size_t)(first - path);
            if (n < sizeof comp) {
                memcpy(comp, path, n);
                comp[n] = 0;
                steps = 0;
                if (glob_at(pat, comp, &steps))
                    return true;
            }
        }
        return false;
    }
    if (pat[0] == '/')
        pat++;
    return glob_at(pat, path, &steps);
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
                if (S_ISLNK(lst.st_mode) || !strcmp(e->d_name, "_drafts") ||
                    !strcmp(e->d_name, "drafts"))
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
            /* A repository's own notes beside the posts are not posts. */
            static const char *const notes[] = {"SOURCE.md", "LICENSE.md", "CHANGELOG.md",
                                                "CONTRIBUTING.md", "SUMMARY.md"};
            bool note = false;
            for (size_t k = 0; k < sizeof notes / sizeof *notes; k++)
                note |= dep == 0 && here.len > 1 && !strcasecmp(b, notes[k]);
            if (note)
                continue;
            dg_vec_push(files, here.items[i]);
        }
        dg_vec_free(&here);
        closedir(dir);
    }
    dg_vec_free(&todo);
    dg_vec_free(&depth);
    if (files->len)
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

/* ---- dates tables ------------------------------------------------------------ */

typedef struct date_entry {
    const char *path; /* normalized, relative to the root */
    dg_datetime date;
    size_t row; /* order of appearance */
} date_entry;

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const date_entry *)x)->path, ((const date_entry *)y)->path);
}

static int cmp_entry_row(const void *x, const void *y)
{
    const date_entry *a = x, *b = y;
    int c = strcmp(a->path, b->path);
    return c ? c : a->row < b->row ? -1 : a->row > b->row;
}

/* "./docs/x.md" -> "docs/x.md"; "docs/" -> "docs". */
static char *norm_rel(dg_arena *a, const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    char *n = dg_path_normalize(a, p);
    size_t l = strlen(n);
    while (l > 1 && n[l - 1] == '/')
        n[--l] = 0;
    return n;
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t' || **b == '"'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r' || (*e)[-1] == '"'))
        (*e)--;
}

/* Reads a CSV dates table "path,date" (blank lines and '#' comments skipped;
 * a first line whose date is not a date is a header).  A bad row is an error
 * naming it; the rest is still read.  Returns -1 when the file is unreadable. */
static int read_dates_csv(dg_arena *a, const char *path, const char *shown, dg_vec *rows,
                          dg_diag *d)
{
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    if (dg_read_file_max(path, DATES_MAX_BYTES, &data, &len) != 0) {
        if (errno == EFBIG)
            dg_report_file(d, DG_ERROR, shown, "dates table larger than %d MiB; not read",
                      DATES_MAX_BYTES / (1024 * 1024));
        else
            dg_report_file(d, DG_ERROR, shown, "cannot read the dates table: %s",
                      strerror(errno));
        goto out;
    }
    dg_dates_parse(a, data, len, shown, rows, d);
    rc = 0;
out:
    free(data);
    return rc;
}

size_t dg_dates_parse(dg_arena *a, const char *data, size_t len, const char *shown, dg_vec *rows,
                      dg_diag *d)
{
    size_t before = rows->len;
    const char *q = data, *end = data + len;
    if (len >= 3 && !memcmp(q, "\xEF\xBB\xBF", 3))
        q += 3;
    for (int line = 1; q < end; line++) {
        const char *le = memchr(q, '\n', (size_t)(end - q));
        if (!le)
            le = end;
        const char *b = q, *e = le;
        trim(&b, &e);
        if (b < e && *b != '#') {
            const char *comma = memchr(b, ',', (size_t)(e - b));
            if (!comma)
                comma = memchr(b, ';', (size_t)(e - b));
            const char *pb = b, *pe = comma ? comma : e, *db = comma ? comma + 1 : e, *de = e;
            trim(&pb, &pe);
            trim(&db, &de);
            /* a third column (a title, a note) is allowed */
            const char *c2 = memchr(db, ',', (size_t)(de - db));
            if (c2) {
                de = c2;
                trim(&db, &de);
            }
            char *date = dg_strndup(a, db, (size_t)(de - db));
            dg_datetime dt;
            if (!comma || pb == pe) {
                dg_report(d, DG_ERROR, shown, line, 1, data, len,
                          "expected 'path,YYYY-MM-DD'; row ignored");
            } else if (dg_date_parse(date, &dt) != 0) {
                bool digit = false; /* a header row ("path,date") has no digits there */
                for (const char *c = db; c < de; c++)
                    digit |= *c >= '0' && *c <= '9';
                if (line > 1 || rows->len > 0 || digit) {
                    int col = 1;
                    for (const char *c = q; c < db; c++)
                        col += ((unsigned char)*c & 0xC0) != 0x80;
                    dg_report(d, DG_ERROR, shown, line, col, data, len,
                              "'%s' is not a date (use YYYY-MM-DD); row ignored", date);
                }
            } else {
                date_entry *en = dg_alloc(a, sizeof *en);
                en->path = norm_rel(a, dg_strndup(a, pb, (size_t)(pe - pb)));
                en->date = dt;
                dg_vec_push(rows, en);
            }
        }
        q = le < end ? le + 1 : end;
    }
    return rows->len - before;
}

static const date_entry *find_entry(const date_entry *tab, size_t n, const char *path)
{
    date_entry key = {path, {0}, 0};
    return n ? bsearch(&key, tab, n, sizeof *tab, cmp_entry) : NULL;
}

/* The table's date of a post: its file, else its folder (dated folders,
 * page bundles), by path from the root, else from the posts folder. */
static const date_entry *table_date(const date_entry *tab, size_t n, dg_arena *a,
                                    const char *relpath, const char *prefix)
{
    const date_entry *e = find_entry(tab, n, relpath);
    if (!e && strchr(relpath, '/'))
        e = find_entry(tab, n, dg_path_dirname(a, relpath));
    size_t pl = strlen(prefix);
    if (!e && pl && !strncmp(relpath, prefix, pl) && relpath[pl] == '/')
        e = table_date(tab, n, a, relpath + pl + 1, "");
    return e;
}

/* ---- dates from git ----------------------------------------------------------- */

typedef struct git_want {
    const char *path; /* absolute at first, then relative to the work tree */
    const char *dir;  /* its folder in the tree ("" at the top) */
    const char *base; /* its file name */
    dg_post *post;
    bool alive; /* present in every commit walked so far since it was found */
    bool found;
    git_time when;
} git_want;

/* The wanted paths of one folder, looked up together. */
typedef struct git_group {
    const char *dir;
    size_t first, n; /* range in the sorted wants */
    git_oid prev;    /* the folder's tree in the previous commit looked at */
    bool have_prev;
} git_group;

/* libgit2 is loaded when --date-from git asks for it, not at start-up: with
 * its TLS, SSH and Kerberos dependencies it adds about 1.6 ms to every run
 * (3 % of a month's PDF).  The headers still give every call its type. */
#define GIT_FUNCS(X)                                                                             \
    X(git_commit_author)                                                                         \
    X(git_commit_free) X(git_commit_lookup) X(git_commit_tree) X(git_commit_tree_id)             \
        X(git_error_last) X(git_libgit2_init) X(git_libgit2_shutdown) X(git_oid_equal)           \
            X(git_repository_free) X(git_repository_open_ext) X(git_repository_workdir)          \
                X(git_revwalk_free) X(git_revwalk_new) X(git_revwalk_next)                       \
                    X(git_revwalk_push_head) X(git_revwalk_simplify_first_parent)                \
                        X(git_tree_entry_byname) X(git_tree_entry_bypath) X(git_tree_entry_free) \
                            X(git_tree_entry_id) X(git_tree_entry_type) X(git_tree_free)         \
                                X(git_tree_id) X(git_tree_lookup)
#define GIT_DECLARE(f) __typeof__(f) *f;
static struct {
    GIT_FUNCS(GIT_DECLARE)
} git_api;
#undef GIT_DECLARE
static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static const char *git_missing; /* why libgit2 could not be loaded, or NULL */

static void git_load(void)
{
#define GIT_NAME(f) #f,
#define GIT_SLOT(f) (void **)&git_api.f,
    static const char *const names[] = {GIT_FUNCS(GIT_NAME)};
    void **const slots[] = {GIT_FUNCS(GIT_SLOT)};
#undef GIT_NAME
#undef GIT_SLOT
    static char why[256];
    git_missing = dg_dlopen_funcs(DIGEST_LIBGIT2_SONAME, names, slots, sizeof names / sizeof *names,
                                  why, sizeof why);
}

static void report_git(dg_diag *d, const char *what)
{
    const git_error *e = git_api.git_error_last();
    dg_report_file(d, DG_WARNING, NULL, "--date-from git: %s: %s", what,
              e && e->message ? e->message : "failed");
}

static int cmp_want(const void *x, const void *y)
{
    const git_want *a = x, *b = y;
    int c = strcmp(a->dir, b->dir);
    return c ? c : strcmp(a->base, b->base);
}

/* One commit: every alive path of group G, from the folder's tree. */
static void git_visit_group(git_repository *repo, git_tree *root, git_group *g, git_want *w,
                            const git_signature *au)
{
    git_oid oid;
    bool have = false;
    if (!*g->dir) {
        oid = *git_api.git_tree_id(root);
        have = true;
    } else {
        git_tree_entry *te = NULL;
        if (git_api.git_tree_entry_bypath(&te, root, g->dir) == 0) {
            if (git_api.git_tree_entry_type(te) == GIT_OBJECT_TREE) {
                oid = *git_api.git_tree_entry_id(te);
                have = true;
            }
            git_api.git_tree_entry_free(te);
        }
    }
    if (have && g->have_prev && git_api.git_oid_equal(&oid, &g->prev)) {
        /* the folder did not change: its files are all still there */
        for (size_t i = g->first; i < g->first + g->n; i++)
            if (w[i].alive)
                w[i].when = au->when;
        return;
    }
    g->have_prev = have;
    if (have)
        g->prev = oid;
    git_tree *sub = NULL;
    if (have && git_api.git_tree_lookup(&sub, repo, &oid) != 0)
        sub = NULL;
    for (size_t i = g->first; i < g->first + g->n; i++) {
        if (!w[i].alive)
            continue;
        if (sub && git_api.git_tree_entry_byname(sub, w[i].base)) {
            w[i].found = true;
            w[i].when = au->when;
        } else {
            /* gone before this commit (added by the one after), or not
             * committed at HEAD at all */
            w[i].alive = false;
        }
    }
    git_api.git_tree_free(sub);
}

/* Dates the posts in WANT (undated ones) with the author time of the oldest
 * first-parent commit from HEAD in an unbroken run of commits holding the
 * file: the commit that added it.  One walk for the whole site; the wanted
 * files are grouped by folder, and a folder whose tree did not change since
 * the previous commit costs one lookup. */
static void dates_from_git(const char *root, git_want *w, size_t n, dg_arena *a, dg_diag *d)
{
    git_repository *repo = NULL;
    git_revwalk *walk = NULL;
    git_oid prev_tree;
    bool have_prev = false;
    pthread_once(&git_once, git_load);
    if (git_missing) {
        dg_report_file(d, DG_ERROR, NULL, "--date-from git needs libgit2 (%s, Debian package libgit2-1.5): %s",
                  DIGEST_LIBGIT2_SONAME, git_missing);
        return;
    }
    git_api.git_libgit2_init();
    if (git_api.git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        report_git(d, "the site is not in a git repository");
        goto out;
    }
    const char *wd = git_api.git_repository_workdir(repo);
    if (!wd) {
        dg_report_file(d, DG_WARNING, NULL, "--date-from git: a bare repository");
        goto out;
    }
    char *wreal = realpath(wd, NULL);
    const char *wdir = wreal ? dg_strdup(a, wreal) : dg_strdup(a, wd);
    free(wreal);
    size_t wl = strlen(wdir);
    while (wl > 1 && wdir[wl - 1] == '/')
        wl--;
    for (size_t i = 0; i < n; i++) {
        if (!strncmp(w[i].path, wdir, wl) && w[i].path[wl] == '/')
            w[i].path += wl + 1;
        const char *slash = strrchr(w[i].path, '/');
        w[i].dir = slash ? dg_strndup(a, w[i].path, (size_t)(slash - w[i].path)) : "";
        w[i].base = slash ? slash + 1 : w[i].path;
        w[i].alive = true;
    }
    qsort(w, n, sizeof *w, cmp_want);
    git_group *groups = dg_allocn(a, n, sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (ng && !strcmp(groups[ng - 1].dir, w[i].dir)) {
            groups[ng - 1].n++;
            continue;
        }
        groups[ng++] = (git_group){w[i].dir, i, 1, {{0}}, false};
    }
    if (git_api.git_revwalk_new(&walk, repo) != 0 || git_api.git_revwalk_push_head(walk) != 0) {
        report_git(d, "no history");
        goto out;
    }
    git_api.git_revwalk_simplify_first_parent(walk);
    git_oid oid;
    size_t ncommits = 0;
    bool any = true;
    while (any && git_api.git_revwalk_next(&oid, walk) == 0 && ncommits++ < GIT_MAX_COMMITS) {
        git_commit *c = NULL;
        git_tree *tree = NULL;
        if (git_api.git_commit_lookup(&c, repo, &oid) != 0)
            break;
        const git_signature *au = git_api.git_commit_author(c);
        const git_oid *tid = git_api.git_commit_tree_id(c);
        if (have_prev && git_api.git_oid_equal(tid, &prev_tree)) {
            for (size_t i = 0; i < n; i++)
                if (w[i].alive)
                    w[i].when = au->when;
            git_api.git_commit_free(c);
            continue;
        }
        prev_tree = *tid;
        have_prev = true;
        if (git_api.git_commit_tree(&tree, c) != 0) {
            git_api.git_commit_free(c);
            break;
        }
        for (size_t g = 0; g < ng; g++)
            git_visit_group(repo, tree, &groups[g], w, au);
        any = false;
        for (size_t i = 0; i < n && !any; i++)
            any = w[i].alive;
        git_api.git_tree_free(tree);
        git_api.git_commit_free(c);
    }
    for (size_t i = 0; i < n; i++) {
        if (!w[i].found)
            continue;
        /* the author's wall clock, in the author's zone */
        long long t = (long long)w[i].when.time + w[i].when.offset * 60LL;
        long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
        long long secs = t - days * 86400;
        /* civil_from_days (H. Hinnant) */
        long long z = days + 719468;
        long long era = (z >= 0 ? z : z - 146096) / 146097;
        long long doe = z - era * 146097;
        long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long long mp = (5 * doy + 2) / 153;
        dg_datetime *dt = &w[i].post->date;
        dt->day = (int)(doy - (153 * mp + 2) / 5 + 1);
        dt->month = (int)(mp < 10 ? mp + 3 : mp - 9);
        dt->year = (int)(yoe + era * 400 + (dt->month <= 2));
        dt->hour = (int)(secs / 3600);
        dt->min = (int)(secs / 60 % 60);
        dt->sec = (int)(secs % 60);
        dt->has_time = dt->has_zone = true;
        dt->tz_min = w[i].when.offset;
        w[i].post->has_date = true;
        w[i].post->date_source = DG_DATE_GIT;
    }
out:
    git_api.git_revwalk_free(walk);
    git_api.git_repository_free(repo);
    git_api.git_libgit2_shutdown();
}

/* ---- the site ------------------------------------------------------------------ */

int dg_site_open(dg_site **out, const char *root, const char *posts_dir, dg_diag *d)
{
    dg_site_opts o = {0};
    o.root = root;
    o.posts_dir = posts_dir;
    return dg_site_open_opts(out, &o, d);
}

static bool selected(const dg_site_opts *o, const char *rel_posts, const char *rel_root)
{
    bool in = o->ninclude == 0;
    for (size_t i = 0; !in && i < o->ninclude; i++)
        in = dg_glob_match(o->include[i], rel_posts) || dg_glob_match(o->include[i], rel_root);
    for (size_t i = 0; in && i < o->nexclude; i++)
        in = !(dg_glob_match(o->exclude[i], rel_posts) || dg_glob_match(o->exclude[i], rel_root));
    return in;
}

int dg_site_open_opts(dg_site **out, const dg_site_opts *o, dg_diag *d)
{
    int rc = -1;
    dg_vec files = {0}, posts = {0}, all = {0}, rows = {0}, undated = {0};
    dg_site *s = NULL;
    dg_arena *a = dg_arena_new();
    const char *root = o->root;
    *out = NULL;
    char *real = realpath(root, NULL);
    if (!real) {
        dg_report_file(d, DG_ERROR, root, "cannot open the site: %s", strerror(errno));
        goto out;
    }
    if (!dg_is_dir(real)) {
        dg_report_file(d, DG_ERROR, root, "the site is not a folder");
        goto out;
    }
    site_priv *sp = dg_alloc(a, sizeof *sp);
    sp->lazy = o->lazy_html;
    s = &sp->pub;
    s->arena = a;
    s->root = dg_strdup(a, real);
    s->root_arg = dg_strdup(a, root);
    /* Site defaults: Hugo's, then Jekyll's or Hexo's _config.yml (the
     * later file wins), then the options. */
    read_toml_config(s, "config.toml", d);
    read_toml_config(s, "hugo.toml", d);
    read_config(s, "config.yaml", d);
    read_config(s, "_config.yml", d);
    if (o->title && *o->title)
        s->title = dg_strdup(a, o->title);
    if (o->author && *o->author)
        s->author = dg_strdup(a, o->author);
    if (o->lang && *o->lang)
        s->lang = dg_strdup(a, o->lang);
    if (!s->title)
        s->title = dg_strdup(a, folder_name(s->root));
    if (o->templates_dir && *o->templates_dir)
        s->templates_dir = o->templates_dir[0] == '/'
                               ? dg_path_normalize(a, o->templates_dir)
                               : dg_path_normalize(a, dg_path_join(a, s->root, o->templates_dir));

    /* The posts folder: --posts, else the first known site shape present
     * (Jekyll, Hexo, Hugo, Pelican). */
    static const char *const shapes[] = {"_posts", "source/_posts", "content/posts", "content/post",
                                         "content"};
    const char *pd = o->posts_dir && *o->posts_dir ? o->posts_dir : NULL;
    for (size_t i = 0; !pd && i < sizeof shapes / sizeof *shapes; i++)
        if (dg_is_dir(dg_path_join(a, s->root, shapes[i])))
            pd = shapes[i];
    if (!pd) {
        dg_report_file(d, DG_ERROR, root, "no posts folder found (looked for _posts, source/_posts, content/posts, "
                  "content/post and content); give --posts DIR");
        goto out;
    }
    char *pabs = pd[0] == '/' ? dg_strdup(a, pd) : dg_path_join(a, s->root, pd);
    s->posts_dir = dg_path_normalize(a, pabs);
    const char *pshown = pd[0] == '/' ? pd : dg_path_join(a, s->root_arg, pd);
    if (!dg_is_dir(s->posts_dir)) {
        dg_report_file(d, DG_ERROR, pshown, "no such posts folder");
        goto out;
    }
    /* Relpaths are relative to the site root, so the posts folder's own
     * path inside the site prefixes each file's. */
    const char *prefix = "";
    size_t rl = strlen(s->root);
    if (dg_path_inside(s->root, s->posts_dir) && strlen(s->posts_dir) > rl)
        prefix = s->posts_dir + rl + (s->root[rl - 1] == '/' ? 0 : 1);

    /* The dates table: the configuration's rows, then the file's (a later
     * row for the same path wins). */
    for (size_t i = 0; i < o->ndates; i++) {
        dg_datetime dt;
        if (dg_date_parse(o->dates[i].date, &dt) != 0) {
            dg_report_file(d, DG_ERROR, o->dates_origin, "dates: '%s' for %s is not a date (use YYYY-MM-DD)", o->dates[i].date,
                      o->dates[i].path);
            continue;
        }
        date_entry *en = dg_alloc(a, sizeof *en);
        en->path = norm_rel(a, o->dates[i].path);
        en->date = dt;
        dg_vec_push(&rows, en);
    }
    if (o->dates_file && *o->dates_file) {
        const char *df = o->dates_file;
        /* relative to the current folder when it is there, else to the site */
        const char *dabs = df[0] == '/' || dg_is_file(df) ? df : dg_path_join(a, s->root, df);
        if (read_dates_csv(a, dabs, df, &rows, d) != 0)
            goto out;
    }
    size_t ntab = rows.len;
    date_entry *tab = dg_allocn(a, ntab ? ntab : 1, sizeof *tab);
    for (size_t i = 0; i < ntab; i++)
        tab[i] = *(date_entry *)rows.items[i];
    /* a later row for the same path must win: sort by (path, row) */
    for (size_t i = 0; i < ntab; i++)
        tab[i].row = i;
    qsort(tab, ntab, sizeof *tab, cmp_entry_row);
    size_t nt = 0; /* keep the last of equal paths */
    for (size_t i = 0; i < ntab; i++) {
        if (nt && !strcmp(tab[nt - 1].path, tab[i].path))
            tab[nt - 1] = tab[i];
        else
            tab[nt++] = tab[i];
    }
    ntab = nt;

    collect(a, s->posts_dir, &files, d, pshown);
    for (size_t i = 0; i < files.len; i++) {
        const char *frel = files.items[i];
        char *relpath = *prefix ? dg_path_join(a, prefix, frel) : dg_strdup(a, frel);
        if (!selected(o, frel, relpath))
            continue;
        char *fabs = dg_path_join(a, s->posts_dir, frel);
        char *shown = dg_path_join(a, pshown, frel);
        dg_post *p;
        int prc = o->lazy_html ? dg_post_read_lazy(&p, a, shown, fabs, relpath, d)
                               : dg_post_read(&p, a, shown, fabs, relpath, d);
        if (prc != 0) {
            s->nskipped++;
            continue;
        }
        dg_vec_push(&all, p);
        if (!p->has_date) {
            const date_entry *e = table_date(tab, ntab, a, relpath, prefix);
            if (e) {
                p->date = e->date;
                p->has_date = true;
                p->date_source = DG_DATE_TABLE;
            }
        }
        if (!p->has_date && o->date_from == DG_DATE_FROM_MTIME) {
            struct stat st;
            struct tm tm;
            if (stat(fabs, &st) == 0 && localtime_r(&st.st_mtime, &tm)) {
                p->date = (dg_datetime){tm.tm_year + 1900,
                                        tm.tm_mon + 1,
                                        tm.tm_mday,
                                        tm.tm_hour,
                                        tm.tm_min,
                                        tm.tm_sec,
                                        (int)(tm.tm_gmtoff / 60),
                                        true,
                                        true};
                p->has_date = true;
                p->date_source = DG_DATE_MTIME;
            }
        }
        if (!p->has_date && o->date_from == DG_DATE_FROM_GIT) {
            git_want *gw = dg_alloc(a, sizeof *gw);
            char *r = realpath(fabs, NULL);
            gw->path = dg_strdup(a, r ? r : fabs);
            free(r);
            gw->post = p;
            dg_vec_push(&undated, gw);
        }
    }
    if (undated.len) {
        git_want *w = dg_allocn(a, undated.len, sizeof *w);
        for (size_t i = 0; i < undated.len; i++)
            w[i] = *(git_want *)undated.items[i];
        dates_from_git(s->root, w, undated.len, a, d);
    }
    for (size_t i = 0; i < all.len; i++) {
        dg_post *p = all.items[i];
        if (!p->published) {
            s->nskipped++;
            continue;
        }
        if (!p->has_date) {
            char *key = dg_sprintf(a, "nodate:%s", p->path);
            dg_report_once(d, key, DG_WARNING, p->path, 0, 0,
                           "no date in front matter or file name%s; left out",
                           ntab                                 ? " or the dates table"
                           : o->date_from == DG_DATE_FROM_GIT   ? " or git history"
                           : o->date_from == DG_DATE_FROM_MTIME ? " or its mtime"
                                                                : "");
            s->nskipped++;
            continue;
        }
        dg_vec_push(&posts, p);
    }
    if (posts.len)
        qsort(posts.items, posts.len, sizeof *posts.items, cmp_post);
    s->nposts = posts.len;
    s->posts = dg_allocn(a, posts.len ? posts.len : 1, sizeof *s->posts);
    for (size_t i = 0; i < posts.len; i++)
        s->posts[i] = posts.items[i];
    s->nall = all.len;
    s->all = dg_allocn(a, all.len ? all.len : 1, sizeof *s->all);
    for (size_t i = 0; i < all.len; i++)
        s->all[i] = all.items[i];
    if (!s->lang)
        s->lang = guess_lang(s);
    index_months(sp);
    *out = s;
    rc = 0;
out:
    free(real);
    dg_vec_free(&files);
    dg_vec_free(&posts);
    dg_vec_free(&all);
    dg_vec_free(&rows);
    dg_vec_free(&undated);
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

static size_t month_index(const site_priv *sp, const char *month)
{
    size_t i = 0;
    while (i < sp->nmonths && strcmp(sp->months[i], month) != 0)
        i++;
    return i;
}

dg_post **dg_site_month_posts(const dg_site *s, const char *month, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    size_t i = month_index(sp, month);
    if (i == sp->nmonths) {
        *n = 0;
        return NULL;
    }
    if (sp->lazy) {
        pthread_mutex_lock(&render_lock);
        for (size_t k = 0; k < sp->nmposts[i]; k++)
            dg_post_render(sp->mposts[i][k], s->arena);
        pthread_mutex_unlock(&render_lock);
    }
    *n = sp->nmposts[i];
    return sp->mposts[i];
}

dg_post **dg_site_month_posts_meta(const dg_site *s, const char *month, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    size_t i = month_index(sp, month);
    *n = i < sp->nmonths ? sp->nmposts[i] : 0;
    return i < sp->nmonths ? sp->mposts[i] : NULL;
}
