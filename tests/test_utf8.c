/* test_utf8.c - the base layer's UTF-8 codec and character classes. */
#include <stdint.h>

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

int main(void)
{
    test_codec();
    test_classes();
    TEST_DONE();
}
