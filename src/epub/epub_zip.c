/* epub_zip.c - the container written through libzip: the entries made in
 * memory go, in their order, into a temporary file next to the output, which
 * is renamed into place once complete (a failure leaves an earlier book
 * alone).  Its name, OUTPUT.tmp-PID (libzip writes OUTPUT.tmp-PID.XXXXXX
 * first), carries the process: a later build removes one whose process is
 * gone (build.c).  mimetype and the images of compressed formats are stored,
 * everything else deflated; every entry carries
 * the book's modified time, so identical input gives identical bytes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "epub/epub_impl.h"

/* Deflate level for the text entries (XHTML, CSS, the package files).
 * Level 6 against 9, measured on the 10-year synthetic site and a corpus
 * month (docs/BENCHMARKS.md): the same size within 0.3 %, in less time. */
#ifndef EPUB_DEFLATE_LEVEL
#define EPUB_DEFLATE_LEVEL 6
#endif

/* Whether entry NAME holds an image whose format is already compressed
 * (the writer names images by their type, image.h's ext): deflate does not
 * shrink PNG, JPEG, GIF or WebP data, so it is stored. */
static bool compressed_image(const char *name)
{
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".gif", ".webp"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t k = strlen(exts[i]);
        if (n > k && strcasecmp(name + n - k, exts[i]) == 0)
            return true;
    }
    return false;
}

/* The book's time as an MS-DOS date/time in UTC (the zip format keeps no
 * zone; using UTC rather than localtime makes the bytes independent of TZ). */
static void dos_time(long long t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t < 315532800LL) /* 1980-01-01, the first day MS-DOS dates can hold */
        tt = 315532800;
    gmtime_r(&tt, &tm);
    if (tm.tm_year > 2107 - 1900) {
        tm.tm_year = 2107 - 1900;
    }
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static void report_zip(writer *w, const char *path, zip_t *z)
{
    dg_report_file(w->d, DG_ERROR, path, "cannot write EPUB: %s",
                   zip_error_strerror(zip_get_error(z)));
}

/* Adds entry E to Z. */
static int add_to_zip(writer *w, const char *path, zip_t *z, const entry *e, zip_uint16_t dt,
                      zip_uint16_t dd)
{
    int rc = -1;
    zip_source_t *src = zip_source_buffer(z, e->data, e->len, 0);
    zip_int64_t idx = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_GUESS) : -1;
    if (idx < 0) {
        if (src)
            zip_source_free(src);
        goto out;
    }
    bool store = e->store || compressed_image(e->name);
    if (zip_set_file_compression(z, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 store ? 0 : EPUB_DEFLATE_LEVEL) < 0 ||
        zip_file_set_dostime(z, (zip_uint64_t)idx, dt, dd, 0) < 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        report_zip(w, path, z);
    return rc;
}

/* libzip 1.7.3 (Debian 12) fills two static masks in zip_open_from_source
 * on its first call, unlocked: a second thread opening at that moment can
 * read the second mask unfilled (all bits), take its new file for a
 * read-only one, and fail the first entry with "Read-only archive" (seen
 * once in CI: two year volumes opened together).  Upstream fixed it in 1.9
 * (commit e47da96e, "Use common defines instead of static variables").
 * Opening under a lock costs nothing beside writing the book. */
static pthread_mutex_t zip_open_lock = PTHREAD_MUTEX_INITIALIZER;

int epub_write_zip(writer *w, const char *path)
{
    int rc = -1;
    zip_t *z = NULL;
    int zerr = 0;
    char *tmp = dg_tmp_path_for(w->a, path);
    zip_uint16_t dt, dd;
    dos_time(w->book->modified, &dt, &dd);

    (void)unlink(tmp);
    pthread_mutex_lock(&zip_open_lock);
    z = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr);
    pthread_mutex_unlock(&zip_open_lock);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, zerr);
        dg_report_file(w->d, DG_ERROR, path, "cannot create EPUB: %s", zip_error_strerror(&e));
        zip_error_fini(&e);
        goto out;
    }
    for (size_t i = 0; i < w->nentries; i++)
        if (add_to_zip(w, path, z, &w->entries[i], dt, dd) != 0)
            goto out;
    if (zip_close(z) < 0) {
        report_zip(w, path, z);
        goto out;
    }
    z = NULL;
    if (rename(tmp, path) != 0) {
        dg_report_file(w->d, DG_ERROR, path, "cannot write EPUB: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (z)
        zip_discard(z);
    if (rc != 0)
        (void)unlink(tmp);
    return rc;
}
