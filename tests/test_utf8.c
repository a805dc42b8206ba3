/* test_utf8.c - the base layer's UTF-8 codec and character classes. */
#include <stdbool.h>
#include <stdint.h>

#include <hb.h>

#include "base/utf8.h"
#include "test.h"

static void test_codec(void)
{
    /* every scalar value round-trips; surrogates and overlongs are refused */
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[4];
        int n = dg_utf8_encode(cp, buf);
        uint32_t back = 0;
        if (dg_utf8_decode(buf, (size_t)n, &back) != n || back != cp) {
            CHECK(!"round trip");
            fprintf(stderr, "  U+%04X\n", cp);
            break;
        }
    }
    uint32_t cp;
    CHECK(dg_utf8_decode("\xED\xA0\x80", 3, &cp) == 0); /* U+D800 */
    CHECK(dg_utf8_decode("\xC0\xAF", 2, &cp) == 0);     /* overlong '/' */
    CHECK(dg_utf8_decode("\xF4\x90\x80\x80", 4, &cp) == 0);
    CHECK(dg_utf8_decode("\xE4\xB8", 2, &cp) == 0);     /* truncated */
}

static void test_classes(void)
{
    /* East Asian text by script */
    const uint32_t cjk[] = {
        0x4E2D,  /* 中 */
        0x3005,  /* 々 */
        0x3007,  /* 〇 */
        0x3042,  /* あ */
        0x30AB,  /* カ */
        0x3105,  /* ㄅ bopomofo */
        0x1100,  /* Hangul choseong kiyeok (jamo) */
        0xAC00,  /* 가 */
        0x31350, /* CJK Extension H */
        0x30000, /* CJK Extension G */
        0x2EBF0, /* an extension newer than the tables: still Han */
        0x3001,  /* 、 */
        0x3231,  /* ㈱ enclosed CJK */
        0x33A1,  /* ㎡ CJK compatibility */
        0xFF61,  /* ｡ half-width ideographic full stop */
        0xFF76,  /* ｶ half-width katakana */
        0xFF0C,  /* ， full-width comma */
        0xFE10,  /* ︐ vertical comma */
        0x31C0,  /* ㇀ CJK stroke */
    };
    for (size_t i = 0; i < sizeof cjk / sizeof *cjk; i++)
        if (!dg_is_cjk(cjk[i])) {
            CHECK(!"expected CJK");
            fprintf(stderr, "  U+%04X\n", cjk[i]);
        }
    const uint32_t not_cjk[] = {'A', 'z', '0', ' ', 0x00E9, 0x0416, 0x05D0, 0x2019, 0x201C,
                                0x2014, 0x1F600, 0x0E01};
    for (size_t i = 0; i < sizeof not_cjk / sizeof *not_cjk; i++)
        if (dg_is_cjk(not_cjk[i])) {
            CHECK(!"expected not CJK");
            fprintf(stderr, "  U+%04X\n", not_cjk[i]);
        }
    CHECK(dg_is_han(0x4E2D) && dg_is_han(0x3400) && dg_is_han(0x20000) && dg_is_han(0x31350));
    CHECK(dg_is_han(0x3007) && dg_is_han(0xF900));
    CHECK(!dg_is_han(0x3042) && !dg_is_han(0xAC00) && !dg_is_han(0x3001) && !dg_is_han('A'));
    CHECK(dg_lang_is_cjk("zh-CN") && dg_lang_is_cjk("ja") && dg_lang_is_cjk(NULL));
    CHECK(!dg_lang_is_cjk("en") && !dg_lang_is_cjk("de-DE"));
}

/* The classes' fast paths (whole blocks answered without a lookup) agree
 * with the script property everywhere. */
static void test_fast_paths(void)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    int bad = 0;
    for (uint32_t c = 0; c <= 0x10FFFF && bad < 5; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        hb_script_t sc = hb_unicode_script(uf, c);
        bool plane23 = c >= 0x20000 && c <= 0x3FFFD;
        bool han = plane23 || sc == HB_SCRIPT_HAN;
        bool block = (c >= 0x3000 && c <= 0x303F) || (c >= 0x3040 && c <= 0x30FF) ||
                     (c >= 0x3190 && c <= 0x319F) || (c >= 0x31C0 && c <= 0x31EF) ||
                     (c >= 0x3200 && c <= 0x33FF) || (c >= 0xFE10 && c <= 0xFE1F) ||
                     (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF);
        bool cjk = han || block || sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA ||
                   sc == HB_SCRIPT_BOPOMOFO || sc == HB_SCRIPT_HANGUL;
        if (dg_is_han(c) != han || dg_is_cjk(c) != cjk) {
            fprintf(stderr, "U+%04X: is_han %d (script says %d), is_cjk %d (expected %d)\n", c,
                    dg_is_han(c), han, dg_is_cjk(c), cjk);
            bad++;
        }
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_fast_paths();
    test_codec();
    test_classes();
    TEST_DONE();
}
