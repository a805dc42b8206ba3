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

#endif
