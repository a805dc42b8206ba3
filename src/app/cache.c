/* cache.c - digest cache stats|prune|clear: the cache of fetched remote
 * images in OUT/.digest-cache/images (imagecache.h), OUT as a build finds
 * it (-o, digest.yaml's output.dir, else SITE/_digests). */
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "content/imagecache.h"
#include "digest/digest.h"

/* BYTES for people: "1.5 MiB (1572864 bytes)". */
static const char *human(dg_arena *a, uint64_t bytes)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    return u ? dg_sprintf(a, "%.1f %s (%llu bytes)", v, units[u], (unsigned long long)bytes)
             : dg_sprintf(a, "%llu bytes", (unsigned long long)bytes);
}

static void stats(dg_arena *a, const char *dir, uint64_t max, FILE *out)
{
    dg_cache_entry **v;
    dg_cache_stats st;
    dg_imagecache_read(dir, a, &v, &st);
    size_t nfail = 0;
    for (int s = 1; s < DG_CACHE_NSTATUS; s++)
        nfail += st.failures[s];
    fprintf(out, "image cache: %s\n", dir);
    fprintf(out, "images: %zu, %s of %s", st.images, human(a, st.bytes), human(a, max));
    if (st.images)
        fprintf(out, " (used from %s to %s)", dg_imagecache_time(a, st.oldest, false),
                dg_imagecache_time(a, st.newest, false));
    fprintf(out, "\nfailures: %zu", nfail);
    const char *sep = " (";
    for (int s = 1; s < DG_CACHE_NSTATUS; s++)
        if (st.failures[s]) {
            fprintf(out, "%s%s %zu", sep, dg_cache_status_name((dg_cache_status)s), st.failures[s]);
            sep = ", ";
        }
    fprintf(out, "%s%s\n", nfail ? ")" : "",
            st.expired ? dg_sprintf(a, ", %zu older than a day (tried again by the next build)",
                                    st.expired)
                       : "");
    if (st.orphans)
        fprintf(out, "not in the index: %zu file%s, %s ('digest cache prune' removes them)\n",
                st.orphans, st.orphans == 1 ? "" : "s", human(a, st.orphan_bytes));
}

/* True when no build holds OUT (each holds a shared flock on it: outdir.h). */
static bool out_idle(const char *out_dir)
{
    int fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool idle = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
    if (fd >= 0)
        close(fd);
    return idle;
}

int dg_cache_command(const dg_options *o, const char *action, FILE *out, dg_diag *d)
{
    int st = DG_EXIT_OK;
    dg_arena *a = dg_arena_new();
    const char *out_dir = o->out_dir ? o->out_dir : dg_path_join(a, o->site, "_digests");
    const char *dir = dg_path_join(a, out_dir, ".digest-cache/images");
    uint64_t max = o->image_cache_max ? o->image_cache_max : DG_CACHE_MAX_DEFAULT;
    size_t removed = 0, dropped = 0;
    uint64_t freed = 0;
    if (!strcmp(action, "stats")) {
        stats(a, dir, max, out);
    } else if (!strcmp(action, "prune")) {
        if (dg_imagecache_prune(dir, max, out_idle(out_dir), &removed, &dropped, &freed, d) != 0)
            st = DG_EXIT_USAGE;
        else
            fprintf(out, "image cache: %zu file%s removed (%s), %zu entr%s dropped\n", removed,
                    removed == 1 ? "" : "s", human(a, freed), dropped, dropped == 1 ? "y" : "ies");
    } else if (!strcmp(action, "clear")) {
        if (dg_imagecache_clear(dir, &removed, &freed, d) != 0)
            st = DG_EXIT_USAGE;
        else
            fprintf(out, "image cache: %zu file%s removed (%s)\n", removed, removed == 1 ? "" : "s",
                    human(a, freed));
    } else {
        dg_report_file(d, DG_ERROR, NULL, "cache %s: expected stats, prune or clear", action);
        st = DG_EXIT_USAGE;
    }
    dg_arena_free(a);
    return st;
}
