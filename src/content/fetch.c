/* fetch.c - remote images into the cache folder, with libcurl's multi
 * interface (several transfers at once on one thread).  libcurl is loaded
 * by name the first time an image is to be fetched (see fetch.h). */
#include "content/fetch.h"

/* calls go through function pointers: curl.h's type-checking macros would
 * rewrite them */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "content/image.h"

#define CURL_FUNCS(X)                                                                      \
    X(curl_global_init)                                                                    \
    X(curl_easy_init)                                                                      \
    X(curl_easy_setopt)                                                                    \
    X(curl_easy_getinfo)                                                                   \
    X(curl_easy_cleanup) X(curl_easy_strerror) X(curl_multi_init) X(curl_multi_add_handle) \
        X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_poll)               \
            X(curl_multi_info_read) X(curl_multi_cleanup)
#define CURL_DECLARE(f) __typeof__(f) *f;
static struct {
    CURL_FUNCS(CURL_DECLARE)
} curl_api;
#undef CURL_DECLARE
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static const char *curl_missing; /* why libcurl cannot be used, or NULL */

static void curl_load(void)
{
#define CURL_NAME(f) #f,
#define CURL_SLOT(f) (void **)&curl_api.f,
    static const char *const names[] = {CURL_FUNCS(CURL_NAME)};
    void **const slots[] = {CURL_FUNCS(CURL_SLOT)};
#undef CURL_NAME
#undef CURL_SLOT
    static char why[256];
    curl_missing = dg_dlopen_funcs(DIGEST_LIBCURL_SONAME, names, slots,
                                   sizeof names / sizeof *names, why, sizeof why);
    if (!curl_missing && curl_api.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        curl_missing = "libcurl could not start";
}

const char *dg_fetch_cache_file(dg_arena *a, const char *dir, const char *url)
{
    return dg_sprintf(a, "%s/%016llx", dir,
                      (unsigned long long)dg_hash64(url, strlen(url), 0x66657463ULL));
}

typedef struct xfer {
    const dg_remote_ref *ref;
    const char *file;
    const char *host; /* "host:port" part of the URL */
    CURL *h;
    dg_buf body;
    bool too_big;
    char err[CURL_ERROR_SIZE];
} xfer;

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    xfer *x = user;
    size_t len = size * n;
    if (x->body.len + len > DG_FETCH_MAX_BYTES) {
        x->too_big = true;
        return 0; /* ends the transfer */
    }
    dg_buf_put(&x->body, p, len);
    return len;
}

static int start(CURLM *m, xfer *x)
{
    int rc = -1;
    CURL *h = x->h = curl_api.curl_easy_init();
    if (!h)
        goto out;
    x->err[0] = 0;
    curl_api.curl_easy_setopt(h, CURLOPT_URL, x->ref->url);
    curl_api.curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_api.curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_api.curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->err);
    curl_api.curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_api.curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_api.curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_api.curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_api.curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_api.curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    /* a stalled server: under 1 KB/s for 30 s */
    curl_api.curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_api.curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_api.curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DG_FETCH_MAX_BYTES);
    curl_api.curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_api.curl_easy_setopt(h, CURLOPT_USERAGENT, "digest/" DIGEST_VERSION);
    curl_api.curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* months fetch on threads */
    if (curl_api.curl_multi_add_handle(m, h) != CURLM_OK) {
        curl_api.curl_easy_cleanup(h);
        x->h = NULL;
        goto out;
    }
    rc = 0;
out:
    return rc;
}

static void warn(dg_diag *d, const xfer *x, const char *why)
{
    dg_report(d, DG_WARNING, x->ref->path, x->ref->line, 0, NULL, 0,
              "image '%s' could not be fetched (%s): shown as a placeholder", x->ref->url, why);
}

/* The host (and port) of URL, in A. */
static const char *host_of(dg_arena *a, const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, "/?#");
    return dg_strndup(a, h, n);
}

/* Hosts that could not be resolved or reached in this call: their other
 * images are not tried (an archive built offline would try each). */
typedef struct dead_host {
    const char *host, *why;
} dead_host;

typedef struct dead_hosts {
    dead_host *v;
    size_t n, cap;
} dead_hosts;

static const char *dead_reason(const dead_hosts *dh, const char *host)
{
    for (size_t i = 0; i < dh->n; i++)
        if (!strcmp(dh->v[i].host, host))
            return dh->v[i].why;
    return NULL;
}

static void add_dead(dead_hosts *dh, dg_arena *a, const char *host, const char *why)
{
    if (dead_reason(dh, host))
        return;
    dg_arena_grow(a, &dh->v, dh->n, &dh->cap, sizeof *dh->v, 8);
    dh->v[dh->n++] = (dead_host){host, dg_strdup(a, why)};
}

/* Checks and caches a finished transfer; true when the image is now cached. */
static bool finish(xfer *x, CURLcode rc, dg_diag *d)
{
    long status = 0;
    curl_api.curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    bool ok = false;
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        warn(d, x, "larger than 20 MB");
    } else if (rc != CURLE_OK) {
        warn(d, x, x->err[0] ? x->err : curl_api.curl_easy_strerror(rc));
    } else if (status != 200) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %ld", status);
        warn(d, x, why);
    } else {
        dg_arena *a = dg_arena_new();
        dg_image img;
        if (dg_image_from_memory(&img, a, (const unsigned char *)x->body.data, x->body.len) != 0)
            warn(d, x, "the answer is no PNG, JPEG, GIF, WebP or SVG image");
        else if (dg_write_file_atomic(x->file, x->body.data, x->body.len) != 0)
            dg_report_file(d, DG_WARNING, x->file,
                           "cannot write the fetched image '%s' into the cache: %s", x->ref->url,
                           strerror(errno));
        else
            ok = true;
        dg_arena_free(a);
    }
    dg_buf_free(&x->body);
    return ok;
}

size_t dg_fetch_images(const char *dir, const dg_remote_ref *refs, size_t n, dg_diag *d)
{
    if (n == 0)
        return 0;
    pthread_once(&curl_once, curl_load);
    if (curl_missing) {
        dg_report_once(d, "fetch:libcurl", DG_WARNING, NULL, 0, 0,
                       "remote images cannot be fetched: %s (%s); they are shown as placeholders",
                       curl_missing, DIGEST_LIBCURL_SONAME);
        return 0;
    }
    if (dg_mkdir_p(dir) != 0) {
        dg_report_file(d, DG_WARNING, dir,
                       "cannot create the image cache (%s); remote images are shown as "
                       "placeholders",
                       strerror(errno));
        return 0;
    }
    dg_arena *a = dg_arena_new();
    /* one transfer a URL (the first post that uses it is named) */
    xfer *xs = dg_allocn(a, n, sizeof *xs);
    size_t nx = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < nx && !seen; k++)
            seen = !strcmp(xs[k].ref->url, refs[i].url);
        if (seen)
            continue;
        xs[nx].ref = &refs[i];
        xs[nx].file = dg_fetch_cache_file(a, dir, refs[i].url);
        xs[nx].host = host_of(a, refs[i].url);
        if (!dg_is_file(xs[nx].file)) /* another month may have fetched it */
            nx++;
    }
    size_t fetched = 0, next = 0, active = 0;
    dead_hosts dead = {0};
    CURLM *m = nx ? curl_api.curl_multi_init() : NULL;
    while (m && (next < nx || active > 0)) {
        while (active < DG_FETCH_PARALLEL && next < nx) {
            xfer *x = &xs[next++];
            const char *why = dead_reason(&dead, x->host);
            if (why)
                warn(d, x, why);
            else if (start(m, x) == 0)
                active++;
            else
                warn(d, x, "libcurl could not start the transfer");
        }
        int running = 0;
        curl_api.curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_api.curl_multi_info_read(m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            for (size_t k = 0; k < next && !x; k++)
                if (xs[k].h == msg->easy_handle)
                    x = &xs[k];
            CURLcode rc = msg->data.result;
            curl_api.curl_multi_remove_handle(m, msg->easy_handle);
            if (x) {
                if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
                    rc == CURLE_COULDNT_CONNECT)
                    add_dead(&dead, a, x->host,
                             x->err[0] ? x->err : curl_api.curl_easy_strerror(rc));
                fetched += finish(x, rc, d);
                curl_api.curl_easy_cleanup(x->h);
                x->h = NULL;
            }
            active--;
        }
        if (active > 0)
            curl_api.curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    if (m)
        curl_api.curl_multi_cleanup(m);
    dg_arena_free(a);
    return fetched;
}
