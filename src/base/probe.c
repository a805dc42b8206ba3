/* probe.c - the files a piece of work looked at (probe.h). */
#include "base/probe.h"

#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"

/* Each thread makes its own books: one open log per thread. */
static _Thread_local dg_probe_log *current;

void dg_file_id_of(const char *path, dg_file_id *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    if (stat(path, &st) != 0) {
        id->absent = true;
        return;
    }
    id->size = (long long)st.st_size;
    id->ino = (long long)st.st_ino;
    id->dev = (long long)st.st_dev;
    id->mtime_s = (long long)st.st_mtim.tv_sec;
    id->mtime_ns = (long long)st.st_mtim.tv_nsec;
    id->ctime_s = (long long)st.st_ctim.tv_sec;
    id->ctime_ns = (long long)st.st_ctim.tv_nsec;
}

bool dg_file_id_same(const dg_file_id *x, const dg_file_id *y)
{
    return x->absent == y->absent && x->size == y->size && x->ino == y->ino && x->dev == y->dev &&
           x->mtime_s == y->mtime_s && x->mtime_ns == y->mtime_ns && x->ctime_s == y->ctime_s &&
           x->ctime_ns == y->ctime_ns;
}

void dg_probe_begin(dg_probe_log *log, dg_arena *a)
{
    memset(log, 0, sizeof *log);
    log->a = a;
    dg_map_init(&log->seen, a);
    current = log;
}

void dg_probe_end(void)
{
    current = NULL;
}

void dg_probe_note(const char *path)
{
    dg_probe_log *log = current;
    if (!log || !path || dg_map_get(&log->seen, path, NULL))
        return;
    dg_arena_grow(log->a, &log->v, log->n, &log->cap, sizeof *log->v, 16);
    dg_probe *e = &log->v[log->n++];
    e->path = dg_strdup(log->a, path);
    dg_map_put(&log->seen, e->path, NULL);
    dg_file_id_of(e->path, &e->id);
}
