/* dl.h - the loader of libraries used by a few options only. */
#ifndef DIGEST_BASE_DL_H
#define DIGEST_BASE_DL_H

#include <stddef.h>

/* Loads the shared library SONAME and its N functions NAMES[i] into
 * *SLOTS[i] (for libraries used by a few options only, loaded when asked
 * for).  Returns NULL, or why not: dlerror's text or "SONAME lacks NAME",
 * in WHY (WHYLEN bytes). */
const char *dg_dlopen_funcs(const char *soname, const char *const *names, void **const *slots,
                            size_t n, char *why, size_t whylen);

#endif
