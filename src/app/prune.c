/* prune.c - digests of months that no longer have posts (app.h, dg_prune).
 *
 * A month OUT has built is known by its files in OUT/.digest-state: its
 * record (stamp.h) and its lock (outdir.h), made before its first output.
 * One of those months that the options select but the site no longer has
 * posts for (its posts deleted, moved to another month, or now excluded)
 * keeps its digests unless --prune is given, and a note names it; with
 * --prune its EPUB, PDF (by the current name pattern), record, catalog entry
 * (catalog.h) and lock go,
 * under its lock, so that no build of the same OUT is writing it then. */
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

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The months of OUT's state that O selects and SITE has no posts for, in
 * order, without repeats. */
static size_t orphans(dg_arena *a, const dg_options *o, const dg_site *site, const char *out_dir,
                      dg_vec *out)
{
    DIR *dh = opendir(dg_path_join(a, out_dir, ".digest-state"));
    if (!dh)
        return 0;
    size_t nm = 0;
    const char **months = dg_site_months(site, &nm);
    struct dirent *de;
    while ((de = readdir(dh))) {
        const char *m = state_month(a, de->d_name);
        if (!m || !dg_month_selected(o, m))
            continue;
        bool has_posts = false, seen = false;
        for (size_t i = 0; i < nm && !has_posts; i++)
            has_posts = strcmp(months[i], m) == 0;
        for (size_t i = 0; i < out->len && !seen; i++)
            seen = strcmp(out->items[i], m) == 0;
        if (!has_posts && !seen)
            dg_vec_push(out, (void *)m);
    }
    closedir(dh);
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, cmp_str);
    return out->len;
}

static int remove_file(const char *path, dg_diag *d)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    dg_report_file(d, DG_ERROR, path, "cannot remove (%s)", strerror(errno));
    return -1;
}

int dg_prune(const dg_options *o, const dg_site *site, const char *out_dir, dg_diag *d)
{
    int removed = 0;
    dg_arena *a = dg_arena_new();
    dg_vec v = {0};
    if (orphans(a, o, site, out_dir, &v) == 0)
        goto out;
    if (!o->prune) {
        dg_buf b = {0};
        for (size_t i = 0; i < v.len; i++)
            dg_buf_printf(&b, "%s%s", i ? ", " : "", (const char *)v.items[i]);
        dg_report_file(d, DG_NOTE, out_dir,
                       "%zu month%s no longer %s posts, %s digests kept: %s (--prune removes "
                       "them)",
                       v.len, v.len == 1 ? "" : "s", v.len == 1 ? "has" : "have",
                       v.len == 1 ? "its" : "their", dg_buf_to_arena(&b, a));
        goto out;
    }
    for (size_t i = 0; i < v.len; i++) {
        const char *m = v.items[i];
        dg_month_files f;
        dg_month_files_of(a, o, out_dir, m, NULL, &f);
        int lock = dg_out_lock_month(a, f.lock);
        if (lock < 0) {
            if (errno != EINTR)
                dg_report_file(d, DG_ERROR, f.lock, "cannot lock the month (%s); not pruned",
                               strerror(errno));
            removed = -1;
            goto out;
        }
        /* the record first: a month half removed is one with no record */
        int rc = remove_file(f.stamp, d) | remove_file(f.files, d);
        if (rc == 0)
            rc = remove_file(f.epub, d) | remove_file(f.pdf, d);
        if (rc == 0)
            rc = dg_catalog_forget(out_dir, m, d);
        if (rc == 0)
            rc = remove_file(f.lock, d);
        close(lock);
        if (rc != 0) {
            removed = -1;
            goto out;
        }
        dg_report_file(d, DG_NOTE, out_dir, "%s has no posts any more: its digests removed", m);
        removed++;
    }
out:
    dg_vec_free(&v);
    dg_arena_free(a);
    return removed;
}
