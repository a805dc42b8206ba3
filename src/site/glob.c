/* glob.c - the glob patterns of --include and --exclude: '*', '?', '[...]'
 * and "**" on slash-separated paths, matched on whole UTF-8 characters.
 */
#include "site/glob.h"

#include <string.h>

/* Named limit: patterns are short; the cap bounds the backtracking of '*'. */
#define GLOB_MAX_STEPS 100000

static bool glob_at(const char *p, const char *s, long *steps)
{
    while (*p) {
        if (++*steps > GLOB_MAX_STEPS)
            return false;
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            bool slash = *p == '/';
            if (slash && glob_at(p + 1, s, steps)) /* "**" + "/" matches no folder */
                return true;
            for (const char *t = s;; t++) {
                if (glob_at(p, t, steps))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_at(p, t, steps))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        }
        if (*p == '?') {
            if (!*s || *s == '/')
                return false;
            /* one whole UTF-8 character */
            s++;
            while ((*s & 0xC0) == 0x80)
                s++;
            p++;
            continue;
        }
        if (*p == '[') {
            const char *q = p + 1;
            bool neg = *q == '!' || *q == '^';
            if (neg)
                q++;
            bool hit = false;
            const char *start = q;
            while (*q && (*q != ']' || q == start)) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    hit |= *s >= q[0] && *s <= q[2];
                    q += 3;
                } else {
                    hit |= *s == *q;
                    q++;
                }
            }
            if (*q == ']') {
                if (!*s || *s == '/' || hit == neg)
                    return false;
                p = q + 1;
                s++;
                continue;
            }
            /* no closing bracket: a literal '[' */
        }
        if (*p == '\\' && p[1])
            p++;
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return !*s;
}

bool dg_glob_match(const char *pat, const char *path)
{
    long steps = 0;
    if (!strchr(pat, '/')) {
        /* No folder in the pattern: it may match the last component alone,
         * or any folder on the way (as .gitignore does). */
        if (glob_at(pat, path, &steps))
            return true;
        for (const char *c = path; *c; c++) {
            if (*c != '/')
                continue;
            const char *next = strchr(c + 1, '/');
            size_t n = next ? (size_t)(next - c - 1) : strlen(c + 1);
            char comp[1024];
            if (n >= sizeof comp)
                continue;
            memcpy(comp, c + 1, n);
            comp[n] = 0;
            steps = 0;
            if (glob_at(pat, comp, &steps))
                return true;
        }
        /* the first component too */
        const char *first = strchr(path, '/');
        if (first) {
            char comp[1024];
            size_t n = (size_t)(first - path);
            if (n < sizeof comp) {
                memcpy(comp, path, n);
                comp[n] = 0;
                steps = 0;
                if (glob_at(pat, comp, &steps))
                    return true;
            }
        }
        return false;
    }
    if (pat[0] == '/')
        pat++;
    return glob_at(pat, path, &steps);
}
