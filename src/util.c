/* util.c - arena, buffers, files, paths and UTF-8 helpers. */
#include "digest/util.h"

#include <dlfcn.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
    fputs("digest: fatal: out of memory\n", stderr);
    abort();
}

/* Arena: a chain of blocks; big requests get a block of their own. */
#define ARENA_BLOCK (64 * 1024)

typedef struct block {
    struct block *next;
    size_t used, size;
    max_align_t data[];
} block;

struct dg_arena {
    block *head;
#ifdef DG_DEBUG_ARENA
    dg_vec allocs;
#endif
};

dg_arena *dg_arena_new(void)
{
    dg_arena *a = calloc(1, sizeof *a);
    if (!a)
        oom();
    return a;
}

void dg_arena_free(dg_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *n; b; b = n) {
        n = b->next;
        free(b);
    }
#ifdef DG_DEBUG_ARENA
    for (size_t i = 0; i < a->allocs.len; i++)
        free(a->allocs.items[i]);
    dg_vec_free(&a->allocs);
#endif
    free(a);
}

void *dg_alloc(dg_arena *a, size_t size)
{
    if (size == 0)
        size = 1;
#ifdef DG_DEBUG_ARENA
    void *p = calloc(1, size);
    if (!p)
        oom();
    dg_vec_push(&a->allocs, p);
    return p;
#else
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align)
        oom();
    size = (size + align - 1) / align * align;
    block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        block *nb = malloc(sizeof *nb + bs);
        if (!nb)
            oom();
        nb->used = 0;
        nb->size = bs;
        if (bs == size && b) { /* keep the current block for small requests */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
#endif
}

void *dg_allocn(dg_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        oom();
    return dg_alloc(a, n * size);
}

void dg_arena_grow(dg_arena *a, void *itemsp, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : first;
    void *old, *fresh = dg_allocn(a, ncap, size);
    memcpy(&old, itemsp, sizeof old);
    if (n)
        memcpy(fresh, old, n * size);
    memcpy(itemsp, &fresh, sizeof fresh);
    *cap = ncap;
}

char *dg_strndup(dg_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = dg_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *dg_strdup(dg_arena *a, const char *s)
{
    return s ? dg_strndup(a, s, strlen(s)) : NULL;
}

char *dg_vsprintf(dg_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = dg_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *dg_sprintf(dg_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = dg_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

static void buf_grow(dg_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        oom();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        oom();
    b->data = p;
    b->cap = cap;
}

void dg_buf_put(dg_buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void dg_buf_puts(dg_buf *b, const char *s)
{
    dg_buf_put(b, s, strlen(s));
}

void dg_buf_putc(dg_buf *b, char c)
{
    dg_buf_put(b, &c, 1);
}

void dg_buf_printf(dg_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void dg_buf_put_xml(dg_buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: break;
        }
        if (rep) {
            dg_buf_put(b, s + start, i - start);
            dg_buf_puts(b, rep);
            start = i + 1;
        }
    }
    dg_buf_put(b, s + start, n - start);
}

void dg_buf_free(dg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *dg_buf_to_arena(dg_buf *b, dg_arena *a)
{
    char *p = dg_strndup(a, b->data ? b->data : "", b->len);
    dg_buf_free(b);
    return p;
}

void dg_vec_push(dg_vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void **p = realloc(v->items, cap * sizeof *p);
        if (!p)
            oom();
        v->items = p;
        v->cap = cap;
    }
    v->items[v->len++] = item;
}

void dg_vec_free(dg_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

/* Files beyond this are refused: no post or image of a weekly blog is near
 * it, and it keeps a mistaken path (a disk image) from eating memory. */
#define DG_MAX_FILE (512u * 1024 * 1024)

int dg_read_file(const char *path, char **data, size_t *len)
{
    return dg_read_file_max(path, DG_MAX_FILE, data, len);
}

int dg_read_file_max(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    dg_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > max) {
            fclose(f);
            dg_buf_free(&b);
            errno = EFBIG;
            return -1;
        }
        dg_buf_put(&b, tmp, n);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        dg_buf_free(&b);
        errno = EIO;
        return -1;
    }
    if (!b.data)
        dg_buf_put(&b, "", 0);
    *data = b.data;
    *len = b.len;
    return 0;
}

char *dg_tmp_path_for(dg_arena *a, const char *path)
{
    return dg_sprintf(a, "%s.tmp-%ld", path, (long)getpid());
}

int dg_write_file_atomic(const char *path, const void *data, size_t len)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        oom();
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        fd = -1;
        goto fail;
    }
    free(tmp);
    return 0;
fail : {
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    errno = e;
    return -1;
}
}

int dg_mkdir_p(const char *path)
{
    char *p = strdup(path);
    if (!p)
        oom();
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = '/';
        }
    }
    int r = mkdir(p, 0755);
    free(p);
    if (r != 0 && errno != EEXIST)
        return -1;
    return dg_is_dir(path) ? 0 : -1;
}

bool dg_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool dg_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *dg_path_join(dg_arena *a, const char *dir, const char *name)
{
    if (!dir || !*dir || name[0] == '/')
        return dg_strdup(a, name);
    size_t n = strlen(dir);
    return dg_sprintf(a, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

char *dg_path_normalize(dg_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = dg_alloc(a, n + 2);
    bool abs = path[0] == '/';
    size_t o = 0;
    size_t depth = 0; /* components that can be popped */
    if (abs)
        out[o++] = '/';
    const char *s = path;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0)
            break;
        if (len == 1 && s[0] == '.') {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (depth > 0) {
                /* pop the last component */
                while (o > (abs ? 1u : 0u) && out[o - 1] != '/')
                    o--;
                if (o > (abs ? 1u : 0u))
                    o--; /* the slash */
                depth--;
            } else if (!abs) {
                if (o > 0)
                    out[o++] = '/';
                memcpy(out + o, "..", 2);
                o += 2;
            }
            /* "/.." stays "/" */
        } else {
            if (o > 0 && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
            depth++;
        }
        s = e;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = 0;
    return out;
}

bool dg_path_inside(const char *root, const char *path)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp(root, path, n) != 0)
        return false;
    return path[n] == 0 || path[n] == '/' || (n == 1 && root[0] == '/');
}

const char *dg_path_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

char *dg_path_dirname(dg_arena *a, const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return dg_strdup(a, ".");
    if (s == path)
        return dg_strdup(a, "/");
    return dg_strndup(a, path, (size_t)(s - path));
}

int dg_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = 0xFFFD;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int dg_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool dg_lang_is_cjk(const char *lang)
{
    return !lang || !*lang || !strncmp(lang, "zh", 2) || !strncmp(lang, "ja", 2);
}

bool dg_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) || c == 0x3007;
}

bool dg_is_cjk(uint32_t c)
{
    return dg_is_han(c) || (c >= 0x3000 && c <= 0x303F) || /* CJK symbols and punctuation */
           (c >= 0x3040 && c <= 0x30FF) ||                 /* kana */
           (c >= 0x3100 && c <= 0x312F) ||                 /* bopomofo */
           (c >= 0xAC00 && c <= 0xD7AF) ||                 /* Hangul */
           (c >= 0xFF00 && c <= 0xFF60) ||                 /* full-width forms */
           (c >= 0xFE30 && c <= 0xFE4F);                   /* CJK compatibility forms */
}

double dg_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int dg_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

uint64_t dg_hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

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
