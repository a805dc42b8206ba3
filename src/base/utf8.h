/* utf8.h - UTF-8 and the character classes every stage shares. */
#ifndef DIGEST_BASE_UTF8_H
#define DIGEST_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 sequence from s (n bytes available).  Returns bytes used
 * (1..4) and sets *cp, or 0 when the bytes are not valid UTF-8 (then *cp is
 * U+FFFD and the caller should skip one byte).  n == 0 returns 0. */
int dg_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Writes cp as UTF-8 to out (4 bytes room); returns the length. */
int dg_utf8_encode(uint32_t cp, char *out);
/* East Asian text: Han, kana, bopomofo and Hangul (jamo and syllables, by
 * HarfBuzz's script property), and the blocks of CJK punctuation, symbols,
 * strokes, enclosed and compatibility characters, vertical forms, and
 * half-width and full-width forms. */
bool dg_is_cjk(uint32_t cp);
/* True for a Chinese or Japanese language tag ("zh-CN", "ja"), and for none
 * (NULL or ""): the default language of a site is zh-CN.  Decides labels,
 * date formats and full-width quotes everywhere. */
bool dg_lang_is_cjk(const char *lang);
/* Han ideographs only (script Han: every block and extension, radicals,
 * 々 and 〇). */
bool dg_is_han(uint32_t cp);

/* The length of a UTF-8 byte-order mark at the start of S (N bytes): 3 or 0. */
size_t dg_utf8_bom_len(const char *s, size_t n);

/* The value of hex digit C, or -1. */
int dg_hexval(int c);

#endif
