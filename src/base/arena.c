/* arena.c - the arena, growable buffers and pointer vectors. */
#include "base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void dg_oom(void)
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
    size_t bytes; /* requested from malloc, for dg_arena_bytes */
#ifdef DG_DEBUG_ARENA
    dg_vec allocs;
#endif
};

dg_arena *dg_arena_new(void)
{
    dg_arena *a = calloc(1, sizeof *a);
    if (!a)
        dg_oom();
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
        dg_oom();
    a->bytes += size;
    dg_vec_push(&a->allocs, p);
    return p;
#else
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align)
        dg_oom();
    size = (size + align - 1) / align * align;
    block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        block *nb = malloc(sizeof *nb + bs);
        if (!nb)
            dg_oom();
        a->bytes += sizeof *nb + bs;
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

size_t dg_arena_bytes(const dg_arena *a)
{
    return a->bytes;
}

void *dg_allocn(dg_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        dg_oom();
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
        dg_oom();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        dg_oom();
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
            dg_oom();
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
