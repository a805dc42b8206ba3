/* gitdates.c - --date-from git: an undated post gets the author date of the
 * first-parent commit that added its file, from one walk of the history
 * through libgit2, which is loaded (dlopen) only when asked for.
 */
#include "site/gitdates.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

/* Commits walked for --date-from git: a blog's history is far shorter; the
 * cap bounds the walk on a huge repository (older posts stay undated). */
#define GIT_MAX_COMMITS 200000

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

/* One walk for the whole site; the wanted files are grouped by folder, and
 * a folder whose tree did not change since the previous commit costs one
 * lookup. */
int dg_dates_from_git(const char *root, dg_post *const *posts, const char *const *paths, size_t n,
                      dg_arena *a, dg_diag *d)
{
    git_repository *repo = NULL;
    git_revwalk *walk = NULL;
    git_oid prev_tree;
    bool have_prev = false, inited = false;
    int rc = -1;
    pthread_once(&git_once, git_load);
    if (git_missing) {
        dg_report_file(d, DG_ERROR, NULL,
                       "--date-from git needs libgit2 (%s, Debian package libgit2-1.5): %s",
                       DIGEST_LIBGIT2_SONAME, git_missing);
        goto out;
    }
    git_api.git_libgit2_init();
    inited = true;
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
    git_want *w = dg_allocn(a, n ? n : 1, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        w[i].path = paths[i];
        w[i].post = posts[i];
        if (!strncmp(w[i].path, wdir, wl) && w[i].path[wl] == '/')
            w[i].path += wl + 1;
        const char *slash = strrchr(w[i].path, '/');
        w[i].dir = slash ? dg_strndup(a, w[i].path, (size_t)(slash - w[i].path)) : "";
        w[i].base = slash ? slash + 1 : w[i].path;
        w[i].alive = true;
    }
    qsort(w, n, sizeof *w, cmp_want);
    git_group *groups = dg_allocn(a, n ? n : 1, sizeof *groups);
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
        w[i].post->date = dg_datetime_at((long long)w[i].when.time, w[i].when.offset);
        w[i].post->has_date = true;
        w[i].post->date_source = DG_DATE_GIT;
    }
    rc = 0;
out:
    if (inited) {
        git_api.git_revwalk_free(walk);
        git_api.git_repository_free(repo);
        git_api.git_libgit2_shutdown();
    }
    return rc;
}
