/* lang.c - language tags (BCP 47): normalized, known by name, compared;
 * and the language of a post's text, from the scripts of its letters.
 */
#include "site/lang.h"

#include <string.h>
#include <strings.h>

/* Languages a folder or a file-name part may name ("docs/en/", "post.ja.md"):
 * those of ISO 639-1 that blogs are written in, less the codes that are
 * also common folder words ("as", "be", "is", "my", "no", "so", "to", "am",
 * "ml", "or", "me", "an", "la"): a folder named "no" is not Norwegian.
 * Norwegian is "nb" and "nn". */
static const char *const KNOWN[] = {
    "af", "ar", "az", "bg", "bn",  "bs", "ca", "cs", "cy", "da", "de",  "el", "en", "eo", "es",
    "et", "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu", "he", "hi",  "hr", "hu", "hy", "id",
    "it", "ja", "ka", "kk", "km",  "kn", "ko", "ky", "lo", "lt", "lv",  "mk", "mn", "mr", "ms",
    "nb", "ne", "nl", "nn", "pa",  "pl", "pt", "ro", "ru", "si", "sk",  "sl", "sq", "sr", "sv",
    "sw", "ta", "te", "th", "tl",  "tr", "uk", "ur", "uz", "vi", "yue", "zh",
};

/* Language names written where a tag belongs ("language: English"). */
static const struct {
    const char *name, *tag;
} NAMES[] = {
    {"english", "en"}, {"chinese", "zh"},     {"japanese", "ja"},    {"korean", "ko"},
    {"french", "fr"},  {"german", "de"},      {"spanish", "es"},     {"russian", "ru"},
    {"中文", "zh"},    {"简体中文", "zh-CN"}, {"繁體中文", "zh-TW"}, {"繁体中文", "zh-TW"},
    {"日本語", "ja"},  {"한국어", "ko"},
};

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static bool all_of(const char *s, size_t n, bool (*f)(char))
{
    for (size_t i = 0; i < n; i++)
        if (!f(s[i]))
            return false;
    return n > 0;
}

static bool is_alnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

static int normalize(const char *s, size_t n, char out[DG_LANG_MAX])
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        if (strlen(NAMES[i].name) == n && !strncasecmp(s, NAMES[i].name, n)) {
            strcpy(out, NAMES[i].tag);
            return 0;
        }
    /* a locale's encoding and modifier: "zh_CN.UTF-8", "de_DE@euro" */
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || s[i] == '@') {
            n = i;
            break;
        }
    if (n == 0 || n >= DG_LANG_MAX)
        return -1;
    size_t o = 0, k = 0; /* k: the subtag's place */
    bool region = false, in_ext = false;
    for (size_t i = 0; i < n; k++) {
        size_t e = i;
        while (e < n && s[e] != '-' && s[e] != '_')
            e++;
        size_t len = e - i;
        const char *t = s + i;
        if (len == 0 || len > 8 || !all_of(t, len, is_alnum))
            return -1;
        if (k == 0) {
            if (len < 2 || len > 3 || !all_of(t, len, is_alpha))
                return -1; /* a language: two or three letters */
            for (size_t j = 0; j < len; j++)
                out[o++] = lower(t[j]);
        } else {
            out[o++] = '-';
            if (!in_ext && !region && k == 1 && len == 4 && all_of(t, len, is_alpha)) {
                out[o++] = upper(t[0]); /* a script: "Hant" */
                for (size_t j = 1; j < len; j++)
                    out[o++] = lower(t[j]);
            } else if (!in_ext && !region &&
                       ((len == 2 && all_of(t, 2, is_alpha)) ||
                        (len == 3 && all_of(t, 3, is_digit)))) {
                region = true; /* a region: "TW", "419" */
                for (size_t j = 0; j < len; j++)
                    out[o++] = upper(t[j]);
            } else {
                /* variants, extensions, private use: lower case */
                if (len == 1)
                    in_ext = true;
                else if (!in_ext && len < 4)
                    return -1; /* "en-foo": no such subtag */
                for (size_t j = 0; j < len; j++)
                    out[o++] = lower(t[j]);
            }
        }
        i = e < n ? e + 1 : e;
        if (e < n && i == n)
            return -1; /* a trailing separator */
    }
    out[o] = '\0';
    return 0;
}

int dg_lang_normalize(const char *s, size_t n, char out[DG_LANG_MAX])
{
    int rc = normalize(s, n, out);
    if (rc != 0)
        out[0] = '\0';
    return rc;
}

const char *dg_lang_norm(dg_arena *a, const char *s)
{
    char buf[DG_LANG_MAX];
    if (!s || dg_lang_normalize(s, strlen(s), buf) != 0)
        return NULL;
    return dg_strdup(a, buf);
}

/* The first subtag's length. */
static size_t primary_len(const char *tag)
{
    size_t n = 0;
    while (tag[n] && tag[n] != '-' && tag[n] != '_')
        n++;
    return n;
}

bool dg_lang_known(const char *tag)
{
    if (!tag)
        return false;
    size_t n = primary_len(tag);
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++)
        if (strlen(KNOWN[i]) == n && !strncasecmp(tag, KNOWN[i], n))
            return true;
    return false;
}

const char *dg_lang_from_name(dg_arena *a, const char *name, size_t n)
{
    char buf[DG_LANG_MAX];
    /* a name is a plain tag: language, then a script and a region at most
     * ("zh-Hant-TW"); no locale's encoding, no language name */
    size_t parts = 1;
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '-' || name[i] == '_')
            parts++;
        else if (!is_alnum(name[i]))
            return NULL;
    }
    size_t first = 0;
    while (first < n && name[first] != '-' && name[first] != '_')
        first++;
    if (parts > 3 || first < 2 || first > 3 || dg_lang_normalize(name, n, buf) != 0 ||
        !dg_lang_known(buf))
        return NULL;
    /* only the language, script and region forms: "en-foo1" is no folder of a language */
    for (const char *t = strchr(buf, '-'); t; t = strchr(t + 1, '-')) {
        size_t l = strcspn(t + 1, "-");
        if (l != 2 && l != 3 && l != 4)
            return NULL;
    }
    return dg_strdup(a, buf);
}

bool dg_lang_same(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t n = primary_len(a);
    return n == primary_len(b) && !strncasecmp(a, b, n);
}

/* ---- the language of a text ----------------------------------------------- */

static bool is_latin_letter(uint32_t c)
{
    return (c < 0x80 && is_alpha((char)c)) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

/* Kana, less the two marks Chinese text uses too: the middle dot of
 * transliterated names (U+30FB) and the long-vowel mark (U+30FC). */
static bool is_kana(uint32_t c)
{
    return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) ||
           (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

static bool is_hangul(uint32_t c)
{
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0x3131 && c <= 0x318E);
}

/* The end of the run of backticks at S[i]; *N its length. */
static size_t ticks(const char *s, size_t i, size_t e, size_t *n)
{
    size_t k = i;
    while (k < e && s[k] == '`')
        k++;
    *n = k - i;
    return k;
}

/* Where the line S[i..e) resumes after the piece at S[i] that is no prose:
 * inline code, a URL, a link target, an HTML tag; I itself when none. */
static size_t skip_piece(const char *s, size_t i, size_t e)
{
    if (s[i] == '`') {
        size_t n, k = ticks(s, i, e, &n);
        while (k < e) {
            size_t m, after = ticks(s, k, e, &m);
            if (m == n)
                return after;
            k = m ? after : k + 1;
        }
        return e; /* unclosed: the rest of the line */
    }
    if ((e - i > 7 && !strncmp(s + i, "http://", 7)) ||
        (e - i > 8 && !strncmp(s + i, "https://", 8))) {
        size_t k = i;
        while (k < e && s[k] != ' ' && s[k] != '\t' && s[k] != ')' && s[k] != '>')
            k++;
        return k;
    }
    if (s[i] == ']' && i + 1 < e && s[i + 1] == '(') {
        const char *c = memchr(s + i, ')', e - i);
        return c ? (size_t)(c - s) + 1 : e;
    }
    if (s[i] == '<' && i + 1 < e && (is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
        const char *c = memchr(s + i, '>', e - i);
        return c ? (size_t)(c - s) + 1 : i;
    }
    return i;
}

/* A fence line: up to three spaces, then three or more ` or ~; its
 * character in *CH and length in *N. */
static bool fence(const char *s, size_t i, size_t e, char *ch, size_t *n)
{
    size_t k = i;
    while (k < e && k - i < 3 && s[k] == ' ')
        k++;
    if (k >= e || (s[k] != '`' && s[k] != '~'))
        return false;
    size_t m = k;
    while (m < e && s[m] == s[k])
        m++;
    if (m - k < 3)
        return false;
    *ch = s[k];
    *n = m - k;
    return true;
}

void dg_lang_count(dg_lang_counts *c, const char *md, size_t len)
{
    *c = (dg_lang_counts){0};
    char fch = 0;
    size_t flen = 0; /* the open fence, 0: none */
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(md + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - md) : len;
        char ch;
        size_t n;
        if (fence(md, i, e, &ch, &n)) {
            if (!flen) {
                fch = ch;
                flen = n;
            } else if (ch == fch && n >= flen) {
                flen = 0;
            }
            i = e + 1;
            continue;
        }
        for (size_t k = i; !flen && k < e;) {
            size_t s = skip_piece(md, k, e);
            if (s != k) {
                k = s;
                continue;
            }
            uint32_t cp;
            int l = dg_utf8_decode(md + k, e - k, &cp);
            k += l ? (size_t)l : 1;
            if (is_latin_letter(cp))
                c->latin++;
            else if (cp < 0x1100)
                continue;
            else if (is_kana(cp))
                c->kana++;
            else if (is_hangul(cp))
                c->hangul++;
            else if (dg_is_han(cp))
                c->han++;
        }
        i = e + 1;
    }
}

/* SITE when it names LANG's language (with its region), else LANG. */
static const char *site_or(const char *site, const char *lang)
{
    return dg_lang_same(site, lang) ? site : lang;
}

static bool east_asian(const char *tag)
{
    return dg_lang_same(tag, "zh") || dg_lang_same(tag, "ja") || dg_lang_same(tag, "ko") ||
           dg_lang_same(tag, "yue");
}

const char *dg_lang_detect(const dg_lang_counts *c, const char *site)
{
    const char *s = site && *site ? site : "zh-CN";
    size_t cjk = c->han + c->kana + c->hangul;
    if (cjk == 0 && c->latin == 0)
        return s;
    if (cjk * 20 < c->latin)
        return east_asian(s) ? "en" : s;
    if (c->kana * 10 >= c->han + c->kana && c->kana > 0)
        return site_or(s, "ja");
    if (c->hangul * 2 >= cjk && c->hangul > 0)
        return site_or(s, "ko");
    if (dg_lang_same(s, "zh") || dg_lang_same(s, "ja") || dg_lang_same(s, "yue"))
        return s;
    return "zh";
}
