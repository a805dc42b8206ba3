/* test_fs.c - the file helpers every writer goes through: an atomic write
 * leaves the file or the earlier one and no temporary, and a scratch file
 * has no name in its folder while it is used and leaves nothing behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "test.h"

/* Entries of DIR other than "." and "..". */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    return dg_read_file(path, &data, &len) == 0 ? data : NULL;
}

static void test_atomic(const char *dir)
{
    dg_arena *a = dg_arena_new();
    const char *f = dg_path_join(a, dir, "book.pdf");
    CHECK(dg_write_file_atomic(f, "one", 3) == 0);
    char *s = slurp(f);
    CHECK_STR(s, "one");
    free(s);
    CHECK(entries(dir) == 1);

    /* the halves: a failed write removes its temporary, the earlier file stays */
    char *tmp = NULL;
    int fd = dg_atomic_open(f, &tmp);
    CHECK(fd >= 0 && tmp && strstr(tmp, "book.pdf.tmp-"));
    CHECK(entries(dir) == 2);
    CHECK(write(fd, "two", 3) == 3);
    CHECK(dg_atomic_commit(fd, tmp, f, false) == -1);
    s = slurp(f);
    CHECK_STR(s, "one");
    free(s);
    CHECK(entries(dir) == 1);

    /* a good one replaces it, mode 0644 */
    fd = dg_atomic_open(f, &tmp);
    CHECK(fd >= 0);
    CHECK(write(fd, "three", 5) == 5);
    CHECK(dg_atomic_commit(fd, tmp, f, true) == 0);
    s = slurp(f);
    CHECK_STR(s, "three");
    free(s);
    struct stat st;
    CHECK(stat(f, &st) == 0 && (st.st_mode & 0777) == 0644);
    CHECK(entries(dir) == 1);

    /* the same bytes again: the file is left alone, its time too; other
     * bytes, another mode or a symbolic link in its place: written */
    struct timespec old[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    CHECK(utimensat(AT_FDCWD, f, old, 0) == 0);
    CHECK(dg_write_file_atomic(f, "three", 5) == 0);
    CHECK(stat(f, &st) == 0 && st.st_mtime == 1000000000);
    CHECK(dg_write_file_atomic(f, "thrEe", 5) == 0);
    CHECK(stat(f, &st) == 0 && st.st_mtime != 1000000000);
    s = slurp(f);
    CHECK_STR(s, "thrEe");
    free(s);
    CHECK(chmod(f, 0600) == 0 && utimensat(AT_FDCWD, f, old, 0) == 0);
    CHECK(dg_write_file_atomic(f, "thrEe", 5) == 0);
    CHECK(stat(f, &st) == 0 && st.st_mtime != 1000000000 && (st.st_mode & 0777) == 0644);
    const char *target = dg_path_join(a, dir, "target");
    CHECK(dg_write_file_atomic(target, "thrEe", 5) == 0);
    CHECK(unlink(f) == 0 && symlink("target", f) == 0);
    CHECK(dg_write_file_atomic(f, "thrEe", 5) == 0);
    CHECK(lstat(f, &st) == 0 && S_ISREG(st.st_mode));
    CHECK(unlink(target) == 0);
    CHECK(entries(dir) == 1);

    /* a folder that is not there: -1 with errno, nothing made */
    const char *nowhere = dg_path_join(a, dir, "missing/book.pdf");
    CHECK(dg_atomic_open(nowhere, &tmp) == -1 && errno == ENOENT && tmp == NULL);
    CHECK(dg_write_file_atomic(nowhere, "x", 1) == -1 && errno == ENOENT);
    unlink(f);
    dg_arena_free(a);
}

/* A finished temporary replaces its file unless the file already holds the
 * same bytes with the same mode: then the file stays, inode and time. */
static void test_replace(const char *dir)
{
    dg_arena *a = dg_arena_new();
    const char *f = dg_path_join(a, dir, "book.epub");
    const char *t = dg_path_join(a, dir, "book.epub.tmp-1");
    CHECK(dg_write_file_atomic(f, "same bytes", 10) == 0);
    struct timespec old[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    CHECK(utimensat(AT_FDCWD, f, old, 0) == 0);
    struct stat before, after;
    CHECK(stat(f, &before) == 0);
    CHECK(dg_write_file_atomic(t, "same bytes", 10) == 0);
    CHECK(dg_replace(t, f) == 0);
    CHECK(stat(f, &after) == 0 && after.st_ino == before.st_ino && after.st_mtime == 1000000000);
    CHECK(access(t, F_OK) != 0);
    /* other bytes, or the same bytes with another mode: renamed over it */
    CHECK(dg_write_file_atomic(t, "other byte", 10) == 0);
    CHECK(dg_replace(t, f) == 0);
    char *s = slurp(f);
    CHECK_STR(s, "other byte");
    free(s);
    CHECK(stat(f, &after) == 0 && after.st_ino != before.st_ino);
    CHECK(dg_write_file_atomic(t, "other byte", 10) == 0 && chmod(t, 0600) == 0);
    CHECK(stat(f, &before) == 0);
    CHECK(dg_replace(t, f) == 0);
    CHECK(stat(f, &after) == 0 && after.st_ino != before.st_ino && (after.st_mode & 0777) == 0600);
    CHECK(access(t, F_OK) != 0 && unlink(f) == 0 && entries(dir) == 0);
    dg_arena_free(a);
}

static void test_scratch(const char *dir)
{
    dg_arena *a = dg_arena_new();
    const char *near = dg_path_join(a, dir, "book.pdf");
    dg_scratch s;
    CHECK(dg_scratch_open(&s, near) == 0);
    /* no name in the folder while it is used (where /proc is mounted) */
    bool proc = access("/proc/self/fd", R_OK) == 0;
    CHECK(entries(dir) == (proc ? 0 : 1));
    /* written and read back by name, as libharu and qpdf do */
    const char *p = dg_scratch_path(&s);
    FILE *w = fopen(p, "wb");
    CHECK(w && fputs("%PDF-1.4 scratch", w) >= 0 && fclose(w) == 0);
    char *back = slurp(p);
    CHECK_STR(back, "%PDF-1.4 scratch");
    free(back);
    dg_scratch_close(&s);
    CHECK(s.fd == -1);
    CHECK(entries(dir) == 0);
    dg_scratch_close(&s); /* twice is harmless */

    /* beside a folder that is not there: -1 */
    CHECK(dg_scratch_open(&s, dg_path_join(a, dir, "missing/book.pdf")) == -1);
    dg_arena_free(a);
}

int main(void)
{
    const char *dir = TEST_BINARY_DIR "/test_fs.d";
    CHECK(system("rm -rf " TEST_BINARY_DIR "/test_fs.d") == 0);
    CHECK(mkdir(dir, 0755) == 0);
    test_atomic(dir);
    test_replace(dir);
    test_scratch(dir);
    CHECK(rmdir(dir) == 0);
    TEST_DONE();
}
