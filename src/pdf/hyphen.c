/* hyphen.c - hyphenation points from libhyphen (hyphen.h).
 *
 * Dictionaries are found by language in DIGEST_HYPHEN_DIR (Debian's
 * hyphen-en-us, hyphen-de, hyphen-fr ... packages), loaded once under a lock
 * and kept for the process (a static table): a month's typesetting thread
 * only reads them, which
 * libhyphen allows (hnj_hyphen_hyphenate3 keeps its state on the stack and in
 * its own allocations).
 */
#include "pdf/hyphen.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#ifndef DIGEST_HYPHEN_DIR
#define DIGEST_HYPHEN_DIR "/usr/share/hyphen"
#endif

/* Languages asked for in one run, at most (each distinct tag a cache slot;
 * past this, a tag not yet seen gets no hyphenation). */
#define HYPH_MAX_DICTS 16

struct dg_hyph_dict {
    char name[16];                   /* "en_US", "de" ... as in the file name */
    HyphenDict *h;                   /* NULL when the file is absent or unreadable */
    bool latin1;                     /* an ISO 8859-1 dictionary (hyph_de_DE.dic) */
    const struct dg_hyph_dict *same; /* the slot that loaded the same file */
    char *path;                      /* the file's real path (malloc) */
};

static pthread_mutex_t hyph_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dg_hyph_dict hyph_cache[HYPH_MAX_DICTS];
static size_t hyph_ncache;

/* The dictionary of the file hyph_NAME.dic, loading it on first use (one
 * load per file: hyph_en.dic is a link to hyph_en_US.dic).  Called with
 * hyph_lock held.  NULL when there is none or the cache is full. */
static const struct dg_hyph_dict *dict_of(const char *name)
{
    struct dg_hyph_dict *d = NULL;
    for (size_t i = 0; i < hyph_ncache && !d; i++)
        if (!strcmp(hyph_cache[i].name, name))
            d = &hyph_cache[i];
    if (!d) {
        if (hyph_ncache == HYPH_MAX_DICTS)
            return NULL;
        d = &hyph_cache[hyph_ncache++];
        snprintf(d->name, sizeof d->name, "%s", name);
        char path[sizeof DIGEST_HYPHEN_DIR + 32];
        snprintf(path, sizeof path, "%s/hyph_%s.dic", DIGEST_HYPHEN_DIR, name);
        d->path = realpath(path, NULL);
        for (size_t i = 0; d->path && i + 1 < hyph_ncache && !d->same; i++)
            if (hyph_cache[i].path && !strcmp(hyph_cache[i].path, d->path))
                d->same = hyph_cache[i].same ? hyph_cache[i].same : &hyph_cache[i];
        /* hnj_hyphen_load prints to stderr when the file is missing: open
         * it here, so that an absent dictionary is silent (hyphenation is
         * an extra) */
        FILE *f = !d->same && d->path ? fopen(d->path, "r") : NULL;
        if (f) {
            d->h = hnj_hyphen_load_file(f);
            fclose(f);
        }
        if (d->h && !d->h->utf8)
            d->latin1 =
                !strncmp(d->h->cset, "ISO8859-1", 9) || !strncmp(d->h->cset, "ISO-8859-1", 10);
    }
    if (d->same)
        d = (struct dg_hyph_dict *)d->same;
    return d->h ? d : NULL;
}

/* Lower-case ASCII letters and digits of a language tag's subtag, into OUT
 * (room for 8 + 1); false when the subtag is empty or too long. */
static bool subtag(const char *s, size_t n, bool upper, char *out)
{
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z' && !upper)
            c = (char)(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z' && upper)
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
        out[i] = c;
    }
    out[n] = 0;
    return true;
}

const dg_hyph_dict *dg_hyphen_dict(const char *lang)
{
    char ll[9] = "en", rr[9] = "US";
    if (lang && *lang) {
        size_t n = strcspn(lang, "-_");
        if (!subtag(lang, n, false, ll))
            return NULL;
        rr[0] = 0;
        if (lang[n]) {
            const char *r = lang + n + 1;
            size_t m = strcspn(r, "-_");
            /* "zh-Hans-CN": a script subtag is skipped; "en-US": the region */
            if (m == 4 && r[m]) {
                r += m + 1;
                m = strcspn(r, "-_");
            }
            if (m == 2 || m == 3)
                subtag(r, m, true, rr);
        }
        if (!strcmp(ll, "zh") || !strcmp(ll, "ja") || !strcmp(ll, "ko")) {
            strcpy(ll, "en");
            strcpy(rr, "US");
        }
    }
    const dg_hyph_dict *found = NULL;
    pthread_mutex_lock(&hyph_lock);
    char name[20];
    if (rr[0]) {
        snprintf(name, sizeof name, "%s_%s", ll, rr);
        found = dict_of(name);
    }
    if (!found)
        found = dict_of(ll);
    /* "en" alone is installed as a link on Debian; elsewhere only en_US */
    if (!found && !strcmp(ll, "en"))
        found = dict_of("en_US");
    pthread_mutex_unlock(&hyph_lock);
    return found;
}

/* Lower case of the letters a pattern file spells (Latin, Greek, Cyrillic). */
static uint32_t lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && !(c & 1))
        return c + 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
        return c + 1;
    return c;
}

size_t dg_hyphen_points(const dg_hyph_dict *d, const uint32_t *word, size_t n, char *points)
{
    memset(points, 0, n);
    if (!d || !d->h || n < DG_HYPHEN_MIN_WORD || n > DG_HYPHEN_MAX_WORD)
        return 0;
    /* the word in the dictionary's encoding, one byte per character in an
     * 8-bit one; libhyphen numbers the points by character either way */
    char buf[DG_HYPHEN_MAX_WORD * 4 + 1];
    char hy[DG_HYPHEN_MAX_WORD * 4 + 8];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = lower(word[i]);
        if (d->h->utf8) {
            len += (size_t)dg_utf8_encode(c, buf + len);
        } else if (c < 0x80 || (d->latin1 && c <= 0xFF)) {
            buf[len++] = (char)c;
        } else {
            return 0; /* a letter the dictionary cannot spell */
        }
    }
    buf[len] = 0;
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    int rc =
        hnj_hyphen_hyphenate3(d->h, buf, (int)len, hy, NULL, &rep, &pos, &cut, DG_HYPHEN_MIN_LEFT,
                              DG_HYPHEN_MIN_RIGHT, DG_HYPHEN_MIN_LEFT, DG_HYPHEN_MIN_RIGHT);
    size_t count = 0;
    if (rc == 0) {
        for (size_t i = DG_HYPHEN_MIN_LEFT - 1; i + DG_HYPHEN_MIN_RIGHT < n; i++) {
            /* a non-standard break (German "Schiff-fahrt") changes letters:
             * left out, the word is still spelt as written */
            if ((hy[i] & 1) && !(rep && rep[i])) {
                points[i] = 1;
                count++;
            }
        }
    }
    if (rep) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return count;
}
