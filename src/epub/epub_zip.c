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
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "base/deflate.h"
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

/* An entry deflated by libdeflate before libzip sees it: a source whose
 * stat says "deflated, this CRC, this size", which libzip copies into the
 * archive as it is (zip_close's add_data recompresses only when the
 * methods differ).  libdeflate at the same level is about three times as
 * fast as libzip's zlib, and its output no larger. */
typedef struct deflated {
    unsigned char *z; /* malloc'd raw deflate stream */
    size_t zlen, len, off;
    uint32_t crc;
    zip_error_t err;
} deflated;

static zip_int64_t deflated_cb(void *state, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    deflated *d = state;
    switch (cmd) {
    case ZIP_SOURCE_OPEN: d->off = 0; return 0;
    case ZIP_SOURCE_READ: {
        size_t n = d->zlen - d->off < len ? d->zlen - d->off : (size_t)len;
        memcpy(data, d->z + d->off, n);
        d->off += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE: return 0;
    case ZIP_SOURCE_STAT: {
        if (len < sizeof(zip_stat_t)) {
            zip_error_set(&d->err, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
                    ZIP_STAT_ENCRYPTION_METHOD;
        st->size = d->len;
        st->comp_size = d->zlen;
        st->comp_method = ZIP_CM_DEFLATE;
        st->crc = d->crc;
        st->encryption_method = ZIP_EM_NONE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&d->err, data, len);
    case ZIP_SOURCE_FREE:
        free(d->z);
        zip_error_fini(&d->err);
        free(d);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default: zip_error_set(&d->err, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
}

/* E deflated by ZC as a source of Z; NULL when deflating does not make it
 * smaller (it is stored then) or memory ran out. */
static zip_source_t *deflated_source(zip_t *z, struct libdeflate_compressor *zc, const entry *e)
{
    deflated *d = calloc(1, sizeof *d);
    if (!d)
        dg_oom();
    if (dg_deflate(zc, DG_DEFLATE_RAW, e->data, e->len, &d->z, &d->zlen) != 0)
        d->zlen = 0;
    d->len = e->len;
    d->crc = libdeflate_crc32(0, e->data, e->len);
    zip_error_init(&d->err);
    zip_source_t *src = NULL;
    if (d->zlen > 0 && d->zlen < e->len)
        src = zip_source_function(z, deflated_cb, d);
    if (!src) {
        free(d->z);
        zip_error_fini(&d->err);
        free(d);
    }
    return src;
}

/* Adds entry E to Z: deflated by ZC, or stored (mimetype, images of
 * compressed formats, what deflating does not shrink). */
static int add_to_zip(writer *w, const char *path, zip_t *z, struct libdeflate_compressor *zc,
                      const entry *e, zip_uint16_t dt, zip_uint16_t dd)
{
    int rc = -1;
    bool store = e->store || compressed_image(e->name);
    zip_source_t *src = store ? NULL : deflated_source(z, zc, e);
    if (!src) {
        store = true;
        src = zip_source_buffer(z, e->data, e->len, 0);
    }
    zip_int64_t idx = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_GUESS) : -1;
    if (idx < 0) {
        if (src)
            zip_source_free(src);
        goto out;
    }
    /* a deflated source keeps the default method: libzip takes the source's */
    if ((store && zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0) ||
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
    struct libdeflate_compressor *zc = NULL;
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
    zc = libdeflate_alloc_compressor(EPUB_DEFLATE_LEVEL);
    if (!zc)
        dg_oom();
    for (size_t i = 0; i < w->nentries; i++)
        if (add_to_zip(w, path, z, zc, &w->entries[i], dt, dd) != 0)
            goto out;
    if (zip_close(z) < 0) {
        report_zip(w, path, z);
        goto out;
    }
    z = NULL;
    if (dg_replace(tmp, path) != 0) {
        dg_report_file(w->d, DG_ERROR, path, "cannot write EPUB: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (z)
        zip_discard(z);
    if (zc)
        libdeflate_free_compressor(zc);
    if (rc != 0)
        (void)unlink(tmp);
    return rc;
}
