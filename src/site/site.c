/* site.c - the site: every post under the posts folder, read in path order,
 * dated (its metadata or name, else the dates table, mtime or git history),
 * sorted by date-time then relpath, and indexed by month.  The site's own
 * settings are siteconfig.c; the date sources dates.c and gitdates.c; the
 * --include/--exclude patterns glob.c.
 *
 * Once dg_site_open_opts returns, nothing writes to the site: the threads
 * that build months read it, and render what they need into their own
 * memory (dg_site_month_posts).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "site/gitdates.h"
#include "site/lang.h"
#include "site/site.h"
#include "site/siteconfig.h"

/* Folders deeper than this under the posts folder are not walked: Jekyll
 * sites nest posts a few levels (year/month) at most, and the cap bounds the
 * walk on a hostile tree. */
#define SITE_MAX_DEPTH 16

/* The site with what the month queries need, computed once. */
typedef struct site_priv {
    dg_site pub; /* first: a dg_site * is a site_priv * */
    const char **months;
    size_t nmonths;
    dg_post ***mposts;
    size_t *nmposts;
    bool lazy; /* posts read without their html (dg_site_opts.lazy_html) */
} site_priv;

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

/* The table's language whose key (Hugo's name: "zh-cn") or tag is NAME[0..N). */
static const dg_site_language *table_lang(const dg_site *s, const char *name, size_t n)
{
    for (size_t i = 0; i < s->nlanguages; i++) {
        const dg_site_language *l = &s->languages[i];
        if ((strlen(l->key) == n && !strncasecmp(l->key, name, n)) ||
            (strlen(l->tag) == n && !strncasecmp(l->tag, name, n)))
            return l;
    }
    return NULL;
}

/* The language a name gives: a language of the table, else a tag of a
 * known language (lang.h); NULL when it gives none. */
static const char *name_lang(const dg_site *s, const char *name, size_t n)
{
    const dg_site_language *l = table_lang(s, name, n);
    return l ? l->tag : dg_lang_from_name(s->arena, name, n);
}

/* P's language by Hugo's conventions: its file name's suffix, else the
 * table's language whose contentDir holds it; NULL when neither says. */
static const char *hugo_lang(const dg_site *s, const dg_post *p)
{
    if (p->name_lang) {
        const dg_site_language *l = table_lang(s, p->name_lang, strlen(p->name_lang));
        return l ? l->tag : p->name_lang;
    }
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < s->nlanguages; i++) {
        const char *cd = s->languages[i].content_dir;
        size_t n = cd ? strlen(cd) : 0;
        if (n > best_len && !strncmp(p->relpath, cd, n) && p->relpath[n] == '/') {
            best = s->languages[i].tag;
            best_len = n;
        }
    }
    return best;
}

/* P's language from a folder of its path (the deepest that is one). */
static const char *folder_lang(const dg_site *s, const dg_post *p)
{
    const char *found = NULL, *r = p->relpath;
    for (const char *slash; (slash = strchr(r, '/')); r = slash + 1) {
        const char *l = name_lang(s, r, (size_t)(slash - r));
        if (l)
            found = l;
    }
    return found;
}

static int cmp_lang(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The site's language (normalized; guessed when nothing set it: a key of
 * the table stands for its tag), then every post's (lang.h has the order),
 * then the list of the posts' languages. */
static void settle_langs(dg_site *s)
{
    dg_arena *a = s->arena;
    if (s->lang) {
        const dg_site_language *l = table_lang(s, s->lang, strlen(s->lang));
        const char *t = l ? l->tag : dg_lang_norm(a, s->lang);
        s->lang = t ? t : s->lang;
    } else {
        s->lang = guess_lang(s);
    }
    dg_map seen;
    dg_map_init(&seen, a);
    dg_vec others = {0};
    for (size_t i = 0; i < s->nall; i++) {
        dg_post *p = s->all[i];
        const char *l = NULL;
        if (!p->lang && (l = hugo_lang(s, p)))
            p->lang_source = DG_LANG_HUGO;
        if (!p->lang && !l && (l = folder_lang(s, p)))
            p->lang_source = DG_LANG_FOLDER;
        if (!p->lang && !l) {
            dg_lang_counts c;
            size_t off = 0;
            for (int ln = 1; ln < p->body_line && off < p->text_len; off++)
                ln += p->text[off] == '\n';
            dg_lang_count(&c, p->text + off, p->text_len - off);
            l = dg_lang_detect(&c, s->lang);
            p->lang_source = DG_LANG_TEXT;
        }
        if (!p->lang)
            p->lang = l;
    }
    /* the languages of the usable posts: the site's, the table's, the rest */
    for (size_t i = 0; i < s->nposts; i++)
        if (dg_map_add(&seen, s->posts[i]->lang, NULL))
            dg_vec_push(&others, (void *)s->posts[i]->lang);
    s->langs = dg_allocn(a, others.len ? others.len : 1, sizeof *s->langs);
    dg_map put;
    dg_map_init(&put, a);
    for (size_t i = 0; i <= s->nlanguages; i++) {
        const char *t = i == 0 ? s->lang : s->languages[i - 1].tag;
        if (dg_map_get(&seen, t, NULL) && dg_map_add(&put, t, NULL))
            s->langs[s->nlangs++] = t;
    }
    size_t from = s->nlangs;
    for (size_t i = 0; i < others.len; i++)
        if (dg_map_add(&put, others.items[i], NULL))
            s->langs[s->nlangs++] = others.items[i];
    qsort(s->langs + from, s->nlangs - from, sizeof *s->langs, cmp_lang);
    dg_vec_free(&others);
}

/* A folder name for the default title: the last component of ROOT. */
static const char *folder_name(const char *root)
{
    const char *b = dg_path_basename(root);
    return *b ? b : root;
}

/* The site's settings: its configuration files, then O; the folder's name
 * when nothing gives a title.  (The language may stay NULL: see guess_lang.) */
static void settings(dg_site *s, const dg_site_opts *o, dg_diag *d)
{
    dg_arena *a = s->arena;
    dg_site_config c;
    dg_site_config_read(&c, a, s->root, s->root_arg, d);
    s->title = c.title;
    s->author = c.author;
    s->lang = c.lang;
    s->description = c.description;
    s->url = c.url;
    /* digest.yaml's languages over the site configuration's table: a title
     * for a language there, or a language more */
    dg_site_language *langs = dg_allocn(a, c.nlangs + o->nlanguages + 1, sizeof *langs);
    size_t nl = c.nlangs;
    for (size_t i = 0; i < c.nlangs; i++)
        langs[i] = c.langs[i];
    for (size_t i = 0; i < o->nlanguages; i++) {
        const char *tag = dg_lang_norm(a, o->languages[i].lang);
        size_t k = 0;
        while (tag && k < nl && strcmp(langs[k].tag, tag) != 0)
            k++;
        if (!tag || k >= DG_SITE_MAX_LANGUAGES)
            continue;
        if (k == nl)
            langs[nl++] = (dg_site_language){tag, tag, NULL, NULL, 0};
        if (o->languages[i].title && *o->languages[i].title)
            langs[k].title = dg_strdup(a, o->languages[i].title);
    }
    s->languages = langs;
    s->nlanguages = nl;
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
    /* The templates folder (templates:, else _digest/templates) is the
     * site's, whatever names it: one leading out of the site is refused, and
     * "" (no folder) sends template.c to the installed templates. */
    const char *tdir =
        s->templates_dir ? s->templates_dir : dg_path_join(a, s->root, "_digest/templates");
    char *treal;
    if (dg_is_dir(tdir) && dg_resolve_inside(a, s->root, tdir, &treal) != 0 && treal) {
        dg_report_file(d, DG_WARNING, tdir, "%s; not read, the installed templates are used",
                       dg_outside_why(a, tdir, treal));
        s->templates_dir = "";
    }
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

/* Sets S->posts_dir: --posts, else the first known site shape present
 * (Jekyll, Hexo, Hugo, Pelican).  *SHOWN is the folder as the user names it,
 * *PREFIX its path inside the site ("" when it is the root or outside it):
 * relpaths are relative to the site root, so it prefixes each file's.
 * *BOUND is the real folder every post must resolve inside: the site root,
 * or the posts folder itself when the user named one outside the site (an
 * absolute or "../" --posts: the user's own choice).  A folder named inside
 * the site that leads out of it through a symlink is refused.
 * Returns 0, or -1 after reporting that there is no posts folder. */
static int find_posts_dir(dg_site *s, const dg_site_opts *o, const char **shown,
                          const char **prefix, const char **bound, dg_diag *d)
{
    static const char *const shapes[] = {"_posts", "source/_posts", "content/posts", "content/post",
                                         "content"};
    dg_arena *a = s->arena;
    int rc = -1;
    const char *pd = o->posts_dir && *o->posts_dir ? o->posts_dir : NULL;
    /* Hugo's languages each in a contentDir of their own: all of content/ */
    for (size_t i = 0; !pd && i < s->nlanguages; i++)
        if (s->languages[i].content_dir && dg_is_dir(dg_path_join(a, s->root, "content")))
            pd = "content";
    for (size_t i = 0; !pd && i < sizeof shapes / sizeof *shapes; i++)
        if (dg_is_dir(dg_path_join(a, s->root, shapes[i])))
            pd = shapes[i];
    if (!pd) {
        dg_report_file(d, DG_ERROR, o->root,
                       "no posts folder found (looked for _posts, source/_posts, content/posts, "
                       "content/post and content); give --posts DIR");
        goto out;
    }
    char *pabs = pd[0] == '/' ? dg_strdup(a, pd) : dg_path_join(a, s->root, pd);
    s->posts_dir = dg_path_normalize(a, pabs);
    *shown = pd[0] == '/' ? pd : dg_path_join(a, s->root_arg, pd);
    if (!dg_is_dir(s->posts_dir)) {
        dg_report_file(d, DG_ERROR, *shown, "no such posts folder");
        goto out;
    }
    char *preal;
    *bound = s->root;
    if (dg_resolve_inside(a, s->root, s->posts_dir, &preal) != 0) {
        if (preal && dg_path_inside(s->root, s->posts_dir)) {
            dg_report_file(d, DG_ERROR, *shown, "%s; not read",
                           dg_outside_why(a, s->posts_dir, preal));
            goto out;
        }
        if (preal)
            *bound = preal;
    }
    *prefix = "";
    size_t rl = strlen(s->root);
    if (dg_path_inside(s->root, s->posts_dir) && strlen(s->posts_dir) > rl)
        *prefix = s->posts_dir + rl + (s->root[rl - 1] == '/' ? 0 : 1);
    rc = 0;
out:
    return rc;
}

/* Reads the selected posts under the posts folder (SHOWN, PREFIX as from
 * find_posts_dir; BOUND too: a post file, README.md of a folder post
 * included, that is a symlink leading out of it is refused, an error) into ALL, every post that parsed, and dates those whose
 * metadata and name give no date: from TAB, else by O's date_from.  A post
 * that does not parse is reported and counted as skipped. */
static void read_posts(dg_site *s, const dg_site_opts *o, const char *pshown, const char *prefix,
                       const char *bound, const dg_dates *tab, dg_vec *all, dg_diag *d)
{
    dg_arena *a = s->arena;
    dg_vec files = {0}, undated = {0}, paths = {0}; /* for git: posts and their real paths */
    collect(a, s->posts_dir, &files, d, pshown);
    for (size_t i = 0; i < files.len; i++) {
        const char *frel = files.items[i];
        char *relpath = *prefix ? dg_path_join(a, prefix, frel) : dg_strdup(a, frel);
        if (!selected(o, frel, relpath))
            continue;
        char *fabs = dg_path_join(a, s->posts_dir, frel);
        char *shown = dg_path_join(a, pshown, frel);
        char *real;
        if (dg_resolve_inside(a, bound, fabs, &real) != 0 && real) {
            dg_report_file(d, DG_ERROR, shown, "%s; not read", dg_outside_why(a, fabs, real));
            s->nskipped++;
            continue;
        }
        dg_post *p;
        int prc = o->lazy_html ? dg_post_read_lazy(&p, a, shown, fabs, relpath, d)
                               : dg_post_read(&p, a, shown, fabs, relpath, d);
        if (prc != 0) {
            s->nskipped++;
            continue;
        }
        dg_vec_push(all, p);
        const dg_datetime *dt = p->has_date ? NULL : dg_dates_find(tab, a, relpath, prefix);
        if (dt) {
            p->date = *dt;
            p->has_date = true;
            p->date_source = DG_DATE_TABLE;
        }
        if (!p->has_date && o->date_from == DG_DATE_FROM_MTIME &&
            dg_date_from_mtime(fabs, &p->date) == 0) {
            p->has_date = true;
            p->date_source = DG_DATE_MTIME;
        }
        if (!p->has_date && o->date_from == DG_DATE_FROM_GIT) {
            char *r = realpath(fabs, NULL);
            dg_vec_push(&undated, p);
            dg_vec_push(&paths, dg_strdup(a, r ? r : fabs));
            free(r);
        }
    }
    /* one walk of the history for them all; when it cannot be walked (it
     * was reported) they stay undated */
    if (undated.len)
        (void)dg_dates_from_git(s->root, (dg_post *const *)undated.items,
                                (const char *const *)paths.items, undated.len, a, d);
    dg_vec_free(&files);
    dg_vec_free(&undated);
    dg_vec_free(&paths);
}

/* The published, dated posts of ALL in order, every post of ALL, the
 * language when nothing set it, the months.  NTAB is the dates table's size
 * (for the report about an undated post). */
static void assemble(site_priv *sp, const dg_site_opts *o, const dg_vec *all, size_t ntab,
                     dg_diag *d)
{
    dg_site *s = &sp->pub;
    dg_arena *a = s->arena;
    dg_vec posts = {0};
    for (size_t i = 0; i < all->len; i++) {
        dg_post *p = all->items[i];
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
    s->nall = all->len;
    s->all = dg_allocn(a, all->len ? all->len : 1, sizeof *s->all);
    for (size_t i = 0; i < all->len; i++)
        s->all[i] = all->items[i];
    settle_langs(s);
    index_months(sp);
    dg_vec_free(&posts);
}

int dg_site_open_opts(dg_site **out, const dg_site_opts *o, dg_diag *d)
{
    int rc = -1;
    dg_vec all = {0};
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
    dg_site *s = &sp->pub;
    s->arena = a;
    s->root = dg_strdup(a, real);
    s->root_arg = dg_strdup(a, root);
    settings(s, o, d);
    const char *pshown, *prefix, *bound;
    if (find_posts_dir(s, o, &pshown, &prefix, &bound, d) != 0)
        goto out;
    dg_dates tab;
    if (dg_dates_load(&tab, a, o->dates, o->ndates, o->dates_origin, o->dates_file, s->root, d) !=
        0)
        goto out;
    read_posts(s, o, pshown, prefix, bound, &tab, &all, d);
    assemble(sp, o, &all, tab.n, d);
    *out = s;
    rc = 0;
out:
    free(real);
    dg_vec_free(&all);
    if (rc != 0)
        dg_arena_free(a);
    return rc;
}

void dg_site_free(dg_site *s)
{
    if (s)
        dg_arena_free(s->arena);
}

/* Months are computed once in dg_site_open, so the month queries allocate
 * nothing in the site and may be made from the threads that build months in
 * parallel. */
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

dg_post **dg_site_month_posts(const dg_site *s, const char *month, dg_arena *a, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    size_t i = month_index(sp, month);
    *n = i < sp->nmonths ? sp->nmposts[i] : 0;
    if (*n == 0)
        return NULL;
    if (!sp->lazy)
        return sp->mposts[i];
    /* The site's posts stay as they were read: each one handed out is a
     * copy in A, its html rendered there. */
    dg_post **posts = dg_allocn(a, *n, sizeof *posts);
    for (size_t k = 0; k < *n; k++) {
        dg_post *p = dg_alloc(a, sizeof *p);
        *p = *sp->mposts[i][k];
        dg_post_render(p, a);
        posts[k] = p;
    }
    return posts;
}

dg_post **dg_site_month_posts_meta(const dg_site *s, const char *month, size_t *n)
{
    const site_priv *sp = (const site_priv *)s;
    size_t i = month_index(sp, month);
    *n = i < sp->nmonths ? sp->nmposts[i] : 0;
    return i < sp->nmonths ? sp->mposts[i] : NULL;
}
