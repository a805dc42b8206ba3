/* test_hyphen.c - Latin words in the PDF's paragraphs (issue 10): hyphenation
 * points from libhyphen (pdf/hyphen.c), discretionary hyphens in the
 * paragraph engine, no split of a prose word without a hyphen at any width
 * (a property over random paragraphs), splits of URLs and code only at
 * their conventional points, apostrophes and quotes by context, and table
 * columns by CSS's automatic layout.  Needs the hyphen-en-us dictionary
 * (skipped, 77, without it). */
#include <pthread.h>
#include <stdlib.h>

#include "../tests/fixtures/pdf/book_fixture.h"
#include "pdf/hyphen.h"
#include "pdf/layout.h"
#include "pdf/para.h"
#include "test.h"

static dg_fonts *fonts;
static dg_diag *diag;

/* WORD with its points marked by '-', through the module. */
static char *hyphenated(const dg_hyph_dict *d, const char *word, char *out)
{
    uint32_t cps[DG_HYPHEN_MAX_WORD + 8] = {0};
    size_t n = 0;
    for (size_t i = 0; word[i] && n < DG_HYPHEN_MAX_WORD + 8;) {
        int k = dg_utf8_decode(word + i, strlen(word + i), &cps[n++]);
        i += k > 0 ? (size_t)k : 1;
    }
    char pts[DG_HYPHEN_MAX_WORD + 8];
    dg_hyphen_points(d, cps, n, pts);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        o += (size_t)dg_utf8_encode(cps[i], out + o);
        if (pts[i])
            out[o++] = '-';
    }
    out[o] = 0;
    return out;
}

/* TeX's US English patterns (hyph_en_US.dic), with at least 2 letters
 * before and 3 after a hyphen and no word under 5 letters split. */
static void test_points(const dg_hyph_dict *en)
{
    static const char *const cases[][2] = {
        {"dependencies", "de-pen-den-cies"},
        {"structures", "struc-tures"},
        {"production", "pro-duc-tion"},
        {"hyphenation", "hy-phen-ation"},
        {"programmers", "pro-gram-mers"},
        {"compacting", "com-pact-ing"},
        {"parallel", "par-al-lel"},
        {"scavenge", "scav-enge"},
        {"Hyphenation", "Hy-phen-ation"},    /* capitalised as in a sentence */
        {"DEPENDENCIES", "DE-PEN-DEN-CIES"}, /* the module spells any case */
        {"learned", "learned"},
        {"table", "ta-ble"},
        {"into", "into"},   /* under five letters */
        {"about", "about"}, /* "a-bout" would leave one letter */
        {"selecting", "se-lect-ing"},
        {"incomprehensibilities", "in-com-pre-hen-si-bil-i-ties"},
    };
    char buf[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(hyphenated(en, cases[i][0], buf), cases[i][1]);
    /* Every point leaves two letters before and three after. */
    uint32_t w[] = {'o', 'v', 'e', 'r', 'f', 'l', 'o', 'w', 'i', 'n', 'g'};
    char pts[11];
    dg_hyphen_points(en, w, 11, pts);
    CHECK(!pts[0] && !pts[8] && !pts[9] && !pts[10]);
    /* A word the dictionary cannot spell gets no point. */
    uint32_t han[] = {0x4E2D, 0x6587, 0x6587, 0x5B57, 0x4E32};
    CHECK(dg_hyphen_points(en, han, 5, pts) == 0);
    /* Other dictionaries when installed: French in UTF-8, German in ISO 8859-1. */
    const dg_hyph_dict *fr = dg_hyphen_dict("fr-FR");
    if (fr)
        CHECK_STR(hyphenated(fr, "développement", buf), "dé-ve-lop-pe-ment");
    const dg_hyph_dict *de = dg_hyphen_dict("de");
    if (de) {
        hyphenated(de, "Silbentrennung", buf);
        CHECK_STR(buf, "Sil-ben-tren-nung");
        hyphenated(de, "Übergrößen", buf);
        CHECK(strchr(buf, '-') != NULL);
    }
}

static void test_languages(const dg_hyph_dict *en)
{
    /* the Latin words of Chinese, Japanese and Korean text are English */
    CHECK(dg_hyphen_dict("zh-CN") == en);
    CHECK(dg_hyphen_dict("ja") == en);
    CHECK(dg_hyphen_dict(NULL) == en);
    CHECK(dg_hyphen_dict("en_US") == en);
    CHECK(dg_hyphen_dict("en-US") == en);
    CHECK(dg_hyphen_dict("EN-us") == en);
    CHECK(dg_hyphen_dict("en-GB") != NULL); /* hyph_en.dic, or en_US */
    /* no dictionary: no hyphenation, and no guessing with another language */
    CHECK(dg_hyphen_dict("xx") == NULL);
    CHECK(dg_hyphen_dict("../../etc/passwd") == NULL);
    CHECK(dg_hyphen_dict("en/../../x") == NULL);
}

/* Months are typeset in parallel: the first use may come from many
 * threads at once, and lookups run concurrently. */
static void *thread_main(void *arg)
{
    const dg_hyph_dict *d = dg_hyphen_dict("en-US");
    char buf[64];
    for (int i = 0; i < 200; i++)
        if (strcmp(hyphenated(d, "dependencies", buf), "de-pen-den-cies") != 0)
            return NULL;
    *(const dg_hyph_dict **)arg = d;
    return NULL;
}

static void test_threads(const dg_hyph_dict *en)
{
    pthread_t t[4];
    const dg_hyph_dict *got[4] = {0};
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, thread_main, &got[i]) == 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(got[i] == en);
    }
}

/* ---- the paragraph engine ------------------------------------------------- */

static char *line_text(dg_arena *a, const dg_line *l)
{
    return dg_layout_line_text(a, l);
}

static void dump(dg_arena *a, const dg_para *p)
{
    for (size_t i = 0; i < p->nlines; i++)
        fprintf(stderr, "  %7.2f |%s|\n", p->lines[i].width, line_text(a, &p->lines[i]));
}

static dg_para set(const dg_span *spans, size_t n, double width, bool justify, const char *lang,
                   dg_arena *a)
{
    dg_para_opts o = {.width = width, .justify = justify, .lang = lang};
    dg_para p;
    CHECK(dg_para_layout(&p, fonts, spans, n, &o, a) == 0);
    return p;
}

static dg_span span_of(const char *text, unsigned style)
{
    return (dg_span){.text = text, .len = strlen(text), .size = 10, .link = -1, .style = style};
}

static bool ascii_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Written for this test. */
static const char ENGLISH[] =
    "Hyphenation lets a justified paragraph keep even spacing in a narrow measure: "
    "without it, long words such as responsibilities, internationalization or "
    "straightforwardly push whole words to the next line and leave conspicuous "
    "gaps between the remaining ones. Typesetters have relied on dictionaries of "
    "patterns since the seventies, and the patterns still decide where a word may "
    "be divided, with a visible hyphen at the end of the line.";

static void test_discretionary(dg_arena *a)
{
    dg_span s = span_of(ENGLISH, 0);
    const dg_hyph_dict *en = dg_hyphen_dict("en");
    size_t hyphens = 0, pairs = 0;
    for (double w = 90; w <= 200; w += 10) {
        dg_para p = set(&s, 1, w, true, "en", a);
        for (size_t i = 0; i < p.nlines; i++) {
            const dg_line *l = &p.lines[i];
            CHECK(l->width <= w + 0.01);
            if (!l->hyphen)
                continue;
            hyphens++;
            CHECK(!l->last);
            CHECK(l->n >= 2 && l->glyphs[l->n - 1].cp == '-' && l->glyphs[l->n - 1].font >= 0);
            CHECK(l->glyphs[l->n - 1].advance > 0);
            /* the split is one of the dictionary's points */
            size_t j = l->n - 1, k = 0;
            uint32_t word[64];
            size_t nw = 0;
            while (j > 0 && ascii_letter(l->glyphs[j - 1].cp))
                j--;
            for (; j < l->n - 1 && nw < 32; j++)
                word[nw++] = l->glyphs[j].cp;
            size_t cut = nw;
            const dg_line *nx = &p.lines[i + 1];
            for (; k < nx->n && ascii_letter(nx->glyphs[k].cp) && nw < 64; k++)
                word[nw++] = nx->glyphs[k].cp;
            char pts[64];
            dg_hyphen_points(en, word, nw, pts);
            CHECK(cut >= DG_HYPHEN_MIN_LEFT && nw - cut >= DG_HYPHEN_MIN_RIGHT && pts[cut - 1]);
        }
        /* hyphens in a row are rare (they cost DOUBLE_HYPHEN_DEMERITS), and
         * one is never before the last line */
        for (size_t i = 0; i + 1 < p.nlines; i++)
            pairs += p.lines[i].hyphen && p.lines[i + 1].hyphen;
        if (p.nlines >= 2 && p.lines[p.nlines - 2].hyphen) {
            fprintf(stderr, "hyphen before the last line at %.0f pt:\n", w);
            dump(a, &p);
            CHECK(0);
        }
    }
    fprintf(stderr, "discretionary: %zu hyphens, %zu after a hyphenated line\n", hyphens, pairs);
    CHECK(hyphens >= 5);
    CHECK(pairs * 2 < hyphens);
    /* A wide measure needs none (TeX's first pass, without hyphenation). */
    dg_para p = set(&s, 1, 420, true, "en", a);
    for (size_t i = 0; i < p.nlines; i++)
        CHECK(!p.lines[i].hyphen);
    /* Ragged text too: a hyphen in a narrow column, none in a wide one. */
    p = set(&s, 1, 420, false, "en", a);
    for (size_t i = 0; i < p.nlines; i++)
        CHECK(!p.lines[i].hyphen);
}

/* Tokens hyphenation never touches: each is set alone in a measure it fits
 * and in one it does not. */
static void test_not_hyphenated(dg_arena *a)
{
    static const char *const prose[] = {
        "https://example.org/documentation/internationalization",
        "maintainers@example.org",
        "internationalization2025",
        "INTERNATIONALIZATION",
        "internationalizationReady",
    };
    for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++) {
        char *t = dg_sprintf(a, "Read %s again and again and again and again", prose[i]);
        dg_span s = span_of(t, 0);
        for (double w = 60; w <= 300; w += 7) {
            dg_para p = set(&s, 1, w, true, "en", a);
            for (size_t j = 0; j < p.nlines; j++) {
                if (!p.lines[j].hyphen)
                    continue;
                /* only a token wider than the line may be split (with a
                 * hyphen in a prose word: the capitals) */
                CHECK(i == 3 && w < 150);
                if (i != 3 || w >= 150)
                    dump(a, &p);
            }
        }
    }
    /* code (a monospaced span) is never hyphenated */
    dg_span code[] = {span_of("Call ", 0), span_of("configure_internationalization", DG_MONO),
                      span_of(" first, then all the others.", 0)};
    for (double w = 60; w <= 300; w += 7) {
        dg_para p = set(code, 3, w, true, "en", a);
        for (size_t j = 0; j < p.nlines; j++) {
            const dg_line *ln = &p.lines[j];
            if (ln->hyphen && ln->n >= 2 && (ln->glyphs[ln->n - 2].style & DG_MONO)) {
                dump(a, &p);
                CHECK(0);
            }
        }
    }
}

/* ---- the property: no prose word split without a hyphen ------------------- */

static unsigned long rng_state = 12345;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rng_state >> 33) % n);
}

static const char *const WORDS[] = {
    "the",
    "of",
    "a",
    "line",
    "breaking",
    "algorithm",
    "considers",
    "every",
    "paragraph",
    "as",
    "whole",
    "and",
    "chooses",
    "breakpoints",
    "that",
    "minimize",
    "demerits",
    "rivers",
    "justification",
    "typography",
    "responsibilities",
    "characteristically",
    "straightforward",
    "counterproductive",
    "misunderstanding",
    "it’s",
    "don’t",
    "programmer’s",
    "well-known",
    "state-of-the-art",
    "Rust",
    "JavaScript",
    "compiler",
    "dependencies",
    "selecting",
    "structures",
    "production",
    "(parenthetical)",
    "“quoted”",
    "sentence.",
    "clause,",
    "NASA",
    "HTTP/2",
    "x86_64",
    "v1.2.3",
    "2025",
    "e.g.",
};
static const char *const TOKENS[] = {
    "https://github.com/rust-lang/rust/pull/142881?tab=files#diff-abc",
    "https://example.org/a/really/long/path/with_a_name_that_goes_on_and_on",
    "someone.with.a.long.name@mail.example.org",
    "@thisweekinrust.bsky.social",
    "std::collections::HashMap::with_capacity_and_hasher",
    "AbstractSingletonProxyFactoryBean",
    "9bdb612c-417c-4b26-bcb5-84e66087",
};
static const char *const CJK[] = {
    "我们",     "在",   "新的",  "集群上", "测试了",   "编译器，", "结果",
    "比预想的", "好。", "“这个", "方案”",  "（括号）", "第三步",
};

/* A random paragraph of spans: English, Chinese, URLs, inline code.  Latin
 * pieces are separated by spaces; beside Chinese a space is optional. */
static size_t random_para(dg_arena *a, dg_span *spans, size_t max, bool zh)
{
    const char *t[80];
    unsigned style[80];
    bool cjk[80];
    size_t n = 5 + rnd(60);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        unsigned k = rnd(20);
        style[i] = 0;
        cjk[i] = false;
        if (k < 2) {
            t[i] = TOKENS[rnd(sizeof TOKENS / sizeof *TOKENS)];
        } else if (k < 4) {
            t[i] = TOKENS[rnd(sizeof TOKENS / sizeof *TOKENS)];
            style[i] = DG_MONO;
        } else if (zh && k < 10) {
            t[i] = CJK[rnd(sizeof CJK / sizeof *CJK)];
            cjk[i] = true;
        } else {
            t[i] = WORDS[rnd(sizeof WORDS / sizeof *WORDS)];
            if (k == 19)
                style[i] = DG_BOLD;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool space = i + 1 < n && (!(cjk[i] || cjk[i + 1]) || rnd(2));
        spans[i] = span_of(dg_sprintf(a, "%s%s", t[i], space ? " " : ""), style[i]);
    }
    return n;
}

/* The characters of the spans (no spaces), each with whether a space came
 * before it, its span's style, and its token (between spaces). */
typedef struct src_char {
    uint32_t cp;
    bool space_before, mono;
    size_t tok_start, tok_end; /* [start, end) in the array */
} src_char;

/* Chinese and the general punctuation block (curly quotes) end tokens. */
static bool edge_char(uint32_t c)
{
    return dg_is_cjk(c) || (c >= 0x2000 && c <= 0x206F && c != 0x2019);
}

static size_t flatten(const dg_span *spans, size_t n, src_char *out, size_t max)
{
    size_t m = 0;
    bool sp = true;
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < spans[s].len && m < max;) {
            uint32_t cp;
            int k = dg_utf8_decode(spans[s].text + i, spans[s].len - i, &cp);
            i += k > 0 ? (size_t)k : 1;
            if (cp == ' ') {
                sp = true;
                continue;
            }
            out[m++] = (src_char){.cp = cp, .space_before = sp, .mono = spans[s].style & DG_MONO};
            sp = false;
        }
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && !out[j].space_before && !edge_char(out[j].cp) && !edge_char(out[j - 1].cp))
            j++;
        for (size_t k = i; k < j; k++)
            out[k].tok_start = i, out[k].tok_end = j;
        i = j;
    }
    return m;
}

/* Prose: no code, only letters and - , . ( ), no camelCase identifier. */
static bool prose_token(const src_char *s, size_t a, size_t b)
{
    bool hump = false;
    for (size_t i = a; i < b; i++) {
        if (s[i].mono ||
            (s[i].cp < 0x80 && !ascii_letter(s[i].cp) && !strchr("-,.()", (int)s[i].cp)))
            return false;
        hump |=
            i > a && s[i].cp >= 'A' && s[i].cp <= 'Z' && s[i - 1].cp >= 'a' && s[i - 1].cp <= 'z';
    }
    return !(hump && b - a >= 12);
}

static double token_width(const src_char *s, size_t a, size_t b)
{
    double w = 0;
    for (size_t i = a; i < b; i++) {
        int f = dg_fonts_pick(fonts, s[i].mono ? DG_MONO : 0, s[i].cp);
        w += f >= 0 ? dg_fonts_advance(fonts, f, s[i].cp) * 10 : 10;
    }
    return w;
}

/* A conventional split point of a long token between L and R (LL before L). */
static bool conventional(uint32_t ll, uint32_t l, uint32_t r)
{
    return ((l == '/' || l == '.' || l == '-' || l == '_') && r != l) || (l == ':' && ll == ':') ||
           l == '@' || r == '?' || r == '#' || r == '&' || r == '=' ||
           (l >= 'a' && l <= 'z' && r >= 'A' && r <= 'Z');
}

static void test_property(dg_arena *a)
{
    size_t paras = 0, splits = 0, hyphens = 0, failures = 0;
    for (int round = 0; round < 400; round++) {
        dg_span spans[80];
        bool zh = rnd(3) == 0;
        size_t n = random_para(a, spans, 80, zh);
        /* narrow measures too: a quote nested deep in a list on an e-reader */
        double w = rnd(4) == 0 ? 40 + rnd(60) : 100 + rnd(350);
        bool justify = rnd(3) != 0;
        dg_para p = set(spans, n, w, justify, zh ? "zh-CN" : "en", a);
        src_char src[4096];
        size_t m = flatten(spans, n, src, 4096);
        size_t pos = 0; /* next source character */
        bool bad = false;
        for (size_t i = 0; i < p.nlines; i++) {
            const dg_line *l = &p.lines[i];
            size_t ng = l->hyphen ? l->n - 1 : l->n;
            for (size_t j = 0; j < ng; j++)
                if (l->glyphs[j].cp != ' ')
                    pos++;
            if (i + 1 == p.nlines || pos == 0 || pos >= m || src[pos].space_before)
                continue;
            /* the line ends inside a token */
            const src_char *L = &src[pos - 1], *R = &src[pos];
            if (dg_is_cjk(L->cp) || dg_is_cjk(R->cp) || L->tok_end <= pos)
                continue;
            splits++;
            size_t left = pos - L->tok_start, right = L->tok_end - pos;
            bool wide = token_width(src, L->tok_start, L->tok_end) > w;
            bool prose = prose_token(src, L->tok_start, L->tok_end);
            const char *why = NULL;
            if (l->hyphen) {
                hyphens++;
                /* a hyphen only in prose, between letters */
                if (!prose || !ascii_letter(L->cp) || !ascii_letter(R->cp) || L->mono)
                    why = "a hyphen outside prose";
            } else if (ascii_letter(L->cp) && ascii_letter(R->cp) && prose &&
                       !(L->cp >= 'a' && L->cp <= 'z' && R->cp >= 'A' && R->cp <= 'Z')) {
                why = "a prose word split with no hyphen";
            } else if (!conventional(pos >= 2 ? src[pos - 2].cp : 0, L->cp, R->cp) && !wide &&
                       !(L->cp == '-' && !L->mono) && !(L->cp == '/' && !L->mono)) {
                why = "a token that fits split where no convention allows";
            }
            /* a hyphenated word keeps 2 letters before and 3 after; any
             * other split 3 characters on each side, unless the token is
             * wider than the line (or UAX #14 allows a break after a hyphen) */
            if (l->hyphen ? (left < 2 || right < 3)
                          : (left < 3 || right < 3) && !wide && L->cp != '-')
                why = "too few characters on a side";
            if (why) {
                fprintf(stderr, "line %zu: %s (U+%04X U+%04X, %zu | %zu)\n", i, why,
                        (unsigned)L->cp, (unsigned)R->cp, left, right);
                bad = true;
            }
        }
        CHECK(pos == m);
        if (bad || pos != m) {
            if (failures++ < 3) {
                fprintf(stderr, "round %d, width %.0f, %s:\n", round, w, zh ? "zh" : "en");
                dump(a, &p);
            }
        }
        CHECK(!bad);
        paras++;
    }
    fprintf(stderr, "property: %zu paragraphs, %zu splits inside tokens, %zu with a hyphen\n",
            paras, splits, hyphens);
    CHECK(hyphens > 0 && splits > hyphens);
}

/* ---- quotes by context ---------------------------------------------------- */

/* The advance of the first CP on any line of P. */
static double advance_of(const dg_para *p, uint32_t cp, size_t nth)
{
    for (size_t i = 0; i < p->nlines; i++)
        for (size_t j = 0; j < p->lines[i].n; j++)
            if (p->lines[i].glyphs[j].cp == cp && nth-- == 0)
                return p->lines[i].glyphs[j].advance;
    return -1;
}

static void test_quotes(dg_arena *a)
{
    dg_span s = span_of("他说“你好”，然后写了It’s fine, Don’t panic 和“Hello”，"
                        "还有‘单引号’与Python’s。",
                        0);
    dg_para p = set(&s, 1, 1000, true, "zh-CN", a);
    int f = dg_fonts_pick(fonts, 0, 0x2019);
    CHECK(f >= 0);
    double latin = dg_fonts_advance(fonts, f, 0x2019) * 10;
    double ldq = dg_fonts_advance(fonts, dg_fonts_pick(fonts, 0, 0x201C), 0x201C) * 10;
    /* Chinese quotes: full-width (minus compression before the comma) */
    CHECK(advance_of(&p, 0x201C, 0) >= 9.9);
    CHECK(advance_of(&p, 0x2018, 0) >= 9.9);
    /* apostrophes between Latin letters: the Latin font's width (It’s,
     * Don’t, Python’s); the closing quote of ‘单引号’ full-width */
    CHECK(advance_of(&p, 0x2019, 0) == latin);
    CHECK(advance_of(&p, 0x2019, 1) == latin);
    CHECK(advance_of(&p, 0x2019, 2) >= 9.9);
    CHECK(advance_of(&p, 0x2019, 3) == latin);
    CHECK(latin < 0.6 * 10);
    /* “Hello” after Chinese: quotes of Latin text */
    CHECK(advance_of(&p, 0x201C, 1) == ldq);
    CHECK(advance_of(&p, 0x201D, 1) < 0.6 * 10);
    /* a word-final apostrophe and the space after it stay narrower than
     * 0.6 em even in a stretched line ("JetBrains’ IDE" is no "It’ s") */
    dg_span j = span_of("Plugins for JetBrains’ IDE family and for many other editors too.", 0);
    for (double width = 150; width < 330; width += 5) {
        dg_para q = set(&j, 1, width, true, "zh-CN", a);
        for (size_t i = 0; i < q.nlines; i++)
            for (size_t k = 1; k + 2 < q.lines[i].n; k++) {
                const dg_glyph *g = q.lines[i].glyphs;
                if (g[k].cp == 0x2019 && g[k + 1].cp == ' ')
                    CHECK(g[k + 2].x - g[k].x < 0.6 * 10);
            }
    }
    /* an emoji before a closing mark stays with the word before it: drawn
     * as an image, it would leave "?" first on the line for a text reader */
    dg_span e = span_of("Modular: Mojo vs. Rust: is Mojo \xF0\x9F\x94\xA5 faster than Rust "
                        "\xF0\x9F\xA6\x80 ?",
                        0);
    for (double width = 60; width < 260; width += 4) {
        dg_para q = set(&e, 1, width, true, "zh-CN", a);
        for (size_t i = 1; i < q.nlines; i++)
            CHECK(q.lines[i].glyphs[0].cp != 0x1F980 && q.lines[i].glyphs[0].cp != '?');
    }
    /* and no line may break inside "It’s" */
    dg_span w = span_of("It’s wonderful, isn’t it? Don’t worry, it’s fine.", 0);
    for (double width = 30; width < 200; width += 3) {
        dg_para q = set(&w, 1, width, true, "zh-CN", a);
        for (size_t i = 0; i + 1 < q.nlines; i++) {
            const dg_line *l = &q.lines[i];
            CHECK(l->glyphs[l->n - 1].cp != 0x2019);
        }
    }
}

/* ---- tables --------------------------------------------------------------- */

static bool fixture_word(const char *const *words, size_t n, const char *w, size_t len, int how)
{
    for (size_t i = 0; i < n; i++) {
        size_t wl = strlen(words[i]);
        if (how == 0 && wl == len && !strncmp(words[i], w, len))
            return true;
        if (how == 1 && wl > len && !strncmp(words[i], w, len)) /* a prefix */
            return true;
        if (how == 2 && wl > len && !strncmp(words[i] + wl - len, w, len)) /* a suffix */
            return true;
    }
    return false;
}

/* A table like a comparison of collectors: a column of English names, one
 * of command-line flags in code, one of long Chinese descriptions (written
 * for this test).  The names column gets at least its longest word; no word
 * is split there without a hyphen; the descriptions take the free width. */
static void test_table(dg_arena *a, dg_page_size size, const char *const *names, size_t nnames)
{
    static const char *const words[] = {"Incremental",  "Marking",  "Concurrent", "Sweeping",
                                        "Generational", "Copying",  "Region",     "Based",
                                        "Compacting",   "Parallel", "Scavenging", "Reference",
                                        "Counting",     "Mark",     "Sweep"};
    dg_buf x = {0};
    dg_buf_puts(&x, "<table><thead><tr><th>收集器（别名）</th><th>用法</th><th>说明</th></tr>"
                    "</thead><tbody>");
    for (size_t i = 0; i < nnames; i++)
        dg_buf_printf(&x, "<tr><td>%s</td><td><code>--gc=%s</code></td><td>%s</td></tr>", names[i],
                      i % 2 ? "IncrementalMarkingCollector" : "parallel",
                      i % 3
                          ? "单线程，暂停时间短，适合小内存的桌面应用"
                          : "多线程并行回收年轻代，吞吐量优先，可以和老年代的标记整理算法配合使用，"
                            "也可以单独使用");
    dg_buf_puts(&x, "</tbody></table>");
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"收集器"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    dg_pdf_opts o = {0};
    o.page = size;
    o.link_notes = -1;
    dg_layout *l = NULL;
    CHECK(dg_layout_book(&l, b, fonts, &o, a, diag) == 0);
    if (!l)
        return;
    /* the column widths: the cell frames of the head row */
    double cw[3] = {0}, cx[3] = {0}, y0 = -1;
    size_t ncols = 0;
    const dg_lpage *pg = &l->pages[l->body_start];
    for (size_t k = 0; k < pg->n && ncols < 3; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_RECT || it->lw <= 0)
            continue;
        if (y0 < 0)
            y0 = it->y;
        if (it->y != y0)
            break;
        cx[ncols] = it->x;
        cw[ncols++] = it->w;
    }
    CHECK(ncols == 3);
    double text_w = l->page_w - 2 * l->margin;
    CHECK(cw[0] + cw[1] + cw[2] <= text_w + 0.5);
    /* At A4 the names column holds its longest word and the descriptions
     * take the most; on the e-reader the flag in code, unbreakable, keeps
     * its width (the minima fit: nothing but hyphenation splits a word). */
    double fs = l->base * 0.9, longest = 0, flag = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        double wd = 0;
        for (const char *c = words[i]; *c; c++)
            wd += dg_fonts_advance(fonts, dg_fonts_pick(fonts, 0, (uint32_t)*c), (uint32_t)*c);
        if (wd * fs > longest)
            longest = wd * fs;
    }
    for (const char *c = "--gc=IncrementalMarkingCollector"; *c; c++)
        flag +=
            fs * dg_fonts_advance(fonts, dg_fonts_pick(fonts, DG_MONO, (uint32_t)*c), (uint32_t)*c);
    CHECK(cw[1] >= flag);
    if (size == DG_PAGE_A4) {
        CHECK(cw[0] >= longest);
        CHECK(cw[2] > cw[0] && cw[2] > cw[1]);
    }
    /* no word of the first column split without a hyphen: the lines inside
     * the frames of that column, in order */
    bool prev_hyphen = false;
    size_t split = 0;
    for (size_t p = l->body_start; p < l->npages; p++) {
        const dg_lpage *page = &l->pages[p];
        for (size_t r = 0; r < page->n; r++) {
            const dg_item *f = &page->items[r];
            if (f->kind != DG_ITEM_RECT || f->lw <= 0 || f->x != cx[0])
                continue;
            for (size_t k = 0; k < page->n; k++) {
                const dg_item *it = &page->items[k];
                if (it->kind != DG_ITEM_TEXT || it->x < f->x || it->x > f->x + f->w ||
                    it->y < f->y || it->y > f->y + f->h)
                    continue;
                char *t = dg_layout_line_text(a, it->line);
                size_t len = strlen(t);
                bool hy = it->line->hyphen;
                for (size_t i = 0; i < len;) {
                    if (!ascii_letter((unsigned char)t[i])) {
                        i++;
                        continue;
                    }
                    size_t j = i;
                    while (j < len && ascii_letter((unsigned char)t[j]))
                        j++;
                    size_t nw = sizeof words / sizeof *words;
                    bool ok = fixture_word(words, nw, t + i, j - i, 0);
                    if (!ok && hy && j + 1 == len)
                        ok = fixture_word(words, nw, t + i, j - i, 1);
                    if (!ok && prev_hyphen && i == 0)
                        ok = fixture_word(words, nw, t + i, j - i, 2);
                    if (!ok) {
                        fprintf(stderr, "table: a split word in \"%s\"\n", t);
                        CHECK(0);
                    }
                    split += hy && j + 1 == len;
                    i = j;
                }
                prev_hyphen = hy;
            }
        }
    }
    fprintf(stderr, "table at page size %d: columns %.1f %.1f %.1f of %.1f, %zu hyphenated\n",
            (int)size, cw[0], cw[1], cw[2], text_w, split);
    fix_book_free(b);
}

/* A page never ends with a hyphenated word when the paragraph can leave one
 * more line for the next page (widows and orphans allowing). */
static void test_page_end(dg_arena *a)
{
    dg_buf x = {0};
    for (int i = 0; i < 30; i++)
        dg_buf_printf(&x, "<p>%s %s</p>", ENGLISH, ENGLISH + (i * 7) % 200);
    const char *bodies[] = {dg_buf_to_arena(&x, a)};
    const char *titles[] = {"Hyphens"};
    dg_book *b = fix_book(a, bodies, titles, 1);
    b->lang = "en";
    dg_pdf_opts o = {0};
    o.page = DG_PAGE_EREADER;
    o.link_notes = -1;
    dg_layout *l = NULL;
    CHECK(dg_layout_book(&l, b, fonts, &o, a, diag) == 0);
    size_t pages = 0, hyphens = 0, last_hyphen = 0;
    for (size_t p = l ? l->body_start : 0; l && p < l->npages; p++) {
        const dg_line *last = NULL;
        for (size_t k = 0; k < l->pages[p].n; k++) {
            const dg_item *it = &l->pages[p].items[k];
            if (it->kind != DG_ITEM_TEXT || it->y <= l->margin || it->y >= l->page_h - l->margin)
                continue;
            last = it->line;
            hyphens += it->line->hyphen;
        }
        pages++;
        last_hyphen += last && last->hyphen;
    }
    fprintf(stderr, "page ends: %zu pages, %zu hyphens, %zu at a page's end\n", pages, hyphens,
            last_hyphen);
    CHECK(pages > 10 && hyphens > pages);
    CHECK(last_hyphen == 0);
    fix_book_free(b);
}

static void cover_fits(dg_arena *a, const char **bodies, const char **titles);

/* The cover lists the posts' titles above the author's line: a title that
 * wraps (more often now that lines are never filled by splitting words)
 * must not run into it. */
static void test_cover(dg_arena *a)
{
    static const char long_title[] = "科技爱好者周刊（第 180 期）：一个很长的标题，"
                                     "在电子书的封面上要折成两行，有时三行";
    for (size_t cut = 0; cut < 40; cut += 3) {
        const char *bodies[FIX_MAX_CHAPTERS], *titles[FIX_MAX_CHAPTERS];
        for (size_t i = 0; i < FIX_MAX_CHAPTERS; i++) {
            bodies[i] = "<p>正文。</p>";
            /* titles of 1 to 3 lines: cut whole characters off the end */
            size_t len = strlen(long_title) - 3 * ((cut + 5 * i) % 30);
            titles[i] = dg_sprintf(a, "%.*s", (int)len, long_title);
        }
        cover_fits(a, bodies, titles);
    }
}

static void cover_fits(dg_arena *a, const char **bodies, const char **titles)
{
    dg_book *b = fix_book(a, bodies, titles, FIX_MAX_CHAPTERS);
    dg_pdf_opts o = {0};
    o.page = DG_PAGE_EREADER;
    o.link_notes = -1;
    dg_layout *l = NULL;
    CHECK(dg_layout_book(&l, b, fonts, &o, a, diag) == 0);
    const dg_lpage *pg = l ? &l->pages[0] : NULL;
    double author_y = -1;
    for (size_t k = 0; pg && k < pg->n; k++)
        if (pg->items[k].kind == DG_ITEM_TEXT &&
            !strcmp(dg_layout_line_text(a, pg->items[k].line), "测试者"))
            author_y = pg->items[k].y;
    CHECK(author_y > 0);
    for (size_t k = 0; pg && k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind == DG_ITEM_TEXT && it->y < author_y)
            CHECK(it->y + it->h <= author_y + 0.01);
    }
    fix_book_free(b);
}

int main(void)
{
    const dg_hyph_dict *en = dg_hyphen_dict("en");
    if (!en) {
        fprintf(stderr, "skipped: no English hyphenation dictionary (hyphen-en-us)\n");
        return TEST_SKIP;
    }
    diag = dg_diag_new(NULL);
    fonts = dg_fonts_open(NULL, diag);
    CHECK(fonts != NULL);
    if (!fonts) {
        fprintf(stderr, "%s", dg_diag_text(diag));
        TEST_DONE();
    }
    test_points(en);
    test_languages(en);
    test_threads(en);
    dg_arena *a = dg_arena_new();
    test_discretionary(a);
    test_not_hyphenated(a);
    test_property(a);
    test_quotes(a);
    test_page_end(a);
    test_cover(a);
    static const char *const names[] = {
        "Incremental Marking", "Concurrent Sweeping", "Generational Copying", "Region Based",
        "Parallel Compacting", "Parallel Scavenging", "Reference Counting",   "Mark Sweep",
    };
    test_table(a, DG_PAGE_A4, names, 8);
    test_table(a, DG_PAGE_EREADER, names, 8);
    dg_arena_free(a);
    dg_fonts_close(fonts);
    dg_diag_free(diag);
    TEST_DONE();
}
