/* test_fonts.c - the font chain (src/fonts.c): bundled defaults, coverage,
 * fallback, advances, rejection of fonts the PDF writer cannot embed. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base.h"
#include "pdf/fonts.h"
#include "test.h"

/* Where the table directory of the font file U (LEN bytes) lists TAG: the
 * offset of its 16-byte record, or 0 when it has none. */
static size_t table_record(const unsigned char *u, size_t len, const char *tag)
{
    if (len < 12)
        return 0;
    unsigned ntables = (unsigned)u[4] << 8 | u[5];
    for (unsigned i = 0; i < ntables && 12 + 16 * (i + 1) <= len; i++)
        if (memcmp(u + 12 + 16 * i, tag, 4) == 0)
            return 12 + 16 * (size_t)i;
    return 0;
}

/* Copies the font SRC to DST with one change: its glyf table listed under
 * TAG instead, or (TAG NULL) its OS/2 fsType set to FSTYPE; 0 or -1. */
static int patch_font(const char *src, const char *dst, const char *tag, unsigned fstype)
{
    char *data;
    size_t len;
    if (dg_read_file(src, &data, &len) != 0)
        return -1;
    int rc = -1;
    unsigned char *u = (unsigned char *)data;
    size_t rec = table_record(u, len, tag ? "glyf" : "OS/2");
    if (!rec)
        goto out;
    if (tag) {
        memcpy(u + rec, tag, 4);
    } else {
        size_t off = (size_t)u[rec + 8] << 24 | (size_t)u[rec + 9] << 16 |
                     (size_t)u[rec + 10] << 8 | u[rec + 11];
        if (off + 10 > len)
            goto out;
        u[off + 8] = (unsigned char)(fstype >> 8);
        u[off + 9] = (unsigned char)(fstype & 0xFF);
    }
    rc = dg_write_file_atomic(dst, data, len);
out:
    free(data);
    return rc;
}

typedef struct thread_arg {
    dg_fonts *f;
    double sum;
} thread_arg;

/* Code points beyond the chain (CJK Extension B, Ethiopic, Tibetan, Thaana),
 * asked for in two orders by two threads: the same faces either way. */
static const uint32_t system_cps[] = {0x20000, 0x2A6D6, 0x2A6A5, 0x1200, 0x0F40, 0x0780, 0x20001};
#define NSYSTEM (sizeof system_cps / sizeof *system_cps)

typedef struct system_arg {
    dg_fonts *f;
    bool reverse;
    const char *path[NSYSTEM];
} system_arg;

static void *ask_system(void *p)
{
    system_arg *s = p;
    for (size_t k = 0; k < NSYSTEM; k++) {
        size_t i = s->reverse ? NSYSTEM - 1 - k : k;
        const dg_font *font = dg_fonts_get(s->f, dg_fonts_pick(s->f, 0, system_cps[i]));
        s->path[i] = font ? font->path : "";
    }
    return NULL;
}

/* A book's thread asking for CP (no chain font has it) and a character of
 * the chain, many times, with its own dg_fonts_log open: what it noted. */
typedef struct log_arg {
    dg_fonts *f;
    uint32_t cp;
    size_t n;
    uint32_t first;
} log_arg;

static void *log_book(void *p)
{
    log_arg *l = p;
    dg_arena *a = dg_arena_new();
    dg_fonts_log log;
    dg_fonts_log_begin(&log, a);
    for (int i = 0; i < 200; i++) {
        dg_fonts_pick(l->f, 0, l->cp);
        dg_fonts_pick(l->f, DG_BOLD, l->cp);
        dg_fonts_pick(l->f, 0, 'a');
    }
    dg_fonts_log_end();
    dg_fonts_pick(l->f, 0, 0x0780); /* after the log is closed: not noted */
    l->n = log.n;
    l->first = log.n ? log.cp[0] : 0;
    dg_arena_free(a);
    return NULL;
}

static void *measure(void *p)
{
    thread_arg *t = p;
    for (uint32_t cp = 0x4E00; cp < 0x4E00 + 4000; cp++)
        t->sum += dg_fonts_advance(t->f, 0, cp);
    for (uint32_t cp = 0x20; cp < 0x7F; cp++)
        t->sum += dg_fonts_advance(t->f, dg_fonts_pick(t->f, DG_MONO, cp), cp);
    return NULL;
}

int main(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_font_config cfg = {0};
    dg_fonts *f = dg_fonts_open(&cfg, d);
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "%s", dg_diag_text(d));
        TEST_DONE();
    }
    CHECK(dg_diag_errors(d) == 0);
    /* text, bold, mono, DejaVu Sans, Symbola, WenKai Mono, Nanum Myeongjo and its bold */
    CHECK(dg_fonts_count(f) == 8);
    const dg_font *text = dg_fonts_get(f, 0);
    CHECK(text && text->units_per_em > 0);
    CHECK(text && text->ascent > 0.5 && text->ascent < 1.5);
    CHECK(text && text->descent < 0 && text->descent > -0.5);
    CHECK(text && text->name && strstr(text->name, "WenKai"));
    CHECK(dg_fonts_get(f, 99) == NULL);
    CHECK(dg_fonts_get(f, -1) == NULL);

    /* Coverage and the chains. */
    int zh = dg_fonts_pick(f, 0, 0x4E2D); /* 中 */
    CHECK(zh == 0);
    CHECK(dg_fonts_pick(f, DG_BOLD, 0x4E2D) == 1);
    CHECK(dg_fonts_pick(f, DG_ITALIC, 'a') == 0);
    CHECK(dg_fonts_pick(f, DG_MONO, 'a') == 2);
    CHECK(dg_fonts_pick(f, DG_MONO, 0x4E2D) == 5); /* CJK in code: LXGW WenKai Mono */
    CHECK(dg_fonts_pick(f, DG_MONO | DG_BOLD, 'a') == 2);
    /* Hangul: the common syllables in the text font, a rare one (똠,
     * U+B620) from Nanum Myeongjo, which Korean text takes first */
    CHECK(dg_fonts_pick(f, 0, 0xD55C) == 0); /* 한 */
    int rare = dg_fonts_pick(f, 0, 0xB620);
    CHECK(rare == 6 && strstr(dg_fonts_get(f, rare)->name, "Nanum"));
    unsigned ko = dg_fonts_lang_slot(f, "ko-KR");
    CHECK(ko > 0 && dg_fonts_lang_slot(f, "ja") == 0 && dg_fonts_lang_slot(f, NULL) == 0);
    CHECK(dg_fonts_pick(f, DG_LANG_STYLE(ko), 0xD55C) == 6);
    int kob = dg_fonts_pick(f, DG_LANG_STYLE(ko) | DG_BOLD, 0xD55C);
    CHECK(kob == 7 && strstr(dg_fonts_get(f, kob)->name, "NanumMyeongjoBold"));
    CHECK(dg_fonts_pick(f, DG_LANG_STYLE(ko) | DG_MONO, 'a') == 2); /* code keeps its font */
    /* A symbol the text font lacks comes from DejaVu Sans. */
    int snow = dg_fonts_pick(f, 0, 0x2603); /* ☃ */
    CHECK(snow == 3 || snow == 0);
    if (snow == 3)
        CHECK(dg_fonts_glyph(f, 0, 0x2603) == 0);
    /* A character no font has. */
    CHECK(dg_fonts_pick(f, 0, 0x10FFFD) == -1);
    CHECK(dg_fonts_pick(f, DG_MONO, 0xE0001 + 5) == -1);
    CHECK(dg_fonts_pick(f, 0, 0x110000) == -1);
    CHECK(dg_fonts_glyph(f, 0, 0x10FFFD) == 0);
    CHECK(dg_fonts_glyph(f, 0, 0x4E2D) != 0);
    /* Advances in em. */
    CHECK(fabs(dg_fonts_advance(f, 0, 0x4E2D) - 1.0) < 1e-9);
    CHECK(fabs(dg_fonts_advance(f, 0, 0x3002) - 1.0) < 1e-9);
    CHECK(fabs(dg_fonts_advance(f, 2, 'a') - 1233.0 / 2048) < 1e-9);
    CHECK(fabs(dg_fonts_advance(f, 2, 'W') - dg_fonts_advance(f, 2, 'i')) < 1e-9);
    CHECK(dg_fonts_advance(f, 0, 'i') < dg_fonts_advance(f, 0, 'W'));
    CHECK(dg_fonts_advance(f, 0, 0x10FFFD) == 0);
    CHECK(dg_fonts_advance(f, -1, 'a') == 0);
    /* Cached answers are the same answers. */
    CHECK(dg_fonts_advance(f, 0, 0x4E2D) == dg_fonts_advance(f, 0, 0x4E2D));
    /* Beyond the BMP (the astral hash). */
    CHECK(dg_fonts_pick(f, 0, 0x1F600) == dg_fonts_pick(f, 0, 0x1F600));
    /* Emoji come from the bundled Symbola, last in every chain. */
    CHECK(dg_fonts_pick(f, 0, 0x1F680) == 4); /* 🚀 */
    CHECK(dg_fonts_pick(f, DG_MONO, 0x1F680) == 4);

    /* A character no font of the chain has is looked for in the system's
     * fonts (fontconfig): CJK Extension B (𪛖) from fonts-hanazono, which
     * `./setup.sh test` installs; a second lookup is answered from the
     * cache, with the same face and no face added. */
    {
        size_t before = dg_fonts_count(f);
        int b = dg_fonts_pick(f, 0, 0x2A6D6);
        if (dg_is_file("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")) {
            const dg_font *bf = dg_fonts_get(f, b);
            CHECK(b >= (int)before && dg_fonts_count(f) == before + 1);
            CHECK(bf && strstr(bf->path, "HanaMin") && strstr(bf->name, "HanaMin"));
            CHECK(dg_fonts_glyph(f, b, 0x2A6D6) != 0);
            CHECK(dg_fonts_advance(f, b, 0x2A6D6) > 0.5);
            CHECK(dg_fonts_system(f, 0x2A6D6) == b);
            CHECK(dg_fonts_pick(f, DG_BOLD, 0x2A6D6) == b);
            CHECK(dg_fonts_pick(f, DG_MONO, 0x2A6D6) == b);
            CHECK(dg_fonts_count(f) == before + 1);
            /* what the chain has stays the chain's (𠮷 is in LXGW WenKai) */
            CHECK(dg_fonts_pick(f, 0, 0x20BB7) == 0);
        } else {
            fprintf(stderr, "test_fonts: fonts-hanazono is not installed: the system font for "
                            "CJK Extension B is not checked\n");
            CHECK(b == -1 || dg_fonts_system(f, 0x2A6D6) == b);
        }
        /* private use and controls are not looked for: a box, as before */
        CHECK(dg_fonts_system(f, 0xE123) == -1);
        CHECK(dg_fonts_system(f, 0x10FFFD) == -1);
        CHECK(dg_fonts_system(f, 0x07) == -1);
        CHECK(dg_fonts_system(NULL, 0x2A6D6) == -1);
    }

    /* The characters a book asks the system for are noted in its thread's
     * log, each once, whatever the answer (a face or a box); a character of
     * the chain, one not looked for (private use) and another thread's are
     * not.  Two books laid out at once keep their logs apart. */
    {
        dg_arena *a = dg_arena_new();
        dg_fonts_log log;
        dg_fonts_log_begin(&log, a);
        dg_fonts_pick(f, 0, 0x4E2D);  /* 中: the chain's */
        dg_fonts_pick(f, 0, 0xE123);  /* private use: not looked for */
        dg_fonts_system(f, 0x0F40);   /* asked directly: noted too */
        dg_fonts_pick(f, 0, 0x2A6D6); /* answered from the cache: still noted */
        dg_fonts_pick(f, DG_MONO, 0x0F40);
        log_arg la[2] = {{f, 0x1200, 0, 0}, {f, 0x20001, 0, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&th[i], NULL, log_book, &la[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        dg_fonts_log_end();
        dg_fonts_pick(f, 0, 0x20000);
        CHECK(log.n == 2);
        CHECK(log.n == 2 && log.cp[0] == 0x0F40 && log.cp[1] == 0x2A6D6);
        for (int i = 0; i < 2; i++)
            CHECK(la[i].n == 1 && la[i].first == la[i].cp);
        dg_fonts_log_add(NULL, 0x1200); /* no log: nothing */
        dg_arena_free(a);
    }

    /* Shared by threads. */
    {
        thread_arg ta[2] = {{f, 0}, {f, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&th[i], NULL, measure, &ta[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        CHECK(ta[0].sum == ta[1].sum);
        CHECK(ta[0].sum > 3000);
    }
    dg_fonts_close(f);

    /* The system's faces depend on the character alone, not on the order
     * of the lookups (months on threads ask in any order): two runs, one
     * asking in reverse on two threads at once, get the same files. */
    {
        dg_fonts *f1 = dg_fonts_open(&cfg, d), *f2 = dg_fonts_open(&cfg, d);
        system_arg s1 = {.f = f1}, s2 = {.f = f2, .reverse = true}, s3 = {.f = f2};
        pthread_t th[2];
        ask_system(&s1);
        pthread_create(&th[0], NULL, ask_system, &s2);
        pthread_create(&th[1], NULL, ask_system, &s3);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        for (size_t i = 0; i < NSYSTEM; i++) {
            CHECK_STR(s1.path[i], s2.path[i]);
            CHECK_STR(s2.path[i], s3.path[i]);
        }
        CHECK(dg_fonts_count(f1) == dg_fonts_count(f2));
        dg_fonts_close(f1);
        dg_fonts_close(f2);
    }

    /* Not a font: a clear error. */
    {
        const char *fake = TEST_BINARY_DIR "/fonts-fake.ttf";
        CHECK(dg_write_file_atomic(fake, "this is not a font\n", 19) == 0);
        dg_diag *d2 = dg_diag_new(NULL);
        dg_font_config c2 = {.text = fake};
        CHECK(dg_fonts_open(&c2, d2) == NULL);
        CHECK(dg_diag_errors(d2) > 0);
        CHECK_CONTAINS(dg_diag_text(d2), "fonts-fake.ttf");
        CHECK_CONTAINS(dg_diag_text(d2), "not a font");
        CHECK_CONTAINS(dg_diag_text(d2), "LXGW WenKai");
        dg_diag_free(d2);
        remove(fake);
    }
    /* A missing file. */
    {
        dg_diag *d2 = dg_diag_new(NULL);
        dg_font_config c2 = {.mono = TEST_BINARY_DIR "/no-such-font.ttf"};
        CHECK(dg_fonts_open(&c2, d2) == NULL);
        CHECK_CONTAINS(dg_diag_text(d2), "not found");
        dg_diag_free(d2);
    }
    /* CFF outlines (such as Noto Sans CJK's) are refused, naming a font that
     * works.  The font: a bundled one whose outlines are listed as CFF
     * rather than glyf, which is all the check looks at (no system font). */
    {
        const char *cff = TEST_BINARY_DIR "/fonts-cff.otf";
        CHECK(patch_font(DIGEST_SOURCE_DIR "/fonts/DejaVuSansMono.ttf", cff, "CFF ", 0) == 0);
        dg_diag *d2 = dg_diag_new(NULL);
        dg_font_config c2 = {.text = cff};
        CHECK(dg_fonts_open(&c2, d2) == NULL);
        CHECK_CONTAINS(dg_diag_text(d2), "CFF");
        CHECK_CONTAINS(dg_diag_text(d2), "LXGW WenKai");
        dg_diag_free(d2);
        remove(cff);
    }
    /* A restricted-licence font (fsType 0x0002) is refused. */
    {
        const char *src = DIGEST_SOURCE_DIR "/fonts/DejaVuSansMono.ttf";
        const char *dst = TEST_BINARY_DIR "/fonts-restricted.ttf";
        CHECK(patch_font(src, dst, NULL, 0x0002) == 0);
        dg_diag *d2 = dg_diag_new(NULL);
        dg_font_config c2 = {.mono = dst};
        CHECK(dg_fonts_open(&c2, d2) == NULL);
        CHECK_CONTAINS(dg_diag_text(d2), "forbids embedding");
        dg_diag_free(d2);
        /* Editable embedding (0x0008) is fine. */
        CHECK(patch_font(src, dst, NULL, 0x0008) == 0);
        d2 = dg_diag_new(NULL);
        dg_fonts *f2 = dg_fonts_open(&c2, d2);
        CHECK(f2 != NULL);
        CHECK(f2 && dg_fonts_pick(f2, DG_MONO, 'a') == 2);
        dg_fonts_close(f2);
        dg_diag_free(d2);
        remove(dst);
    }
    /* A configured text font without a bold face uses itself for bold. */
    {
        dg_diag *d2 = dg_diag_new(NULL);
        dg_font_config c2 = {.text = DIGEST_SOURCE_DIR "/fonts/LXGWWenKai-Bold.ttf"};
        dg_fonts *f2 = dg_fonts_open(&c2, d2);
        CHECK(f2 != NULL);
        CHECK(f2 && dg_fonts_pick(f2, DG_BOLD, 0x4E2D) == dg_fonts_pick(f2, 0, 0x4E2D));
        dg_fonts_close(f2);
        dg_diag_free(d2);
    }
    dg_fonts_close(NULL);
    dg_diag_free(d);
    TEST_DONE();
}
