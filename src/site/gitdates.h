/* gitdates.h - dates from git history (--date-from git).  Stage file:
 * src/site/gitdates.c. */
#ifndef DIGEST_SITE_GITDATES_H
#define DIGEST_SITE_GITDATES_H

#include <stddef.h>

#include "digest/diag.h"
#include "site/post.h"
#include "base/base.h"

/* Dates the N posts POSTS[i], whose files are at the absolute PATHS[i] in
 * the git work tree holding ROOT, with the author time (in the author's
 * zone) of the oldest first-parent commit from HEAD in an unbroken run of
 * commits holding the file: the commit that added it.  A post whose file is
 * not committed stays undated.  Returns 0, or -1 after reporting that
 * libgit2, the repository or its history is missing (no post dated). */
int dg_dates_from_git(const char *root, dg_post *const *posts, const char *const *paths, size_t n,
                      dg_arena *a, dg_diag *d);

#endif
