/* test_linebreak.c - break opportunities: UAX #14 with the clreq strict
 * tailoring (src/linebreak.c). */
#include <stdlib.h>

#include "pdf/para.h"
#include "test.h"

#define MAXCP 256

/* Decodes S and returns the break class after each character in BRK. */
static size_t breaks(const char *s, uint32_t *cps, char *brk)
{
    size_t n = 0, len = strlen(s), i = 0;
    while (i < len && n < MAXCP) {
        uint32_t cp;
        int k = dg_utf8_decode(s + i, len - i, &cp);
        if (k <= 0)
            k = 1;
        i += (size_t)k;
        cps[n++] = cp;
    }
    dg_linebreaks(cps, n, "zh-CN", brk);
    return n;
}

/* Break class after the character at index I of S. */
static int brk_after(const char *s, size_t i)
{
    uint32_t cps[MAXCP];
    char brk[MAXCP];
    size_t n = breaks(s, cps, brk);
    if (i >= n)
        return -1;
    return brk[i];
}

int main(void)
{
    /* Every mark clreq forbids at a line start: no break before it, after an
     * ideograph or after a Latin word. */
    static const char *const no_start[] = {
        "。", "．", "，", "、", "：", "；", "！", "？", "”", "’", "）", "】", "〗", "〕",
        "］", "｝", "》", "〉", "」", "』", "～", "·", "・", "‧", "／", "…", "‼", "⁇",
        "%", "‰", "℃", ",", ".", ";", ":", "?", "!", ")", "]", "}",
        /* the rest of pdf-lint's set: dashes, iteration marks, the prolonged
         * sound mark, small kana (JIS X 4051) */
        "—", "⸺", "–", "⋯", "⁈", "⁉", "％", "〃", "々", "〻", "ゝ", "ゞ", "ヽ", "ヾ", "ー",
        "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "っ", "ゃ", "ゅ", "ょ", "ゎ", "ァ", "ィ", "ゥ", "ェ",
        "ォ", "ッ", "ャ", "ュ", "ョ", "ヮ", "ヵ", "ヶ",
    };
    for (size_t i = 0; i < sizeof no_start / sizeof no_start[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "中文%s中", no_start[i]);
        int b = brk_after(buf, 1);
        if (b != 0)
            fprintf(stderr, "break before %s allowed\n", no_start[i]);
        CHECK(b == 0);
        snprintf(buf, sizeof buf, "word%s中", no_start[i]);
        b = brk_after(buf, 3);
        if (b != 0)
            fprintf(stderr, "break between word and %s allowed\n", no_start[i]);
        CHECK(b == 0);
    }
    /* Every mark clreq forbids at a line end: no break after it. */
    static const char *const no_end[] = {"“", "‘", "（", "【", "〖", "〔", "［", "｛",
                                         "《", "〈", "「", "『", "／", "(", "[", "{"};
    for (size_t i = 0; i < sizeof no_end / sizeof no_end[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "中%s文字", no_end[i]);
        int b = brk_after(buf, 1);
        if (b != 0)
            fprintf(stderr, "break after %s allowed\n", no_end[i]);
        CHECK(b == 0);
        /* ... while a break before an opening mark stays allowed. */
        if (strcmp(no_end[i], "／") != 0 && no_end[i][0] & 0x80)
            CHECK(brk_after(buf, 0) == 1);
    }
    /* —— and …… never split and never start a line. */
    CHECK(brk_after("他说——不对", 1) == 0);
    CHECK(brk_after("他说——不对", 2) == 0);
    CHECK(brk_after("他说……不对", 1) == 0);
    CHECK(brk_after("他说……不对", 2) == 0);
    CHECK(brk_after("他说——不对", 3) == 1); /* after the pair: fine */
    /* An emoji before a mark that must not start a line keeps the mark, and
     * the space before it, on the line of the word before: "饭 😀。" breaks
     * only before 饭 (drawn as an image, the emoji is a U+FFFC to a text
     * reader, which would otherwise see the line start with 。). */
    CHECK(brk_after("吃饭 😀。好", 0) == 1);
    CHECK(brk_after("吃饭 😀。好", 1) == 0);
    CHECK(brk_after("吃饭 😀。好", 2) == 0);
    CHECK(brk_after("吃饭 😀。好", 3) == 0);
    CHECK(brk_after("吃饭 😀。好", 4) == 1);
    CHECK(brk_after("「Done 🤔」，好", 4) == 0);
    CHECK(brk_after("「Done 🤔」，好", 5) == 0);
    CHECK(brk_after("「Done 🤔」，好", 6) == 0);
    CHECK(brk_after("「Done 🤔」，好", 7) == 0);
    /* ... while before an ideograph the emoji may start a line. */
    CHECK(brk_after("吃饭 😀好", 2) == 1);
    /* Ideographs break between each other. */
    CHECK(brk_after("中文排版", 0) == 1);
    CHECK(brk_after("中文排版", 1) == 1);
    CHECK(brk_after("中文排版", 2) == 1);
    /* The end of the text is a mandatory break. */
    CHECK(brk_after("中文排版", 3) == 2);
    /* A newline is a mandatory break. */
    CHECK(brk_after("中\n文", 1) == 2);
    /* Latin words break at spaces, never inside. */
    {
        const char *s = "hello world";
        for (size_t i = 0; i < 4; i++)
            CHECK(brk_after(s, i) == 0);
        CHECK(brk_after(s, 4) == 0); /* before the space */
        CHECK(brk_after(s, 5) == 1); /* after the space */
        for (size_t i = 6; i < 10; i++)
            CHECK(brk_after(s, i) == 0);
    }
    /* A Latin word followed by a closing CJK mark stays with it. */
    CHECK(brk_after("用DeepSeek。", 8) == 0);
    CHECK(brk_after("用 H800，", 4) == 0);
    /* Quotes: a break before “ and after ” is fine, not inside. */
    CHECK(brk_after("他说“好”了", 1) == 1);
    CHECK(brk_after("他说“好”了", 2) == 0);
    CHECK(brk_after("他说“好”了", 3) == 0);
    CHECK(brk_after("他说“好”了", 4) == 1);
    /* Ideograph and Latin break between them. */
    CHECK(brk_after("在DeepSeek", 0) == 1);
    /* Numbers stay whole: 3000GB/s. */
    CHECK(brk_after("3000GB", 1) == 0);
    CHECK(brk_after("H800", 0) == 0);
    /* A URL has opportunities (after a slash, before a path) but none inside
     * its words; emergency breaks are allowed only where clreq permits. */
    {
        const char *url = "https://example.com/some/path";
        uint32_t cps[MAXCP];
        char brk[MAXCP];
        size_t n = breaks(url, cps, brk);
        int inside_word = 0;
        for (size_t i = 0; i + 1 < n; i++)
            if (brk[i] && cps[i] >= 'a' && cps[i] <= 'z' && cps[i + 1] >= 'a' && cps[i + 1] <= 'z')
                inside_word++;
        CHECK(inside_word == 0);
        CHECK(dg_linebreak_emergency_ok('x', 'a'));
        CHECK(!dg_linebreak_emergency_ok('x', '.'));
        CHECK(!dg_linebreak_emergency_ok(0x201C, 'a'));
        CHECK(!dg_linebreak_emergency_ok(0x4E2D, 0x3002));
        CHECK(!dg_linebreak_emergency_ok(0x2014, 0x2014));
    }
    /* U+FFFF is libunibreak's end marker: it must not end the text early. */
    {
        uint32_t t[4] = {0x4E2D, 0xFFFF, 0x4E2D, 0x4E2D};
        char b[4];
        dg_linebreaks(t, 4, NULL, b);
        CHECK(b[3] == 2 && b[2] == 1);
    }
    /* A flag (two regional indicators) once crashed libunibreak 1.1: it must
     * survive, and not break inside the flag. */
    {
        uint32_t t[5] = {'a', 0x1F1E8, 0x1F1F3, 0x4E2D, 0x4E2D};
        char b[5];
        dg_linebreaks(t, 5, NULL, b);
        CHECK(b[1] == 0 && b[4] == 2);
    }
    /* Empty input is harmless. */
    dg_linebreaks(NULL, 0, NULL, NULL);
    TEST_DONE();
}
