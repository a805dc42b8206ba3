/* arena.h - the arena, growable buffers and pointer vectors.
 *
 * Memory convention: everything belonging to one site scan or one digest build
 * lives in a dg_arena and is freed at once with dg_arena_free().  Foreign
 * handles (xmlDoc, FT_Face, HPDF_Doc, zip_t) are freed by their owner before
 * the arena.  Allocation failure aborts: a digest builder cannot recover from
 * OOM in any useful way, and it keeps every call site free of NULL checks.
 * Define DG_DEBUG_ARENA to send each allocation to malloc (sanitizer builds).
 */
#ifndef DIGEST_BASE_ARENA_H
#define DIGEST_BASE_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dg_arena dg_arena;

dg_arena *dg_arena_new(void);
void dg_arena_free(dg_arena *a);
/* Zeroed memory that lives until dg_arena_free. Never NULL. */
void *dg_alloc(dg_arena *a, size_t size);
/* Bytes the arena holds (its blocks, from malloc). */
size_t dg_arena_bytes(const dg_arena *a);
/* n * size with overflow check (aborts on overflow). */
void *dg_allocn(dg_arena *a, size_t n, size_t size);
char *dg_strdup(dg_arena *a, const char *s);          /* NULL gives NULL */
char *dg_strndup(dg_arena *a, const char *s, size_t n);
char *dg_sprintf(dg_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *dg_vsprintf(dg_arena *a, const char *fmt, va_list ap);
/* Makes room for one more element in an arena array: when N == *CAP, the
 * array *ITEMSP (a pointer to the array pointer) is copied to a new one of
 * twice the capacity (FIRST the first time) and *CAP updated.  The old copy
 * stays in the arena until it is freed. */
void dg_arena_grow(dg_arena *a, void *itemsp, size_t n, size_t *cap, size_t size, size_t first);

/* A growable byte buffer on malloc; always NUL-terminated when data != NULL. */
typedef struct dg_buf {
    char *data;
    size_t len, cap;
} dg_buf;

void dg_buf_put(dg_buf *b, const void *p, size_t n);
void dg_buf_puts(dg_buf *b, const char *s);
void dg_buf_putc(dg_buf *b, char c);
void dg_buf_printf(dg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " escaped for XML text and attributes. */
void dg_buf_put_xml(dg_buf *b, const char *s, size_t n);
void dg_buf_free(dg_buf *b);
/* Copies the contents into the arena and frees the buffer. */
char *dg_buf_to_arena(dg_buf *b, dg_arena *a);

/* Growable array of pointers, on malloc. */
typedef struct dg_vec {
    void **items;
    size_t len, cap;
} dg_vec;
void dg_vec_push(dg_vec *v, void *item);
void dg_vec_free(dg_vec *v);

/* Prints "out of memory" and aborts. */
_Noreturn void dg_oom(void);

#endif
