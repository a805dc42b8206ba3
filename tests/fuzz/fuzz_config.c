/* fuzz_config.c - digest.yaml on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base.h"
#include "digest/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_config-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = "site";
    dg_config_load(&o, path, a, d);
    for (size_t i = 0; i < o.ninclude; i++)
        if (!o.include[i])
            abort();
    for (size_t i = 0; i < o.ndates; i++)
        if (!o.dates[i].path || !o.dates[i].date)
            abort();
    dg_arena_free(a);
    dg_diag_free(d);
    unlink(path);
    return 0;
}
