/* dl.c - the one loader of libraries used by a few options only. */
#include "base/dl.h"

#include <dlfcn.h>
#include <stdio.h>

const char *dg_dlopen_funcs(const char *soname, const char *const *names, void **const *slots,
                            size_t n, char *why, size_t whylen)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, whylen, "%s", dlerror());
        return why;
    }
    for (size_t i = 0; i < n; i++)
        if (!(*slots[i] = dlsym(h, names[i]))) {
            snprintf(why, whylen, "%s lacks %s", soname, names[i]);
            return why;
        }
    return NULL;
}
