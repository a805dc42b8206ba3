/* outdir.c - the output folder (outdir.h): made and checked writable before
 * any work, locked while a build uses it, and rid of the temporaries that
 * killed builds left. */
#include "app/outdir.h"
#include "app/interrupt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Whether NAME, a file in OUT (or, with ANY_TMP, in a folder of digest's
 * own under it: any NAME.tmp-*), is a temporary of a digest build that is gone.  Writers
 * name theirs FINAL.tmp-PID[.XXXXXX] (the EPUB's; libzip adds the suffix),
 * FINAL.tmp-XXXXXX (dg_write_file_atomic: PDFs, stamps, cached images) and,
 * before font subsets went to memory, FINAL.pdf.fontN-XXXXXX.  One with a
 * PID is stale when that process is dead; any is when no other build holds
 * OUT (ALONE: see dg_out_lock). */
static bool stale_temp(const char *name, bool alone, bool any_tmp)
{
    const char *t = strstr(name, ".tmp-");
    if (t) {
        for (const char *n; (n = strstr(t + 1, ".tmp-"));)
            t = n;
        /* in OUT itself only the names digest writes there: the books, the
         * catalog (catalog.h) and the writability probe */
        bool ours = any_tmp || strstr(name, ".epub.tmp-") || strstr(name, ".pdf.tmp-") ||
                    !strncmp(name, ".digest-write-test.tmp-", 23) ||
                    !strncmp(name, "index.html.tmp-", 15) || !strncmp(name, "catalog.xml.tmp-", 16);
        if (!ours)
            return false;
        const char *s = t + 5, *e = s;
        long pid = 0;
        while (*e >= '0' && *e <= '9' && e - s < 10)
            pid = pid * 10 + (*e++ - '0');
        bool with_pid = e > s && (*e == 0 || (*e == '.' && strlen(e) == 7));
        /* a build writes its probe before it takes the lock (dg_out_prepare):
         * only a dead one's is stale, alone or not */
        if (!strncmp(name, ".digest-write-test.tmp-", 23))
            return with_pid && !dg_pid_alive(pid);
        return alone || (with_pid && !dg_pid_alive(pid));
    }
    const char *f = strstr(name, ".pdf.font");
    if (!f || !alone)
        return false;
    const char *s = f + 9;
    while (*s >= '0' && *s <= '9')
        s++;
    return s > f + 9 && *s == '-' && strlen(s) == 7;
}

/* Removes the stale temporaries of folder DIR (stale_temp); the count. */
static size_t remove_stale_in(dg_arena *a, const char *dir, bool alone, bool any_tmp)
{
    size_t n = 0;
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (!stale_temp(de->d_name, alone, any_tmp))
            continue;
        const char *path = dg_path_join(a, dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
            n++;
    }
    closedir(dh);
    return n;
}

int dg_out_lock(dg_arena *a, const char *out_dir, size_t *removed)
{
    int fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool alone = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
    *removed = remove_stale_in(a, out_dir, alone, false) +
               /* digest's own folders: every temporary there is a build's (the
                * records, locks' companions, the catalog's fragments, the caches) */
               remove_stale_in(a, dg_path_join(a, out_dir, ".digest-state"), alone, true) +
               remove_stale_in(a, dg_path_join(a, out_dir, ".digest-cache/images"), alone, true) +
               remove_stale_in(a, dg_path_join(a, out_dir, ".digest-cache/covers"), alone, true) +
               remove_stale_in(a, dg_path_join(a, out_dir, "covers"), alone, true);
    if (fd >= 0)
        (void)flock(fd, LOCK_SH); /* from exclusive, or waiting for one that cleans */
    return fd;
}

int dg_out_prepare(dg_arena *a, const char *out_dir, dg_diag *d)
{
    if (dg_mkdir_p(out_dir) != 0) {
        dg_report_file(d, DG_ERROR, out_dir, "cannot create the output folder: %s",
                       strerror(errno));
        return -1;
    }
    if (dg_dir_writable(a, out_dir) != 0) {
        dg_report_file(d, DG_ERROR, out_dir, "cannot write here (%s)", strerror(errno));
        return -1;
    }
    return 0;
}

int dg_out_lock_month(dg_arena *a, const char *path)
{
    if (dg_mkdir_p(dg_path_dirname(a, path)) != 0)
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    /* polled rather than blocking: a stop signal must not wait for another
     * process's month (flock restarts under SA_RESTART) */
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno == EWOULDBLOCK ? (dg_stopping() ? EINTR : 0) : errno;
        if (e) {
            close(fd);
            errno = e;
            return -1;
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    return fd;
}
