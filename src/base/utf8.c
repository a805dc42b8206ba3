/* utf8.c - UTF-8 decoding and encoding, CJK classes, hex digits. */
#include "base/utf8.h"

#include <string.h>

#include <hb.h>

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

/* Both classes come from HarfBuzz's Unicode script property (the Unicode
 * version of the linked HarfBuzz), so new Han extensions and kana are known
 * without a table here.  Planes 2 and 3 are Han or not yet assigned: an
 * ideograph newer than HarfBuzz is still Han. */
static hb_script_t script_of(uint32_t c)
{
    return hb_unicode_script(hb_unicode_funcs_get_default(), c);
}

/* The blocks that hold nothing but one class, answered without a lookup:
 * most characters of a Chinese digest are in them. */
static bool in_unified_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

bool dg_is_han(uint32_t c)
{
    if (c < 0x2E80)
        return false;
    if (in_unified_han(c))
        return true;
    if (c >= 0x20000 && c <= 0x3FFFD)
        return true;
    return script_of(c) == HB_SCRIPT_HAN;
}

bool dg_is_cjk(uint32_t c)
{
    /* Latin, Greek and Cyrillic text, and from Ethiopic to the general
     * punctuation and symbols before the CJK radicals, hold no East Asian
     * character (U+02EA and U+02EB, bopomofo tone marks, are the first) */
    if (c < 0x02EA || (c >= 0x1200 && c < 0x2E80))
        return false;
    if (in_unified_han(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7A3))
        return true; /* kana (with their marks), Hangul syllables */
    /* the punctuation, symbol and form blocks of East Asian text, whose
     * characters are mostly of the Common script */
    if ((c >= 0x3000 && c <= 0x303F) || /* CJK symbols and punctuation */
        (c >= 0x3190 && c <= 0x319F) || /* kanbun */
        (c >= 0x31C0 && c <= 0x31EF) || /* CJK strokes */
        (c >= 0x3200 && c <= 0x33FF) || /* enclosed CJK letters, CJK compatibility */
        (c >= 0xFE10 && c <= 0xFE1F) || /* vertical forms */
        (c >= 0xFE30 && c <= 0xFE4F) || /* CJK compatibility forms */
        (c >= 0xFF00 && c <= 0xFFEF))   /* half-width and full-width forms */
        return true;
    if (c >= 0x20000 && c <= 0x3FFFD)
        return true;
    switch (script_of(c)) {
    case HB_SCRIPT_HAN:
    case HB_SCRIPT_HIRAGANA:
    case HB_SCRIPT_KATAKANA:
    case HB_SCRIPT_BOPOMOFO:
    case HB_SCRIPT_HANGUL:
        return true;
    default:
        return false;
    }
}

size_t dg_utf8_bom_len(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
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
