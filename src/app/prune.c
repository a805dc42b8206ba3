/* prune.c - digests of months that no longer have posts (app.h, dg_prune).
 *
 * A month OUT has built is known by its files in OUT/.digest-state: its
 * record (stamp.h) and its lock (outdir.h), made before its first output.
 * One of those months that the options select but the site no longer has
 * posts for (its posts deleted, moved to another month, or now excluded)
 * keeps its digests unless --prune is given, and a note names it; with
 * --prune its EPUB, PDF (by the current name pattern), record, catalog entry
 * (catalog.h) and lock go,
 * under its lock, so that no build of the same OUT is writing it then.
 * A volume (YYYY[.LANG] or all[.LANG] in the state, stamp.h) goes the same
 * way once none of its months has posts (in its language) and O selects one
 * of them (any, for the complete volume). */
#include "app/app.h"
#include "app/catalog.h"
#include "app/outdir.h"
#include "app/stamp.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "YYYY-MM.stamp" or "YYYY-MM.lock": the month, or NULL. */
static const char *state_month(dg_arena *a, const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot || dot - name != 7 || (strcmp(dot, ".stamp") != 0 && strcmp(dot, ".lock") != 0))
        return NULL;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
            return NULL;
    return dg_strndup(a, name, 7);
}

/* A volume's record or lock, "YYYY[.LANG].stamp" or "all[.LANG].lock"...:
 * its key ("YYYY" or "all") and *LANG (NULL: none), or NULL. */
static const char *state_volume(dg_arena *a, const char *name, const char **lang)
{
    size_t n = strlen(name), k = strcspn(name, ".");
    size_t end = n > 6 && !strcmp(name + n - 6, ".stamp")  ? n - 6
                 : n > 5 && !strcmp(name + n - 5, ".lock") ? n - 5
                                                           : 0;
    bool year = k == 4 && strspn(name, "0123456789") == 4;
    if (end < k || !(year || (k == 3 && !strncmp(name, "all", 3))))
        return NULL;
    *lang = end > k + 1 ? dg_strndup(a, name + k + 1, end - k - 1) : NULL;
    if (end == k + 1 || (*lang && strchr(*lang, '.')))
        return NULL;
    return dg_strndup(a, name, k);
}

/* Whether SITE has posts in YEAR (-1: any), in LANG (NULL: any). */
static bool has_posts(const dg_site *site, int year, const char *lang)
{
    size_t nm = 0;
    const char **months = dg_site_months(site, &nm);
    for (size_t i = 0; i < nm; i++) {
        if (year >= 0 && atoi(months[i]) != year)
            continue;
        size_t np = 0;
        dg_post **posts = dg_site_month_posts_meta(site, months[i], &np);
        for (size_t p = 0; p < np; p++)
            if (!lang || !strcmp(posts[p]->lang, lang))
                return true;
    }
    return false;
}

/* Whether O selects a month of YEAR (-1: the complete volume, always). */
static bool year_selected(dg_arena *a, const dg_options *o, int year)
{
    for (int m = 1; m <= 12 && year >= 0; m++)
        if (dg_month_selected(o, dg_sprintf(a, "%04d-%02d", year, m)))
            return true;
    return year < 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool listed(const dg_vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (!strcmp(v->items[i], s))
            return true;
    return false;
}

/* The months of OUT's state that O selects and SITE has no posts for, in
 * order, without repeats, into MONTHS; the volumes none of whose months has
 * posts (in its language) any more, and one of whose months O selects,
 * into VOLS as their keys in the state (dg_book_key). */
static void orphans(dg_arena *a, const dg_options *o, const dg_site *site, const char *out_dir,
                    dg_vec *months_out, dg_vec *vols)
{
    DIR *dh = opendir(dg_path_join(a, out_dir, ".digest-state"));
    if (!dh)
        return;
    size_t nm = 0;
    const char **months = dg_site_months(site, &nm);
    struct dirent *de;
    while ((de = readdir(dh))) {
        const char *lang = NULL, *m = state_month(a, de->d_name);
        const char *v = m ? NULL : state_volume(a, de->d_name, &lang);
        if (v) {
            int year = strcmp(v, "all") ? atoi(v) : -1;
            const char *key = dg_book_key(a, v, lang);
            if (year_selected(a, o, year) && !has_posts(site, year, lang) && !listed(vols, key))
                dg_vec_push(vols, (void *)key);
            continue;
        }
        if (!m || !dg_month_selected(o, m))
            continue;
        bool has = false;
        for (size_t i = 0; i < nm && !has; i++)
            has = strcmp(months[i], m) == 0;
        if (!has && !listed(months_out, m))
            dg_vec_push(months_out, (void *)m);
    }
    closedir(dh);
    if (months_out->len > 1)
        qsort(months_out->items, months_out->len, sizeof *months_out->items, cmp_str);
    if (vols->len > 1)
        qsort(vols->items, vols->len, sizeof *vols->items, cmp_str);
}

static int remove_file(const char *path, dg_diag *d)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    dg_report_file(d, DG_ERROR, path, "cannot remove (%s)", strerror(errno));
    return -1;
}

/* The note naming the N books of V (WHAT: "month", "volume") kept. */
static void kept_note(dg_arena *a, const dg_vec *v, const char *what, const char *out_dir,
                      dg_diag *d)
{
    if (v->len == 0)
        return;
    dg_buf b = {0};
    for (size_t i = 0; i < v->len; i++)
        dg_buf_printf(&b, "%s%s", i ? ", " : "", (const char *)v->items[i]);
    dg_report_file(d, DG_NOTE, out_dir,
                   "%zu %s%s no longer %s posts, %s digests kept: %s (--prune removes "
                   "them)",
                   v->len, what, v->len == 1 ? "" : "s", v->len == 1 ? "has" : "have",
                   v->len == 1 ? "its" : "their", dg_buf_to_arena(&b, a));
}

/* Removes the book of files F (KEY in the catalog; WHAT: "the month",
 * "the volume"), under its lock.  0, or -1 after reporting. */
static int remove_book(dg_arena *a, const dg_month_files *f, const char *key, const char *what,
                       const char *out_dir, dg_diag *d)
{
    int lock = dg_out_lock_month(a, f->lock);
    if (lock < 0) {
        if (errno != EINTR)
            dg_report_file(d, DG_ERROR, f->lock, "cannot lock %s (%s); not pruned", what,
                           strerror(errno));
        return -1;
    }
    /* the record first: a book half removed is one with no record */
    int rc = remove_file(f->stamp, d) | remove_file(f->files, d);
    if (rc == 0)
        rc = remove_file(f->epub, d) | remove_file(f->pdf, d);
    if (rc == 0)
        rc = dg_catalog_forget(out_dir, key, d);
    if (rc == 0)
        rc = remove_file(f->lock, d);
    close(lock);
    return rc;
}

int dg_prune(const dg_options *o, const dg_site *site, const char *out_dir, dg_diag *d)
{
    int removed = 0;
    dg_arena *a = dg_arena_new();
    dg_vec v = {0}, vols = {0};
    orphans(a, o, site, out_dir, &v, &vols);
    if (!o->prune) {
        kept_note(a, &v, "month", out_dir, d);
        kept_note(a, &vols, "volume", out_dir, d);
        goto out;
    }
    for (size_t i = 0; i < v.len; i++) {
        const char *m = v.items[i];
        dg_month_files f;
        dg_month_files_of(a, o, out_dir, m, NULL, &f);
        if (remove_book(a, &f, m, "the month", out_dir, d) != 0) {
            removed = -1;
            goto out;
        }
        dg_report_file(d, DG_NOTE, out_dir, "%s has no posts any more: its digests removed", m);
        removed++;
    }
    for (size_t i = 0; i < vols.len; i++) {
        const char *key = vols.items[i], *dot = strchr(key, '.');
        dg_month_files f;
        dg_volume_files_of(a, site, out_dir, dot ? dg_strndup(a, key, (size_t)(dot - key)) : key,
                           dot ? dot + 1 : NULL, &f);
        if (remove_book(a, &f, key, "the volume", out_dir, d) != 0) {
            removed = -1;
            goto out;
        }
        dg_report_file(d, DG_NOTE, out_dir, "volume %s has no posts any more: its digests removed",
                       key);
        removed++;
    }
out:
    dg_vec_free(&v);
    dg_vec_free(&vols);
    dg_arena_free(a);
    return removed;
}
