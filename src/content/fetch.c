/* fetch.c - remote images into the image cache, with libcurl's multi
 * interface (several transfers at once on each thread), the per-build and
 * per-host limits shared by the threads of a build.  libcurl is loaded by
 * name the first time an image is to be fetched (see fetch.h). */
#include "content/fetch.h"

/* calls go through function pointers: curl.h's type-checking macros would
 * rewrite them */
#define CURL_DISABLE_TYPECHECK
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "content/image.h"

#define CURL_FUNCS(X)                                                                             \
    X(curl_global_init)                                                                           \
    X(curl_easy_init)                                                                             \
    X(curl_easy_setopt)                                                                           \
    X(curl_easy_getinfo)                                                                          \
    X(curl_easy_cleanup)                                                                          \
    X(curl_easy_strerror) X(curl_multi_init) X(curl_multi_add_handle) X(curl_multi_remove_handle) \
        X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_info_read) X(curl_multi_cleanup)    \
            X(curl_slist_append) X(curl_slist_free_all)
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

/* ---- what the threads of a build share --------------------------------------- */

typedef struct host {
    const char *name; /* "host:port" */
    int active;       /* transfers to it now */
    const char *dead; /* why it was given up, or NULL */
    bool resolve;     /* given up because its name did not resolve */
} host;

enum { URL_INFLIGHT = 1, URL_DONE = 2 };

struct dg_fetcher {
    pthread_mutex_t mu;
    pthread_cond_t freed; /* a transfer ended: a slot may be free */
    dg_arena *a;
    dg_imagecache *cache;
    dg_map hosts; /* name -> host */
    host **hostv;
    size_t nhosts, caphosts, ndead;
    dg_map urls;    /* url -> URL_INFLIGHT or URL_DONE (as a pointer) */
    int active;     /* transfers now, all threads */
    size_t answers; /* answers from servers */
    bool no_curl;
};

dg_fetcher *dg_fetcher_new(dg_imagecache *c)
{
    dg_fetcher *f = calloc(1, sizeof *f);
    if (!f)
        dg_oom();
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->freed, NULL);
    f->a = dg_arena_new();
    f->cache = c;
    dg_map_init(&f->hosts, f->a);
    dg_map_init(&f->urls, f->a);
    return f;
}

void dg_fetcher_free(dg_fetcher *f)
{
    if (!f)
        return;
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->freed);
    dg_arena_free(f->a);
    free(f);
}

/* The host of a URL, "host:port" in lower case, in A; *CREDENTIALS set
 * when the address holds a user name (user:password@host). */
static const char *host_of(dg_arena *a, const char *url, bool *credentials)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, "/?#");
    const char *at = memchr(h, '@', n);
    *credentials = at != NULL;
    if (at) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    char *s = dg_strndup(a, h, n);
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

static host *host_get(dg_fetcher *f, const char *name)
{
    void *v;
    if (dg_map_get(&f->hosts, name, &v))
        return v;
    host *h = dg_alloc(f->a, sizeof *h);
    memset(h, 0, sizeof *h);
    h->name = dg_strdup(f->a, name);
    dg_map_put(&f->hosts, h->name, h);
    dg_arena_grow(f->a, &f->hostv, f->nhosts, &f->caphosts, sizeof *f->hostv, 16);
    f->hostv[f->nhosts++] = h;
    return h;
}

/* Why HOST is given up in this build (under the lock), or NULL. */
static const char *host_dead(const dg_fetcher *f, const host *h)
{
    if (h->dead)
        return h->dead;
    if (f->ndead >= DG_FETCH_DEAD_HOSTS && f->answers == 0)
        return "no host could be reached: the machine seems offline";
    return NULL;
}

/* ---- one thread's transfers -------------------------------------------------- */

typedef struct xfer {
    const dg_remote_ref *ref;
    const char *file;
    host *host;
    CURL *h;
    struct curl_slist *headers;
    dg_buf body;
    bool too_big, started, resolved;
    char etag[256], lastmod[64];
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

/* Keeps the value of header NAME of line P (N bytes) in OUT. */
static void header_value(const char *p, size_t n, const char *name, char *out, size_t cap)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(p, name, k) != 0)
        return;
    p += k;
    n -= k;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    if (n < cap) {
        memcpy(out, p, n);
        out[n] = 0;
    }
}

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
    xfer *x = user;
    size_t len = size * n;
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) { /* a new answer (after a redirect) */
        x->etag[0] = x->lastmod[0] = 0;
        x->body.len = 0;
    }
    header_value(p, len, "etag:", x->etag, sizeof x->etag);
    header_value(p, len, "last-modified:", x->lastmod, sizeof x->lastmod);
    return len;
}

static int start(CURLM *m, xfer *x, dg_imagecache *c, dg_arena *a)
{
    int rc = -1;
    CURL *h = x->h = curl_api.curl_easy_init();
    if (!h)
        goto out;
    x->err[0] = x->etag[0] = x->lastmod[0] = 0;
    bool https = !strncmp(x->ref->url, "https:", 6);
    curl_api.curl_easy_setopt(h, CURLOPT_URL, x->ref->url);
    curl_api.curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_api.curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_api.curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_api.curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_api.curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->err);
    curl_api.curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    /* http to https is followed, https to http is not */
    curl_api.curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
    curl_api.curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_api.curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)DG_FETCH_REDIRS);
    curl_api.curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    curl_api.curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_api.curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_api.curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    /* a stalled server: under 1 KB/s for 30 s */
    curl_api.curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_api.curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_api.curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DG_FETCH_MAX_BYTES);
    curl_api.curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_api.curl_easy_setopt(h, CURLOPT_USERAGENT, "digest/" DIGEST_VERSION);
    curl_api.curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* months fetch on threads */
    /* --refresh-images: the image in the cache is sent back only if changed */
    dg_cache_entry e;
    if (dg_is_file(x->file) && dg_imagecache_get(c, a, x->ref->url, &e)) {
        if (*e.etag)
            x->headers =
                curl_api.curl_slist_append(x->headers, dg_sprintf(a, "If-None-Match: %s", e.etag));
        if (*e.lastmod)
            x->headers = curl_api.curl_slist_append(
                x->headers, dg_sprintf(a, "If-Modified-Since: %s", e.lastmod));
        if (x->headers)
            curl_api.curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
    }
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

static void fail(dg_fetcher *f, dg_diag *d, const xfer *x, dg_cache_status s, const char *why)
{
    warn(d, x, why);
    dg_imagecache_record_failure(f->cache, x->ref->url, s, why, false);
}

/* Checks and caches a finished transfer. */
static void finish(dg_fetcher *f, xfer *x, CURLcode rc, dg_diag *d)
{
    long status = 0;
    curl_api.curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        fail(f, d, x, DG_CACHE_TOO_LARGE, "larger than 20 MB");
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
               rc == CURLE_COULDNT_CONNECT || (rc == CURLE_OPERATION_TIMEDOUT && status == 0)) {
        const char *why = x->err[0] ? x->err : curl_api.curl_easy_strerror(rc);
        bool resolve = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY;
        pthread_mutex_lock(&f->mu);
        if (!x->host->dead) {
            x->host->dead = dg_strdup(f->a, why);
            x->host->resolve = resolve;
            f->ndead++;
        }
        pthread_mutex_unlock(&f->mu);
        /* not warned: the note at the end names the host */
        dg_imagecache_record_failure(f->cache, x->ref->url, DG_CACHE_UNREACHABLE, why, resolve);
    } else if (rc != CURLE_OK) { /* TLS, too many redirects, a cut answer, ... */
        fail(f, d, x, DG_CACHE_HTTP, x->err[0] ? x->err : curl_api.curl_easy_strerror(rc));
    } else if (status == 304 && x->headers) {
        dg_imagecache_record_same(f->cache, x->ref->url);
    } else if (status != 200) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %ld", status);
        fail(f, d, x, DG_CACHE_HTTP, why);
    } else {
        dg_arena *a = dg_arena_new();
        dg_image img;
        const unsigned char *p = (const unsigned char *)x->body.data;
        bool webp = x->body.len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4);
        if (dg_image_from_memory(&img, a, p, x->body.len) != 0) {
            fail(f, d, x, DG_CACHE_NOT_IMAGE, "the answer is no PNG, JPEG, GIF, WebP or SVG image");
        } else if (dg_write_file_atomic(x->file, x->body.data, x->body.len) != 0) {
            dg_report_file(d, DG_WARNING, x->file,
                           "cannot write the fetched image '%s' into the cache: %s", x->ref->url,
                           strerror(errno));
        } else {
            dg_imagecache_record_ok(f->cache, x->ref->url, x->body.len, webp ? "webp" : img.ext,
                                    x->etag, x->lastmod);
        }
        dg_arena_free(a);
    }
    if (status > 0) {
        pthread_mutex_lock(&f->mu);
        f->answers++;
        pthread_mutex_unlock(&f->mu);
    }
    dg_buf_free(&x->body);
}

/* Under the lock: decides what becomes of X now; true when it is to be
 * started (its slots are taken). */
static bool claim(dg_fetcher *f, xfer *x)
{
    void *st;
    if (dg_map_get(&f->urls, x->ref->url, &st)) {
        if ((uintptr_t)st == URL_DONE)
            x->resolved = true; /* another thread fetched it: the cache knows */
        return false;
    }
    const char *dead = host_dead(f, x->host);
    if (dead) {
        x->resolved = true;
        dg_map_put(&f->urls, dg_strdup(f->a, x->ref->url), (void *)(uintptr_t)URL_DONE);
        /* the host's fault, or maybe the machine's (imagecache.h) */
        dg_imagecache_record_failure(f->cache, x->ref->url, DG_CACHE_UNREACHABLE,
                                     dg_sprintf(f->a, "host given up: %s", dead),
                                     x->host->dead ? x->host->resolve : true);
        return false;
    }
    if (f->active >= DG_FETCH_PARALLEL || x->host->active >= DG_FETCH_PER_HOST)
        return false;
    f->active++;
    x->host->active++;
    dg_map_put(&f->urls, dg_strdup(f->a, x->ref->url), (void *)(uintptr_t)URL_INFLIGHT);
    return true;
}

static void release(dg_fetcher *f, xfer *x)
{
    pthread_mutex_lock(&f->mu);
    f->active--;
    x->host->active--;
    dg_map_put(&f->urls, dg_strdup(f->a, x->ref->url), (void *)(uintptr_t)URL_DONE);
    pthread_cond_broadcast(&f->freed);
    pthread_mutex_unlock(&f->mu);
}

size_t dg_fetch_images(dg_fetcher *f, const dg_remote_ref *refs, size_t n, dg_diag *d)
{
    size_t want = 0;
    for (size_t i = 0; i < n; i++)
        want += refs[i].fetch;
    if (want == 0)
        return 0;
    pthread_once(&curl_once, curl_load);
    if (curl_missing) {
        f->no_curl = true;
        dg_report_once(d, "fetch:libcurl", DG_WARNING, NULL, 0, 0,
                       "remote images cannot be fetched: %s (%s); they are shown as placeholders",
                       curl_missing, DIGEST_LIBCURL_SONAME);
        return 0;
    }
    const char *dir = dg_imagecache_dir(f->cache);
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
    dg_map seen;
    dg_map_init(&seen, a);
    size_t nx = 0;
    for (size_t i = 0; i < n; i++) {
        if (!refs[i].fetch || !dg_map_add(&seen, refs[i].url, NULL))
            continue;
        xfer *x = &xs[nx];
        memset(x, 0, sizeof *x);
        x->ref = &refs[i];
        x->file = dg_imagecache_file(a, dir, refs[i].url);
        bool credentials;
        const char *hn = host_of(a, refs[i].url, &credentials);
        if (credentials) {
            fail(f, d, x, DG_CACHE_HTTP,
                 "the address holds a user name or password, which digest never sends");
            continue;
        }
        pthread_mutex_lock(&f->mu);
        x->host = host_get(f, hn);
        pthread_mutex_unlock(&f->mu);
        nx++;
    }
    size_t left = nx, active = 0;
    CURLM *m = nx ? curl_api.curl_multi_init() : NULL;
    while (m && (left > 0 || active > 0)) {
        /* start what the limits allow, in order */
        bool blocked = false;
        pthread_mutex_lock(&f->mu);
        for (size_t k = 0; k < nx; k++) {
            xfer *x = &xs[k];
            if (x->started || x->resolved)
                continue;
            if (claim(f, x)) {
                x->started = true;
            } else if (x->resolved) {
                left--;
            } else {
                blocked = true;
            }
        }
        pthread_mutex_unlock(&f->mu);
        for (size_t k = 0; k < nx; k++) {
            xfer *x = &xs[k];
            if (!x->started || x->h || x->resolved)
                continue;
            if (start(m, x, f->cache, a) == 0) {
                active++;
            } else {
                warn(d, x, "libcurl could not start the transfer");
                x->resolved = true;
                left--;
                release(f, x);
            }
        }
        if (active == 0) {
            if (left > 0 && blocked) { /* other threads hold the slots */
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 200 * 1000000L;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                pthread_mutex_lock(&f->mu);
                pthread_cond_timedwait(&f->freed, &f->mu, &ts);
                pthread_mutex_unlock(&f->mu);
            }
            continue;
        }
        int running = 0;
        curl_api.curl_multi_perform(m, &running);
        CURLMsg *msg;
        int queued;
        while ((msg = curl_api.curl_multi_info_read(m, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            for (size_t k = 0; k < nx && !x; k++)
                if (xs[k].h == msg->easy_handle)
                    x = &xs[k];
            CURLcode rc = msg->data.result;
            curl_api.curl_multi_remove_handle(m, msg->easy_handle);
            if (x) {
                finish(f, x, rc, d);
                curl_api.curl_easy_cleanup(x->h);
                curl_api.curl_slist_free_all(x->headers);
                x->headers = NULL;
                x->h = NULL;
                x->resolved = true;
                left--;
                release(f, x);
            }
            active--;
        }
        /* a slot another thread frees does not wake this poll: short
         * waits while some transfer waits for one */
        if (active > 0)
            curl_api.curl_multi_poll(m, NULL, 0, blocked ? 50 : 1000, NULL);
    }
    if (m)
        curl_api.curl_multi_cleanup(m);
    /* in the cache now: fetched or revalidated here, or by another thread */
    size_t there = 0;
    for (size_t k = 0; k < nx; k++)
        there += dg_is_file(xs[k].file);
    dg_arena_free(a);
    return there;
}

dg_fetch_outcome dg_fetch_outcome_of(dg_fetcher *f, const char *url)
{
    dg_arena *a = dg_arena_new();
    dg_cache_entry e;
    dg_fetch_outcome o = DG_OUTCOME_FAILED;
    if (dg_imagecache_offline(f->cache))
        o = DG_OUTCOME_OFFLINE;
    else if (!dg_imagecache_get(f->cache, a, url, &e))
        o = f->no_curl ? DG_OUTCOME_NO_CURL : DG_OUTCOME_FAILED;
    else if (!e.tried)
        o = DG_OUTCOME_REMEMBERED;
    else if (e.status == DG_CACHE_UNREACHABLE && !strncmp(e.reason, "host given up", 13))
        o = DG_OUTCOME_UNREACHABLE;
    else if (e.status == DG_CACHE_UNREACHABLE) {
        pthread_mutex_lock(&f->mu);
        bool dead = false;
        bool cred;
        const char *hn = host_of(a, url, &cred);
        void *h;
        if (dg_map_get(&f->hosts, hn, &h))
            dead = ((host *)h)->dead != NULL;
        pthread_mutex_unlock(&f->mu);
        o = dead ? DG_OUTCOME_UNREACHABLE : DG_OUTCOME_FAILED;
    }
    dg_arena_free(a);
    return o;
}

const char *dg_fetch_dead_hosts(dg_fetcher *f, dg_arena *a, size_t max, size_t *n)
{
    dg_buf b = {0};
    pthread_mutex_lock(&f->mu);
    *n = 0;
    for (size_t i = 0; i < f->nhosts; i++) {
        const host *h = f->hostv[i];
        if (!h->dead)
            continue;
        if (++*n <= max)
            dg_buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", h->name, h->dead);
    }
    pthread_mutex_unlock(&f->mu);
    if (*n > max)
        dg_buf_printf(&b, " and %zu more", *n - max);
    return b.len ? dg_buf_to_arena(&b, a) : (dg_buf_free(&b), NULL);
}
