/* fs.h - whole files, atomic writes, folders and lexical paths; the
 * process (its neighbours alive, its processors). */
#ifndef DIGEST_BASE_FS_H
#define DIGEST_BASE_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* Reads a whole file into malloc'd memory (NUL-terminated). 0, or -1 with errno. */
int dg_read_file(const char *path, char **data, size_t *len);
/* The same, refusing a file larger than MAX bytes (-1 with errno EFBIG)
 * without reading past MAX. */
int dg_read_file_max(const char *path, size_t max, char **data, size_t *len);
/* Writes PATH by way of PATH.tmp-XXXXXX and rename(2): an earlier good file
 * is never replaced by a half-written one.  A PATH that already holds these
 * bytes (a regular file, mode 0644) is left as it is, its mtime too.  0, or
 * -1 with errno. */
int dg_write_file_atomic(const char *path, const void *data, size_t len);
/* The two halves of dg_write_file_atomic, for a writer that writes the file
 * itself: dg_atomic_open makes PATH.tmp-XXXXXX (*TMP, malloc'd) and returns
 * its descriptor, or -1 with errno; dg_atomic_commit closes FD and, when OK,
 * puts *TMP in place of PATH (mode 0644; dg_replace), else removes it; frees
 * TMP either way.
 * 0, or -1 with errno (and nothing left under either name). */
int dg_atomic_open(const char *path, char **tmp);
/* Puts the finished temporary TMP in place of PATH: renamed over it, unless
 * PATH already holds the same bytes with the same mode, which is then left
 * as it is (its time too: a rebuild that changes nothing moves nothing) and
 * TMP removed.  0, or -1 with errno. */
int dg_replace(const char *tmp, const char *path);
int dg_atomic_commit(int fd, char *tmp, const char *path, bool ok);
/* Writes LEN bytes of DATA to FD, however many writes it takes.  0, or -1
 * with errno. */
int dg_write_all(int fd, const void *data, size_t len);
/* A scratch file for data too large to hold in memory, reachable only by
 * this process: made as NEAR.tmp-XXXXXX (a name a later build removes, should
 * this one be killed in the instant it exists) and unlinked at once, read and
 * written by libraries that open files by name through "/proc/self/fd/N".
 * Where /proc is not mounted it keeps its name until dg_scratch_close. */
typedef struct dg_scratch {
    int fd;
    char path[32]; /* "/proc/self/fd/N" */
    char *name;    /* malloc'd; NULL once unlinked */
} dg_scratch;
/* 0, or -1 with errno. */
int dg_scratch_open(dg_scratch *s, const char *near);
/* The name to open it by. */
const char *dg_scratch_path(const dg_scratch *s);
/* Closes it (and removes its name when it kept one). */
void dg_scratch_close(dg_scratch *s);
/* A temporary name next to PATH (same directory, so rename is atomic). */
char *dg_tmp_path_for(dg_arena *a, const char *path);
int dg_mkdir_p(const char *path);
bool dg_is_dir(const char *path);
bool dg_is_file(const char *path);
char *dg_path_join(dg_arena *a, const char *dir, const char *name);
/* Lexically normalizes a path ("a/./b/../c" -> "a/c"); keeps a leading "/". */
char *dg_path_normalize(dg_arena *a, const char *path);
/* True when PATH (absolute, normalized) is ROOT or inside it. */
bool dg_path_inside(const char *root, const char *path);
/* The one rule for files a site names: PATH, every symlink resolved, must be
 * ROOT (a real path, symlinks resolved) or inside it.  0 when it is, *REAL
 * its real path in A.  -1 otherwise: with *REAL set (in A) when PATH resolves
 * outside ROOT, with *REAL NULL and errno from realpath(3) when it does not
 * resolve at all (missing, unreadable folder). */
int dg_resolve_inside(dg_arena *a, const char *root, const char *path, char **real);
/* What to say about PATH that resolved to REAL outside the site, for the
 * report "PATH: <this>; not read": "is a symbolic link to a file outside the
 * site (REAL)", or, when a folder on the way is the link, "leads outside the
 * site through a symbolic link (REAL)".  In A. */
char *dg_outside_why(dg_arena *a, const char *path, const char *real);
const char *dg_path_basename(const char *path);
char *dg_path_dirname(dg_arena *a, const char *path);

/* Whether a file can be written in DIR: creates DIR/.digest-write-test.tmp-PID,
 * writes a byte and removes it.  0, or -1 with errno (EACCES, EROFS, ENOSPC,
 * EFBIG...). */
int dg_dir_writable(dg_arena *a, const char *dir);
/* Whether process PID may be alive (false only when it surely is not): a
 * temporary named after a dead process is stale. */
bool dg_pid_alive(long pid);
/* The processors this process may run on (its affinity: taskset and
 * cpusets count), at least 1: how many threads of work run side by side. */
int dg_cores(void);

#endif
