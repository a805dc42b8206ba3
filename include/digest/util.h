/* util.h - arena, growable buffer, files and UTF-8 helpers shared by every stage.
 *
 * Memory convention: everything belonging to one site scan or one digest build
 * lives in a dg_arena and is freed at once with dg_arena_free().  Foreign
 * handles (xmlDoc, FT_Face, HPDF_Doc, zip_t) are freed by their owner before
 * the arena.  Allocation failure aborts: a digest builder cannot recover from
 * OOM in any useful way, and it keeps every call site free of NULL checks.
 * Define DG_DEBUG_ARENA to send each allocation to malloc (sanitizer builds).
 */
#ifndef DIGEST_UTIL_H
#define DIGEST_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dg_arena dg_arena;

dg_arena *dg_arena_new(void);
void dg_arena_free(dg_arena *a);
/* Zeroed memory that lives until dg_arena_free. Never NULL. */
void *dg_alloc(dg_arena *a, size_t size);
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

/* Reads a whole file into malloc'd memory (NUL-terminated). 0, or -1 with errno. */
int dg_read_file(const char *path, char **data, size_t *len);
/* The same, refusing a file larger than MAX bytes (-1 with errno EFBIG)
 * without reading past MAX. */
int dg_read_file_max(const char *path, size_t max, char **data, size_t *len);
/* Writes PATH by way of PATH.tmp-XXXXXX and rename(2): an earlier good file
 * is never replaced by a half-written one. 0, or -1 with errno. */
int dg_write_file_atomic(const char *path, const void *data, size_t len);
/* A temporary name next to PATH (same directory, so rename is atomic). */
char *dg_tmp_path_for(dg_arena *a, const char *path);
int dg_mkdir_p(const char *path);
bool dg_is_dir(const char *path);
bool dg_is_file(const char *path);
char *dg_path_join(dg_arena *a, const char *dir, const char *name);
/* Lexically normalizes a path ("a/./b/../c" -> "a/c"); keeps a leading "/". */
char *dg_path_normalize(dg_arena *a, const char *path);
/* True when PATH (absolute, normalized) is ROOT or inside it. */
bool dg_path_inside(const char *root, const char *path);
const char *dg_path_basename(const char *path);
char *dg_path_dirname(dg_arena *a, const char *path);

/* Decodes one UTF-8 sequence from s (n bytes available).  Returns bytes used
 * (1..4) and sets *cp, or 0 when the bytes are not valid UTF-8 (then *cp is
 * U+FFFD and the caller should skip one byte).  n == 0 returns 0. */
int dg_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Writes cp as UTF-8 to out (4 bytes room); returns the length. */
int dg_utf8_encode(uint32_t cp, char *out);
/* Han ideographs (all blocks, BMP and beyond), CJK symbols and punctuation,
 * full-width forms, kana, bopomofo, Hangul. */
bool dg_is_cjk(uint32_t cp);
/* True for a Chinese or Japanese language tag ("zh-CN", "ja"), and for none
 * (NULL or ""): the default language of a site is zh-CN.  Decides labels,
 * date formats and full-width quotes everywhere. */
bool dg_lang_is_cjk(const char *lang);
/* Han ideographs only. */
bool dg_is_han(uint32_t cp);

/* A monotonic clock in seconds, for timings in progress lines. */
double dg_now_seconds(void);

/* The value of hex digit C, or -1. */
int dg_hexval(int c);

/* FNV-1a 64-bit, for cache keys and stable identifiers. */
uint64_t dg_hash64(const void *p, size_t n, uint64_t seed);

/* Loads the shared library SONAME and its N functions NAMES[i] into
 * *SLOTS[i] (for libraries used by a few options only, loaded when asked
 * for).  Returns NULL, or why not: dlerror's text or "SONAME lacks NAME",
 * in WHY (WHYLEN bytes). */
const char *dg_dlopen_funcs(const char *soname, const char *const *names, void **const *slots,
                            size_t n, char *why, size_t whylen);

#endif
