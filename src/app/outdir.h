/* outdir.h - the output folder of a build (outdir.c). */
#ifndef DIGEST_APP_OUTDIR_H
#define DIGEST_APP_OUTDIR_H

#include <stddef.h>

#include "base/base.h"
#include "digest/diag.h"

/* OUT made and writable: 0, or -1 after reporting (an environment error). */
int dg_out_prepare(dg_arena *a, const char *out_dir, dg_diag *d);

/* Every build holds a shared lock on OUT (flock on the folder: the kernel
 * drops it when the process dies, kill -9 included).  One that can take it
 * exclusively is alone: every temporary there is stale; otherwise only those
 * of dead PIDs are.  Returns the folder's descriptor (-1 if it cannot be
 * opened: then only dead PIDs' temporaries go) and the number removed. */
int dg_out_lock(dg_arena *a, const char *out_dir, size_t *removed);

/* A month's lock (dg_month_files.lock), taken exclusively for as long as a
 * build decides whether the month is stale and writes it: builds sharing
 * OUT (the workers of a plan, a build beside them) make different months at
 * once and one month in turn, the second then finding it up to date.  The
 * whole-OUT lock above stays shared by all.  Waits while another process
 * holds it, giving up when a stop signal came (interrupt.h).  Returns the
 * descriptor to close once the month is done, or -1 with errno (EINTR:
 * stopped). */
int dg_out_lock_month(dg_arena *a, const char *path);

#endif
