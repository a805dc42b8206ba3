/* standalone.c - replays a fuzz target's corpus without libFuzzer, so gcc
 * builds run every fuzz input as a plain test (after libgit2's driver). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        DIR *dir = opendir(argv[i]);
        if (!dir) {
            fprintf(stderr, "%s: cannot open corpus\n", argv[i]);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            char *data;
            size_t len;
            if (dg_read_file(path, &data, &len) != 0)
                continue;
            LLVMFuzzerTestOneInput((const uint8_t *)data, len);
            free(data);
            n++;
        }
        closedir(dir);
    }
    printf("replayed %d inputs\n", n);
    return n > 0 ? 0 : 1;
}
