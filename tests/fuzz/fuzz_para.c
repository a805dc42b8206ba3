/* fuzz_para.c - the paragraph engine on arbitrary bytes: any text, styles,
 * widths and modes lay out without crashing, and no line is wider than the
 * measure unless a single character is.
 *
 * Input: byte 0 = flags (1 justify, 2 code, 4 first indent), byte 1 = width
 * in points / 2 (at least 4), then text; a 0x01 byte starts a new span whose
 * style is the following byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/para.h"

/* Spans per input: more only repeats the same code paths. */
#define FUZZ_MAX_SPANS 64

static dg_fonts *fonts;
static dg_diag *diag;

static void cleanup(void)
{
    dg_fonts_close(fonts);
    dg_diag_free(diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (!fonts) {
        dg_font_config cfg = {0};
        diag = dg_diag_new(NULL);
        fonts = dg_fonts_open(&cfg, diag);
        if (!fonts)
            abort();
        atexit(cleanup);
    }
    dg_para_opts o = {.width = 4 + data[1] * 2.0,
                      .justify = data[0] & 1,
                      .code = (data[0] & 2) != 0,
                      .first_indent = (data[0] & 4) ? 21 : 0,
                      .lang = "zh"};
    dg_span spans[FUZZ_MAX_SPANS];
    size_t nspans = 0;
    const char *text = (const char *)data + 2;
    size_t len = size - 2, start = 0;
    unsigned style = 0;
    for (size_t i = 0; i <= len && nspans < FUZZ_MAX_SPANS; i++) {
        if (i == len || text[i] == 0x01) {
            spans[nspans] = (dg_span){.text = text + start, .len = i - start, .style = style & 7,
                                      .size = 6 + (style >> 3 & 7) * 2, .link = (int)nspans,
                                      .rise = (style & 0x40) ? 3 : 0};
            nspans++;
            if (i + 1 < len)
                style = (unsigned char)text[i + 1];
            start = i + 2 < len ? i + 2 : len;
            i = start - 1;
        }
    }
    dg_arena *a = dg_arena_new();
    dg_para p;
    dg_para_layout(&p, fonts, spans, nspans, &o, a);
    for (size_t i = 0; i < p.nlines; i++) {
        const dg_line *l = &p.lines[i];
        if (l->n > 1 && l->width > o.width + 0.01)
            abort(); /* overflow, when more than one character is on the line */
        for (size_t j = 0; j < l->n; j++)
            if (l->glyphs[j].advance < -1e-9 || l->glyphs[j].x != l->glyphs[j].x)
                abort();
    }
    dg_arena_free(a);
    return 0;
}
