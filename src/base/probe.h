/* probe.h - the files a piece of work looked at, and their identity.
 *
 * While a thread has a log open (dg_probe_begin), the file functions of
 * fs.h (dg_read_file, dg_read_file_max, dg_is_file, dg_is_dir,
 * dg_resolve_inside) note each path they are asked about, whether or not it
 * exists, with its identity taken before the file is read.  An incremental
 * build records the log of each month's book (stamp.h), so a later build can
 * tell without making the book again that nothing it read has changed.
 */
#ifndef DIGEST_BASE_PROBE_H
#define DIGEST_BASE_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/map.h"

/* What a file is on disk, as stat(2) (following symlinks) tells it: any
 * write, replacement or removal changes it.  ABSENT: there was nothing. */
typedef struct dg_file_id {
    bool absent;
    long long size, ino, dev, mtime_s, mtime_ns, ctime_s, ctime_ns;
} dg_file_id;

/* The identity of PATH now. */
void dg_file_id_of(const char *path, dg_file_id *id);

bool dg_file_id_same(const dg_file_id *x, const dg_file_id *y);

/* The paths noted, each once, in the order first noted, with the identity
 * each had then. */
typedef struct dg_probe {
    const char *path;
    dg_file_id id;
} dg_probe;

typedef struct dg_probe_log {
    dg_arena *a;
    dg_map seen;
    dg_probe *v;
    size_t n, cap;
} dg_probe_log;

/* Opens LOG (its memory in A) for the calling thread; a log already open
 * on it is replaced.  dg_probe_end closes it: the thread notes nothing more. */
void dg_probe_begin(dg_probe_log *log, dg_arena *a);
void dg_probe_end(void);

/* Notes PATH in the calling thread's open log, if any. */
void dg_probe_note(const char *path);

#endif
