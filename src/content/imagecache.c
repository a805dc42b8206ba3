/* imagecache.c - the index of the cache of fetched remote images: failures
 * remembered, least recently used images evicted, two builds merged under a
 * lock (imagecache.h). */
#include "content/imagecache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define INDEX_HEADER "digest-image-cache 1"
/* An index past this size is not ours (about 200 bytes a URL). */
#define INDEX_MAX_BYTES (256u << 20)
#define NFIELDS         9

static const char *const status_names[DG_CACHE_NSTATUS] = {"ok", "http", "not-image", "too-large",
                                                           "unreachable"};

const char *dg_cache_status_name(dg_cache_status s)
{
    return (unsigned)s < DG_CACHE_NSTATUS ? status_names[s] : "?";
}

static uint64_t url_hash(const char *url)
{
    return dg_hash64(url, strlen(url), 0x66657463ULL);
}

const char *dg_imagecache_file(dg_arena *a, const char *dir, const char *url)
{
    return dg_sprintf(a, "%s/%016llx", dir, (unsigned long long)url_hash(url));
}

const char *dg_imagecache_time(dg_arena *a, int64_t t, bool minutes)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[32];
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, minutes ? "%Y-%m-%d %H:%M UTC" : "%Y-%m-%d", &tm);
    return dg_strdup(a, s);
}

/* ---- the index's text ------------------------------------------------------- */

static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static bool parse_hex64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    size_t n = 0;
    for (; *s; s++, n++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0 || n >= 16)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return n == 16;
}

/* One line split at tabs into F; false when it has not NFIELDS fields. */
static bool split(char *line, char **f)
{
    size_t k = 0;
    f[k++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            if (k == NFIELDS)
                return false;
            *p = 0;
            f[k++] = p + 1;
        }
    return k == NFIELDS;
}

static const char *field(dg_arena *a, const char *s)
{
    return strcmp(s, "-") ? dg_strdup(a, s) : "";
}

static bool parse_line(char *line, dg_arena *a, dg_cache_entry *e)
{
    char *f[NFIELDS];
    uint64_t t;
    memset(e, 0, sizeof *e);
    if (!split(line, f) || !parse_hex64(f[0], &e->hash) || !parse_u64(f[1], &e->size) ||
        !parse_u64(f[4], &t) || t > INT64_MAX || !*f[2])
        return false;
    e->time = (int64_t)t;
    e->status = DG_CACHE_NSTATUS;
    for (int s = 0; s < DG_CACHE_NSTATUS; s++)
        if (!strcmp(f[3], status_names[s]))
            e->status = (dg_cache_status)s;
    const char *url = f[8];
    if (e->status == DG_CACHE_NSTATUS ||
        (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        e->hash != url_hash(url))
        return false;
    e->url = dg_strdup(a, url);
    e->type = dg_strdup(a, f[2]);
    e->etag = field(a, f[5]);
    e->lastmod = field(a, f[6]);
    e->reason = field(a, f[7]);
    return true;
}

size_t dg_imagecache_parse(const char *text, size_t len, dg_arena *a, dg_cache_entry ***out,
                           size_t *bad)
{
    dg_cache_entry **v = NULL;
    size_t n = 0, cap = 0;
    *bad = 0;
    *out = NULL;
    size_t hl = strlen(INDEX_HEADER);
    if (len < hl || memcmp(text, INDEX_HEADER, hl) != 0 || (len > hl && text[hl] != '\n')) {
        *bad = len > 0;
        return 0;
    }
    char *line = NULL;
    size_t lcap = 0;
    for (size_t i = hl + (len > hl); i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (text + i)) : len - i;
        if (l + 1 > lcap) {
            lcap = l + 1;
            line = dg_alloc(a, lcap);
        }
        memcpy(line, text + i, l);
        line[l] = 0;
        i += l + 1;
        if (l == 0)
            continue;
        dg_cache_entry e;
        if (strlen(line) != l || !parse_line(line, a, &e)) {
            ++*bad;
            continue;
        }
        dg_arena_grow(a, &v, n, &cap, sizeof *v, 64);
        v[n] = dg_alloc(a, sizeof **v);
        *v[n++] = e;
    }
    *out = v;
    return n;
}

/* Appends S as one field: tabs, line ends and control characters become
 * spaces, an empty field is "-". */
static void put_field(dg_buf *b, const char *s, char end)
{
    if (!s || !*s)
        dg_buf_putc(b, '-');
    for (; s && *s; s++)
        dg_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
    dg_buf_putc(b, end);
}

static int write_index(const char *path, dg_cache_entry **v, size_t n)
{
    dg_buf b = {0};
    dg_buf_puts(&b, INDEX_HEADER "\n");
    for (size_t i = 0; i < n; i++) {
        const dg_cache_entry *e = v[i];
        if (!e->url)
            continue; /* dropped */
        dg_buf_printf(&b, "%016llx\t%llu\t", (unsigned long long)e->hash,
                      (unsigned long long)e->size);
        put_field(&b, e->type, '\t');
        dg_buf_printf(&b, "%s\t%lld\t", status_names[e->status], (long long)e->time);
        put_field(&b, e->etag, '\t');
        put_field(&b, e->lastmod, '\t');
        put_field(&b, e->reason, '\t');
        put_field(&b, e->url, '\n');
    }
    int rc = dg_write_file_atomic(path, b.data, b.len);
    dg_buf_free(&b);
    return rc;
}

/* The entries of the index file PATH (none when it is absent or unread). */
static size_t load(const char *path, dg_arena *a, dg_cache_entry ***out)
{
    char *text = NULL;
    size_t len = 0, bad;
    *out = NULL;
    if (dg_read_file_max(path, INDEX_MAX_BYTES, &text, &len) != 0)
        return 0;
    size_t n = dg_imagecache_parse(text, len, a, out, &bad);
    free(text);
    return n;
}

/* For digest cache: the lock of the cache in DIR taken, *FD its descriptor
 * (-1 when there is no cache: nothing to do).  0, or -1 after a warning. */
static int lock_for_command(dg_arena *a, const char *dir, int *fd, dg_diag *d);

/* The index's lock, held exclusively: its descriptor, or -1. */
static int lock_index(dg_arena *a, const char *dir)
{
    int fd = open(dg_path_join(a, dir, "index.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static bool hash_name(const char *name, uint64_t *h)
{
    return parse_hex64(name, h);
}

static const char *entry_file(dg_arena *a, const char *dir, const dg_cache_entry *e)
{
    return dg_sprintf(a, "%s/%016llx", dir, (unsigned long long)e->hash);
}

/* Entries of V (N) whose image file is gone are dropped: *DROPPED more. */
static void drop_missing(dg_arena *a, const char *dir, dg_cache_entry **v, size_t n,
                         size_t *dropped)
{
    for (size_t i = 0; i < n; i++)
        if (v[i]->url && v[i]->status == DG_CACHE_OK && !dg_is_file(entry_file(a, dir, v[i]))) {
            v[i]->url = NULL;
            ++*dropped;
        }
}

static int by_use(const void *x, const void *y)
{
    const dg_cache_entry *a = *(dg_cache_entry *const *)x, *b = *(dg_cache_entry *const *)y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return strcmp(a->url, b->url);
}

/* The least recently used images of V removed until they hold at most MAX
 * bytes (ties: in URL order, so the choice is the same every time). */
static void evict(dg_arena *a, const char *dir, dg_cache_entry **v, size_t n, uint64_t max,
                  size_t *removed, uint64_t *freed)
{
    uint64_t total = 0;
    size_t k = 0;
    dg_cache_entry **ok = dg_allocn(a, n ? n : 1, sizeof *ok);
    for (size_t i = 0; i < n; i++)
        if (v[i]->url && v[i]->status == DG_CACHE_OK) {
            total += v[i]->size;
            ok[k++] = v[i];
        }
    if (total <= max)
        return;
    qsort(ok, k, sizeof *ok, by_use);
    for (size_t i = 0; i < k && total > max; i++) {
        if (unlink(entry_file(a, dir, ok[i])) != 0 && errno != ENOENT)
            continue;
        total -= ok[i]->size;
        *freed += ok[i]->size;
        ++*removed;
        ok[i]->url = NULL;
    }
}

/* ---- the cache of one build ------------------------------------------------- */

struct dg_imagecache {
    pthread_mutex_t mu;
    dg_arena *a;
    const char *dir, *index;
    dg_imagecache_opts o;
    int64_t now;
    dg_map by_url; /* url -> dg_cache_entry */
    dg_cache_entry **v;
    size_t n, cap;
    size_t answers; /* answers from servers in this build */
};

dg_imagecache *dg_imagecache_open(const char *dir, const dg_imagecache_opts *o)
{
    dg_imagecache *c = calloc(1, sizeof *c);
    if (!c)
        dg_oom();
    pthread_mutex_init(&c->mu, NULL);
    c->a = dg_arena_new();
    c->dir = dg_strdup(c->a, dir);
    c->index = dg_path_join(c->a, dir, "index");
    c->o = *o;
    if (!c->o.max_bytes)
        c->o.max_bytes = DG_CACHE_MAX_DEFAULT;
    c->now = dg_wall_seconds();
    dg_map_init(&c->by_url, c->a);
    dg_cache_entry **v;
    size_t n = load(c->index, c->a, &v);
    for (size_t i = 0; i < n; i++) {
        void *old;
        if (dg_map_get(&c->by_url, v[i]->url, &old)) {
            *(dg_cache_entry *)old = *v[i]; /* a later line wins */
            continue;
        }
        dg_map_put(&c->by_url, v[i]->url, v[i]);
        dg_arena_grow(c->a, &c->v, c->n, &c->cap, sizeof *c->v, 64);
        c->v[c->n++] = v[i];
    }
    return c;
}

void dg_imagecache_free(dg_imagecache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    dg_arena_free(c->a);
    free(c);
}

const char *dg_imagecache_dir(const dg_imagecache *c)
{
    return c->dir;
}

bool dg_imagecache_offline(const dg_imagecache *c)
{
    return c->o.offline;
}

static dg_cache_entry *find(dg_imagecache *c, const char *url)
{
    void *e;
    return dg_map_get(&c->by_url, url, &e) ? e : NULL;
}

static dg_cache_entry *find_or_add(dg_imagecache *c, const char *url)
{
    dg_cache_entry *e = find(c, url);
    if (e)
        return e;
    e = dg_alloc(c->a, sizeof *e);
    memset(e, 0, sizeof *e);
    e->url = dg_strdup(c->a, url);
    e->hash = url_hash(url);
    e->type = "-";
    e->etag = e->lastmod = e->reason = "";
    dg_map_put(&c->by_url, e->url, e);
    dg_arena_grow(c->a, &c->v, c->n, &c->cap, sizeof *c->v, 64);
    c->v[c->n++] = e;
    return e;
}

/* The kind of image the bytes P (N) begin, for the index. */
static const char *sniff(const unsigned char *p, size_t n)
{
    if (n >= 8 && !memcmp(p, "\x89PNG", 4))
        return "png";
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "jpg";
    if (n >= 6 && !memcmp(p, "GIF8", 4))
        return "gif";
    if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
        return "webp";
    return "svg"; /* the only other kind the cache holds */
}

/* An image file found without an entry (a cache from before the index, or
 * another build's fetch not yet in it): its entry. */
static dg_cache_entry *adopt(dg_imagecache *c, const char *url, const char *file)
{
    dg_cache_entry *e = find_or_add(c, url);
    struct stat st;
    unsigned char head[16];
    size_t n = 0;
    FILE *f = fopen(file, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    e->status = DG_CACHE_OK;
    e->size = stat(file, &st) == 0 ? (uint64_t)st.st_size : 0;
    e->type = sniff(head, n);
    e->reason = "";
    e->changed = true;
    return e;
}

dg_cache_lookup dg_imagecache_lookup(dg_imagecache *c, dg_arena *a, const char *url,
                                     const char **file)
{
    dg_cache_lookup r = DG_LOOKUP_FETCH;
    *file = dg_imagecache_file(a, c->dir, url);
    bool have = dg_is_file(*file); /* written only once checked to be an image */
    pthread_mutex_lock(&c->mu);
    dg_cache_entry *e = find(c, url);
    if (have) {
        /* --refresh-images: each image once revalidated (kept when that fails) */
        if (c->o.refresh && !c->o.offline && !(e && (e->checked || e->tried)))
            goto out;
        if (!e || e->status != DG_CACHE_OK)
            e = adopt(c, url, *file);
        e->used = true;
        e->time = c->now;
        r = DG_LOOKUP_HIT;
    } else if (c->o.offline || (e && e->tried)) {
        r = DG_LOOKUP_SKIP;
    } else if (e && e->status != DG_CACHE_OK && !c->o.refresh && c->now >= e->time &&
               c->now - e->time < DG_CACHE_RETRY) {
        r = DG_LOOKUP_SKIP; /* failed less than a day ago */
    }
out:
    pthread_mutex_unlock(&c->mu);
    return r;
}

bool dg_imagecache_get(dg_imagecache *c, dg_arena *a, const char *url, dg_cache_entry *out)
{
    pthread_mutex_lock(&c->mu);
    dg_cache_entry *e = find(c, url);
    if (e) {
        *out = *e;
        out->url = dg_strdup(a, e->url);
        out->type = dg_strdup(a, e->type);
        out->etag = dg_strdup(a, e->etag);
        out->lastmod = dg_strdup(a, e->lastmod);
        out->reason = dg_strdup(a, e->reason);
    }
    pthread_mutex_unlock(&c->mu);
    return e != NULL;
}

void dg_imagecache_record_ok(dg_imagecache *c, const char *url, uint64_t size, const char *type,
                             const char *etag, const char *lastmod)
{
    pthread_mutex_lock(&c->mu);
    dg_cache_entry *e = find_or_add(c, url);
    e->status = DG_CACHE_OK;
    e->size = size;
    e->type = dg_strdup(c->a, type ? type : "-");
    e->etag = dg_strdup(c->a, etag ? etag : "");
    e->lastmod = dg_strdup(c->a, lastmod ? lastmod : "");
    e->reason = "";
    e->time = c->now;
    e->changed = e->used = e->checked = true;
    c->answers++;
    pthread_mutex_unlock(&c->mu);
}

void dg_imagecache_record_same(dg_imagecache *c, const char *url)
{
    pthread_mutex_lock(&c->mu);
    dg_cache_entry *e = find(c, url);
    if (e) {
        e->time = c->now;
        e->used = e->checked = true;
    }
    c->answers++;
    pthread_mutex_unlock(&c->mu);
}

void dg_imagecache_record_failure(dg_imagecache *c, const char *url, dg_cache_status s,
                                  const char *reason, bool resolve)
{
    pthread_mutex_lock(&c->mu);
    if (s != DG_CACHE_UNREACHABLE)
        c->answers++;
    dg_cache_entry *e = find(c, url);
    if (e && e->status == DG_CACHE_OK && dg_is_file(entry_file(c->a, c->dir, e))) {
        e->tried = true; /* a revalidation failed: the image kept */
    } else {
        e = find_or_add(c, url);
        e->status = s;
        e->reason = dg_strdup(c->a, reason ? reason : "");
        e->size = 0;
        e->type = "-";
        e->etag = e->lastmod = "";
        e->time = c->now;
        e->changed = e->tried = true;
        e->resolve = resolve;
    }
    pthread_mutex_unlock(&c->mu);
}

long dg_imagecache_save(dg_imagecache *c, dg_diag *d)
{
    long rc = 0;
    int fd = -1;
    pthread_mutex_lock(&c->mu);
    dg_arena *a = dg_arena_new();
    bool any = false;
    for (size_t i = 0; i < c->n && !any; i++)
        any = c->v[i]->changed || c->v[i]->used;
    if (!any || !dg_is_dir(c->dir))
        goto out;
    fd = lock_index(a, c->dir);
    if (fd < 0) {
        dg_report_file(d, DG_WARNING, c->index,
                       "cannot lock the image cache's index (%s); not "
                       "updated",
                       strerror(errno));
        rc = -1;
        goto out;
    }
    /* the index as it is now (another build may have written it), with
     * this build's changes laid over it */
    dg_cache_entry **v;
    size_t n = load(c->index, a, &v), cap = n;
    dg_map on_disk;
    dg_map_init(&on_disk, a);
    for (size_t i = 0; i < n; i++)
        dg_map_put(&on_disk, v[i]->url, v[i]);
    bool modified = false;
    for (size_t i = 0; i < c->n; i++) {
        dg_cache_entry *e = c->v[i];
        if (!e->changed && !e->used)
            continue;
        /* a name that did not resolve on a machine that reached no server:
         * offline, not a dead host; tried again next time */
        if (e->changed && e->status == DG_CACHE_UNREACHABLE && e->resolve && c->answers == 0)
            continue;
        void *old;
        dg_cache_entry *o = dg_map_get(&on_disk, e->url, &old) ? old : NULL;
        if (!o) {
            dg_arena_grow(a, &v, n, &cap, sizeof *v, 64);
            v[n] = dg_alloc(a, sizeof **v);
            *v[n++] = *e; /* a copy: eviction may drop it */
        } else if (e->changed) {
            *o = *e;
        } else if (o->status == DG_CACHE_OK && e->time > o->time) {
            o->time = e->time;
        } else if (o->status != DG_CACHE_OK) {
            *o = *e; /* used from its file: the failure is over */
        } else {
            continue;
        }
        modified = true;
    }
    size_t dropped = 0, removed = 0;
    uint64_t freed = 0;
    drop_missing(a, c->dir, v, n, &dropped);
    for (size_t i = 0; i < n; i++)
        if (v[i]->url && v[i]->status != DG_CACHE_OK && c->now - v[i]->time >= DG_CACHE_FORGET) {
            v[i]->url = NULL;
            dropped++;
        }
    evict(a, c->dir, v, n, c->o.max_bytes, &removed, &freed);
    if ((modified || dropped || removed) && write_index(c->index, v, n) != 0) {
        dg_report_file(d, DG_WARNING, c->index, "cannot write the image cache's index: %s",
                       strerror(errno));
        rc = -1;
        goto out;
    }
    rc = (long)removed;
out:
    if (fd >= 0)
        close(fd); /* the lock goes with it */
    dg_arena_free(a);
    pthread_mutex_unlock(&c->mu);
    return rc;
}

/* ---- digest cache ----------------------------------------------------------- */

/* Files of DIR named like images of the cache, not in the entries V (N);
 * with UNLINK removed.  Counts them and their bytes. */
static void orphans(dg_arena *a, const char *dir, dg_cache_entry **v, size_t n, bool remove,
                    size_t *count, uint64_t *bytes)
{
    dg_map named;
    dg_map_init(&named, a);
    for (size_t i = 0; i < n; i++)
        if (v[i]->url && v[i]->status == DG_CACHE_OK)
            dg_map_put(&named, dg_sprintf(a, "%016llx", (unsigned long long)v[i]->hash), v[i]);
    DIR *dh = opendir(dir);
    struct dirent *de;
    while (dh && (de = readdir(dh)) != NULL) {
        uint64_t h;
        struct stat st;
        const char *path = dg_path_join(a, dir, de->d_name);
        if (!hash_name(de->d_name, &h) || dg_map_get(&named, de->d_name, NULL) ||
            lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (remove && unlink(path) != 0)
            continue;
        ++*count;
        *bytes += (uint64_t)st.st_size;
    }
    if (dh)
        closedir(dh);
}

size_t dg_imagecache_read(const char *dir, dg_arena *a, dg_cache_entry ***out, dg_cache_stats *st)
{
    dg_cache_entry **v;
    size_t n = load(dg_path_join(a, dir, "index"), a, &v);
    int64_t now = dg_wall_seconds();
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < n; i++) {
        dg_cache_entry *e = v[i];
        if (e->status != DG_CACHE_OK) {
            st->failures[e->status]++;
            st->expired += now - e->time >= DG_CACHE_RETRY;
        } else if (dg_is_file(entry_file(a, dir, e))) {
            if (!st->images || e->time < st->oldest)
                st->oldest = e->time;
            if (!st->images || e->time > st->newest)
                st->newest = e->time;
            st->images++;
            st->bytes += e->size;
        }
    }
    orphans(a, dir, v, n, false, &st->orphans, &st->orphan_bytes);
    *out = v;
    return n;
}

static int lock_for_command(dg_arena *a, const char *dir, int *fd, dg_diag *d)
{
    *fd = -1;
    if (!dg_is_dir(dir))
        return 0;
    *fd = lock_index(a, dir);
    if (*fd >= 0)
        return 0;
    dg_report_file(d, DG_WARNING, dir, "cannot lock the image cache's index: %s", strerror(errno));
    return -1;
}

int dg_imagecache_prune(const char *dir, uint64_t max_bytes, bool remove_orphans, size_t *removed,
                        size_t *dropped, uint64_t *freed, dg_diag *d)
{
    int rc = -1, fd;
    dg_arena *a = dg_arena_new();
    *removed = *dropped = 0;
    *freed = 0;
    int locked = lock_for_command(a, dir, &fd, d);
    if (locked != 0 || fd < 0) {
        rc = locked;
        goto out;
    }
    const char *index = dg_path_join(a, dir, "index");
    dg_cache_entry **v;
    size_t n = load(index, a, &v);
    int64_t now = dg_wall_seconds();
    drop_missing(a, dir, v, n, dropped);
    for (size_t i = 0; i < n; i++)
        if (v[i]->url && v[i]->status != DG_CACHE_OK && now - v[i]->time >= DG_CACHE_RETRY) {
            v[i]->url = NULL; /* would be tried again anyway */
            ++*dropped;
        }
    evict(a, dir, v, n, max_bytes ? max_bytes : DG_CACHE_MAX_DEFAULT, removed, freed);
    if (remove_orphans)
        orphans(a, dir, v, n, true, removed, freed);
    if (write_index(index, v, n) != 0) {
        dg_report_file(d, DG_WARNING, index, "cannot write the image cache's index: %s",
                       strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    dg_arena_free(a);
    return rc;
}

int dg_imagecache_clear(const char *dir, size_t *removed, uint64_t *freed, dg_diag *d)
{
    int rc = -1, fd;
    dg_arena *a = dg_arena_new();
    *removed = 0;
    *freed = 0;
    int locked = lock_for_command(a, dir, &fd, d);
    if (locked != 0 || fd < 0) {
        rc = locked;
        goto out;
    }
    orphans(a, dir, NULL, 0, true, removed, freed); /* with no entries: every image */
    const char *index = dg_path_join(a, dir, "index");
    if (unlink(index) != 0 && errno != ENOENT) {
        dg_report_file(d, DG_WARNING, index, "cannot remove the image cache's index: %s",
                       strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    dg_arena_free(a);
    return rc;
}
