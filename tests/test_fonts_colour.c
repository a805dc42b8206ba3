/* test_fonts_colour.c - a colour (bitmap) emoji font as a fallback: accepted,
 * marked colour, advances in its head table's units (not FreeType's 1000
 * default).  It needs Noto Color Emoji (Debian fonts-noto-color-emoji, which
 * `./setup.sh test` installs): without it the test is skipped (exit 77). */
#include <unistd.h>

#include "base/base.h"
#include "pdf/fonts.h"
#include "test.h"

#define NOTO_COLOR_EMOJI "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"

int main(void)
{
    if (access(NOTO_COLOR_EMOJI, R_OK) != 0) {
        fprintf(stderr, "skipped: %s is not installed (Debian fonts-noto-color-emoji)\n",
                NOTO_COLOR_EMOJI);
        return TEST_SKIP;
    }
    static const char *noto[] = {NOTO_COLOR_EMOJI};
    dg_diag *d = dg_diag_new(NULL);
    dg_font_config cfg = {0};
    cfg.fallback = noto;
    cfg.nfallback = 1;
    dg_fonts *f = dg_fonts_open(&cfg, d);
    CHECK(f != NULL);
    if (f) {
        int id = dg_fonts_pick(f, 0, 0x1F978); /* before the bundled Symbola */
        const dg_font *e = dg_fonts_get(f, id);
        CHECK(e && e->color);
        double adv = dg_fonts_advance(f, id, 0x1F978);
        CHECK(adv > 0.9 && adv < 1.4);
        dg_fonts_close(f);
    } else {
        fprintf(stderr, "%s", dg_diag_text(d));
    }
    dg_diag_free(d);
    TEST_DONE();
}
