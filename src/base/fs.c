/* fs.c - whole files, atomic writes, folders and lexical paths. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "base/fs.h"
#include "base/arena.h"
#include "base/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Files beyond this are refused: no post or image of a weekly blog is near
 * it, and it keeps a mistaken path (a disk image) from eating memory. */
#define DG_MAX_FILE (512u * 1024 * 1024)

int dg_read_file(const char *path, char **data, size_t *len)
{
    return dg_read_file_max(path, DG_MAX_FILE, data, len);
}

int dg_read_file_max(const char *path, size_t max, char **data, size_t *len)
{
    int rc = -1, e = 0;
    dg_buf b = {0};
    *data = NULL;
    *len = 0;
    dg_probe_note(path); /* its identity before it is read (probe.h) */
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1; /* errno from fopen */
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > max) {
            e = EFBIG;
            goto out;
        }
        dg_buf_put(&b, tmp, n);
    }
    if (ferror(f)) {
        e = EIO;
        goto out;
    }
    if (!b.data)
        dg_buf_put(&b, "", 0);
    *data = b.data;
    *len = b.len;
    b = (dg_buf){0};
    rc = 0;
out:
    fclose(f);
    dg_buf_free(&b);
    if (rc != 0)
        errno = e;
    return rc;
}

char *dg_tmp_path_for(dg_arena *a, const char *path)
{
    return dg_sprintf(a, "%s.tmp-%ld", path, (long)getpid());
}

int dg_atomic_open(const char *path, char **tmp)
{
    size_t n = strlen(path) + 16;
    *tmp = malloc(n);
    if (!*tmp)
        dg_oom();
    snprintf(*tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        errno = e;
    }
    return fd;
}

/* Whether PATH is a regular file (not a link) of mode MODE (its 07777 bits)
 * holding exactly the LEN bytes of DATA, read in blocks (no copy of a large
 * file).  The one comparison behind "the same bytes are left alone". */
static bool holds(const char *path, mode_t mode, const void *data, size_t len)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 07777) != mode ||
        st.st_size < 0 || (size_t)st.st_size != len)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    const char *p = data;
    size_t off = 0;
    char buf[16384];
    bool same = true;
    while (same && off < len) {
        ssize_t n = read(fd, buf, len - off < sizeof buf ? len - off : sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        same = n > 0 && memcmp(buf, p + off, (size_t)n) == 0;
        off += n > 0 ? (size_t)n : 0;
    }
    close(fd);
    return same && off == len;
}

/* Whether PATH holds the same bytes, with the same mode, as the regular file
 * TMP (mapped, not read into memory). */
static bool same_files(const char *tmp, const char *path)
{
    struct stat st;
    if (lstat(tmp, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
        return false;
    size_t len = (size_t)st.st_size;
    if (len == 0)
        return holds(path, st.st_mode & 07777, "", 0);
    int fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    void *m = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (m == MAP_FAILED)
        return false;
    bool same = holds(path, st.st_mode & 07777, m, len);
    munmap(m, len);
    return same;
}

int dg_replace(const char *tmp, const char *path)
{
    if (same_files(tmp, path))
        return unlink(tmp);
    return rename(tmp, path);
}

int dg_atomic_commit(int fd, char *tmp, const char *path, bool ok)
{
    int rc = -1, e = 0;
    if (ok && fchmod(fd, 0644) != 0)
        e = errno;
    if (close(fd) != 0 && ok && !e)
        e = errno;
    if (ok && !e && dg_replace(tmp, path) != 0)
        e = errno;
    if (ok && !e)
        rc = 0;
    else
        unlink(tmp);
    free(tmp);
    if (rc != 0)
        errno = e;
    return rc;
}

int dg_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int dg_write_file_atomic(const char *path, const void *data, size_t len)
{
    /* Already there: left alone, its time too (a rebuild rewrites nothing
     * that did not change, and tools that sync OUT see nothing new). */
    if (holds(path, 0644, data, len))
        return 0;
    char *tmp;
    int fd = dg_atomic_open(path, &tmp);
    if (fd < 0)
        return -1;
    int e = dg_write_all(fd, data, len) == 0 ? 0 : errno;
    if (dg_atomic_commit(fd, tmp, path, e == 0) != 0) {
        if (!e)
            e = errno;
        errno = e;
        return -1;
    }
    return 0;
}

int dg_scratch_open(dg_scratch *s, const char *near)
{
    memset(s, 0, sizeof *s);
    s->fd = dg_atomic_open(near, &s->name);
    if (s->fd < 0)
        return -1;
    snprintf(s->path, sizeof s->path, "/proc/self/fd/%d", s->fd);
    if (access(s->path, R_OK | W_OK) == 0) { /* /proc is mounted: no name needed */
        unlink(s->name);
        free(s->name);
        s->name = NULL;
    } else {
        snprintf(s->path, sizeof s->path, "%s", "");
    }
    return 0;
}

const char *dg_scratch_path(const dg_scratch *s)
{
    return s->name ? s->name : s->path;
}

void dg_scratch_close(dg_scratch *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->name)
        unlink(s->name);
    free(s->name);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

int dg_mkdir_p(const char *path)
{
    struct stat st; /* there already: one stat, not a mkdir per component */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    int rc = -1;
    char *p = strdup(path);
    if (!p)
        dg_oom();
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                goto out;
            *s = '/';
        }
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        goto out;
    rc = dg_is_dir(path) ? 0 : -1;
out:
    free(p); /* free keeps errno since glibc 2.33; mkdir's is what callers print */
    return rc;
}

bool dg_is_dir(const char *path)
{
    struct stat st;
    dg_probe_note(path);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool dg_is_file(const char *path)
{
    struct stat st;
    dg_probe_note(path);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *dg_path_join(dg_arena *a, const char *dir, const char *name)
{
    if (!dir || !*dir || name[0] == '/')
        return dg_strdup(a, name);
    size_t n = strlen(dir);
    return dg_sprintf(a, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

char *dg_path_normalize(dg_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = dg_alloc(a, n + 2);
    bool abs = path[0] == '/';
    size_t o = 0;
    size_t depth = 0; /* components that can be popped */
    if (abs)
        out[o++] = '/';
    const char *s = path;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0)
            break;
        if (len == 1 && s[0] == '.') {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (depth > 0) {
                /* pop the last component */
                while (o > (abs ? 1u : 0u) && out[o - 1] != '/')
                    o--;
                if (o > (abs ? 1u : 0u))
                    o--; /* the slash */
                depth--;
            } else if (!abs) {
                if (o > 0)
                    out[o++] = '/';
                memcpy(out + o, "..", 2);
                o += 2;
            }
            /* "/.." stays "/" */
        } else {
            if (o > 0 && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
            depth++;
        }
        s = e;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = 0;
    return out;
}

bool dg_path_inside(const char *root, const char *path)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp(root, path, n) != 0)
        return false;
    return path[n] == 0 || path[n] == '/' || (n == 1 && root[0] == '/');
}

int dg_resolve_inside(dg_arena *a, const char *root, const char *path, char **real)
{
    *real = NULL;
    dg_probe_note(path);
    char *r = realpath(path, NULL);
    if (!r)
        return -1; /* errno from realpath */
    *real = dg_strdup(a, r);
    free(r);
    return dg_path_inside(root, *real) ? 0 : -1;
}

char *dg_outside_why(dg_arena *a, const char *path, const char *real)
{
    struct stat st;
    bool link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    return dg_sprintf(a, "%s (%s)",
                      link ? "is a symbolic link to a file outside the site"
                           : "leads outside the site through a symbolic link",
                      real);
}

const char *dg_path_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

char *dg_path_dirname(dg_arena *a, const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return dg_strdup(a, ".");
    if (s == path)
        return dg_strdup(a, "/");
    return dg_strndup(a, path, (size_t)(s - path));
}

/* ---- writing in a folder, and temporaries left by a killed process -------- */

int dg_dir_writable(dg_arena *a, const char *dir)
{
    int rc = -1, e = 0;
    const char *probe = dg_sprintf(a, "%s/.digest-write-test.tmp-%ld", dir, (long)getpid());
    /* one with our PID cannot be a live process's: it is a dead one's */
    (void)unlink(probe);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
        goto out;
    }
    /* a byte, so that a file size limit or a full disk shows here too */
    ssize_t w;
    do
        w = write(fd, "x", 1);
    while (w < 0 && errno == EINTR);
    e = w == 1 ? 0 : w < 0 ? errno : EIO;
    if (close(fd) != 0 && e == 0)
        e = errno;
    (void)unlink(probe);
    if (e != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        errno = e;
    return rc;
}

bool dg_pid_alive(long pid)
{
    if (pid <= 0 || pid != (long)(pid_t)pid)
        return false;
    return !(kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

int dg_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
