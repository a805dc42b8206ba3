/* linebreak.c - break opportunities: libunibreak (UAX #14) with a tailoring
 * for the strict level of W3C clreq (Requirements for Chinese Text Layout,
 * section 3.1.7 "Line breaking rules").
 *
 * UAX #14 alone allows some breaks clreq forbids (before a middle dot or a
 * slash, around an em dash) and, with a "zh" language, treats curly quotes
 * as opening and closing marks.  The table below is applied on top.
 */
#include "pdf/para.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;

static void lb_init(void)
{
    init_linebreak();
}

/* No line starts with these (clreq strict; plus Latin closing marks). */
static bool no_start(uint32_t c)
{
    switch (c) {
    case 0x3002: /* 。 */
    case 0xFF0E: /* ． */
    case 0xFF0C: /* ， */
    case 0x3001: /* 、 */
    case 0xFF1A: /* ： */
    case 0xFF1B: /* ； */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case 0x201D: /* ” */
    case 0x2019: /* ’ */
    case 0xFF09: /* ） */
    case 0x3011: /* 】 */
    case 0x3017: /* 〗 */
    case 0x3015: /* 〕 */
    case 0xFF3D: /* ］ */
    case 0xFF5D: /* ｝ */
    case 0x300B: /* 》 */
    case 0x3009: /* 〉 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0xFF5E: /* ～ */
    case 0x00B7: /* · */
    case 0x30FB: /* ・ */
    case 0x2027: /* ‧ */
    case 0xFF0F: /* ／ */
    case 0x2026: /* … */
    case 0x2014: /* — (——: never starts a line) */
    case 0x2E3A: /* ⸺ two-em dash */
    case 0x203C: /* ‼ */
    case 0x2047: /* ⁇ */
    case 0x2048: /* ⁈ */
    case 0x2049: /* ⁉ */
    case 0x0025: /* % */
    case 0xFF05: /* ％ */
    case 0x2030: /* ‰ */
    case 0x2103: /* ℃ */
    case 0x3003: /* 〃 */
    case 0x30FC: /* ー */
    case 0x3005: /* 々 */
    case 0x303B: /* 〻 */
    case 0x309D: /* ゝ */
    case 0x309E: /* ゞ */
    case 0x30FD: /* ヽ */
    case 0x30FE: /* ヾ */
    case 0x2013: /* – */
    case 0x22EF: /* ⋯ */
    /* small kana (JIS X 4051) */
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: case 0x3063:
    case 0x3083: case 0x3085: case 0x3087: case 0x308E: case 0x30A1: case 0x30A3:
    case 0x30A5: case 0x30A7: case 0x30A9: case 0x30C3: case 0x30E3: case 0x30E5:
    case 0x30E7: case 0x30EE: case 0x30F5: case 0x30F6:
    case ',':
    case '.':
    case ';':
    case ':':
    case '?':
    case '!':
    case ')':
    case ']':
    case '}':
        return true;
    default:
        return false;
    }
}

/* No line ends with these. */
static bool no_end(uint32_t c)
{
    switch (c) {
    case 0x201C: /* “ */
    case 0x2018: /* ‘ */
    case 0xFF08: /* （ */
    case 0x3010: /* 【 */
    case 0x3016: /* 〖 */
    case 0x3014: /* 〔 */
    case 0xFF3B: /* ［ */
    case 0xFF5B: /* ｛ */
    case 0x300A: /* 《 */
    case 0x3008: /* 〈 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0xFF0F: /* ／ */
    case '(':
    case '[':
    case '{':
        return true;
    default:
        return false;
    }
}

bool dg_linebreak_emergency_ok(uint32_t left, uint32_t right)
{
    if (no_start(right) || no_end(left))
        return false;
    /* Combining marks and joiners stay with their base. */
    if ((right >= 0x0300 && right <= 0x036F) || (right >= 0xFE00 && right <= 0xFE0F) ||
        right == 0x200D || left == 0x200D)
        return false;
    return true;
}

/* Characters libunibreak 1.1 must not see: U+FFFF is its end-of-text
 * marker, and a regional indicator (class RI, flags) trips an assertion in
 * its pair table (set_linebreaks: lbcNew <= LBP_JT).  Regional indicators
 * are given to it as a letter (AL): no break inside a flag. */
static bool needs_substitute(uint32_t c)
{
    return c == 0xFFFF || c > 0x10FFFF || (c >= 0x1F1E6 && c <= 0x1F1FF);
}

static uint32_t substitute(uint32_t c)
{
    if (c >= 0x1F1E6 && c <= 0x1F1FF)
        return 'A';
    return c == 0xFFFF || c > 0x10FFFF ? 0xFFFD : c;
}

/* An emoji or pictograph (drawn from a colour font or as an image). */
static bool is_pictograph(uint32_t c)
{
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF);
}

/* A letter of a Latin, Greek or Cyrillic word (apostrophes join these). */
static bool word_letter(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x4FF) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

void dg_linebreaks(const uint32_t *text, size_t ncp, const char *lang, char *breaks)
{
    if (ncp == 0)
        return;
    pthread_once(&lb_once, lb_init);
    /* libunibreak's "zh" tailoring makes “ ‘ opening and ” ’ closing marks
     * (UAX #14 leaves them ambiguous QU, which forbids any break beside them). */
    if (!lang || !*lang)
        lang = "zh";
    /* libunibreak's UTF-32 reader takes U+FFFF as its end-of-text marker (and
     * asserts when it meets one early): such code points go in as U+FFFD. */
    utf32_t *copy = NULL;
    for (size_t i = 0; i < ncp; i++) {
        if (needs_substitute(text[i])) {
            copy = ncp <= SIZE_MAX / sizeof *copy ? malloc(ncp * sizeof *copy) : NULL;
            if (!copy)
                dg_oom(); /* as the arena does: no recovering from OOM */
            for (size_t j = 0; j < ncp; j++)
                copy[j] = substitute(text[j]);
            break;
        }
    }
    set_linebreaks_utf32(copy ? copy : (const utf32_t *)text, ncp, lang, breaks);
    free(copy);
    for (size_t i = 0; i < ncp; i++) {
        char b = breaks[i];
        if (b == LINEBREAK_MUSTBREAK)
            breaks[i] = 2;
        else if (b == LINEBREAK_ALLOWBREAK)
            breaks[i] = 1;
        else
            breaks[i] = 0;
    }
    for (size_t i = 0; i + 1 < ncp; i++) {
        if (breaks[i] == 2)
            continue;
        uint32_t a = text[i], b = text[i + 1];
        if (no_start(b) || no_end(a))
            breaks[i] = 0;
        /* An apostrophe inside a word ("It’s", "don’t"), which the "zh"
         * tailoring takes for a closing quote, joins the word. */
        if (a == 0x2019 && i > 0 && word_letter(text[i - 1]) && word_letter(b))
            breaks[i] = 0;
        /* Spaces: a break after a space before a forbidden start is also
         * forbidden ("word ）" stays together with what precedes), and so is
         * one before an emoji there ("Rust 🦀 ?"): drawn as an image, it
         * would leave the mark first on the line for a text reader. */
        if (b != ' ' && no_start(b)) {
            size_t j = i;
            while (j > 0 && (text[j] == ' ' || is_pictograph(text[j])) && breaks[j - 1] != 2) {
                breaks[j - 1] = 0;
                j--;
            }
        }
    }
    /* The last character always ends the text. */
    breaks[ncp - 1] = 2;
}
